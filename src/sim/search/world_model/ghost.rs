//! The slice's ghost readers (`Slice::with_ghost_readers`): the clients that only
//! read, kept for their effect on time and nothing else.
//!
//! A reader commits nothing, but its steps move `now` on, and a timer of the others
//! is enabled by `now` (`World::enabled_into`: once `now` reaches it, or nothing
//! else would happen first). Two kinds of step do it:
//! - its start: `now` jumps to the request's start time (300 ms in
//!   `dual-write-crash`, whenever its first read is done). The ghost keeps it: the
//!   reader's `Event::Start` here only moves `now` to that time and moves on to the
//!   next request (a start already due is skipped: it moves nothing);
//! - a delivery of one of its messages: `now` moves to the message's arrival, at
//!   most one hop's delay past the `now` it was sent at. The ghost does not keep
//!   these: instead every timer is enabled once it is due within `slack` ms of the
//!   full model's rule, `slack` the sum of the hops' delays of every message the
//!   readers can send (`slack_ms`).
//!
//! Why that is enough, in a run of the full model and the ghost slice that make the
//! same steps but the readers' deliveries: the slice's `now` is never later than the
//! full model's, and never earlier by more than what the readers' deliveries added
//! (each adds at most its hop's delay; a start jump adds nothing); every message and
//! timer is stamped at its sender's `now` plus the same delay in both, so the
//! slice's is never later, nor earlier by more than that; so a timer the full model
//! enables (due by `max(now, the first other event)`) is due in the slice by that
//! plus `slack`. Not assumed: `slice_check.rs` checks it step by step
//! (`check_ghost_slice`), and the largest gap it saw (`SliceCheck::gap_ms`).
//!
//! Where that check completes, the slice is checked sound for every run of the full
//! model within its bounds: `dual-write-crash`, `event-invalidation`, `event-delay`,
//! `event-loss` (and with `durable-bus`), `event-duplicate-reorder` and `outbox`
//! (`tests/search_ghost*.rs`). On `dual-write-crash` with `outbox`, the proof's
//! target, it cannot complete: every state the full model reaches is in some pair,
//! so the pairs are at least the full model's own states (shifted in time), and
//! that search does not complete either (23 million states at depth 33, and runs
//! of 62 steps and more; README). What is checked there instead is every run of the
//! full model of at most 20 steps, to the check's end (`check_ghost_slice_watched`
//! with `max_depth`, the test-search tier: 1,326,024 pairs, no error, gap 10 ms), and
//! of at most 31 steps once (`examples/slice.rs`: 57.6 million pairs, no error,
//! stopped before the search's end, README); runs of every length along random runs
//! drawn to their ends (`sample_ghost_slice`: 20,000 in the test-search tier, a
//! million and more once, README). The runs neither reaches rest on the argument
//! above.
use super::{Searched, WorldModel};
use crate::sim::config::Op;
use crate::sim::fault::NodeStatus;
use crate::sim::ids::NodeId;
use crate::sim::search::model::Model;
use crate::sim::world::{Event, World};

/// Moves every reader past its requests whose start is due (at or before `now`): a
/// start that moves no time is no step of the ghost.
pub(super) fn skip_past(w: &mut World, readers: &[NodeId]) {
    let now = w.now_ms;
    for c in w.clients.iter_mut().filter(|c| readers.contains(&c.id)) {
        while c.requests.get(c.next).is_some_and(|r| r.at_ms <= now) {
            c.next += 1;
        }
    }
}

/// The ghost slice's step: a reader's start jumps `now` to its request's time; any
/// other event is the full model's.
pub(super) fn step(
    inner: &WorldModel,
    readers: &[NodeId],
    mut state: Searched,
    action: Event,
) -> Option<Searched> {
    if let Event::Start(r) = action {
        if readers.contains(&r) {
            let w = &mut state.world;
            let c = w.clients.iter_mut().find(|c| c.id == r)?;
            let at = c.requests.get(c.next)?.at_ms;
            c.next += 1;
            w.now_ms = w.now_ms.max(at);
            skip_past(w, readers);
            return Some(state);
        }
    }
    let mut next = inner.next_owned(state, action)?;
    skip_past(&mut next.world, readers);
    Some(next)
}

/// Adds to `out` (the full model's list, its first `listed` the enabled events)
/// every timer not listed that is due by the horizon and within `slack` ms of
/// `max(now, the first other enabled event but a ghost's start)`, and whose owner
/// may fire it (up or cut off; a down node only its restart), in the timers' order.
pub(super) fn timers_within(
    w: &World,
    readers: &[NodeId],
    slack: u64,
    listed: usize,
    out: &mut Vec<Event>,
) {
    let first_other = out[..listed]
        .iter()
        .filter(|e| match e {
            Event::Start(c) => !readers.contains(c),
            Event::Deliver(_) => true,
            _ => false,
        })
        .filter_map(|e| w.nominal_ms(*e))
        .min()
        .unwrap_or(u64::MAX);
    let reach = w.now_ms.max(first_other).saturating_add(slack);
    for t in &w.timers {
        let e = Event::Fire(t.id);
        if super::slice::may_fire(w, t)
            && t.at_ms <= w.config.horizon_ms
            && t.at_ms <= reach
            && !out[..listed].contains(&e)
        {
            out.push(e);
        }
    }
}

/// Whether nothing in `out` but faults and ghosts' starts, with no node paused: the
/// run may end here (a ghost's start keeps none going).
pub(super) fn only_ghosts(w: &World, readers: &[NodeId], out: &[Event]) -> bool {
    w.status.iter().all(|(_, s)| *s != NodeStatus::Paused)
        && out.iter().all(|e| match e {
            Event::Fault(_) => true,
            Event::Start(c) => readers.contains(c),
            _ => false,
        })
}

/// The slack of the ghost slice: the sum, over every request of every reader, of
/// the delays of a cache-aside read that misses (the request and its answer, the
/// cache's get and set and their answers, the database's read and its row), plus
/// one client's hop per crash the story may place (a crash closes the reader's
/// connection: that close is one more message to it).
pub fn slack_ms(inner_start: &World, readers: &[NodeId], story_crashes: u64) -> u64 {
    let l = &inner_start.config.latency;
    let read = 2 * l.client_ms + 4 * l.cache_ms + 2 * l.db_read_ms;
    let requests: u64 = inner_start
        .clients
        .iter()
        .filter(|c| readers.contains(&c.id))
        .map(|c| c.requests.iter().filter(|r| r.op == Op::Read).count() as u64)
        .sum();
    requests * read + story_crashes * l.client_ms
}
