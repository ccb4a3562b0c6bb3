//! How a service instance works and whom it talks to. Split from `service.rs`.
use super::super::config::{LoadGuard, TxnConfig, WriteMode, WriteOrder};
use super::super::ids::NodeId;

/// How the service works and whom it talks to: fixed for a run. Hops in virtual ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceSettings {
    /// The cache node it reads and fills.
    pub cache: NodeId,
    /// The database it reads and writes: the primary that owns each key (`Shards`;
    /// `db` owns every key no other primary lists).
    pub db: NodeId,
    pub shards: super::super::config::Shards,
    /// Where a cache miss reads the row: the database, or its read replica.
    pub reads: NodeId,
    /// Whether the database has a replica (for the words of a miss).
    pub has_replica: bool,
    /// Each primary's read replica (`db`'s first, then `db-2`'s, …): where reading a
    /// replica, a miss of another primary's key reads its replica, if it has one.
    pub replicas: [Option<NodeId>; super::super::config::topology::MAX_DBS as usize],
    /// The bus it publishes to (event mode).
    pub bus: NodeId,
    pub cache_ms: u64,
    pub db_read_ms: u64,
    /// A write's hop: longer, the commit waits for its log flush.
    pub db_write_ms: u64,
    pub client_ms: u64,
    pub publish_ms: u64,
    pub write_mode: WriteMode,
    pub write_order: WriteOrder,
    pub load_guard: LoadGuard,
    /// Deletes carry the committed version (the cache keeps tombstones).
    pub versioned_deletes: bool,
    /// Delayed double delete: the second delete's delay.
    pub second_delete_ms: Option<u64>,
    /// How long a request told to wait (lease, lock) waits before asking again.
    pub lease_retry_ms: u64,
    /// Writes run in a database transaction (`txn.rs`).
    pub txn: Option<TxnConfig>,
    /// Negative caching, and whether an insert deletes the key (`negative.rs`).
    pub negative: Option<super::super::config::NegativeConfig>,
    /// Remote markers (`region.rs`): it is in another region than the primary and
    /// marks a key in its cache before writing it.
    pub remote_marker: bool,
}
