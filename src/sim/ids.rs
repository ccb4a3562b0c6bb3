//! Names of things in the simulation: nodes, keys, versions, messages, flows, timers.
//!
//! Every id is a small integer so that a world state stays cheap to clone and hash
//! (the exhaustive search and the step-back history both copy it).
use serde::{Deserialize, Serialize};
use std::fmt;

/// A node of the diagram, by the fixed ids of `shared/spec/scenarios.md`. The order
/// of the variants is the tie-break order the scenarios' rules name: "ties broken by
/// node id". A numbered kind's first node is `n = 1` and is spelled without a number
/// (`cache`); the next ones are `cache-2`, `cache-3`, …
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::ids))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeId {
    /// A client that reads; `Reader(1)` is `reader`, `Reader(2)` is `reader-2`.
    Reader(u8),
    /// A client that writes; `Writer(1)` is `writer`.
    Writer(u8),
    /// An edge cache in front of the service.
    Cdn,
    /// An instance of the application between clients and storage; `Service(2)` is
    /// `service-2`.
    Service(u8),
    /// A cache node (of a pool, or of a second region); `Cache(2)` is `cache-2`.
    Cache(u8),
    /// A database primary: `Db(1)` is `db`, `Db(2)` is `db-2` (a second shard, owning
    /// other keys).
    Db(u8),
    /// A read replica of a primary (`db`, or the one its topology entry names);
    /// `Replica(1)` is `replica`.
    Replica(u8),
    /// An event bus: `Bus(1)` is `bus`.
    Bus(u8),
    /// An outbox relay: `Relay(1)` is `relay`.
    Relay(u8),
    /// An invalidation consumer: `Consumer(1)` is `consumer`.
    Consumer(u8),
    /// A write-behind flusher: `Flusher(1)` is `flusher`.
    Flusher(u8),
    /// A daemon that tails a database's commit log and deletes keys (change data
    /// capture); `Invalidator(1)` is `invalidator`.
    Invalidator(u8),
}

/// A numbered kind's constructor (`NodeId::Cache`).
type Numbered = fn(u8) -> NodeId;

impl NodeId {
    /// The first (or only) service: `service`.
    pub const SERVICE: NodeId = NodeId::Service(1);
    /// The first (or only) cache node: `cache`.
    pub const CACHE: NodeId = NodeId::Cache(1);
    /// The first (or only) database primary: `db`.
    pub const DB: NodeId = NodeId::Db(1);
    /// The first (or only) bus: `bus`.
    pub const BUS: NodeId = NodeId::Bus(1);
    /// The first (or only) outbox relay: `relay`.
    pub const RELAY: NodeId = NodeId::Relay(1);
    /// The first (or only) invalidation consumer: `consumer`.
    pub const CONSUMER: NodeId = NodeId::Consumer(1);
    /// The first (or only) write-behind flusher: `flusher`.
    pub const FLUSHER: NodeId = NodeId::Flusher(1);
    /// The first (or only) read replica: `replica`.
    pub const REPLICA: NodeId = NodeId::Replica(1);
    /// The first (or only) CDC invalidator: `invalidator`.
    pub const INVALIDATOR: NodeId = NodeId::Invalidator(1);

    /// Parses the contract's spelling (`reader`, `reader-2`, `cache`, `service-2`, …).
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
            "cdn" => NodeId::Cdn,
            _ => {
                let kinds: [(&str, Numbered); 11] = [
                    ("reader", NodeId::Reader),
                    ("writer", NodeId::Writer),
                    ("service", NodeId::Service),
                    ("cache", NodeId::Cache),
                    ("replica", NodeId::Replica),
                    ("db", NodeId::Db),
                    ("bus", NodeId::Bus),
                    ("relay", NodeId::Relay),
                    ("consumer", NodeId::Consumer),
                    ("flusher", NodeId::Flusher),
                    ("invalidator", NodeId::Invalidator),
                ];
                kinds
                    .iter()
                    .find_map(|(prefix, make)| numbered(prefix).map(make))?
            }
        })
    }

    pub fn is_client(self) -> bool {
        matches!(self, NodeId::Reader(_) | NodeId::Writer(_))
    }
}

impl NodeId {
    /// The id as one number that sorts as the id does (the variant's index, then its
    /// number): the enabled list sorts plain integers (`timing.rs`).
    #[inline(always)]
    /// Whether this is the first of its kind (`db`, `cache`, `reader`: number 1); a
    /// CDN edge has no number.
    pub(crate) fn is_first(self) -> bool {
        self.rank() & 0xff == 1
    }

    pub(crate) fn rank(self) -> u16 {
        let (index, n) = match self {
            NodeId::Reader(n) => (0, n),
            NodeId::Writer(n) => (1, n),
            NodeId::Cdn => (2, 0),
            NodeId::Service(n) => (3, n),
            NodeId::Cache(n) => (4, n),
            NodeId::Db(n) => (5, n),
            NodeId::Replica(n) => (6, n),
            NodeId::Bus(n) => (7, n),
            NodeId::Relay(n) => (8, n),
            NodeId::Consumer(n) => (9, n),
            NodeId::Flusher(n) => (10, n),
            NodeId::Invalidator(n) => (11, n),
        };
        (index << 8) | u16::from(n)
    }

    /// The id of `rank` (its inverse).
    pub(crate) fn from_rank(rank: u16) -> NodeId {
        let n = rank as u8;
        match rank >> 8 {
            0 => NodeId::Reader(n),
            1 => NodeId::Writer(n),
            2 => NodeId::Cdn,
            3 => NodeId::Service(n),
            4 => NodeId::Cache(n),
            5 => NodeId::Db(n),
            6 => NodeId::Replica(n),
            7 => NodeId::Bus(n),
            8 => NodeId::Relay(n),
            9 => NodeId::Consumer(n),
            10 => NodeId::Flusher(n),
            _ => NodeId::Invalidator(n),
        }
    }
}

/// Hashed as one word, its rank (the variant's index, then its number: one integer per
/// id), where the derived hash fed two (the fingerprint hashes ids in every message,
/// request and node: `canon.rs`).
impl std::hash::Hash for NodeId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u16(self.rank());
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, n) = match *self {
            NodeId::Reader(n) => ("reader", n),
            NodeId::Writer(n) => ("writer", n),
            NodeId::Service(n) => ("service", n),
            NodeId::Cache(n) => ("cache", n),
            NodeId::Replica(n) => ("replica", n),
            NodeId::Db(n) => ("db", n),
            NodeId::Bus(n) => ("bus", n),
            NodeId::Relay(n) => ("relay", n),
            NodeId::Consumer(n) => ("consumer", n),
            NodeId::Flusher(n) => ("flusher", n),
            NodeId::Cdn => ("cdn", 1),
            NodeId::Invalidator(n) => ("invalidator", n),
        };
        if n == 1 {
            f.write_str(name)
        } else {
            write!(f, "{name}-{n}")
        }
    }
}

#[cfg(test)]
mod node_id_tests {
    use super::NodeId;

    #[test]
    fn a_rank_sorts_as_its_id_and_reads_back() {
        let ids: Vec<NodeId> = [
            "reader",
            "reader-2",
            "writer",
            "cdn",
            "service",
            "service-3",
            "cache",
            "cache-2",
            "db",
            "db-2",
            "replica",
            "bus",
            "relay",
            "consumer",
            "consumer-2",
            "flusher",
            "invalidator",
        ]
        .iter()
        .map(|t| NodeId::parse(t).expect("a fixed id"))
        .collect();
        for a in &ids {
            assert_eq!(NodeId::from_rank(a.rank()), *a);
            for b in &ids {
                assert_eq!(a.rank().cmp(&b.rank()), a.cmp(b), "{a} {b}");
            }
        }
    }

    #[test]
    fn every_fixed_id_reads_back_as_written() {
        for text in [
            "reader",
            "reader-2",
            "writer",
            "writer-3",
            "cdn",
            "service",
            "service-2",
            "cache",
            "cache-2",
            "db",
            "replica",
            "replica-2",
            "bus",
            "relay",
            "consumer",
            "flusher",
            "invalidator",
            "db-2",
            "bus-2",
            "relay-3",
            "consumer-2",
            "flusher-2",
            "invalidator-2",
        ] {
            let id = NodeId::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(id.to_string(), text);
        }
        for bad in [
            "service-1",
            "cache-",
            "replica-x",
            "dbx",
            "",
            "cache-0",
            "db-1",
            "bus-",
        ] {
            assert_eq!(NodeId::parse(bad), None, "{bad}");
        }
    }
}

/// A row key. `Key(1)` is shown as `user:1`.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::ids))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key(pub u16);

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user:{}", self.0)
    }
}

/// A committed version of a row. By the catalog's rule a row's value *is* its version,
/// so the cache and the database both show `v2`. `Version(0)` is no row at all,
/// `absent` (a cached "not found" holds it too), and sorts before every version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version(pub u32);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("absent");
        }
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
