//! Routing: which node handles an arriving message, a due timer or a client's next
//! request, and what happens to a message whose node is down. `World::step` (in
//! `world.rs`) calls these; split from it along that seam.
use super::client::ClientFact;
use super::config::{Op, SlowHop, WriteMode};
use super::db::DbFact;
use super::ids::{NodeId, Version};
use super::msg::{Message, Payload};
use super::node::Ctx;
use super::parts::Said;
use super::parts::{Flow, Stage, Timer, TimerKind};
use super::world::World;

impl World {
    /// A message reached a node that is down: it is lost.
    pub(super) fn lost(&mut self, msg: &Message) -> Said {
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

    /// A client starts its next request. The books note a read's floor (what was
    /// already written when it began), and the service, not yet a node of its own,
    /// opens the request it is about to receive.
    pub(super) fn start_client(&mut self, node: NodeId) -> Said {
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
    pub(super) fn deliver_to_db(&mut self, msg: &Message) -> Said {
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

    pub(super) fn deliver(&mut self, msg: &Message) -> Said {
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

    pub(super) fn fire(&mut self, timer: &Timer) -> Said {
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
