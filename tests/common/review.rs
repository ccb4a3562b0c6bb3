//! The review tests' runs: a page link, a fault fired as the next step, the run to its
//! end, and the words read at a step or at the end (review sessions 14 to 18). A test
//! takes it with `#[path = "common/review.rs"] mod review;` beside `mod common;`.
#![allow(dead_code)] // each test binary uses a part of it
use cachescope::sim::{Event, Fault, NodeId, Run};

use crate::common::at;

pub fn node(id: &str) -> NodeId {
    NodeId::parse(id).unwrap()
}

/// The run the link opens, its recorded future dropped, `fault` fired as the next step
/// and the run stepped to its end.
pub fn faulted(query: &str, fault: Fault) -> Run {
    let mut run = at(query);
    run.truncate_future();
    run.fire(Event::Fault(fault)).unwrap();
    run.run_to_end();
    run
}

/// The run's ending, as the page says it at its end.
pub fn ending(run: &Run) -> String {
    run.scenario.epilogue(run.world(), &run.fixes)
}

/// The run the link opens, stepped to its end as the story goes (no fault).
pub fn story(query: &str) -> Run {
    let mut run = at(query);
    run.run_to_end();
    run
}

/// The run the link opens, its recorded future dropped, `id` crashed as the next step,
/// `k` steps on, and `id` restarted; not ended.
pub fn crash_steps_restart(query: &str, id: NodeId, k: usize) -> Run {
    let mut run = at(query);
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(id))).unwrap();
    for _ in 0..k {
        assert!(run.forward(), "{query}: the run ended before the restart");
    }
    run.fire(Event::Fault(Fault::Restart(id))).unwrap();
    run
}

/// `crash_steps_restart` with one step between (review session 17's F2 and F4 runs).
pub fn crash_step_restart(query: &str, id: NodeId) -> Run {
    crash_steps_restart(query, id, 1)
}

/// Step `n`'s narration (1-based, as the page numbers them).
pub fn step(run: &Run, n: usize) -> &str {
    &run.records()[n - 1].narration
}

/// The run a share link replays, to its end (it must end).
pub fn played(query: &str) -> Run {
    let mut run = at(query);
    run.run_to_end();
    assert!(run.at_end(), "{query}");
    run
}

/// Step `n`'s (label, outcome), 1-based as the page numbers them.
pub fn label(run: &Run, n: usize) -> (&str, &str) {
    let r = &run.records()[n - 1];
    (r.label.as_str(), r.outcome.as_str())
}
