//! Review session 14, X5: a lost commit reply leaves no event ever. The service
//! publishes a change's event only once it hears of its commit; with the reply lost it
//! waits for ever, which is not a "durable path that will deliver" the event (the
//! contract's `no-lost-event`): the invariant breaks there, as the same scenario's
//! crash at that point breaks it, and the ending names the cause. Each run is read at
//! the reviewer's own link (`link::load`).
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::Invariant;

use common::at;
use review::ending;

const LOST_REPLY: &str = "The network lost the database's reply to the service's commit of user:1 = v2. \
     The service publishes the change's event only once it hears of the commit, so it still waits, and no \
     event of user:1 = v2 was ever published";

/// dual-write-crash with the commit's reply (m11) dropped: the stale read follows,
/// and no-lost-event is broken, as with the scenario's own crash.
#[test]
fn a_lost_commit_reply_breaks_no_lost_event() {
    let run = at("scenario=dual-write-crash&run=1.AAAAAAAAAAAAM&step=18");
    assert!(Invariant::NoLostEvent.check(run.world()).is_err());
    let text = ending(&run);
    assert!(text.contains(LOST_REPLY), "{text}");
    // Before the drop the reply is on its way: the event is still to come.
    let before = at("scenario=dual-write-crash&run=1.AAAAAAAAAAAAM&step=12");
    assert!(
        Invariant::NoLostEvent.check(before.world()).is_ok(),
        "{}",
        common::story(&before)
    );
}

/// event-duplicate-reorder + versioned-events, faults 1: the 4-step run (drop m3) and
/// the 5-step run (crash service) both break no-lost-event, and neither ends with the
/// dedup lecture, about a redelivery that did not happen.
#[test]
fn an_event_never_published_is_not_told_as_a_redelivery() {
    for (query, cause) in [
        (
            "scenario=event-duplicate-reorder&fix=versioned-events&run=1.AAAL&step=4",
            Some(LOST_REPLY),
        ),
        (
            "scenario=event-duplicate-reorder&fix=versioned-events&run=1.AAAB&step=5",
            None,
        ),
    ] {
        let run = at(query);
        assert!(
            Invariant::NoLostEvent.check(run.world()).is_err(),
            "{query}"
        );
        let text = ending(&run);
        assert!(
            !text.contains("Dedup by event id covers redelivery only"),
            "{query}: {text}"
        );
        assert!(
            text.contains("they cannot stand in for an event that never does"),
            "{query}: {text}"
        );
        match cause {
            Some(cause) => assert!(text.contains(cause), "{query}: {text}"),
            None => assert!(!text.contains("The network lost"), "{query}: {text}"),
        }
    }
    // The story: every event arrives, e2 twice; the lecture stays.
    let mut story = common::start("event-duplicate-reorder", &["versioned-events"]);
    story.run_to_end();
    assert!(Invariant::NoLostEvent.check(story.world()).is_ok());
}
