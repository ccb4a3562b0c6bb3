//! # Event loss
//!
//! The bus is Redis Pub/Sub: at-most-once. A message is pushed to the subscribers
//! connected at that moment and kept nowhere. The consumer crashes (a deploy, an OOM
//! kill) just before a write; the write's event is published while it is down, and
//! is gone. When the consumer comes back there is nothing to catch up on: the cache
//! keeps `v1` while the database has `v2`, until the TTL, long after this run.
//!
//! Fix `durable-bus`: a persistent log with consumer offsets (Kafka). The event waits
//! in the log; after its restart the consumer resumes from its committed offset,
//! deletes the key, and commits. At-least-once: it may see an event twice.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, WriteMode};
use crate::sim::fault::Fault;
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{FixInfo, Fixes, Scenario};
use crate::sim::world::{Event, World};

pub static SCENARIO: Scenario = Scenario {
    id: "event-loss",
    title: "Event loss: at-most-once and a consumer that is down",
    summary: "The bus is Redis Pub/Sub, at-most-once. The consumer crashes; while it is down a write commits v2 and \
              its event is published to nobody. The consumer restarts with nothing to catch up on, and the cache \
              keeps v1 for good. Switch on the durable bus to see the consumer catch up from its offset.",
    flow: &[
        "consumer crashes",
        "writer: commit v2, publish e2",
        "bus: no subscriber connected: e2 is gone",
        "consumer restarts: nothing to catch up",
        "cache keeps v1",
    ],
    pros: &["Pub/Sub is simple and fast: no disk, no offsets."],
    cons: &[
        "A subscriber that is down, or slow to reconnect, misses messages for good.",
        "Nothing tells anyone that an event was lost.",
    ],
    fixes: &[FixInfo {
        id: "durable-bus",
        title: "Durable bus (a log with offsets)",
        what: "The bus appends every event to a log on disk (like Kafka); the consumer commits its offset after \
               handling an event, and after a restart resumes from the committed offset, so it catches up on what it \
               missed.",
        cost: "A disk write per event and a broker to run. Delivery becomes at-least-once: after a crash between \
               handling and committing, an event comes twice, so handling must be idempotent (a delete is).",
    }],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[
        Metric::DbReads,
        Metric::EventsPublished,
        Metric::EventsDelivered,
        Metric::EventsDropped,
        Metric::StaleReads,
    ],
    seed: 1,
    config,
    script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Event,
        bus: Some(BusConfig {
            durable: fixes.has("durable-bus"),
            ..BusConfig::default()
        }),
        restart_after_ms: Some(100),
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

/// The consumer crashes at 20 ms, after the reader filled the cache, before the write.
fn script(w: &World, _: usize) -> Option<Event> {
    let crashed = w.status_of(NodeId::Consumer) != crate::sim::NodeStatus::Up
        || w.timers.iter().any(|t| {
            t.kind
                == crate::sim::world::TimerKind::Restart {
                    node: NodeId::Consumer,
                }
        });
    let next_at = w.earliest().and_then(|e| w.nominal_ms(e)).unwrap_or(0);
    (!crashed && w.metrics.events_published == 0 && next_at >= 30)
        .then_some(Event::Fault(Fault::Crash(NodeId::Consumer)))
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let crashed = w.books.crashes_of(NodeId::Consumer) > 0;
    let handled = w
        .books
        .delivered
        .get(&key)
        .is_some_and(|v| *v >= w.db.read(key));
    if fixes.has("durable-bus") && crashed && handled && super::consistent(w) {
        format!(
            "Done. {}. The event waited in the log while the consumer was down; after its restart the consumer \
             resumed from its committed offset and deleted the key. A durable log gives at-least-once delivery \
             (Kafka's default).",
            super::holds(w, key)
        )
    } else if !fixes.has("durable-bus") && w.metrics.events_dropped > 0 && !super::consistent(w) {
        format!(
            "Done. {}: the event was published while the consumer was down, and Redis Pub/Sub is at-most-once, so it \
             was simply gone. Only the TTL (at 60 s, long after this run) would end the staleness. Try the durable \
             bus.",
            super::holds(w, key)
        )
    } else {
        super::other_path(w, key)
    }
}
