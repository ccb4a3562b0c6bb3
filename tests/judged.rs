//! The card's sentences from a counterexample's own states (review session 14, X6 and
//! X7), on real searches as the page reads the worker's result.
mod common;
use cachescope::sim::books::Invariant;
use cachescope::sim::search::msg::Found;
use cachescope::sim::{codec, Event, Fault, Run};
use cachescope::ui::{judged, placed};

fn run(id: &str, fixes: &[&str]) -> Run {
    common::start(id, fixes)
}

/// A search of `run`'s setup with up to `faults` placed, as the page asks the worker.
fn search(run: &Run, faults: u8) -> Found {
    common::search(run, faults, 200_000)
}

/// The shortest counterexample of `invariant`, its events and its card notes.
fn card(run: &Run, faults: u8, invariant: &str) -> (Vec<Event>, placed::Placed, Vec<String>) {
    let found = search(run, faults);
    // Found breadth first: shortest, whether or not the search went on to its end.
    let c = found
        .violations
        .iter()
        .find(|c| c.invariant == invariant && c.shortest)
        .expect("a shortest counterexample");
    let events = codec::decode(run, &c.code).expect("its code reads");
    let p = placed::of(run, &events);
    let notes = judged::notes(run, &events, invariant, &p);
    (events, p, notes)
}

/// The same events without the faults the search placed, run on to the end.
fn without_search_faults(r: &Run, events: &[Event], p: &placed::Placed) -> Run {
    let kept: Vec<Event> = (1..)
        .zip(events)
        .filter(|(step, _)| !p.search_steps.contains(step))
        .map(|(_, e)| *e)
        .collect();
    let mut without = r.replayed(&kept).expect("the other events still fire");
    without.run_to_end();
    without
}

#[test]
fn a_drop_that_only_ends_the_run_sooner_is_said_to() {
    // Reviewer's case: a 17-step "shortest" run with drop m14 at step 17, broken from
    // step 14: the dropped reply is the one the reader waits for.
    let r = run("invalidate-before-commit", &[]);
    let (events, p, notes) = card(&r, 1, "cache-matches-db");
    assert_eq!(p.search.len(), 1, "{p:?}");
    let at = p.search_steps[0];
    assert_eq!(events[at - 1].fault(), Some(p.search[0]));
    let without = without_search_faults(&r, &events, &p);
    assert!(Invariant::CacheMatchesDb.check(without.world()).is_err());
    assert!(without.cursor() > events.len(), "{}", without.trace());
    assert_eq!(
        notes.first().map(String::as_str),
        Some(
            format!(
                "The search's fault {} (step {at}) is not what breaks cache-matches-db: without it, the same steps, \
                 then on to the end, end with it broken too, after {} steps. The fault only ends this run sooner.",
                p.search[0],
                without.cursor()
            )
            .as_str()
        ),
        "{notes:?}"
    );
}

#[test]
fn a_fault_that_loses_the_mending_delete_gets_no_such_sentence() {
    // lease closes the stale-set race; with one fault the search crashes the service
    // after the stale set, with its delete still to send, and restarts it (a free
    // recovery): the delete is never sent. The cache is already stale before the
    // crash, but the delete the crash loses would mend it: the fault makes the break.
    // (Before session 17 the shortest run dropped the update's reply, to the same
    // effect; the restart now loses what was on its way to the service, review session
    // 16 F4, which makes this run a step shorter.) Since review 20b (F8) the crash's run
    // is a step longer again (the writer reads its connection reset), and the shortest
    // drops the delete already on its way: the same effect, a fault that makes the break.
    let r = run("stale-set-race", &["lease"]);
    let (events, p, notes) = card(&r, 1, "cache-matches-db");
    assert!(!p.search.is_empty(), "{p:?}");
    assert!(
        matches!(p.search[0], Fault::Crash(_) | Fault::Drop(_)),
        "{p:?}"
    );
    let replay = r.replayed(&events).unwrap();
    let before = replay.state(p.search_steps[0] - 1).unwrap();
    assert!(
        Invariant::CacheMatchesDb.check(before).is_err(),
        "stale before the crash"
    );
    let without = without_search_faults(&r, &events, &p);
    assert!(
        Invariant::CacheMatchesDb.check(without.world()).is_ok(),
        "{}",
        without.trace()
    );
    assert!(
        notes.iter().all(|n| !n.starts_with("The search's fault")),
        "{notes:?}"
    );
}

#[test]
fn a_ttl_past_the_horizon_is_named_and_a_ttl_within_it_is_not() {
    // ttl-expiry: a 450 ms horizon before a 508 ms TTL (review session 14, X7).
    let r = run("ttl-expiry", &[]);
    let (events, _, notes) = card(&r, 0, "cache-matches-db");
    let end = r.replayed(&events).unwrap();
    let w = end.world();
    let past: Vec<&String> = notes
        .iter()
        .filter(|n| n.contains("after this run's horizon"))
        .collect();
    assert_eq!(past.len(), 1, "{notes:?}");
    assert!(
        past[0].ends_with(&format!(
            "after this run's horizon ({} ms): the run ends first, with the copy still stale.",
            w.config.horizon_ms
        )),
        "{past:?}"
    );
    let stale = cachescope::sim::books::copies(w)
        .find(|c| c.entry.expires_ms > w.now_ms && c.entry.version != w.expected(c.key))
        .unwrap();
    assert!(stale.entry.expires_ms > w.config.horizon_ms);
    assert!(past[0].contains(&format!(
        "until its TTL ends it at {} ms",
        stale.entry.expires_ms
    )));
}

#[test]
fn history_properties_and_unknown_names_get_no_sentence() {
    let r = run("invalidate-before-commit", &[]);
    let found = search(&r, 1);
    let c = &found.violations[0];
    let events = codec::decode(&r, &c.code).unwrap();
    let p = placed::of(&r, &events);
    assert!(judged::notes(&r, &events, "read-your-writes", &p).is_empty());
    assert!(judged::notes(&r, &events, "no-such-invariant", &p).is_empty());
}
