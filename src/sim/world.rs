//! The whole state of a run, and `step`: fire one enabled event.
//!
//! Architecture Invariant: `World` is plain data (`Clone + Eq + Hash`), with no clock,
//! no global randomness and no I/O. The same world and the same event give the same
//! next world and the same record, byte for byte.
use super::books::{Books, Metrics};
use super::bus::Bus;
use super::cache::{Cache, Entry};
use super::cache_node::{jitter, CacheSettings};
use super::client::{ClientFact, ClientSettings};
use super::config::{Config, LoadGuard, Op, SlowHop, WriteMode, NO_TTL};
use super::consumer::{Consumer, ConsumerSettings};
use super::db::{Db, DbFact, DbLatency};
pub use super::fault::Fault;
use super::ids::{FlowId, Key, MsgId, NodeId, TimerId, Version};
use super::keymap::KeyMap;
use super::msg::{Message, Payload};
pub use super::node::NodeStatus;
use super::node::{Ctx, Out, Scratch};
pub(crate) use super::parts::timer_label;
pub use super::parts::{Client, Flow, Stage, Step, StepError, StepRecord, Timer, TimerKind, Voice};
use super::relay::{Relay, RelaySettings};
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
    /// Nodes not up (down or paused); every other node is up.
    pub status: KeyMap<NodeId, NodeStatus>,
    pub bus: Bus,
    pub consumer: Consumer,
    pub relay: Relay,
    /// Single-flight: the keys being loaded, and the requests waiting for each load.
    pub loading: KeyMap<Key, Vec<FlowId>>,
    /// Single-flight: how many loads of each key have finished.
    pub loads_done: KeyMap<Key, u32>,
    /// Whether the step under way writes its narration. Not state: it compares and
    /// hashes as nothing, and is `Narrated` between steps.
    pub voice: Voice,
    /// The buffer a node answers into (not state).
    pub(crate) scratch: Scratch,
}

pub(crate) use super::parts::Said;

impl World {
    pub fn new(config: Config, seed: u64) -> World {
        let clients = config
            .clients
            .iter()
            .map(|(id, requests)| {
                let hops = ClientSettings {
                    service_ms: config.latency.client_ms,
                    db_write_ms: config.latency.db_write_ms,
                };
                Client::new(*id, requests.clone(), hops)
            })
            .collect();
        let config_bus_durable = config.bus.is_some_and(|b| b.durable);
        // The service's generator (XFetch) and the cache's (TTL jitter), each seeded
        // by the run's seed: a scenario draws from one of them, so the draws are those
        // of the one generator the world had before the nodes had their own.
        let rng = Rng::new(seed);
        let mut cache = Cache::new(config.guard);
        cache.rng = Rng::new(seed);
        cache.settings = CacheSettings {
            reply_ms: config.latency.cache_ms,
            ttl_ms: config.ttl_ms,
            jitter_ms: config.jitter_ms,
            lazy_expiry: config.lazy_expiry,
            lock_ms: match config.load_guard {
                LoadGuard::Mutex { lock_ms } => lock_ms,
                _ => 1_000,
            },
        };
        for key in &config.warm {
            let base = config.warm_expires_ms.unwrap_or(config.ttl_ms);
            let expires_ms = base.saturating_add(jitter(&mut cache.rng, config.jitter_ms));
            cache.entries.insert(
                *key,
                Entry {
                    version: Version(1),
                    expires_ms,
                    delta_ms: config.warm_delta_ms,
                },
            );
        }
        let bus_settings = config.bus;
        let relay = RelaySettings {
            poll_ms: config.relay_poll_ms,
            db_read_ms: config.latency.db_read_ms,
            db_write_ms: config.latency.db_write_ms,
            publish_ms: config.bus.map_or(1, |b| b.publish_ms),
        };
        let consumer = ConsumerSettings {
            update: config.consumer.update,
            idempotent: config.consumer.idempotent,
            versioned: config.consumer.versioned,
            poison: config.poison,
            durable_bus: config_bus_durable,
            bus_ms: config.bus.map_or(1, |b| b.deliver_ms),
            cache_ms: config.latency.cache_ms,
        };
        let mut world = World {
            cache,
            db: Db {
                latency: DbLatency {
                    read_ms: config.latency.db_read_ms,
                    write_ms: config.latency.db_write_ms,
                },
                ..Db::with_keys(config.keys.iter().copied())
            },
            clients,
            config,
            now_ms: 0,
            flows: Vec::new(),
            net: Vec::new(),
            timers: Vec::new(),
            next_msg: 1,
            next_flow: 1,
            next_timer: 1,
            rng,
            metrics: Metrics::default(),
            books: Books::default(),
            status: KeyMap::new(),
            bus: Bus {
                durable: config_bus_durable,
                settings: bus_settings,
                ..Bus::default()
            },
            consumer: Consumer::new(consumer),
            relay: Relay::new(relay),
            loading: KeyMap::new(),
            loads_done: KeyMap::new(),
            voice: Voice::Narrated,
            scratch: Scratch::default(),
        };
        let warm: Vec<(Key, u64)> = world
            .cache
            .entries
            .iter()
            .map(|(k, e)| (*k, e.expires_ms))
            .collect();
        for (key, expires_ms) in warm {
            world.schedule_expiry(key, expires_ms);
        }
        world
    }

    /// The nodes this scenario uses, in id order.
    pub fn nodes(&self) -> Vec<NodeId> {
        let mut nodes: Vec<NodeId> = self.clients.iter().map(|c| c.id).collect();
        nodes.extend([NodeId::Service, NodeId::Cache, NodeId::Db]);
        if self.config.bus.is_some() {
            nodes.extend([NodeId::Bus, NodeId::Consumer]);
        }
        match self.config.write_mode {
            WriteMode::Outbox => nodes.push(NodeId::Relay),
            WriteMode::Behind => nodes.push(NodeId::Flusher),
            _ => {}
        }
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// A node goes down, pauses or comes back. Its connections say so: the bus knows
    /// whether its subscriber is connected.
    pub(crate) fn set_status(&mut self, node: NodeId, status: NodeStatus) {
        if status == NodeStatus::Up {
            self.status.remove(&node);
        } else {
            self.status.insert(node, status);
        }
        if node == NodeId::Consumer {
            self.bus.subscriber = status;
        }
    }

    pub fn status_of(&self, node: NodeId) -> NodeStatus {
        self.status.get(&node).copied().unwrap_or(NodeStatus::Up)
    }

    pub fn is_up(&self, node: NodeId) -> bool {
        self.status_of(node) == NodeStatus::Up
    }

    /// The TTL a fill gets now: the configured TTL plus its jitter, drawn from the
    /// world's Rng. Returns the expiry time.
    pub(crate) fn fill_expiry(&mut self) -> u64 {
        self.cache.fill_expiry(self.now_ms)
    }

    /// (Re)schedules the cache's active expiry of `key`.
    pub(crate) fn schedule_expiry(&mut self, key: Key, expires_ms: u64) {
        self.timers.retain(|t| t.kind != TimerKind::Expire { key });
        if expires_ms != NO_TTL && !self.config.lazy_expiry {
            self.add_timer(NodeId::Cache, expires_ms, TimerKind::Expire { key });
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
    /// `delay` fault sends a message to the back of its link.
    /// Faults are not listed here: see `faults`.
    pub fn enabled(&self) -> Vec<Event> {
        let horizon = self.config.horizon_ms;
        // Each event with its order key (nominal time, actor), read once here.
        let mut keyed: Vec<(u64, NodeId, Event)> =
            Vec::with_capacity(self.clients.len() + self.net.len() + self.timers.len());
        for c in &self.clients {
            if let (None, Some(r)) = (c.busy, c.requests.get(c.next)) {
                if r.at_ms <= horizon {
                    keyed.push((r.at_ms, c.id, Event::Start(c.id)));
                }
            }
        }
        for (i, m) in self.net.iter().enumerate() {
            let deliverable = m.arrive_ms <= horizon
                && self.status_of(m.to) != NodeStatus::Paused
                && (!ordered_link(m)
                    || !self.net[..i]
                        .iter()
                        .any(|o| o.from == m.from && o.to == m.to));
            if deliverable {
                keyed.push((m.arrive_ms, m.to, Event::Deliver(m.id)));
            }
        }
        // "Nothing else is enabled" is read as "nothing else would happen first": a
        // timer due no later than every other enabled event is enabled too, so time
        // reaches it before it jumps past it.
        let first_other = keyed.iter().map(|k| k.0).min().unwrap_or(u64::MAX);
        let reach = self.now_ms.max(first_other);
        for t in &self.timers {
            let due = t.at_ms <= horizon
                && t.at_ms <= reach
                && match self.status_of(t.owner) {
                    NodeStatus::Up => true,
                    NodeStatus::Paused => false,
                    NodeStatus::Down => matches!(t.kind, TimerKind::Restart { .. }),
                };
            if due {
                keyed.push((t.at_ms, t.owner, Event::Fire(t.id)));
            }
        }
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, _, e)| e).collect()
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

    /// Fires one enabled event.
    pub fn step(&mut self, event: Event) -> Result<StepRecord, StepError> {
        if !self.is_enabled(event) {
            return Err(StepError::NotEnabled(event));
        }
        self.step_unchecked(event)
    }

    /// Fires `event` without asking whether it is enabled: for a caller that took it
    /// from `enabled()` (or `faults()`) of this very state, like a search or a run
    /// loop, so the enabled list is not computed twice. An event that is not enabled
    /// gives an error if its message or timer is gone, and otherwise fires as if it
    /// were (it breaks the rules of time: don't).
    pub fn step_unchecked(&mut self, event: Event) -> Result<StepRecord, StepError> {
        self.voice = Voice::Narrated;
        let label = self.label(event);
        let (step, s) = self.transition(event)?;
        Ok(StepRecord {
            event,
            at_ms: step.at_ms,
            actor: step.actor,
            hop: step.hop,
            label,
            outcome: s.outcome,
            narration: s.narration,
        })
    }

    /// Fires `event`, unchecked like `step_unchecked`, in quiet mode: no label, outcome
    /// or narration is built, only the structured `Step`. The state after is the same
    /// as `step`'s, byte for byte: the search and the benchmark run this way.
    pub fn step_quiet(&mut self, event: Event) -> Result<Step, StepError> {
        self.voice = Voice::Quiet;
        let result = self.transition(event).map(|(step, _)| step);
        self.voice = Voice::Narrated;
        result
    }

    /// The trace's label of `event`, read from the state before it fires: the message's
    /// payload, the timer's kind, the fault.
    pub fn label(&self, event: Event) -> String {
        match event {
            Event::Start(_) => "start".to_string(),
            Event::Deliver(id) => self
                .net
                .iter()
                .find(|m| m.id == id)
                .map_or_else(String::new, |m| m.payload.to_string()),
            Event::Fire(id) => self
                .timers
                .iter()
                .find(|t| t.id == id)
                .map_or_else(String::new, |t| timer_label(&t.kind)),
            Event::Fault(fault) => fault.to_string(),
        }
    }

    /// One event's transition: the state changes, and what the handlers said (nothing,
    /// in quiet mode).
    fn transition(&mut self, event: Event) -> Result<(Step, Said), StepError> {
        let (actor, hop, s) = match event {
            Event::Start(node) => {
                let at = self.nominal_ms(event).unwrap_or(self.now_ms);
                self.now_ms = self.now_ms.max(at);
                (node, None, self.start_client(node))
            }
            Event::Deliver(id) => {
                let pos = self
                    .net
                    .iter()
                    .position(|m| m.id == id)
                    .ok_or(StepError::NotEnabled(event))?;
                let msg = self.net.remove(pos);
                self.now_ms = self.now_ms.max(msg.arrive_ms);
                let hop = Some((msg.from, msg.to));
                let s = if self.is_up(msg.to) {
                    self.deliver(&msg)
                } else {
                    self.lost(&msg)
                };
                (msg.to, hop, s)
            }
            Event::Fault(fault) => {
                // A fault happens now: time does not move.
                let actor = fault.actor(self).unwrap_or(NodeId::Service);
                (actor, None, super::fault::inject(self, fault))
            }
            Event::Fire(id) => {
                let pos = self
                    .timers
                    .iter()
                    .position(|t| t.id == id)
                    .ok_or(StepError::NotEnabled(event))?;
                let timer = self.timers.remove(pos);
                self.now_ms = self.now_ms.max(timer.at_ms);
                let s = self.fire(&timer);
                (timer.owner, None, s)
            }
        };
        let step = Step {
            event,
            at_ms: self.now_ms,
            actor,
            hop,
        };
        Ok((step, s))
    }

    /// Sends a message; it arrives `delay_ms` later at the earliest.
    pub(crate) fn send(
        &mut self,
        from: NodeId,
        to: NodeId,
        flow: Option<FlowId>,
        payload: Payload,
        delay_ms: u64,
    ) {
        let id = MsgId(self.next_msg);
        self.next_msg += 1;
        self.net.push(Message {
            id,
            from,
            to,
            flow,
            payload,
            sent_ms: self.now_ms,
            arrive_ms: self.now_ms + delay_ms,
        });
    }

    pub(crate) fn add_timer(&mut self, owner: NodeId, at_ms: u64, kind: TimerKind) {
        let id = TimerId(self.next_timer);
        self.next_timer += 1;
        self.timers.push(Timer {
            id,
            at_ms,
            owner,
            kind,
        });
    }

    pub(crate) fn flow(&self, id: Option<FlowId>) -> Option<&Flow> {
        self.flows.iter().find(|f| Some(f.id) == id)
    }

    pub(crate) fn flow_mut(&mut self, id: Option<FlowId>) -> Option<&mut Flow> {
        self.flows.iter_mut().find(|f| Some(f.id) == id)
    }

    /// The value `cache-matches-db` expects a key to have: what the database has
    /// committed, or the latest acknowledged write still in the write-behind queue.
    pub fn expected(&self, key: Key) -> Version {
        let db = self.db.read(key);
        self.cache.queued(key).map_or(db, |q| q.max(db))
    }

    /// A message reached a node that is down: it is lost.
    fn lost(&mut self, msg: &Message) -> Said {
        let note = match msg.payload {
            Payload::Deliver { ev, .. } => {
                self.metrics.events_dropped += 1;
                text!(self,
                    " The event {} is gone from the network; only a durable bus can deliver it again.",
                    ev.id
                )
            }
            Payload::Publish { ev } => text!(self,
                " The event {} never reaches the bus: this publish is gone.",
                ev.id
            ),
            Payload::PublishAck { ev } => text!(self,
                " The bus has {} in its log all the same; only the relay does not learn it.",
                ev.id
            ),
            Payload::DbWriteReply { key, version, .. } => text!(self,
                " The commit of {key} = {version} stands in the database; only the reply that reports it is lost."
            ),
            p if p.kind().ends_with("reply")
                || matches!(
                    p.kind(),
                    "read-ok" | "write-ok" | "publish-ack" | "marked" | "outbox-row" | "outbox-empty" | "wb-ack"
                ) =>
            {
                text!(self, " Only the reply is lost; {} did its part.", msg.from)
            }
            _ => String::new(),
        };
        said!(
            self,
            "lost: node down",
            format!(
                "{} is down, so the message {} from {} ({}) is lost.{note}",
                msg.to, msg.id, msg.from, msg.payload
            ),
        )
    }

    /// Routes what a node answered: its messages (in order, so ids follow it) and its
    /// timers. (A notification is routed by the caller, which narrates it.)
    pub(crate) fn apply(&mut self, node: NodeId, mut out: Out) {
        self.next_flow += out.requests;
        if out.cancel_all || !out.cancels.is_empty() {
            let (all, cancels) = (out.cancel_all, &out.cancels);
            self.timers.retain(|t| {
                t.owner != node
                    || matches!(t.kind, TimerKind::Restart { .. })
                    || !(all || cancels.contains(&t.kind))
            });
        }
        for send in out.sends.drain(..) {
            self.send(node, send.to, send.flow, send.payload, send.delay_ms);
        }
        for (at_ms, kind) in out.timers.drain(..) {
            self.add_timer(node, at_ms, kind);
        }
        out.cancels.clear();
        out.notify.clear();
        out.cancel_all = false;
        out.requests = 0;
        self.scratch = Scratch(out);
    }

    /// The buffer a node answers into, empty.
    pub(crate) fn take_out(&mut self) -> Out {
        std::mem::take(&mut self.scratch.0)
    }

    /// A client starts its next request. The books note a read's floor (what was
    /// already written when it began), and the service, not yet a node of its own,
    /// opens the request it is about to receive.
    fn start_client(&mut self, node: NodeId) -> Said {
        let Some(ci) = self.clients.iter().position(|c| c.id == node) else {
            return said!(self, "no such client", "");
        };
        let mut out = self.take_out();
        let mut ctx =
            Ctx::new(node, self.now_ms, self.voice, &mut out).with_requests_from(self.next_flow);
        let (s, fact) = self.clients[ci].on_start(&mut ctx);
        if let ClientFact::Started { id, request } = fact {
            if request.op == Op::Read {
                let floor = super::books::newest(self, request.key);
                self.books.read_started(id, floor);
            }
            self.flows.push(Flow {
                id,
                client: node,
                op: request.op,
                key: request.key,
                stage: Stage::Lookup,
                token: None,
                loaded: None,
                committed: None,
                slow: request.slow,
                background: false,
                load_sent_ms: None,
                locked: false,
                seen_loads: 0,
            });
        }
        self.apply(node, out);
        s
    }

    /// The database handles `msg` with its own state; the world routes its answer and
    /// keeps the books of what it did.
    fn deliver_to_db(&mut self, msg: &Message) -> Said {
        let mut out = self.take_out();
        let mut ctx = Ctx::new(NodeId::Db, self.now_ms, self.voice, &mut out);
        let (s, fact) = self.db.on_msg(&mut ctx, msg);
        // The books observe what the database did.
        match fact {
            DbFact::Read => self.books.record_db_read(&mut self.metrics, self.now_ms),
            DbFact::Committed { key, version } => {
                self.metrics.db_writes += 1;
                let relies = matches!(self.config.write_mode, WriteMode::Event | WriteMode::Outbox)
                    && msg.from == NodeId::Service;
                if relies {
                    self.books.relied.push((key, version));
                }
            }
            DbFact::Put { wrote: true } => self.metrics.db_writes += 1,
            DbFact::Put { wrote: false } | DbFact::Nothing => {}
        }
        let mut narration = s.narration;
        // The network: a scenario may make the reply to one request slow (a pause, a
        // busy link), named by the request.
        let slow = match (msg.payload, self.flow(msg.flow).and_then(|f| f.slow)) {
            (Payload::DbRead { .. }, Some((SlowHop::DbReadReply, extra_ms))) => extra_ms,
            _ => 0,
        };
        for send in &mut out.sends {
            send.delay_ms += slow;
        }
        let notify = std::mem::take(&mut out.notify);
        self.apply(NodeId::Db, out);
        if slow > 0 {
            let normal = self.db.latency.read_ms;
            narration.push_str(&text!(
                self,
                " The answer is slow to get back ({} ms instead of {normal}): a pause, a busy link. If a write \
                 commits meanwhile, this {} is already old when it arrives.",
                normal + slow,
                msg.payload.key_opt().map_or(Version(0), |k| self.db.read(k))
            ));
        }
        for node in notify {
            // Over the relay's LISTEN connection: a node that is down is not listening.
            if node == NodeId::Relay && self.is_up(node) {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(node, self.now_ms, self.voice, &mut out);
                let wake = self.relay.on_notify(&mut ctx);
                self.apply(node, out);
                narration.push_str(&wake);
            }
        }
        // What the commit means for the cache's copy: the narration observes the world.
        if let (DbFact::Committed { key, version }, false) = (fact, self.voice.is_quiet()) {
            if let Some(v) = self.cache.live(key, self.now_ms).map(|e| e.version) {
                if v < version {
                    narration.push_str(&format!(
                        " The cache still holds {v}: until it is removed or replaced, a read that hits gets {v}, \
                         a stale value."
                    ));
                }
            }
        }
        Said {
            outcome: s.outcome,
            narration,
        }
    }

    fn deliver(&mut self, msg: &Message) -> Said {
        match msg.to {
            NodeId::Service => super::service::on_message(self, msg),
            NodeId::Cache => match msg.payload {
                // The write-behind queue spans the cache and the flusher: `behind.rs`.
                Payload::WbWrite { .. } => super::behind::cache_write(self, msg),
                _ => {
                    let mut out = self.take_out();
                    let mut ctx = Ctx::new(NodeId::Cache, self.now_ms, self.voice, &mut out);
                    let (s, fact) = self.cache.on_msg(&mut ctx, msg);
                    self.apply(NodeId::Cache, out);
                    let more = super::handle::cache_observed(self, Some(msg), fact);
                    Said {
                        outcome: s.outcome,
                        narration: s.narration + &more,
                    }
                }
            },
            NodeId::Db => self.deliver_to_db(msg),
            NodeId::Bus => {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(NodeId::Bus, self.now_ms, self.voice, &mut out);
                let (s, facts) = self.bus.on_msg(&mut ctx, msg);
                self.apply(NodeId::Bus, out);
                // The books observe what the bus did.
                if facts.published {
                    self.metrics.events_published += 1;
                }
                if facts.dropped {
                    self.metrics.events_dropped += 1;
                }
                if let Some(key) = facts.waited {
                    self.books
                        .happened
                        .insert(super::books::Happened::EventWaited(key));
                }
                s
            }
            NodeId::Consumer => {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(NodeId::Consumer, self.now_ms, self.voice, &mut out)
                    .with_requests_from(self.next_flow);
                let (s, facts) = self.consumer.on_msg(&mut ctx, msg);
                self.apply(NodeId::Consumer, out);
                // The books observe the events the consumer received and handled.
                if facts.received {
                    self.metrics.events_delivered += 1;
                }
                for ev in facts.handled {
                    let handled = self.books.delivered.or_insert(ev.key, ev.version);
                    *handled = (*handled).max(ev.version);
                }
                for key in facts.ignored_old {
                    self.books
                        .happened
                        .insert(super::books::Happened::OldEventIgnored(key));
                }
                for key in facts.ignored_duplicate {
                    self.books
                        .happened
                        .insert(super::books::Happened::DuplicateIgnored(key));
                }
                s
            }
            NodeId::Relay => {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(NodeId::Relay, self.now_ms, self.voice, &mut out);
                let s = self.relay.on_msg(&mut ctx, msg);
                self.apply(NodeId::Relay, out);
                s
            }
            NodeId::Flusher => super::behind::flusher_message(self, msg),
            NodeId::Reader(_) | NodeId::Writer(_) => {
                let Some(ci) = self.clients.iter().position(|c| c.id == msg.to) else {
                    return said!(self, "ignored", "");
                };
                let mut out = self.take_out();
                let mut ctx = Ctx::new(msg.to, self.now_ms, self.voice, &mut out);
                let (s, fact) = self.clients[ci].on_msg(&mut ctx, msg);
                self.apply(msg.to, out);
                match fact {
                    ClientFact::Answered => super::handle::client_answered(self, msg),
                    _ => s,
                }
            }
        }
    }

    fn fire(&mut self, timer: &Timer) -> Said {
        match timer.kind {
            TimerKind::Expire { key } => {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(NodeId::Cache, self.now_ms, self.voice, &mut out);
                let (s, fact) = self.cache.on_expire(&mut ctx, key);
                self.apply(NodeId::Cache, out);
                let more = super::handle::cache_observed(self, None, fact);
                Said {
                    outcome: s.outcome,
                    narration: s.narration + &more,
                }
            }
            TimerKind::SecondDelete { flow, key, version } => {
                super::service::second_delete(self, flow, key, version)
            }
            TimerKind::RetryGet { flow } => super::service::retry_get(self, flow),
            TimerKind::Restart { node } => super::fault::restart(self, node, true),
            TimerKind::Flush => super::behind::flush(self),
            TimerKind::RelayPoll => {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(NodeId::Relay, self.now_ms, self.voice, &mut out);
                let s = self.relay.on_timeout(&mut ctx);
                self.apply(NodeId::Relay, out);
                s
            }
            TimerKind::BusRetry { .. } | TimerKind::AckTimeout { .. } => {
                let mut out = self.take_out();
                let mut ctx = Ctx::new(NodeId::Bus, self.now_ms, self.voice, &mut out);
                let s = self.bus.on_timeout(&mut ctx, timer.kind);
                self.apply(NodeId::Bus, out);
                s
            }
        }
    }
}

/// Whether a message travels on an ordered connection (to or from the bus).
fn ordered_link(m: &Message) -> bool {
    m.from == NodeId::Bus || m.to == NodeId::Bus
}
