use super::*;
use crate::sim::search::job::Job;
use crate::sim::search::msg::{Request, MAX_STATES};
use crate::sim::{link, scenarios, Fixes, Run};

/// A real search of `run`'s setup with up to `faults` placed, within
/// `max_states`, as the page reads the worker's result.
fn search_run(run: &Run, faults: u8, max_states: usize) -> Found {
    let request = Request {
        link: link::setup_query(run),
        faults,
        max_states,
        slice: false,
    };
    let mut job = Job::new(&request).expect("the page's own setup");
    // Bounded: max_states / 500 slices of 500 states at most breadth first, then
    // slices of 500 transitions depth first (a quarter of the states, each with a few
    // transitions): it ends well within ten times as many.
    job.found_at_end(500, 10 * (max_states / 500 + 1) + 1, 1)
        .expect("the search ends with a result")
}

/// The same for scenario `id` with no fix and no fault placed.
fn search(id: &str, max_states: usize) -> Found {
    let run = Run::with_default_seed(scenarios::find(id).unwrap(), Fixes::none());
    search_run(&run, 0, max_states)
}

/// hybrid's runs end past depth 40, so a search stopped at 120 states reaches no
/// end state, and its depth-first phase (30 states, a quarter: 300 and a tenth before
/// review 20b) none either: it must not call the invariants judged at a run's end
/// unbroken.
#[test]
fn a_search_with_no_end_state_says_the_end_invariants_were_not_judged() {
    let found = search("hybrid", 120);
    assert!(!found.complete);
    assert_eq!((found.ends, found.deep_ends), (0, 0));
    assert_eq!(found.deep_states, 30);
    let text = summary(&found, 0, 120, true);
    assert!(!text.contains("No violation"), "{text}");
    assert!(text.contains("were never judged"), "{text}");
}

/// hybrid stopped breadth first at 20,000 states (depth 15 or so, no end state):
/// the depth-first phase finds a race (a fill against a batch write), a run it never calls the
/// shortest, which replays through the ordinary replay to the same violation.
#[test]
fn a_run_found_depth_first_is_never_called_the_shortest_and_replays() {
    let run = Run::with_default_seed(scenarios::find("hybrid").unwrap(), Fixes::none());
    let found = search_run(&run, 0, 20_000);
    assert!(!found.complete && found.ends == 0);
    assert!(found.deep_states > 0 && found.deep_states <= 2_000);
    assert_eq!(found.violations.len(), 1);
    let c = &found.violations[0];
    assert!(!c.shortest);
    assert_eq!(c.invariant, "cache-matches-db");
    // A read of user:2 loads v1 while writer-2's batch job commits v2 behind the
    // cache's back, and its set lands after: no invalidation came in between, so it
    // is not the stale-set race (search::race).
    assert_eq!(c.teaches, None);
    let line = counterexample_line(c);
    assert!(line.contains("not known to be the shortest"), "{line}");
    assert!(!line.contains("the shortest run"), "{line}");
    // The held runs found it: the line says so, not "found depth first" (review 27).
    assert_eq!(c.part, crate::sim::search::msg::DeepPart::HeldBack);
    assert!(
        line.contains(": a run with one event held back ends with it broken"),
        "{line}"
    );
    let text = summary(&found, 0, 20_000, true);
    // Since session 27 the phase's held runs find it (164 states) and the depth-first
    // search never runs: the words name only the part that ran.
    assert!(
        text.contains("runs in earliest-first order, each with at most one event held back")
            && !text.contains("a depth-first search"),
        "{text}"
    );
    assert!(
        text.contains("breaks cache-matches-db (not known to be the shortest)"),
        "{text}"
    );
    assert!(!text.contains("Broken in"), "{text}");
    let events = crate::sim::codec::decode(&run, &c.code).expect("its run code reads");
    assert_eq!(events.len(), c.steps);
    let played = run.replayed(&events).expect("it replays");
    assert!(played.at_end(), "the run ends");
    let broken = crate::sim::Invariant::CacheMatchesDb.check(played.world());
    assert!(broken.is_err());
}

/// The panel's opening never calls a depth-first run the shortest, and says the
/// shortest only of a search that stayed breadth first.
#[test]
fn the_intro_is_true_of_the_search_shown() {
    let before = intro(None);
    assert!(before.contains("not known to be the shortest"), "{before}");
    let plain = search("stale-set-race", 100_000);
    let text = intro(Some(&plain));
    assert!(
        text.contains("a shortest such run") && !text.contains("depth first"),
        "{text}"
    );
    let deep = search("hybrid", 300);
    assert!(deep.deep_states > 0);
    let text = intro(Some(&deep));
    assert!(
        text.contains("depth first") && !text.contains("a shortest such run"),
        "{text}"
    );
    assert!(text.contains("not known to be the shortest"), "{text}");
}

/// A search stopped at its bound after reaching some end states, none broken: it
/// judged only those runs (session 9's review: it said "No violation in 1000000
/// states" for dual-write-crash with outbox, whose runs are 48 steps long). Its
/// depth-first phase then follows runs past the bound (325 states breadth first, 1
/// end state; 81 depth first, 1 end state; 330, 2, 82 and 2 before session 22 left
/// each client's last answer out of the canonical state; 33 and 1 depth first when
/// that phase had a tenth of the bound, before review 20b): with the lease none
/// breaks, and that proves nothing.
#[test]
fn a_search_stopped_at_a_bound_judges_only_the_runs_it_ended() {
    let s = scenarios::find("stale-set-race").unwrap();
    let run = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
    let whole = search_run(&run, 0, 100_000);
    assert!(whole.complete && whole.violations.is_empty());
    let cut = search_run(&run, 0, whole.states - 1);
    assert!(!cut.complete);
    assert!(cut.ends > 0, "some runs ended within the bound");
    let text = summary(&cut, 0, whole.states - 1, true);
    assert!(
        !text.contains(&format!("No violation in {} states", grouped(cut.states))),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "No violation in the {} end state reached",
            grouped(cut.ends)
        )),
        "{text}"
    );
    assert_eq!(
        [cut.states, cut.ends, cut.deep_states, cut.deep_ends],
        // [325, 1, 81, 1] before session 27: the phase's first part, runs that hold
        // one event back (`search::held`), reaches an end state its depth-first part
        // does not.
        [325, 1, 81, 2]
    );
    assert!(cut.violations.is_empty());
    assert!(
        text.contains(
            "No violation in the 1 end state reached breadth first, but runs that end past \
             the bound were not judged, so runs in earliest-first order, each with at most one event held back until no other is enabled, then a depth-first search, earliest event first, \
             visited 81 states (one for all that differ only in times before the horizon, the time by which every \
             run ends), \
             2 of them end states. It found no violation in the runs it followed; the runs it \
             did not follow were not judged, so this proves nothing."
        ),
        "{text}"
    );
    assert!(
        text.contains("interleavings beyond the bound were not searched breadth first."),
        "{text}"
    );
    assert!(!text.contains("No end state was reached"), "{text}");
    let intro = intro(Some(&cut));
    assert!(
        intro.contains("stopped at its bound with no run it ended broken"),
        "{intro}"
    );
}

/// write-behind-crash with the durable queue stopped at 40,000 states breadth
/// first (depth 17, 1 end state, not broken; depth 16 before the page's job explored
/// the clients' answers alone, `ample.rs`). Session 19 (F6) moved the bound from
/// 10,000: a request on its way to the crashed cache fails now and its client goes
/// on, where it hung and ended the run, so no run ends within depth 13 any more
/// (0 end states at 10,000, and its 1,000 depth-first states found no break). The
/// depth-first phase, its visited set blind to time, finds the stale-set race (which
/// the durable queue does not claim to close) in 22 steps within 1,938 states (2,279
/// before the clients' answers were explored alone, 2,480 before session 22 left
/// each client's last answer out of the canonical state); the
/// page never calls it the shortest, links it to the race, and it replays to the
/// same break.
#[test]
fn past_a_bound_with_no_break_a_run_found_depth_first_is_shown() {
    let s = scenarios::find("write-behind-crash").unwrap();
    let run = Run::with_default_seed(s, Fixes::parse(s, ["durable-queue"]).unwrap());
    let found = search_run(&run, 0, 40_000);
    assert!(!found.complete);
    assert_eq!(
        [
            found.states,
            found.ends,
            found.depth,
            found.deep_states,
            found.deep_ends
        ],
        // 1,938 before session 27: the phase's runs that hold one event back
        // (`search::held`) come first, and find no break here; the depth-first part
        // then finds the same run.
        [40_000, 1, 17, 1_962, 11]
    );
    assert_eq!(found.violations.len(), 1);
    let c = &found.violations[0];
    assert_eq!(
        (
            c.invariant.as_str(),
            c.steps,
            c.shortest,
            c.teaches.as_deref()
        ),
        ("cache-matches-db", 22, false, Some("stale-set-race"))
    );
    let text = summary(&found, 0, 40_000, true);
    assert!(
        text.contains(
            "No violation in the 1 end state reached breadth first, but runs that end past \
             the bound were not judged, so runs in earliest-first order, each with at most one event held back until no other is enabled, then a depth-first search, earliest event first, \
             visited 1,962 states (one for all that differ only in times before the horizon, the time by which every \
             run ends), \
             11 of them end states. It found a run that breaks cache-matches-db (not known to \
             be the shortest)."
        ),
        "{text}"
    );
    assert!(!text.contains("Broken in"), "{text}");
    assert!(!text.contains("proves nothing"), "{text}");
    let line = counterexample_line(c);
    assert!(line.contains("not known to be the shortest"), "{line}");
    let events = crate::sim::codec::decode(&run, &c.code).expect("its run code reads");
    assert_eq!(events.len(), 22);
    let played = run.replayed(&events).expect("it replays");
    assert!(played.at_end(), "the run ends");
    assert!(crate::sim::Invariant::CacheMatchesDb
        .check(played.world())
        .is_err());
}

/// A complete search with end states and no violation says so, with its count.
#[test]
fn a_complete_search_with_no_violation_gives_its_state_count() {
    let found = search("cache-aside-read", 100_000);
    assert!(found.complete && found.violations.is_empty());
    // One end state, said in the singular (review session 14: "(1 end states)").
    assert_eq!(found.ends, 1);
    let text = summary(&found, 0, MAX_STATES, true);
    assert!(
        text.contains(&format!(
            "{} distinct states, 1 of them an end state, in ",
            grouped(found.states)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "No violation in {} states: no run ends with an invariant broken (1 end state \
             judged). A run is judged at its end (read-your-writes at every step): a window \
             that closes before the end (a copy stale for a while, then put right) is not a \
             break.",
            grouped(found.states)
        )),
        "{text}"
    );
}

/// stale-set-race with the lease, one fault placed: the search breaks it only by
/// a fault (the lease holds against timing alone), and the counterexample names it.
#[test]
fn a_counterexample_that_needs_a_fault_names_it() {
    let s = scenarios::find("stale-set-race").unwrap();
    let fixes = Fixes::parse(s, ["lease"]).unwrap();
    let run = Run::with_default_seed(s, fixes);
    let found = search_run(&run, 1, 100_000);
    assert!(found.complete);
    let c = found.violations.first().expect("a fault breaks the lease");
    let events = crate::sim::codec::decode(&run, &c.code).expect("its run code reads");
    let note = crate::ui::placed::of(&run, &events)
        .note()
        .expect("the run has a fault");
    assert!(note.contains("the search placed"), "{note}");
    // The dropped reply means no delete ever reaches the cache between the read's
    // miss and its set: a lost invalidation, not the stale-set race the lease stops
    // (session 9's review found the page calling it that).
    assert_eq!(c.teaches, None, "{:?}", c.code);
}

/// Numbers a projector's reader can count, and a time in seconds past one second
/// (review session 12, V7).
#[test]
fn numbers_are_grouped_and_times_read_in_seconds() {
    let cases = [
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (717_064, "717,064"),
    ];
    for (n, text) in cases {
        assert_eq!(grouped(n), text);
    }
    assert_eq!(grouped(1_000_000), "1,000,000");
    assert_eq!(duration(2), "2 ms");
    assert_eq!(duration(999), "999 ms");
    assert_eq!(duration(29_495), "29.5 s");
    assert_eq!(duration(61_000), "61.0 s");
}

/// A search stopped by the state bound names it; one whose bound was not reached
/// (a smaller search's own) does not claim it.
#[test]
fn a_search_stopped_by_the_state_bound_names_it() {
    let s = scenarios::find("stale-set-race").unwrap();
    let run = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
    let cut = search_run(&run, 0, 200);
    assert!(!cut.complete);
    assert_eq!(cut.states, 200);
    let text = summary(&cut, 0, 200, true);
    assert!(
        text.contains("200 (the state bound) distinct states searched"),
        "{text}"
    );
    let whole = search_run(&run, 0, 100_000);
    let text = summary(&whole, 0, 100_000, true);
    assert!(!text.contains("the state bound"), "{text}");
}

/// poison-event: every order ends in one end state, which breaks cache-matches-db:
/// the page says every interleaving breaks it, not "some" (review session 12, V8).
/// stale-set-race has several end states, and the race breaks only some: the page
/// says how many of them.
#[test]
fn a_break_says_how_many_end_states_it_is_known_in() {
    let found = search("poison-event", 100_000);
    assert!(found.complete);
    assert_eq!(found.ends, 1);
    assert_eq!(found.violations.len(), 1);
    let text = summary(&found, 0, MAX_STATES, true);
    assert!(text.contains("1 of them an end state"), "{text}");
    assert!(
        text.contains("Broken in every interleaving: every run ends in that one end state, which breaks cache-matches-db."),
        "{text}"
    );
    let race = search("stale-set-race", 100_000);
    assert!(race.complete && race.ends > 1);
    let text = summary(&race, 0, MAX_STATES, true);
    // Counted (`Found::broken_ends`; `tests/search_end_counts.rs` checks the count
    // against a plain enumeration): the race breaks one of its three end states.
    assert!(
        text.contains("Of the 3 end states, 1 breaks cache-matches-db."),
        "{text}"
    );
    assert!(!text.contains("every interleaving:"), "{text}");
}
