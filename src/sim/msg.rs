//! Messages between nodes. Every request and reply crosses the network as one of these,
//! so the scheduler can deliver them in any order: that is where races come from.
use super::ids::{FlowId, Key, MsgId, NodeId, Version};
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Payload {
    /// A client asks the service for a key.
    Read { key: Key },
    /// A client asks the service to update a key (commit its next version).
    Write { key: Key },
    /// The service answers a read.
    ReadOk { key: Key, value: Option<Version> },
    /// The service tells the writer its write succeeded.
    WriteOk { key: Key, version: Version },
    /// Cache lookup.
    Get { key: Key },
    GetReply { key: Key, hit: Option<Version>, lease: LeaseReply },
    /// Fill or update a cache entry. `token` is the lease, when leases are on.
    Set { key: Key, version: Version, token: Option<u64> },
    SetReply { key: Key, refused: Option<Refusal> },
    /// Invalidate a key. `version` is the committed version, sent when the cache keeps
    /// tombstones (versioned sets).
    Del { key: Key, version: Option<Version> },
    DelReply { key: Key },
    DbRead { key: Key },
    DbReadReply { key: Key, version: Version },
    DbWrite { key: Key },
    DbWriteReply { key: Key, version: Version },
}

impl Payload {
    /// The contract's `data-kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Read { .. } => "read",
            Payload::Write { .. } => "write",
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
            Payload::DbWriteReply { .. } => "db-write-reply",
        }
    }

    pub fn key(&self) -> Key {
        match *self {
            Payload::Read { key }
            | Payload::Write { key }
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
            | Payload::DbWrite { key }
            | Payload::DbWriteReply { key, .. } => key,
        }
    }
}

impl fmt::Display for Payload {
    /// A short label, as drawn on the message in the diagram and in the trace.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Read { key } => write!(f, "read {key}"),
            Payload::Write { key } => write!(f, "write {key}"),
            Payload::ReadOk { key, value: Some(v) } => write!(f, "{key}={v}"),
            Payload::ReadOk { key, value: None } => write!(f, "{key}=none"),
            Payload::WriteOk { key, version } => write!(f, "ok {key}={version}"),
            Payload::Get { key } => write!(f, "get {key}"),
            Payload::GetReply { hit: Some(v), .. } => write!(f, "hit {v}"),
            Payload::GetReply { lease: LeaseReply::Granted(t), .. } => write!(f, "miss, lease #{t}"),
            Payload::GetReply { lease: LeaseReply::Wait, .. } => f.write_str("miss, wait"),
            Payload::GetReply { .. } => f.write_str("miss"),
            Payload::Set { key, version, token: Some(t) } => write!(f, "set {key}={version} #{t}"),
            Payload::Set { key, version, token: None } => write!(f, "set {key}={version}"),
            Payload::SetReply { refused: None, .. } => f.write_str("stored"),
            Payload::SetReply { refused: Some(_), .. } => f.write_str("refused"),
            Payload::Del { key, version: Some(v) } => write!(f, "del {key}@{v}"),
            Payload::Del { key, version: None } => write!(f, "del {key}"),
            Payload::DelReply { .. } => f.write_str("deleted"),
            Payload::DbRead { key } => write!(f, "select {key}"),
            Payload::DbReadReply { version, .. } => write!(f, "row {version}"),
            Payload::DbWrite { key } => write!(f, "update {key}"),
            Payload::DbWriteReply { version, .. } => write!(f, "committed {version}"),
        }
    }
}

/// A message on its way. It is enabled from the moment it is sent, whatever its
/// nominal delay: the network may deliver in any order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
