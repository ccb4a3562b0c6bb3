//! A crashed node's connections close (`Payload::Closed`, review session 14, X14 and
//! X15): the database rolls back the open transaction of a client whose connection
//! closed, as Postgres and InnoDB do; a service that tracks its reads through a cache
//! node (Redis's client tracking) flushes its near cache when that node's connection
//! closes. The close is a message: it follows what was sent before it on its
//! connection, and it cannot be lost (a crashed process's kernel sends the FIN, and TCP
//! retransmits it: session 19), only delayed.
mod common;
use cachescope::sim::ids::{Key, MsgId, Version};
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, Invariant, NodeId, Run};

use common::at;

fn ending(run: &Run) -> String {
    run.scenario.epilogue(run.world(), &run.fixes)
}

/// The close on its way from `from` to `to`.
fn close(run: &Run, from: &str, to: &str) -> MsgId {
    common::close_on_its_way(
        run,
        NodeId::parse(from).unwrap(),
        NodeId::parse(to).unwrap(),
    )
}

/// The reviewer's run (search, faults 1): the service crashes after its set inside the
/// transaction. The database rolls the transaction back when the close arrives, and
/// the step says so, naming Postgres and InnoDB; only then does the ending speak of
/// the rollback.
#[test]
fn a_crashed_clients_transaction_is_rolled_back_when_its_connection_closes() {
    let mut run = at("scenario=rollback-after-cache-write&run=1.AAAAABC&step=9");
    let db = run.world().db();
    assert_eq!(db.txns.len(), 1, "still open at step 9");
    let closing = close(&run, "service", "db");
    assert!(ending(&run)
        .contains("which is still open: the crashed service's connection close is on its way"));
    run.truncate_future();
    run.fire(Event::Deliver(closing))
        .expect("the close arrives");
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(
            "service's connection closes: service crashed, and its operating system closed the socket. The \
             database ends the session and rolls back its open transaction, as Postgres does (\"unexpected EOF on \
             client connection with an open transaction\") and as MySQL's InnoDB does when a client disconnects: \
             writer's v2 of user:1 is discarded; no reader saw it in the database, but the cache already holds it. \
             Its row lock is released."
        ),
        "{said}"
    );
    let db = run.world().db();
    assert!(db.txns.is_empty() && db.lock_waits.is_empty());
    assert_eq!(db.rows.get(&Key(1)), Some(&Version(1)));
    assert!(
        db.rolled_back.contains(&(Key(1), Version(2))),
        "v2 is never given again"
    );
    assert!(db.outbox.is_empty(), "nothing committed, so no outbox row");
    run.run_to_end();
    let text = ending(&run);
    assert!(
        text.contains("the rollback could not take it back"),
        "{text}"
    );
}

/// A crashed process's close cannot be lost (session 19, F6: its kernel sends the FIN
/// and TCP retransmits it; only a host that vanishes, which this model does not place,
/// leaves the session open). Replaces session 14's lost-close test, which dropped it and
/// left the transaction open for ever: `drop` is not offered on a close, `delay` is, and
/// the transaction stays open only until the close arrives.
#[test]
fn a_close_cannot_be_lost_and_the_transaction_is_rolled_back_when_it_arrives() {
    let mut run = at("scenario=rollback-after-cache-write&run=1.AAAAABC&step=7");
    run.truncate_future();
    let closing = close(&run, "service", "db");
    let faults = run.world().faults();
    assert!(!faults.contains(&Event::Fault(Fault::Drop(closing))));
    assert!(faults.contains(&Event::Fault(Fault::Delay(closing))));
    assert!(run.fire(Event::Fault(Fault::Drop(closing))).is_err());
    run.fire(Event::Fault(Fault::Delay(closing)))
        .expect("the close can be delayed");
    assert_eq!(
        run.world().db().txns.len(),
        1,
        "open until the close arrives"
    );
    run.run_to_end();
    assert!(run.world().db().txns.is_empty(), "{}", run.trace());
    let text = ending(&run);
    assert!(!text.contains("nothing in this run ends it"), "{text}");
}

/// A close follows what was sent before it on its connection (TCP delivers the FIN
/// after the data): a COMMIT on its way when the service crashed still commits, and the
/// close then finds nothing to roll back.
#[test]
fn a_close_comes_after_the_commit_sent_before_it() {
    let mut run = common::start("rollback-after-cache-write", &[]);
    let commit = common::step_until_sent(&mut run, |p| matches!(p, Payload::TxCommit { .. }));
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .expect("the service can crash");
    let closing = close(&run, "service", "db");
    assert!(!run.world().enabled().contains(&Event::Deliver(closing)));
    assert!(run.world().clone().step(Event::Deliver(closing)).is_err());
    run.fire(Event::Deliver(commit))
        .expect("the COMMIT arrives");
    assert_eq!(run.world().db().rows.get(&Key(1)), Some(&Version(2)));
    assert!(run.world().enabled().contains(&Event::Deliver(closing)));
    run.fire(Event::Deliver(closing)).expect("then the close");
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains("no transaction of service's is open in it (it committed, rolled back, or never began here)"),
        "{said}"
    );
}

/// X15: the close reaches service-2 (it cannot be lost, session 19: this replaces
/// session 14's test that dropped it and kept the near copy): service-2 flushes its
/// near cache, and no later read of its is answered from the old near copy.
#[test]
fn the_close_reaches_service_2_and_it_flushes_its_near_copy() {
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=12");
    run.truncate_future();
    let cache = NodeId::parse("cache").unwrap();
    run.fire(Event::Fault(Fault::Crash(cache)))
        .expect("the cache can crash");
    let crash = &run.records().last().unwrap().narration;
    assert!(
        crash.contains(
            "Its operating system closes its connections: service and service-2, which track their reads through \
             it (client tracking), will each see its connection close."
        ),
        "{crash}"
    );
    let closing = close(&run, "cache", "service-2");
    assert!(run.fire(Event::Fault(Fault::Drop(closing))).is_err());
    run.fire(Event::Deliver(closing))
        .expect("the close arrives");
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains("service-2 flushes its whole near cache (1 copy)"),
        "{said}"
    );
    run.run_to_end();
    assert!(
        run.records()[12..].iter().all(|r| !r
            .narration
            .contains("service-2 finds user:1 = v1 in its own near cache")),
        "{}",
        run.trace()
    );
}

/// A service with near copies and no tracking is told nothing by a cache node's
/// crash: only a tracking client's connection carries invalidations.
#[test]
fn without_tracking_a_cache_crash_closes_nothing_that_flushes() {
    let mut run = at("scenario=near-cache-stale&step=12");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::parse("cache").unwrap())))
        .expect("the cache can crash");
    assert!(!run.world().net.iter().any(|m| m.payload == Payload::Closed));
}

/// The messages in flight to `node`.
fn inbound(run: &Run, node: NodeId) -> Vec<MsgId> {
    run.world()
        .net
        .iter()
        .filter(|m| m.to == node)
        .map(|m| m.id)
        .collect()
}

/// Whether a step after `from` delivered message `id` to its node.
fn delivered_after(run: &Run, from: usize, id: MsgId) -> bool {
    run.records()[from..]
        .iter()
        .any(|r| r.event == Event::Deliver(id) && !r.outcome.starts_with("lost"))
}

/// Review session 16, F4, run A: the cache node crashes with service's delete on its
/// way to it (on a connection the crash closed), and restarts. The delete is lost with
/// the crashed node's socket: the restarted node never carries it out. The crash says
/// so, and so does the restart, where it is still in flight.
#[test]
fn a_delete_sent_before_the_cache_crashed_is_not_carried_out_after_its_restart() {
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=13");
    run.truncate_future();
    let cache = NodeId::parse("cache").unwrap();
    let before = inbound(&run, cache);
    assert_eq!(before.len(), 1, "service's delete is on its way");
    let del = before[0];
    run.fire(Event::Fault(Fault::Crash(cache))).unwrap();
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(&format!(
            "Messages sent to it now are lost. The message on its way to it, {del} (del user:1 from service), \
             will never reach it: its socket died with it, so the message is lost when it arrives, or at the \
             restart if it is still on its way then."
        )),
        "{said}"
    );
    run.fire(Event::Fault(Fault::Restart(cache))).unwrap();
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(&format!(
            "The message still on its way to it, {del} (del user:1 from service), is lost: cache's sockets \
             died with its crash, and a restarted process starts with none"
        )),
        "{said}"
    );
    assert!(
        inbound(&run, cache).is_empty(),
        "a restarted node has no old connection"
    );
    let restarted = run.cursor();
    run.run_to_end();
    assert!(!delivered_after(&run, restarted, del));
    assert!(
        run.records()[restarted..]
            .iter()
            .all(|r| !r.narration.contains("The cache deletes user:1")),
        "{}",
        run.trace()
    );
    // The delete is gone, but the crash's close reached service-2, which flushed its
    // near copy (before session 19 the test dropped that close, and the copy stayed
    // stale): every copy ends at v2.
    let text = ending(&run);
    assert!(
        text.contains("Every cached copy of user:1 (service-2's near cache, the cache) and the database hold v2"),
        "{text}"
    );
}

/// F4, run B (F1's link): the cache node crashes with service-2's set on its way, and
/// restarts. The restarted node never stores it, so it never tracks service-2's read
/// of v1, and no invalidation is pushed.
#[test]
fn a_set_sent_before_the_cache_crashed_is_not_stored_after_its_restart() {
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=6");
    run.truncate_future();
    let cache = NodeId::parse("cache").unwrap();
    let set = inbound(&run, cache);
    assert_eq!(set.len(), 1, "service-2's set is on its way");
    let set = set[0];
    run.fire(Event::Fault(Fault::Crash(cache))).unwrap();
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(&format!(
            "its memory is gone: it held nothing. Messages sent to it now are lost. The message on its way to \
             it, {set} (set user:1=v1 from service-2), will never reach it: its socket died with it, so the \
             message is lost when it arrives, or at the restart if it is still on its way then."
        )),
        "{said}"
    );
    run.fire(Event::Fault(Fault::Restart(cache))).unwrap();
    let restarted = run.cursor();
    run.run_to_end();
    assert!(!delivered_after(&run, restarted, set));
    // service-2's pending SET failed on the close (session 19, F6: it answered the
    // reader v1 and kept no near copy); before, it hung for ever and nothing was set
    // after the restart. The only set the restarted node stores is a later read's of
    // v2, and only that read is tracked.
    let stored: Vec<String> = run.records()[restarted..]
        .iter()
        .map(ToString::to_string)
        .filter(|r| r.contains("=> stored"))
        .collect();
    assert!(
        stored.iter().all(|r| r.contains("set user:1=v2")),
        "{stored:?}"
    );
    for r in &run.records()[restarted..] {
        assert!(!r.to_string().contains("invalidate"), "{r}");
    }
    let w = run.world();
    assert!(w.cache().entries.values().all(|e| e.version == Version(2)));
    assert!(
        run.records().iter().any(|r| r
            .narration
            .contains("service-2 answers reader with v1, the value it read.")),
        "{}",
        run.trace()
    );
}

/// A durable bus still redelivers what a crashed consumer lost: the delivery on its way
/// when the consumer crashed is lost with it (and at its restart), and the consumer's
/// subscribe after the restart resumes from the committed offset, so the event comes
/// again and is handled.
#[test]
fn a_delivery_lost_with_a_crashed_consumer_comes_again_from_a_durable_log() {
    let mut run = common::start("event-loss", &["durable-bus"]);
    let delivery = common::step_until_sent(&mut run, |p| matches!(p, Payload::Deliver { .. }));
    run.truncate_future();
    let consumer = NodeId::CONSUMER;
    run.fire(Event::Fault(Fault::Crash(consumer))).unwrap();
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(&format!("The message on its way to it, {delivery} (")),
        "{said}"
    );
    run.fire(Event::Fault(Fault::Restart(consumer))).unwrap();
    assert!(!run.world().net.iter().any(|m| m.id == delivery));
    let restarted = run.cursor();
    run.run_to_end();
    assert!(!delivered_after(&run, restarted, delivery));
    let resumed = run.records()[restarted..]
        .iter()
        .position(|r| r.narration.contains("committed offset"))
        .expect("the bus resumes the group from its committed offset");
    assert!(
        run.records()[restarted + resumed..]
            .iter()
            .any(|r| r.to_string().contains("=> received")),
        "{}",
        run.trace()
    );
    assert!(
        Invariant::NoLostEvent.check(run.world()).is_ok(),
        "{}",
        run.trace()
    );
}
