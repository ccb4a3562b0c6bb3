//! An ample set of one event (with the faults, for one not yet due): a message to a
//! client that nothing else reads or changes (`WorldModel::with_ample`, as the page's
//! worker searches). Every end state, and a shortest run to each, is still found.
//!
//! The messages (`c`, to a client, from `s`):
//! - a close (`Payload::Closed`) of the connection the client waits on (its server
//!   crashed, or its host refused or reset it; `client.rs`: the request fails), the
//!   only message to the client;
//! - a close of a connection the client does not wait on, and will not again: no request
//!   still to start goes to `s` (it reads it as `ClientFact::IdleClosed` and changes
//!   nothing);
//! - the answer to the request the client waits on, from `s`, which it waits on, where
//!   any other message to the client is a close from `s` (sent after it, so delivered
//!   after it), and either `s` can crash no more (no budget pays for it) or no request
//!   still to start goes to `s`.
//!
//! Such a `c` is explored alone when it is due (its nominal time no later than `now`).
//! When it is not yet due but no enabled event is due before it, it is explored with
//! the faults placeable now (a fault happens now, before time moves) and no other event.
//!
//! Why. The conditions: no read-your-writes (judged at every state, where every other
//! invariant is judged at a run's end), no slow hop (the network reads a client's
//! current request, `World::slow_of`), the story places only crashes and restarts, the
//! extra budget is spent, and no node is paused or cut off (so no fault can drop, delay,
//! duplicate or cut off `c`, and none can pause anything later). Then, along any run
//! from the state (Godefroid's persistent sets, 1996):
//! - `c` stays enabled, and is taken by every run that ends: a client is never down,
//!   a message to it is never lost, and what follows `c` on its connection waits for it.
//! - Nothing but `c` reads or changes the client, and `c` changes only it (no longer
//!   waiting; its last answer, which the canonical state leaves out; the versions
//!   acknowledged, `Books::acked`, a maximum, the same in any order) and the network,
//!   besides counters and books the fingerprint leaves out (`stale-reads`, a read's
//!   floor): it stamps no time, sends nothing and reads no `now`. The client starts nothing
//!   while it waits; an idle client's next start goes elsewhere and leaves the close a
//!   no-op. A crash, a restart or a loss reads the client only through
//!   `fault::close_to`: for a close, a close of that connection is on its way (or the
//!   client does not wait on `s`) before `c` and after it. Removing `c` disables
//!   nothing (a timer's reach, `World::enabled`, can only grow).
//! - So a due `c` commutes with every other event: it leaves `now` as it is wherever it
//!   fires, and any run that ends can have `c` moved to its front, as long, to the same
//!   end state. But one: a crash of `s` while an answer is on its way sends the client a
//!   close behind it (it still waits on `s`), which it reads, once answered, as a no-op
//!   (no request of it goes to `s` again). Moved to the front, the answer makes that
//!   crash send nothing (the client waits on nothing there), and the close's delivery
//!   leaves the run: the same end state, one step sooner.
//! - A `c` not yet due, due at `a` with no enabled event due before `a`: a run that
//!   starts with a fault is explored. One that starts with another event `e` fires it
//!   at its own nominal time `b >= a` (a timer too: `now` reaches only `a` while `c`
//!   waits), after `c` as before it, and then `c` is due at `b`, where it fires
//!   without moving `now`: `e` and `c` commute, and the run goes on from a state where
//!   `c` is due, as above.
//!
//! So every end state is reached, and a shortest run to each has the plain search's
//! length; a run to a violation is a run to a violating end state. `tests/search_ample.rs`
//! checks it against the search without it on every catalog search that completes.
//!
//! Not explored alone, though its effect on the canonical state is the same whenever it
//! fires: a message to a down node, due, from a node that never waits on another (lost
//! on arrival, `route.rs`, changing only the network and books the fingerprint leaves
//! out). The node's restart loses it too (`fault::restart`), as part of the restart's
//! own step: a run that moves `now` past the supervisor's restart before delivering it
//! reaches the same end state one step sooner than any run that delivers it first, so
//! exploring it alone could lengthen a shortest run.
use super::{Searched, WorldModel};
use crate::sim::fault::{kind, Fault, NodeStatus};
use crate::sim::msg::{Message, Payload};
use crate::sim::world::{Event, World};

impl WorldModel {
    /// The message to a client to explore alone from `state`, among `enabled` (the
    /// enabled events, faults not listed, earliest first), if the conditions above
    /// hold. Not yet due, it is explored with the faults placeable now.
    pub(super) fn alone(&self, state: &Searched, enabled: &[Event]) -> Option<Event> {
        const CRASHES: u32 = 1 << kind::CRASH | 1 << kind::RESTART;
        if !self.ample
            || self.ryw()
            || self.slow_hops()
            || self.story_kinds & !CRASHES != 0
            || state.extra_used < self.budget.extra
        {
            return None;
        }
        let w = &state.world;
        if !w.cuts.is_empty() || w.status.iter().any(|(_, s)| *s != NodeStatus::Down) {
            return None;
        }
        // The earliest nominal time of an enabled event.
        let first = enabled.first().and_then(|e| w.nominal_ms(*e));
        enabled.iter().copied().find(|e| {
            let Event::Deliver(id) = *e else {
                return false;
            };
            let Some(m) = w.net.iter().find(|m| m.id == id) else {
                return false;
            };
            m.to.is_client()
                && (m.arrive_ms <= w.now_ms || first.is_some_and(|t| m.arrive_ms <= t))
                && (waiting_close(w, m) || idle_close(w, m) || self.answer(state, m))
        })
    }

    /// The answer to the request a client waits on, from the node it waits on, which
    /// can crash no more, or to which no request of the client still to start goes.
    /// Any other message to the client is that node's close, behind it.
    fn answer(&self, state: &Searched, m: &Message) -> bool {
        let w = &state.world;
        if m.payload == Payload::Closed || m.flow.is_none() {
            return false;
        }
        let Some(c) = w.clients.iter().find(|c| c.id == m.to) else {
            return false;
        };
        c.busy == m.flow
            && c.waiting().is_some_and(|(_, on)| on == m.from)
            && (!c.will_send_to(m.from) || self.charge(state, Fault::Crash(m.from)).is_none())
            && w.net.iter().all(|o| {
                o.to != m.to || o.id == m.id || (o.from == m.from && o.payload == Payload::Closed)
            })
    }
}

/// A close at a client that waits on its sender, the only message to it.
fn waiting_close(w: &World, m: &Message) -> bool {
    m.payload == Payload::Closed
        && w.clients
            .iter()
            .any(|c| c.id == m.to && c.awaits(m.from).is_some())
        && w.net.iter().filter(|o| o.to == m.to).count() == 1
}

/// A close at a client that does not wait on its sender, and never will again.
fn idle_close(w: &World, m: &Message) -> bool {
    m.payload == Payload::Closed
        && w.clients
            .iter()
            .any(|c| c.id == m.to && c.awaits(m.from).is_none() && !c.will_send_to(m.from))
}
