//! The settings of the production topologies' nodes and mechanisms (`Config`'s
//! optional parts): a read replica, transactions, near caches, negative caching,
//! change data capture and a CDN edge. Split from `config.rs` along that seam.
use super::ReadFrom;
use serde::{Deserialize, Serialize};

/// A read replica of the primary (asynchronous streaming replication, as MySQL and
/// Postgres do by default).
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplicaConfig {
    /// How long a change takes from the primary's commit to the replica: the delay
    /// of the replication stream.
    pub lag_ms: u64,
    /// Where the service reads a row after a cache miss.
    pub miss_reads: ReadFrom,
}

impl Default for ReplicaConfig {
    fn default() -> Self {
        ReplicaConfig {
            lag_ms: 20,
            miss_reads: ReadFrom::Replica,
        }
    }
}

/// When a write's cache step (its delete, or write-through's set) runs, relative to
/// its transaction.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Hook {
    /// Inside the open transaction, before `COMMIT` (Rails' `after_save`).
    InTransaction,
    /// After `COMMIT` (Rails' `after_commit`).
    AfterCommit,
}

/// Writes run in a database transaction (read committed: others see the change only
/// at `COMMIT`; an `abort` fault rolls an open one back).
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TxnConfig {
    pub hook: Hook,
    /// The cache operations a transaction makes wait for its `COMMIT` and are dropped
    /// on rollback (Spring's `TransactionAwareCacheDecorator`).
    pub cache_aware: bool,
}

impl Default for TxnConfig {
    fn default() -> Self {
        TxnConfig {
            hook: Hook::InTransaction,
            cache_aware: false,
        }
    }
}

/// Every service instance keeps an in-process near cache in front of the cache node
/// (Caffeine or Guava in front of Redis): a read that finds the key there is answered
/// without a network hop. It keeps what its reads got, for `ttl_ms`; the instance that
/// writes a key drops its own copy.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NearConfig {
    /// How long a near copy lives.
    pub ttl_ms: u64,
    /// The cache node remembers which services read each key and tells them when it
    /// changes (deleted, set, expired), so they drop their copies: Redis's server-assisted
    /// client-side caching (`CLIENT TRACKING`, with `NOLOOP`). Without it, another
    /// instance's copy lives out its TTL.
    pub tracking: bool,
}

impl Default for NearConfig {
    fn default() -> Self {
        NearConfig {
            ttl_ms: 10_000,
            tracking: false,
        }
    }
}

/// Negative caching: a read that finds no row caches `absent` (as DNS resolvers do
/// by RFC 2308, and Spring's cache with its `NullValue`), with a TTL of its own.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NegativeConfig {
    /// How long a cached `absent` lives.
    pub ttl_ms: u64,
    /// An insert deletes the key after its commit, as an update does.
    pub invalidate_on_insert: bool,
}

impl Default for NegativeConfig {
    fn default() -> Self {
        NegativeConfig {
            ttl_ms: 300_000,
            invalidate_on_insert: false,
        }
    }
}

/// Change data capture: an `invalidator` tails a commit log from its own durable
/// position and deletes each changed key in commit order (Debezium reading the
/// binlog, Facebook's McSqueal). It deletes from the cache nodes of its region.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvalidatorConfig {
    /// Whose log it tails: the primary's, or (in a second region) the replica's.
    pub tails: ReadFrom,
    /// How long a change takes from the commit to the invalidator.
    pub delay_ms: u64,
    /// A delete the cache has not answered within this is sent again.
    pub retry_ms: u64,
}

impl Default for InvalidatorConfig {
    fn default() -> Self {
        InvalidatorConfig {
            tails: ReadFrom::Primary,
            delay_ms: 2,
            retry_ms: 50,
        }
    }
}

/// A CDN edge (`cdn`, `cdn.rs`): what the origin's `Cache-Control` header says of its
/// responses, and whether a write purges the key at the edge.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CdnConfig {
    /// `Cache-Control: max-age`: how long any cache, a browser's too, may serve a
    /// response.
    pub max_age_ms: u64,
    /// `Cache-Control: s-maxage`: a shared cache's own lifetime, which the edge obeys
    /// over `max-age` (RFC 9111 §5.2.2.10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s_maxage_ms: Option<u64>,
    /// The edge purges its copy of a key when the origin acknowledges a write of it.
    pub purge_on_write: bool,
    /// A second purge of the key this long after the first (the delayed double purge,
    /// the edge's counterpart of a delayed double delete); `None`: one purge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_purge_ms: Option<u64>,
    /// Edge ↔ origin, one way.
    pub origin_ms: u64,
}

impl Default for CdnConfig {
    fn default() -> Self {
        CdnConfig {
            max_age_ms: 60_000,
            s_maxage_ms: None,
            purge_on_write: true,
            second_purge_ms: None,
            origin_ms: 10,
        }
    }
}
