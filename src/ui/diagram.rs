//! The SVG diagram (its markup is `figure.rs`). A message the step just taken sent
//! glides out of its sender (CSS animation, off under `prefers-reduced-motion`); the
//! state never waits for the animation.
use super::figure::{self, Marks};
use super::session::Actions;
use crate::sim::view::View as SimView;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Lights the in-flight message `id` (and unlights the others) on the drawn SVG.
/// Pointing at a next event changes only this class, so the SVG is not redrawn and
/// a message still gliding in keeps its animation.
fn light(svg: &web_sys::Element, id: Option<&str>) {
    let Ok(messages) = svg.query_selector_all("[data-testid=in-flight]") else {
        return;
    };
    for i in 0..messages.length() {
        let Some(el) = messages
            .get(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let on = id.is_some() && el.get_attribute("data-message").as_deref() == id;
        let _ = el.class_list().toggle_with_force("lit", on);
    }
}

#[component]
pub fn Diagram(view: Memo<SimView>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let svg = move || {
        let (actor, sent_from) = a.session.with(|s| {
            let run = &s.run;
            let actor = run.records().last().map(|r| r.actor);
            // What the step just taken sent: messages numbered from the count before it.
            let before = run.cursor().checked_sub(1).and_then(|i| run.state(i));
            (actor, before.map_or(0, |w| w.next_msg))
        });
        let hovered = a.hovered.get_untracked();
        let marks = Marks {
            actor,
            hovered: hovered.as_deref(),
            sent_from,
        };
        view.with(|v| figure::svg(v, &marks))
    };
    Effect::new(move |_| {
        let hovered = a.hovered.get();
        if let Some(el) = svg_ref.get() {
            light(&el, hovered.as_deref());
        }
    });
    let view_box = format!(
        "0 0 {} {}",
        figure::px(figure::WIDTH),
        figure::px(figure::HEIGHT)
    );
    view! {
        <figure class="diagram">
            <svg node_ref=svg_ref viewBox=view_box role="group" aria-label="Diagram of the nodes and the messages in flight"
                inner_html=svg></svg>
            <figcaption inner_html=move || view.with(figure::caption)></figcaption>
        </figure>
    }
}
