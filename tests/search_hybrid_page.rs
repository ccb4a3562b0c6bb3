//! `hybrid` searched as the page searches it with one fault placed (the worker's
//! `Job`: time shift, subsumption, a client's message alone, the page's bound of a
//! million states). A review found it reporting `no-lost-event` broken by a run where
//! the consumer's delete had been applied at the cache and only the cache's reply was
//! lost, the consumer crashed before reading it (`tests/lost_event_delivered.rs`). An
//! event is delivered once the cache applied its delete: no counterexample of
//! `no-lost-event` may have the consumer's delete reach the cache (hybrid has one
//! event, so such a run delivered it). The run it finds now loses the event truly: the
//! consumer crashes with the event on its way to it, and the bus keeps no copy.
//!
//! With no fault, what it shows in place of the stale-set race, and why (the second
//! test). Release only (the test-search tier), as `search_outbox_page.rs`: a million
//! states each.
#![cfg(not(debug_assertions))]
use cachescope::sim::ids::NodeId;
use cachescope::sim::search::job::Job;
use cachescope::sim::search::msg::{Found, Request, MAX_STATES};
use cachescope::sim::{codec, link, scenarios, Fixes, Invariant, Run};

fn page_search(run: &Run, faults: u8) -> Found {
    let request = Request {
        link: link::setup_query(run),
        faults,
        max_states: MAX_STATES,
        slice: false,
    };
    let mut job = Job::new(&request).expect("the page's own setup");
    job.found_at_end(1_000, 10_000, 1)
        .expect("the search ends with a result")
}

#[test]
fn hybrid_with_one_fault_breaks_no_lost_event_only_by_an_event_truly_lost() {
    let s = scenarios::find("hybrid").unwrap();
    let run = Run::new(s, Fixes::none(), s.seed);
    let found = page_search(&run, 1);
    let verdicts: Vec<(&str, usize, bool)> = found
        .violations
        .iter()
        .map(|c| (c.invariant.as_str(), c.steps, c.shortest))
        .collect();
    let lost = found
        .violations
        .iter()
        .find(|c| c.invariant == "no-lost-event")
        .expect("a crash of the service after its commit, or of the consumer before the event, loses it");
    let events = codec::decode(&run, &lost.code).expect("its run code reads");
    let played = run.replayed(&events).expect("it replays");
    let e = Invariant::NoLostEvent.check(played.world()).unwrap_err();
    // The change it names was never deleted by the consumer: no delete of it reached
    // the cache.
    assert!(e.contains("user:1=v2"), "{e}");
    assert!(
        !played
            .records()
            .iter()
            .any(|r| r.hop == Some((NodeId::CONSUMER, NodeId::CACHE))),
        "{e}\n{}",
        played.trace()
    );
    // The run found: the consumer crashes while e3 is on its way to it, and the bus
    // (at-most-once) keeps no copy: truly lost.
    let trace = played.trace();
    assert!(
        trace.contains("consumer: crash consumer => crashed")
            && trace.contains("bus->consumer: e3 user:1=v2 => lost: node down"),
        "{trace}"
    );
    // Breadth first stops at the bound with no end state, so the depth-first phase
    // runs. Before session 24 it found, within 2,959 states (37 ends), a run of 56
    // steps that broke no-lost-event only by the books: the consumer crashed at 410 ms
    // with the cache's reply to its applied delete of user:1 on the network. Now it
    // visits 12,422 states (45 ends) to the true loss above, 50 steps.
    assert_eq!(
        (
            found.states,
            found.ends,
            found.depth,
            found.complete,
            found.deep_states,
            found.deep_ends,
            verdicts.as_slice()
        ),
        (
            1_000_000,
            0,
            14,
            false,
            12_422,
            45,
            &[("no-lost-event", 50, false)][..]
        )
    );
}

/// With no fault placed (issue 10 asks that the result show the stale-set race): breadth
/// first stops at the bound at depth 27 with no end state (the complete search has
/// 6,672,465 states and its shortest violation takes 49 steps: `search_cdc.rs`), and the
/// depth-first phase, earliest event first, finds within 276 states the batch job's
/// race: writer-2's direct write of user:2 commits v2 after a read at 400 ms selected
/// v1, whose set lands after. No invalidation came between that read's miss and its
/// set (the batch job invalidates nothing), so it is not the stale-set race and the
/// page links to no scenario. Why the stale-set race is not found instead is argued,
/// not searched: only the reader's first read of user:1 can straddle the service's
/// write (its later read finds the key filled, or deleted after the commit), and while
/// that read waits for its set only the clients' starts at 50 and 60 ms move the clock,
/// so the stale copy lands at about 70 ms and its TTL of 300 ms ends it before the
/// reader's last read at 400 ms: `cache-matches-db`, judged at a run's end, does not
/// break by it.
#[test]
fn hybrid_with_no_fault_shows_the_batch_jobs_race_which_is_not_the_stale_set_race() {
    let s = scenarios::find("hybrid").unwrap();
    let run = Run::new(s, Fixes::none(), s.seed);
    let found = page_search(&run, 0);
    assert_eq!(
        (
            found.states,
            found.ends,
            found.depth,
            found.complete,
            found.deep_states,
            found.deep_ends
        ),
        (1_000_000, 0, 27, false, 276, 2)
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
        ("cache-matches-db", 55, false, None)
    );
    let events = codec::decode(&run, &c.code).expect("its run code reads");
    let played = run.replayed(&events).expect("it replays");
    let trace = played.trace();
    assert!(
        trace.contains("405ms writer-2->db: update user:2 => committed v2")
            && trace.contains("408ms service->cache: set user:2=v1 => stored v1"),
        "{trace}"
    );
    let e = Invariant::CacheMatchesDb.check(played.world()).unwrap_err();
    assert!(e.contains("user:2=v1"), "{e}");
}
