//! Crash and restart: what a crashed node held in memory (`Held`, read before it dies),
//! its timers, the guards a cache node's crash wipes, and the messages its dead sockets
//! lose at its restart. Split from `fault.rs`, which injects them.
use super::FaultFact;
use super::NodeStatus;
use crate::sim::fact::Fact;
use crate::sim::ids::{Key, NodeId, Version};
use crate::sim::msg::Payload;
use crate::sim::node::{Ctx, Out};
use crate::sim::service::Pending;
use crate::sim::world::{TimerKind, World};

/// What a node held in memory when it crashed, read from its state just before: the
/// counts its kind keeps (zero for what it does not keep).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// A service's open requests (the CDN edge's: the requests it was forwarding).
    pub requests: u32,
    /// What a service's open requests had still to do, by kind.
    pub work: Pending,
    /// A service's near cache entries.
    pub near_keys: u32,
    /// A cache node's entries (the CDN edge's: its stored responses), its write-behind
    /// queue and its disk log.
    pub keys: u32,
    pub queued: u32,
    pub logged: u32,
    /// A cache node's guards: tombstones, leases, locks, remote markers.
    pub tombstones: u32,
    pub leases: u32,
    pub locks: u32,
    pub markers: u32,
    /// The events a consumer had received and not finished.
    pub events: u32,
    /// The database's open transactions.
    pub txns: u32,
    /// A log reader's position (the invalidator's, a replica's) and the changes it
    /// held in memory.
    pub position: u32,
    pub changes: u32,
}

/// The node dies and loses what it keeps in memory, by its own rule
/// (`Actor::on_crash`); the world drops its timers (not its supervisor's restart).
/// What it held is read from its state before.
pub(crate) fn crash(w: &mut World, node: NodeId) {
    w.set_status(node, NodeStatus::Down);
    let scheduled = w
        .timers
        .iter()
        .any(|t| t.owner == node && !matches!(t.kind, TimerKind::Restart { .. }));
    w.timers
        .retain(|t| t.owner != node || matches!(t.kind, TimerKind::Restart { .. }));
    let held = held(w, node);
    // The guards of each key a cache node's crash wipes (review session 12, R1).
    let mut wiped: Vec<FaultFact> = Vec::new();
    if let Some(c) = w.nodes.cache(node) {
        let negative = |key: Key| c.entries.get(&key).is_some_and(|e| e.version == Version(0));
        // A live copy older than the key should read (review 20b, N2: the crash, not
        // "something", removed a stale value).
        let stale = |key: Key| {
            c.entries
                .get(&key)
                .is_some_and(|e| e.expires_ms > w.now_ms && e.version < w.expected(key))
        };
        let keys = c
            .tombstones
            .iter()
            .map(|(k, _)| *k)
            .chain(c.leases.iter().map(|(k, _)| *k))
            .chain(
                c.entries
                    .iter()
                    .map(|(k, _)| *k)
                    .filter(|k| negative(*k) || stale(*k)),
            );
        for key in keys {
            if wiped
                .iter()
                .any(|f| matches!(f, FaultFact::Wiped { key: k, .. } if *k == key))
            {
                continue;
            }
            wiped.push(FaultFact::Wiped {
                node,
                key,
                tombstone: c.tombstones.get(&key).map(|t| t.version),
                lease: c.leases.get(&key).map(|l| l.token),
                negative: negative(key),
                stale: stale(key),
            });
        }
    }
    let out = w.act(node, |a, ctx| a.on_crash(ctx));
    w.apply(node, out);
    // Its operating system closes its sockets: each peer with something pending on it
    // reads the close (review 17, F6). (Only those are passed on, found in one walk of
    // the nodes: `close_to` tells no other, and would look each up by id.)
    // A client waiting on it reads the close too: its request fails with a connection
    // reset (review 20b, F8).
    let peers: Vec<NodeId> = w
        .nodes
        .iter()
        .filter(|(id, n)| *id != node && n.as_actor().awaits(node).is_some())
        .map(|(id, _)| id)
        .chain(
            w.clients
                .iter()
                .filter(|c| c.awaits(node).is_some())
                .map(|c| c.id),
        )
        .collect();
    close_to(w, node, &peers);
    let restart_at_ms = w.config.restart_after_ms.map(|after| {
        let at = w.now_ms + after;
        w.add_timer(node, at, TimerKind::Restart { node });
        at
    });
    w.facts.0.push(
        FaultFact::Crashed {
            node,
            held,
            scheduled,
            restart_at_ms,
        }
        .into(),
    );
    w.facts.0.extend(wiped.into_iter().map(Fact::from));
}

/// What `node` holds in memory now (`Held`).
fn held(w: &World, node: NodeId) -> Held {
    let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
    let mut held = Held::default();
    match node {
        NodeId::Service(_) => {
            if let Some(s) = w.nodes.service(node) {
                held.requests = n(s.flows.len());
                held.work = s.pending();
                held.near_keys = n(s.near.entries.len());
            }
        }
        NodeId::Cache(_) => {
            if let Some(c) = w.nodes.cache(node) {
                held.keys = n(c.entries.len());
                held.queued = n(c.queue.len());
                held.logged = n(c.log.len());
                held.tombstones = n(c.tombstones.len());
                held.leases = n(c.leases.len());
                held.locks = n(c.locks.len());
                held.markers = n(c.markers.len());
            }
        }
        NodeId::Consumer(_) => {
            held.events = w
                .nodes
                .consumer(node)
                .map_or(0, |c| n(c.inbox.len() + usize::from(c.busy.is_some())));
        }
        NodeId::Db(_) => held.txns = w.nodes.db(node).map_or(0, |db| n(db.txns.len())),
        NodeId::Invalidator(_) => {
            if let Some(i) = w.nodes.invalidator(node) {
                held.position = i.position;
                held.changes = n(i.queue.len());
            }
        }
        NodeId::Replica(_) => held.position = w.nodes.replica(node).map_or(0, |r| r.position),
        // The CDN edge's stored responses and the requests it was forwarding.
        NodeId::Cdn => {
            if let Some(c) = w.nodes.cdn(node) {
                held.keys = n(c.entries.len());
                held.requests = n(c.forwarded.len());
            }
        }
        _ => {}
    }
    held
}

/// The node comes back, empty but for what it kept on disk (`Actor::on_restart`),
/// and with no connection (review session 16, F4).
///
/// Every message of this model travels over a TCP connection, and a crashed process's
/// sockets die with it: what was on its way to it when it crashed, or was sent to it
/// while it was down, is lost, never handled by the node, even by its next life. A
/// message that arrives while it is down is lost then (`route.rs`: a message already
/// due but not yet taken when it crashed too, the process that would read it is dead);
/// what is still in flight when it restarts is lost now, each recorded as `Fact::Lost`
/// (the books count it as such an arrival), since the restarted process starts with no
/// connections and its peers must connect anew. The crash's words say which messages
/// are lost so; what the node itself sent before dying stays in flight (its kernel
/// flushes it before the FIN, `Payload::Closed`).
pub(crate) fn restart(w: &mut World, node: NodeId, by_supervisor: bool) {
    w.set_status(node, NodeStatus::Up);
    let mut stale = Vec::new();
    let mut senders = Vec::new();
    w.net.retain(|m| {
        let to_it = m.to == node;
        if to_it {
            senders.push(m.from);
            stale.push(Fact::Lost {
                id: m.id,
                from: m.from,
                to: m.to,
                payload: m.payload,
            });
        }
        !to_it
    });
    w.timers.retain(|t| t.kind != TimerKind::Restart { node });
    let out = w.act(node, |a, ctx| a.on_restart(ctx));
    w.apply(node, out);
    w.facts.0.push(
        FaultFact::Restarted {
            node,
            by_supervisor,
        }
        .into(),
    );
    w.facts.0.extend(stale);
    // Those messages were on connections the crash closed: the new process's host
    // resets them, and a sender waiting on one reads the close.
    close_to(w, node, &senders);
}

/// `node`'s connection to each of `peers` is closed (it crashed, or its host refuses a
/// connection while it is down, or resets one from before its restart): each peer that
/// has something pending on it (`Actor::awaits`) reads a `Payload::Closed` from it one
/// hop later, after what `node` sent it before (a FIN, or a reset), unless a close of
/// that connection is on its way already. A peer with nothing pending learns nothing
/// (its idle connection's close changes nothing it holds; a cache node's tracking
/// clients are told by the node itself, `tracking.rs`).
///
/// Why at the crash and not at the arrival of what the peer sends: a process that dies
/// has its kernel close its sockets at once (Linux sends a FIN, or a RST where unread
/// data remained), so a peer that waits on it reads the close within a hop, whatever it
/// sends later.
pub(crate) fn close_to(w: &mut World, node: NodeId, peers: &[NodeId]) {
    let mut out = Out::default();
    let mut ctx = Ctx::new(node, w.now_ms, &mut out);
    let mut told: Vec<NodeId> = Vec::new();
    for &peer in peers {
        if told.contains(&peer)
            || w.net
                .iter()
                .any(|m| m.from == node && m.to == peer && m.payload == Payload::Closed)
        {
            continue;
        }
        let Some(hop) = w.awaits(peer, node) else {
            continue;
        };
        told.push(peer);
        ctx.send(peer, None, Payload::Closed, hop);
    }
    if !told.is_empty() {
        w.apply(node, out);
    }
    for peer in told {
        w.facts.0.push(FaultFact::Closing { node, peer }.into());
    }
}

impl World {
    /// Whether `peer` (a client or a node) has something pending on its connection to
    /// `node`, and that connection's hop (`Actor::awaits`).
    pub(crate) fn awaits(&self, peer: NodeId, node: NodeId) -> Option<u64> {
        if peer.is_client() {
            self.clients.iter().find(|c| c.id == peer)?.awaits(node)
        } else {
            self.nodes.get(peer)?.as_actor().awaits(node)
        }
    }
}
