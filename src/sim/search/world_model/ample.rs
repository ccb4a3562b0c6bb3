//! A persistent set of one event: a client reading an overdue close.
//!
//! When a node crashes (or its host refuses or resets a connection), each client
//! waiting on it reads a `Payload::Closed` a hop later, and its request fails
//! (`client.rs`). Such a close, once due (its nominal time no later than `now`), is
//! explored alone: every end state, and every shortest run to each, is still found.
//!
//! Why (a persistent set, Godefroid 1996, of one event `c`: on every run from the state
//! that does not take `c`, each event is independent of `c`, so `c` can be moved to the
//! front of any such run that ends, keeping its length and its end state; and every
//! run that ends takes `c`, since a close is never lost and a run does not end while a
//! message is deliverable). Along such a run, while the story places only crashes and
//! restarts and the extra budget is spent (no message fault, pause, partition or
//! disconnect can come), and no node is paused or cut off now:
//! - `c` stays enabled and fires at the same `now`: a message is enabled whatever the
//!   time, a close waits only for what its sender sent the client before it (nothing,
//!   or it would not be enabled now), and it is due, so it leaves `now` as it is.
//! - Nothing else reads or changes the client: it waits (`busy`), so it starts nothing;
//!   the close is the only message to it, and nothing new is sent to it (its server
//!   lost the request with its crash, or never had it; a node's host closes the
//!   connection again only if no close of it is on its way, `fault::close_to`, and
//!   once the client has read this one it waits on nothing there); a crash or a
//!   restart reads the client only through `close_to`, with the same answer before
//!   and after `c` (a close on its way, or nothing awaited). No request's hop is slow
//!   (the network would read the client's current request, `World::slow_of`), and no
//!   client both writes and reads (the books' first read-your-writes break).
//! - `c` changes only the client (no longer busy; its last answer, which the canonical
//!   state leaves out) and the network; no books the fingerprint reads. Taking it
//!   first disables nothing: a timer enabled stays enabled (a due close kept `reach`
//!   at `now`, and without it `reach` is no earlier), and the client's next start is
//!   new.
//!   So both orders of `c` and any such event reach one state.
//!
//! The invariants are judged at a run's end (read-your-writes, judged at any point, is
//! excluded above), so the verdicts and their shortest lengths are the plain search's;
//! `tests/search_ample.rs` checks it against the search without it.
use super::{Searched, WorldModel};
use crate::sim::fault::{kind, NodeStatus};
use crate::sim::msg::Payload;
use crate::sim::world::Event;

impl WorldModel {
    /// The overdue close to explore alone from `state`, among `enabled` (the enabled
    /// events, faults not listed), if the conditions above hold.
    pub(super) fn overdue_close(&self, state: &Searched, enabled: &[Event]) -> Option<Event> {
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
        enabled.iter().copied().find(|e| {
            let Event::Deliver(id) = *e else {
                return false;
            };
            let Some(m) = w.net.iter().find(|m| m.id == id) else {
                return false;
            };
            m.payload == Payload::Closed
                && m.arrive_ms <= w.now_ms
                && m.to.is_client()
                && w.clients
                    .iter()
                    .any(|c| c.id == m.to && c.awaits(m.from).is_some())
                && w.net.iter().filter(|o| o.to == m.to).count() == 1
        })
    }
}
