//! `cdc-invalidation`'s complete search, as the page runs it (the time shift on, no
//! extra faults; the story's two crashes, of the service and of the invalidator,
//! allowed anywhere, the supervisor's restart 20 ms after a crash; a hand restart
//! before it would be an extra fault): every interleaving within the bounds, 277,583
//! distinct states (305,067 before session 17, when a restarted node still took what
//! was sent to it before).
//! Its own run ends ok, and no change is lost in any interleaving (`no-lost-event`
//! holds: a crash of either node loses no invalidation); what breaks is
//! `cache-matches-db`, in 17 steps: a read that misses before the commit sets its row
//! after the invalidator's delete, the stale-set race, which CDC does not close.
//!
//! It is the largest complete search of the catalog but `hybrid`'s (below; since
//! session 26) (757,000 transitions before session 17; 275,397 states with subsumption, as the page searches it): about
//! 2 s of CPU natively at `opt-level = 3` (837,637 states and 7 s while a hand restart
//! was free even with the supervisor's pending), about four times that at the release
//! profile's `"z"`, and minutes unoptimised. So it is built only with optimisations:
//! `cargo test --release --test search_cdc` runs it; a debug `cargo test` (the test
//! tier) compiles this file empty, and keeps `search_catalog.rs`'s bounded search of
//! the same scenario.
//!
//! `hybrid` is here too, for the same reason: its own run ends ok, and its plain search
//! (no subsumption, no ample sets) takes 1,900,280 states, past the page's million. Its
//! horizon (357 ms, since session 26) falls between states shifted in time, so the
//! search starts again with absolute time. Its first shortest race (45 steps) is a
//! batch job's: a read of user:2 loads v1 while `writer-2` commits v2 straight in the
//! database, and its set lands after; the batch job invalidates nothing, so this is not
//! the stale-set race, which needs an invalidation between the miss and the set, and
//! only the TTL ends it. (The page's search completes within its million and shows the
//! stale-set race, as short: `search_hybrid_page.rs`.) Until session 26, with a horizon
//! of 500 ms, it completed shifted in time at 6,672,465 states, its race 49 steps.
#![cfg(not(debug_assertions))]
use cachescope::sim::ids::Key;
use cachescope::sim::search::Report;
use cachescope::sim::search::{teaches, Bounds, FaultBudget, Search, WorldModel, STALE_SET};
use cachescope::sim::{scenarios, Event, Fixes, Invariant, Run, World};

/// Each broken invariant's name and the length of its shortest counterexample.
fn broken(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

/// The first counterexample is recognised as `race` (the stale-set race, or `None`:
/// none the search names), and it replays through the ordinary replay to a run that
/// has ended with the cache and the database apart.
fn replays_to_the_race(
    run: &Run,
    start: &World,
    report: &Report<Event>,
    race: Option<&str>,
) -> Run {
    let v = &report.violations[0];
    assert_eq!(teaches(start, &v.path), race);
    let replayed = run
        .replayed(&v.path)
        .unwrap_or_else(|(i, e)| panic!("choice {i} does not replay: {e:?}"));
    assert!(replayed.at_end(), "the counterexample ends the run");
    assert!(Invariant::CacheMatchesDb.check(replayed.world()).is_err());
    replayed
}

#[test]
fn cdc_invalidation_is_searched_whole_and_only_the_stale_set_race_breaks_it() {
    let id = "cdc-invalidation";
    let scenario = scenarios::find(id).expect("scenario exists");
    let run = Run::with_default_seed(scenario, Fixes::none());
    let model = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
    assert_eq!(
        model.story_faults(),
        2,
        "the story's crashes: service, invalidator"
    );
    let start = model.start().clone();
    let report = Search::new(model, Bounds::default()).run();

    assert!(report.complete, "complete within the bounds");
    assert!(
        report.time_shift,
        "searched with the time shift, as the page does"
    );
    // 305,067 states before session 17: the supervisor's restart of the service or the
    // invalidator now loses what is still on its way to it (review session 16, F4), so
    // the orders that delivered it after the restart are gone; ends, depth and verdict
    // are the same. (277,583, 324) before review 20b (F8): the story's crash of the
    // service now resets its clients' connections, which fail their requests and go on
    // with their scripts instead of waiting for ever: more states, fewer distinct ends
    // (a client no longer stops where it hung), the same depth and verdict. (746,752,
    // 42) before session 22: the canonical state leaves out each client's last answer
    // (`tests/search_last_answer.rs`), the same depth and verdict.
    assert_eq!((report.states, report.ends), (654_068, 22));
    assert_eq!(report.depth, 33);
    assert_eq!(
        broken(&report),
        // 17 before review 20b (F8): the shortest race's crash of the service now
        // resets its clients' connections, two steps more (as dual-write-crash's).
        [("cache-matches-db", 19)],
        "no-lost-event holds in every interleaving"
    );

    let replayed = replays_to_the_race(&run, &start, &report, Some(STALE_SET));
    assert!(Invariant::NoLostEvent.check(replayed.world()).is_ok());
}

/// With subsumption, as the page's worker searches (`Search::with_subsumption`,
/// `tests/search_subsume.rs`): a state whose world was reached before with fewer of the
/// story's crashes used is left out (a crash and restart of an idle node reach such a
/// world again), so 654,068 states become 653,383 (746,752 and 744,637 before session
/// 22 left each client's last answer out of the canonical state; 277,583 and 275,397 before review
/// 20b's F8, a crash's resets of its clients' connections; 305,067 and 293,452 before
/// session 17, F4), with the same end states, depth and verdict: the same stale-set
/// race in 19 steps (17 before F8).
#[test]
fn cdc_invalidation_with_subsumption_finds_the_same_race_in_fewer_states() {
    let run = Run::with_default_seed(scenarios::find("cdc-invalidation").unwrap(), Fixes::none());
    let model = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
    let start = model.start().clone();
    let report = Search::new(model, Bounds::default())
        .with_subsumption()
        .run();
    assert!(report.complete && report.time_shift);
    assert_eq!(
        (report.states, report.ends, report.depth),
        (653_383, 22, 33)
    );
    assert_eq!(broken(&report), [("cache-matches-db", 19)]);
    replays_to_the_race(&run, &start, &report, Some(STALE_SET));
}

/// As the page's worker searches since session 22: with subsumption, and a message to
/// a client that nothing else reads explored alone (`WorldModel::with_ample`,
/// `tests/search_ample.rs`: a close the client reads, or its answer; one not yet due
/// with the faults placeable now): the same end states, depth and race in 315,541
/// states (446,476 when only a due close at a waiting client was, 653,383 without).
#[test]
fn cdc_invalidation_as_the_page_searches_it_explores_a_clients_message_alone() {
    let run = Run::with_default_seed(scenarios::find("cdc-invalidation").unwrap(), Fixes::none());
    let model = WorldModel::new(&run, FaultBudget::NONE)
        .with_time_shift()
        .with_ample();
    let start = model.start().clone();
    let report = Search::new(model, Bounds::default())
        .with_subsumption()
        .run();
    assert!(report.complete && report.time_shift);
    assert_eq!(
        (report.states, report.ends, report.depth),
        (315_541, 22, 33)
    );
    assert_eq!(broken(&report), [("cache-matches-db", 19)]);
    replays_to_the_race(&run, &start, &report, Some(STALE_SET));
}

#[test]
fn hybrid_is_searched_whole_and_a_batch_write_racing_a_fill_breaks_it() {
    let id = "hybrid";
    let scenario = scenarios::find(id).expect("scenario exists");
    let run = Run::with_default_seed(scenario, Fixes::none());
    let mut own = run.rebuilt(Fixes::none(), run.seed);
    own.run_to_end();
    assert!(
        Invariant::CacheMatchesDb.check(own.world()).is_ok(),
        "its own run ends ok"
    );
    let model = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
    let start = model.start().clone();
    let bounds = Bounds {
        max_states: 8_000_000,
        ..Bounds::default()
    };
    let report = Search::new(model, bounds).run();

    assert!(report.complete, "complete within eight million states");
    // Started again with absolute time: the horizon falls between shifted states.
    assert!(!report.time_shift);
    assert_eq!((report.states, report.ends), (1_900_280, 210));
    assert_eq!(report.depth, 53);
    assert_eq!(broken(&report), [("cache-matches-db", 45)]);
    let replayed = replays_to_the_race(&run, &start, &report, None);
    // The key left stale is user:2, which only the batch job writes.
    let w = replayed.world();
    assert!(w
        .cache()
        .entries
        .get(&Key(2))
        .is_some_and(|e| e.version < w.committed(Key(2))));
}
