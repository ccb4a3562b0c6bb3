//! The side-by-side check along random runs (`sample_ghost_slice`): the same steps
//! as the exhaustive check (`Checker::step`), followed along runs of the full model
//! drawn at random instead of over every run.
//!
//! Why: the exhaustive check of `dual-write-crash` with `outbox` cannot complete (the
//! full model has more than 23 million states at depth 33, and its runs go to depth
//! 59), so it is cut at a depth, and the runs longer than that rest on `ghost.rs`'s
//! argument alone. A sample reaches runs of every length, to their ends; it shows
//! nothing of the runs it did not draw, so it complements the exhaustive check and
//! does not replace it.
//!
//! Each run draws how rarely it places a fault (swarm testing: `FAULT_ODDS`), then its
//! events; a run is drawn from SplitMix64 (`Rng`) seeded with `seed + i` for the `i`th run, so
//! any one run can be drawn again alone; where the slice does not follow, the error
//! names the run's seed and its events in order (a schedule, printable and replayable
//! through `WorldModel::next`).
use super::{Checker, Pair};
use crate::sim::rng::Rng;
use crate::sim::search::model::Model;
use crate::sim::world::Event;

/// What the sampled check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceSample {
    /// Runs drawn and followed.
    pub runs: usize,
    /// The full model's steps checked, over every run.
    pub steps: usize,
    /// Runs followed to their end (no event enabled); the others were cut at
    /// `max_steps`.
    pub ends: usize,
    /// The longest run followed (the full model's steps).
    pub longest: usize,
    /// How many runs were of each length: `lengths[n]` runs of `n` steps.
    pub lengths: Vec<usize>,
    /// The most the full model's `now` was ahead of the slice's (ms), as
    /// `SliceCheck::gap_ms`.
    pub gap_ms: u64,
    /// The first step where the slice does not follow, in words, with its run's seed
    /// and events.
    pub error: Option<String>,
}

impl SliceSample {
    pub(super) fn failed(error: String) -> SliceSample {
        SliceSample {
            runs: 0,
            steps: 0,
            ends: 0,
            longest: 0,
            lengths: Vec::new(),
            gap_ms: 0,
            error: Some(error),
        }
    }
}

/// Swarm testing (Groce et al., ISSTA 2012): each run draws how rarely it places a
/// fault, so some runs crash early and often and others run long with few crashes:
/// a fault is drawn with odds of one in this many where faults and other events are
/// both enabled (1: every listed event alike).
const FAULT_ODDS: [u64; 6] = [1, 2, 4, 8, 16, 64];

/// The index of the event to take among `actions` (not empty): a fault with odds of
/// one in `odds` where there are both kinds, each of its kind alike.
fn draw(actions: &[Event], odds: u64, rng: &mut Rng) -> usize {
    let faults = actions
        .iter()
        .filter(|e| matches!(e, Event::Fault(_)))
        .count();
    let others = actions.len() - faults;
    if odds == 1 || faults == 0 || others == 0 {
        return rng.below(actions.len() as u64) as usize;
    }
    let fault = rng.below(odds) == 0;
    let (n, nth) = if fault {
        (faults, rng.below(faults as u64) as usize)
    } else {
        (others, rng.below(others as u64) as usize)
    };
    debug_assert!(nth < n);
    actions
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Fault(_)) == fault)
        .nth(nth)
        .map_or(0, |(i, _)| i)
}

/// Follows `runs` random runs from `start` (at most `max_steps` steps each), stopping
/// at the first step the slice does not follow.
pub(super) fn sample(
    c: &Checker,
    start: &Pair,
    runs: usize,
    seed: u64,
    max_steps: usize,
) -> SliceSample {
    let mut out = SliceSample::failed(String::new());
    out.error = None;
    let mut actions = Vec::new();
    let mut events: Vec<Event> = Vec::with_capacity(64);
    for i in 0..runs {
        let run_seed = seed.wrapping_add(i as u64);
        let mut rng = Rng::new(run_seed);
        let odds = FAULT_ODDS[rng.below(FAULT_ODDS.len() as u64) as usize];
        let mut p = start.clone();
        events.clear();
        let ended = loop {
            let gap = p.full.world.now_ms.saturating_sub(p.slice.world.now_ms);
            out.gap_ms = out.gap_ms.max(gap);
            if events.len() >= max_steps {
                break false;
            }
            c.full.actions(&p.full, &mut actions);
            // An action listed but not enabled after all (`Model::next`'s `None`) is
            // left out and another drawn.
            let stepped = loop {
                if actions.is_empty() {
                    break None;
                }
                let k = draw(&actions, odds, &mut rng);
                let e = actions.swap_remove(k);
                if let Some(after) = c.full.next(&p.full, e) {
                    break Some((e, after));
                }
            };
            let Some((e, after)) = stepped else {
                break true;
            };
            events.push(e);
            out.steps += 1;
            match c.step(&p, e, after) {
                Ok(q) => p = q,
                Err(err) => {
                    let schedule: Vec<String> = events.iter().map(|e| e.to_string()).collect();
                    out.runs = i + 1;
                    out.error = Some(format!(
                        "run {i} (seed {run_seed}), step {} ({e} at {}): {err}; its events: {}",
                        events.len(),
                        super::clock(&p),
                        schedule.join(", ")
                    ));
                    return out;
                }
            }
        };
        out.runs = i + 1;
        out.ends += usize::from(ended);
        out.longest = out.longest.max(events.len());
        if out.lengths.len() <= events.len() {
            out.lengths.resize(events.len() + 1, 0);
        }
        out.lengths[events.len()] += 1;
    }
    out
}
