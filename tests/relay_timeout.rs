//! The outbox relay bounds each request of its cycle (`relay::TIMEOUT_MS`): a publish
//! lost with a crashed bus is published again once the bus is back, instead of the
//! relay waiting for ever while the ending promised "the relay will publish it when it
//! next polls" (review session 10, F13). A late answer to a request it gave up on is
//! ignored, and a row published twice is at-least-once, which the consumer's delete
//! tolerates.
use cachescope::sim::books::Invariant;
use cachescope::sim::msg::Payload;
use cachescope::sim::relay::TIMEOUT_MS;
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fault, Fixes, NodeId, Run};

/// The outbox run at the step where the relay's publish is in flight to the bus.
fn at_publish() -> Run {
    let s = scenarios::find("outbox").unwrap();
    let mut r = Run::with_default_seed(s, Fixes::none());
    while !r
        .world()
        .net
        .iter()
        .any(|m| matches!(m.payload, Payload::Publish { .. }))
    {
        assert!(r.forward(), "the outbox run publishes");
    }
    r.truncate_future();
    r
}

fn unpublished(r: &Run) -> usize {
    r.world()
        .db()
        .outbox
        .iter()
        .filter(|o| !o.published)
        .count()
}

fn said(r: &Run, words: &str) -> bool {
    r.records().iter().any(|s| s.narration.contains(words))
}

#[test]
fn a_publish_lost_with_the_bus_is_sent_again_once_the_bus_is_back() {
    let mut r = at_publish();
    r.fire(Event::Fault(Fault::Crash(NodeId::BUS))).unwrap();
    // The publish is delivered to a down bus: lost.
    let publish = r
        .world()
        .enabled()
        .into_iter()
        .find(|e| matches!(e, Event::Deliver(_)))
        .unwrap();
    r.fire(publish).unwrap();
    r.fire(Event::Fault(Fault::Restart(NodeId::BUS))).unwrap();
    let crashed_at_ms = r.world().now_ms;
    r.run_to_end();
    assert!(said(
        &r,
        &format!("No answer from the bus to its publish of e2 in {TIMEOUT_MS} ms")
    ));
    assert_eq!(unpublished(&r), 0, "the row is published and marked");
    assert!(r.world().now_ms >= crashed_at_ms + TIMEOUT_MS - 10);
    assert_eq!(Invariant::CacheMatchesDb.check(r.world()), Ok(()));
    assert_eq!(Invariant::NoLostEvent.check(r.world()), Ok(()));
}

#[test]
fn with_the_bus_down_for_good_the_relay_keeps_trying_and_the_ending_says_so() {
    let mut r = at_publish();
    r.fire(Event::Fault(Fault::Crash(NodeId::BUS))).unwrap();
    r.run_to_end();
    assert_eq!(unpublished(&r), 1);
    let timeouts = r
        .records()
        .iter()
        .filter(|s| {
            s.narration
                .contains("gives up on it and polls the outbox again")
        })
        .count();
    assert!(timeouts >= 2, "it retries while the run lasts: {timeouts}");
    let ending = r.scenario.epilogue(r.world(), &r.fixes);
    assert!(ending.contains("the bus is down"), "{ending}");
    assert!(!ending.contains("when it next polls"), "{ending}");
}

#[test]
fn an_answer_after_its_timeout_is_ignored() {
    // The bus's ack is held back (a delay fault) past the timeout: the relay
    // polls again, and the late ack is then not acted on a second time.
    let mut r = at_publish();
    let publish = r
        .world()
        .enabled()
        .into_iter()
        .find(|e| matches!(e, Event::Deliver(_)))
        .unwrap();
    r.fire(publish).unwrap();
    // Once: a delay adds `fault_delay_ms` (100), past the relay's timeout.
    let ack = r
        .world()
        .net
        .iter()
        .find(|m| matches!(m.payload, Payload::PublishAck { .. }))
        .map(|m| m.id)
        .unwrap();
    r.fire(Event::Fault(Fault::Delay(ack))).unwrap();
    let mut guard = 0;
    while !said(&r, "gives up on it") {
        guard += 1;
        assert!(guard < 50, "the relay times out while the ack is held back");
        assert!(r.forward());
    }
    r.run_to_end();
    assert!(said(&r, "is no longer waiting for this answer"));
    assert_eq!(unpublished(&r), 0);
}
