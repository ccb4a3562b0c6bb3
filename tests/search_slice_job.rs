//! The page's search of the ghost-reader slice, as the worker runs it (`Job` with
//! `Request::slice`: `no-lost-event` on `Slice::with_ghost_readers`, the time shift
//! and subsumption on, the story's faults only), read back from its result message as
//! the page reads it. The target, `dual-write-crash` with `outbox` (5,351,155 states),
//! is too large for a debug test: `tests/search_ghost_large.rs` pins its search, and
//! the e2e spec `explore-slice.test.mjs` the page's; here the smaller scenarios that
//! qualify, with pinned counts.
use cachescope::sim::search::job::Job;
use cachescope::sim::search::msg::{slice_fits, Found, Request, SLICE_MAX_STATES};
use cachescope::sim::{link, scenarios, Fixes, Run};

fn run(id: &str, fix: Option<&str>) -> Run {
    let s = scenarios::find(id).unwrap();
    let fixes = fix.map_or_else(Fixes::none, |f| Fixes::parse(s, [f]).unwrap());
    Run::new(s, fixes, s.seed)
}

fn request(run: &Run, faults: u8) -> Request {
    Request {
        link: link::setup_query(run),
        faults,
        max_states: SLICE_MAX_STATES,
        slice: true,
    }
}

/// The slice's search of `run` through the worker's messages: the request encoded and
/// decoded, the job stepped to its end, its result message decoded.
fn slice_search(run: &Run) -> Found {
    let decoded = Request::decode(&request(run, 0).encode()).expect("a request reads back");
    assert!(decoded.slice);
    let mut job = Job::new(&decoded).expect("the slice fits");
    // Bounded by the slice's bound on states (and a tenth more depth first).
    job.found_at_end(2_000, 10 * (SLICE_MAX_STATES / 2_000 + 1), 7)
        .expect("the search ends with a result")
}

#[test]
fn the_slice_of_the_dual_write_crash_loses_the_event_with_no_run_to_play() {
    let found = slice_search(&run("dual-write-crash", None));
    assert!(found.complete);
    // One read of 10 ms of hops, and one client's hop (1 ms) for the story's crash.
    assert_eq!(found.slack_ms, Some(21));
    assert_eq!(found.readers, 1);
    // The same count as `tests/search_ghost.rs`'s ghost search.
    assert_eq!((found.states, found.ends, found.depth), (367, 18, 13));
    assert_eq!(found.violations.len(), 1);
    let c = &found.violations[0];
    assert_eq!((c.invariant.as_str(), c.steps), ("no-lost-event", 4));
    assert!(c.shortest);
    // A run of the slice (its readers ghosts) is not one of the full model's: no code.
    assert_eq!((c.code.as_str(), c.teaches.as_deref()), ("", None));
}

#[test]
fn the_slice_of_event_loss_with_the_durable_bus_keeps_every_event() {
    let found = slice_search(&run("event-loss", Some("durable-bus")));
    assert!(found.complete);
    assert!(found.violations.is_empty());
    assert_eq!(found.readers, 1);
    // 400 states before session 24 (the books count an event delivered once the
    // cache applied the consumer's delete, and keep which event each of its deletes on
    // the network applies: `tests/lost_event_delivered.rs`).
    assert_eq!(
        (found.states, found.ends, found.depth, found.slack_ms),
        (414, 12, 17, Some(21))
    );
}

#[test]
fn a_slice_is_refused_where_it_does_not_fit() {
    // Faults placed besides the story's: the slice's argument is made without them.
    let r = run("dual-write-crash", Some("outbox"));
    assert_eq!(slice_fits(&r), Ok(()));
    let e = Job::new(&request(&r, 1)).err().expect("refused");
    assert_eq!(e, "the slice places no fault but the scenario's own");
    // A scenario that does not check no-lost-event.
    let r = run("stale-set-race", None);
    assert_eq!(
        slice_fits(&r),
        Err("this scenario does not check no-lost-event")
    );
    assert!(Job::new(&request(&r, 0)).is_err());
    // A bound past the slice's is no request the page writes.
    let mut too_many = request(&run("dual-write-crash", None), 0);
    too_many.max_states = SLICE_MAX_STATES + 1;
    assert!(Request::decode(&too_many.encode()).is_err());
    // The full model's bound stands for a full search.
    too_many.slice = false;
    too_many.max_states = SLICE_MAX_STATES;
    assert!(Request::decode(&too_many.encode()).is_err());
}
