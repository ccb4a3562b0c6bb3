//! "Search every interleaving": the exhaustive search of the loaded run's setup, in a
//! Web Worker started on first use (so the page's first download does not grow and
//! the page keeps answering), with its progress, its result and the shortest
//! counterexample per broken invariant, which plays as a branch of the step-by-step
//! view. Cancel terminates the worker at once. Where the full model stops at its bound
//! with `no-lost-event` unbroken, the result offers that invariant's search on the
//! ghost-reader slice (`sliced`), run by the same worker, shown below the full result.
//! The worker's plumbing (starting it, reading its replies into the panel) is in
//! `explore/worker.rs`, the result and its counterexamples in `explore/result.rs`: each
//! a split chunk.
use super::browser;
use super::session::Actions;
use super::verdict;
use crate::sim::link;
use crate::sim::search::msg::{read_faults, Found, Request, MAX_FAULTS, MAX_STATES, SLICE_MAX_STATES};
use leptos::prelude::*;
use web_sys::Worker;

mod result;
mod worker;
use result::result_view;
use worker::spawn_worker;

#[derive(Clone, Debug, Default, PartialEq)]
struct Explore {
    /// Which search the messages must belong to (older workers' are ignored).
    generation: u32,
    running: bool,
    /// The setup searched (`link::setup_query`), to tell a stale result.
    searched: String,
    faults: u8,
    states: usize,
    depth: usize,
    /// The progress in words (after "Cancelled. " when the learner cancelled it; why it
    /// stopped when the run shown changed under it, review 23, S5) and the bar's value
    /// and bound: written by the worker's reader (`spawn_worker`, a split chunk, with
    /// `searching`'s words, and the bar's name: `label_bar`), so the first download
    /// holds none of them.
    line: String,
    bar: (usize, usize),
    result: Option<Found>,
    error: Option<String>,
    /// The search running (or last run) is the ghost-reader slice's, asked for from
    /// `result` (the full model's, which stays shown).
    slicing: bool,
    slice: Option<Found>,
}

/// The panel's handles (all `Copy`), so that the result panel's split chunk starts the
/// slice's search with the same code as the button of the full one.
#[derive(Clone, Copy)]
struct Panel {
    a: Actions,
    state: RwSignal<Explore>,
    faults: RwSignal<u8>,
    worker: StoredValue<Option<Worker>, LocalStorage>,
    /// The setup shown (`link::setup_query`).
    current: Memo<String>,
    /// Flipped when the full model's result is set or cleared: the result panel is
    /// drawn again only then (not at each of the slice's progress messages).
    redraw: RwSignal<bool>,
}

impl Panel {
    fn stop(self) {
        if let Some(w) = self.worker.try_update_value(|w| w.take()).flatten() {
            w.terminate();
        }
    }

    /// The full model's search, or (`slicing`) the slice's of the same setup, whose
    /// result is shown after the full one's. The panel says "Starting the search…" at
    /// once; the worker and what reads its messages are started by `spawn_worker`, a
    /// split chunk.
    fn start(self, slicing: bool) {
        let Panel { a, state, faults, .. } = self;
        self.stop();
        let searched = a.session.with_untracked(|s| link::setup_query(&s.run));
        let request = Request {
            link: searched.clone(),
            faults: if slicing { 0 } else { faults.get_untracked() },
            max_states: if slicing { SLICE_MAX_STATES } else { MAX_STATES },
            slice: slicing,
        }
        .encode();
        let generation = state.with_untracked(|s| s.generation) + 1;
        // A slice keeps the full search's result and its faults (0: it is offered
        // only then).
        let (result, kept) = state.with_untracked(|s| (s.result.clone(), s.faults));
        state.set(Explore {
            generation,
            running: true,
            searched,
            faults: if slicing { kept } else { faults.get_untracked() },
            result: result.filter(|_| slicing),
            slicing,
            ..Explore::default()
        });
        // The old result is hidden at once (it is drawn again only when `redraw` flips).
        if !slicing {
            self.redraw.update(|r| *r = !*r);
        }
        leptos::task::spawn_local(spawn_worker(self, request, generation));
    }
}

const CANCEL: &str = "[data-testid=explore-cancel]";
const START: &str = "[data-testid=explore-start]";

#[component]
pub fn Explorer() -> impl IntoView {
    let a = expect_context::<Actions>();
    let state = RwSignal::new(Explore::default());
    let faults = RwSignal::new(0u8);
    let worker: StoredValue<Option<Worker>, LocalStorage> = StoredValue::new_local(None);
    let current = Memo::new(move |_| a.session.with(|s| link::setup_query(&s.run)));
    let panel = Panel {
        a,
        state,
        faults,
        worker,
        current,
        redraw: RwSignal::new(false),
    };
    let stop = move || panel.stop();
    let cancel = move || {
        stop();
        state.update(|s| {
            s.running = false;
            s.line.insert_str(0, "Cancelled. ");
        });
        // Cancel is disabled now: the focus goes back to Search (review 23, U4).
        browser::focus(START);
    };
    on_cleanup(stop);

    // `view=explore` in the address brings this panel into view.
    if link::pairs(&browser::query()).iter().any(|(k, v)| k == "view" && v == "explore") {
        request_animation_frame(|| {
            if let Some(el) = document().get_element_by_id("explore") {
                el.scroll_into_view();
            }
        });
    }

    // A result belongs to the setup it searched; another setup hides it. Tracked
    // through `redraw` and the setup only: the slice's progress must not redraw the
    // full model's result it was asked from.
    let shown = move || {
        panel.redraw.track();
        let current = current.get();
        state.with_untracked(|s| s.result.clone().filter(|_| s.searched == current))
    };
    let running = move || state.with(|s| s.running);
    // Written by the worker's reader (and "Cancelled. " before it by `cancel`).
    let progress_text = move || {
        state.with(|s| {
            if s.running && s.line.is_empty() {
                "Starting the search…".to_string()
            } else {
                s.line.clone()
            }
        })
    };

    view! {
        <section class="explore" id="explore" aria-labelledby="explore-title">
            <h2 id="explore-title">"Search every interleaving"</h2>
            <p class="explore-what">{move || state.with(|s| verdict::intro(s.result.as_ref().filter(|_| s.searched == current.get())))}</p>
            <div class="explore-controls">
                <label>
                    "Faults to place "
                    <input data-testid="explore-faults" type="number" min="0" max=MAX_FAULTS.to_string() step="1"
                        prop:value=move || faults.get().to_string()
                        // No `input` handler: setting the signal while the learner types
                        // rewrote the field under the caret, and Chrome moved the caret,
                        // so a typed "12" became "21" (review session 15). The number is
                        // read once, when the edit ends (blur, Enter or the arrows), which
                        // comes before a click on "Search every interleaving".
                        // When the edit ends, the box shows the number the search will
                        // use (a typed 5, -1 or 2.5 snaps back to it), and the note after
                        // it says so (X12; written in place: a signal and its view cost
                        // the page's first download more).
                        on:change=move |ev| {
                            let input = event_target::<web_sys::HtmlInputElement>(&ev);
                            let (n, note) = read_faults(&input.value(), faults.get_untracked());
                            faults.set(n);
                            input.set_value(&n.to_string());
                            if let Some(small) = input.next_element_sibling() {
                                small.set_text_content(note.as_deref());
                            }
                        } />
                    // Shown only with words in it (`.field-note:empty`).
                    <small class="field-note" role="status" data-testid="explore-faults-note"></small>
                </label>
                <button data-testid="explore-start" class="primary" disabled=running on:click=move |_| panel.start(false)>
                    "Search every interleaving"
                </button>
                <button data-testid="explore-cancel" disabled=move || !running() on:click=move |_| cancel()>
                    "Cancel"
                </button>
            </div>
            // Not a live region: it changes ten times a second (review 23, U4).
            <div data-testid="explore-progress" class="explore-progress"
                data-running=move || running().to_string()
                data-model=move || state.with(|s| if s.slicing { "slice" } else { "full" })
                data-states=move || state.with(|s| s.states.to_string())
                data-depth=move || state.with(|s| s.depth.to_string())
                // Only the search of the setup shown (review session 12, V15).
                hidden=move || state.with(|s| s.searched != current.get() || !s.running && s.line.is_empty())>
                // The phase's states of its bound (review 23, U3).
                // Named by the worker's reader (`label_bar`).
                <progress
                    max=move || state.with(|s| s.bar.1.to_string())
                    value=move || state.with(|s| s.bar.0.to_string())></progress>
                <span>{progress_text}</span>
            </div>
            <p class="explore-error" role="alert" hidden=move || state.with(|s| s.error.is_none())>
                {move || state.with(|s| s.error.clone().unwrap_or_default())}
            </p>
            // A polite live region, there before the result: the result is announced once,
            // when it is drawn (review 23, U4).
            <div class="explore-found" aria-live="polite">
                {move || shown().map(|found| {
                    let faults = state.with_untracked(|s| s.faults);
                    let scenario = a.session.with_untracked(|s| s.run.scenario.id);
                    Suspend::new(result_view(found, faults, scenario, panel))
                })}
            </div>
        </section>
    }
}
