//! Schedulers: who picks the next event. One strategy per file; the schedule itself is
//! data (a seed and a list of choices), printable and replayable.
//!
//! Architecture Invariant: a scheduler only chooses among `World::enabled()`; it never
//! changes the world itself, so any strategy can be swapped for any other mid-run.
mod replay;
mod script;
mod seeded;

pub use replay::Replay;
pub use script::Script;
pub use seeded::Seeded;

use super::run::MAX_STEPS;
use super::world::{Event, StepRecord, World};

pub trait Scheduler {
    /// Picks one of `enabled` (never empty) at step `step` of `world`.
    fn choose(&mut self, world: &World, step: usize, enabled: &[Event]) -> Event;

    /// Whether `choose` always answers one of `enabled` (a seeded walk does): the run
    /// loop then need not look its choice up in the list again.
    fn picks_from_enabled(&self) -> bool {
        false
    }
}

/// Whether `choice` may fire: one of `enabled`, or a fault the world offers.
fn allowed(world: &World, scheduler: &dyn Scheduler, enabled: &[Event], choice: Event) -> bool {
    match choice {
        Event::Fault(_) => world.is_enabled(choice),
        _ => scheduler.picks_from_enabled() || enabled.contains(&choice),
    }
}

/// Runs `world` to its end under `scheduler`: a loop over `step`, at most `MAX_STEPS`.
pub fn run(world: &mut World, scheduler: &mut dyn Scheduler) -> Vec<StepRecord> {
    let mut records = Vec::new();
    while records.len() < MAX_STEPS {
        let enabled = world.enabled();
        if enabled.is_empty() {
            break;
        }
        let mut choice = scheduler.choose(world, records.len(), &enabled);
        // A fault is never in `enabled` (it never keeps a run going), but a scheduler
        // may inject one that `faults` offers.
        if !allowed(world, scheduler, &enabled, choice) {
            // A scheduler that names a disabled event gets the earliest instead: the
            // loop must always make progress.
            choice = enabled[0];
        }
        // Checked above against this state's lists: no need to compute them again.
        match world.step_unchecked(choice) {
            Ok(record) => records.push(record),
            Err(_) => break,
        }
    }
    records
}

/// `run` in quiet mode, with no observer: the same choices and the same end state,
/// with no text built and nothing recorded; returns how many steps fired.
pub fn run_quiet(world: &mut World, scheduler: &mut dyn Scheduler) -> usize {
    let mut steps = 0;
    // The enabled list's buffers, kept between steps: a quiet run allocates for them once.
    let (mut keyed, mut enabled) = (Vec::new(), Vec::new());
    while steps < MAX_STEPS {
        world.enabled_into(&mut keyed, &mut enabled);
        if enabled.is_empty() {
            break;
        }
        let mut choice = scheduler.choose(world, steps, &enabled);
        if !allowed(world, scheduler, &enabled, choice) {
            choice = enabled[0];
        }
        if world.step_quiet(choice).is_err() {
            break;
        }
        steps += 1;
    }
    steps
}
