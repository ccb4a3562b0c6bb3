//! The knobs a scenario sets, and the fixes flip. Plain data, fixed for a whole run.
use super::cache::SetGuard;
use super::ids::{Key, NodeId};
use serde::{Deserialize, Serialize};

/// One-way network latency per hop, in virtual ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Latency {
    /// client ↔ service
    pub client_ms: u64,
    /// service ↔ cache
    pub cache_ms: u64,
    /// service → db for a read, and the row back
    pub db_read_ms: u64,
    /// service → db for a write: longer, the commit waits for its log flush
    pub db_write_ms: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Latency { client_ms: 1, cache_ms: 1, db_read_ms: 2, db_write_ms: 5 }
    }
}

/// The order of the two steps of a cache-aside write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WriteOrder {
    /// Commit to the database, then delete the key (the standard cache-aside write).
    UpdateThenDelete,
    /// Delete the key first, then commit: a reader in between refills the old value.
    DeleteThenUpdate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    Read,
    Write,
}

/// A hop of a request that the scenario makes slow, to tell its story (a GC pause, a
/// congested link). Nothing else about the request changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SlowHop {
    /// The database's answer to this request's read travels slowly.
    DbReadReply,
}

/// One request a client will make, in order, not before `at_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Request {
    pub op: Op,
    pub key: Key,
    pub at_ms: u64,
    pub slow: Option<(SlowHop, u64)>,
}

impl Request {
    pub fn read(key: Key, at_ms: u64) -> Request {
        Request { op: Op::Read, key, at_ms, slow: None }
    }
    pub fn write(key: Key, at_ms: u64) -> Request {
        Request { op: Op::Write, key, at_ms, slow: None }
    }
    pub fn slow(mut self, hop: SlowHop, extra_ms: u64) -> Request {
        self.slow = Some((hop, extra_ms));
        self
    }
}

/// Everything about a run that does not change while it runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Config {
    pub latency: Latency,
    pub write_order: WriteOrder,
    pub guard: SetGuard,
    /// A second delete this long after the first (delayed double delete).
    pub second_delete_ms: Option<u64>,
    /// How long a reader told to wait by a lease waits before asking again.
    pub lease_retry_ms: u64,
    /// TTL of every cache fill.
    pub ttl_ms: u64,
    /// Nothing after this virtual time is part of the run.
    pub horizon_ms: u64,
    /// The rows the database starts with, each at `v1`.
    pub keys: Vec<Key>,
    /// The clients and what each will ask for.
    pub clients: Vec<(NodeId, Vec<Request>)>,
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
            horizon_ms: 1_000,
            keys: vec![Key(1)],
            clients: Vec::new(),
        }
    }
}
