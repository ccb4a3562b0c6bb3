//! Review 20b, F8: a client whose server crashes reads its connection reset (the
//! crashed process's kernel closes its sockets), and its request fails; it cannot tell
//! whether a write it sent committed. Before, it waited for ever ("The run ends with
//! writer still waiting for an answer: its request was lost to service's crash"). The
//! close is a message after what the crashed node sent before it on that connection
//! (N5: an answer already on its way arrives first, and then nothing fails).
mod common;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, NodeId, Run};

fn ending(run: &Run) -> String {
    run.scenario.epilogue(run.world(), &run.fixes)
}

fn last(run: &Run) -> &str {
    &run.records().last().unwrap().narration
}

/// The close on its way from `from` to `to`.
fn close(run: &Run, from: NodeId, to: NodeId) -> cachescope::sim::ids::MsgId {
    common::close_on_its_way(run, from, to)
}

/// dual-write-crash's own story: the service crashes after the commit, with the
/// commit's answer on its way. The writer reads its connection reset: its write fails,
/// it cannot tell that it committed, and the page says it did. Nobody waits at the end.
#[test]
fn dual_write_crash_fails_the_writers_request_with_a_connection_reset() {
    let run = common::run("dual-write-crash", &[]);
    let crash = common::said_at(&run, "crash service");
    assert!(
        crash.contains(
            "its 1 open request is gone: 1 write; what it had still to send never happens: 1 publish of its event."
        ),
        "{crash}"
    );
    assert!(
        crash.contains(
            "Its operating system closes its connections: writer, whose request waits on it, will read its \
             connection reset, and that request fails"
        ),
        "{crash}"
    );
    let reset = run
        .records()
        .iter()
        .find(|r| {
            r.to_string()
                .contains("service->writer: connection closed => write failed: conn reset")
        })
        .unwrap_or_else(|| panic!("{}", run.trace()));
    assert!(
        reset.narration.contains(
            "writer reads its connection to service close: service crashed, and its kernel reset the socket"
        ) && reset.narration.contains(
            "Its write of user:1 fails with a connection reset, and writer cannot tell whether it committed: it \
             did, v2 committed at 36 ms."
        ),
        "{}",
        reset.narration
    );
    let writer = run
        .world()
        .clients
        .iter()
        .find(|c| c.id == NodeId::parse("writer").unwrap())
        .unwrap();
    assert_eq!(writer.busy, None);
    assert_eq!(writer.last_answer, Some(Payload::Closed));
    assert_eq!(run.stuck_note(), None);
    let text = ending(&run);
    assert!(
        text.starts_with("The request of writer failed with a connection reset. "),
        "{text}"
    );
    assert!(
        text.contains(
            "The writer was never told its write succeeded, yet it did: its connection to service was reset, \
             so it cannot tell whether its write committed."
        ),
        "{text}"
    );
    // Not acknowledged: read-your-writes has nothing to hold it to.
    assert!(run.world().books.acked.is_empty());
}

/// A write whose statement is still on its way to the database when the client reads
/// the reset: it has not committed yet, and may (the page says which message).
#[test]
fn a_reset_before_the_commit_names_the_update_still_on_its_way() {
    let mut run = common::start("dual-write-crash", &[]);
    let update = common::step_until_sent(&mut run, |p| matches!(p, Payload::DbWrite { .. }));
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .unwrap();
    let writer = NodeId::parse("writer").unwrap();
    let closing = close(&run, NodeId::SERVICE, writer);
    run.fire(Event::Deliver(closing))
        .expect("the close arrives first");
    assert!(
        last(&run).contains(&format!(
            "writer cannot tell whether it committed: nothing of it has committed yet, and {update} (update user:1) \
             is still on its way to db."
        )),
        "{}",
        last(&run)
    );
}

/// N5: the service crashes with its answer to the reader already on its way. The crash
/// says the answer arrives before the close; the reader gets v1, then reads the close
/// on a connection where it waits for nothing: nothing fails.
#[test]
fn an_answer_on_its_way_arrives_before_the_close_and_nothing_fails() {
    let mut run = common::start("dual-write-crash", &[]);
    let answer = common::step_until_sent(&mut run, |p| matches!(p, Payload::ReadOk { .. }));
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .unwrap();
    assert!(
        last(&run).contains(
            "Its operating system closes its connections: the answer reader waited for on its connection is \
             already on its way, sent before the crash, and arrives before the close."
        ),
        "{}",
        last(&run)
    );
    assert!(!last(&run).contains("that request fails"), "{}", last(&run));
    let reader = NodeId::parse("reader").unwrap();
    let closing = close(&run, NodeId::SERVICE, reader);
    assert!(
        run.world().clone().step(Event::Deliver(closing)).is_err(),
        "the close waits"
    );
    run.fire(Event::Deliver(answer)).unwrap();
    run.fire(Event::Deliver(closing)).unwrap();
    assert!(
        last(&run).contains("reader waits for nothing on it"),
        "{}",
        last(&run)
    );
    let c = run.world().clients.iter().find(|c| c.id == reader).unwrap();
    assert!(matches!(c.last_answer, Some(Payload::ReadOk { .. })));
}

/// N5, a service waiting on a crashed cache: the cache's answer is on its way when it
/// crashes, so the crash does not say the request will fail, and the close then finds
/// nothing pending ("nothing fails").
#[test]
fn a_cache_answer_on_its_way_arrives_before_its_close() {
    let mut run = common::start("dual-write-crash", &[]);
    let miss = common::step_until_sent(&mut run, |p| matches!(p, Payload::GetReply { .. }));
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    assert!(
        last(&run)
            .contains("the answer service waited for on its connection is already on its way"),
        "{}",
        last(&run)
    );
    assert!(
        !last(&run).contains("has a request waiting on it"),
        "{}",
        last(&run)
    );
    let closing = close(&run, NodeId::CACHE, NodeId::SERVICE);
    run.fire(Event::Deliver(miss)).unwrap();
    run.fire(Event::Deliver(closing)).unwrap();
    assert!(last(&run).contains("nothing fails"), "{}", last(&run));
}

/// A request sent to a service that is down: its host refuses the connection, and the
/// client reads it as a reset: the request fails, and the client goes on with its
/// script.
#[test]
fn a_request_to_a_down_service_fails_and_the_client_goes_on() {
    let mut run = common::start("dual-write-crash", &[]);
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .unwrap();
    run.run_to_end();
    let trace = run.trace();
    assert!(
        trace.contains("service->reader: connection closed => read failed: conn reset"),
        "{trace}"
    );
    assert!(
        trace.contains("service->writer: connection closed => write failed: conn reset"),
        "{trace}"
    );
    assert!(
        run.records().iter().any(|r| r.narration.contains(
            "Its write of user:1 fails with a connection reset, and writer cannot tell whether it committed: \
             nothing of it committed."
        )),
        "{trace}"
    );
    assert_eq!(run.stuck_note(), None, "{trace}");
    assert!(run
        .world()
        .clients
        .iter()
        .all(|c| c.busy.is_none() && c.next == c.requests.len()));
}

/// A CDN edge forwarding a read to its origin when the origin crashes: the edge reads
/// the close and answers its client with an error (a CDN's 502), so the client does not
/// wait for ever.
#[test]
fn an_edge_fails_what_it_forwards_when_its_origin_crashes() {
    let mut run = common::start("cdn-purge-race", &[]);
    let cdn = NodeId::Cdn;
    while !run
        .world()
        .net
        .iter()
        .any(|m| m.from == cdn && matches!(m.to, NodeId::Service(_)))
    {
        assert!(run.forward(), "{}", run.trace());
    }
    run.truncate_future();
    let origin = run.world().nodes.cdn(cdn).unwrap().settings.origin;
    let client = run.world().nodes.cdn(cdn).unwrap().forwarded[0].client;
    run.fire(Event::Fault(Fault::Crash(origin))).unwrap();
    let closing = close(&run, origin, cdn);
    run.fire(Event::Deliver(closing)).unwrap();
    assert!(
        last(&run).contains(
            "The 1 request it was forwarding fails: its client is answered with an error"
        ),
        "{}",
        last(&run)
    );
    assert!(run.world().nodes.cdn(cdn).unwrap().forwarded.is_empty());
    let failed = run
        .world()
        .net
        .iter()
        .find(|m| m.from == cdn && m.to == client)
        .map(|m| m.id)
        .expect("the error on its way to the client");
    run.fire(Event::Deliver(failed)).unwrap();
    assert!(last(&run).contains("failed"), "{}", last(&run));
    let c = run.world().clients.iter().find(|c| c.id == client).unwrap();
    assert_eq!(c.busy, None);
}

/// The edge itself crashes with a client's request in it: the client reads its
/// connection to the edge reset, and its request fails.
#[test]
fn a_crashed_edge_resets_its_clients_connections() {
    let mut run = common::start("cdn-purge-race", &[]);
    let cdn = NodeId::Cdn;
    while run.world().nodes.cdn(cdn).unwrap().forwarded.is_empty() {
        assert!(run.forward(), "{}", run.trace());
    }
    run.truncate_future();
    let client = run.world().nodes.cdn(cdn).unwrap().forwarded[0].client;
    run.fire(Event::Fault(Fault::Crash(cdn))).unwrap();
    assert!(
        last(&run).contains(&format!("{client}, whose request waits on it")),
        "{}",
        last(&run)
    );
    let closing = close(&run, cdn, client);
    run.fire(Event::Deliver(closing)).unwrap();
    assert!(
        last(&run).contains(&format!("{client} reads its connection to cdn close")),
        "{}",
        last(&run)
    );
    assert!(run
        .world()
        .clients
        .iter()
        .find(|c| c.id == client)
        .unwrap()
        .busy
        .is_none());
}

/// N6: a cache crash while service-2's SET is pending, with client tracking: the
/// close flushes its near cache and fails the SET, and the step tells the close once.
#[test]
fn a_close_that_flushes_and_fails_a_set_is_told_once() {
    let mut run = common::at("scenario=near-cache-stale&fix=client-tracking&step=6");
    run.truncate_future();
    let cache = NodeId::CACHE;
    run.fire(Event::Fault(Fault::Crash(cache))).unwrap();
    let s2 = NodeId::parse("service-2").unwrap();
    let closing = close(&run, cache, s2);
    run.fire(Event::Deliver(closing)).unwrap();
    let r = run.records().last().unwrap();
    assert!(
        r.to_string()
            .contains("nothing to flush; set failed: answer v1"),
        "{r}"
    );
    assert_eq!(r.narration.matches("crashed").count(), 1, "{}", r.narration);
    assert!(
        r.narration.contains(
            "reader's request had a command pending on that connection. A Redis client fails the commands \
             pending on a connection that closes: its SET of user:1 = v1 fails"
        ),
        "{}",
        r.narration
    );
}

/// A batch job's write straight to the database, which crashes before it arrives: the
/// database's host refuses it, and the job reads the reset: its write fails, and
/// nothing of it committed.
#[test]
fn a_direct_write_to_a_crashed_database_fails_with_a_reset() {
    let mut run = common::start("ttl-expiry", &[]);
    let write = common::step_until_sent(&mut run, |p| matches!(p, Payload::DbWrite { .. }));
    run.truncate_future();
    let from = run.world().net.iter().find(|m| m.id == write).unwrap().from;
    assert!(from.is_client(), "a batch job's write");
    run.fire(Event::Fault(Fault::Crash(NodeId::DB))).unwrap();
    assert!(
        last(&run).contains(&format!(
            "{from}, whose request waits on it, will read its connection reset"
        )),
        "{}",
        last(&run)
    );
    run.fire(Event::Deliver(write)).unwrap();
    let closing = close(&run, NodeId::DB, from);
    run.fire(Event::Deliver(closing)).unwrap();
    assert!(
        last(&run).contains("fails with a connection reset")
            && last(&run).contains("nothing of it committed"),
        "{}",
        last(&run)
    );
}
