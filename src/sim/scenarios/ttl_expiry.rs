//! # TTL expiry: the safety net
//!
//! A reader fills the cache with `v1`, with a TTL of 200 ms. Then a batch job updates
//! the row straight in the database: no service, no delete, no event. The cache has no
//! way to know. A read inside the TTL window hits the stale `v1`. When the TTL runs
//! out the cache drops the key, and the next read misses and loads `v2`.
//!
//! Outcome: ok at the end; `stale-reads` = 1 (the counter keeps its count).
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::config::{Config, Request};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "ttl-expiry",
    title: "TTL expiry: the safety net",
    summary: "The cache holds v1 with a 200 ms TTL. A batch job updates the row behind the cache's back. A read inside \
              the TTL window gets the stale v1; then the key expires, and the next read loads v2. The TTL bounds how \
              long any staleness can last.",
    flow: &[
        "read: fill the cache with a TTL",
        "the database changes behind the cache's back",
        "reads inside the TTL window: stale hits",
        "the TTL runs out: the key is dropped",
        "the next read misses and loads the new row",
    ],
    pros: &[
        "Works for every change, even those no code path knows about.",
        "Simple, and it bounds staleness by the TTL.",
    ],
    cons: &[
        "Stale for up to a whole TTL.",
        "A short TTL means more misses and more database load.",
        "Keys filled together expire together (see ttl-jitter, stampede).",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[Metric::DbReads, Metric::CacheHits, Metric::CacheMisses, Metric::StaleReads],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        ttl_ms: 200,
        horizon_ms: 450,
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
            (NodeId::Writer(1), vec![Request::direct_write(Key(1), 50)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = Key(1);
    if !super::consistent(w) || !w.books.saw(Happened::ExpiredStale(key)) {
        return super::other_path(w, key);
    }
    let stale = match w.metrics.stale_reads {
        0 => "No read was stale on the way".to_string(),
        n => format!(
            "{} on the way",
            super::count(n, "read was stale", "reads were stale")
        ),
    };
    format!(
        "Done. {}: consistent again, thanks to the TTL alone, which dropped the stale entry. {stale}: the TTL is a \
         safety net that bounds staleness, not a way to avoid it.",
        super::holds(w, key)
    )
}
