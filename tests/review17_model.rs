//! Review session 17's model findings F4, F5, F6 (/work/wt/review17.md while it lasts)
//! and the orphaned transaction, each at the reviewer's reproduction: a crashed node's
//! connections close, and the peers see it (`fault/crash.rs`, `service/closed.rs`); a
//! crashed client's connection closes, and Redis drops its tracking state
//! (`CacheNode::on_peer`, `Tracking::forget`).
mod common;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, NodeId, Run};

use common::at;

fn node(id: &str) -> NodeId {
    NodeId::parse(id).unwrap()
}

/// The run the link opens, its recorded future dropped, `id` crashed as the next step,
/// `steps` steps on, `id` restarted, and the run stepped to its end.
fn crash_restart(query: &str, id: NodeId, steps: usize) -> Run {
    let mut run = at(query);
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(id))).unwrap();
    for _ in 0..steps {
        assert!(run.forward());
    }
    run.fire(Event::Fault(Fault::Restart(id))).unwrap();
    run.run_to_end();
    run
}

fn all_words(run: &Run) -> String {
    run.records()
        .iter()
        .map(|r| r.narration.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn client(run: &Run, id: &str) -> cachescope::sim::client::Client {
    run.world()
        .clients
        .iter()
        .find(|c| c.id == node(id))
        .cloned()
        .unwrap()
}

/// F6: near-cache-stale + client-tracking, the cache node crashes at step 6 with
/// service-2's SET of the value it read pending, and restarts a step later. The Redis
/// client fails the pending SET; cache-aside ignores it and answers v1: nobody waits
/// for ever.
#[test]
fn f6_a_failed_set_is_ignored_and_the_read_answered() {
    let run = crash_restart(
        "scenario=near-cache-stale&fix=client-tracking&step=6",
        node("cache"),
        1,
    );
    let words = all_words(&run);
    assert!(
        words.contains("A Redis client fails the commands pending on a connection that closes: its SET of user:1 = v1 fails"),
        "{words}"
    );
    assert!(
        words.contains("service-2 answers reader with v1, the value it read."),
        "{words}"
    );
    let reader = client(&run, "reader");
    assert!(reader.busy.is_none());
    assert!(run
        .world()
        .nodes
        .services()
        .all(|(_, s)| s.flows.is_empty()));
    assert_eq!(run.stuck_note(), None);
}

/// F6: dual-write-crash + outbox, the database crashes at step 4 with the reader's
/// query pending, and restarts: the Postgres client's query fails, and the reader is
/// told its read failed (it hung, "loading", for ever).
#[test]
fn f6_a_query_on_a_crashed_database_fails() {
    let run = crash_restart("scenario=dual-write-crash&fix=outbox&step=4", NodeId::DB, 1);
    let words = all_words(&run);
    assert!(
        words.contains("server closed the connection unexpectedly"),
        "{words}"
    );
    assert!(run
        .world()
        .nodes
        .services()
        .all(|(_, s)| s.flows.is_empty()));
    assert!(
        run.world().clients.iter().all(|c| c.busy.is_none()),
        "{words}"
    );
    assert_eq!(run.stuck_note(), None);
}

/// F6: rollback-after-cache-write, the cache node crashes at step 3 and restarts: the
/// writer's cache step inside the transaction fails, is ignored, and COMMIT runs; no
/// transaction stays open holding its row lock.
#[test]
fn f6_a_failed_cache_step_in_a_transaction_goes_on_to_commit() {
    let run = crash_restart(
        "scenario=rollback-after-cache-write&step=3",
        node("cache"),
        1,
    );
    let words = all_words(&run);
    assert!(run.world().db().txns.is_empty(), "{words}");
    assert!(
        run.world().clients.iter().all(|c| c.busy.is_none()),
        "{words}"
    );
    assert_eq!(run.stuck_note(), None);
}

/// F5: rollback-after-cache-write, the database crashes at step 4 (the writer's
/// transaction open, its cache step under way) and restarts: the COMMIT fails on the
/// closed session with a connection error, not "no open transaction".
#[test]
fn f5_a_commit_on_a_closed_session_fails_with_a_connection_error() {
    let run = crash_restart("scenario=rollback-after-cache-write&step=4", NodeId::DB, 1);
    let words = all_words(&run);
    assert!(
        words.contains("the COMMIT fails at once with a connection error (\"server closed the connection unexpectedly\")"),
        "{words}"
    );
    assert!(!words.contains("finds no open transaction"), "{words}");
    assert_eq!(
        client(&run, "writer").last_answer,
        Some(Payload::WriteFailed {
            key: cachescope::sim::Key(1)
        })
    );
}

/// A crashed client's session: the database rolls its open transaction back when the
/// close arrives (TCP delivers a FIN; a process crash does not lose it), so the close
/// cannot be dropped, and `abort` is not offered on that transaction meanwhile.
#[test]
fn a_crashed_clients_transaction_is_rolled_back_at_the_close_and_not_offered_to_abort() {
    let mut run = at("scenario=rollback-after-cache-write&step=4");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .unwrap();
    let w = run.world();
    assert_eq!(w.db().txns.len(), 1, "open until the close arrives");
    let close = w
        .net
        .iter()
        .find(|m| m.payload == Payload::Closed && m.to == NodeId::DB)
        .map(|m| m.id)
        .expect("the close on its way");
    let faults = w.faults();
    assert!(!faults.contains(&Event::Fault(Fault::Abort(node("writer")))));
    assert!(!faults.contains(&Event::Fault(Fault::Drop(close))));
    assert!(faults.contains(&Event::Fault(Fault::Delay(close))));
    run.fire(Event::Deliver(close)).unwrap();
    assert!(run.world().db().txns.is_empty());
    assert!(run
        .records()
        .last()
        .unwrap()
        .narration
        .contains("rolls back its open transaction"));
}

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
    // Review 18 (9): the ending says what dropped service-2's near copy: its crash,
    // and no push (it said "the steps above tell whether the cache node's push or the
    // crash dropped service-2's near copy").
    let text = run.scenario.epilogue(run.world(), &run.fixes);
    assert!(
        text.contains(
            "In this run service-2's near copy went with its crash; no push or flush dropped one."
        ),
        "{text}"
    );
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
