//! The result's count of end states that break each invariant (`Found::broken_ends`,
//! review session 28: "Broken in at least 1 of the N end states" said less than the
//! search knew) agrees with a plain breadth-first enumeration of every interleaving
//! (`common/bfs.rs`: no reduction, absolute time, its own judging of each end state)
//! on scenarios whose search places no fault, and the page says those counts.
use cachescope::sim::{scenarios, Fixes, Invariant, Run, World};
use std::collections::HashSet;

mod common;

/// Every interleaving from `start` in absolute time (no reduction), each distinct world
/// expanded once: the end states (nothing enabled) as the page's search counts them,
/// one for all that differ only by a shift of every time (`World::fingerprint_shifted`),
/// and, per invariant, those of them that break it.
fn plain_ends(start: World, invariants: &[Invariant]) -> (usize, Vec<usize>) {
    let mut seen = HashSet::from([start.fingerprint()]);
    let mut stack = vec![start];
    let mut ends = HashSet::new();
    let mut broken = vec![HashSet::new(); invariants.len()];
    // Bounded: these scenarios have a few thousand worlds.
    while let Some(world) = stack.pop() {
        assert!(seen.len() < 2_000_000, "a small scenario");
        let enabled = world.enabled();
        if enabled.is_empty() {
            let end = world.fingerprint_shifted().expect("no XFetch here");
            ends.insert(end);
            for (i, inv) in invariants.iter().enumerate() {
                if inv.check(&world).is_err() {
                    broken[i].insert(end);
                }
            }
        }
        for event in enabled {
            let mut after = world.clone();
            after.step_unchecked(event).expect("an enabled event fires");
            if seen.insert(after.fingerprint()) {
                stack.push(after);
            }
        }
    }
    (ends.len(), broken.iter().map(HashSet::len).collect())
}

/// (scenario, fixes): small searches with no story fault, each complete.
const CASES: &[(&str, &[&str])] = &[
    ("stale-set-race", &[]),
    ("stale-set-race", &["lease"]),
    ("cache-aside-write", &[]),
    ("delete-before-update-race", &[]),
    ("delete-before-update-race", &["update-then-delete"]),
    ("write-through-race", &[]),
    ("cross-region-read-your-writes", &[]),
    ("invalidate-before-commit", &[]),
    ("negative-cache", &[]),
];

#[test]
fn each_invariants_broken_end_states_are_counted_as_a_plain_enumeration_counts_them() {
    for (id, fixes) in CASES {
        let s = scenarios::find(id).expect("scenario exists");
        let fx = Fixes::parse(s, fixes.iter().copied()).expect("fixes exist");
        let run = Run::new(s, fx.clone(), s.seed);
        let found = common::search(&run, 0, 1_000_000);
        assert!(found.complete, "{id} {fixes:?}");
        let (ends, plain) = plain_ends(s.world(&fx, s.seed), s.invariants);
        assert_eq!(found.ends, ends, "{id} {fixes:?}: end states");
        for (inv, plain) in s.invariants.iter().zip(plain) {
            let counted = found
                .broken_ends
                .iter()
                .find(|(n, _)| n == inv.name())
                .map_or(0, |(_, c)| *c);
            eprintln!("{id} {fixes:?} {}: {counted} of {}", inv.name(), found.ends);
            assert_eq!(counted, plain, "{id} {fixes:?} {}", inv.name());
        }
    }
}

/// The page says the counts: cross-region-read-your-writes breaks two invariants, each
/// in some of its four end states (the enumeration above agrees).
#[test]
fn the_result_says_how_many_end_states_break_each_invariant() {
    let s = scenarios::find("cross-region-read-your-writes").expect("scenario exists");
    let run = Run::new(s, Fixes::none(), s.seed);
    let found = common::search(&run, 0, 1_000_000);
    let text = cachescope::ui::verdict::summary(&found, 0, 1_000_000, true);
    assert!(
        text.contains("Of the 4 end states, 2 break read-your-writes, 1 cache-matches-db."),
        "{text}"
    );
    assert!(!text.contains("at least"), "{text}");
}
