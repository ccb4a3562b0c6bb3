//! The SVG diagram (its markup is `figure.rs`). A message new on screen glides out of
//! its sender (CSS animation, off under `prefers-reduced-motion`); the state never
//! waits for the animation.
use super::figure::{self, Marks};
use super::session::Actions;
use crate::sim::view::View as SimView;
use leptos::prelude::*;

#[component]
pub fn Diagram(view: Memo<SimView>) -> impl IntoView {
    let a = expect_context::<Actions>();
    // The message ids drawn last time: only the others animate.
    let shown = StoredValue::new(Vec::<String>::new());
    let svg = move || {
        let actor = a.session.with(|s| s.run.records().last().map(|r| r.actor));
        let hovered = a.hovered.get();
        view.with(|v| {
            let before = shown.get_value();
            let is_new = |id: &str| !before.iter().any(|b| b == id);
            let marks = Marks {
                actor,
                hovered: hovered.as_deref(),
                is_new: &is_new,
            };
            let markup = figure::svg(v, &marks);
            shown.set_value(v.in_flight.iter().map(|m| m.id.clone()).collect());
            markup
        })
    };
    let view_box = format!(
        "0 0 {} {}",
        figure::px(figure::WIDTH),
        figure::px(figure::HEIGHT)
    );
    view! {
        <figure class="diagram">
            <svg viewBox=view_box role="group" aria-label="Diagram of the nodes and the messages in flight"
                inner_html=svg></svg>
            <figcaption inner_html=move || view.with(figure::caption)></figcaption>
        </figure>
    }
}
