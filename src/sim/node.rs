//! What a node sees and how it answers, in the shape of Stateright's `Actor`: a node
//! handles a message (and, as more nodes move here, a timer, a crash and a restart)
//! with its own state, its own clock reading and its settings, and answers through an
//! `Out`: the messages it sends, the timers it sets, the calls it makes over a
//! connection (a commit's Postgres NOTIFY, a flusher's batch). It cannot reach another node's state or the
//! `World`: a node module names neither (tests/architecture.rs checks it). The world
//! routes what it answers.
//!
//! A node also says what happened as data (its module's fact type, `Ctx::fact`), so
//! the books, the metrics and the narration are observers in `World` (`narrate/`),
//! not code inside the node: a node module builds no text.
use super::fact::Fact;
use super::ids::{FlowId, Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::parts::TimerKind;
use serde::{Deserialize, Serialize};

/// Whether a node is running. Down: crashed, its memory gone; paused: alive but
/// handling nothing (a GC pause).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum NodeStatus {
    #[default]
    Up,
    Down,
    Paused,
    /// Running, with its memory, but cut off: messages between it and the others are
    /// lost (a `partition` fault, until `heal`).
    Partitioned,
}

impl NodeStatus {
    pub fn name(self) -> &'static str {
        match self {
            NodeStatus::Up => "up",
            NodeStatus::Down => "down",
            NodeStatus::Paused => "paused",
            NodeStatus::Partitioned => "partitioned",
        }
    }
}

/// One message a node sends: it arrives `delay_ms` later at the earliest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Send {
    pub to: NodeId,
    pub flow: Option<FlowId>,
    pub payload: Payload,
    pub delay_ms: u64,
}

/// A request over a connection, handled within the same step: between two nodes that
/// run side by side (the write-behind flusher and the cache whose queue it flushes), or
/// a database's NOTIFY to its listener: unlike a message it is not scheduled, and it reaches only a node that is up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// The cache's queue has writes waiting.
    QueueWork,
    /// The flusher takes at most `max` waiting writes.
    TakeBatch { max: usize },
    /// The writes taken (key, version), and how many still wait.
    Batch {
        items: Vec<(Key, Version)>,
        left: usize,
    },
    /// The database has `version` of `key`: it leaves the queue.
    Flushed { key: Key, version: Version },
    /// Writes taken but not finished wait again (the flusher restarted).
    Requeue,
    /// A commit NOTIFYs a listener over its connection (Postgres LISTEN/NOTIFY); a
    /// listener that is not up is not listening, and the notice is gone.
    Notify,
    /// The world's answer to a call that wants one (`TakeBatch`) when its node is not
    /// up.
    Unreachable,
}

impl Call {
    /// Whether the caller waits for an answer (and is told `Unreachable` if none can
    /// come).
    pub fn wants_answer(&self) -> bool {
        matches!(self, Call::TakeBatch { .. })
    }
}

/// What a node answers with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Out {
    /// In the order sent: message ids follow it.
    pub sends: Vec<Send>,
    /// Timers to set on this node: (when, kind).
    pub timers: Vec<(u64, TimerKind)>,
    /// How many request ids the node took (`Ctx::new_request`).
    pub requests: u32,
    /// Its own timers to cancel, before any it sets in this step.
    pub cancels: Vec<TimerKind>,
    /// Cancel all its own timers (a supervisor's restart is not the node's own).
    pub cancel_all: bool,
    /// What it did, in order, as data (`fact.rs`): the observers read it.
    pub facts: Vec<Fact>,
    /// Calls over local connections, handled in this step after its messages.
    pub calls: Vec<(NodeId, Call)>,
}

/// A node as a state machine, in the shape of Stateright's `Actor`: each handler sees
/// the node's own state (`&mut self`), its clock reading and the world's lending of a
/// `Ctx`, and answers through it (messages sent, timers set or cancelled, calls over a
/// local connection, facts). The world holds every node by id (`nodes.rs`) and lends
/// one at a time, so a handler cannot reach another node's state: that would be a
/// second `&mut` into the world, which does not compile. A handler a kind does not
/// need does nothing.
pub trait Actor {
    /// A client's next request starts (clients only).
    fn on_start(&mut self, _ctx: &mut Ctx) {}

    /// A message arrives.
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message);

    /// One of its timers fires.
    fn on_timer(&mut self, _ctx: &mut Ctx, _timer: TimerKind) {}

    /// A node beside it calls over their local connection.
    fn on_call(&mut self, _ctx: &mut Ctx, _from: NodeId, _call: Call) {}

    /// It crashes: it drops its volatile state, by its own rule (what is on disk
    /// stays). Its timers and messages are the world's to drop.
    fn on_crash(&mut self, _ctx: &mut Ctx) {}

    /// It restarts, with what its crash kept.
    fn on_restart(&mut self, _ctx: &mut Ctx) {}

    /// Whether it holds a connection to `peer` whose state it follows (`on_peer`).
    fn watches(&self, _peer: NodeId) -> bool {
        false
    }

    /// Whether it has something pending on its connection to `peer` (a request that
    /// waits for an answer, a session holding an open transaction), and that
    /// connection's one-way latency: a crash of `peer` closes it, and it reads the
    /// close (`Payload::Closed`) that long after (`fault/crash.rs`).
    fn awaits(&self, _peer: NodeId) -> Option<u64> {
        None
    }

    /// The connection to `peer` says it went down, paused or is back (`status`): what
    /// a TCP peer learns of the other end. Only a node that `watches` it is told.
    fn on_peer(&mut self, _ctx: &mut Ctx, _peer: NodeId, _status: NodeStatus) {}
}

/// A reusable `Out` the world lends each node, so a step allocates nothing for it. Not
/// state: it compares equal, hashes as nothing and clones empty.
#[derive(Debug, Default)]
pub struct Scratch(pub(crate) Out);

impl Clone for Scratch {
    fn clone(&self) -> Scratch {
        Scratch::default()
    }
}

impl PartialEq for Scratch {
    fn eq(&self, _: &Scratch) -> bool {
        true
    }
}

impl Eq for Scratch {}

impl std::hash::Hash for Scratch {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// A node's view of the moment: who it is, what its clock reads, and where its
/// answers go. Not whether the step is narrated: a node records facts either way.
pub struct Ctx<'o> {
    pub me: NodeId,
    pub now_ms: u64,
    /// The first request id this step may hand out: ids are the network's, unique
    /// across nodes, like message ids.
    first_request: u32,
    out: &'o mut Out,
}

impl<'o> Ctx<'o> {
    pub fn new(me: NodeId, now_ms: u64, out: &'o mut Out) -> Ctx<'o> {
        Ctx {
            me,
            now_ms,
            first_request: 0,
            out,
        }
    }

    /// The same, handing out request ids from `next` on.
    pub fn with_requests_from(mut self, next: u32) -> Ctx<'o> {
        self.first_request = next;
        self
    }

    /// A fresh id for a request the node starts (to match its reply).
    pub fn new_request(&mut self) -> FlowId {
        let id = FlowId(self.first_request + self.out.requests);
        self.out.requests += 1;
        id
    }

    pub fn send(&mut self, to: NodeId, flow: Option<FlowId>, payload: Payload, delay_ms: u64) {
        self.out.sends.push(Send {
            to,
            flow,
            payload,
            delay_ms,
        });
    }

    pub fn set_timer(&mut self, at_ms: u64, kind: TimerKind) {
        self.out.timers.push((at_ms, kind));
    }

    pub fn cancel(&mut self, kind: TimerKind) {
        self.out.cancels.push(kind);
    }

    pub fn cancel_all_timers(&mut self) {
        self.out.cancel_all = true;
    }

    /// Says what it did, as data; the narration and the books observe it.
    /// Delays every message sent so far in this step by `extra_ms` more (the
    /// network's doing: a slow link named by a request).
    pub fn delay_sends(&mut self, extra_ms: u64) {
        for send in &mut self.out.sends {
            send.delay_ms += extra_ms;
        }
    }

    pub fn fact(&mut self, fact: impl Into<Fact>) {
        self.out.facts.push(fact.into());
    }

    /// Calls `node` over a local connection, within this step.
    pub fn call(&mut self, node: NodeId, call: Call) {
        self.out.calls.push((node, call));
    }
}
