//! The time and choice rules of the catalog (`shared/spec/scenarios.md`, "Time and
//! choice"): when each event happens nominally, which node acts, and which events are
//! enabled now, earliest first. Split from `world.rs`, which fires them.
use super::fault::Fault;
use super::ids::{MsgId, NodeId, TimerId};
use super::msg::{Message, Payload};
use super::node::NodeStatus;
use super::parts::TimerKind;
use super::world::World;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One thing that can happen next. A choice names its event by id, never by its
/// position in the enabled list, so a recorded run replays whatever the list's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Event {
    /// The client's next request starts.
    Start(NodeId),
    /// The message arrives at its destination.
    Deliver(MsgId),
    /// The timer goes off.
    Fire(TimerId),
    /// A fault is injected: a crash, a restart, a lost, late or doubled message. Faults
    /// are never taken by "earliest first" and never keep a run from ending.
    Fault(Fault),
}

impl Event {
    /// A short name for the kind of event (`start`, `deliver`, `fire`, or the fault's).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Start(_) => "start",
            Event::Deliver(_) => "deliver",
            Event::Fire(_) => "fire",
            Event::Fault(f) => f.name(),
        }
    }

    pub fn fault(&self) -> Option<Fault> {
        match self {
            Event::Fault(f) => Some(*f),
            _ => None,
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Start(node) => write!(f, "start {node}"),
            Event::Deliver(id) => write!(f, "deliver {id}"),
            Event::Fire(id) => write!(f, "fire {id}"),
            Event::Fault(fault) => write!(f, "{fault}"),
        }
    }
}

impl World {
    /// The nominal time of an event: when it would happen on a calm network.
    pub fn nominal_ms(&self, event: Event) -> Option<u64> {
        match event {
            Event::Start(node) => {
                let c = self.clients.iter().find(|c| c.id == node)?;
                (c.busy.is_none()).then(|| c.requests.get(c.next).map(|r| r.at_ms))?
            }
            Event::Deliver(id) => self.net.iter().find(|m| m.id == id).map(|m| m.arrive_ms),
            Event::Fire(id) => self.timers.iter().find(|t| t.id == id).map(|t| t.at_ms),
            Event::Fault(_) => Some(self.now_ms),
        }
    }

    /// The node that acts when the event fires.
    pub fn actor(&self, event: Event) -> Option<NodeId> {
        match event {
            Event::Start(node) => Some(node),
            Event::Deliver(id) => self.net.iter().find(|m| m.id == id).map(|m| m.to),
            Event::Fire(id) => self.timers.iter().find(|t| t.id == id).map(|t| t.owner),
            Event::Fault(f) => f.actor(self),
        }
    }

    /// Every enabled event, earliest first (ties broken by node id, then id): the
    /// order the rules give to "forward" once a learner has left the script.
    ///
    /// Messages and starts are enabled whatever their nominal time; a timer once `now`
    /// has reached it, or when nothing else is. Nothing past the horizon is enabled.
    /// A paused node receives nothing and its timers wait; a down node's timers are
    /// gone (but for its restart). Links to and from the bus are ordered connections
    /// (a producer's, a partition's): on each, only the oldest message is enabled. A
    /// connection's close (`Payload::Closed`) comes after what was sent on it and before
    /// what is sent after it, as TCP delivers a FIN. A `delay` fault sends a message to
    /// the back of its link.
    /// Faults are not listed here: see `faults`.
    pub fn enabled(&self) -> Vec<Event> {
        let mut keyed = Vec::with_capacity(self.clients.len() + self.net.len() + self.timers.len());
        let mut out = Vec::new();
        self.enabled_into(&mut keyed, &mut out);
        out
    }

    /// `enabled`, into buffers the caller keeps between steps (a run loop, a search):
    /// `out` is cleared and filled; `keyed` is scratch (each event as one number that
    /// sorts as its order key does: `order_key`).
    pub fn enabled_into(&self, keyed: &mut Vec<u128>, out: &mut Vec<Event>) {
        let horizon = self.config.horizon_ms;
        // Each event with its order key (nominal time, actor), read once here.
        keyed.clear();
        out.clear();
        for c in &self.clients {
            if let (None, Some(r)) = (c.busy, c.requests.get(c.next)) {
                if r.at_ms <= horizon {
                    keyed.push(order_key(r.at_ms, c.id, START, u32::from(c.id.rank())));
                }
            }
        }
        // Most states have no node paused or down: no lookup per message then.
        let calm = self.status.is_empty();
        // A closed connection (`Payload::Closed`) is a barrier on its link: it waits
        // for what was sent before it, and what comes after waits for it.
        let mut closing = false;
        for (i, m) in self.net.iter().enumerate() {
            let closed = matches!(m.payload, Payload::Closed);
            let deliverable = m.arrive_ms <= horizon
                && (calm || self.status_of(m.to) != NodeStatus::Paused)
                && (!(closed || ordered_link(m))
                    || !self.net[..i]
                        .iter()
                        .any(|o| o.from == m.from && o.to == m.to))
                && (!closing
                    || !self.net[..i].iter().any(|o| {
                        o.from == m.from && o.to == m.to && matches!(o.payload, Payload::Closed)
                    }));
            closing |= closed;
            if deliverable {
                keyed.push(order_key(m.arrive_ms, m.to, DELIVER, m.id.0));
            }
        }
        // "Nothing else is enabled" is read as "nothing else would happen first": a
        // timer due no later than every other enabled event is enabled too, so time
        // reaches it before it jumps past it.
        let first_other = keyed
            .iter()
            .map(|k| (k >> 64) as u64)
            .min()
            .unwrap_or(u64::MAX);
        let reach = self.now_ms.max(first_other);
        for t in &self.timers {
            let due = t.at_ms <= horizon
                && t.at_ms <= reach
                && (calm
                    || match self.status_of(t.owner) {
                        NodeStatus::Up => true,
                        NodeStatus::Paused => false,
                        // A partitioned node keeps running: its timers fire.
                        NodeStatus::Partitioned => true,
                        NodeStatus::Down => matches!(t.kind, TimerKind::Restart { .. }),
                    });
            if due {
                keyed.push(order_key(t.at_ms, t.owner, FIRE, t.id.0));
            }
        }
        super::canon::sort_small(keyed);
        out.extend(keyed.iter().map(|k| event_of(*k)));
    }

    /// The earliest enabled event, if any.
    pub fn earliest(&self) -> Option<Event> {
        self.enabled().into_iter().next()
    }

    pub fn is_enabled(&self, event: Event) -> bool {
        match event {
            Event::Fault(_) => self.faults().contains(&event),
            _ => self.enabled().contains(&event),
        }
    }
}

/// The kinds of event in an order key, in `Event`'s order.
const START: u128 = 0;
const DELIVER: u128 = 1;
const FIRE: u128 = 2;

/// An enabled event's place in the order "earliest first, ties broken by node id,
/// then by the event" (`Event`'s order: a start, a delivery, a timer; then the id) as
/// one number: the nominal time, the actor's rank, the kind, the id, high bits first.
/// Plain integers sort with no call per comparison (a tuple of enums did).
#[inline(always)]
fn order_key(at_ms: u64, actor: NodeId, kind: u128, id: u32) -> u128 {
    (u128::from(at_ms) << 64) | (u128::from(actor.rank()) << 48) | (kind << 40) | u128::from(id)
}

/// The event an order key names.
fn event_of(key: u128) -> Event {
    let id = key as u32;
    match (key >> 40) & 0xff {
        START => Event::Start(NodeId::from_rank(id as u16)),
        DELIVER => Event::Deliver(MsgId(id)),
        _ => Event::Fire(TimerId(id)),
    }
}

/// Whether a message travels on an ordered connection (to or from the bus). The
/// search's build reads the fingerprint's table of the rule (`canon::ordered`, one
/// look-up); the page's own build the rule (`nodes::POOLS`: no bytes for speed there).
fn ordered_link(m: &Message) -> bool {
    if super::nodes::POOLS {
        super::canon::ordered(m.from, m.to)
    } else {
        ordered(m.from, m.to)
    }
}

/// The ordered connections: to or from a bus (any of them), and a replication stream
/// between a primary and a replica, or a log and the invalidator tailing it.
pub(crate) fn ordered(from: NodeId, to: NodeId) -> bool {
    matches!(from, NodeId::Bus(_))
        || matches!(to, NodeId::Bus(_))
        || matches!(
            (from, to),
            (NodeId::Db(_), NodeId::Replica(_))
                | (NodeId::Replica(_), NodeId::Db(_))
                | (NodeId::Db(_) | NodeId::Replica(_), NodeId::Invalidator(_))
                | (NodeId::Invalidator(_), NodeId::Db(_) | NodeId::Replica(_))
        )
}
