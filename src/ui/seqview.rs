//! The sequence diagram on the page (its markup is `sequence.rs`): drawn while it is
//! shown, scrolled so the current step's row is in view. Long stretches of cache hits
//! are folded into one row (`sim::fold`); a click (or Enter) on that row shows its
//! steps, and on their heading folds them again. Folding changes only the drawing: the
//! step controls still move one step.
use super::sequence::{self, Geometry, RowMap};
use super::session::Actions;
use crate::sim::fold;
use crate::sim::sequence::Sequence;
use leptos::prelude::*;

/// How much larger the drawing is in present mode.
const PRESENT_ZOOM: f64 = 1.5;

#[component]
pub fn SequenceView() -> impl IntoView {
    let a = expect_context::<Actions>();
    let holder = NodeRef::<leptos::html::Div>::new();
    // The folds the learner opened, by their first step.
    let open = RwSignal::new(Vec::<usize>::new());
    let map = move || {
        let now = a.session.with(|s| s.run.cursor());
        let folds = a.ahead.with(|p| p.folds_upto(now));
        open.with(|o| RowMap::new(now, &fold::rows(now, &folds, o, now)))
    };
    // The box's inner width, once it is on the page and after each resize: the
    // drawing is laid out to fit it (`Geometry::fit`). In present mode it is laid out
    // for a narrower box and drawn scaled up to the box (style.css, the teaching tools), for the back of
    // the room.
    let box_w = RwSignal::new(None::<f64>);
    // How many pixels a unit of the drawing takes: present mode lays it out for a box
    // PRESENT_ZOOM times narrower than its own and draws it to the box's width.
    let zoom = |el: &web_sys::HtmlDivElement| {
        if el.closest(".present-stage").ok().flatten().is_some() {
            PRESENT_ZOOM
        } else {
            1.0
        }
    };
    let measure = move || {
        if let Some(el) = holder.get_untracked() {
            let zoom = zoom(&el);
            let w = (f64::from(el.client_width()) / zoom).floor();
            if w > 0.0 && box_w.get_untracked() != Some(w) {
                box_w.set(Some(w));
            }
        }
    };
    Effect::new(move |_| {
        if holder.get().is_some() {
            request_animation_frame(measure);
        }
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || on_resize.remove());
    let markup = move || {
        let map = map();
        let width = box_w.get();
        a.session.with(|s| {
            let seq = Sequence::of(&s.run);
            let geo = Geometry::fit(seq.lanes.len(), width);
            sequence::svg(&seq, &s.notes.on_path(&s.run), &map, geo)
        })
    };
    let cursor = move || a.session.with(|s| s.run.cursor());
    // Keep the current row in the middle of the scrolled box (not the page).
    Effect::new(move |_| {
        let now = cursor();
        let y = map().y(now);
        let Some(el) = holder.get() else { return };
        request_animation_frame(move || {
            // In pixels: in present mode the row was drawn 1.5 times lower than its
            // units say, and the current step was scrolled out of the box (review 31).
            let top = ((y * zoom(&el)) as i32 - el.client_height() / 2).max(0);
            el.set_scroll_top(top);
        });
    });
    let toggle = move |first: Option<String>| {
        if let Some(first) = first.and_then(|f| f.parse::<usize>().ok()) {
            open.update(|o| match o.iter().position(|f| *f == first) {
                Some(i) => {
                    o.remove(i);
                }
                None => o.push(first),
            });
        }
    };
    view! {
        <div class="sequence" data-testid="sequence" data-step=cursor node_ref=holder
            data-fit=move || box_w.get().map(|w| super::figure::px(w).to_string())
            role="region" aria-label="Sequence diagram of the run so far" tabindex="0"
            on:click=move |ev| toggle(super::browser::closest_attr(&ev, "[data-fold]", "data-fold"))
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    let first = super::browser::closest_attr(&ev, "[data-fold]", "data-fold");
                    if first.is_some() {
                        ev.prevent_default();
                        toggle(first);
                    }
                }
            }
            inner_html=markup></div>
    }
}
