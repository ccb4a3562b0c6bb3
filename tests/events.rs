//! The event-driven scenarios' traces, checked as a whole, with and without each fix,
//! and the outcome the catalog gives. Update the snapshots with
//! `UPDATE_EXPECT=1 cargo test`.
mod common;
use common::*;

#[test]
fn event_invalidation() {
    let r = run("event-invalidation", &[]);
    check(&r, expect_file!["snapshots/event-invalidation.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(holds(&r, Invariant::NoLostEvent));
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    assert_eq!(metric(&r, Metric::EventsDelivered), 1);
}

#[test]
fn event_delay_is_stale_while_in_flight() {
    let scenario = scenarios::find("event-delay").unwrap();
    let mut r = Run::with_default_seed(scenario, Fixes::none());
    let mut seen_violation_in_flight = false;
    while r.forward() {
        let in_flight = r.world().net.iter().any(|m| m.payload.kind() == "event");
        if in_flight && !holds(&r, Invariant::CacheMatchesDb) {
            seen_violation_in_flight = true;
        }
    }
    assert!(
        seen_violation_in_flight,
        "violated while the event is in flight"
    );
    check(&r, expect_file!["snapshots/event-delay.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(holds(&r, Invariant::NoLostEvent));
    assert_eq!(metric(&r, Metric::StaleReads), 1);
}

#[test]
fn event_loss_at_most_once() {
    let r = run("event-loss", &[]);
    check(&r, expect_file!["snapshots/event-loss.txt"]);
    assert!(!holds(&r, Invariant::NoLostEvent));
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(metric(&r, Metric::EventsDropped), 1);
}

#[test]
fn event_loss_durable_bus() {
    let r = run("event-loss", &["durable-bus"]);
    check(&r, expect_file!["snapshots/event-loss+durable-bus.txt"]);
    assert!(holds(&r, Invariant::NoLostEvent));
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(story(&r).contains("Kafka"));
}

#[test]
fn event_duplicate_reorder_without_fix() {
    let r = run("event-duplicate-reorder", &[]);
    check(&r, expect_file!["snapshots/event-duplicate-reorder.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    assert_eq!(
        r.world().db().read(cachescope::sim::Key(1)).to_string(),
        "v3"
    );
}

#[test]
fn event_duplicate_reorder_versioned_events() {
    let r = run("event-duplicate-reorder", &["versioned-events"]);
    check(
        &r,
        expect_file!["snapshots/event-duplicate-reorder+versioned-events.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v3"));
}

#[test]
fn event_duplicate_reorder_idempotent_consumer() {
    let r = run("event-duplicate-reorder", &["idempotent-consumer"]);
    check(
        &r,
        expect_file!["snapshots/event-duplicate-reorder+idempotent-consumer.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(story(&r).contains("versioning also covers reordering"));
}

#[test]
fn poison_event_blocks_until_the_horizon() {
    let r = run("poison-event", &[]);
    check(&r, expect_file!["snapshots/poison-event.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert!(r.world().bus().dlq.is_empty());
}

#[test]
fn poison_event_retry_dlq() {
    let r = run("poison-event", &["retry-dlq"]);
    check(&r, expect_file!["snapshots/poison-event+retry-dlq.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(r.world().bus().dlq.len(), 1);
    let view = cachescope::sim::view::View::of(r.world(), r.scenario);
    assert_eq!(view.dlq.len(), 1);
}

#[test]
fn outbox_pattern() {
    let r = run("outbox", &[]);
    check(&r, expect_file!["snapshots/outbox.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(holds(&r, Invariant::NoLostEvent));
    let view = cachescope::sim::view::View::of(r.world(), r.scenario);
    assert!(!view.outbox.is_empty());
    assert!(
        view.outbox.iter().all(|row| row.published),
        "every outbox row ends published"
    );
    assert!(story(&r).contains("aggregatetype"));
}

#[test]
fn dual_write_crash_loses_the_event() {
    let r = run("dual-write-crash", &[]);
    check(&r, expect_file!["snapshots/dual-write-crash.txt"]);
    assert!(!holds(&r, Invariant::NoLostEvent));
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
}

#[test]
fn dual_write_crash_outbox() {
    let r = run("dual-write-crash", &["outbox"]);
    check(&r, expect_file!["snapshots/dual-write-crash+outbox.txt"]);
    assert!(holds(&r, Invariant::NoLostEvent));
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(
        metric(&r, Metric::EventsPublished),
        2,
        "published again after the relay's restart"
    );
    assert!(r.world().db().outbox.iter().all(|row| row.published));
}
