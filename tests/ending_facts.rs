//! A story's ending is said only where its story happened (review session 11, R8):
//! with a node crashed or paused from the start, endings told events that never took
//! place ("The write took the database round trip and then the cache round trip
//! before the writer heard back", "the event took about 200 ms to reach the
//! consumer", "The event was committed with the change"). Every catalog scenario,
//! with each fix, each of its nodes crashed or paused at step 0: each such sentence is
//! checked against the run's books.
use cachescope::sim::{scenarios, Event, Fault, Fixes, Key, Run};

#[test]
fn no_ending_tells_a_story_that_did_not_happen() {
    let mut checked = 0;
    for s in scenarios::ALL.iter().copied() {
        let mut all: Vec<Vec<&str>> = vec![vec![]];
        all.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in all {
            let start = Run::new(s, Fixes::parse(s, fixes.iter().copied()).unwrap(), s.seed);
            for node in start.world().nodes().into_iter().filter(|n| !n.is_client()) {
                for fault in [Fault::Crash(node), Fault::Pause(node)] {
                    let mut run = start.clone();
                    if run.fire(Event::Fault(fault)).is_err() {
                        continue;
                    }
                    run.run_to_end();
                    let w = run.world();
                    let text = run.scenario.epilogue(w, &run.fixes);
                    let ctx = format!("{} {fixes:?} {fault}: {text}", s.id);
                    let acked = w.metrics.writes_acked;
                    for (said, true_of) in [
                        ("took the database round trip", acked > 0),
                        ("committed with the change", acked > 0),
                        ("the write deleted the key", acked > 0),
                        ("event took about", w.books.delivered.get(&Key(1)).is_some()),
                        ("sets reached the cache in the order", acked >= 2),
                        ("sets arrived in the opposite order", acked >= 2),
                        ("The delete ran after COMMIT", acked > 0),
                    ] {
                        assert!(!text.contains(said) || true_of, "{ctx}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 400, "{checked}");
}
