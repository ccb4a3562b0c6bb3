//! The SVG diagram (its markup is `figure.rs`, its layout `layout.rs`). Each step's
//! messages glide along their links from where they were before it (CSS animation as
//! long as the time between two steps, so they travel visibly at every speed; off
//! under `prefers-reduced-motion`); the state never waits for the animation.
use super::figure::{self, Marks};
use super::layout::Layout;
use super::session::Actions;
use super::SPEEDS_PER_S;
use crate::sim::view::View as SimView;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Lights the in-flight message `id` (and unlights the others) in the drawn diagram.
/// Pointing at a next event changes only this class, so the SVG is not redrawn and
/// a message still gliding in keeps its animation.
fn light(root: &web_sys::Element, id: Option<&str>) {
    let Ok(messages) = root.query_selector_all("[data-testid=in-flight]") else {
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

/// The layout for the window's width: top to bottom on a phone.
pub fn layout_signal() -> ReadSignal<Layout> {
    let pick = || {
        let narrow = window()
            .match_media("(max-width: 640px)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if narrow {
            Layout::Narrow
        } else {
            Layout::Wide
        }
    };
    let (layout, set_layout) = signal(pick());
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        let now = pick();
        if layout.get_untracked() != now {
            set_layout.set(now);
        }
    });
    on_cleanup(move || handle.remove());
    layout
}

#[component]
pub fn Diagram(view: Memo<SimView>, layout: ReadSignal<Layout>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let holder = NodeRef::<leptos::html::Div>::new();
    let svg = move || {
        let (actor, sent_from, before_ms) = a.session.with(|s| {
            let run = &s.run;
            // None for the network's act (a message dropped): no node is lit as acting.
            let actor = run.records().last().and_then(|r| r.acting());
            // What the step just taken sent: messages numbered from the count before it.
            let before = run.cursor().checked_sub(1).and_then(|i| run.state(i));
            (
                actor,
                before.map_or(0, |w| w.next_msg),
                before.map(|w| w.now_ms),
            )
        });
        let glide_ms = if a.playing.get() {
            let per_s = SPEEDS_PER_S[a.speed.get().min(SPEEDS_PER_S.len() - 1)];
            (900 / per_s).min(450)
        } else {
            450
        };
        let hovered = a.hovered.get_untracked();
        let marks = Marks {
            actor,
            hovered: hovered.as_deref(),
            sent_from,
            before_ms,
            glide_ms,
            layout: layout.get(),
            differs: &[],
            test_ids: true,
        };
        view.with(|v| figure::svg(v, &marks))
    };
    Effect::new(move |_| {
        let hovered = a.hovered.get();
        if let Some(el) = holder.get() {
            light(&el, hovered.as_deref());
        }
    });
    view! {
        <figure class="diagram">
            <div class="figure" node_ref=holder inner_html=svg></div>
            <figcaption>
                <span inner_html=move || view.with(figure::caption)></span>
                <span class="legend" inner_html=figure::legend()></span>
            </figcaption>
        </figure>
    }
}
