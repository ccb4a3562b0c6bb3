//! When two events of the simulation commute (`Model::independent` for sleep sets):
//! what each event's independence depends on, read once per state.
use super::world_model::WorldModel;
use crate::sim::ids::{FlowId, NodeId};
use crate::sim::world::{Event, TimerKind};

/// What an event's independence depends on, in one state.
pub struct Info {
    /// A fault, or a restart by the supervisor's timer (a fault's recovery): every
    /// node connected to its node learns it (`World::set_status`), so it commutes with
    /// nothing.
    recovery: bool,
    actor: Option<NodeId>,
    /// Another node the event reads or changes: a message's sender when it reaches a
    /// node that is down, whose host may send the close back to it if a request of
    /// the sender's waits on that node (`route.rs`, `fault::close_to`: whether it does
    /// reads the sender's requests and the closes already on their way to it); and a
    /// close's sender when it is up again: what its reader sent it on that connection
    /// is lost with the close (`route.rs`, `drop_sent_on_closed`).
    touches: Option<NodeId>,
    /// The instant it fires at: the later of `now` and its nominal time.
    instant: Option<u64>,
    /// A message's request.
    flow: Option<FlowId>,
    /// At a client: the request it waits for.
    busy: Option<FlowId>,
}

impl WorldModel {
    pub(super) fn info(&self, state: &super::Searched, e: Event) -> Info {
        let w = &state.world;
        // One look-up of the event's message, timer or client: its actor, its
        // instant and the rest read from it (`World::actor`, `World::nominal_ms`).
        let instant = |t: u64| Some(t.max(w.now_ms));
        let busy_of = |a: NodeId| {
            if a.is_client() {
                w.clients.iter().find(|c| c.id == a).and_then(|c| c.busy)
            } else {
                None
            }
        };
        let none = Info {
            recovery: false,
            actor: None,
            touches: None,
            instant: None,
            flow: None,
            busy: None,
        };
        match e {
            Event::Fire(id) => match w.timers.iter().find(|t| t.id == id) {
                Some(t) => Info {
                    recovery: matches!(t.kind, TimerKind::Restart { .. }),
                    actor: Some(t.owner),
                    instant: instant(t.at_ms),
                    busy: busy_of(t.owner),
                    ..none
                },
                None => none,
            },
            Event::Deliver(id) => match w.net.iter().find(|m| m.id == id) {
                Some(m) => Info {
                    actor: Some(m.to),
                    touches: (w.status_of(m.to) == crate::sim::node::NodeStatus::Down
                        || (m.payload == crate::sim::msg::Payload::Closed && w.is_up(m.from)))
                    .then_some(m.from),
                    instant: instant(m.arrive_ms),
                    flow: m.flow,
                    busy: busy_of(m.to),
                    ..none
                },
                None => none,
            },
            Event::Start(node) => {
                let c = w.clients.iter().find(|c| c.id == node);
                Info {
                    actor: Some(node),
                    instant: c
                        .filter(|c| c.busy.is_none())
                        .and_then(|c| c.requests.get(c.next))
                        .and_then(|r| instant(r.at_ms)),
                    busy: if node.is_client() {
                        c.and_then(|c| c.busy)
                    } else {
                        None
                    },
                    ..none
                }
            }
            Event::Fault(f) => {
                let actor = f.actor(w);
                Info {
                    recovery: true,
                    actor,
                    instant: instant(w.now_ms),
                    busy: actor.and_then(busy_of),
                    ..none
                }
            }
        }
    }

    /// Two events (not faults) at different nodes at the same instant. A step moves
    /// `now` to the later of `now` and its event's nominal time and stamps what it
    /// sends and schedules with that `now`, so two events commute only if each fires
    /// at the same `now` in both orders: when the later of `now` and each one's nominal
    /// time is the same instant. Then neither disables the other: a message is enabled
    /// whatever the time (and a node sends only on its own connections, so it puts no
    /// older message before another node's on an ordered one), a timer due by that
    /// instant stays due, a client's start waits only on its own requests; and each
    /// changes only its own node and appends to the network and the timers (which the
    /// fingerprint reads as multisets, ids renamed). Exceptions, where a step reads or
    /// changes another node: two nodes on a local connection (`Ctx::call`: the
    /// write-behind flusher and its cache, the database and the outbox relay it
    /// notifies) are one for this; a message that reaches a down node touches its
    /// sender too (the down node's host may send it a close: `Info::touches`), and so
    /// does a close from a node that is up again (what was sent to it on that
    /// connection is lost with the close); a fault, or a restart by the supervisor's timer,
    /// reaches every node connected to its node; a request's slow hop is the network's
    /// reading of the client's current request (so an answer to a client and a message
    /// of that request are dependent); and the books keep the first read-your-writes
    /// break of any client (so two answers to clients are, where a client both writes
    /// and reads). `tests/search_sleep.rs` checks the two orders on every state of the
    /// small catalog searches (`search_bench` with `SEARCH_CHECK` on all of them).
    pub(super) fn commute(&self, a: &Info, b: &Info) -> bool {
        // The cheap tests first (every test must pass: their order changes nothing).
        if a.recovery || b.recovery || a.instant.is_none() || a.instant != b.instant {
            return false;
        }
        let (Some(x), Some(y)) = (a.actor, b.actor) else {
            return false;
        };
        // Every node either event reads or changes, pairwise.
        let (xs, ys) = ([Some(x), a.touches], [Some(y), b.touches]);
        if xs
            .iter()
            .flatten()
            .any(|p| ys.iter().flatten().any(|q| p == q || local(*p, *q)))
        {
            return false;
        }
        if self.ryw() && x.is_client() && y.is_client() {
            return false;
        }
        let waits_for = |c: &Info, m: &Info| c.busy.is_some() && c.busy == m.flow;
        !(self.slow_hops() && (waits_for(a, b) || waits_for(b, a)))
    }
}

/// Whether `x` and `y` are on a local connection (`Ctx::call`), where one's step
/// changes the other within the step.
fn local(x: NodeId, y: NodeId) -> bool {
    let pair = |a: NodeId, b: NodeId| {
        matches!(
            (a, b),
            (NodeId::FLUSHER, NodeId::Cache(_)) | (NodeId::DB, NodeId::RELAY)
        )
    };
    pair(x, y) || pair(y, x)
}
