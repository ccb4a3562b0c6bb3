//! How a node acts and what the world does with its answer: `World::act` lends one node
//! at a time a `Ctx` (so a handler holds `&mut` to its own node only), and `apply`
//! routes what it answered: its messages onto the network (a hop between two regions is
//! longer), its timers, and its calls over local connections, delivered within the
//! step. Split from `world.rs` along that seam.
use super::ids::{FlowId, MsgId, NodeId, TimerId};
use super::msg::{Message, Payload};
use super::node::{Actor, Call, Ctx, Out};
use super::nodes::Node;
use super::parts::{Timer, TimerKind};
use super::world::World;

impl World {
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
        // The network: a hop between two regions is longer.
        let delay_ms = if self.config.topology.is_empty()
            || self.config.region_of(from) == self.config.region_of(to)
        {
            delay_ms
        } else {
            delay_ms + self.config.latency.cross_region_ms
        };
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

    /// Routes what a node answered: its messages (in order, so ids follow it), its
    /// timers, then its calls over connections (`Call`), which may answer with calls
    /// of their own.
    pub(crate) fn apply(&mut self, node: NodeId, out: Out) {
        self.scratch.0 = out;
        self.apply_scratch(node);
    }

    /// `apply` of the answer a node left in the world's scratch `Out`
    /// (`act_in_scratch`): the hot path, which moves no `Out` around.
    pub(crate) fn apply_scratch(&mut self, node: NodeId) {
        let calls = self.route_scratch(node);
        if !calls.is_empty() {
            self.run_calls(node, calls);
        }
    }

    /// Applies the messages and timers in the scratch `Out`, leaving it empty (its
    /// buffers kept); returns the calls.
    fn route_scratch(&mut self, node: NodeId) -> Vec<(NodeId, Call)> {
        self.next_flow += self.scratch.0.requests;
        let out = &mut self.scratch.0;
        if out.cancel_all || !out.cancels.is_empty() {
            let (all, cancels) = (out.cancel_all, &out.cancels);
            self.timers.retain(|t| {
                t.owner != node
                    || matches!(t.kind, TimerKind::Restart { .. })
                    || !(all || cancels.contains(&t.kind))
            });
        }
        let mut sends = std::mem::take(&mut self.scratch.0.sends);
        for send in sends.drain(..) {
            self.send(node, send.to, send.flow, send.payload, send.delay_ms);
        }
        self.scratch.0.sends = sends;
        // The routing seam notes which node recorded these facts (`fact::Acting`).
        self.facts.record(node, &mut self.scratch.0.facts);
        let mut timers = std::mem::take(&mut self.scratch.0.timers);
        for (at_ms, kind) in timers.drain(..) {
            self.add_timer(node, at_ms, kind);
        }
        let out = &mut self.scratch.0;
        out.timers = timers;
        out.cancels.clear();
        out.cancel_all = false;
        out.requests = 0;
        std::mem::take(&mut out.calls)
    }

    /// Delivers calls, first in first out, to the nodes they name, and what those
    /// answer. A call to a node that is not up is lost; one that wants an answer gets
    /// `Call::Unreachable` back. Bounded by `MAX_CALLS` a step: a call answers with at
    /// most one call here, so a chain is at most three long (take, batch, wake).
    fn run_calls(&mut self, from: NodeId, calls: Vec<(NodeId, Call)>) {
        const MAX_CALLS: usize = 16;
        let mut queue: std::collections::VecDeque<(NodeId, NodeId, Call)> =
            calls.into_iter().map(|(to, c)| (from, to, c)).collect();
        for _ in 0..MAX_CALLS {
            let Some((from, to, call)) = queue.pop_front() else {
                break;
            };
            if !self.is_up(to) {
                if call.wants_answer() {
                    queue.push_back((to, from, Call::Unreachable));
                }
                continue;
            }
            self.act_in_scratch(to, |a, ctx| a.on_call(ctx, from, call));
            for (next, c) in self.route_scratch(to) {
                queue.push_back((to, next, c));
            }
        }
    }

    /// Lends node `id` (a client, or any node of `nodes`) a `Ctx` for one of its
    /// handlers; returns what it answered, not yet routed (`apply`). A node that is
    /// not in this world answers nothing.
    pub(crate) fn act(&mut self, id: NodeId, handle: impl FnOnce(&mut dyn Actor, &mut Ctx)) -> Out {
        self.act_in_scratch(id, handle);
        self.take_out()
    }

    /// `act`, with the answer left in the world's scratch `Out` for `apply_scratch`.
    /// The node and the buffer are two fields of the world: the borrow checker lends
    /// the one node, and nothing else of the world, to the handler.
    pub(crate) fn act_in_scratch(
        &mut self,
        id: NodeId,
        handle: impl FnOnce(&mut dyn Actor, &mut Ctx),
    ) {
        let World {
            clients,
            nodes,
            scratch,
            now_ms,
            next_flow,
            ..
        } = self;
        let mut ctx = Ctx::new(id, *now_ms, &mut scratch.0).with_requests_from(*next_flow);
        let actor: Option<&mut dyn Actor> = if id.is_client() {
            clients
                .iter_mut()
                .find(|c| c.id == id)
                .map(|c| c as &mut dyn Actor)
        } else {
            nodes.get_mut(id).map(Node::actor)
        };
        if let Some(actor) = actor {
            handle(actor, &mut ctx);
        }
    }

    /// The buffer a node answers into, empty.
    pub(crate) fn take_out(&mut self) -> Out {
        std::mem::take(&mut self.scratch.0)
    }
}
