//! # Event-driven invalidation
//!
//! The service no longer deletes the key itself. It commits the write and publishes a
//! change event; a separate consumer, subscribed to the bus, deletes the key. The
//! writer's request is done sooner and any number of caches can subscribe, but the
//! cache now learns of a change only as fast as the event travels. Here the bus is
//! Redis Pub/Sub (at-most-once), every node stays up, and the event arrives: the
//! reader's second read misses and loads `v2`.
//!
//! Outcome: `cache-matches-db` and `no-lost-event` hold.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, WriteMode};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "event-invalidation",
    title: "Event-driven invalidation",
    summary: "A read fills the cache with v1. A write commits v2 and publishes a change event; the consumer receives it \
              and deletes the key. The next read misses and loads v2. The writer never touches the cache: the event \
              does the invalidation.",
    flow: &[
        "service: update the row in the database (commit)",
        "service: publish a change event to the bus",
        "bus: push the event to the consumer",
        "consumer: delete the key from the cache",
        "the next read misses and loads the new row",
    ],
    pros: &[
        "Writers do not know about caches: any number of caches and services can subscribe.",
        "The write path is shorter: no cache round trip before the answer.",
    ],
    cons: &[
        "The cache is stale until the event arrives (see event-delay).",
        "The commit and the publish are two writes: a crash between them loses the event (see dual-write-crash).",
        "The bus's delivery guarantee matters: at-most-once can drop it (event-loss), at-least-once can repeat it.",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[
        Metric::DbReads,
        Metric::DbWrites,
        Metric::CacheHits,
        Metric::CacheMisses,
        Metric::EventsPublished,
        Metric::EventsDelivered,
        Metric::StaleReads,
    ],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Event,
        bus: Some(BusConfig::default()),
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 0), Request::read(Key(1), 100)],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 30)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = Key(1);
    let handled = w
        .books
        .delivered
        .get(&key)
        .is_some_and(|v| *v >= w.db.read(key));
    if !super::consistent(w) || !handled {
        return super::other_path(w, key);
    }
    let refilled = if w.cache.live(key, w.now_ms).is_some() {
        "and the next read refilled it"
    } else {
        "and no read has refilled it yet"
    };
    format!(
        "Done. {}: the event reached the consumer, which deleted the key, {refilled}. Between the commit and the \
         delete the cache was stale for a few milliseconds: event-driven invalidation is eventually consistent.",
        super::holds(w, key)
    )
}
