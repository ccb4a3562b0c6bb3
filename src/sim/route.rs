//! Routing: which node handles an arriving message, a due timer or a client's next
//! request, and what happens to a message whose node is down. `World::step` (in
//! `world.rs`) calls these; split from it along that seam.
//!
//! A node answers with facts (`fact.rs`); the books observe them here, and the
//! narration (`narrate/`) after the step. A path that returns `None` leaves the words to
//! the narration; `Some` is the text of a part still written in the world (a message
//! for no node of this world, a client that does not exist).
use super::books::Happened;
use super::bus::BusFact;
use super::client::ClientFact;
use super::config::{Op, SlowHop, WriteMode};
use super::consumer::ConsumerFact;
use super::db::DbFact;
use super::fact::Fact;
use super::ids::{NodeId, Version};
use super::msg::{Message, Payload};
use super::node::{Actor, Ctx};
use super::parts::Said;
use super::parts::{Timer, TimerKind};
use super::replica::ReplicaFact;
use super::world::World;

impl World {
    /// A message reached a node that is down: it is lost.
    pub(super) fn lost(&mut self, msg: &Message) {
        if let Payload::Deliver { .. } = msg.payload {
            self.metrics.events_dropped += 1;
        }
        self.facts.0.push(Fact::Lost {
            id: msg.id,
            from: msg.from,
            to: msg.to,
            payload: msg.payload,
        });
    }

    /// A client starts its next request. The books note a read's floor (what was
    /// already written when it began).
    pub(super) fn start_client(&mut self, node: NodeId) -> Option<Said> {
        if !self.clients.iter().any(|c| c.id == node) {
            return Some(said!(self, "no such client", ""));
        }
        self.act_in_scratch(node, |a, ctx| a.on_start(ctx));
        let started = self.scratch.0.facts.iter().find_map(|f| match f {
            Fact::Client(ClientFact::Started { id, request, .. }) => Some((*id, *request)),
            _ => None,
        });
        if let Some((id, request)) = started {
            if request.op == Op::Read {
                let floor = super::books::newest(self, request.key);
                self.books.read_started(id, floor);
            }
        }
        self.apply_scratch(node);
        None
    }

    /// The service handles `msg` with its own state; the world routes its answer and
    /// adds what the network does (a slow link named by the request).
    fn deliver_to_service(&mut self, msg: &Message) {
        self.act_in_scratch(msg.to, |a, ctx| a.on_msg(ctx, msg));
        // The network: a scenario may make the service's set of one request slow.
        let mut slowed_ms = None;
        if let Some((SlowHop::CacheSet, extra_ms)) = self.slow_of(msg.flow) {
            for send in &mut self.scratch.0.sends {
                if send.flow == msg.flow && matches!(send.payload, Payload::Set { .. }) {
                    send.delay_ms += extra_ms;
                    slowed_ms = Some(send.delay_ms);
                }
            }
        }
        self.apply_scratch(msg.to);
        if let Some(total_ms) = slowed_ms {
            self.facts.0.push(Fact::SlowSet { total_ms });
        }
    }

    /// The database handles `msg` with its own state; the world routes its answer and
    /// keeps the books of what it did.
    pub(super) fn deliver_to_db(&mut self, msg: &Message) -> Option<Said> {
        self.act_in_scratch(msg.to, |a, ctx| a.on_msg(ctx, msg));
        // The network: a scenario may make the reply to one request slow (a pause, a
        // busy link), named by the request.
        let slow = match (msg.payload, self.slow_of(msg.flow)) {
            (Payload::DbRead { .. }, Some((SlowHop::DbReadReply, extra_ms))) => extra_ms,
            _ => 0,
        };
        for send in &mut self.scratch.0.sends {
            send.delay_ms += slow;
        }
        let from = self.facts.0.len();
        self.apply_scratch(msg.to);
        // The books observe what the database did.
        for i in from..self.facts.0.len() {
            match self.facts.0[i] {
                Fact::Db(DbFact::Read { .. }) => {
                    self.books.record_db_read(&mut self.metrics, self.now_ms)
                }
                Fact::Db(DbFact::Committed { key, version, .. }) => {
                    self.metrics.db_writes += 1;
                    let relies =
                        matches!(self.config.write_mode, WriteMode::Event | WriteMode::Outbox)
                            && matches!(msg.from, NodeId::Service(_));
                    if relies {
                        self.books.relied.push((key, version));
                    }
                }
                Fact::Db(DbFact::Put { wrote: true, .. }) => self.metrics.db_writes += 1,
                Fact::Db(DbFact::TxCommitted { .. }) => self.metrics.db_writes += 1,
                _ => {}
            }
        }
        if slow > 0 {
            let normal_ms = self.db().latency.read_ms;
            self.facts.0.push(Fact::SlowReply {
                normal_ms,
                total_ms: normal_ms + slow,
                version: msg
                    .payload
                    .key_opt()
                    .map_or(Version(0), |k| self.db().read(k)),
            });
        }
        None
    }

    /// Node `node` handles one event (`handle` calls its `Actor` with a `Ctx`); the
    /// world routes its answer. Returns where its facts begin in the step's facts.
    fn run_node(&mut self, node: NodeId, handle: impl FnOnce(&mut dyn Actor, &mut Ctx)) -> usize {
        self.act_in_scratch(node, handle);
        let from = self.facts.0.len();
        self.apply_scratch(node);
        from
    }

    pub(super) fn deliver(&mut self, msg: &Message) -> Option<Said> {
        match msg.to {
            NodeId::Service(_) => {
                self.deliver_to_service(msg);
                None
            }
            NodeId::Cache(_) => {
                let from = self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                super::handle::cache_books(self, Some(msg), from);
                None
            }
            NodeId::Db => self.deliver_to_db(msg),
            NodeId::Replica(_) => {
                let slow = match (msg.payload, self.slow_of(msg.flow)) {
                    (Payload::DbRead { .. }, Some((SlowHop::DbReadReply, extra_ms))) => extra_ms,
                    _ => 0,
                };
                let from = self.run_node(msg.to, |a, ctx| {
                    a.on_msg(ctx, msg);
                    // The network: a read's reply named slow by its request.
                    ctx.delay_sends(slow);
                });
                // The books observe the replica's reads, and whether they were behind.
                for i in from..self.facts.0.len() {
                    if let Fact::Replica(ReplicaFact::Read { key, version, .. }) = self.facts.0[i] {
                        self.metrics.replica_reads += 1;
                        if self.db().read(key) > version {
                            self.books.happened.insert(Happened::ReplicaBehind(key));
                        }
                    }
                }
                None
            }
            NodeId::Bus => {
                let from = self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                // The books observe what the bus did.
                for i in from..self.facts.0.len() {
                    let Fact::Bus(fact) = self.facts.0[i] else {
                        continue;
                    };
                    match fact {
                        BusFact::Logged { ev, waited, .. } => {
                            self.metrics.events_published += 1;
                            if waited {
                                self.books.happened.insert(Happened::EventWaited(ev.key));
                            }
                        }
                        BusFact::Pushed { .. } => self.metrics.events_published += 1,
                        BusFact::Dropped { .. } => {
                            self.metrics.events_published += 1;
                            self.metrics.events_dropped += 1;
                        }
                        _ => {}
                    }
                }
                None
            }
            NodeId::Consumer => {
                let from = self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                // The books observe the events the consumer received and handled.
                for i in from..self.facts.0.len() {
                    let Fact::Consumer(fact) = self.facts.0[i] else {
                        continue;
                    };
                    match fact {
                        ConsumerFact::Received { .. } | ConsumerFact::Buffered { .. } => {
                            self.metrics.events_delivered += 1
                        }
                        ConsumerFact::Handled { ev, .. } => {
                            let handled = self.books.delivered.or_insert(ev.key, ev.version);
                            *handled = (*handled).max(ev.version);
                        }
                        ConsumerFact::Outdated { ev, .. } => {
                            self.books
                                .happened
                                .insert(Happened::OldEventIgnored(ev.key));
                        }
                        ConsumerFact::Duplicate { ev } => {
                            self.books
                                .happened
                                .insert(Happened::DuplicateIgnored(ev.key));
                        }
                        _ => {}
                    }
                }
                None
            }
            NodeId::Relay => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                None
            }
            NodeId::Flusher | NodeId::Invalidator => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                None
            }
            NodeId::Reader(_) | NodeId::Writer(_) => {
                if !self.clients.iter().any(|c| c.id == msg.to) {
                    return Some(said!(self, "ignored", ""));
                }
                let from = self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                super::handle::client_books(self, from);
                None
            }
            // Any other node of this world (the CDN edge, a kind added later): its
            // own handler, by id, with no books of its kind.
            other if self.nodes.contains(other) => {
                self.run_node(other, |a, ctx| a.on_msg(ctx, msg));
                None
            }
            _ => Some(said!(self, "ignored", "")),
        }
    }

    pub(super) fn fire(&mut self, timer: &Timer) -> Option<Said> {
        if let TimerKind::Restart { node } = timer.kind {
            // The supervisor's timer: it restarts the node.
            super::fault::restart(self, node, true);
            return None;
        }
        let (owner, kind) = (timer.owner, timer.kind);
        let from = self.run_node(owner, |a, ctx| a.on_timer(ctx, kind));
        if let TimerKind::Expire { .. } = kind {
            super::handle::cache_books(self, None, from);
        }
        None
    }
}
