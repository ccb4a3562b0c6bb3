//! The time-shift reduction (`WorldModel::with_time_shift`): states that differ only by
//! a shift of every time are one state, where the search finds the horizon cuts none
//! of them. Shown sound against the plain search: on every small catalog scenario and
//! fix, the same completeness, the same broken invariants with the same shortest
//! lengths; its counts are pinned; its counterexamples replay through the ordinary
//! replay; and where it does not apply (XFetch) the search is the plain one.
use cachescope::sim::search::{Bounds, FaultBudget, Report, Search, WorldModel};
use cachescope::sim::{scenarios, Event, Fixes, Run};

fn start(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

fn search(id: &str, fixes: &[&str], shift: bool, budget: FaultBudget) -> Report<Event> {
    let run = start(id, fixes);
    let mut model = WorldModel::new(&run, budget);
    if shift {
        model = model.with_time_shift();
    }
    Search::new(model, Bounds::default()).run()
}

fn verdicts(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

/// (scenario, fixes, states with the reduction, states without).
const SMALL: &[(&str, &[&str], usize, usize)] = &[
    ("cache-aside-read", &[], 15, 15),
    ("cache-aside-write", &[], 1_431, 1_961),
    ("write-through", &[], 326, 673),
    ("ttl-expiry", &[], 1_112, 1_443),
    ("event-invalidation", &[], 2_818, 4_168),
    ("stale-set-race", &[], 311, 1_242),
    ("stale-set-race", &["versioned-set"], 683, 1_996),
    ("stale-set-race", &["lease"], 326, 1_176),
    ("stale-set-race", &["delayed-double-delete"], 483, 1_758),
    ("write-through-race", &[], 257, 1_115),
    ("write-through-race", &["versioned-write"], 243, 997),
    ("event-duplicate-reorder", &[], 824, 1_153),
    ("event-duplicate-reorder", &["versioned-events"], 821, 1_145),
    (
        "event-duplicate-reorder",
        &["idempotent-consumer"],
        819,
        1_129,
    ),
    ("poison-event", &[], 483, 1_678),
    ("poison-event", &["retry-dlq"], 473, 1_428),
    ("replica-lag-refill", &[], 475, 2_496),
    ("replica-lag-refill", &["lease"], 475, 2_496),
    ("replica-lag-refill", &["versioned-set"], 1_314, 4_457),
    ("replica-lag-refill", &["fill-from-primary"], 456, 2_360),
    // The four below: 2,445 and 4,561, 1,264 and 2,430, 370 and 1,701, 293 and 1,360
    // before session 24, when a transaction named its request by id (worlds one
    // renaming apart were two states once it opened).
    ("invalidate-before-commit", &[], 2_191, 4_275),
    (
        "invalidate-before-commit",
        &["after-commit-hook"],
        1_193,
        2_369,
    ),
    ("rollback-after-cache-write", &[], 316, 1_649),
    (
        "rollback-after-cache-write",
        &["transaction-aware-cache"],
        265,
        1_342,
    ),
];

#[test]
fn the_reduction_gives_the_plain_searchs_verdicts_and_shortest_lengths() {
    for (id, fixes, shifted_states, plain_states) in SMALL {
        let plain = search(id, fixes, false, FaultBudget::NONE);
        let shifted = search(id, fixes, true, FaultBudget::NONE);
        assert!(!plain.time_shift, "{id} {fixes:?}");
        assert!(
            shifted.time_shift,
            "{id} {fixes:?}: the horizon cuts no shift"
        );
        assert!(plain.complete && shifted.complete, "{id} {fixes:?}");
        assert_eq!(verdicts(&shifted), verdicts(&plain), "{id} {fixes:?}");
        assert_eq!(
            [shifted.states, plain.states],
            [*shifted_states, *plain_states],
            "{id} {fixes:?}"
        );
    }
}

#[test]
fn with_one_fault_placed_the_verdicts_are_the_same_too() {
    for (id, fixes) in [
        ("stale-set-race", &["delayed-double-delete"][..]),
        ("stale-set-race", &["lease"][..]),
        ("write-through-race", &["versioned-write"][..]),
    ] {
        let plain = search(id, fixes, false, FaultBudget::any(1));
        let shifted = search(id, fixes, true, FaultBudget::any(1));
        assert!(plain.complete && shifted.complete, "{id} {fixes:?}");
        assert_eq!(verdicts(&shifted), verdicts(&plain), "{id} {fixes:?}");
        assert!(shifted.states < plain.states, "{id} {fixes:?}");
    }
}

#[test]
fn a_counterexample_of_the_reduced_search_replays_to_its_violation() {
    for (id, fixes) in [("stale-set-race", &[][..]), ("poison-event", &[][..])] {
        let run = start(id, fixes);
        let report = search(id, fixes, true, FaultBudget::NONE);
        assert!(!report.violations.is_empty(), "{id}");
        for v in &report.violations {
            let replayed = run
                .replayed(&v.path)
                .unwrap_or_else(|(i, e)| panic!("{id}: choice {i} does not replay: {e:?}"));
            assert!(replayed.at_end(), "{id}: the run ends there");
            let inv = run
                .scenario
                .invariants
                .iter()
                .find(|i| i.name() == v.name)
                .expect("an invariant of the scenario");
            assert!(inv.check(replayed.world()).is_err(), "{id}: {}", v.name);
        }
    }
}

#[test]
fn under_xfetch_the_reduction_does_not_apply() {
    // XFetch adds a real number to `now`: a shift could round differently.
    let run = start("stampede", &["early-expiration"]);
    let model = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
    assert!(!model.time_shift());
    let run = start("stampede", &[]);
    let model = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
    assert!(model.time_shift());
}
