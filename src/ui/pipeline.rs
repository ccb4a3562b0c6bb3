//! The event pipeline's panels (their markup is `paint.rs`): the outbox table, the
//! bus's log with the dead-letter queue and the consumer's memory, the write-behind
//! queue. Each shows only when the scenario has that part.
use super::paint;
use crate::sim::view::View as SimView;
use crate::sim::NodeId;
use leptos::prelude::*;

#[component]
pub fn Pipeline(view: Memo<SimView>) -> impl IntoView {
    let has = move |id: NodeId| view.with(|v| v.nodes.iter().any(|n| n.id == id));
    view! {
        {move || has(NodeId::Relay).then(|| view! {
            <section class="panel wide" aria-labelledby="outbox-h" inner_html=move || view.with(paint::outbox)></section>
        })}
        {move || has(NodeId::Bus).then(|| view! {
            <section class="panel wide" aria-labelledby="bus-h" inner_html=move || view.with(paint::bus)></section>
        })}
        {move || has(NodeId::Flusher).then(|| view! {
            <section class="panel" aria-labelledby="queue-h" inner_html=move || view.with(paint::queue)></section>
        })}
    }
}
