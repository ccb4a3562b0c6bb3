//! Review session 17's model findings (/work/wt/review17.md while it lasts), each at
//! the reviewer's reproduction. F4: a crashed client's connection closes, and Redis
//! drops its tracking state (`CacheNode::on_peer`, `Tracking::forget`).
mod common;
use cachescope::sim::{Event, Fault, NodeId};

use common::at;

/// F4: near-cache-stale + client-tracking, service-2 crashes at step 13 (its near copy
/// of user:1 tracked by the cache node) and restarts two steps later. The crash's words
/// say its connection closed and that Redis forgets it; the cache node's table no longer
/// names it, so the writer's delete pushes nothing to it.
#[test]
fn f4_a_crashed_client_is_not_tracked_any_more() {
    let s2 = NodeId::parse("service-2").unwrap();
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=12");
    run.truncate_future();
    let tracked = |run: &cachescope::sim::Run| {
        run.world()
            .cache()
            .tracking
            .readers
            .iter()
            .any(|(_, r)| r.contains(&s2))
    };
    assert!(
        tracked(&run),
        "service-2's read of user:1 is tracked before"
    );
    run.fire(Event::Fault(Fault::Crash(s2))).unwrap();
    assert!(!tracked(&run));
    let crash = &run.records().last().unwrap().narration;
    assert!(
        crash.contains(
            "Its connection to cache closes with it, and Redis drops a disconnected client's tracking state: no \
             invalidation will be pushed to it"
        ),
        "{crash}"
    );
    assert!(run.forward());
    run.fire(Event::Fault(Fault::Restart(s2))).unwrap();
    run.run_to_end();
    assert!(
        run.world().net.is_empty()
            && run
                .records()
                .iter()
                .all(|r| !r.narration.contains("pushes an invalidation to service-2")),
        "{}",
        run.trace()
    );
}

/// A paused or partitioned client keeps its connection and its tracking: only a crash
/// closes it.
#[test]
fn f4_a_paused_client_stays_tracked() {
    let s2 = NodeId::parse("service-2").unwrap();
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=12");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Pause(s2))).unwrap();
    assert!(run
        .world()
        .cache()
        .tracking
        .readers
        .iter()
        .any(|(_, r)| r.contains(&s2)));
}
