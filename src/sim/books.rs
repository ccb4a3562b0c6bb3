//! The run's bookkeeping, the counters the page shows, and the invariants, computed
//! the same general way in every scenario (never a per-scenario flag). The books and
//! the counters are here; the invariants and the cached copies they check are in
//! `books/invariants.rs`, where a change's event is in `books/events.rs`, and the
//! observer that keeps the books in `books/observe.rs`.
use super::ids::{Key, NodeId, Version};
use super::keymap::{KeyMap, KeySet};
use super::world::World;

mod events;
mod invariants;
mod observe;
pub(crate) use events::{event_to_apply, unpublished};
pub use invariants::{copies, CachedCopy, Invariant};
pub(crate) use observe::observe;

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

/// What the run has promised, for the invariants to check against.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct Books {
    /// The latest version per key that a writer was told succeeded.
    pub acked: KeyMap<Key, Version>,
    /// Times of the database reads inside the last `PEAK_WINDOW_MS`, oldest first.
    /// Bounded: older ones are dropped as reads come in. A `Vec`, not a `VecDeque`: a
    /// few items, and the books are copied on write for every step that changes them
    /// (a search's), where a `VecDeque`'s copy went item by item.
    pub recent_db_reads_ms: Vec<u64>,
    /// Committed changes whose cache invalidation relies on an event (they were made
    /// through a write path that publishes, directly or by the outbox).
    pub relied: Vec<(Key, Version)>,
    /// The newest version per key whose event has been delivered: its invalidation
    /// took effect (the cache applied the consumer's delete, or its set, whatever
    /// became of the reply), or the consumer finished with it without a cache request
    /// (a duplicate or an outdated event it skips).
    pub delivered: KeyMap<Key, Version>,
    /// The consumers' cache requests on the network (a delete, or a set), each with
    /// the event it applies: the request's id, and the event's key and version. An
    /// entry leaves when the cache applies the request (its event is then delivered) or
    /// the request is lost, so each names a message in flight: a consumer that
    /// crashes after sending one forgets it, but the cache will still apply it. It
    /// ties the cache's applying a request to its event without reading the
    /// consumer's state. In the fingerprint (`canon.rs`). Bounded: one per request
    /// on the network.
    pub applying: Vec<(super::ids::FlowId, Key, Version)>,
    /// How many times each node has crashed.
    pub crashes: KeyMap<NodeId, u32>,
    /// For each read in progress, the oldest value it may return: the newest version
    /// committed (or, in write-behind, acknowledged) when the read started. Anything
    /// from there on was the newest at some moment during the read, so a read that
    /// overlaps a write may return either. Bounded: an entry leaves when its read is
    /// answered.
    pub read_floor: KeyMap<super::ids::FlowId, Version>,
    /// What has happened so far that an ending may name, so that an ending derived
    /// from the state never claims what did not happen. Bounded: each fact once per key.
    pub happened: KeySet<Happened>,
    /// The newest version of each key each client was told it wrote (for
    /// `read-your-writes`). Bounded: one entry per client and key.
    pub acked_to: KeyMap<(super::ids::NodeId, Key), Version>,
    /// The first read that broke `read-your-writes`: a history property, so it stays.
    pub ryw_broken: Option<RywBreak>,
    /// When each key's latest commit was made (for the words: a response that left the
    /// origin before it). Bounded: one entry per key.
    pub committed_ms: KeyMap<Key, u64>,
    /// When the CDN edge last purged each key (for the words and the endings: a
    /// response that reached the edge after a purge the commit made). Not in the
    /// fingerprint. Bounded: one entry per key.
    pub purged_ms: KeyMap<Key, u64>,
    /// The id of the first message sent from each node's latest crash on (the crash
    /// step's first): at its restart, what was on its way to it from before died with
    /// its sockets, what was sent later went to a process already dead (review session
    /// 17b, 6). For the words; not in the fingerprint. Bounded: one entry per node.
    pub crashed_msg: KeyMap<NodeId, u32>,
    /// When each node last crashed, in virtual ms, `u32::MAX` past it (for the words: a
    /// crash before a key's latest commit is not a cause of what followed it; the map's
    /// type is `crashed_msg`'s, which keeps the page's code smaller). Not in the
    /// fingerprint. Bounded: one entry per node.
    pub crashed_ms: KeyMap<NodeId, u32>,
    /// The version each request's write committed, and when (for the words: a client
    /// whose write failed with a connection reset cannot tell that it committed; the
    /// page can). Not in the fingerprint. Bounded: one entry per write request.
    pub committed_by: KeyMap<super::ids::FlowId, (Version, u64)>,
}

clone_fields!(Books {
    acked,
    recent_db_reads_ms,
    relied,
    delivered,
    applying,
    crashes,
    read_floor,
    happened,
    acked_to,
    ryw_broken,
    committed_ms,
    purged_ms,
    crashed_msg,
    crashed_ms,
    committed_by,
});

/// A client read an older version of a key than it was told it wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RywBreak {
    pub client: super::ids::NodeId,
    pub key: Key,
    pub read: Version,
    pub wrote: Version,
}

/// Why a read's answer counts in `stale-reads`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaleRead {
    /// Older than `floor`, the newest version when the read began.
    Older { floor: Version },
    /// Newer than anything committed (or acknowledged) when the answer came.
    NotYetCommitted { newest: Version },
}

/// A fact about the run so far, kept for the endings (`Books::happened`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Happened {
    /// The cache stored a value older than the one the database had.
    StaleStored(Key),
    /// The cache refused a set: a lease, a tombstone or a newer version stopped it.
    SetRefused(Key),
    /// A delete removed a stale value from the cache.
    StaleDeleted(Key),
    /// A TTL dropped an entry that was stale.
    ExpiredStale(Key),
    /// A TTL dropped an entry that was still current.
    ExpiredCurrent(Key),
    /// An early recompute (XFetch) landed while the entry was still live.
    RefreshedInTime(Key),
    /// An early recompute landed after the entry had already expired.
    RefreshedLate(Key),
    /// A durable bus logged an event about the key while the consumer was down.
    EventWaited(Key),
    /// A version-aware consumer ignored an event older than the version it applied.
    OldEventIgnored(Key),
    /// An idempotent consumer ignored an event it had handled before.
    DuplicateIgnored(Key),
    /// A replica answered a read of the key with a version older than the primary's.
    ReplicaBehind(Key),
    /// The key's latest commit has had no delete of the key reach a cache since (a
    /// fault lost the delete, the reply that would have sent it, or the service that
    /// would have sent it; or the write path sends none).
    Undeleted(Key),
    /// A cache's crash wiped the key's tombstone or lease, and no delete of the key
    /// has reached a cache since (a guard a set fix relied on is gone).
    GuardWiped(Key),
    /// A cache's crash wiped the lease of this token.
    LeaseWiped(u64),
    /// A cache's crash wiped its negative entry (a cached "not found") of the key.
    NegativeWiped(Key),
    /// The CDN edge's copy of the key is an old response that left the origin before
    /// the key's latest commit and reached the edge after the edge's purge of the key
    /// (a response in flight across the write and the purge).
    EdgeRaced(Key),
    /// The network lost the database's reply to this service's commit of the key at
    /// this version, in a write mode whose service publishes the change's event once it
    /// hears of the commit (review session 14, X5).
    CommitUnheard(NodeId, Key, Version),
    /// Memory pressure evicted a cached copy of the key (`Fault::Evict`).
    Evicted(Key),
    /// Memory pressure evicted a copy of the key that differed from its row: the
    /// eviction, not an invalidation, ended that copy's staleness.
    EvictedStale(Key),
    /// The CDN edge purged the key (review session 17b: a fix's ending tells of a
    /// purge only if one happened).
    EdgePurged(Key),
    /// The CDN edge purged the key a second time (`double-purge`).
    EdgePurgedAgain(Key),
    /// A service heard its transaction on the key roll back and dropped the cache
    /// write a transaction-aware cache held for after COMMIT (session 18: the fix's
    /// ending told of it in runs whose service crashed first, or never heard).
    HeldDropped(Key),
    /// A write's cache command failed on a connection a cache's crash closed: after its
    /// commit (a SET or DEL of the key; the service acknowledged the write without it,
    /// `ConnLoss::AfterCommit`; review session 20, F7), or its DEL before the update
    /// (`ConnLoss::PreDelete`; review 21, M5).
    CacheStepFailed(Key),
    /// A set of the key older than its committed version reached a down cache and was
    /// lost: a crash, not the pattern, kept that stale value out (review session 20, F5).
    StaleSetLost(Key),
    /// A set of the key reached a down cache and was lost while a write of the key was
    /// on its way to the database: between a delete-first write's delete and its
    /// commit, a refill the crash, not the order, kept out (review 21, M3).
    SetLostInWindow(Key),
    /// A cache's crash wiped a live copy of the key older than the newest version it
    /// should hold (review 20b, N2: "something removed it" was the crash).
    StaleWiped(Key),
    /// The database's latest write of the key came from a write-behind put sent before
    /// the latest crash of a cache node, and landed after that crash (review 20b, N3).
    PutSurvived(Key),
    /// A write-behind put sent after a cache node's latest crash found the database
    /// already at its version and was skipped: the replay's write of what a put from
    /// before the crash had written (review 20b, N3).
    ReplaySkipped(Key),
    /// A cache node crashed with a write of the key in its write-behind log on disk
    /// (the durable queue): the log, which survives the crash, kept it (review 26: "the
    /// disk log kept each through the crash" was said of a crash before any write).
    LogKept(Key),
    /// A write-behind cache node crashed after a writer had been told a write of the key
    /// succeeded (with no write of it in the disk log then, each acknowledged write had
    /// been flushed to the database before the crash: the log drops a write only once
    /// the database has it, `Cache::flushed`).
    AckedAtCrash(Key),
    /// A bus with no subscriber connected dropped an event about the key as it was
    /// published (Redis Pub/Sub keeps nothing).
    EventDropped(Key),
    /// A bus's push of an event about the key was lost on its way to a consumer that
    /// was down when it arrived (crashed, or restarted since it was sent).
    PushLost(Key),
    /// A tracking cache node's push dropped a near copy `service` held (`NearFact::Dropped`,
    /// invalidated).
    NearPushed(NodeId),
    /// `service` flushed its near cache, holding a copy, when its connection to the cache
    /// node that tracked its reads closed (`NearFact::Flushed`).
    NearFlushed(NodeId),
    /// `service` crashed holding near copies (`Held::near_keys`).
    NearCrashed(NodeId),
    /// A cache stored the key after the latest delete of it that reached a cache (or
    /// ever, if none did): a read refilled it (review 21, U1 to U3: the ending said "no
    /// read has refilled it" when one had, and a crash or an eviction then removed it).
    Refilled(Key),
    /// Memory pressure evicted the key after a cache last stored it: the eviction, not
    /// a crash, emptied the copy last stored (review 21, U2, U3).
    EvictedLast(Key),
    /// The latest delete of the key that reached a cache found no copy to remove
    /// (review 21, M1: a crash had emptied the cache before the write).
    DeletedNone(Key),
}

impl Books {
    pub fn saw(&self, fact: Happened) -> bool {
        self.happened.contains(&fact)
    }
}

impl Books {
    pub fn crashes_of(&self, node: NodeId) -> u32 {
        self.crashes.get(&node).copied().unwrap_or(0)
    }
}

impl Books {
    /// A read starts: it must return `floor` or newer.
    pub(crate) fn read_started(&mut self, flow: super::ids::FlowId, floor: Version) {
        self.read_floor.insert(flow, floor);
    }

    /// A read is answered with `value`: `Some(floor)` if that is stale, i.e. older
    /// than the newest version when the read started (the contract's `stale-reads`:
    /// a value that was not the newest at any moment between the read's start and its
    /// answer).
    /// A value newer than `newest_now` (the newest committed or acknowledged at the
    /// answer) was not the newest at any moment either: it is not committed yet, and
    /// may never be.
    pub(crate) fn read_answered(
        &mut self,
        flow: Option<super::ids::FlowId>,
        value: Option<Version>,
        newest_now: Version,
    ) -> Option<StaleRead> {
        let floor = flow.and_then(|f| self.read_floor.remove(&f))?;
        match value {
            Some(v) if v < floor => Some(StaleRead::Older { floor }),
            Some(v) if v > newest_now => Some(StaleRead::NotYetCommitted { newest: newest_now }),
            _ => None,
        }
    }

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

/// The newest version of `key` committed, or acknowledged (a write-behind cache
/// acknowledges before the database has it), so far: what a read that starts now must
/// return at least.
pub fn newest(world: &World, key: Key) -> Version {
    let acked = world.books.acked.get(&key).copied().unwrap_or(Version(0));
    world.committed(key).max(acked)
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
