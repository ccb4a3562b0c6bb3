//! The explorer's words while a search runs and when one stops without a result
//! (review 23: S5, U3, U4): the phase under way and what its bar measures, why a
//! search stopped, and each Play button's accessible name. Native, so that
//! `tests/searching_words.rs` reads them; the page calls them from the worker's reader,
//! a split chunk (`explore::spawn_worker`), and the result panel's.
use super::verdict::grouped;
use crate::sim::link;
use crate::sim::search::msg::{Counterexample, Phase};

/// The phase's name, as the progress line starts.
pub fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Shifted => "Breadth first",
        Phase::Absolute => "Breadth first again, in absolute time",
        // Not "depth first": the phase starts with held runs (`search::held`), and
        // may not go depth first at all (review 27's leftover).
        Phase::Deep => "Past the bound",
    }
}

/// ", N states/s" for `states` in `ms`; nothing under a tenth of a second, where a
/// millisecond's rounding is the whole figure (review 28: 311 states in 1 ms read
/// "311,000 states/s").
fn rate(states: usize, ms: u64) -> String {
    if ms < 100 {
        return String::new();
    }
    format!(
        ", {} states/s",
        grouped((states as u64 * 1000 / ms) as usize)
    )
}

/// Why a phase after the first began: its count starts over. `bound`, the bound on
/// states of the breadth-first phase before a depth-first one.
fn why(phase: Phase, bound: usize) -> String {
    match phase {
        Phase::Shifted => String::new(),
        Phase::Absolute => " (a new phase: states shifted in time cannot be taken as one here, \
                             since the horizon falls between them, so the search started over)"
            .to_string(),
        Phase::Deep => format!(
            " (a new phase: breadth first stopped at its bound of {} distinct states, so the \
             search follows runs to their end)",
            grouped(bound)
        ),
    }
}

/// A search under way, in one line: its phase (and, for a later one, why it began
/// its count starts over), the phase's distinct
/// states of its bound, its depth, and its rate since the phase began.
/// `bound` is the phase before's bound on states (0 for the first).
pub fn line(
    phase: Phase,
    bound: usize,
    states: usize,
    max: usize,
    depth: usize,
    ms: u64,
) -> String {
    format!(
        "{}{}: {} distinct states of at most {}, depth {depth}{}",
        phase_name(phase),
        why(phase, bound),
        grouped(states),
        grouped(max),
        rate(states, ms)
    )
}

/// The progress bar's accessible name: what it measures.
pub fn bar_label(phase: Phase, max: usize) -> String {
    format!(
        "Distinct states found {}, of at most {}",
        match phase {
            Phase::Shifted => "breadth first",
            Phase::Absolute => "breadth first in absolute time",
            Phase::Deep => "past the bound",
        },
        grouped(max)
    )
}

/// A finished search's line: its states, depth and time (the result says the rest).
pub fn done_line(states: usize, depth: usize, ms: u64) -> String {
    format!(
        "{} distinct states, depth {depth}{}",
        grouped(states),
        rate(states, ms)
    )
}

/// Why a search stopped when the run shown changed under it (review 23, S5: it said
/// "Cancelled.", as if the learner had cancelled it): what differs between the setup
/// it searched and the one shown (`link::setup_query`s).
pub fn stopped(searched: &str, current: &str) -> String {
    let (a, b) = (link::pairs(searched), link::pairs(current));
    let get = |p: &[(String, String)], k: &str| {
        p.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
    };
    let differs = |k: &str| get(&a, k) != get(&b, k);
    let what = if differs("scenario") || differs("s") {
        "another scenario is open"
    } else if differs("sb") {
        "the sandbox's parts changed"
    } else if differs("fix") {
        "the fixes changed"
    } else if differs("seed") {
        "the seed changed"
    } else {
        "the run changed"
    };
    format!(
        "Stopped: {what}, so this search no longer matches the run. Search again to search \
         the run shown."
    )
}

/// A Play button's accessible name: its visible words first (what a voice user says),
/// then which run it plays (review 23, U4: every one was "Play it as a branch").
pub fn play_label(c: &Counterexample) -> String {
    format!(
        "Play it as a branch: {} that breaks {}",
        if c.tied {
            "a shortest run"
        } else if c.shortest {
            "the shortest run"
        } else {
            super::verdict::deep_run(c.part)
        },
        c.invariant
    )
}
