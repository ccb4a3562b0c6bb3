//! The run's bookkeeping, the counters the page shows, and the invariants, computed
//! the same general way in every scenario (never a per-scenario flag).
use super::ids::{Key, Version};
use super::world::World;
use std::collections::{BTreeMap, VecDeque};

/// The window of `db-reads-peak`.
pub const PEAK_WINDOW_MS: u64 = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Metrics {
    pub db_reads: u64,
    pub db_writes: u64,
    pub writes_acked: u64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    pub events_published: u64,
    pub events_delivered: u64,
    pub events_dropped: u64,
    pub stale_reads: u64,
    pub db_reads_peak: u64,
}

/// What the run has promised, for the invariants to check against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Books {
    /// The latest version per key that a writer was told succeeded.
    pub acked: BTreeMap<Key, Version>,
    /// Times of the database reads inside the last `PEAK_WINDOW_MS`. Bounded: older
    /// ones are dropped as reads come in.
    pub recent_db_reads_ms: VecDeque<u64>,
}

impl Books {
    pub(crate) fn record_db_read(&mut self, metrics: &mut Metrics, now_ms: u64) {
        metrics.db_reads += 1;
        self.recent_db_reads_ms.push_back(now_ms);
        while self.recent_db_reads_ms.front().is_some_and(|t| t + PEAK_WINDOW_MS <= now_ms) {
            self.recent_db_reads_ms.pop_front();
        }
        metrics.db_reads_peak = metrics.db_reads_peak.max(self.recent_db_reads_ms.len() as u64);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    DbReads,
    DbWrites,
    WritesAcked,
    CacheHits,
    CacheMisses,
    EventsPublished,
    EventsDelivered,
    EventsDropped,
    StaleReads,
    DbReadsPeak,
}

impl Metric {
    pub const ALL: [Metric; 10] = [
        Metric::DbReads,
        Metric::DbWrites,
        Metric::WritesAcked,
        Metric::CacheHits,
        Metric::CacheMisses,
        Metric::EventsPublished,
        Metric::EventsDelivered,
        Metric::EventsDropped,
        Metric::StaleReads,
        Metric::DbReadsPeak,
    ];

    /// The contract's name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::DbReads => "db-reads",
            Metric::DbWrites => "db-writes",
            Metric::WritesAcked => "writes-acked",
            Metric::CacheHits => "cache-hits",
            Metric::CacheMisses => "cache-misses",
            Metric::EventsPublished => "events-published",
            Metric::EventsDelivered => "events-delivered",
            Metric::EventsDropped => "events-dropped",
            Metric::StaleReads => "stale-reads",
            Metric::DbReadsPeak => "db-reads-peak",
        }
    }

    pub fn value(self, m: &Metrics) -> u64 {
        match self {
            Metric::DbReads => m.db_reads,
            Metric::DbWrites => m.db_writes,
            Metric::WritesAcked => m.writes_acked,
            Metric::CacheHits => m.cache_hits,
            Metric::CacheMisses => m.cache_misses,
            Metric::EventsPublished => m.events_published,
            Metric::EventsDelivered => m.events_delivered,
            Metric::EventsDropped => m.events_dropped,
            Metric::StaleReads => m.stale_reads,
            Metric::DbReadsPeak => m.db_reads_peak,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Invariant {
    CacheMatchesDb,
    NoLostWrite,
    NoLostEvent,
}

impl Invariant {
    /// The contract's name.
    pub fn name(self) -> &'static str {
        match self {
            Invariant::CacheMatchesDb => "cache-matches-db",
            Invariant::NoLostWrite => "no-lost-write",
            Invariant::NoLostEvent => "no-lost-event",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Invariant::CacheMatchesDb => "every cached key holds the value the database has committed",
            Invariant::NoLostWrite => "every acknowledged write is in the database, or on a durable path to it",
            Invariant::NoLostEvent => "every change's invalidation event was delivered, or is on a durable path",
        }
    }

    /// `Ok` if the invariant holds in `world`, else the first violation in words.
    pub fn check(self, world: &World) -> Result<(), String> {
        match self {
            Invariant::CacheMatchesDb => {
                for (key, entry) in &world.cache.entries {
                    if entry.expires_ms <= world.now_ms {
                        continue;
                    }
                    let want = world.expected(*key);
                    if entry.version != want {
                        return Err(format!("the cache holds {key}={} but the database has {want}", entry.version));
                    }
                }
                Ok(())
            }
            Invariant::NoLostWrite => {
                for (key, version) in &world.books.acked {
                    let have = world.db.read(*key);
                    if have < *version {
                        return Err(format!("{key}={version} was acknowledged but the database has {have}"));
                    }
                }
                Ok(())
            }
            // Events arrive with the event bus; until a scenario has one, no change
            // relies on an event, so nothing can be lost.
            Invariant::NoLostEvent => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_counts_reads_within_a_window() {
        let mut books = Books::default();
        let mut m = Metrics::default();
        for t in [0, 10, 20, 99, 100, 150, 250, 260] {
            books.record_db_read(&mut m, t);
        }
        assert_eq!(m.db_reads, 8);
        // 0,10,20,99 fall in [0,100); 100 pushes 0 out
        assert_eq!(m.db_reads_peak, 4);
        assert!(books.recent_db_reads_ms.len() <= 4);
    }
}
