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
    let text = verdict::summary(&found, 0, 250, true);
    assert!(!text.contains("found no violation"), "{text}");
    assert!(
        text.contains("It found a run that breaks cache-matches-db (not known to be the shortest)"),
        "{text}"
    );
}

/// The narration of step `k` (1-based) of `run`, recorded to its end.
fn said(mut run: cachescope::sim::Run, k: usize) -> String {
    run.run_to_end();
    run.records()[k - 1].narration.clone()
}

/// Review 28 (a new user), 1: in replica-lag-refill with `versioned-set` the service
/// answers v1, read from the lagging replica after v2 committed (at 6 ms; the read
/// began at 15 ms), and the page said "The value it read is still a correct answer for
/// this read": the next step calls it a stale read. Where the read overlapped the write
/// (stale-set-race with `versioned-set`) that sentence stays, true there.
#[test]
fn a_refused_fill_of_a_stale_value_is_not_called_a_correct_answer() {
    let text = said(common::start("replica-lag-refill", &["versioned-set"]), 15);
    assert!(
        text.contains(
            "Caching it was refused, but the answer is stale too: v2 was already the newest when \
             this read began."
        ) && !text.contains("correct answer"),
        "{text}"
    );
    let text = said(
        common::at("scenario=replica-lag-refill&fix=versioned-set"),
        16,
    );
    assert!(text.contains("a stale read"), "{text}");
    let mut run = common::start("stale-set-race", &["versioned-set"]);
    run.run_to_end();
    let refused: Vec<&str> = run
        .records()
        .iter()
        .map(|r| r.narration.as_str())
        .filter(|t| t.contains("caching it was refused") || t.contains("Caching it was refused"))
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("still a correct answer for this read"),
        "{}",
        refused[0]
    );
}

/// Review 28, 2: near-cache-stale with `client-tracking`, the search's counterexample:
/// service-2 answers from a stale near copy while the cache node's only delete came
/// before that copy was kept. The page said "out of date until the cache node's
/// invalidation reaches service-2", with none on its way. Now it says none is, and
/// that the next change to the key would send one (its read is tracked).
#[test]
fn a_stale_near_copy_is_not_promised_an_invalidation_that_is_not_coming() {
    let run = common::counterexample(
        "near-cache-stale",
        &["client-tracking"],
        0,
        200_000,
        "cache-matches-db",
    );
    let mut checked = 0;
    for (i, r) in run.records().iter().enumerate() {
        let after = run.state(i + 1).unwrap();
        let text = &r.narration;
        if text.contains("invalidation reaches")
            && text.contains("this in-process copy is out of date")
        {
            // Only with one on its way.
            assert!(
                after
                    .net
                    .iter()
                    .any(|m| matches!(m.payload, cachescope::sim::msg::Payload::Invalidate { .. })),
                "step {}: {text}",
                i + 1
            );
        }
        if text.contains("no invalidation is on its way") {
            assert!(
                !after
                    .net
                    .iter()
                    .any(|m| matches!(m.payload, cachescope::sim::msg::Payload::Invalidate { .. })),
                "step {}: {text}",
                i + 1
            );
            assert!(
                text.contains("so the next change to user:1 will send one"),
                "{text}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "{}", run.trace());
}
