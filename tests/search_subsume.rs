//! Subsumption (`Search::with_subsumption`, as the page's worker searches): a new state
//! is left out when the same world with fewer faults used (`Model::dominators`) was
//! found before, since that one can do every step the new one can. Shown sound against
//! the plain search on the catalog's scenarios whose story places faults, and with one
//! extra fault: the same completeness, the same broken invariants with the same
//! shortest lengths, the same depth; fewer states, counted with and without.
//! (`cdc-invalidation`, the largest, is in `search_cdc.rs`: 277,583 → 275,397.)
use cachescope::sim::search::{Bounds, FaultBudget, Model, Report, Search, WorldModel};
use cachescope::sim::{scenarios, Event, Fixes, Run};

fn start(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

fn search(run: &Run, budget: FaultBudget, subsume: bool) -> Report<Event> {
    let model = WorldModel::new(run, budget).with_time_shift();
    let mut search = Search::new(model, Bounds::default());
    if subsume {
        search = search.with_subsumption();
    }
    search.run()
}

fn verdicts(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

/// (scenario, fixes, extra faults, states without, states with subsumption).
const CASES: &[(&str, &[&str], u8, usize, usize)] = &[
    // The story's crash of the service, allowed anywhere: a crash and a restart of an
    // idle service reach a world reached before without them. (18,446 and 17,863
    // before session 17: a restart now loses what is still on its way to the service,
    // so the orders that delivered it to the restarted service, or to the down one
    // after the restart was due, are gone.)
    ("dual-write-crash", &[], 0, 43_375, 43_368),
    // 18,923/18,919 and 21,280/21,266 before session 17, and shortest runs of 13 and 7
    // steps, now 12 and 6: a crash of the service and its (free) restart, which now
    // loses what was on its way to it (review session 16, F4), where the older model
    // had one more step, a message delivered to the down service, lost.
    // 22,080/22,076 since session 19 (F6): a crash closes the connections of the
    // requests waiting on the crashed node, which then go on (a close is one more
    // message, and a request that hung now ends), and a message that reaches a down
    // node is refused back to its sender.
    // 24,532/24,528 and 25,711/25,697 since review 20b's F8 (and 48,229/48,206 for
    // dual-write-crash, 17,847/17,824 before): a client waiting on a crashed service
    // reads its connection reset, one more message, and goes on with its script where
    // it hung.
    // 24,247/24,243 and 25,533/25,519 since review 21 (U4): what the service sent to a
    // restarted cache before it read the close of its connection is lost with the
    // close, not delivered and answered (fewer messages left to interleave).
    // 43,375/43,368, 23,330/23,326 and 25,042/25,028 since session 22: the canonical
    // state leaves out each client's last answer (`tests/search_last_answer.rs`).
    ("stale-set-race", &[], 1, 23_330, 23_326),
    ("write-through-race", &[], 1, 25_042, 25_028),
    // A story that places no fault, and no extra fault: nothing to leave out.
    ("stale-set-race", &[], 0, 311, 311),
];

#[test]
fn subsumption_finds_what_the_plain_search_finds_in_fewer_states() {
    for &(id, fixes, extra, without, with) in CASES {
        let run = start(id, fixes);
        let plain = search(&run, FaultBudget::any(extra), false);
        let sub = search(&run, FaultBudget::any(extra), true);
        let at = format!("{id} {fixes:?} with {extra} extra faults");
        assert!(plain.complete && sub.complete, "{at}: both complete");
        assert_eq!(verdicts(&sub), verdicts(&plain), "{at}: same verdicts");
        assert!(!plain.violations.is_empty() || extra == 0, "{at}: broken");
        assert_eq!(sub.depth, plain.depth, "{at}: same depth");
        assert_eq!((plain.states, sub.states), (without, with), "{at}: states");
        assert_eq!(plain.subsumed, 0);
        assert_eq!(sub.subsumed > 0, with < without, "{at}: left out");
        // Each counterexample is a real run: it replays to a world that breaks it.
        for v in &sub.violations {
            let replayed = run.replayed(&v.path).expect("it replays");
            let inv = run.scenario.invariants[v.property];
            assert!(inv.check(replayed.world()).is_err(), "{at}: {}", v.name);
        }
    }
}

/// The dominators of a state are the fingerprints of the same world with every smaller
/// vector of faults used, recovered from the state's own fingerprint.
#[test]
fn a_states_dominators_are_its_world_with_fewer_faults_used() {
    let run = start("cdc-invalidation", &[]);
    let model = WorldModel::new(&run, FaultBudget::any(1)).with_time_shift();
    let mut state = model.init();
    let mut out = Vec::new();
    model.dominators(&state, model.fingerprint(&state), &mut out);
    assert!(out.is_empty(), "nothing used, nothing dominates");

    state.extra_used = 1;
    state.story_used = vec![1, 0].into();
    model.dominators(&state, model.fingerprint(&state), &mut out);
    let with = |extra: u8, story: &[u8]| {
        let mut s = state.clone();
        s.extra_used = extra;
        s.story_used = story.to_vec().into();
        model.fingerprint(&s)
    };
    let mut expected = vec![with(0, &[0, 0]), with(1, &[0, 0]), with(0, &[1, 0])];
    expected.sort_unstable();
    out.sort_unstable();
    assert_eq!(out, expected);
    assert!(!out.contains(&model.fingerprint(&state)), "not itself");
}
