//! `no-lost-event` judges an event delivered once its invalidation took effect: the
//! cache applied the consumer's delete (or set), whatever became of the cache's reply.
//! A review found `hybrid`'s search with one fault reporting the invariant broken by a
//! run where the consumer's delete had been applied and only its reply was lost (the
//! consumer crashed before reading it): the books counted an event delivered only once
//! the consumer had read that reply. A delete still on the network to the cache is on
//! its way, even from a consumer that has crashed since (the cache applies it); an
//! event a crashed consumer had received and not yet sent its delete for is lost on an
//! at-most-once bus (Redis Pub/Sub), and comes again from a durable log.
mod common;
use cachescope::sim::ids::NodeId;
use cachescope::sim::msg::Payload;
use cachescope::sim::scenario::file;
use cachescope::sim::{scenarios, Event, Fault, Fixes, Invariant, Run};
use common::{start, story};

/// Steps `run` on its default order until `stop` holds of it. Panics if it ends first.
fn step_until(run: &mut Run, stop: impl Fn(&Run) -> bool) {
    while !stop(run) {
        assert!(run.forward(), "the run ended first:\n{}", story(run));
    }
}

/// Whether the last step was the cache's applying the consumer's delete.
fn cache_applied_the_consumers_delete(run: &Run) -> bool {
    run.records().last().is_some_and(|r| {
        r.hop == Some((NodeId::CONSUMER, NodeId::CACHE)) && r.to_string().contains("del user:1")
    })
}

/// Fires `fault` at the cursor, the steps recorded past it dropped.
fn fault(run: &mut Run, fault: Fault) {
    run.truncate_future();
    run.fire(Event::Fault(fault))
        .unwrap_or_else(|e| panic!("{fault} refused: {e:?}"));
}

/// Steps `run` to its end, checking `no-lost-event` in every state on the way.
fn holds_to_the_end(run: &mut Run) {
    loop {
        if let Err(e) = Invariant::NoLostEvent.check(run.world()) {
            panic!("{e}\n{}", story(run));
        }
        if !run.forward() {
            break;
        }
    }
    assert!(run.at_end());
}

/// The reviewed run: hybrid, the consumer crashes right after the cache applied its
/// delete of user:1, before the reply reached it. The event was delivered: the delete
/// took effect; only the reply is lost.
#[test]
fn a_delete_the_cache_applied_delivered_its_event_whatever_became_of_the_reply() {
    let mut run = start("hybrid", &[]);
    step_until(&mut run, cache_applied_the_consumers_delete);
    assert!(
        run.world()
            .net
            .iter()
            .any(|m| m.to == NodeId::CONSUMER && matches!(m.payload, Payload::DelReply { .. })),
        "the reply is on its way"
    );
    fault(&mut run, Fault::Crash(NodeId::CONSUMER));
    holds_to_the_end(&mut run);
    let text = story(&run);
    // The reply was lost to the crashed consumer: it never handled the event.
    assert!(!text.contains("handled e3"), "{text}");
    assert!(text.contains("cache->consumer: deleted => lost"), "{text}");
    assert!(
        Invariant::CacheMatchesDb.check(run.world()).is_ok(),
        "{text}"
    );
    assert!(!text.contains("exists nowhere"), "{text}");
}

/// The consumer crashes with its delete on the network to the cache: the delete is on
/// its way, and once the cache applies it the event is delivered.
#[test]
fn a_delete_on_its_way_from_a_crashed_consumer_is_on_its_way() {
    let mut run = start("hybrid", &[]);
    step_until(&mut run, |r| {
        r.world()
            .net
            .iter()
            .any(|m| m.from == NodeId::CONSUMER && matches!(m.payload, Payload::Del { .. }))
    });
    fault(&mut run, Fault::Crash(NodeId::CONSUMER));
    assert!(Invariant::NoLostEvent.check(run.world()).is_ok());
    holds_to_the_end(&mut run);
    assert!(story(&run).contains("consumer->cache: del user:1 => deleted"));
}

/// The delete dropped by the network after the consumer crashed: nothing will delete
/// the key for that event on an at-most-once bus; broken.
#[test]
fn a_dropped_delete_from_a_crashed_consumer_loses_the_event_on_pub_sub() {
    let mut run = start("hybrid", &[]);
    step_until(&mut run, |r| {
        r.world()
            .net
            .iter()
            .any(|m| m.from == NodeId::CONSUMER && matches!(m.payload, Payload::Del { .. }))
    });
    let del = run
        .world()
        .net
        .iter()
        .find(|m| m.from == NodeId::CONSUMER)
        .map(|m| m.id)
        .unwrap();
    fault(&mut run, Fault::Crash(NodeId::CONSUMER));
    fault(&mut run, Fault::Drop(del));
    let e = Invariant::NoLostEvent.check(run.world()).unwrap_err();
    assert!(e.contains("user:1=v2"), "{e}");
}

/// hybrid with a second writer of user:1 (`writer-3`, at the first writer's time), so
/// that two events reach the consumer close together; with a durable log (and a
/// prefetch of 2, so both are delivered before either is acknowledged) if `durable`.
fn two_events(durable: bool) -> Run {
    let s = scenarios::find("hybrid").unwrap();
    let mut text = file::to_json(s)
        .replace("\"id\": \"hybrid\"", "\"id\": \"hybrid-two-events\"")
        .replace(
            "\"writer-2\": [",
            "\"writer-3\": [\n        {\n          \"op\": \"write\",\n          \"key\": 1,\n          \
             \"at_ms\": 50\n        }\n      ],\n      \"writer-2\": [",
        );
    if durable {
        text = text
            .replace("\"durable\": false", "\"durable\": true")
            .replace("\"prefetch\": 1", "\"prefetch\": 2");
    }
    let s = file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .into_scenario();
    Run::new(s, Fixes::none(), s.seed)
}

/// Steps `run` until the consumer has sent its delete for one event and holds the
/// other, received, in its inbox (delivered while it was busy), then crashes it; the
/// event in its inbox, in words (`user:1=v3`), and the one it was applying.
fn crash_holding_a_received_event(run: &mut Run) -> (String, String) {
    let held = loop {
        let w = run.world();
        let c = w.nodes.consumer(NodeId::CONSUMER).unwrap();
        if let (Some((busy, _, _)), Some((ev, _))) = (c.busy, c.inbox.first()) {
            break (
                format!("{}={}", ev.key, ev.version),
                format!("{}={}", busy.key, busy.version),
            );
        }
        // A delivery to the busy consumer first, so that it waits in its inbox.
        let deliver = c.busy.and_then(|_| {
            w.net
                .iter()
                .find(|m| m.to == NodeId::CONSUMER && matches!(m.payload, Payload::Deliver { .. }))
                .map(|m| Event::Deliver(m.id))
        });
        match deliver {
            Some(e) => {
                run.truncate_future();
                run.fire(e).expect("the delivery arrives");
            }
            None => assert!(run.forward(), "the run ended first:\n{}", story(run)),
        }
    };
    fault(run, Fault::Crash(NodeId::CONSUMER));
    held
}

/// At-most-once (Redis Pub/Sub): the event the consumer had received and not yet sent
/// a delete for died with it; nothing will ever deliver it again. A true violation.
#[test]
fn an_event_a_crashed_consumer_received_and_never_applied_is_lost_on_pub_sub() {
    let mut run = two_events(false);
    let (received, applying) = crash_holding_a_received_event(&mut run);
    // The newer change's event is the one in its inbox (an older event's delete on its
    // way covers no newer change).
    assert_eq!(
        (received.as_str(), applying.as_str()),
        ("user:1=v3", "user:1=v2")
    );
    let e = Invariant::NoLostEvent.check(run.world()).unwrap_err();
    assert_eq!(
        e,
        format!("the change {received} was committed but its event exists nowhere: the cache will never hear of it")
    );
    // And it stays broken to the end.
    while run.forward() {}
    assert!(
        Invariant::NoLostEvent.check(run.world()).is_err(),
        "{}",
        story(&run)
    );
}

/// A durable log keeps the event unacknowledged: it is redelivered after the restart,
/// still on its way meanwhile. Holds.
#[test]
fn an_event_a_crashed_consumer_received_comes_again_from_a_durable_log() {
    let mut run = two_events(true);
    crash_holding_a_received_event(&mut run);
    assert!(
        Invariant::NoLostEvent.check(run.world()).is_ok(),
        "{}",
        story(&run)
    );
    fault(&mut run, Fault::Restart(NodeId::CONSUMER));
    holds_to_the_end(&mut run);
}
