//! Review session 16's findings, each at the reviewer's reproduction
//! (/work/wt/review-session16.md while it lasts): sentences true of their trace.
mod common;
use cachescope::sim::{Event, Fault, NodeId};

use common::at;

/// F2: rollback-after-cache-write, the service crashes with its transaction open. The
/// review's orphaned transaction (the close lost, then the abort fault) cannot arise
/// since session 19: the close cannot be dropped, and the abort is not offered on a
/// transaction whose service is down (its close rolls it back), so no words need to
/// say an orphan's rollback (they were removed). The test of those words is replaced
/// by this one: neither fault is offered, and the close rolls the transaction back.
#[test]
fn an_orphaned_transaction_cannot_arise_and_the_close_rolls_it_back() {
    use cachescope::sim::msg::Payload;
    let mut run = common::crashed_in_transaction();
    let writer = NodeId::parse("writer").unwrap();
    let faults = run.world().faults();
    assert!(!faults.contains(&Event::Fault(Fault::Abort(writer))));
    assert!(!faults
        .iter()
        .any(|f| matches!(f, Event::Fault(Fault::Drop(id)) if run.world().net.iter().any(|m| m.id == *id && m.payload == Payload::Closed))));
    assert!(run.fire(Event::Fault(Fault::Abort(writer))).is_err());
    run.run_to_end();
    assert!(run.world().db().txns.is_empty(), "{}", run.trace());
    assert!(run.records().iter().any(|r| r
        .narration
        .contains("ends the session and rolls back its open transaction")));
    // And with the service up and its request waiting, the abort's words are the
    // usual ones (the scenario's own story).
    let mut story = at("scenario=rollback-after-cache-write&step=0");
    story.run_to_end();
    let told: Vec<&str> = story
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::Fault(Fault::Abort(_))))
        .map(|r| r.narration.as_str())
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].contains("will learn it when its COMMIT is refused"),
        "{}",
        told[0]
    );
}

/// F1: near-cache-stale + client-tracking, the cache node crashes at step 5 (before
/// service-2 keeps a near copy) and restarts. The flush at the close finds nothing; the
/// writer's delete later makes the restarted node push an invalidation, which drops
/// the copy. The ending must not credit the flush. (The review crashed it at step 6,
/// with service-2's set on its way: since session 17 that set is lost with the crash,
/// F4, and the restarted node never tracks service-2's read.)
#[test]
fn the_crash_ending_does_not_credit_a_flush_that_found_nothing() {
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=5");
    run.truncate_future();
    let cache = NodeId::parse("cache").unwrap();
    run.fire(Event::Fault(Fault::Crash(cache))).unwrap();
    run.fire(Event::Fault(Fault::Restart(cache))).unwrap();
    run.run_to_end();
    let steps: Vec<&str> = run.records().iter().map(|r| r.narration.as_str()).collect();
    assert!(
        steps
            .iter()
            .any(|s| s.contains("there is nothing to flush")),
        "{steps:#?}"
    );
    assert!(
        steps.iter().any(|s| s.contains("drops its near copy")),
        "{steps:#?}"
    );
    let text = run.scenario.epilogue(run.world(), &run.fixes);
    assert!(
        !text.contains("and a later read went to the shared cache"),
        "{text}"
    );
    // Review 18 (9): the ending says which dropped it, from the books, instead of
    // "the steps above tell which of them, if either, dropped a near copy".
    assert!(
        text.contains(
            "In this run an invalidation the cache node pushed dropped service-2's near copy."
        ),
        "{text}"
    );
    assert!(!text.contains("steps above"), "{text}");
}
