//! Faults: crash, restart, pause and resume a node; drop, delay or duplicate a message.
//! Each is an `Event`, so it is a choice in the trace and replays like any other.
//!
//! A crash loses exactly what the node keeps in memory: the service its open requests,
//! the cache its entries, leases, locks and write-behind queue (not the disk log), the
//! consumer the events it was handling, the relay its place in a publish. The
//! database and a durable bus keep everything.
//!
//! Here are the mechanics; what a fault did is recorded as a `FaultFact` (data), and
//! its sentences are the narration's (`narrate/fault.rs`), like any node's.
use super::fact::Fact;
use super::ids::{Key, MsgId, NodeId, Version};
use super::msg::Payload;
use super::partition::Link;
use super::world::{Event, World};
use serde::{Deserialize, Serialize};
use std::fmt;

mod crash;
mod pressure;
mod subscription;
pub use super::node::NodeStatus;
pub use crash::Held;
pub(crate) use crash::{close_to, crash, restart};
pub use subscription::disconnected;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Fault {
    Crash(NodeId),
    Restart(NodeId),
    Pause(NodeId),
    Resume(NodeId),
    Drop(MsgId),
    Delay(MsgId),
    Duplicate(MsgId),
    /// The open transaction of this client's write rolls back (a later statement
    /// failed, a deadlock, a lost connection).
    Abort(NodeId),
    /// The network cuts the node off: it keeps running and its memory, but messages
    /// between it and the others are lost until `Heal`.
    Partition(NodeId),
    Heal(NodeId),
    /// The network cuts a link (`partition.rs`): between two nodes, or every link
    /// between the regions. Both ends keep running; what crosses it is lost.
    PartitionLink(Link),
    HealLink(Link),
    /// Memory pressure: the cache node evicts the key (Redis under `maxmemory`,
    /// memcached's LRU), as it would to make room (`fault/pressure.rs`).
    Evict {
        cache: NodeId,
        key: Key,
    },
    /// The consumer's subscription to its bus breaks (its connection closes): it keeps
    /// running and its memory, but the bus pushes it nothing until it resubscribes
    /// (`fault/subscription.rs`).
    Disconnect(NodeId),
    /// The disconnected consumer subscribes to its bus again.
    Resubscribe(NodeId),
}

/// What a fault names (`Fault::struck`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Struck {
    Node(NodeId),
    Message(MsgId),
    Link(Link),
    /// A key of a cache node (an eviction).
    Key(NodeId, Key),
}

/// The kinds of fault, numbered (`Fault::kind`): the bits of a `Kinds`.
pub mod kind {
    pub const CRASH: u8 = 0;
    pub const RESTART: u8 = 1;
    pub const PAUSE: u8 = 2;
    pub const RESUME: u8 = 3;
    pub const DROP: u8 = 4;
    pub const DELAY: u8 = 5;
    pub const DUPLICATE: u8 = 6;
    pub const ABORT: u8 = 7;
    /// A node's partition and a link's.
    pub const PARTITION: u8 = 8;
    /// A node's heal and a link's.
    pub const HEAL: u8 = 9;
    pub const EVICT: u8 = 10;
    pub const DISCONNECT: u8 = 11;
    pub const RESUBSCRIBE: u8 = 12;
}

/// A set of kinds of fault, a bit each (`kind`): the faults `World::faults_into` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kinds(pub u16);

impl Kinds {
    /// Every kind.
    pub const ALL: Kinds = Kinds(u16::MAX);

    /// Whether the set has the kind numbered `kind` (`fault::kind`).
    pub fn has(self, kind: u8) -> bool {
        self.0 & 1 << kind != 0
    }
}

impl Fault {
    /// Its kind's number (`fault::kind`): a partition of a node and of a link are one
    /// kind, as are their heals.
    pub fn kind(&self) -> u8 {
        match self {
            Fault::Crash(_) => kind::CRASH,
            Fault::Restart(_) => kind::RESTART,
            Fault::Pause(_) => kind::PAUSE,
            Fault::Resume(_) => kind::RESUME,
            Fault::Drop(_) => kind::DROP,
            Fault::Delay(_) => kind::DELAY,
            Fault::Duplicate(_) => kind::DUPLICATE,
            Fault::Abort(_) => kind::ABORT,
            Fault::Partition(_) | Fault::PartitionLink(_) => kind::PARTITION,
            Fault::Heal(_) | Fault::HealLink(_) => kind::HEAL,
            Fault::Evict { .. } => kind::EVICT,
            Fault::Disconnect(_) => kind::DISCONNECT,
            Fault::Resubscribe(_) => kind::RESUBSCRIBE,
        }
    }

    /// The contract's `data-fault`.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Crash(_) => "crash",
            Fault::Restart(_) => "restart",
            Fault::Pause(_) => "pause",
            Fault::Resume(_) => "resume",
            Fault::Drop(_) => "drop",
            Fault::Delay(_) => "delay",
            Fault::Duplicate(_) => "duplicate",
            Fault::Abort(_) => "abort",
            Fault::Partition(_) | Fault::PartitionLink(_) => "partition",
            Fault::Heal(_) | Fault::HealLink(_) => "heal",
            Fault::Evict { .. } => "evict",
            Fault::Disconnect(_) => "disconnect",
            Fault::Resubscribe(_) => "resubscribe",
        }
    }

    /// The contract's `data-target`: a node id, the message's id, a link, or an
    /// evicted key (its node is `cache_node`'s `data-cache`).
    pub fn target(&self) -> String {
        match self.struck() {
            Struck::Node(n) => n.to_string(),
            Struck::Message(m) => m.to_string(),
            Struck::Link(l) => l.to_string(),
            Struck::Key(_, k) => k.to_string(),
        }
    }

    /// The contract's `data-cache` of an `evict`: the node that evicts the key.
    pub fn cache_node(&self) -> Option<NodeId> {
        match *self {
            Fault::Evict { cache, .. } => Some(cache),
            _ => None,
        }
    }

    /// What the fault names: a node (an abort names the client whose transaction
    /// rolls back), a message, or a link. The one place that sorts the variants so.
    pub fn struck(&self) -> Struck {
        match *self {
            Fault::Crash(n)
            | Fault::Restart(n)
            | Fault::Pause(n)
            | Fault::Resume(n)
            | Fault::Abort(n)
            | Fault::Partition(n)
            | Fault::Heal(n)
            | Fault::Disconnect(n)
            | Fault::Resubscribe(n) => Struck::Node(n),
            Fault::Evict { cache, key } => Struck::Key(cache, key),
            Fault::Drop(m) | Fault::Delay(m) | Fault::Duplicate(m) => Struck::Message(m),
            Fault::PartitionLink(l) | Fault::HealLink(l) => Struck::Link(l),
        }
    }

    /// Whether the network does it: a message dropped, delayed or duplicated. No
    /// node acts (the page tags it `[network]`, `StepRecord::acting`), though
    /// `actor` names the message's destination, whose state it concerns.
    pub fn by_network(&self) -> bool {
        matches!(self.struck(), Struck::Message(_))
    }

    /// The node the fault strikes (a message's destination).
    pub fn actor(&self, w: &World) -> Option<NodeId> {
        match self {
            Fault::Crash(n)
            | Fault::Restart(n)
            | Fault::Pause(n)
            | Fault::Resume(n)
            | Fault::Partition(n)
            | Fault::Heal(n)
            | Fault::Disconnect(n)
            | Fault::Resubscribe(n) => Some(*n),
            Fault::Evict { cache, .. } => Some(*cache),
            // The primary that has the client's transaction open.
            Fault::Abort(client) => Some(
                w.nodes
                    .dbs()
                    .find(|(_, db)| db.txns.iter().any(|t| t.client == *client))
                    .map_or(NodeId::DB, |(id, _)| id),
            ),
            // A link's far end from the primary (a replica, the invalidator); the
            // regions' link, the primary's side.
            Fault::PartitionLink(l) | Fault::HealLink(l) => Some(match l {
                Link::Between(a, b) => *a.max(b),
                Link::Regions => NodeId::DB,
            }),
            Fault::Drop(m) | Fault::Delay(m) | Fault::Duplicate(m) => {
                w.net.iter().find(|x| x.id == *m).map(|x| x.to)
            }
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A key is cached in more than one node: the words name both, so a file's
            // choice matches one event.
            Fault::Evict { cache, key } => write!(f, "evict {key} from {cache}"),
            _ => write!(f, "{} {}", self.name(), self.target()),
        }
    }
}

/// What a fault did, as data (`narrate/fault.rs` says it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultFact {
    /// `node` crashed; `held`: what it had in memory just before; `scheduled`: it had
    /// timers of its own set (they are gone); `restart_at_ms`: when its supervisor
    /// restarts it, if one does.
    Crashed {
        node: NodeId,
        held: Held,
        scheduled: bool,
        restart_at_ms: Option<u64>,
    },
    /// `node`'s connection to `peer`, which waits on it, closed this step: a
    /// `Payload::Closed` is on its way to `peer` (`close_to`; said with the crash, the
    /// refused message or the restart it follows).
    Closing {
        node: NodeId,
        peer: NodeId,
    },
    /// `node` came back (its state after says with what).
    Restarted {
        node: NodeId,
        by_supervisor: bool,
    },
    Paused {
        node: NodeId,
    },
    Resumed {
        node: NodeId,
    },
    Partitioned {
        node: NodeId,
    },
    /// The partition healed; a log reader (a replica, the invalidator) reconnected.
    Healed {
        node: NodeId,
    },
    /// The network cut `link` (`partition.rs`).
    LinkCut {
        link: Link,
    },
    /// The network healed `link`; the log readers whose stream crossed it reconnected.
    LinkHealed {
        link: Link,
        reconnected: [Option<NodeId>; 2],
    },
    /// The database rolled back `client`'s open transaction, its write of `key`;
    /// `next`: the client whose UPDATE was waiting for the row lock, and runs now.
    RolledBack {
        client: NodeId,
        key: Key,
        version: Version,
        next: Option<NodeId>,
    },
    Dropped {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        payload: Payload,
    },
    /// The message now arrives at `at_ms` at the earliest.
    Delayed {
        id: MsgId,
        payload: Payload,
        at_ms: u64,
    },
    /// `copy` is a second copy of `id`.
    Duplicated {
        id: MsgId,
        copy: MsgId,
        payload: Payload,
    },
    /// The fault found nothing to act on (no such message, no open transaction).
    Missed {
        fault: Fault,
    },
    /// A cache node's crash wiped a guard of `key` a set fix relies on: its tombstone
    /// (the version it named) or its lease (the token); or its negative entry (a cached
    /// "not found"); or a live copy older than the key should read (`stale`). Recorded
    /// after `Crashed`, one per key, for the books (`Happened::GuardWiped`,
    /// `Happened::NegativeWiped`, `Happened::StaleWiped`) and the crash's words.
    Wiped {
        node: NodeId,
        key: Key,
        tombstone: Option<Version>,
        lease: Option<u64>,
        negative: bool,
        /// A live copy older than the newest version the key should read (for the
        /// books: `Happened::StaleWiped`).
        stale: bool,
    },
    /// Memory pressure made `node` evict `key`, which held `version`; `tombstone`,
    /// `lease`: the guards of the key the eviction left in place (`fault/pressure.rs`).
    Evicted {
        node: NodeId,
        key: Key,
        version: Version,
        tombstone: Option<Version>,
        lease: Option<u64>,
    },
    /// `consumer`'s subscription to `bus` broke; `lost`: the messages on the broken
    /// connection (deliveries, acks) that are lost with it, `deliveries` of them events.
    Disconnected {
        consumer: NodeId,
        bus: NodeId,
        durable: bool,
        lost: u32,
        deliveries: u32,
    },
    /// `consumer` asks `bus` for its subscription again.
    Resubscribing {
        consumer: NodeId,
        bus: NodeId,
        durable: bool,
    },
}

impl From<FaultFact> for Fact {
    fn from(f: FaultFact) -> Fact {
        Fact::Fault(f)
    }
}

impl World {
    /// Every fault that can be injected now: crash or pause a node that is up, restart a
    /// node that is down, resume a paused one; drop, delay or duplicate a message in
    /// flight. Clients are not crashed: they stand for users.
    pub fn faults(&self) -> Vec<Event> {
        let mut out = Vec::new();
        self.faults_into(&self.nodes(), Kinds::ALL, &mut out);
        out
    }

    /// `faults`, appended to `out` (which keeps what it had): for a caller that lists
    /// them in many states of one run (a search), with `nodes` being this world's
    /// `nodes()` (fixed for a run, so computed once), and with only the faults of
    /// `kinds` (the list is otherwise the same, in the same order: a search leaves out
    /// the kinds no budget can pay for, and skips walking what offers only those).
    /// Allocates nothing once `out` has grown.
    pub fn faults_into(&self, nodes: &[NodeId], kinds: Kinds, out: &mut Vec<Event>) {
        let mut push = |f: Fault| {
            if kinds.has(f.kind()) {
                out.push(Event::Fault(f))
            }
        };
        for &node in nodes.iter().filter(|n| !n.is_client()) {
            let status = self.status_of(node);
            match status {
                NodeStatus::Up => {
                    push(Fault::Crash(node));
                    push(Fault::Pause(node));
                }
                NodeStatus::Down => push(Fault::Restart(node)),
                NodeStatus::Paused => push(Fault::Resume(node)),
                NodeStatus::Partitioned => push(Fault::Heal(node)),
            }
            // A log reader or a second region's node cut off from every other. Kept in
            // its place in the list: a run code numbers a choice by its place, so links
            // made before the link partitions came open at the same moment
            // (tests/legacy/session5).
            if status == NodeStatus::Up
                && kinds.has(kind::PARTITION)
                && super::partition::isolatable(self, node)
            {
                push(Fault::Partition(node));
            }
        }
        let messages = [kind::DROP, kind::DELAY, kind::DUPLICATE]
            .iter()
            .any(|k| kinds.has(*k));
        for m in self.net.iter().filter(|_| messages) {
            // A replication stream runs over TCP: a change is not lost or doubled on
            // its own, only delayed (or lost with its node). So is a connection's close:
            // a crashed process's kernel sends the FIN and TCP retransmits it, so the
            // other end does see the close (review 17: a crashed client's open
            // transaction is rolled back when its session's close arrives).
            if matches!(
                m.payload,
                Payload::Change { .. } | Payload::Replicate { .. } | Payload::Closed
            ) {
                push(Fault::Delay(m.id));
                continue;
            }
            push(Fault::Drop(m.id));
            push(Fault::Delay(m.id));
            push(Fault::Duplicate(m.id));
        }
        // A transaction can be aborted while it is open (and its database is up): the
        // first primary's, then each other's (a second shard's came later, so after).
        // Not one whose session died with its service (crashed, or restarted empty):
        // the close on its way rolls it back (`db/session.rs`).
        for (id, db) in self.nodes.dbs().filter(|_| kinds.has(kind::ABORT)) {
            if self.is_up(id) {
                for t in db.txns.iter().filter(|t| live_session(self, t)) {
                    push(Fault::Abort(t.client));
                }
            }
        }
        // The links a learner can cut or heal come after them, for the same reason:
        // they came after the run codes of session 5. (A heal only of a link cut.)
        if kinds.has(kind::PARTITION) || (kinds.has(kind::HEAL) && !self.cuts.is_empty()) {
            super::partition::offered_into(self, &mut push);
        }
        // Evictions, then disconnects and resubscribes, last of all: they came after
        // the run codes of session 14, which number every other fault the same. (A
        // resubscribe only of a subscription broken.)
        if kinds.has(kind::EVICT) {
            pressure::offered_into(self, &mut push);
        }
        if kinds.has(kind::DISCONNECT) || (kinds.has(kind::RESUBSCRIBE) && self.any_unsubscribed())
        {
            subscription::offered_into(self, &mut push);
        }
    }
}

/// Injects `fault`: the state changes, and what it did joins the step's facts.
pub(crate) fn inject(w: &mut World, fault: Fault) {
    let fact = match fault {
        Fault::PartitionLink(link) => super::partition::cut(w, link),
        Fault::HealLink(link) => super::partition::heal(w, link),
        Fault::Partition(node) => {
            w.set_status(node, NodeStatus::Partitioned);
            FaultFact::Partitioned { node }
        }
        Fault::Heal(node) => {
            w.set_status(node, NodeStatus::Up);
            // A log reader's stream broke while it was cut off: it reconnects from its
            // position (as after a restart; its memory is intact).
            if matches!(node, NodeId::Replica(_) | NodeId::Invalidator(_)) {
                let out = w.act(node, |a, ctx| a.on_restart(ctx));
                w.apply(node, out);
            }
            FaultFact::Healed { node }
        }
        Fault::Evict { cache, key } => return pressure::evict(w, cache, key),
        Fault::Disconnect(consumer) => subscription::disconnect(w, consumer),
        Fault::Resubscribe(consumer) => subscription::resubscribe(w, consumer),
        Fault::Abort(client) => match abort_in(w, client) {
            Some((db_id, t)) => {
                // Its row lock is free: an UPDATE waiting for it runs now.
                let mut out = super::node::Out::default();
                let now_ms = w.now_ms;
                let next = w.nodes.db_mut(db_id).and_then(|db| {
                    db.grant(&mut super::node::Ctx::new(db_id, now_ms, &mut out), t.key)
                });
                w.apply(db_id, out);
                FaultFact::RolledBack {
                    client,
                    key: t.key,
                    version: t.version,
                    next,
                }
            }
            None => FaultFact::Missed { fault },
        },
        Fault::Crash(node) => return crash(w, node),
        Fault::Restart(node) => return restart(w, node, false),
        Fault::Pause(node) => {
            w.set_status(node, NodeStatus::Paused);
            FaultFact::Paused { node }
        }
        Fault::Resume(node) => {
            w.set_status(node, NodeStatus::Up);
            FaultFact::Resumed { node }
        }
        Fault::Drop(id) => match w.net.iter().position(|m| m.id == id) {
            Some(pos) => {
                let m = w.net.remove(pos);
                FaultFact::Dropped {
                    id,
                    from: m.from,
                    to: m.to,
                    payload: m.payload,
                }
            }
            None => FaultFact::Missed { fault },
        },
        Fault::Delay(id) => match w.net.iter().position(|m| m.id == id) {
            Some(pos) => {
                // A delayed message goes to the back of its link: it can be
                // overtaken. It is held back from now, or from its nominal arrival if
                // that is still to come (a time already past reads as now, everywhere
                // in the rules).
                let mut m = w.net.remove(pos);
                m.arrive_ms = m.arrive_ms.max(w.now_ms) + w.config.fault_delay_ms;
                let (payload, at_ms) = (m.payload, m.arrive_ms);
                if matches!(payload, Payload::Change { .. } | Payload::Replicate { .. }) {
                    // A replication stream is one TCP connection: a late change holds
                    // back the ones behind it, it is not overtaken.
                    w.net.insert(pos, m);
                } else {
                    w.net.push(m);
                }
                FaultFact::Delayed { id, payload, at_ms }
            }
            None => FaultFact::Missed { fault },
        },
        Fault::Duplicate(id) => match w.net.iter().find(|m| m.id == id).cloned() {
            Some(m) => {
                let copy = MsgId(w.next_msg);
                w.next_msg += 1;
                let payload = m.payload;
                w.net.push(super::msg::Message { id: copy, ..m });
                FaultFact::Duplicated { id, copy, payload }
            }
            None => FaultFact::Missed { fault },
        },
    };
    w.facts.0.push(fact.into());
}

/// Whether the session of transaction `t` lives: its service is not down and its
/// request still waits on it (a crashed service's close is on its way, and rolls it
/// back when it arrives).
fn live_session(w: &World, t: &super::db::Txn) -> bool {
    w.status_of(t.from) != NodeStatus::Down
        && w.nodes.service(t.from).is_some_and(|s| {
            s.flows
                .iter()
                .any(|f| Some(f.id) == t.flow && f.client == t.client)
        })
}

/// Rolls back `client`'s open transaction in the primary that has it (the first that
/// does, in id order): that primary and the transaction.
fn abort_in(w: &mut World, client: NodeId) -> Option<(NodeId, super::db::Txn)> {
    let db_id = w
        .nodes
        .dbs()
        .find(|(_, db)| db.txns.iter().any(|t| t.client == client))
        .map_or(NodeId::DB, |(id, _)| id);
    let t = w.nodes.db_mut(db_id)?.abort(client)?;
    Some((db_id, t))
}
