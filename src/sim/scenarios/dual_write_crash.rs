//! # The dual-write crash
//!
//! The service makes two writes that nothing ties together: it commits the row, then
//! publishes the change event. It crashes in between (the commit's answer is on its
//! way when the process dies). The database has `v2`, but no event was ever published,
//! so the consumer never deletes the key and the cache keeps `v1`. Even a durable bus
//! cannot help: the event never reached it.
//!
//! Fix `outbox`: the event is an outbox row in the same transaction. The service may
//! die after the commit; the relay publishes the row anyway. The script then crashes
//! the relay after it published and before it marked the row, so after its restart it
//! publishes the row again: the consumer deletes the key twice, which is harmless (a
//! delete is idempotent).
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, WriteMode};
use crate::sim::fault::Fault;
use crate::sim::ids::{Key, NodeId};
use crate::sim::msg::Payload;
use crate::sim::scenario::{FixInfo, Fixes, Scenario};
use crate::sim::world::{Event, World};

pub static SCENARIO: Scenario = Scenario {
    id: "dual-write-crash",
    title: "The dual-write crash",
    summary: "The service commits v2 and then crashes before it publishes the event. The database has v2, no event \
              exists, and the cache keeps v1 for good. With the outbox, the event is committed with the row, and the \
              relay publishes it even though the service died; it even survives the relay's own crash.",
    flow: &[
        "service: commit v2",
        "service crashes before the publish",
        "no event: the consumer never deletes the key",
        "(outbox) relay: publish, crash before the mark, restart, publish again",
        "(outbox) consumer: delete, delete again (harmless)",
    ],
    pros: &["Publishing straight after the commit is simple and fast, and usually works."],
    cons: &[
        "Two writes with no transaction around them: a crash between them loses the event, silently.",
        "Publishing first is no better: a crash after it announces a change that never committed.",
    ],
    fixes: &[FixInfo {
        id: "outbox",
        title: "Transactional outbox",
        what: "The service inserts the event as an outbox row in the same transaction as the change; a relay publishes \
               unpublished rows and then marks them.",
        cost: "A table and a relay to run, events arrive a poll later, and delivery is at-least-once: a relay crash \
               between publish and mark publishes the row twice.",
    }],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[Metric::DbWrites, Metric::WritesAcked, Metric::EventsPublished, Metric::EventsDelivered, Metric::StaleReads],
    seed: 1,
    config,
    script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    Config {
        write_mode: if fixes.has("outbox") {
            WriteMode::Outbox
        } else {
            WriteMode::Event
        },
        bus: Some(BusConfig {
            durable: true,
            ..BusConfig::default()
        }),
        restart_after_ms: Some(50),
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 0), Request::read(Key(1), 300)],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 30)]),
        ],
        ..Config::default()
    }
}

fn restarting(w: &World, node: NodeId) -> bool {
    w.books.crashes_of(node) > 0
}

/// Crash the service while the commit's answer is on its way to it; with the outbox,
/// crash the relay once the bus has the event and before the relay marks the row.
fn script(w: &World, _: usize) -> Option<Event> {
    let reply_in_flight = w
        .net
        .iter()
        .any(|m| m.to == NodeId::Service && matches!(m.payload, Payload::DbWriteReply { .. }));
    if reply_in_flight && !restarting(w, NodeId::Service) {
        return Some(Event::Fault(Fault::Crash(NodeId::Service)));
    }
    let acked = w
        .net
        .iter()
        .any(|m| m.to == NodeId::Relay && matches!(m.payload, Payload::PublishAck { .. }));
    if acked && w.metrics.events_published == 1 && !restarting(w, NodeId::Relay) {
        return Some(Event::Fault(Fault::Crash(NodeId::Relay)));
    }
    None
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let service_crashed = w.books.crashes_of(NodeId::Service) > 0;
    let unpublished = w.db.outbox.iter().filter(|r| !r.published).count();
    if fixes.has("outbox") && unpublished == 0 && service_crashed && super::consistent(w) {
        let (published, delivered) = (w.metrics.events_published, w.metrics.events_delivered);
        let twice = if w.books.crashes_of(NodeId::Relay) > 0 && published > w.db.outbox.len() as u64
        {
            format!(
                " The relay's own crash before the mark made it publish the row again ({}, {}); the second delete was \
                 harmless, because a delete is idempotent.",
                super::count(published, "publish", "publishes"),
                super::count(delivered, "delivery", "deliveries")
            )
        } else {
            String::new()
        };
        format!(
            "Done. {}. The service died after its commit, but the event was an outbox row in that very commit, so the \
             relay published it.{twice}",
            super::holds(w, key)
        )
    } else if fixes.has("outbox") && unpublished > 0 {
        format!(
            "Not done yet: {} not marked published (the relay publishes it when it next polls). {}.",
            super::count(unpublished as u64, "outbox row is", "outbox rows are"),
            super::holds(w, key)
        )
    } else if !fixes.has("outbox") && service_crashed && Invariant::NoLostEvent.check(w).is_err() {
        let told = if w.books.acked.get(&key).is_some() {
            ""
        } else {
            " The writer was never even told its write succeeded, yet it did."
        };
        format!(
            "Done. {}: the service committed and died before publishing, so no event exists anywhere, and nothing \
             will ever invalidate the key before its TTL (60 s, long after this run).{told} Try the outbox.",
            super::holds(w, key)
        )
    } else {
        super::other_path(w, key)
    }
}
