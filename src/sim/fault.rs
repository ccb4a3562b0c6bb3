//! Faults: crash, restart, pause and resume a node; drop, delay or duplicate a message.
//! Each is an `Event`, so it is a choice in the trace and replays like any other.
//!
//! A crash loses exactly what the node keeps in memory: the service its open requests,
//! the cache its entries, leases, locks and write-behind queue (not the disk log), the
//! consumer the events it was handling, the relay its place in a publish. The
//! database and a durable bus keep everything.
use super::ids::{MsgId, NodeId};
use super::msg::Payload;
use super::world::{Event, Said, TimerKind, World};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use super::node::NodeStatus;

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
}

impl Fault {
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
            Fault::Partition(_) => "partition",
            Fault::Heal(_) => "heal",
        }
    }

    /// The contract's `data-target`: a node id, or the message's id.
    pub fn target(&self) -> String {
        match self {
            Fault::Crash(n)
            | Fault::Restart(n)
            | Fault::Pause(n)
            | Fault::Resume(n)
            | Fault::Abort(n)
            | Fault::Partition(n)
            | Fault::Heal(n) => n.to_string(),
            Fault::Drop(m) | Fault::Delay(m) | Fault::Duplicate(m) => m.to_string(),
        }
    }

    /// The node the fault strikes (a message's destination).
    pub fn actor(&self, w: &World) -> Option<NodeId> {
        match self {
            Fault::Crash(n)
            | Fault::Restart(n)
            | Fault::Pause(n)
            | Fault::Resume(n)
            | Fault::Partition(n)
            | Fault::Heal(n) => Some(*n),
            Fault::Abort(_) => Some(NodeId::Db),
            Fault::Drop(m) | Fault::Delay(m) | Fault::Duplicate(m) => {
                w.net.iter().find(|x| x.id == *m).map(|x| x.to)
            }
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name(), self.target())
    }
}

impl World {
    /// Every fault that can be injected now: crash or pause a node that is up, restart a
    /// node that is down, resume a paused one; drop, delay or duplicate a message in
    /// flight. Clients are not crashed: they stand for users.
    pub fn faults(&self) -> Vec<Event> {
        let mut out = Vec::new();
        for node in self.nodes().into_iter().filter(|n| !n.is_client()) {
            match self.status_of(node) {
                NodeStatus::Up => out.extend([Fault::Crash(node), Fault::Pause(node)]),
                NodeStatus::Down => out.push(Fault::Restart(node)),
                NodeStatus::Paused => out.push(Fault::Resume(node)),
                NodeStatus::Partitioned => out.push(Fault::Heal(node)),
            }
            if self.status_of(node) == NodeStatus::Up && partitionable(self, node) {
                out.push(Fault::Partition(node));
            }
        }
        for m in &self.net {
            // A replication stream runs over TCP: a change is not lost or doubled on
            // its own, only delayed (or lost with its node).
            if matches!(
                m.payload,
                Payload::Change { .. } | Payload::Replicate { .. }
            ) {
                out.push(Fault::Delay(m.id));
                continue;
            }
            out.extend([
                Fault::Drop(m.id),
                Fault::Delay(m.id),
                Fault::Duplicate(m.id),
            ]);
        }
        // A transaction can be aborted while it is open (and its database is up).
        if self.is_up(NodeId::Db) {
            out.extend(self.db().txns.iter().map(|t| Fault::Abort(t.client)));
        }
        out.into_iter().map(Event::Fault).collect()
    }
}

/// Whether a partition is offered on `node`: a replica or the invalidator (its link
/// to the log it tails), or a node of the second region (the link between regions).
/// Only these, so a scenario without them offers the faults it always did.
fn partitionable(w: &World, node: NodeId) -> bool {
    matches!(node, NodeId::Replica(_) | NodeId::Invalidator)
        || (!w.config.topology.is_empty() && w.config.region_of(node) == 2)
}

pub(crate) fn inject(w: &mut World, fault: Fault) -> Said {
    match fault {
        Fault::Partition(node) => {
            w.set_status(node, NodeStatus::Partitioned);
            said!(w,
                "partitioned",
                text!(w,
                    "The network cuts {node} off: it keeps running and keeps its memory, but every message between \
                     it and the others is lost until the partition heals."
                ),
            )
        }
        Fault::Heal(node) => {
            w.set_status(node, NodeStatus::Up);
            // A log reader's stream broke while it was cut off: it reconnects from its
            // position (as after a restart; its memory is intact).
            if matches!(node, NodeId::Replica(_) | NodeId::Invalidator) {
                let out = w.act(node, |a, ctx| a.on_restart(ctx));
                w.apply(node, out);
            }
            let again = match node {
                NodeId::Replica(_) | NodeId::Invalidator => {
                    " Its stream broke while it was cut off, so it reconnects and asks for the log again from its \
                     position."
                }
                _ => "",
            };
            said!(
                w,
                "healed",
                text!(
                    w,
                    "The partition heals: {node} and the others hear each other again.{again}"
                ),
            )
        }
        Fault::Abort(client) => {
            let Some(t) = w.nodes.db_mut(NodeId::Db).and_then(|db| db.abort(client)) else {
                return said!(w, "no transaction", "");
            };
            said!(w,
                "rolled back",
                text!(w,
                    "A later statement of {client}'s transaction fails (a constraint, a deadlock), and the database \
                     rolls the whole transaction back: its {} of {} is discarded, and no other reader ever saw it. The \
                     service will learn it when its COMMIT is refused.",
                    t.version, t.key
                ),
            )
        }
        Fault::Crash(node) => crash(w, node),
        Fault::Restart(node) => restart(w, node, false),
        Fault::Pause(node) => {
            w.set_status(node, NodeStatus::Paused);
            said!(w,
                "paused",
                text!(w,
                    "{node} pauses (a long GC pause, a stalled VM): it is not dead, but it handles nothing; messages \
                     to it wait and its timers do not fire until it resumes."
                ),
            )
        }
        Fault::Resume(node) => {
            w.set_status(node, NodeStatus::Up);
            said!(
                w,
                "resumed",
                text!(
                    w,
                    "{node} resumes where it stopped; what waited for it is handled now."
                ),
            )
        }
        Fault::Drop(id) => {
            let Some(pos) = w.net.iter().position(|m| m.id == id) else {
                return said!(w, "nothing to drop", "");
            };
            let m = w.net.remove(pos);
            if matches!(m.payload, Payload::Deliver { .. }) {
                w.metrics.events_dropped += 1;
            }
            said!(
                w,
                "dropped",
                text!(
                    w,
                    "The network loses {} ({} from {} to {}): it never arrives.",
                    m.id,
                    m.payload,
                    m.from,
                    m.to
                ),
            )
        }
        Fault::Delay(id) => {
            let extra = w.config.fault_delay_ms;
            let Some(pos) = w.net.iter().position(|m| m.id == id) else {
                return said!(w, "nothing to delay", "");
            };
            // A delayed message goes to the back of its link: it can be overtaken. It is
            // held back from now, or from its nominal arrival if that is still to come
            // (a time already past reads as now, everywhere in the rules).
            let mut m = w.net.remove(pos);
            m.arrive_ms = m.arrive_ms.max(w.now_ms) + extra;
            let (p, at) = (m.payload, m.arrive_ms);
            if matches!(p, Payload::Change { .. } | Payload::Replicate { .. }) {
                // A replication stream is one TCP connection: a late change holds back
                // the ones behind it, it is not overtaken.
                w.net.insert(pos, m);
            } else {
                w.net.push(m);
            }
            said!(
                w,
                "delayed",
                text!(
                    w,
                    "The network holds {id} ({p}) back: it now arrives at {at} ms at the earliest."
                ),
            )
        }
        Fault::Duplicate(id) => {
            let Some(m) = w.net.iter().find(|m| m.id == id).cloned() else {
                return said!(w, "nothing to copy", "");
            };
            let copy = MsgId(w.next_msg);
            w.next_msg += 1;
            w.net.push(super::msg::Message {
                id: copy,
                ..m.clone()
            });
            said!(w,
                "duplicated",
                text!(
                    w,
                    "The network will deliver {id} ({}) twice: {copy} is a copy, as when a sender retries a message \
                     that was not lost.",
                    m.payload
                ),
            )
        }
    }
}

/// The node dies and loses what it keeps in memory, by its own rule
/// (`Actor::on_crash`); the world drops its timers (not its supervisor's restart).
/// What it lost is said from its state before.
pub(crate) fn crash(w: &mut World, node: NodeId) -> Said {
    w.set_status(node, NodeStatus::Down);
    *w.books.crashes.or_insert(node, 0) += 1;
    let scheduled = w
        .timers
        .iter()
        .any(|t| t.owner == node && !matches!(t.kind, TimerKind::Restart { .. }));
    w.timers
        .retain(|t| t.owner != node || matches!(t.kind, TimerKind::Restart { .. }));
    let lost = if w.voice.is_quiet() {
        String::new()
    } else {
        lost_words(w, node, scheduled)
    };
    let out = w.act(node, |a, ctx| a.on_crash(ctx));
    w.apply(node, out);
    let back = match w.config.restart_after_ms {
        Some(after) => {
            let at = w.now_ms + after;
            w.add_timer(node, at, TimerKind::Restart { node });
            text!(w, " Its supervisor will restart it at {at} ms.")
        }
        None => String::new(),
    };
    said!(
        w,
        "crashed",
        text!(
            w,
            "{node} crashes: {lost}. Messages sent to it now are lost.{back}"
        ),
    )
}

/// What `node` is about to lose in a crash, in words, read from its state before.
fn lost_words(w: &World, node: NodeId, scheduled: bool) -> String {
    match node {
        NodeId::Service(_) => {
            let open = w.nodes.service(node).map_or(0, |s| s.flows.len());
            // Its near cache (`near.rs`) is in its memory too.
            let near = w.nodes.service(node).map_or(0, |s| s.near.entries.len());
            if near > 0 {
                let keys = super::describe::count(near as u64, "key", "keys");
                let work = match open {
                    0 if scheduled => ", and what it had scheduled",
                    0 => "",
                    _ => ", and its open requests",
                };
                return format!("its memory is gone: the {keys} of its near cache{work}");
            }
            match open {
                0 if scheduled => {
                    "it had no open request, but what it had scheduled (a second delete, a retry) never happens"
                        .to_string()
                }
                0 => "it had no open request, so nothing is lost".to_string(),
                1 => "its 1 open request is gone: whatever it had still to do (a publish, a delete) never happens"
                    .to_string(),
                n => format!(
                    "its {n} open requests are gone: whatever they had still to do (a publish, a delete) never \
                     happens"
                ),
            }
        }
        NodeId::Cache(_) => {
            let Some(cache) = w.nodes.cache(node) else {
                return "it held nothing yet".to_string();
            };
            let keys = cache.entries.len();
            let queued = cache.queue.len();
            let guards =
                !cache.leases.is_empty() || !cache.locks.is_empty() || !cache.tombstones.is_empty();
            let log = if cache.log.is_empty() {
                String::new()
            } else {
                format!(
                    "; the disk log keeps {} to replay",
                    super::describe::count(cache.log.len() as u64, "write", "writes")
                )
            };
            let mut gone = Vec::new();
            if keys > 0 {
                gone.push(super::describe::count(
                    keys as u64,
                    "cached key",
                    "cached keys",
                ));
            }
            if guards {
                gone.push("its leases, locks and tombstones".to_string());
            }
            if queued > 0 {
                gone.push(super::describe::count(
                    queued as u64,
                    "queued write",
                    "queued writes",
                ));
            }
            let gone = match gone.len() {
                0 => "it held nothing yet".to_string(),
                1 => gone.remove(0),
                _ => {
                    let last = gone.pop().unwrap_or_default();
                    format!("{} and {last}", gone.join(", "))
                }
            };
            format!("its memory is gone: {gone}{log}")
        }
        NodeId::Consumer => {
            let n = w
                .nodes
                .consumer(node)
                .map_or(0, |c| c.inbox.len() + usize::from(c.busy.is_some()));
            if n == 0 {
                "it had no event in hand, so nothing in its memory is lost".to_string()
            } else {
                let n = super::describe::count(n as u64, "event", "events");
                format!("the {n} it had received but not finished are gone from its memory")
            }
        }
        NodeId::Relay => {
            "it forgets what it was publishing; the outbox table, in the database, keeps every row"
                .to_string()
        }
        NodeId::Bus if w.nodes.bus(node).is_some_and(|b| b.durable) => {
            "its log and the committed offsets are on disk: nothing is lost".to_string()
        }
        NodeId::Bus => "it keeps nothing: whatever it was passing on is gone".to_string(),
        NodeId::Flusher => {
            "its queue lives in the cache, so nothing is lost but its schedule".to_string()
        }
        NodeId::Db => match w.db().txns.len() {
            0 => "a committed transaction is on disk: nothing is lost".to_string(),
            n => format!(
                "a committed transaction is on disk, but its {} never committed: {} rolled back, as if never \
                 made",
                super::describe::count(n as u64, "open transaction", "open transactions"),
                if n == 1 { "it is" } else { "they are" }
            ),
        },
        NodeId::Invalidator => {
            let i = w.nodes.invalidator(node);
            let (position, held) = i.map_or((0, 0), |i| (i.position, i.queue.len()));
            let gone = match held {
                0 => "it held no change in memory".to_string(),
                n => format!(
                    "the {} it had received and not finished {} gone from its memory, and will be read again \
                     from the log",
                    super::describe::count(n as u64, "change", "changes"),
                    if n == 1 { "is" } else { "are" }
                ),
            };
            format!("its position (lsn {position}: every change up to it is handled) is on disk; {gone}")
        }
        NodeId::Replica(_) => format!(
            "its rows and its position (lsn {}) are on disk; only the changes on their way to it are lost, and the \
             primary will stream them again when it reconnects",
            w.nodes.replica(node).map_or(0, |r| r.position)
        ),
        _ => "its work in progress is gone".to_string(),
    }
}

/// The node comes back, empty but for what it kept on disk (`Actor::on_restart`).
/// What it did is said from its state after.
pub(crate) fn restart(w: &mut World, node: NodeId, by_supervisor: bool) -> Said {
    w.set_status(node, NodeStatus::Up);
    w.timers.retain(|t| t.kind != TimerKind::Restart { node });
    let who = if by_supervisor {
        text!(w, "The supervisor restarts {node}")
    } else {
        text!(w, "{node} restarts")
    };
    // What a restarted node calls (a cache waking its flusher) is not narrated here.
    let out = w.act(node, |a, ctx| a.on_restart(ctx));
    w.apply(node, out);
    if w.voice.is_quiet() {
        return Said::silent();
    }
    let what = match node {
        NodeId::Cache(_) => {
            let (log, queue) = w
                .nodes
                .cache(node)
                .map_or((0, Vec::new()), |c| (c.log.len(), c.queue.clone()));
            if log == 0 {
                "with an empty memory: every key will miss".to_string()
            } else {
                let back: Vec<String> = queue
                    .iter()
                    .map(|q| format!("{} = {}", q.key, q.version))
                    .collect();
                format!(
                    "and replays its disk log ({}): {} is back in the cache and in the queue, and the flusher will \
                     write it",
                    super::describe::count(log as u64, "acknowledged write", "acknowledged writes"),
                    back.join(", ")
                )
            }
        }
        NodeId::Consumer => "and subscribes to the bus again".to_string(),
        NodeId::Relay => "and polls the outbox for rows not yet marked published".to_string(),
        NodeId::Bus if w.nodes.bus(node).is_some_and(|b| b.durable) => {
            "and serves its log again".to_string()
        }
        NodeId::Bus => "and passes on what is published from now on (it kept nothing)".to_string(),
        NodeId::Flusher => "and looks at the queue again".to_string(),
        NodeId::Db => {
            "and recovers its committed rows from disk: every commit is still there".to_string()
        }
        NodeId::Invalidator => format!(
            "and asks {} for its commit log again from its position, lsn {}: it misses no change",
            w.nodes.invalidator(node).map_or(NodeId::Db, |i| i.settings.source),
            w.nodes.invalidator(node).map_or(0, |i| i.position)
        ),
        NodeId::Replica(_) => format!(
            "with its rows from disk, and asks the primary to stream its commit log again from its position, lsn {}",
            w.nodes.replica(node).map_or(0, |r| r.position)
        ),
        _ => "with an empty memory".to_string(),
    };
    said!(w, "restarted", text!(w, "{who} {what}."))
}
