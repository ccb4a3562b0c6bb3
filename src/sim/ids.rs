//! Names of things in the simulation: nodes, keys, versions, messages, flows, timers.
//!
//! Every id is a small integer so that a world state stays cheap to clone and hash
//! (the exhaustive search and the step-back history both copy it).
use serde::{Deserialize, Serialize};
use std::fmt;

/// A node of the diagram. The order of the variants is the tie-break order the
/// scenarios' rules name: "ties broken by node id".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NodeId {
    /// A client that reads; `Reader(1)` is `reader`, `Reader(2)` is `reader-2`.
    Reader(u8),
    /// A client that writes; `Writer(1)` is `writer`.
    Writer(u8),
    /// The single application instance between clients and storage.
    Service,
    Cache,
    Db,
    Bus,
    Relay,
    Consumer,
    Flusher,
}

impl NodeId {
    /// Parses the contract's spelling (`reader`, `reader-2`, `cache`, …).
    pub fn parse(text: &str) -> Option<NodeId> {
        let numbered = |prefix: &str| -> Option<u8> {
            let rest = text.strip_prefix(prefix)?;
            if rest.is_empty() {
                return Some(1);
            }
            let n: u8 = rest.strip_prefix('-')?.parse().ok()?;
            (n >= 2).then_some(n)
        };
        Some(match text {
            "service" => NodeId::Service,
            "cache" => NodeId::Cache,
            "db" => NodeId::Db,
            "bus" => NodeId::Bus,
            "relay" => NodeId::Relay,
            "consumer" => NodeId::Consumer,
            "flusher" => NodeId::Flusher,
            _ => {
                if let Some(n) = numbered("reader") {
                    NodeId::Reader(n)
                } else {
                    NodeId::Writer(numbered("writer")?)
                }
            }
        })
    }

    pub fn is_client(self) -> bool {
        matches!(self, NodeId::Reader(_) | NodeId::Writer(_))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Reader(1) => f.write_str("reader"),
            NodeId::Reader(n) => write!(f, "reader-{n}"),
            NodeId::Writer(1) => f.write_str("writer"),
            NodeId::Writer(n) => write!(f, "writer-{n}"),
            NodeId::Service => f.write_str("service"),
            NodeId::Cache => f.write_str("cache"),
            NodeId::Db => f.write_str("db"),
            NodeId::Bus => f.write_str("bus"),
            NodeId::Relay => f.write_str("relay"),
            NodeId::Consumer => f.write_str("consumer"),
            NodeId::Flusher => f.write_str("flusher"),
        }
    }
}

/// A row key. `Key(1)` is shown as `user:1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key(pub u16);

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user:{}", self.0)
    }
}

/// A committed version of a row. By the catalog's rule a row's value *is* its version,
/// so the cache and the database both show `v2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version(pub u32);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A message in flight. Ids are handed out in send order, so the same run names the
/// same message with the same id: a choice can refer to it by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MsgId(pub u32);

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// One client request as the service handles it, from arrival to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FlowId(pub u32);

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "f{}", self.0)
    }
}

/// A timer: TTL expiry, a retry, a delayed second delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimerId(pub u32);

impl fmt::Display for TimerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{}", self.0)
    }
}

/// An event's id: the database's log sequence number of the change it reports (the
/// seed rows take the first numbers), so with one row the event of `v2` is `e2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId(pub u32);

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "e{}", self.0)
    }
}
