//! # TTL jitter
//!
//! Twenty keys were filled together (a deploy warmed the cache) with one TTL: they all
//! expire at 1,000 ms. Four readers read them steadily, each key every 100 ms. Right
//! after 1,000 ms every read misses at once: the database sees all twenty reads within
//! 100 ms (`db-reads-peak` = 20).
//!
//! Fix `jitter`: every fill gets its TTL plus a random 0-300 ms (drawn from the run's
//! seeded generator), so the expiries, and the misses, spread over 300 ms and the peak
//! falls. It is probabilistic: an unlucky draw can still bunch expiries.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{Config, Request};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, FixInfo, Fixes, Scenario};
use crate::sim::world::World;

pub const KEYS: u16 = 20;
const READERS: u8 = 4;
pub const JITTER_MS: u64 = 300;

pub static SCENARIO: Scenario = Scenario {
    id: "ttl-jitter",
    title: "TTL jitter: keys that expire together",
    summary: "Twenty keys filled together with one TTL expire together at 1,000 ms; the readers that ask for them right \
              after all miss, and the database takes a burst of reads. With jitter each key's TTL is a little \
              different, and the misses spread out.",
    flow: &[
        "20 keys filled together, one TTL",
        "readers read each key every 100 ms",
        "all expire at once: a burst of misses hits the database",
        "(jitter) TTL + random: expiries and misses spread out",
    ],
    pros: &["Jitter costs nothing but a random number per fill."],
    cons: &[
        "It spreads load, it does not remove it: every key still misses once.",
        "Probabilistic: some draws still bunch up.",
    ],
    fixes: &[FixInfo {
        id: "jitter",
        title: "TTL jitter",
        what: "Each fill's TTL gets a random extra 0-300 ms, so keys filled together expire at different times.",
        cost: "Keys live a little longer on average (staler data), and the spread is only probable, not guaranteed.",
    }],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[Metric::DbReads, Metric::DbReadsPeak, Metric::CacheHits, Metric::CacheMisses],
    seed: 8,
    config,
    script: no_script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    let keys: Vec<Key> = (1..=KEYS).map(Key).collect();
    let mut clients: Vec<(NodeId, Vec<Request>)> = (1..=READERS)
        .map(|r| (NodeId::Reader(r), Vec::new()))
        .collect();
    for round in 0..4u64 {
        for (i, key) in keys.iter().enumerate() {
            let at = 1_000 + 5 * i as u64 + 100 * round;
            clients[i % READERS as usize]
                .1
                .push(Request::read(*key, at));
        }
    }
    for (_, reqs) in &mut clients {
        // Times are distinct per client; the key breaks ties all the same.
        reqs.sort_unstable_by_key(|r| (r.at_ms, r.key));
    }
    Config {
        ttl_ms: 60_000,
        warm_expires_ms: Some(1_000),
        jitter_ms: if fixes.has("jitter") { JITTER_MS } else { 0 },
        lazy_expiry: true,
        horizon_ms: 1_500,
        warm: keys.clone(),
        keys,
        clients,
        ..Config::default()
    }
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let (peak, reads, misses) = (
        w.metrics.db_reads_peak,
        w.metrics.db_reads,
        w.metrics.cache_misses,
    );
    let per_key = misses == u64::from(KEYS);
    if fixes.has("jitter") {
        let once = if per_key {
            "The same keys still missed once each; they just did not all miss together."
        } else {
            "The keys missed, just not all together."
        };
        format!(
            "Done. With jitter the expiries spread over up to {JITTER_MS} ms: at most {} fell in any 100 ms ({} in \
             all). {once} Jitter is probabilistic: another seed can bunch more of them.",
            super::count(peak, "database read", "database reads"),
            reads
        )
    } else if per_key {
        format!(
            "Done. All {KEYS} keys expired at 1,000 ms and the reads right after all missed: {} fell within 100 ms. At \
             scale this burst is what takes a database down. Try jitter.",
            super::count(peak, "database read", "database reads")
        )
    } else {
        format!(
            "Done. All {KEYS} keys expired at 1,000 ms; {} missed, and at most {} fell within 100 ms.",
            super::count(misses, "read", "reads"),
            super::count(peak, "database read", "database reads")
        )
    }
}
