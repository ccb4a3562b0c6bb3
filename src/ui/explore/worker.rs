//! The search's worker: started for a search, its replies read into the panel (its
//! progress, its result, its errors), and the focus moved as the search starts and ends.
//! Split from `explore.rs` along that seam; all of it is the worker's reader's chunk.
use super::super::{browser, searching};
use super::{Explore, Panel, CANCEL, START};
use crate::sim::search::msg::{Phase, Reply, MAX_STATES, SLICE_MAX_STATES};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// The worker's start script, as trunk names it, next to the page.
const WORKER_URL: &str = "explore_worker_loader.js";

/// Starts the search's worker for the search `generation` and reads its messages into
/// the panel. A split point (the `split` feature; see scripts/split.sh): the worker's
/// handling and the reading of its replies (`Reply::decode`, the counterexamples) are a
/// wasm chunk fetched on the first search, as the worker itself is. A search cancelled
/// or replaced before the chunk arrived starts no worker.
#[cfg_attr(feature = "split", leptos::lazy)]
pub(super) async fn spawn_worker(panel: Panel, request: String, generation: u32) {
    let Panel {
        state,
        worker,
        current,
        redraw,
        ..
    } = panel;
    let stop = move || panel.stop();
    let mine = move || state.with_untracked(|s| s.generation == generation && s.running);
    if !mine() {
        return;
    }
    // The phase under way, the bound of the one before it and when it began (ms): each
    // phase counts from its own start (review 23, U3). This search's alone.
    let phase = std::cell::Cell::new((Phase::Shifted, 0usize, 0u64));
    // The button pressed is disabled while the search runs: the focus goes to Cancel
    // (review 23, U4), and the bar says what it measures from the start.
    browser::focus(CANCEL);
    state.update(|s| {
        let max = if s.slicing { SLICE_MAX_STATES } else { MAX_STATES };
        s.bar = (0, max);
        label_bar(Phase::Shifted, max);
    });
    let w = match Worker::new(WORKER_URL) {
            Ok(w) => w,
            Err(_) => {
                state.update(|s| {
                    s.running = false;
                    s.error = Some("This browser could not start the search's worker.".into());
                });
                return;
            }
        };
        let sender = w.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            if !mine() {
                return;
            }
            // Another scenario, fix or seed since it started: the search is of a setup
            // no longer shown, so it stops (review session 12, V15; its progress is
            // hidden at once, below), and says why: the learner did not cancel it
            // (review 23, S5). Nothing of the old setup's search stays, neither its
            // numbers nor its result.
            let now = current.get_untracked();
            if state.with_untracked(|s| s.searched != now) {
                stop();
                state.update(|s| {
                    *s = Explore {
                        generation: s.generation,
                        line: searching::stopped(&s.searched, &now),
                        searched: now,
                        ..Explore::default()
                    }
                });
                label_bar(Phase::Shifted, 0);
                redraw.update(|r| *r = !*r);
                return;
            }
            let text = ev.data().as_string().unwrap_or_default();
            match Reply::decode(&text) {
                Some(Reply::Ready) => {
                    let _ = sender.post_message(&JsValue::from_str(&request));
                }
                Some(Reply::Progress {
                    phase: under_way,
                    states,
                    max,
                    depth,
                    elapsed_ms,
                    ..
                }) => state.update(|s| {
                    // A new phase counts from its start: the line says it began.
                    let (was, _, _) = phase.get();
                    if under_way != was {
                        phase.set((under_way, s.bar.1, elapsed_ms));
                    }
                    let (_, bound, since_ms) = phase.get();
                    s.states = states;
                    s.depth = depth;
                    let ms = elapsed_ms.saturating_sub(since_ms);
                    s.line = searching::line(under_way, bound, states, max, depth, ms);
                    s.bar = (states, max);
                    label_bar(under_way, max);
                }),
                Some(Reply::Result(found)) => {
                    state.update(|s| {
                        s.running = false;
                        s.states = found.states;
                        s.depth = found.depth;
                        // A complete search fills the bar: its states were all there were.
                        let max = if s.slicing { SLICE_MAX_STATES } else { MAX_STATES };
                        s.bar = (if found.complete { max } else { found.states }, max);
                        label_bar(Phase::Shifted, max);
                        s.line = searching::done_line(found.states, found.depth, found.elapsed_ms);
                        if s.slicing {
                            s.slice = Some(found);
                        } else {
                            s.result = Some(found);
                        }
                    });
                    if !state.with_untracked(|s| s.slicing) {
                        redraw.update(|r| *r = !*r);
                    }
                    stop();
                    focus_back();
                }
                Some(Reply::Error(e)) => {
                    state.update(|s| {
                        s.running = false;
                        s.error = Some(format!("The search could not start: {e}."));
                    });
                    stop();
                    focus_back();
                }
                None => {}
            }
        });
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            if mine() {
                state.update(|s| {
                    s.running = false;
                    s.error = Some(format!("The search's worker failed to load or stopped ({WORKER_URL})."));
                });
            }
        });
        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        w.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // One small pair per search; they are called from the worker's events, so
        // they may not be dropped while it runs.
        on_message.forget();
        on_error.forget();
        worker.set_value(Some(w));
}

/// Names the progress bar by what it measures (`searching::bar_label`; review 23, U4).
/// Written here, in the worker's reader's chunk, onto the bar the panel drew (which has
/// no `aria-label` of its own to redraw): the first download holds neither the words
/// nor a signal of them. `max` 0: the bar measures nothing now (a search stopped by a
/// change), and its name is empty.
fn label_bar(phase: Phase, max: usize) {
    if let Some(bar) = document()
        .query_selector("[data-testid=explore-progress] progress")
        .ok()
        .flatten()
    {
        let label = if max == 0 {
            String::new()
        } else {
            searching::bar_label(phase, max)
        };
        let _ = bar.set_attribute("aria-label", &label);
    }
}

/// A search ended: the focus on Cancel (now disabled), or lost, goes back to Search.
/// Focus the learner moved elsewhere stays; the result is announced (its live region).
fn focus_back() {
    let lost = document().active_element().is_none_or(|e| {
        e.tag_name() == "BODY" || e.get_attribute("data-testid").as_deref() == Some("explore-cancel")
    });
    if lost {
        browser::focus(START);
    }
}

