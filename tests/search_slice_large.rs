//! The slice for `no-lost-event`, checked side by side with the full model
//! (`search::check_slice`) on the larger event scenarios: every run of `event-loss`
//! (and with `durable-bus`) and of `outbox` (the relay, the bus and the consumer of
//! `dual-write-crash` with `outbox`, with a reader), and the first million pairs of
//! `dual-write-crash` with `outbox`, whose full search does not complete.
//!
//! Built only with optimisations (about 40 s of CPU natively at `opt-level = 3`):
//! the test-search tier.
#![cfg(not(debug_assertions))]
use cachescope::sim::search::{check_slice, FaultBudget, SliceCheck};
use cachescope::sim::{scenarios, Fixes, Run};

fn checked(id: &str, fix: Option<&str>, max_pairs: usize) -> SliceCheck {
    let s = scenarios::find(id).unwrap();
    let fixes = fix.map_or_else(Fixes::none, |f| Fixes::parse(s, [f]).unwrap());
    check_slice(&Run::new(s, fixes, s.seed), FaultBudget::NONE, max_pairs).unwrap()
}

#[test]
fn the_slice_follows_every_run_of_the_larger_event_scenarios() {
    for (id, fix, pairs, transitions, readers) in [
        // Before session 17 (a restarted consumer still took the deliveries sent to it
        // before its crash): 53,130, 120,090, 46,725 and 124,710, 314,456, 109,402.
        ("event-loss", None, 52_512, 118_341, 46_173),
        ("event-loss", Some("durable-bus"), 121_636, 305_013, 106_580),
        ("outbox", None, 873_180, 2_654_011, 773_177),
    ] {
        let c = checked(id, fix, 5_000_000);
        assert_eq!(c.error, None, "{id} {fix:?}");
        assert!(c.complete, "{id} {fix:?}");
        assert_eq!(
            (c.pairs, c.transitions, c.reader_steps),
            (pairs, transitions, readers),
            "{id} {fix:?}"
        );
    }
}

#[test]
fn the_slice_follows_the_first_million_pairs_of_the_dual_write_crash_with_outbox() {
    let c = checked("dual-write-crash", Some("outbox"), 1_000_000);
    assert_eq!(c.error, None);
    assert!(!c.complete, "the full model is too large to pair every run");
    assert_eq!(c.pairs, 1_000_001);
}
