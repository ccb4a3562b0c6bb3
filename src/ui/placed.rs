//! The faults a search's run includes, told apart as the scenario's own (its story
//! injects the same fault) or placed by the search, in words for the explorer's card
//! and the run's branch label (review session 12, V9; session 13, W12).
//!
//! A fault is the story's own when the scenario's own run injects one of the same
//! shape (the fault and its node, or the fault and the kind of message on its
//! connection: ids differ between runs), as often as the story does; the search counts
//! them the same way (`sim::search`'s fault budget). A recovery the search places free
//! (`search::is_free`: a restart, resume or heal that nothing in the model would bring
//! about otherwise) counts toward no budget, and is said so, not called a fault the
//! search placed (review 23, S2). Native: `cargo test` checks it.
use crate::sim::fault::Struck;
use crate::sim::search::is_free;
use crate::sim::{Event, Fault, Run, World};

/// The faults of a run, in the order it injects them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    /// The scenario's own faults (its story injects them too).
    pub own: Vec<Fault>,
    /// The faults the search placed, each counted toward the faults asked for.
    pub search: Vec<Fault>,
    /// The step each of `search` is, as the page numbers steps (the first event is
    /// step 1), in the same order.
    pub search_steps: Vec<usize>,
    /// The recoveries the search placed free (`search::is_free`), counted toward no
    /// budget.
    pub free: Vec<Fault>,
    /// The step each of `free` is, in the same order.
    pub free_steps: Vec<usize>,
}

/// A fault as a story uses it, without the ids that differ between runs.
fn shape(w: &World, f: Fault) -> String {
    match f.struck() {
        Struck::Message(id) => match w.net.iter().find(|m| m.id == id) {
            Some(m) => format!("{} {}>{} {}", f.name(), m.from, m.to, m.payload.kind()),
            None => f.to_string(),
        },
        _ => f.to_string(),
    }
}

/// The faults of the run of `events` from the start of a run like `run` (its
/// scenario, fixes and seed); the events the run cannot fire end it.
pub fn of(run: &Run, events: &[Event]) -> Placed {
    let mut story = run.rebuilt(run.fixes.clone(), run.seed);
    story.run_to_end();
    let mut left: Vec<String> = story
        .all_records()
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some(shape(story.state(i)?, r.event.fault()?)))
        .collect();
    let mut replay = run.rebuilt(run.fixes.clone(), run.seed);
    let mut out = Placed::default();
    for (step, &e) in (1..).zip(events) {
        if let Some(f) = e.fault() {
            let s = shape(replay.world(), f);
            match left.iter().position(|x| *x == s) {
                Some(i) => {
                    left.remove(i);
                    out.own.push(f);
                }
                None if is_free(replay.world(), f) => {
                    out.free.push(f);
                    out.free_steps.push(step);
                }
                None => {
                    out.search.push(f);
                    out.search_steps.push(step);
                }
            }
        }
        if replay.fire_untold(e).is_err() {
            break;
        }
    }
    out
}

fn listed(faults: &[Fault], words: impl Fn(&Fault) -> String) -> String {
    faults.iter().map(words).collect::<Vec<_>>().join(", ")
}

impl Placed {
    /// The scenario's own faults, as a story tells them: `crash of service`.
    fn own_words(&self) -> String {
        listed(&self.own, |f| format!("{} of {}", f.name(), f.target()))
    }

    /// The card's sentence: "This run includes the scenario's own crash of service."
    /// / "… a fault the search placed: drop m8." / "… and a recovery the search placed
    /// free …: restart service."; `None` for a run of timing alone.
    pub fn note(&self) -> Option<String> {
        let own =
            (!self.own.is_empty()).then(|| format!("the scenario's own {}", self.own_words()));
        let search = match self.search.len() {
            0 => None,
            1 => Some(format!("a fault the search placed: {}", self.search[0])),
            n => Some(format!(
                "{n} faults the search placed: {}",
                listed(&self.search, Fault::to_string)
            )),
        };
        let free =
            match self.free.len() {
                0 => None,
                n => Some(format!(
                "{} the search placed free, counted toward no fault (nothing else in the model \
                 would bring {} about): {}",
                if n == 1 { "a recovery".to_string() } else { format!("{n} recoveries") },
                if n == 1 { "it" } else { "them" },
                listed(&self.free, Fault::to_string)
            )),
            };
        let parts: Vec<String> = own.into_iter().chain(search).chain(free).collect();
        (!parts.is_empty()).then(|| format!("This run includes {}.", parts.join(", and ")))
    }

    /// The branch label's words for them: "with drop m8", "with the scenario's own
    /// crash of service", "with crash service, restart service (free)"; empty for a
    /// run of timing alone.
    pub fn with(&self) -> String {
        let mut parts = Vec::new();
        let placed: Vec<String> = self
            .search
            .iter()
            .map(Fault::to_string)
            .chain(self.free.iter().map(|f| format!("{f} (free)")))
            .collect();
        if !placed.is_empty() {
            parts.push(placed.join(", "));
        }
        if !self.own.is_empty() {
            parts.push(format!("the scenario's own {}", self.own_words()));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(", with {}", parts.join(" and "))
        }
    }
}
