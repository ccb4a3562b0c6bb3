//! # Write-through
//!
//! Every write goes through to both stores before it is acknowledged: the service
//! commits the row, then sets the new value in the cache, and only then answers. The
//! cache is never behind the database for long, so reads always hit (the cache starts
//! warm). The price is on the write path: the writer waits for the database and the
//! cache, one after the other.
//!
//! Outcome: `cache-matches-db` holds; no database read at all.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{Config, Request, WriteMode, NO_TTL};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "write-through",
    title: "Write-through",
    summary: "The cache starts warm. A read hits v1. A write commits v2 and sets v2 in the cache before the writer is \
              answered. The next read hits v2. The database is never read; the writer pays for both stores.",
    flow: &[
        "service: update the row in the database (commit)",
        "service: set the new value in the cache",
        "answer the writer",
        "reads hit the cache",
    ],
    pros: &[
        "Reads always hit, and see the latest write once it is acknowledged.",
        "No stale window on the normal path: the cache is updated before the ack.",
    ],
    cons: &[
        "Writes pay both latencies (database and cache).",
        "Values nobody reads still fill the cache.",
        "Two writers can still race on the cache (see write-through-race).",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[Metric::DbReads, Metric::DbWrites, Metric::WritesAcked, Metric::CacheHits, Metric::StaleReads],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Through,
        ttl_ms: NO_TTL,
        warm: vec![Key(1)],
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 0), Request::read(Key(1), 60)],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 20)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = Key(1);
    if !super::consistent(w) {
        return super::other_path(w, key);
    }
    let reads = match w.metrics.db_reads {
        0 => "No read went to the database: every read hit.".to_string(),
        n => format!(
            "{} on a miss.",
            super::count(n, "read went to the database", "reads went to the database")
        ),
    };
    format!(
        "Done. {}. {reads} The write took the database round trip and then the cache round trip before the writer \
         heard back: write-through slows writes to keep reads fast and fresh.",
        super::holds(w, key)
    )
}
