//! The whole state of a run, and `step`: fire one enabled event.
//!
//! Architecture Invariant: `World` is plain data (`Clone + Eq + Hash`), with no clock,
//! no global randomness and no I/O. The same world and the same event give the same
//! next world and the same record, byte for byte.
use super::books::{Books, Metrics};
use super::cache::Cache;
use super::config::{Config, Op, Request, SlowHop};
use super::db::Db;
use super::ids::{FlowId, Key, MsgId, NodeId, TimerId, Version};
use super::msg::{Message, Payload};
use super::rng::Rng;
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
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Start(node) => write!(f, "start {node}"),
            Event::Deliver(id) => write!(f, "deliver {id}"),
            Event::Fire(id) => write!(f, "fire {id}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    pub id: NodeId,
    pub requests: Vec<Request>,
    /// Index of the next request to start.
    pub next: usize,
    /// The request in progress: a client waits for one answer before its next request.
    pub busy: Option<FlowId>,
    pub last_answer: Option<Payload>,
}

/// Where a request is in the service's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    Lookup,
    WaitLease,
    Load,
    Fill,
    PreDelete,
    Commit,
    Invalidate,
}

/// A client request in the service.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    pub id: FlowId,
    pub client: NodeId,
    pub op: Op,
    pub key: Key,
    pub stage: Stage,
    pub token: Option<u64>,
    pub loaded: Option<Version>,
    pub committed: Option<Version>,
    pub slow: Option<(SlowHop, u64)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimerKind {
    /// The cache's active expiry of a key whose TTL ran out.
    Expire { key: Key },
    /// The delayed second delete of a write.
    SecondDelete { flow: FlowId, key: Key, version: Option<Version> },
    /// A reader told to wait by a lease asks again.
    RetryGet { flow: FlowId },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timer {
    pub id: TimerId,
    pub at_ms: u64,
    pub owner: NodeId,
    pub kind: TimerKind,
}

/// What one step did: the one-line trace and the narration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StepRecord {
    pub event: Event,
    pub at_ms: u64,
    /// The node that acted (a message's destination, a timer's owner, a client).
    pub actor: NodeId,
    /// `Some((from, to))` for a delivered message.
    pub hop: Option<(NodeId, NodeId)>,
    pub label: String,
    pub outcome: String,
    pub narration: String,
}

impl fmt::Display for StepRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = match self.hop {
            Some((from, to)) => format!("{from}->{to}"),
            None => self.actor.to_string(),
        };
        write!(f, "{:>6}ms {who}: {} => {}", self.at_ms, self.label, self.outcome)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The event is not enabled in this state (a bad replay, a stale choice).
    NotEnabled(Event),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NotEnabled(e) => write!(f, "`{e}` is not enabled at this step"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct World {
    pub config: Config,
    pub now_ms: u64,
    pub cache: Cache,
    pub db: Db,
    pub clients: Vec<Client>,
    pub flows: Vec<Flow>,
    /// Messages in flight, in send order.
    pub net: Vec<Message>,
    pub timers: Vec<Timer>,
    pub next_msg: u32,
    pub next_flow: u32,
    pub next_timer: u32,
    pub rng: Rng,
    pub metrics: Metrics,
    pub books: Books,
}

/// What a handler says about the step it performed.
pub(crate) struct Said {
    pub outcome: String,
    pub narration: String,
}

pub(crate) fn said(outcome: impl Into<String>, narration: impl Into<String>) -> Said {
    Said { outcome: outcome.into(), narration: narration.into() }
}

impl World {
    pub fn new(config: Config, seed: u64) -> World {
        let clients = config
            .clients
            .iter()
            .map(|(id, requests)| Client {
                id: *id,
                requests: requests.clone(),
                next: 0,
                busy: None,
                last_answer: None,
            })
            .collect();
        World {
            cache: Cache::new(config.guard),
            db: Db::with_keys(config.keys.iter().copied()),
            clients,
            config,
            now_ms: 0,
            flows: Vec::new(),
            net: Vec::new(),
            timers: Vec::new(),
            next_msg: 1,
            next_flow: 1,
            next_timer: 1,
            rng: Rng::new(seed),
            metrics: Metrics::default(),
            books: Books::default(),
        }
    }

    /// The nominal time of an event: when it would happen on a calm network.
    pub fn nominal_ms(&self, event: Event) -> Option<u64> {
        match event {
            Event::Start(node) => {
                let c = self.clients.iter().find(|c| c.id == node)?;
                (c.busy.is_none()).then(|| c.requests.get(c.next).map(|r| r.at_ms))?
            }
            Event::Deliver(id) => self.net.iter().find(|m| m.id == id).map(|m| m.arrive_ms),
            Event::Fire(id) => self.timers.iter().find(|t| t.id == id).map(|t| t.at_ms),
        }
    }

    /// The node that acts when the event fires.
    pub fn actor(&self, event: Event) -> Option<NodeId> {
        match event {
            Event::Start(node) => Some(node),
            Event::Deliver(id) => self.net.iter().find(|m| m.id == id).map(|m| m.to),
            Event::Fire(id) => self.timers.iter().find(|t| t.id == id).map(|t| t.owner),
        }
    }

    /// Every enabled event, earliest first (ties broken by node id, then id): the
    /// order the rules give to "forward" once a learner has left the script.
    ///
    /// Messages and starts are enabled whatever their nominal time; a timer once `now`
    /// has reached it, or when nothing else is. Nothing past the horizon is enabled.
    pub fn enabled(&self) -> Vec<Event> {
        let horizon = self.config.horizon_ms;
        let mut events: Vec<Event> = Vec::new();
        for c in &self.clients {
            if let (None, Some(r)) = (c.busy, c.requests.get(c.next)) {
                if r.at_ms <= horizon {
                    events.push(Event::Start(c.id));
                }
            }
        }
        events.extend(self.net.iter().filter(|m| m.arrive_ms <= horizon).map(|m| Event::Deliver(m.id)));
        let due = |t: &&Timer| t.at_ms <= horizon;
        let nothing_else = events.is_empty();
        events.extend(
            self.timers
                .iter()
                .filter(due)
                .filter(|t| nothing_else || t.at_ms <= self.now_ms)
                .map(|t| Event::Fire(t.id)),
        );
        events.sort_by_key(|e| self.order_key(*e));
        events
    }

    fn order_key(&self, e: Event) -> (u64, Option<NodeId>, Event) {
        (self.nominal_ms(e).unwrap_or(u64::MAX), self.actor(e), e)
    }

    /// The earliest enabled event, if any.
    pub fn earliest(&self) -> Option<Event> {
        self.enabled().into_iter().next()
    }

    pub fn is_enabled(&self, event: Event) -> bool {
        self.enabled().contains(&event)
    }

    /// Fires one enabled event.
    pub fn step(&mut self, event: Event) -> Result<StepRecord, StepError> {
        if !self.is_enabled(event) {
            return Err(StepError::NotEnabled(event));
        }
        let at = self.nominal_ms(event).unwrap_or(self.now_ms);
        self.now_ms = self.now_ms.max(at);
        let (actor, hop, label, s) = match event {
            Event::Start(node) => {
                let s = self.start(node);
                (node, None, "start".to_string(), s)
            }
            Event::Deliver(id) => {
                let pos = self.net.iter().position(|m| m.id == id).ok_or(StepError::NotEnabled(event))?;
                let msg = self.net.remove(pos);
                let label = msg.payload.to_string();
                let hop = Some((msg.from, msg.to));
                let s = self.deliver(&msg);
                (msg.to, hop, label, s)
            }
            Event::Fire(id) => {
                let pos = self.timers.iter().position(|t| t.id == id).ok_or(StepError::NotEnabled(event))?;
                let timer = self.timers.remove(pos);
                let s = self.fire(&timer);
                (timer.owner, None, timer_label(&timer.kind), s)
            }
        };
        Ok(StepRecord { event, at_ms: self.now_ms, actor, hop, label, outcome: s.outcome, narration: s.narration })
    }

    /// Sends a message; it arrives `delay_ms` later at the earliest.
    pub(crate) fn send(&mut self, from: NodeId, to: NodeId, flow: Option<FlowId>, payload: Payload, delay_ms: u64) {
        let id = MsgId(self.next_msg);
        self.next_msg += 1;
        self.net.push(Message { id, from, to, flow, payload, sent_ms: self.now_ms, arrive_ms: self.now_ms + delay_ms });
    }

    pub(crate) fn add_timer(&mut self, owner: NodeId, at_ms: u64, kind: TimerKind) {
        let id = TimerId(self.next_timer);
        self.next_timer += 1;
        self.timers.push(Timer { id, at_ms, owner, kind });
    }

    pub(crate) fn flow(&self, id: Option<FlowId>) -> Option<&Flow> {
        self.flows.iter().find(|f| Some(f.id) == id)
    }

    pub(crate) fn flow_mut(&mut self, id: Option<FlowId>) -> Option<&mut Flow> {
        self.flows.iter_mut().find(|f| Some(f.id) == id)
    }

    /// The value `cache-matches-db` expects a key to have: what the database has
    /// committed.
    pub fn expected(&self, key: Key) -> Version {
        self.db.read(key)
    }

    fn start(&mut self, node: NodeId) -> Said {
        let Some(ci) = self.clients.iter().position(|c| c.id == node) else {
            return said("no such client", "");
        };
        let Some(req) = self.clients[ci].requests.get(self.clients[ci].next).copied() else {
            return said("nothing to do", "");
        };
        let id = FlowId(self.next_flow);
        self.next_flow += 1;
        let client = &mut self.clients[ci];
        client.next += 1;
        client.busy = Some(id);
        let stage = Stage::Lookup;
        self.flows.push(Flow {
            id,
            client: node,
            op: req.op,
            key: req.key,
            stage,
            token: None,
            loaded: None,
            committed: None,
            slow: req.slow,
        });
        let lat = self.config.latency.client_ms;
        let (payload, narration) = match req.op {
            Op::Read => (Payload::Read { key: req.key }, format!("{node} asks the service to read {}.", req.key)),
            Op::Write => (
                Payload::Write { key: req.key },
                format!("{node} asks the service to update {}: the database will commit its next version.", req.key),
            ),
        };
        self.send(node, NodeId::Service, Some(id), payload, lat);
        said(format!("{} sent", payload.kind()), narration)
    }

    fn deliver(&mut self, msg: &Message) -> Said {
        match msg.to {
            NodeId::Service => super::service::on_message(self, msg),
            NodeId::Cache => super::handle::cache_message(self, msg),
            NodeId::Db => super::handle::db_message(self, msg),
            node if node.is_client() => super::handle::client_message(self, msg),
            other => said("ignored", format!("{other} has nothing to do with {}.", msg.payload)),
        }
    }

    fn fire(&mut self, timer: &Timer) -> Said {
        match timer.kind {
            TimerKind::Expire { key } => super::handle::expire(self, key),
            TimerKind::SecondDelete { flow, key, version } => super::service::second_delete(self, flow, key, version),
            TimerKind::RetryGet { flow } => super::service::retry_get(self, flow),
        }
    }
}

fn timer_label(kind: &TimerKind) -> String {
    match kind {
        TimerKind::Expire { key } => format!("ttl {key}"),
        TimerKind::SecondDelete { key, .. } => format!("second delete {key}"),
        TimerKind::RetryGet { .. } => "retry get".to_string(),
    }
}
