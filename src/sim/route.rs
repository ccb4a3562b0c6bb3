//! Routing: which node handles an arriving message, a due timer or a client's next
//! request, and what happens to a message whose node is down. `World::step` (in
//! `world.rs`) calls these; split from it along that seam.
//!
//! A node answers with facts (`fact.rs`); the books (`books/observe.rs`) and the
//! narration (`narrate/`) observe them after the step. What the world itself finds (a
//! client that does not exist, a message for no node of this world) is a fact too.
use super::config::SlowHop;
use super::fact::Fact;
use super::ids::{NodeId, Version};
use super::msg::{Message, Payload};
use super::node::{Actor, Ctx};
use super::parts::{Timer, TimerKind};
use super::world::World;

impl World {
    /// Whether `msg`, delivered now, reaches its node: the node is up and no partition
    /// cuts the link, either way. Else the delivery loses it (`lost`).
    pub fn reaches(&self, msg: &Message) -> bool {
        let cut = self.status_of(msg.from) == super::node::NodeStatus::Partitioned
            || (!self.cuts.is_empty() && super::partition::is_cut(self, msg.from, msg.to));
        self.is_up(msg.to) && !cut
    }

    /// A message reached a node that is down: it is lost. Its host refuses the
    /// connection (a reset): a sender waiting on it reads the close
    /// (`fault::close_to`). A partition refuses nothing: its packets vanish.
    pub(super) fn lost(&mut self, msg: &Message) {
        self.facts.0.push(Fact::Lost {
            id: msg.id,
            from: msg.from,
            to: msg.to,
            payload: msg.payload,
        });
        if self.status_of(msg.to) == super::node::NodeStatus::Down && self.reaches_host(msg) {
            super::fault::close_to(self, msg.to, &[msg.from]);
        }
    }

    /// Whether no partition cuts `msg`'s way (its node may be down).
    fn reaches_host(&self, msg: &Message) -> bool {
        self.status_of(msg.from) != super::node::NodeStatus::Partitioned
            && (self.cuts.is_empty() || !super::partition::is_cut(self, msg.from, msg.to))
    }

    /// A client starts its next request.
    pub(super) fn start_client(&mut self, node: NodeId) {
        if !self.clients.iter().any(|c| c.id == node) {
            self.facts.0.push(Fact::NoSuchClient { node });
            return;
        }
        self.act_in_scratch(node, |a, ctx| a.on_start(ctx));
        self.apply_scratch(node);
    }

    /// `msg` is for no node of this world: it is dropped.
    fn unrouted(&mut self, msg: &Message) {
        self.facts.0.push(Fact::Unrouted {
            id: msg.id,
            from: msg.from,
            to: msg.to,
            payload: msg.payload,
        });
    }

    /// The service handles `msg` with its own state; the world routes its answer and
    /// adds what the network does (a slow link named by the request).
    fn deliver_to_service(&mut self, msg: &Message) {
        // What it sends from now on goes on new connections (`drop_sent_on_closed`).
        let first_new = self.next_msg;
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
        if msg.payload == Payload::Closed && self.is_up(msg.from) {
            self.drop_sent_on_closed(msg, first_new);
        }
    }

    /// `msg` is the close of the service's connection to its sender, and that sender is
    /// up again (it restarted after its crash, or after its host refused a connection
    /// while it was down): what the service sent it before reading the close (ids below
    /// `first_new`) is lost, each a `Fact::Lost` of this step. The service sent those
    /// on the connection to the dead process (a Redis client writes a command to the
    /// socket it has, and reconnects only once it sees that socket close): the
    /// restarted process's host has no such connection and answers their segments
    /// with a reset, as TCP does, so they never reach the new process, and the close
    /// fails the commands they carried (`service/closed.rs`). What the service sends
    /// on reading the close goes on a new connection. (A sender still down loses them
    /// when they arrive, `lost`, or at its restart.)
    fn drop_sent_on_closed(&mut self, msg: &Message, first_new: u32) {
        let mut lost = Vec::new();
        self.net.retain(|m| {
            let gone = m.from == msg.to
                && m.to == msg.from
                && m.id.0 < first_new
                && m.payload != Payload::Closed;
            if gone {
                lost.push(Fact::Lost {
                    id: m.id,
                    from: m.from,
                    to: m.to,
                    payload: m.payload,
                });
            }
            !gone
        });
        self.facts.0.extend(lost);
    }

    /// The database handles `msg` with its own state; the world routes its answer and
    /// adds what the network does (a slow reply named by the request).
    pub(super) fn deliver_to_db(&mut self, msg: &Message) {
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
        self.apply_scratch(msg.to);
        if slow > 0 {
            let db = self.nodes.db(msg.to).unwrap_or_else(|| self.db());
            let normal_ms = db.latency.read_ms;
            let fact = Fact::SlowReply {
                normal_ms,
                total_ms: normal_ms + slow,
                version: msg.payload.key_opt().map_or(Version(0), |k| db.read(k)),
            };
            self.facts.0.push(fact);
        }
    }

    /// Node `node` handles one event (`handle` calls its `Actor` with a `Ctx`); the
    /// world routes its answer.
    fn run_node(&mut self, node: NodeId, handle: impl FnOnce(&mut dyn Actor, &mut Ctx)) {
        self.act_in_scratch(node, handle);
        self.apply_scratch(node);
    }

    pub(super) fn deliver(&mut self, msg: &Message) {
        match msg.to {
            NodeId::Service(_) => self.deliver_to_service(msg),
            NodeId::Cache(_) => self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg)),
            NodeId::Db(_) => self.deliver_to_db(msg),
            NodeId::Replica(_) => {
                let slow = match (msg.payload, self.slow_of(msg.flow)) {
                    (Payload::DbRead { .. }, Some((SlowHop::DbReadReply, extra_ms))) => extra_ms,
                    _ => 0,
                };
                self.run_node(msg.to, |a, ctx| {
                    a.on_msg(ctx, msg);
                    // The network: a read's reply named slow by its request.
                    ctx.delay_sends(slow);
                });
            }
            NodeId::Bus(_)
            | NodeId::Consumer(_)
            | NodeId::Relay(_)
            | NodeId::Flusher(_)
            | NodeId::Invalidator(_) => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
            }
            NodeId::Reader(_) | NodeId::Writer(_) => {
                if self.clients.iter().any(|c| c.id == msg.to) {
                    self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                } else {
                    self.unrouted(msg);
                }
            }
            // Any other node of this world (the CDN edge, a kind added later): its
            // own handler, by id, with no books of its kind.
            other if self.nodes.contains(other) => {
                self.run_node(other, |a, ctx| a.on_msg(ctx, msg))
            }
            _ => self.unrouted(msg),
        }
    }

    pub(super) fn fire(&mut self, timer: &Timer) {
        if let TimerKind::Restart { node } = timer.kind {
            // The supervisor's timer: it restarts the node.
            super::fault::restart(self, node, true);
            return;
        }
        let (owner, kind) = (timer.owner, timer.kind);
        self.run_node(owner, |a, ctx| a.on_timer(ctx, kind));
    }
}
