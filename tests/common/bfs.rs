//! A plain breadth-first search over every interleaving of a world's enabled events
//! (faults are not explored), counting distinct canonical states by fingerprint. The
//! real search (issue 10) lives in `src/sim/search/`; this one pins counts for tests
//! and prints them in `examples/states.rs`.
use cachescope::sim::{Invariant, World};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Distinct canonical states reached, the start included.
    pub states: usize,
    /// Distinct states where nothing is enabled: the ends of runs.
    pub ends: usize,
    /// Of those ends, how many break one of the given invariants.
    pub bad_ends: usize,
    /// Transitions taken (one per enabled event of each distinct state).
    pub edges: u64,
    /// The deepest level reached.
    pub depth: usize,
    /// False if the search stopped at `max_states`.
    pub complete: bool,
}

/// Explores from `start`, level by level, until nothing new is reached or
/// `max_states` distinct states are seen (the bound on the loop and on memory). Each
/// level is bounded too: a run has at most `MAX_STEPS` steps.
pub fn bfs(start: World, invariants: &[Invariant], max_states: usize) -> Counts {
    let mut counts = Counts {
        complete: true,
        ..Counts::default()
    };
    let mut seen: HashSet<u64> = HashSet::new();
    seen.insert(start.fingerprint());
    let mut level = vec![start];
    while !level.is_empty() && counts.depth <= cachescope::sim::run::MAX_STEPS {
        let mut next = Vec::new();
        for world in &level {
            let enabled = world.enabled();
            if enabled.is_empty() {
                counts.ends += 1;
                if invariants.iter().any(|i| i.check(world).is_err()) {
                    counts.bad_ends += 1;
                }
                continue;
            }
            for event in enabled {
                counts.edges += 1;
                let mut after = world.clone();
                after.step_unchecked(event).expect("an enabled event fires");
                if seen.insert(after.fingerprint()) {
                    if seen.len() > max_states {
                        counts.complete = false;
                        counts.states = seen.len();
                        return counts;
                    }
                    next.push(after);
                }
            }
        }
        level = next;
        if !level.is_empty() {
            counts.depth += 1;
        }
    }
    counts.states = seen.len();
    counts
}
