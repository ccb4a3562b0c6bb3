//! # Cache stampede
//!
//! A hot key is cached (that fill is not counted) and expires at 100 ms. Five readers
//! read it just before (hits) and again just after: every one of those misses, and all
//! five load it from the database at once (`db-reads` = 5). Loading takes 20 ms, so
//! they all overlap. At scale this is the thundering herd that knocks a database over.
//!
//! Fixes, each bringing `db-reads` to 1:
//! - `mutex`: the first reader takes a per-key lock in the cache (with an expiry
//!   longer than a load, so a crashed holder frees it) and loads; the others wait and
//!   retry, and find the key filled.
//! - `single-flight`: concurrent misses in the one service instance share one load.
//! - `lease`: memcache leases: one lease per key, the others are told to wait (the
//!   NSDI 2013 paper reports peak database query rate falling from 17K/s to 1.3K/s).
//! - `early-expiration`: XFetch. A reader that hits shortly before the expiry may
//!   recompute early, in the background, with a probability that grows as the expiry
//!   nears; nobody waits. In this seed exactly one recompute happens; it is
//!   probabilistic, and some seeds recompute twice.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::cache::SetGuard;
use crate::sim::config::{Config, Latency, LoadGuard, Request};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, FixInfo, Fixes, Scenario};
use crate::sim::world::World;

pub const READERS: u8 = 5;

pub static SCENARIO: Scenario = Scenario {
    id: "stampede",
    title: "Cache stampede",
    summary: "A hot key expires while five readers ask for it. Each misses, and each loads it from the database at the \
              same time: five reads for one value. The fixes make one reader load while the others wait, share, or \
              never see the miss at all.",
    flow: &[
        "hot key cached; expires at 100 ms",
        "5 readers miss at once",
        "5 identical database loads",
        "(fix) one load; the others wait, share it, or never miss",
    ],
    pros: &["Cache-aside itself needs no coordination between readers."],
    cons: &[
        "A popular key's expiry turns into a burst of identical expensive queries.",
        "The slower the load, the more readers pile up behind it.",
    ],
    fixes: &[
        FixInfo {
            id: "mutex",
            title: "Per-key lock",
            what: "On a miss a reader takes a lock on the key in the cache (with an expiry longer than a load, so a \
                   crashed holder frees it), looks once more, and loads; the others wait and retry.",
            cost: "Readers wait for the load plus a retry interval; one more cache round trip per miss.",
        },
        FixInfo {
            id: "single-flight",
            title: "Single-flight",
            what: "The service keeps a table of loads in progress; a miss for a key already loading waits for that \
                   load and shares its result.",
            cost: "Only within one service instance: ten instances still make ten loads. Waiters wait for the load.",
        },
        FixInfo {
            id: "lease",
            title: "Lease (memcache)",
            what: "The first miss gets the key's lease and loads; the others are told to wait and retry. From \
                   \"Scaling Memcache at Facebook\" (NSDI 2013), where it cut peak database query rate from 17K/s to \
                   1.3K/s.",
            cost: "A lease makes readers wait; the cache keeps lease state per key.",
        },
        FixInfo {
            id: "early-expiration",
            title: "Early expiration (XFetch)",
            what: "A reader that hits recomputes early, in the background, when now - delta * beta * ln(rand) >= \
                   expiry (delta: how long a recompute takes; beta = 1). The nearer the expiry, the likelier. \
                   Vattani, Chierichetti and Lowenstein, VLDB 2015.",
            cost: "Probabilistic: sometimes two readers recompute, sometimes none does in time. Each value must store \
                   how long it took to compute.",
        },
    ],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[Metric::DbReads, Metric::DbReadsPeak, Metric::CacheHits, Metric::CacheMisses],
    seed: 2,
    config,
    script: no_script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    let (guard, load_guard) = if fixes.has("lease") {
        (SetGuard::Lease { period_ms: 10_000 }, LoadGuard::None)
    } else if fixes.has("mutex") {
        (SetGuard::Plain, LoadGuard::Mutex { lock_ms: 500 })
    } else if fixes.has("single-flight") {
        (SetGuard::Plain, LoadGuard::SingleFlight)
    } else if fixes.has("early-expiration") {
        (SetGuard::Plain, LoadGuard::XFetch { beta_centi: 100 })
    } else {
        (SetGuard::Plain, LoadGuard::None)
    };
    let clients = (0..READERS)
        .map(|i| {
            let off = 2 * u64::from(i);
            (
                NodeId::Reader(i + 1),
                vec![
                    Request::read(Key(1), 80 + off),
                    Request::read(Key(1), 120 + off),
                ],
            )
        })
        .collect();
    Config {
        guard,
        load_guard,
        latency: Latency {
            db_read_ms: 10,
            ..Latency::default()
        },
        warm: vec![Key(1)],
        warm_expires_ms: Some(100),
        warm_delta_ms: 20,
        keys: vec![Key(1)],
        clients,
        ..Config::default()
    }
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let n = w.metrics.db_reads;
    let one = n == 1;
    let how = if fixes.has("mutex") && one {
        "One reader held the lock and loaded; the others waited, retried and hit.".to_string()
    } else if fixes.has("single-flight") && one {
        "The service saw the misses overlap and made them share one load.".to_string()
    } else if fixes.has("lease") && one {
        "The first miss got the lease and loaded; the others were told to wait and retried. Memcache's leases cut \
         Facebook's peak database query rate from 17K/s to 1.3K/s."
            .to_string()
    } else if fixes.has("early-expiration") {
        let misses = match w.metrics.cache_misses {
            0 => "nobody missed and nobody waited".to_string(),
            m => format!("still {}", super::count(m, "read missed", "reads missed")),
        };
        if w.books.saw(Happened::RefreshedInTime(key)) {
            format!("XFetch recomputed the key in the background before it expired, so {misses}.")
        } else if w.books.saw(Happened::RefreshedLate(key)) {
            format!(
                "XFetch started the recompute in the background ahead of the expiry, but the key expired before the \
                 new value landed; no read came in that gap, so {misses}."
            )
        } else {
            format!("No early recompute landed in this run, and {misses}.")
        }
    } else if fixes.ids().is_empty() && n == w.metrics.cache_misses {
        "Every reader that missed loaded the key itself. Try a fix.".to_string()
    } else {
        format!(
            "{} missed.",
            super::count(w.metrics.cache_misses, "read", "reads")
        )
    };
    let tail = if fixes.has("early-expiration") {
        " It is probabilistic: with another seed two readers can both recompute, or none in time."
    } else {
        ""
    };
    format!(
        "Done. {} for one hot key. {how}{tail}",
        super::count(n, "database read", "database reads")
    )
}
