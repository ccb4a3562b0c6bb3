//! The event pipeline's panels (their markup is `paint.rs`): the outbox table, the
//! bus's log with the dead-letter queue and the consumer's memory, the write-behind
//! queue. Each shows only when the scenario has that part.
use super::paint;
use crate::sim::view::View as SimView;
use crate::sim::NodeId;
use leptos::prelude::*;

#[component]
pub fn Pipeline(view: Memo<SimView>) -> impl IntoView {
    // Hidden rather than absent when the scenario lacks the part: one element each.
    let lacks = move |id: NodeId| view.with(|v| !v.nodes.iter().any(|n| n.id == id));
    view! {
        <section class="panel wide" aria-labelledby="outbox-h" hidden=move || lacks(NodeId::RELAY)
            inner_html=move || view.with(paint::outbox)></section>
        <section class="panel wide" aria-labelledby="bus-h" hidden=move || lacks(NodeId::BUS)
            inner_html=move || view.with(paint::bus)></section>
        <section class="panel" aria-labelledby="queue-h" hidden=move || lacks(NodeId::FLUSHER)
            inner_html=move || view.with(paint::queue)></section>
    }
}
