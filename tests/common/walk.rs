//! A random walk around one log reader (a read replica, the invalidator), shared by
//! tests/replica.rs and tests/invalidator.rs: now and then it crashes, restarts,
//! pauses or resumes the reader, cuts or heals the link of its stream, or delays a
//! change on it; a downed, paused or cut-off reader is brought back before the end, so
//! every run can finish.
use cachescope::sim::partition::Link;
use cachescope::sim::rng::Rng;
use cachescope::sim::world::{Event, World};
use cachescope::sim::{Fault, NodeId, NodeStatus};

/// At most this many delays in a walk, so the stream still arrives before the horizon.
const MAX_DELAYS: u32 = 3;

/// The walk's next event for `reader` in `w`, or `None` when the run has ended with the
/// reader up. `delays` counts the delays placed so far.
pub fn next_event(w: &World, rng: &mut Rng, reader: NodeId, delays: &mut u32) -> Option<Event> {
    let enabled = w.enabled();
    let status = w.status_of(reader);
    let link = Link::between(NodeId::DB, reader);
    let cut = w.cuts.contains(&link);
    let r = rng.below(20);
    let fault = match (status, r) {
        // The partition cuts its stream's link; it heals before the end.
        _ if cut && r <= 9 => Some(Fault::HealLink(link)),
        (NodeStatus::Up, 0) => Some(Fault::Crash(reader)),
        (NodeStatus::Up, 1) => Some(Fault::Pause(reader)),
        (NodeStatus::Up, 3) if !cut => Some(Fault::PartitionLink(link)),
        (NodeStatus::Down, 0..=9) => Some(Fault::Restart(reader)),
        (NodeStatus::Paused, 0..=9) => Some(Fault::Resume(reader)),
        (_, 2) if *delays < MAX_DELAYS => {
            *delays += 1;
            w.net
                .iter()
                .find(|m| m.to == reader)
                .map(|m| Fault::Delay(m.id))
        }
        _ => None,
    };
    match (fault, enabled.is_empty()) {
        (Some(f), _) => Some(Event::Fault(f)),
        (None, false) => Some(enabled[rng.below(enabled.len() as u64) as usize]),
        (None, true) if cut => Some(Event::Fault(Fault::HealLink(link))),
        (None, true) => match status {
            NodeStatus::Down => Some(Event::Fault(Fault::Restart(reader))),
            NodeStatus::Paused => Some(Event::Fault(Fault::Resume(reader))),
            NodeStatus::Up | NodeStatus::Partitioned => None,
        },
    }
}
