//! Generated runs for the tests: random interleavings with random faults mixed in.
#![allow(dead_code)]
use cachescope::sim::rng::Rng;
use cachescope::sim::{Fixes, Run, Scenario};

/// A random run: random interleavings (like `sched::Seeded`) with, now and then, a
/// random fault from `World::faults`, up to `max` steps.
pub fn random_run(s: &'static Scenario, fixes: Fixes, seed: u64, max: usize) -> Run {
    let mut rng = Rng::new(seed);
    let mut run = Run::with_default_seed(s, fixes);
    while run.cursor() < max {
        let w = run.world();
        let enabled = w.enabled();
        let faults = w.faults();
        let pick = if !faults.is_empty() && (enabled.is_empty() || rng.below(8) == 0) {
            if enabled.is_empty() && rng.below(3) > 0 {
                break;
            }
            faults[rng.below(faults.len() as u64) as usize]
        } else if enabled.is_empty() {
            break;
        } else if rng.below(3) == 0 {
            match run.next_event() {
                Some(e) => e,
                None => break,
            }
        } else {
            enabled[rng.below(enabled.len() as u64) as usize]
        };
        run.fire(pick).expect("a listed event fires");
    }
    run
}
