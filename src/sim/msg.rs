//! Messages between nodes. Every request and reply crosses the network as one of these,
//! so the scheduler can deliver them in any order: that is where races come from.
use super::ids::{EventId, FlowId, Key, MsgId, NodeId, Version};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a cache answers to a lookup when leases are on (memcache's `get` with leases).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeaseReply {
    /// Leases are off, or the key was a hit.
    None,
    /// A miss, and this caller holds the key's lease: it may fill the key with this token.
    Granted(u64),
    /// A miss, but another caller holds the lease: wait and ask again.
    Wait,
}

/// Why the cache refused a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Refusal {
    /// A tombstone (or a newer entry) says this version is outdated.
    Outdated(Version),
    /// The lease this set carried was invalidated (by a delete) or never issued.
    LeaseInvalid,
}

/// A change event as the bus carries it: the row that changed and its new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BusEvent {
    pub id: EventId,
    pub key: Key,
    pub version: Version,
}

impl fmt::Display for BusEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}={}", self.id, self.key, self.version)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Payload {
    /// A client asks the service for a key.
    Read {
        key: Key,
    },
    /// A client asks the service to update a key (commit its next version).
    Write {
        key: Key,
    },
    /// A client asks the service to create a row that does not exist yet.
    Insert {
        key: Key,
    },
    /// The service answers a read.
    ReadOk {
        key: Key,
        value: Option<Version>,
    },
    /// The service tells the writer its write succeeded.
    WriteOk {
        key: Key,
        version: Version,
    },
    /// Cache lookup.
    Get {
        key: Key,
    },
    /// `expires_ms` and `delta_ms` (how long the value took to compute) come with a
    /// hit, for XFetch.
    GetReply {
        key: Key,
        hit: Option<Version>,
        lease: LeaseReply,
        expires_ms: u64,
        delta_ms: u64,
        /// A miss that found a remote marker for the key (a write from this region is
        /// on its way to the primary): read the primary, not the local replica.
        #[serde(default)]
        marked: bool,
    },
    /// Fill or update a cache entry. `token` is the lease, when leases are on.
    Set {
        key: Key,
        version: Version,
        token: Option<u64>,
        /// When the load of this value began, for the entry's compute time (XFetch's
        /// delta); `None` for a value not loaded (a write, an event).
        loaded_at_ms: Option<u64>,
    },
    SetReply {
        key: Key,
        refused: Option<Refusal>,
    },
    /// Invalidate a key. `version` is the committed version, sent when the cache keeps
    /// tombstones (versioned sets).
    Del {
        key: Key,
        version: Option<Version>,
    },
    DelReply {
        key: Key,
    },
    DbRead {
        key: Key,
    },
    DbReadReply {
        key: Key,
        version: Version,
    },
    /// Commit the row's next version; with `outbox`, insert the outbox row in the same
    /// transaction.
    DbWrite {
        key: Key,
        outbox: bool,
    },
    /// `INSERT` the row's first version: answered, like an update, by a
    /// `DbWriteReply`; if the row exists, refused (a duplicate key) by a
    /// `TxRolledBack`.
    DbInsert {
        key: Key,
    },
    /// `event` is the change's log sequence number, the id of its event.
    DbWriteReply {
        key: Key,
        version: Version,
        event: EventId,
    },
    /// A change event on its way to the bus (from the service, or the outbox relay).
    Publish {
        ev: BusEvent,
    },
    /// The bus has stored the event (durable log) or sent it to its subscribers.
    PublishAck {
        ev: BusEvent,
    },
    /// The bus hands the consumer an event; `offset` is its place in the log.
    Deliver {
        ev: BusEvent,
        offset: u32,
    },
    /// The consumer handled the event: the bus may commit its offset.
    Ack {
        ev: BusEvent,
        offset: u32,
    },
    /// The consumer failed to handle the event.
    Nack {
        ev: BusEvent,
        offset: u32,
    },
    /// The consumer (re)connects and asks for everything past its committed offset.
    Subscribe,
    /// The relay asks the database for the oldest unpublished outbox row.
    OutboxPoll,
    OutboxRow {
        ev: BusEvent,
    },
    OutboxEmpty,
    /// The relay marks an outbox row published.
    Mark {
        ev: BusEvent,
    },
    Marked {
        ev: BusEvent,
    },
    /// The write-behind flusher writes a queued value to the database.
    DbPut {
        key: Key,
        version: Version,
    },
    /// The database's answer to a put: it has `version` (it wrote it, or skipped it as
    /// already there or older; shown as "put v3 done", not "wrote", review 21, C2).
    DbPutReply {
        key: Key,
        version: Version,
    },
    /// A write-behind write: the cache takes it, queues it and acknowledges.
    WbWrite {
        key: Key,
    },
    WbAck {
        key: Key,
        version: Version,
    },
    /// Take the per-key lock (the stampede mutex), as memcache's `add`.
    Lock {
        key: Key,
        /// The client whose request asks, named in the lock.
        holder: NodeId,
    },
    LockReply {
        key: Key,
        granted: bool,
    },
    Unlock {
        key: Key,
    },
    UnlockReply {
        key: Key,
    },
    /// `BEGIN; UPDATE`: the row's next version inside `client`'s transaction,
    /// invisible to others until `TxCommit`.
    TxUpdate {
        key: Key,
        client: NodeId,
    },
    /// The update is done inside the open transaction: `version` once committed.
    TxUpdated {
        key: Key,
        version: Version,
    },
    /// `COMMIT`: answered by a `DbWriteReply`, or `TxRolledBack` if the transaction
    /// was aborted meanwhile.
    TxCommit {
        key: Key,
    },
    TxRolledBack {
        key: Key,
    },
    /// The service tells the writer its write failed (its transaction rolled back).
    WriteFailed {
        key: Key,
    },
    /// Set a remote marker for the key (Facebook's memcache, NSDI 2013 §5): a write
    /// from this region is on its way to the primary in another.
    SetMarker {
        key: Key,
    },
    MarkerSet {
        key: Key,
    },
    /// A replica asks the primary to stream its commit log from just after `from_lsn`
    /// (Postgres's `START_REPLICATION`, MySQL's binlog dump from a position).
    /// `conn` numbers the replica's connections: a change sent on an older one is
    /// from a connection the replica has closed.
    Replicate {
        from_lsn: u32,
        conn: u32,
    },
    /// One change of the primary's commit log, on its ordered replication stream.
    Change {
        lsn: u32,
        key: Key,
        version: Version,
        conn: u32,
    },
    /// A cache node tells a service that read `key` that the key changed, so it drops
    /// its near copy (Redis's client-side caching: a `CLIENT TRACKING` invalidation
    /// push).
    Invalidate {
        key: Key,
    },
    /// The connection closed: the crashed sender's operating system closed its socket
    /// (a FIN, or a reset), which the other end reads as the end of the session: a
    /// database rolls back the session's open transaction (Postgres and InnoDB do on a
    /// client's disconnect), a Redis client that tracks its reads flushes its near
    /// cache. It follows everything sent before it on the connection (`timing.rs`).
    Closed,
    /// The service tells the reader its read failed (its database query failed on a
    /// closed connection: `service/closed.rs`).
    ReadFailed {
        key: Key,
    },
}

impl Payload {
    /// The contract's `data-kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Read { .. } => "read",
            Payload::Write { .. } => "write",
            Payload::Invalidate { .. } => "invalidate",
            Payload::Insert { .. } => "insert",
            Payload::ReadOk { .. } => "read-ok",
            Payload::WriteOk { .. } => "write-ok",
            Payload::Get { .. } => "get",
            Payload::GetReply { .. } => "get-reply",
            Payload::Set { .. } => "set",
            Payload::SetReply { .. } => "set-reply",
            Payload::Del { .. } => "del",
            Payload::DelReply { .. } => "del-reply",
            Payload::DbRead { .. } => "db-read",
            Payload::DbReadReply { .. } => "db-read-reply",
            Payload::DbWrite { .. } => "db-write",
            Payload::DbInsert { .. } => "db-insert",
            Payload::DbWriteReply { .. } => "db-write-reply",
            Payload::Publish { .. } => "publish",
            Payload::PublishAck { .. } => "publish-ack",
            Payload::Deliver { .. } => "event",
            Payload::Ack { .. } => "ack",
            Payload::Nack { .. } => "nack",
            Payload::Subscribe => "subscribe",
            Payload::OutboxPoll => "outbox-poll",
            Payload::OutboxRow { .. } => "outbox-row",
            Payload::OutboxEmpty => "outbox-empty",
            Payload::Mark { .. } => "mark",
            Payload::Marked { .. } => "marked",
            Payload::DbPut { .. } => "db-put",
            Payload::DbPutReply { .. } => "db-put-reply",
            Payload::WbWrite { .. } => "wb-write",
            Payload::WbAck { .. } => "wb-ack",
            Payload::Lock { .. } => "lock",
            Payload::LockReply { .. } => "lock-reply",
            Payload::Unlock { .. } => "unlock",
            Payload::UnlockReply { .. } => "unlock-reply",
            Payload::TxUpdate { .. } => "tx-update",
            Payload::TxUpdated { .. } => "tx-updated",
            Payload::TxCommit { .. } => "commit",
            Payload::TxRolledBack { .. } => "rolled-back",
            Payload::WriteFailed { .. } => "write-failed",
            Payload::ReadFailed { .. } => "read-failed",
            Payload::SetMarker { .. } => "set-marker",
            Payload::MarkerSet { .. } => "marker-set",
            Payload::Replicate { .. } => "replicate",
            Payload::Change { .. } => "change",
            Payload::Closed => "conn-closed",
        }
    }

    /// The row the message is about (`user:0` for the few that name none).
    pub fn key(&self) -> Key {
        self.key_opt().unwrap_or(Key(0))
    }

    /// The event the message carries, if it carries one.
    pub fn event(&self) -> Option<BusEvent> {
        match *self {
            Payload::Publish { ev }
            | Payload::PublishAck { ev }
            | Payload::Deliver { ev, .. }
            | Payload::Ack { ev, .. }
            | Payload::Nack { ev, .. }
            | Payload::OutboxRow { ev }
            | Payload::Mark { ev }
            | Payload::Marked { ev } => Some(ev),
            _ => None,
        }
    }

    pub fn key_opt(&self) -> Option<Key> {
        if let Some(ev) = self.event() {
            return Some(ev.key);
        }
        Some(match *self {
            Payload::Read { key }
            | Payload::Write { key }
            | Payload::Insert { key }
            | Payload::ReadOk { key, .. }
            | Payload::WriteOk { key, .. }
            | Payload::Get { key }
            | Payload::GetReply { key, .. }
            | Payload::Set { key, .. }
            | Payload::SetReply { key, .. }
            | Payload::Del { key, .. }
            | Payload::DelReply { key }
            | Payload::DbRead { key }
            | Payload::DbReadReply { key, .. }
            | Payload::DbWrite { key, .. }
            | Payload::DbInsert { key }
            | Payload::DbWriteReply { key, .. }
            | Payload::DbPut { key, .. }
            | Payload::DbPutReply { key, .. }
            | Payload::WbWrite { key }
            | Payload::WbAck { key, .. }
            | Payload::Lock { key, .. }
            | Payload::LockReply { key, .. }
            | Payload::Unlock { key }
            | Payload::UnlockReply { key }
            | Payload::Change { key, .. }
            | Payload::SetMarker { key }
            | Payload::MarkerSet { key }
            | Payload::TxUpdate { key, .. }
            | Payload::TxUpdated { key, .. }
            | Payload::TxCommit { key }
            | Payload::TxRolledBack { key }
            | Payload::WriteFailed { key }
            | Payload::ReadFailed { key }
            | Payload::Invalidate { key } => key,
            _ => return None,
        })
    }
}

impl fmt::Display for Payload {
    /// A short label, as drawn on the message in the diagram and in the trace.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Read { key } => write!(f, "read {key}"),
            Payload::Write { key } => write!(f, "write {key}"),
            Payload::Invalidate { key } => write!(f, "invalidate {key}"),
            Payload::Insert { key } => write!(f, "insert {key}"),
            Payload::ReadOk {
                key,
                value: Some(v),
            } => write!(f, "{key}={v}"),
            Payload::ReadOk { key, value: None } => write!(f, "{key}=none"),
            Payload::WriteOk { key, version } => write!(f, "ok {key}={version}"),
            Payload::Get { key } => write!(f, "get {key}"),
            Payload::GetReply { hit: Some(v), .. } => write!(f, "hit {v}"),
            Payload::GetReply {
                lease: LeaseReply::Granted(t),
                ..
            } => write!(f, "miss, lease #{t}"),
            Payload::GetReply {
                lease: LeaseReply::Wait,
                ..
            } => f.write_str("miss, wait"),
            Payload::GetReply { marked: true, .. } => f.write_str("miss, marked"),
            Payload::GetReply { .. } => f.write_str("miss"),
            Payload::Set {
                key,
                version,
                token: Some(t),
                ..
            } => write!(f, "set {key}={version} #{t}"),
            Payload::Set {
                key,
                version,
                token: None,
                ..
            } => write!(f, "set {key}={version}"),
            Payload::SetReply { refused: None, .. } => f.write_str("stored"),
            Payload::SetReply {
                refused: Some(_), ..
            } => f.write_str("refused"),
            Payload::Del {
                key,
                version: Some(v),
            } => write!(f, "del {key}@{v}"),
            Payload::Del { key, version: None } => write!(f, "del {key}"),
            Payload::DelReply { .. } => f.write_str("deleted"),
            Payload::DbRead { key } => write!(f, "select {key}"),
            Payload::DbReadReply { version, .. } => write!(f, "row {version}"),
            Payload::DbWrite { key, outbox: false } => write!(f, "update {key}"),
            Payload::DbWrite { key, outbox: true } => write!(f, "update {key} + outbox row"),
            Payload::DbInsert { key } => write!(f, "INSERT {key}"),
            Payload::DbWriteReply { version, .. } => write!(f, "committed {version}"),
            Payload::Publish { ev } => write!(f, "publish {ev}"),
            Payload::PublishAck { ev } => write!(f, "stored {}", ev.id),
            Payload::Deliver { ev, .. } => write!(f, "{ev}"),
            Payload::Ack { ev, .. } => write!(f, "ack {}", ev.id),
            Payload::Nack { ev, .. } => write!(f, "nack {}", ev.id),
            Payload::Subscribe => f.write_str("subscribe"),
            Payload::OutboxPoll => f.write_str("select unpublished"),
            Payload::OutboxRow { ev } => write!(f, "row {}", ev.id),
            Payload::OutboxEmpty => f.write_str("no rows"),
            Payload::Mark { ev } => write!(f, "mark {} published", ev.id),
            Payload::Marked { ev } => write!(f, "{} marked", ev.id),
            Payload::DbPut { key, version } => write!(f, "put {key}={version}"),
            Payload::DbPutReply { version, .. } => write!(f, "put {version} done"),
            Payload::WbWrite { key } => write!(f, "write {key}"),
            Payload::WbAck { key, version } => write!(f, "queued {key}={version}"),
            Payload::Lock { key, .. } => write!(f, "lock {key}"),
            Payload::LockReply { granted: true, .. } => f.write_str("locked"),
            Payload::LockReply { granted: false, .. } => f.write_str("lock taken"),
            Payload::Unlock { key } => write!(f, "unlock {key}"),
            Payload::UnlockReply { .. } => f.write_str("unlocked"),
            Payload::TxUpdate { key, .. } => write!(f, "begin; update {key}"),
            Payload::TxUpdated { version, .. } => write!(f, "updated {version} (uncommitted)"),
            Payload::TxCommit { .. } => f.write_str("commit"),
            Payload::TxRolledBack { .. } => f.write_str("rolled back"),
            Payload::WriteFailed { key } => write!(f, "failed {key}"),
            Payload::ReadFailed { key } => write!(f, "failed read {key}"),
            Payload::SetMarker { key } => write!(f, "set marker {key}"),
            Payload::MarkerSet { .. } => f.write_str("marker set"),
            Payload::Replicate { from_lsn, .. } => write!(f, "replicate from pos {from_lsn}"),
            Payload::Change {
                lsn, key, version, ..
            } => write!(f, "pos {lsn} {key}={version}"),
            Payload::Closed => f.write_str("connection closed"),
        }
    }
}

/// A message on its way. It is enabled from the moment it is sent, whatever its
/// nominal delay: the network may deliver in any order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Message {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    /// The client request this message belongs to, if any.
    pub flow: Option<FlowId>,
    pub payload: Payload,
    pub sent_ms: u64,
    /// Nominal arrival: delivering it moves `now` to at least this.
    pub arrive_ms: u64,
}
