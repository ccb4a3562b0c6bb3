//! The knobs a scenario sets, and the fixes flip. Plain data, fixed for a whole run.
use super::cache::SetGuard;
use super::ids::{Key, NodeId};
use serde::{Deserialize, Serialize};

pub(crate) mod clients_map;
pub mod topology;
pub use topology::{KeySet64, NodeSpec, Shards};
pub(crate) mod patch;
pub use patch::ConfigPatch;
mod production;
pub use production::{
    CdnConfig, Hook, InvalidatorConfig, NearConfig, NegativeConfig, ReplicaConfig, TxnConfig,
};

/// One-way network latency per hop, in virtual ms.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Latency {
    /// client ↔ service
    pub client_ms: u64,
    /// service ↔ cache
    pub cache_ms: u64,
    /// service → db for a read, and the row back
    pub db_read_ms: u64,
    /// service → db for a write: longer, the commit waits for its log flush
    pub db_write_ms: u64,
    /// Added to any hop between two regions (`topology`'s `region`).
    #[serde(skip_serializing_if = "is_zero")]
    pub cross_region_ms: u64,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

fn is_false(v: &bool) -> bool {
    !*v
}

impl Default for Latency {
    fn default() -> Self {
        Latency {
            client_ms: 1,
            cache_ms: 1,
            db_read_ms: 2,
            db_write_ms: 5,
            cross_region_ms: 0,
        }
    }
}

/// The order of the two steps of a cache-aside write.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum WriteOrder {
    /// Commit to the database, then delete the key (the standard cache-aside write).
    UpdateThenDelete,
    /// Delete the key first, then commit: a reader in between refills the old value.
    DeleteThenUpdate,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Op {
    Read,
    Write,
    /// A batch job (or another service) updates the row straight in the database: no
    /// cache invalidation, no event. The cache learns nothing.
    DirectWrite,
    /// The row is created: it did not exist before (`negative.rs`). By default the
    /// insert path deletes nothing from the cache ("a new row cannot be cached").
    Insert,
}

/// How the service writes, and so how the cache learns of a change.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum WriteMode {
    /// Cache-aside: commit, then delete the key (or the reverse, `write_order`).
    Invalidate,
    /// Write-through: commit, then set the new value in the cache, then answer.
    Through,
    /// Write-behind: the cache takes the write, queues it and answers; the flusher
    /// writes the database later.
    Behind,
    /// Commit, then publish a change event; the consumer invalidates.
    Event,
    /// Commit the row and an outbox row in one transaction; the relay publishes.
    Outbox,
    /// Commit only: the service invalidates nothing; an `invalidator` tailing the
    /// commit log deletes the key (change data capture).
    CommitOnly,
}

/// What a consumer does with an event.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerConfig {
    /// Write the event's value into the cache instead of deleting the key.
    pub update: bool,
    /// Remember processed event ids and skip one seen before.
    pub idempotent: bool,
    /// Remember the newest version applied per key and skip an older event.
    pub versioned: bool,
}

/// Retries of an event the consumer failed on.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryPolicy {
    /// `None`: retry for ever. `Some(n)`: after n retries, to the dead-letter queue.
    pub max_retries: Option<u32>,
    pub backoff_ms: u64,
    /// Double the backoff on each retry.
    pub exponential: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: None,
            backoff_ms: 100,
            exponential: false,
        }
    }
}

/// The event bus and its delivery guarantee.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusConfig {
    /// `false`: at-most-once fire-and-forget (Redis Pub/Sub): a subscriber that is down
    /// misses the message. `true`: a durable log with a committed consumer offset
    /// (Kafka): at-least-once.
    pub durable: bool,
    /// How many events may be out to the consumer, unacknowledged, at once.
    pub prefetch: u32,
    /// Redeliver an event whose ack has not come back within this (SQS's visibility
    /// timeout); `None`: only a reconnect redelivers.
    pub ack_timeout_ms: Option<u64>,
    pub retry: RetryPolicy,
    /// One-way latency from the bus to the consumer.
    pub deliver_ms: u64,
    /// One-way latency to the bus.
    pub publish_ms: u64,
}

impl Default for BusConfig {
    fn default() -> Self {
        BusConfig {
            durable: false,
            prefetch: 1,
            ack_timeout_ms: None,
            retry: RetryPolicy::default(),
            deliver_ms: 2,
            publish_ms: 2,
        }
    }
}

/// The write-behind queue.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BehindConfig {
    /// The flusher runs this long after the first write lands in an empty queue.
    pub flush_delay_ms: u64,
    /// At most this many keys per flush.
    pub batch_size: usize,
    /// Each write goes to a log on disk before the ack; the log is replayed after a
    /// restart.
    pub durable: bool,
    /// What the disk write costs, added to the ack.
    pub disk_ms: u64,
}

impl Default for BehindConfig {
    fn default() -> Self {
        BehindConfig {
            flush_delay_ms: 100,
            batch_size: 10,
            durable: false,
            disk_ms: 5,
        }
    }
}

/// How concurrent misses of one key are kept from all loading the database.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum LoadGuard {
    None,
    /// A per-key lock in the cache, with an expiry so a crashed holder frees it.
    Mutex {
        lock_ms: u64,
    },
    /// Concurrent misses in the one service instance share one load.
    SingleFlight,
    /// XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015): a reader recomputes
    /// early when `now - delta * beta * ln(rand) >= expiry`. `beta` in hundredths.
    #[serde(rename = "xfetch")]
    XFetch {
        beta_centi: u32,
    },
}

/// Where a request reads the row: the primary or its replica.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum ReadFrom {
    Primary,
    Replica,
}

/// A value with no TTL (it never expires).
pub const NO_TTL: u64 = u64::MAX;

/// A hop of a request that the scenario makes slow, to tell its story (a GC pause, a
/// congested link). Nothing else about the request changes.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum SlowHop {
    /// The database's answer to this request's read travels slowly.
    DbReadReply,
    /// The service's set of the value into the cache travels slowly.
    CacheSet,
}

/// One request a client will make, in order, not before `at_ms`.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub op: Op,
    pub key: Key,
    #[serde(default)]
    pub at_ms: u64,
    /// In a file: `"slow": ["db-read-reply", 10]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slow: Option<(SlowHop, u64)>,
}

impl Request {
    pub fn read(key: Key, at_ms: u64) -> Request {
        Request {
            op: Op::Read,
            key,
            at_ms,
            slow: None,
        }
    }
    pub fn write(key: Key, at_ms: u64) -> Request {
        Request {
            op: Op::Write,
            key,
            at_ms,
            slow: None,
        }
    }
    pub fn direct_write(key: Key, at_ms: u64) -> Request {
        Request {
            op: Op::DirectWrite,
            key,
            at_ms,
            slow: None,
        }
    }
    pub fn slow(mut self, hop: SlowHop, extra_ms: u64) -> Request {
        self.slow = Some((hop, extra_ms));
        self
    }
}

/// Everything about a run that does not change while it runs. In a scenario file it is
/// the `settings` object, where a field left out keeps its default.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub latency: Latency,
    pub write_order: WriteOrder,
    pub guard: SetGuard,
    /// A second delete this long after the first (delayed double delete).
    pub second_delete_ms: Option<u64>,
    /// How long a reader told to wait by a lease waits before asking again.
    pub lease_retry_ms: u64,
    /// TTL of every cache fill (`NO_TTL`: none).
    pub ttl_ms: u64,
    /// Up to this much random extra TTL per fill (0: none), drawn from the world's Rng.
    pub jitter_ms: u64,
    /// The cache drops expired keys only when they are next read (as Redis and memcache
    /// do), with no expiry step of its own.
    pub lazy_expiry: bool,
    /// Keys in the cache at the start (`v1`), filled before the run (not counted).
    pub warm: Vec<Key>,
    /// When the warm keys expire; `None`: after the normal TTL.
    pub warm_expires_ms: Option<u64>,
    /// How long the warm values took to compute (XFetch's delta).
    pub warm_delta_ms: u64,
    pub write_mode: WriteMode,
    pub load_guard: LoadGuard,
    /// `Some`: there is an event bus and an invalidation consumer.
    pub bus: Option<BusConfig>,
    pub consumer: ConsumerConfig,
    /// The consumer fails on every event about this key (a poison message).
    pub poison: Option<Key>,
    pub behind: BehindConfig,
    /// `Some`: the database has a read replica, `replica`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica: Option<ReplicaConfig>,
    /// `Some`: a write (cache-aside or write-through) runs in a transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub txn: Option<TxnConfig>,
    /// `Some`: every service instance keeps a near cache (`near.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near: Option<NearConfig>,
    /// `Some`: a read that finds no row caches `absent` with its own TTL; `None`: a
    /// "not found" is answered and not cached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative: Option<NegativeConfig>,
    /// `Some`: an `invalidator` tails a commit log and deletes changed keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalidator: Option<InvalidatorConfig>,
    /// The CDN edge's settings (`cdn.rs`), when the topology has `cdn`; `None`: the
    /// defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdn: Option<CdnConfig>,
    /// A service in another region than the primary sets a remote marker for a key in
    /// its cache before it writes it, and a miss that finds one reads the primary
    /// (Facebook's memcache, NSDI 2013 §5; `region.rs`).
    #[serde(skip_serializing_if = "is_false")]
    pub remote_marker: bool,
    /// The relay polls the outbox this long after it is woken.
    pub relay_poll_ms: u64,
    /// A crashed node's supervisor restarts it this long after the crash; `None`: it
    /// stays down until restarted by hand.
    pub restart_after_ms: Option<u64>,
    /// What a `delay` fault adds to a message's arrival.
    pub fault_delay_ms: u64,
    /// Nothing after this virtual time is part of the run.
    pub horizon_ms: u64,
    /// The rows the database starts with, each at `v1`.
    pub keys: Vec<Key>,
    /// The clients and what each will ask for. In a file, an object from the client's
    /// name to its requests, in order: `{"reader": [...], "writer": [...]}`.
    #[serde(with = "clients_map")]
    pub clients: Vec<(NodeId, Vec<Request>)>,
    /// More services and caches, the routes between them, and regions (`topology.rs`).
    #[serde(with = "topology", skip_serializing_if = "Vec::is_empty")]
    pub topology: Vec<NodeSpec>,
}

impl Config {
    /// Node `id`'s entry in the topology, or the classic routes (no entry).
    pub fn route(&self, id: NodeId) -> NodeSpec {
        self.topology
            .iter()
            .find(|n| n.id == id)
            .copied()
            .unwrap_or(NodeSpec::at(id))
    }

    /// The region node `id` is in: 1 (the primary's) unless the topology says 2.
    pub fn region_of(&self, id: NodeId) -> u8 {
        self.topology
            .iter()
            .find(|n| n.id == id)
            .and_then(|n| n.region)
            .unwrap_or(1)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            latency: Latency::default(),
            write_order: WriteOrder::UpdateThenDelete,
            guard: SetGuard::Plain,
            second_delete_ms: None,
            lease_retry_ms: 5,
            ttl_ms: 60_000,
            jitter_ms: 0,
            lazy_expiry: false,
            warm: Vec::new(),
            warm_expires_ms: None,
            warm_delta_ms: 4,
            write_mode: WriteMode::Invalidate,
            load_guard: LoadGuard::None,
            bus: None,
            consumer: ConsumerConfig {
                update: false,
                idempotent: false,
                versioned: false,
            },
            poison: None,
            behind: BehindConfig::default(),
            replica: None,
            txn: None,
            near: None,
            negative: None,
            invalidator: None,
            cdn: None,
            remote_marker: false,
            relay_poll_ms: 5,
            restart_after_ms: None,
            fault_delay_ms: 100,
            horizon_ms: 1_000,
            keys: vec![Key(1)],
            clients: Vec::new(),
            topology: Vec::new(),
        }
    }
}
