//! A crashed node's connections close (`Payload::Closed`, review session 14, X14 and
//! X15): the database rolls back the open transaction of a client whose connection
//! closed, as Postgres and InnoDB do; a service that tracks its reads through a cache
//! node (Redis's client tracking) flushes its near cache when that node's connection
//! closes. The close is a message: it follows what was sent before it on its
//! connection, and a `drop` loses it, and then nothing ends the session.
mod common;
use cachescope::sim::ids::{Key, MsgId, Version};
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, NodeId, Run};

use common::at;

fn ending(run: &Run) -> String {
    run.scenario.epilogue(run.world(), &run.fixes)
}

/// The close on its way from `from` to `to`.
fn close(run: &Run, from: &str, to: &str) -> MsgId {
    let (from, to) = (NodeId::parse(from).unwrap(), NodeId::parse(to).unwrap());
    run.world()
        .net
        .iter()
        .find(|m| m.from == from && m.to == to && m.payload == Payload::Closed)
        .map(|m| m.id)
        .unwrap_or_else(|| panic!("no close on its way from {from} to {to}"))
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

/// The close is lost (a host that vanished without a FIN): the database keeps the
/// session and the transaction, and the words say so; the ending speaks of no rollback.
#[test]
fn a_lost_close_leaves_the_transaction_open_and_says_so() {
    let mut run = at("scenario=rollback-after-cache-write&run=1.AAAAABC&step=7");
    run.truncate_future();
    let closing = close(&run, "service", "db");
    run.fire(Event::Fault(Fault::Drop(closing)))
        .expect("the close can be lost");
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(
            "db never learns that service's connection closed, as when a host vanishes without a FIN (a power \
             loss, a cut link): it keeps the session, and writer's transaction open in it: v2 of user:1 stays \
             uncommitted and its row lock held. Nothing in this run ends it"
        ),
        "{said}"
    );
    run.run_to_end();
    assert_eq!(run.world().db().txns.len(), 1, "still open at the end");
    let text = ending(&run);
    assert!(!text.contains("rollback could not"), "{text}");
    assert!(
        text.contains("The set was sent inside the transaction, which is still open, and nothing in this run ends it"),
        "{text}"
    );
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

/// X15 with the close to service-2 lost: it keeps its near copy, and its near hit
/// says no invalidation will come and that no close reached it.
#[test]
fn a_lost_close_leaves_the_near_copy_and_says_so() {
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
    run.fire(Event::Fault(Fault::Drop(closing)))
        .expect("the close can be lost");
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains("service-2 never learns that cache's connection closed")
            && said.contains("so it keeps its near cache (1 copy)"),
        "{said}"
    );
    run.run_to_end();
    let hit = run.records()[12..]
        .iter()
        .find(|r| {
            r.narration
                .contains("service-2 finds user:1 = v1 in its own near cache")
        })
        .expect("service-2 hits its near copy");
    let said = &hit.narration;
    assert!(!said.contains("invalidation reaches service-2"), "{said}");
    assert!(
        said.contains("no invalidation will come")
            && said.contains("no close has reached it since it kept this copy"),
        "{said}"
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
