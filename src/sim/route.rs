//! Routing: which node handles an arriving message, a due timer or a client's next
//! request, and what happens to a message whose node is down. `World::step` (in
//! `world.rs`) calls these; split from it along that seam.
//!
//! A node answers with facts (`fact.rs`); the books (`books/observe.rs`) and the
//! narration (`narrate/`) observe them after the step. A path that returns `None` leaves the words to
//! the narration; `Some` is the text of a part still written in the world (a message
//! for no node of this world, a client that does not exist).
use super::config::SlowHop;
use super::fact::Fact;
use super::ids::{NodeId, Version};
use super::msg::{Message, Payload};
use super::node::{Actor, Ctx};
use super::parts::Said;
use super::parts::{Timer, TimerKind};
use super::world::World;

impl World {
    /// A message reached a node that is down: it is lost.
    pub(super) fn lost(&mut self, msg: &Message) {
        self.facts.0.push(Fact::Lost {
            id: msg.id,
            from: msg.from,
            to: msg.to,
            payload: msg.payload,
        });
    }

    /// A client starts its next request.
    pub(super) fn start_client(&mut self, node: NodeId) -> Option<Said> {
        if !self.clients.iter().any(|c| c.id == node) {
            return Some(said!(self, "no such client", ""));
        }
        self.act_in_scratch(node, |a, ctx| a.on_start(ctx));
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
    /// adds what the network does (a slow reply named by the request).
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
        self.apply_scratch(msg.to);
        if slow > 0 {
            let db = self.nodes.db(msg.to).unwrap_or_else(|| self.db());
            let normal_ms = db.latency.read_ms;
            self.facts.0.push(Fact::SlowReply {
                normal_ms,
                total_ms: normal_ms + slow,
                version: msg.payload.key_opt().map_or(Version(0), |k| db.read(k)),
            });
        }
        None
    }

    /// Node `node` handles one event (`handle` calls its `Actor` with a `Ctx`); the
    /// world routes its answer.
    fn run_node(&mut self, node: NodeId, handle: impl FnOnce(&mut dyn Actor, &mut Ctx)) {
        self.act_in_scratch(node, handle);
        self.apply_scratch(node);
    }

    pub(super) fn deliver(&mut self, msg: &Message) -> Option<Said> {
        match msg.to {
            NodeId::Service(_) => {
                self.deliver_to_service(msg);
                None
            }
            NodeId::Cache(_) => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                None
            }
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
                None
            }
            NodeId::Bus(_) | NodeId::Consumer(_) => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                None
            }
            NodeId::Relay(_) => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                None
            }
            NodeId::Flusher(_) | NodeId::Invalidator => {
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
                None
            }
            NodeId::Reader(_) | NodeId::Writer(_) => {
                if !self.clients.iter().any(|c| c.id == msg.to) {
                    return Some(said!(self, "ignored", ""));
                }
                self.run_node(msg.to, |a, ctx| a.on_msg(ctx, msg));
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
        self.run_node(owner, |a, ctx| a.on_timer(ctx, kind));
        None
    }
}
