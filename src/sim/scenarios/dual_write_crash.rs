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
    let (c, db) = (super::cached(w, Key(1)), w.db.read(Key(1)));
    if fixes.has("outbox") {
        format!(
            "Done. The cache holds {c} and the database {db}. The service died after its commit, but the event was \
             an outbox row in that very commit, so the relay published it. The relay's own crash before the mark made \
             it publish the row twice ({} publishes, {} deliveries); the second delete was harmless, because a delete \
             is idempotent.",
            w.metrics.events_published, w.metrics.events_delivered
        )
    } else {
        format!(
            "Done. The cache holds {c} while the database has {db}: the service committed and died before publishing, \
             so no event exists anywhere, and nothing will ever invalidate the key before its TTL (60 s, long after \
             this run). The writer was never even told its write succeeded, yet it did. Try the outbox."
        )
    }
}
