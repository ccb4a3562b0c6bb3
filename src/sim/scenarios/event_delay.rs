//! # Event delay
//!
//! Event-driven invalidation is only as fast as its slowest hop. Here the consumer
//! lags (a busy partition, a slow network): the event for `v2` takes 200 ms to reach
//! it. A read in that window hits the old `v1`: a stale read, and `cache-matches-db`
//! is violated while the event is in flight. Once the event is delivered the key is
//! deleted, the next read loads `v2`, and all is well again.
//!
//! Outcome: violated while the event is in flight, ok at the end; `stale-reads` = 1.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, WriteMode};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

/// How long the event takes from the bus to the consumer.
pub const LAG_MS: u64 = 200;

pub static SCENARIO: Scenario = Scenario {
    id: "event-delay",
    title: "Event delay: stale while the event travels",
    summary: "A write commits v2 and publishes its event, but the event takes 200 ms to reach the consumer. A read in \
              that window hits the cached v1: stale. Watch cache-matches-db turn red while the event is in flight, \
              and green again once it is delivered.",
    flow: &[
        "writer: commit v2, publish e2",
        "bus → consumer: e2 … 200 ms in flight …",
        "reader: hit v1 (stale)",
        "consumer: delete user:1",
        "reader: miss, load v2",
    ],
    pros: &["Nothing is lost: the cache is only late, and it catches up by itself."],
    cons: &[
        "Staleness is bounded only by the consumer's lag, which grows under load.",
        "A reader cannot tell that what it got is stale.",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[
        Metric::DbReads,
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
        bus: Some(BusConfig {
            deliver_ms: LAG_MS,
            ..BusConfig::default()
        }),
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![
                    Request::read(Key(1), 0),
                    Request::read(Key(1), 100),
                    Request::read(Key(1), 300),
                ],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 30)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = Key(1);
    if !super::consistent(w) {
        return super::other_path(w, key);
    }
    let stale = match w.metrics.stale_reads {
        0 => "no read happened to get the stale value".to_string(),
        n => format!("{} got the stale value", super::count(n, "read", "reads")),
    };
    format!(
        "Done. {}: consistent again, but the event took about {LAG_MS} ms to reach the consumer, the cache served \
         the old value meanwhile, and {stale}. Event-driven invalidation is eventually consistent: how stale depends \
         on how far the consumer lags.",
        super::holds(w, key)
    )
}
