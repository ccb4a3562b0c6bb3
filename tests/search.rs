//! The exhaustive search: exact state counts, the known races with their shortest
//! lengths, fixes that hold in every interleaving within the bounds, bounds honoured,
//! and counterexamples that replay through the ordinary replay to the same violation.
use cachescope::sim::search::{Bounds, FaultBudget, Report, Search, WorldModel};
use cachescope::sim::{scenarios, Event, Fixes, Invariant, Run};

fn start(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

fn search(id: &str, fixes: &[&str], extra: u8, bounds: Bounds) -> Report<Event> {
    search_with(id, fixes, FaultBudget::any(extra), bounds)
}

fn search_with(id: &str, fixes: &[&str], budget: FaultBudget, bounds: Bounds) -> Report<Event> {
    let run = start(id, fixes);
    Search::new(WorldModel::new(&run, budget), bounds).run()
}

fn full(id: &str, fixes: &[&str]) -> Report<Event> {
    search(id, fixes, 0, Bounds::default())
}

/// The broken invariants, each with its shortest run's length.
fn verdicts(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

/// The counterexample replays through `Run::replayed` and ends where the invariant
/// is violated and nothing more is enabled.
fn assert_replays(id: &str, fixes: &[&str], report: &Report<Event>) {
    let run = start(id, fixes);
    for v in &report.violations {
        let replayed = run.replayed(&v.path).unwrap_or_else(|(i, e)| {
            panic!("{id}: choice {i} of {} does not replay: {e:?}", v.name)
        });
        assert_eq!(replayed.cursor(), v.path.len());
        assert!(
            replayed.at_end(),
            "{id}: the counterexample for {} ends the run",
            v.name
        );
        let inv = run
            .scenario
            .invariants
            .iter()
            .find(|i| i.name() == v.name)
            .expect("a violation names one of the scenario's invariants");
        assert!(
            inv.check(replayed.world()).is_err(),
            "{id}: {} is violated at the end",
            v.name
        );
    }
}

/// The length of the scenario's own run.
fn own_length(id: &str, fixes: &[&str]) -> usize {
    let mut run = start(id, fixes);
    run.run_to_end();
    run.cursor()
}

#[test]
fn cache_aside_read_has_one_interleaving_per_order_of_its_two_reads() {
    let r = full("cache-aside-read", &[]);
    assert!(r.complete);
    assert_eq!((r.states, r.ends, r.depth), (15, 1, 14));
    assert!(r.violations.is_empty());
}

#[test]
fn stale_set_race_without_a_fix_is_found_at_its_shortest() {
    let r = full("stale-set-race", &[]);
    assert!(r.complete);
    assert_eq!((r.states, r.ends), (1242, 41));
    assert_eq!(verdicts(&r), [("cache-matches-db", 16)]);
    assert!(16 <= own_length("stale-set-race", &[]));
    assert_replays("stale-set-race", &[], &r);
}

#[test]
fn stale_set_race_holds_in_every_interleaving_with_lease_or_versioned_set() {
    let want = [("lease", 1176, 20), ("versioned-set", 1996, 120)];
    let mut got = Vec::new();
    for (fix, ..) in want {
        let r = full("stale-set-race", &[fix]);
        assert!(r.complete, "{fix}");
        assert!(r.violations.is_empty(), "{fix}: {:?}", verdicts(&r));
        got.push((fix, r.states, r.ends));
    }
    assert_eq!(got, want);
}

#[test]
fn delayed_double_delete_holds_without_faults_but_one_delay_or_drop_breaks_it() {
    let fix = ["delayed-double-delete"];
    let r = full("stale-set-race", &fix);
    assert!(r.complete && r.violations.is_empty(), "{:?}", verdicts(&r));
    // Breadth first, the shortest counterexample is found long before the (larger)
    // state space with a fault is exhausted.
    let budget = FaultBudget {
        extra: 1,
        kinds: &["delay", "drop"],
    };
    let r = search_with(
        "stale-set-race",
        &fix,
        budget,
        Bounds {
            max_states: 60_000,
            ..Bounds::default()
        },
    );
    let v = r
        .violations
        .first()
        .expect("one fault breaks the heuristic");
    assert_eq!(v.name, "cache-matches-db");
    let faults: Vec<&str> = v
        .path
        .iter()
        .filter_map(|e| e.fault())
        .map(|f| f.name())
        .collect();
    assert_eq!(faults.len(), 1, "{:?}", v.path);
    assert!(["delay", "drop"].contains(&faults[0]), "{faults:?}");
    assert_replays("stale-set-race", &fix, &r);
}

#[test]
fn patterns_that_end_ok_race_in_some_interleaving() {
    for (id, len) in [("cache-aside-write", 21), ("event-invalidation", 23)] {
        assert!(
            Invariant::CacheMatchesDb.check(own_end(id).world()).is_ok(),
            "{id}'s own run ends ok"
        );
        let r = full(id, &[]);
        assert!(r.complete, "{id}");
        assert_eq!(verdicts(&r), [("cache-matches-db", len)], "{id}");
        assert_replays(id, &[], &r);
    }
}

fn own_end(id: &str) -> Run {
    let mut run = start(id, &[]);
    run.run_to_end();
    run
}

#[test]
fn write_through_race_is_found_and_versioned_write_holds() {
    let r = full("write-through-race", &[]);
    assert!(r.complete);
    assert_eq!(verdicts(&r), [("cache-matches-db", 14)]);
    assert_replays("write-through-race", &[], &r);
    let r = full("write-through-race", &["versioned-write"]);
    assert!(r.complete && r.violations.is_empty());
}

#[test]
fn bounds_stop_the_search_and_it_says_so() {
    let r = search(
        "stale-set-race",
        &[],
        0,
        Bounds {
            max_states: 100,
            ..Bounds::default()
        },
    );
    assert!(!r.complete);
    assert_eq!(r.states, 100);
    let r = search(
        "stale-set-race",
        &[],
        0,
        Bounds {
            max_depth: 5,
            ..Bounds::default()
        },
    );
    assert!(!r.complete);
    assert!(r.depth <= 5);
    assert!(r.violations.is_empty(), "the race needs 16 steps");
}

#[test]
fn a_bounded_frontier_finds_the_same_states() {
    let small = Bounds {
        held_states: 3,
        ..Bounds::default()
    };
    assert_eq!(
        search("stale-set-race", &[], 0, small),
        full("stale-set-race", &[])
    );
}

#[test]
fn slices_give_the_same_result_as_one_run() {
    let run = start("stale-set-race", &[]);
    let mut s = Search::new(WorldModel::new(&run, FaultBudget::NONE), Bounds::default());
    let mut slices = 0;
    while !s.step(7).done {
        slices += 1;
        assert!(slices < 10_000, "the search ends");
    }
    assert_eq!(s.report(), full("stale-set-race", &[]));
}

#[test]
fn story_faults_are_allowed_and_not_counted() {
    let run = start("write-behind-crash", &[]);
    let model = WorldModel::new(&run, FaultBudget::NONE);
    assert_eq!(model.story_faults(), 1, "the crash of the cache");
}

#[test]
fn update_then_delete_gets_a_counterexample_with_no_fault() {
    // Updating first closes the scenario's own window, but a read that straddles the
    // write is still the stale-set race.
    let fix = ["update-then-delete"];
    let r = full("delete-before-update-race", &fix);
    assert!(r.complete);
    assert_eq!(verdicts(&r), [("cache-matches-db", 21)]);
    assert!(r.violations[0].path.iter().all(|e| e.fault().is_none()));
    assert_replays("delete-before-update-race", &fix, &r);
}
