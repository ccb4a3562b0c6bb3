//! # Duplicate and reordered events
//!
//! Here the consumer writes the event's value into the cache (an update, not a
//! delete). The bus is at-least-once with acks, like SQS or RabbitMQ: an event whose
//! ack does not come back within the timeout is delivered again. The writer commits
//! `v2` and `v3`; the consumer applies e2 (`v2`), then e3 (`v3`). The ack of e2 is lost
//! on the network, so the bus redelivers e2, after e3: the consumer sets `v2` again and
//! the cache ends at `v2` while the database has `v3`.
//!
//! Fixes: `versioned-events` (the consumer ignores an event older than the version it
//! applied) and `idempotent-consumer` (it remembers processed event ids, so the
//! redelivered e2 does nothing). Dedup covers redelivery only; versioning also covers
//! reordering. A plain delete would have been harmless: deletes are idempotent, as the
//! memcache paper notes.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::config::{BusConfig, Config, ConsumerConfig, Request, WriteMode};
use crate::sim::fault::Fault;
use crate::sim::ids::{Key, NodeId};
use crate::sim::msg::Payload;
use crate::sim::scenario::{FixInfo, Fixes, Scenario};
use crate::sim::world::{Event, World};

pub static SCENARIO: Scenario = Scenario {
    id: "event-duplicate-reorder",
    title: "Duplicate and reordered events",
    summary: "The consumer writes each event's value into the cache. Events e2 (v2) and e3 (v3) are applied in order, \
              but the ack of e2 is lost, so the bus delivers e2 again after e3. The consumer sets v2 over v3: the \
              cache ends older than the database.",
    flow: &[
        "writer: commit v2 (e2), commit v3 (e3)",
        "consumer: set v2, ack e2 (lost)",
        "consumer: set v3, ack e3",
        "bus: no ack for e2: redeliver e2",
        "consumer: set v2 over v3",
    ],
    pros: &["Updating instead of deleting saves the next reader a miss."],
    cons: &[
        "At-least-once delivery means duplicates, and a redelivered event arrives out of order.",
        "An update is not idempotent against newer updates; a delete is.",
    ],
    fixes: &[
        FixInfo {
            id: "versioned-events",
            title: "Version-aware consumer",
            what: "Each event carries the row's version; the consumer remembers the newest version it applied per \
                   key and ignores an older event. It covers duplicates and reordering alike.",
            cost: "Events must carry a version (or a monotonic timestamp), and the consumer keeps one number per key.",
        },
        FixInfo {
            id: "idempotent-consumer",
            title: "Idempotent consumer",
            what: "The consumer remembers the ids of the events it processed and does nothing for one it has seen.",
            cost: "A store of processed ids that grows until pruned. It covers redelivery only: two distinct events \
                   applied out of order still leave the older value.",
        },
    ],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[Metric::DbWrites, Metric::EventsPublished, Metric::EventsDelivered, Metric::EventsDropped],
    seed: 1,
    config,
    script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Event,
        bus: Some(BusConfig {
            durable: true,
            prefetch: 2,
            ack_timeout_ms: Some(100),
            ..BusConfig::default()
        }),
        consumer: ConsumerConfig {
            update: true,
            versioned: fixes.has("versioned-events"),
            idempotent: fixes.has("idempotent-consumer"),
        },
        warm: vec![Key(1)],
        keys: vec![Key(1)],
        clients: vec![(
            NodeId::Writer(1),
            vec![Request::write(Key(1), 0), Request::write(Key(1), 10)],
        )],
        ..Config::default()
    }
}

/// The network loses the consumer's first ack of e2 (before any redelivery).
fn script(w: &World, _: usize) -> Option<Event> {
    if w.metrics.events_delivered > 2 {
        return None;
    }
    let ack = w
        .net
        .iter()
        .find(|m| matches!(m.payload, Payload::Ack { ev, .. } if ev.version.0 == 2))?;
    Some(Event::Fault(Fault::Drop(ack.id)))
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let tail = "Dedup by event id covers redelivery only; versioning also covers reordering. And a plain delete would \
                have been harmless: deletes are idempotent, as the memcache paper notes.";
    let again = w.metrics.events_delivered > w.metrics.events_published;
    if !again {
        return format!(
            "{} No event was delivered twice in this run. {tail}",
            super::other_path(w, key)
        );
    }
    if super::consistent(w) {
        let how = if fixes.has("versioned-events") {
            "The consumer ignored the redelivered event: it had already applied a newer version."
        } else if fixes.has("idempotent-consumer") {
            "The consumer recognised the redelivered event by its id and did nothing."
        } else {
            "The redelivered event came before the newer one this time, so the newer one won."
        };
        format!("Done. {}. {how} {tail}", super::holds(w, key))
    } else if w.books.saw(Happened::StaleStored(key)) {
        format!(
            "Done. {}: the redelivered event overwrote the newer value. Nothing will mend it before the TTL. {tail}",
            super::holds(w, key)
        )
    } else {
        super::other_path(w, key)
    }
}
