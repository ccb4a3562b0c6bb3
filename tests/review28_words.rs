//! Review 28 (a code review of the words the search's depth-first phase gives a run):
//! each checked on a real search of `cross-region-read-your-writes` at small bounds.
mod common;
use cachescope::sim::search::job::Job;
use cachescope::sim::search::msg::{DeepPart, Found, Request};
use cachescope::sim::{codec, link};
use cachescope::ui::verdict;

/// The page's search of the scenario stopped at `max_states`, as the page reads it.
fn search(max_states: usize) -> (cachescope::sim::Run, Found) {
    let run = common::start("cross-region-read-your-writes", &[]);
    let request = Request {
        link: link::setup_query(&run),
        faults: 0,
        max_states,
        slice: false,
    };
    let mut job = Job::new(&request).expect("the page's own setup");
    // Bounded: a few hundred states, slices of 1,000.
    let found = job.found_at_end(1_000, 1_000, 0).expect("a result");
    (run, found)
}

/// At 150 states breadth first reaches no end state and breaks nothing; the
/// earliest-first run breaks read-your-writes (judged at every step) at step 16. The
/// run shown is those 16 steps: "a run in earliest-first order", not "the
/// earliest-first run" (which goes on past it), and not "found depth first".
#[test]
fn a_break_on_the_earliest_first_run_is_named_for_it() {
    let (run, found) = search(150);
    assert!(!found.complete && found.ends == 0);
    assert_eq!((found.deep_held, found.deep_dfs), (true, false));
    assert_eq!(found.violations.len(), 1);
    let c = &found.violations[0];
    assert_eq!(
        (c.invariant.as_str(), c.steps, c.shortest),
        ("read-your-writes", 16, false)
    );
    assert_eq!(c.part, DeepPart::EarliestFirst);
    assert_eq!(
        verdict::counterexample_line(c),
        "read-your-writes: a run in earliest-first order ends with it broken after 16 steps (not \
         known to be the shortest). "
    );
    // Those 16 steps are the run in earliest-first order: each step the earliest
    // enabled event (`World::earliest`), and read-your-writes broken after the last.
    let events = codec::decode(&run, &c.code).expect("its code reads");
    let mut played = run.rebuilt(run.fixes.clone(), run.seed);
    for e in &events {
        assert_eq!(played.world().earliest(), Some(*e), "earliest first");
        played.fire(*e).expect("it fires");
    }
    let broken = cachescope::sim::Invariant::ReadYourWrites.check(played.world());
    assert!(broken.is_err(), "read-your-writes broken at its end");
}

/// At 250 states breadth first finds read-your-writes broken (its shortest run, 16
/// steps) but reaches no end state, so the depth-first phase runs. It is told of that
/// break and does not stop at it again (it did: it then said "It found no violation in
/// the runs it followed", of runs that broke read-your-writes): it goes on and finds
/// cache-matches-db broken at a run's end.
#[test]
fn the_phase_past_the_bound_does_not_stop_at_a_known_break() {
    let (_, found) = search(250);
    assert!(!found.complete && found.ends == 0 && found.deep_states > 0);
    let lines: Vec<(&str, usize, bool)> = found
        .violations
        .iter()
        .map(|c| (c.invariant.as_str(), c.steps, c.shortest))
        .collect();
    assert_eq!(
        lines,
        [
            ("read-your-writes", 16, true),
            ("cache-matches-db", 20, false)
        ]
    );
    let text = verdict::summary(&found, 0, 250);
    assert!(!text.contains("found no violation"), "{text}");
    assert!(
        text.contains("It found a run that breaks cache-matches-db (not known to be the shortest)"),
        "{text}"
    );
}
