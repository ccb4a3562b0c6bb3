//! # Cache-aside: the write path
//!
//! A reader fills the cache with `v1`. A writer then updates the row: the service
//! commits `v2` to the database first and only then deletes the cached key. Deleting
//! (rather than setting the new value) means a write never puts a value in the cache;
//! only reads do, from the database. The reader reads again: a miss, and the refill
//! brings `v2`.
//!
//! Outcome: `cache-matches-db` holds and the cache ends holding `v2`. Between the
//! commit and the delete there is a short window where the cache is stale: watch the
//! invariant flicker.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{Config, Request};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "cache-aside-write",
    title: "Cache-aside: the write path",
    summary: "A read fills the cache with v1. A write commits v2 to the database and then deletes the key from the \
              cache. The next read misses and refills the cache with v2. Watch the short window between the commit \
              and the delete, when the cache is stale.",
    flow: &[
        "service: update the row in the database (commit)",
        "delete the key from the cache",
        "answer the writer",
        "the next read misses and loads the new row",
    ],
    pros: &[
        "Deleting is idempotent and cheap: repeating it is harmless.",
        "The cache is only filled from the database, by readers, so it never holds a value that was not committed.",
    ],
    cons: &[
        "A short stale window between the commit and the delete.",
        "The next read after a write is a miss.",
        "A read that started before the write can still put the old value back (stale-set-race).",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[
        Metric::DbReads,
        Metric::DbWrites,
        Metric::WritesAcked,
        Metric::CacheHits,
        Metric::CacheMisses,
        Metric::StaleReads,
    ],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 0), Request::read(Key(1), 100)],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 50)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = crate::sim::ids::Key(1);
    if !super::consistent(w) {
        return super::other_path(w, key);
    }
    let refilled = if w.cache.live(key, w.now_ms).is_some() {
        "the write deleted the key, and the next read refilled it from the database"
    } else {
        "the write deleted the key, and no read has refilled it yet"
    };
    format!(
        "Done. {}: {refilled}. Update first, then delete: if the delete were first, a reader could refill the old \
         value in between (see delete-before-update-race).",
        super::holds(w, key)
    )
}
