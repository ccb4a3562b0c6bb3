//! # Cache-aside: the read path
//!
//! The service owns the cache logic; the cache is a side table it consults. A reader
//! asks for `user:1`. The cache does not have it (a miss), so the service selects the
//! row from the database and sets it in the cache before answering. The reader asks
//! again: this time the cache answers (a hit) and the database is not touched.
//!
//! Outcome: `cache-matches-db` holds, the cache holds `v1`, one database read and one
//! cache hit.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{Config, Request};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "cache-aside-read",
    title: "Cache-aside: the read path",
    summary: "A reader asks for user:1 twice. The first read misses, so the service loads the row from the database \
              and fills the cache; the second read is a hit and never touches the database. This is the base of \
              every pattern that follows.",
    flow: &[
        "service: get key from the cache",
        "hit: answer with the cached value",
        "miss: select the row from the database",
        "set the row in the cache, with a TTL",
        "answer",
    ],
    pros: &[
        "Only data that is read gets cached: the cache stays small.",
        "The cache can fail and the service still works (slower), straight from the database.",
        "Simple: the application decides, the cache stays a plain key-value store.",
    ],
    cons: &[
        "Every miss costs three trips (get, select, set): the first read is slower.",
        "Between the select and the set, a concurrent write can make the value stale (see stale-set-race).",
        "Writes must invalidate the cache, or readers see old data until the TTL.",
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
        keys: vec![Key(1)],
        clients: vec![(
            NodeId::Reader(1),
            vec![Request::read(Key(1), 0), Request::read(Key(1), 20)],
        )],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = crate::sim::ids::Key(1);
    let (reads, hits) = (w.metrics.db_reads, w.metrics.cache_hits);
    if reads != 1 || hits == 0 || !super::consistent(w) {
        return super::other_path(w, key);
    }
    format!(
        "Done. {} and {}: the first read paid for the miss, the later ones were served from memory. {}, and \
         will until a write changes the row or the TTL ({} ms) runs out.",
        super::count(reads, "database read", "database reads"),
        super::count(hits, "cache hit", "cache hits"),
        super::holds(w, key),
        w.config.ttl_ms
    )
}
