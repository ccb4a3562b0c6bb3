//! Copying a world: what the search does for every state and the page for every step.
//! Split from `world.rs` along that seam.
use super::{Allocated, World};

/// A copy of `v` with room for a few more: a step sends a message or sets a timer,
/// and an exact copy would grow (reallocate) at once.
fn roomy<T: Copy>(v: &[T]) -> Vec<T> {
    let mut copy = Vec::with_capacity(v.len() + 4);
    copy.extend_from_slice(v);
    copy
}

/// A copy of the state. `clone_from` copies into a world's own buffers (the network,
/// the timers, the node table, the step's scratch), so a loop that restarts from one
/// state again and again (a benchmark, a search) allocates for them once. The buffers
/// that are not state come out empty either way.
impl Clone for World {
    fn clone(&self) -> World {
        World {
            config: self.config.clone(),
            now_ms: self.now_ms,
            clients: self.clients.clone(),
            nodes: self.nodes.clone(),
            net: roomy(&self.net),
            timers: roomy(&self.timers),
            next_msg: self.next_msg,
            next_flow: self.next_flow,
            next_timer: self.next_timer,
            metrics: self.metrics.clone(),
            books: self.books.clone(),
            status: self.status.clone(),
            cuts: self.cuts.clone(),
            voice: self.voice,
            scratch: Default::default(),
            facts: Default::default(),
        }
    }

    fn clone_from(&mut self, source: &World) {
        // Every field named, so a new one cannot be forgotten here.
        let World {
            config,
            now_ms,
            clients,
            nodes,
            net,
            timers,
            next_msg,
            next_flow,
            next_timer,
            metrics,
            books,
            status,
            cuts,
            voice,
            scratch: _,
            facts,
        } = self;
        config.clone_from(&source.config);
        *now_ms = source.now_ms;
        clients.clone_from(&source.clients);
        nodes.clone_from(&source.nodes);
        net.clone_from(&source.net);
        timers.clone_from(&source.timers);
        *next_msg = source.next_msg;
        *next_flow = source.next_flow;
        *next_timer = source.next_timer;
        metrics.clone_from(&source.metrics);
        books.clone_from(&source.books);
        status.clone_from(&source.status);
        cuts.clone_from(&source.cuts);
        *voice = source.voice;
        // Not state: the scratch is empty between steps; the facts are emptied. Both
        // keep their buffers (none allocated: nothing to empty).
        if let Some(facts) = facts.allocated() {
            facts.begin(0);
        }
    }
}
