//! # Hybrid: the patterns together
//!
//! Cache-aside reads, event-driven invalidation on writes, and a TTL as the safety
//! net. A reader fills `user:1` and `user:2`. A write to `user:1` goes through the
//! service: it publishes an event and the consumer deletes the key. A batch job
//! updates `user:2` straight in the database: no event, so the cache keeps the stale
//! `v1`, and a read gets it. The TTL (300 ms) ends it: the key expires and the next
//! read loads `v2`.
//!
//! Outcome: ok. Events make invalidation fast; the TTL catches what events miss.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, WriteMode};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "hybrid",
    title: "Hybrid: cache-aside, events and a TTL",
    summary: "Reads use cache-aside. A write through the service publishes an event and the consumer deletes the key \
              at once. A batch job changes another row behind everyone's back: no event, so the cache is stale, until \
              the TTL expires the key. Each layer covers what the other misses.",
    flow: &[
        "reads: cache-aside (get, miss → select → set with a TTL)",
        "writes through the service: commit, publish, the consumer deletes",
        "changes that bypass the service: the TTL expires them",
    ],
    pros: &[
        "Fast invalidation for the writes you control, a bound on staleness for the rest.",
        "Each piece is simple on its own.",
    ],
    cons: &[
        "More moving parts: a bus and a consumer to run.",
        "The TTL still bounds, not prevents, staleness from changes no event reports.",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[Metric::DbReads, Metric::CacheHits, Metric::CacheMisses, Metric::EventsDelivered, Metric::StaleReads],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Event,
        bus: Some(BusConfig::default()),
        ttl_ms: 300,
        horizon_ms: 500,
        keys: vec![Key(1), Key(2)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![
                    Request::read(Key(1), 0),
                    Request::read(Key(2), 10),
                    Request::read(Key(1), 100),
                    Request::read(Key(2), 120),
                    Request::read(Key(2), 400),
                ],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 50)]),
            (NodeId::Writer(2), vec![Request::direct_write(Key(2), 60)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let (one, two) = (Key(1), Key(2));
    let one_handled = w
        .books
        .delivered
        .get(&one)
        .is_some_and(|v| *v >= w.db.read(one));
    if !super::consistent(w) || !one_handled || !w.books.saw(Happened::ExpiredStale(two)) {
        return super::other_path(w, two);
    }
    format!(
        "Done. {one}: the event invalidated it within milliseconds of the write. {two}: the batch job published \
         nothing, so the cache kept serving its old value until the TTL expired it ({} in this run). {}. Events drive \
         invalidation, cache-aside is the base, the TTL is the safety net.",
        super::count(w.metrics.stale_reads, "stale read", "stale reads"),
        super::holds(w, two)
    )
}
