//! "Search every interleaving": the exhaustive search of the loaded run's setup, in a
//! Web Worker started on first use (so the page's first download does not grow and
//! the page keeps answering), with its progress, its result and the shortest
//! counterexample per broken invariant, which plays as a branch of the step-by-step
//! view. Cancel terminates the worker at once. Where the full model stops at its bound
//! with `no-lost-event` unbroken, the result offers that invariant's search on the
//! ghost-reader slice (`sliced`), run by the same worker, shown below the full result.
use super::browser;
use super::session::Actions;
use super::{judged, placed, searching, sliced, verdict};
use crate::sim::codec;
use crate::sim::link;
use crate::sim::search::msg::{
    read_faults, slice_fits, Counterexample, Found, Phase, Reply, Request, MAX_FAULTS, MAX_STATES,
    SLICE_MAX_STATES,
};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// The worker's start script, as trunk names it, next to the page.
const WORKER_URL: &str = "explore_worker_loader.js";

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

/// Starts the search's worker for the search `generation` and reads its messages into
/// the panel. A split point (the `split` feature; see scripts/split.sh): the worker's
/// handling and the reading of its replies (`Reply::decode`, the counterexamples) are a
/// wasm chunk fetched on the first search, as the worker itself is. A search cancelled
/// or replaced before the chunk arrived starts no worker.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn spawn_worker(panel: Panel, request: String, generation: u32) {
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

const CANCEL: &str = "[data-testid=explore-cancel]";
const START: &str = "[data-testid=explore-start]";

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

/// What the search recognised a counterexample as, in words, with a link to the
/// scenario that teaches it unless it is the one loaded.
fn teaching(c: &Counterexample, scenario: &'static str) -> Option<impl IntoView> {
    let id = c.teaches.clone()?;
    let what = "It is the stale-set race: a read loaded an older value, and its set reached the cache after \
                a newer version was written, so the cache keeps the older one. ";
    // Named by its title, as everywhere else on the page (review session 12, V10).
    let title = crate::sim::scenarios::find(&id).map_or_else(|| id.clone(), |s| s.title.to_string());
    let link = (id != scenario).then(|| {
        view! {
            <a data-testid="explore-teaches" data-scenario=id.clone() href=format!("?scenario={id}")>
                {format!("The scenario that teaches it: {title}. ")}
            </a>
        }
    });
    Some(view! { <span class="explore-teaches">{what}{link}</span> })
}

/// Plays a counterexample as its own branch, off the scenario's own run (the first
/// run, recorded to its end first), named as the search's (review session 12, V12: it
/// extended whichever run was shown, and was called "the first run").
fn play(a: Actions, c: &Counterexample) {
    a.playing.set(false);
    a.session.update(|s| {
        let events = match codec::decode(&s.run, &c.code) {
            Ok(events) => events,
            Err(e) => {
                s.notice = Some(format!("The counterexample could not be read: {e}."));
                return;
            }
        };
        // Named with the faults it includes (review session 13, W12: "drop m8").
        let with = placed::of(&s.run, &events).with();
        let origin = if c.shortest {
            format!("search: the shortest break of {}{with}", c.invariant)
        } else {
            format!("search: a break of {} found depth first{with}", c.invariant)
        };
        if let Some(root) = s.run.branches().iter().find(|b| b.parent.is_none()) {
            let _ = s.run.switch(root.id);
        }
        s.run.run_to_end();
        s.run.seek(0);
        for e in events {
            if let Err(err) = s.run.fire(e) {
                s.notice = Some(format!("Not done: {err}."));
                return;
            }
        }
        let id = s.run.current_id();
        s.notice = None;
        if s.run.branches().iter().any(|b| b.current && b.parent.is_none()) {
            s.notice = Some("The search's run takes the first run's own steps: it is shown there.".into());
        } else if !s.origins.iter().any(|(b, _)| *b == id) {
            s.origins.push((id, origin));
        }
    });
    // Its last step told, where the learner reads it: the narration sits above the
    // explorer on a phone and below the fold at 1280x720 (review session 14, X10).
    browser::reveal(".narration");
}

/// The result panel. Only a learner whose search finishes needs it, so it is a split
/// point (the `split` feature; see scripts/split.sh): a wasm chunk fetched with the
/// first result.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn result_view(
    found: Found,
    faults: u8,
    scenario: &'static str,
    panel: Panel,
) -> AnyView {
    let (a, state) = (panel.a, panel.state);
    let text = verdict::summary(&found, faults, MAX_STATES);
    // The ghost-reader slice, offered where the full model stopped at its bound with
    // no-lost-event unbroken (`sliced::offer`), and what its search found.
    let (fits, others, checked) = a.session.with_untracked(|s| {
        let others: Vec<&str> = s.run.scenario.invariants.iter().map(|i| i.name()).filter(|n| *n != sliced::SLICED).collect();
        let checked = (s.run.scenario.id, s.run.fixes.ids()) == sliced::CHECKED;
        (slice_fits(&s.run), others, checked)
    });
    let broken_above: Vec<&str> = others.iter().copied().filter(|n| found.violations.iter().any(|v| v.invariant == *n)).collect();
    let offer = sliced::offer(&found, faults, fits).map(|words| {
        view! {
            <p class="explore-slice-offer">{words}" "
                <button data-testid="explore-slice-start" disabled=move || state.with(|s| s.running)
                    on:click=move |_| panel.start(true)>
                    "Prove no-lost-event on the ghost-reader slice"
                </button>
            </p>
        }
    });
    let slice_result = move || {
        state.with(|s| s.slice.clone()).map(|f| {
            view! {
                <p data-testid="explore-slice-result" class="explore-slice"
                    data-states=f.states.to_string() data-ends=f.ends.to_string()
                    data-complete=f.complete.to_string() data-violations=f.violations.len().to_string()>
                    {sliced::summary(&f, &others, &broken_above, checked)}
                </p>
            }
        })
    };
    let rows = found
        .violations
        .iter()
        .map(|c: &Counterexample| {
            let played = c.clone();
            // The scenario's own faults told apart from the search's (review session
            // 12, V9).
            // And what the run's own states show: a break before the search's
            // faults, a TTL past the horizon (review session 14, X6 and X7).
            let (faults_note, judged) = a.session.with_untracked(|s| {
                codec::decode(&s.run, &c.code).ok().map_or((None, Vec::new()), |events| {
                    let p = placed::of(&s.run, &events);
                    (p.note(), judged::notes(&s.run, &events, &c.invariant, &p))
                })
            });
            let judged = judged
                .into_iter()
                .map(|n| view! { <span data-testid="explore-judged">{" "}{n}</span> })
                .collect_view();
            view! {
                <li data-testid="explore-counterexample" data-invariant=c.invariant.clone()
                    data-steps=c.steps.to_string() data-shortest=c.shortest.to_string()>
                    <span>{verdict::counterexample_line(c)}</span>
                    {teaching(c, scenario)}
                    {faults_note}
                    {judged}
                    " "
                    <button data-testid="explore-play" aria-label=searching::play_label(c)
                        on:click=move |_| play(a, &played)>
                        "Play it as a branch"
                    </button>
                </li>
            }
        })
        .collect_view();
    // The result and its Play whole on screen, above a phone's sticky bar (X10).
    super::browser::reveal(".explore-result");
    view! {
        <div data-testid="explore-result" class="explore-result"
            data-states=found.states.to_string() data-ends=found.ends.to_string()
            data-complete=found.complete.to_string() data-violations=found.violations.len().to_string()>
            <p>{text}</p>
            <ul class="explore-counterexamples">{rows}</ul>
        </div>
        {offer}
        {slice_result}
    }
    .into_any()
}

