//! The depth-first phase's first part (`search::held`): the earliest-first run with
//! each event it enables held back in turn. In `dual-write-crash` with `outbox` the
//! script's order ends ok, and holding the reader's set back past the relay's delete
//! is the stale-set race: the part finds it alone (the depth-first search never runs),
//! a real run that replays to the break. (The page's search meets it there only past
//! a million states breadth first: `tests/search_outbox_page.rs`.)
use cachescope::sim::search::{teaches, Deep, FaultBudget, Model, WorldModel, STALE_SET};
use cachescope::sim::{scenarios, Fixes, Invariant, Run};

#[test]
fn holding_one_event_back_finds_the_stale_set_race() {
    let s = scenarios::find("dual-write-crash").unwrap();
    let run = Run::new(s, Fixes::parse(s, ["outbox"]).unwrap(), s.seed);
    let mut own = run.rebuilt(run.fixes.clone(), run.seed);
    own.run_to_end();
    assert!(
        Invariant::CacheMatchesDb.check(own.world()).is_ok(),
        "the script ends ok"
    );
    let model = WorldModel::new(&run, FaultBudget::NONE).with_ample();
    let mut deep = Deep::new(&model, 10_000, 500, true, &[]);
    while !deep.is_done() {
        deep.step(&model, 1_000);
    }
    let i = model
        .properties()
        .iter()
        .position(|p| p.name == "cache-matches-db")
        .unwrap();
    let path = deep.found[i].clone().expect("a break of cache-matches-db");
    assert_eq!(deep.parts(), (true, false), "found by held runs alone");
    assert!(deep.states() <= 1_000, "{}", deep.states());
    assert_eq!(teaches(model.start(), &path), Some(STALE_SET));
    let played = run.replayed(&path).expect("a real run");
    assert!(played.at_end(), "{}", played.trace());
    assert!(Invariant::CacheMatchesDb.check(played.world()).is_err());
}

/// With the part off (a search placing extra faults), only the depth-first search runs.
#[test]
fn without_holds_only_the_depth_first_search_runs() {
    let s = scenarios::find("stale-set-race").unwrap();
    let run = Run::new(s, Fixes::none(), s.seed);
    let model = WorldModel::new(&run, FaultBudget::NONE).with_ample();
    let mut deep = Deep::new(&model, 10_000, 500, false, &[]);
    while !deep.is_done() {
        deep.step(&model, 1_000);
    }
    assert_eq!(deep.parts(), (false, true));
}
