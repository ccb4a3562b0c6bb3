//! # Write-behind
//!
//! Writes are acknowledged as soon as the cache has them. The cache queues each write
//! and a flusher writes the queue to the database later: 100 ms after the first write,
//! in batches of at most 2 keys, and one database write per key however many writes
//! the key had (coalescing). Until the flush, the latest acknowledged write is only in
//! the cache; a read gets it from there, so it is not stale.
//!
//! Outcome: ok after the flush; `db-writes` (3) is less than the writes the clients
//! made (4).
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BehindConfig, Config, Request, WriteMode};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "write-behind",
    title: "Write-behind",
    summary: "A writer makes four writes, two of them to user:1. Each is acknowledged as soon as the cache has queued \
              it. The flusher writes the queue to the database later, in batches of two keys, with one database write \
              per key: four writes become three database writes.",
    flow: &[
        "service: hand the write to the cache",
        "cache: store, queue, acknowledge",
        "flusher (later): take a batch, write each key once",
        "database: has the latest value after the flush",
    ],
    pros: &[
        "Writes are as fast as the cache.",
        "Coalescing and batching cut database writes for hot keys.",
    ],
    cons: &[
        "Until the flush, an acknowledged write lives only in the cache: a crash loses it (see write-behind-crash).",
        "The database is behind; anything that reads it directly sees old data.",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostWrite],
    metrics: &[Metric::DbReads, Metric::DbWrites, Metric::WritesAcked, Metric::CacheHits, Metric::StaleReads],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Behind,
        behind: BehindConfig {
            flush_delay_ms: 100,
            batch_size: 2,
            ..BehindConfig::default()
        },
        keys: vec![Key(1), Key(2), Key(3)],
        clients: vec![
            (
                NodeId::Writer(1),
                vec![
                    Request::write(Key(1), 0),
                    Request::write(Key(1), 10),
                    Request::write(Key(2), 20),
                    Request::write(Key(3), 30),
                ],
            ),
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 50), Request::read(Key(3), 300)],
            ),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let (acked, written) = (w.metrics.writes_acked, w.metrics.db_writes);
    let flushed = w.cache.queue.is_empty() && Invariant::NoLostWrite.check(w).is_ok();
    if !flushed || written >= acked {
        return super::other_path(w, Key(1));
    }
    format!(
        "Done. The clients made {}; the database took {}: writes to the same key waiting in the queue were coalesced \
         into one, and the queue was flushed in batches. Every acknowledged write is now in the database. Until the \
         flush, the cache was the only place that had them.",
        super::count(acked, "write", "writes"),
        super::count(written, "write", "writes")
    )
}
