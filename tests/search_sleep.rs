//! Sleep sets (`Search::with_sleep_sets`), the partial-order reduction, shown sound
//! against the plain search: the independence it relies on holds on every state of the
//! small catalog searches (both orders of two independent events are enabled and reach
//! one fingerprint), and on every small catalog scenario and fix it finds the plain
//! search's distinct states, end states, depth, broken invariants and shortest lengths,
//! with fewer transitions (counts pinned), with and without the time shift.
use cachescope::sim::search::{self, Bounds, FaultBudget, Report, Search, WorldModel};
use cachescope::sim::{scenarios, Event, Fixes, Run};

fn start(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

fn model(id: &str, fixes: &[&str], shift: bool, budget: FaultBudget) -> WorldModel {
    let model = WorldModel::new(&start(id, fixes), budget);
    if shift {
        model.with_time_shift()
    } else {
        model
    }
}

fn search(id: &str, fixes: &[&str], shift: bool, sleep: bool) -> Report<Event> {
    let s = Search::new(
        model(id, fixes, shift, FaultBudget::NONE),
        Bounds::default(),
    );
    let mut s = s;
    if sleep {
        s.with_sleep_sets().run()
    } else {
        s.run()
    }
}

fn verdicts(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

fn check_independence(model: &WorldModel, max: usize) -> usize {
    search::check_independence(model, max).unwrap_or_else(|e| panic!("{e}"))
}

/// (scenario, fixes): small searches, complete in well under a second in debug.
const SMALL: &[(&str, &[&str])] = &[
    ("cache-aside-read", &[]),
    ("cache-aside-write", &[]),
    ("write-through", &[]),
    ("ttl-expiry", &[]),
    ("event-invalidation", &[]),
    ("stale-set-race", &[]),
    ("stale-set-race", &["versioned-set"]),
    ("stale-set-race", &["lease"]),
    ("stale-set-race", &["delayed-double-delete"]),
    ("write-through-race", &[]),
    ("write-through-race", &["versioned-write"]),
    ("event-duplicate-reorder", &[]),
    ("event-duplicate-reorder", &["versioned-events"]),
    ("event-duplicate-reorder", &["idempotent-consumer"]),
    ("poison-event", &[]),
    ("poison-event", &["retry-dlq"]),
    ("replica-lag-refill", &[]),
    ("replica-lag-refill", &["lease"]),
    ("replica-lag-refill", &["versioned-set"]),
    ("replica-lag-refill", &["fill-from-primary"]),
    ("invalidate-before-commit", &[]),
    ("invalidate-before-commit", &["after-commit-hook"]),
    ("rollback-after-cache-write", &[]),
    ("rollback-after-cache-write", &["transaction-aware-cache"]),
];

#[test]
fn independent_events_commute_on_every_state_of_the_small_searches() {
    let mut pairs = 0;
    for (id, fixes) in SMALL {
        pairs += check_independence(&model(id, fixes, false, FaultBudget::NONE), 20_000);
    }
    assert!(pairs > 1_000, "the relation is not empty: {pairs} pairs");
}

#[test]
fn independent_events_commute_with_faults_placed_and_with_time_shifts() {
    for (id, fixes) in [
        ("stale-set-race", &[][..]),
        ("write-through-race", &["versioned-write"][..]),
    ] {
        check_independence(&model(id, fixes, false, FaultBudget::any(1)), 20_000);
        check_independence(&model(id, fixes, true, FaultBudget::NONE), 20_000);
    }
    check_independence(
        &model("dual-write-crash", &[], false, FaultBudget::NONE),
        20_000,
    );
}

#[test]
fn sleep_sets_find_the_plain_searchs_states_and_verdicts_with_fewer_transitions() {
    for shift in [false, true] {
        let mut saved = 0;
        for (id, fixes) in SMALL {
            let plain = search(id, fixes, shift, false);
            let sleep = search(id, fixes, shift, true);
            let what = format!("{id} {fixes:?} shift={shift}");
            assert!(plain.complete && sleep.complete, "{what}");
            assert_eq!(
                (sleep.states, sleep.ends, sleep.depth),
                (plain.states, plain.ends, plain.depth),
                "{what}"
            );
            assert_eq!(verdicts(&sleep), verdicts(&plain), "{what}");
            assert_eq!(plain.asleep, 0);
            assert_eq!(
                sleep.transitions + sleep.asleep,
                plain.transitions,
                "{what}: every transition is followed or left asleep"
            );
            saved += sleep.asleep;
        }
        assert!(saved > 0, "shift={shift}: sleep sets leave some out");
    }
}
