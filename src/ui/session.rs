//! The page's one piece of state, a `Run` and the errors of the link that made it, and
//! the actions every control and shortcut goes through.
use super::browser;
use super::{DEFAULT_SPEED, SPEEDS_PER_S};
use crate::sim::codec::{self, CodecError, ErrorKind};
use crate::sim::link::{self, LoadError};
use crate::sim::narrate;
use crate::sim::scenario::code as scenario_code;
use crate::sim::notes::Notes;
use crate::sim::sandbox::{SandboxSpec, SpecError};
use crate::sim::tree::Tree;
use super::chapters::Ahead;
use crate::sim::{scenarios, Fixes, Run, Scenario};
use gloo_timers::callback::Interval;
use leptos::prelude::*;

/// The runs the learner has made of one scenario (a tree of branches; `run` derefs to
/// the branch shown), and what went wrong loading them.
pub struct Session {
    pub run: Tree,
    /// What the link held that could not be used.
    pub errors: Vec<LoadError>,
    /// What was wrong with the last imported file.
    pub import_error: Option<String>,
    /// A refused action, in words (e.g. the branch limit).
    pub notice: Option<String>,
    /// The learner's notes on the run's steps (`notes.rs`); they travel in the link.
    pub notes: Notes,
    /// Where a branch came from when not from the learner's choice: the search's
    /// counterexamples played as branches (`explore::play`), by branch id.
    pub origins: Vec<(crate::sim::tree::BranchId, String)>,
}

thread_local! {
    /// The scenario codes (`s=`) read so far, and what each held: a link's scenario is
    /// read once, before the session is built from it (`prepare`).
    static READ_CODES: std::cell::RefCell<Vec<(String, Result<&'static Scenario, CodecError>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// The sandbox codes (`sb=`) read so far, and what each held (as `READ_CODES`).
    static READ_SANDBOX: std::cell::RefCell<Vec<(String, Result<SandboxSpec, SpecError>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads a scenario code. A split point (the `split` feature; see scripts/split.sh):
/// the JSON reader of scenario files is in a wasm chunk, fetched only for a link that
/// carries a scenario of the learner's (`s=`), or when a file is opened.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn read_scenario_code(code: String) -> Result<&'static Scenario, CodecError> {
    scenario_code::decode_scenario(&code)
}

/// Reads a sandbox code. A split point (the `split` feature): its reader (every
/// message naming the character at fault) is a wasm chunk, fetched only for a link
/// that carries a sandbox (`sb=`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn read_sandbox_code(code: String) -> Result<SandboxSpec, SpecError> {
    SandboxSpec::parse(&code)
}

/// The catalog's words (summaries, cards, what the fixes do and cost: a third of the
/// catalog's bytes), the learning path's (where each pattern is used: `path::USED`)
/// and the narration of the steps (`sim::narrate`, the largest part of the step's
/// code). A split point (the `split` feature): the page shows ids and titles at once
/// and these as soon as their chunk is there (`Actions::words`), saying
/// `scenarios::LOADING` in their place until then (and `narrate::PENDING` for a step
/// taken before: `Run::narrate_pending` tells it then).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn load_words() -> (Words, narrate::Narrator) {
    (
        (scenarios::baked_words(), &super::path::USED[..], super::path::body as fn() -> String),
        narrate::baked(),
    )
}

/// The catalog's words, the learning path's and the path's markup (`path::body`).
type Words = (&'static [scenarios::Words], &'static [&'static str], fn() -> String);

/// The catalog's words and the narration, loaded if they are not there yet (what
/// writes a catalog scenario's file waits for them: `ScenarioFile::of`).
pub async fn words_ready() {
    if !scenarios::words_loaded() || !narrate::ready() {
        let ((catalog, used, body), narrator) = load_words().await;
        scenarios::install_words(catalog);
        super::path::install_words(used, body);
        narrate::install(narrator);
    }
}

/// The scenario code of `query` (`s=`), if it has one not read yet.
fn unread_scenario_code(query: &str) -> Option<String> {
    link::scenario_code_of(query)
        .filter(|code| READ_CODES.with_borrow(|r| r.iter().all(|(c, _)| c != code)))
}

/// The sandbox code of `query` (`sb=`), if it has one not read yet.
fn unread_sandbox_code(query: &str) -> Option<String> {
    link::sandbox_code_of(query)
        .filter(|code| READ_SANDBOX.with_borrow(|r| r.iter().all(|(c, _)| c != code)))
}

/// Whether `query` carries a scenario or sandbox code not read yet (then `prepare` it
/// first).
pub fn needs_prepare(query: &str) -> bool {
    unread_scenario_code(query).is_some() || unread_sandbox_code(query).is_some()
}

/// Reads the scenario and sandbox codes of `query` not read yet, so that
/// `Session::from_query` finds them.
pub async fn prepare(query: &str) {
    if let Some(code) = unread_scenario_code(query) {
        let read = read_scenario_code(code.clone()).await;
        READ_CODES.with_borrow_mut(|r| r.push((code, read)));
    }
    if let Some(code) = unread_sandbox_code(query) {
        let read = read_sandbox_code(code.clone()).await;
        READ_SANDBOX.with_borrow_mut(|r| r.push((code, read)));
    }
}

impl Session {
    /// The session a query describes. Its scenario code, if any, was read by `prepare`.
    pub fn from_query(query: &str) -> Session {
        let read = |code: &str| {
            READ_CODES.with_borrow(|r| {
                r.iter().find(|(c, _)| c == code).map(|(_, s)| s.clone())
            })
            .unwrap_or_else(|| {
                Err(codec::error(
                    ErrorKind::Syntax,
                    "scenario code",
                    "not read yet (reload the page)",
                ))
            })
        };
        let sandbox = |code: &str| {
            READ_SANDBOX
                .with_borrow(|r| r.iter().find(|(c, _)| c == code).map(|(_, s)| s.clone()))
                .unwrap_or_else(|| {
                    Err(SpecError {
                        at: 0,
                        reason: "not read yet (reload the page)".into(),
                    })
                })
        };
        let loaded = link::load_with(query, &read, &sandbox);
        let mut s = Session::of(loaded.run, loaded.errors);
        s.notes = loaded.notes;
        s
    }

    pub fn of(run: Run, errors: Vec<LoadError>) -> Session {
        Session {
            run: Tree::new(run),
            errors,
            import_error: None,
            notice: None,
            notes: Notes::new(),
            origins: Vec::new(),
        }
    }
}

/// Whether the copy `p` was made of the same scenario, fixes, seed and sandbox as `run`
/// (its choices alone could match another setup's).
fn same_setup(p: &Ahead, run: &Run) -> bool {
    p.setup == Ahead::setup_of(run)
}

#[derive(Clone, Copy)]
pub struct Actions {
    pub session: RwSignal<Session>,
    pub playing: RwSignal<bool>,
    /// Index into `SPEEDS_PER_S`.
    pub speed: RwSignal<usize>,
    /// The message a "what can happen next" entry points at, highlighted in the diagram.
    pub hovered: RwSignal<Option<String>>,
    /// The run as far as it goes (a copy run ahead): its length and its chapters.
    pub ahead: Memo<Ahead>,
    /// Whether the catalog's words and the narration are there (`load_words`): what
    /// shows them reads this, so that it is drawn again when they arrive.
    pub words: RwSignal<bool>,
    timer: StoredValue<Option<Interval>, LocalStorage>,
}

impl Actions {
    pub fn new(session: RwSignal<Session>) -> Actions {
        // A new copy only when the run's recorded choices leave the copy's path (a
        // choice, a fix, another scenario): stepping along it reuses the copy.
        let words = RwSignal::new(scenarios::words_loaded() && narrate::ready());
        // A copy made before the narration was loaded is made again once it is (its
        // chapters' sentences: `Ahead::told`).
        let ahead = Memo::new(move |prev: Option<&Ahead>| {
            let told = words.get();
            session.with(|s| match prev {
                Some(p) if p.still_fits(&s.run) && same_setup(p, &s.run) && (p.told || !told) => p.clone(),
                _ => Ahead::of(&s.run),
            })
        });
        let actions = Actions {
            session,
            playing: RwSignal::new(false),
            speed: RwSignal::new(DEFAULT_SPEED),
            hovered: RwSignal::new(None),
            ahead,
            words,
            timer: StoredValue::new_local(None),
        };
        // Restart the ticker whenever play starts or the speed changes.
        Effect::new(move |_| {
            let playing = actions.playing.get();
            let speed = actions.speed.get();
            actions.timer.set_value(None);
            if playing {
                let per_s = SPEEDS_PER_S[speed.min(SPEEDS_PER_S.len() - 1)];
                let tick = Interval::new(1000 / per_s, move || {
                    if !actions.forward() {
                        actions.playing.set(false);
                    }
                });
                actions.timer.set_value(Some(tick));
            }
        });
        actions
    }

    /// Loads the catalog's words and the narration (`load_words`), once, after the
    /// first paint.
    pub fn load_words(self) {
        if self.words.get_untracked() {
            return;
        }
        leptos::task::spawn_local(async move {
            words_ready().await;
            // The steps taken before the narration was there are told now.
            let pending = self.session.with_untracked(|s| s.run.all_records().iter().any(|r| !r.narrated));
            if pending {
                self.session.update(|s| {
                    s.run.narrate_pending();
                });
            }
            self.words.set(true);
        });
    }

    pub fn forward(self) -> bool {
        let mut moved = false;
        self.session.update(|s| moved = s.run.forward());
        moved
    }

    /// Fires a chosen event (or fault) at the cursor. A choice that differs from the
    /// recorded future starts a new branch; the old one is kept.
    pub fn fire(self, event: crate::sim::Event) {
        self.playing.set(false);
        self.hovered.set(None);
        self.session.update(|s| {
            s.notice = s.run.fire(event).err().map(|e| format!("Not done: {e}."));
        });
    }

    pub fn switch_branch(self, id: crate::sim::tree::BranchId) {
        self.playing.set(false);
        self.session.update(|s| {
            s.notice = s.run.switch(id).err().map(|e| format!("Not done: {e}."));
        });
    }

    pub fn delete_branch(self, id: crate::sim::tree::BranchId) {
        self.session.update(|s| {
            s.notice = s.run.delete(id).err().map(|e| format!("Not done: {e}."));
        });
    }

    /// Replaces the whole session with a run loaded from a file or the sandbox builder.
    pub fn replace(self, run: Run) {
        self.playing.set(false);
        self.session.update(|s| {
            *s = Session::of(run, Vec::new());
        });
        self.push_url();
    }

    pub fn back(self) {
        self.playing.set(false);
        self.session.update(|s| {
            s.run.back();
        });
    }

    pub fn reset(self) {
        self.playing.set(false);
        self.session.update(|s| s.run.reset());
    }

    pub fn run_to_end(self) {
        self.playing.set(false);
        self.session.update(|s| s.run.run_to_end());
    }

    pub fn seek(self, step: usize) {
        self.playing.set(false);
        self.session.update(|s| {
            s.run.seek(step);
        });
    }

    /// Play or pause. At the end, Play is labelled "Replay" and starts again from
    /// step 0 (it says so; it does not restart silently).
    pub fn toggle_play(self) {
        let at_end = self.session.with_untracked(|s| s.run.at_end());
        if !self.playing.get_untracked() && at_end {
            self.session.update(|s| s.run.reset());
        }
        self.playing.update(|p| *p = !*p);
    }

    /// A fix changes the run from the start.
    pub fn toggle_fix(self, id: &str) {
        self.playing.set(false);
        self.session.update(|s| {
            let fixes = s.run.fixes.toggled(s.run.scenario, id);
            s.run = Tree::new(s.run.rebuilt(fixes, s.run.seed));
            s.origins.clear();
        });
        self.push_url();
    }

    pub fn load_scenario(self, id: &str) {
        let Some(scenario) = scenarios::find(id) else {
            return;
        };
        self.playing.set(false);
        self.session.update(|s| {
            *s = Session::of(Run::with_default_seed(scenario, Fixes::none()), Vec::new())
        });
        self.push_url();
    }

    /// The link to the exact moment shown.
    pub fn share_query(self) -> String {
        self.session.with(|s| link::query_with_notes(&s.run, &s.notes))
    }

    fn push_url(self) {
        let query = self.session.with_untracked(|s| link::setup_query(&s.run));
        browser::set_query(&query, false);
    }

    /// → ← space r e Home End, only when no control has the focus: a focused button
    /// takes Space and Enter itself (the browser presses it), a slider and a field
    /// their arrows. Escape leaves the focused control, so the shortcuts apply again.
    /// → ← Home End also step from any button, which has no use for them: a fault's
    /// list keeps the focus when redrawn (a neighbouring fault), and a teacher steps
    /// on from there (review session 13, W11); so from the explorer's Play after a
    /// counterexample plays (session 14, X11).
    pub fn install_keyboard(self) {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
                return;
            }
            let steps = matches!(ev.key().as_str(), "ArrowRight" | "ArrowLeft" | "Home" | "End");
            if browser::control_has_focus() && !(steps && browser::focus_on_button()) {
                if ev.key() == "Escape" {
                    browser::blur_focus();
                }
                return;
            }
            let handled = match ev.key().as_str() {
                "ArrowRight" => {
                    self.playing.set(false);
                    self.forward();
                    true
                }
                "ArrowLeft" => {
                    self.back();
                    true
                }
                " " => {
                    self.toggle_play();
                    true
                }
                "r" | "R" | "Home" => {
                    self.reset();
                    true
                }
                "e" | "E" | "End" => {
                    self.run_to_end();
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
            }
        });
        on_cleanup(move || handle.remove());
    }

    /// The browser's back button returns to the scenario of the previous entry, at the
    /// moment it was left: the address follows the moment shown, as the share link
    /// does (a reload keeps it), replaced in place (a step makes no history entry), and
    /// not while playing (a browser limits how often a page may change its address:
    /// Safari throws after 100 changes in 30 s).
    /// (The share link's `href` writes it: `controls::Controls`.)
    pub fn install_history(self) {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            self.playing.set(false);
            let query = browser::query();
            if needs_prepare(&query) {
                leptos::task::spawn_local(async move {
                    prepare(&query).await;
                    self.session.set(Session::from_query(&query));
                });
            } else {
                self.session.set(Session::from_query(&query));
            }
        });
        on_cleanup(move || handle.remove());
    }
}
