//! The counters the page shows (`Metrics`, named by `Metric` as the contract names
//! them) and the database reads' peak they keep. Split from `books.rs` along that seam.
use super::Books;

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
    /// Reads served by replicas (`db_reads` counts the primary's).
    pub replica_reads: u64,
    /// Keys cache nodes evicted under memory pressure (`Fault::Evict`).
    pub evictions: u64,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::books))]
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
    ReplicaReads,
    /// Shown where the scenario lists it, and wherever a key was evicted
    /// (`Metric::NAMED`, not `ALL`: the views of old links stand).
    Evictions,
}

impl Metric {
    pub const ALL: [Metric; 11] = [
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
        Metric::ReplicaReads,
    ];

    /// Every metric a scenario may list by name: `ALL`, then `evictions` (built from
    /// `ALL`, so the two lists cannot drift apart).
    pub const NAMED: [Metric; 12] = {
        let mut named = [Metric::Evictions; 12];
        let mut i = 0;
        while i < Metric::ALL.len() {
            named[i] = Metric::ALL[i];
            i += 1;
        }
        named
    };

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
            Metric::ReplicaReads => "replica-reads",
            Metric::Evictions => "evictions",
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
            Metric::ReplicaReads => m.replica_reads,
            Metric::Evictions => m.evictions,
        }
    }
}

impl Books {
    pub(crate) fn record_db_read(&mut self, metrics: &mut Metrics, now_ms: u64) {
        metrics.db_reads += 1;
        self.recent_db_reads_ms.push(now_ms);
        let old = self
            .recent_db_reads_ms
            .iter()
            .take_while(|t| *t + PEAK_WINDOW_MS <= now_ms)
            .count();
        self.recent_db_reads_ms.drain(..old);
        metrics.db_reads_peak = metrics
            .db_reads_peak
            .max(self.recent_db_reads_ms.len() as u64);
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
