//! A message to a client that nothing else reads explored alone (`WorldModel::with_ample`,
//! as the page's worker searches; the argument in `src/sim/search/world_model/ample.rs`:
//! a close of the connection it waits on or of one it will not use again, or the answer
//! it waits for; due, alone; not yet due but the earliest, with the faults placeable
//! now), shown sound against the search that explores every enabled event: on catalog
//! scenarios whose clients read a crashed server's close (the story's crash, or one
//! extra fault anywhere) or only answers, the same completeness, the same end states,
//! the same broken invariants with the same shortest lengths, in fewer states; plain,
//! with subsumption (the page's search) and with sleep sets. Each counterexample
//! replays to a world that breaks it. (Every catalog search that completes, with the
//! story's faults and with one extra on the small ones: `search_ample_catalog.rs`, in
//! the release-only test-search tier. A scenario with a slow hop, as stale-set-race and
//! write-through-race have, or a client that both writes and reads, is searched as
//! without it.)
use cachescope::sim::search::{Bounds, FaultBudget, Report, Search, WorldModel};
use cachescope::sim::{scenarios, Event, Fixes, Run};

fn run_of(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Plain,
    Subsume,
    Sleep,
}

fn search(run: &Run, faults: u8, ample: bool, mode: Mode) -> Report<Event> {
    let mut model = WorldModel::new(run, FaultBudget::any(faults)).with_time_shift();
    if ample {
        model = model.with_ample();
    }
    let mut s = Search::new(model, Bounds::default());
    match mode {
        Mode::Plain => s.run(),
        Mode::Subsume => s.with_subsumption().run(),
        Mode::Sleep => s.with_sleep_sets().run(),
    }
}

fn verdicts(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

/// (scenario, fixes, extra faults, states with the close alone and without, plain).
const CASES: &[(&str, &[&str], u8, usize, usize)] = &[
    // The story's crash of the service: its writer reads the close, or its answer.
    ("dual-write-crash", &[], 0, 14_245, 43_375),
    // One extra fault anywhere (a crash of the service, the cache or the database).
    ("cache-aside-read", &[], 1, 928, 980),
    ("write-through", &[], 1, 30_167, 36_590),
    // No fault: the clients' answers.
    ("event-delay", &[], 0, 3_288, 5_916),
    // No crash: nothing to leave out.
    ("stale-set-race", &[], 0, 311, 311),
];

#[test]
fn a_client_message_alone_keeps_every_end_state_and_shortest_run() {
    let mut seen = Vec::new();
    for &(id, fixes, faults, ..) in CASES {
        let run = run_of(id, fixes);
        for mode in [Mode::Plain, Mode::Subsume, Mode::Sleep] {
            let all = search(&run, faults, false, mode);
            let one = search(&run, faults, true, mode);
            let at = format!("{id} {fixes:?} with {faults} extra faults ({mode:?})");
            assert!(all.complete && one.complete, "{at}: complete");
            assert_eq!(verdicts(&one), verdicts(&all), "{at}: verdicts");
            assert_eq!(one.ends, all.ends, "{at}: end states");
            assert!(one.states <= all.states, "{at}: states");
            for v in &one.violations {
                let replayed = run.replayed(&v.path).expect("it replays");
                let inv = run.scenario.invariants[v.property];
                assert!(inv.check(replayed.world()).is_err(), "{at}: {}", v.name);
            }
            eprintln!("{at}: {} / {} states", one.states, all.states);
            if mode == Mode::Plain {
                seen.push((id, fixes, faults, one.states, all.states));
            }
        }
    }
    assert_eq!(seen, CASES);
}
