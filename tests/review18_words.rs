//! Review 17b's findings left open at session 17's end (2b-4, 2b-6, 2b-7) and what
//! session 18's audit of crashes and restarts found (`examples/crash_audit.rs`), each
//! at its reproduction: the page link, the fault at step N+1, then the run to its end;
//! each sentence checked against the state it tells of.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, Key, NodeStatus, Run};

use review::{crash_steps_restart, ending, faulted, node, step};

/// The message the run's step `n` (1-based) sent whose payload `pick` chooses: it was
/// not in flight before that step, and was after it.
fn sent_at(run: &Run, n: usize, pick: impl Fn(&Payload) -> bool) -> cachescope::sim::ids::MsgId {
    let before = run.state(n - 1).unwrap();
    let after = run.state(n).unwrap();
    let m = after
        .net
        .iter()
        .find(|m| pick(&m.payload))
        .expect("the message in flight after the step");
    assert!(before.net.iter().all(|b| b.id != m.id));
    m.id
}

/// 2b-7: stale-set-race, the service crashes at step 9 with both requests open, and the
/// run ends at 11 with the service down. The note said "no restart coming" while the
/// page offered a restart, and after that restart (12) it gave another reason for the
/// same wait. The reason is the same at both ends now, and the down service is a fact
/// of the end, not a promise about the run.
///
/// Since review 20b (F8) nobody waits: the reader and the writer read their connections
/// reset (two steps more), their requests fail, and no note is said, before the restart
/// or after it; the ending is the same at both ends.
#[test]
fn r18_2b7_the_wait_has_one_reason_before_and_after_a_restart_past_the_end() {
    let service = node("service");
    let mut run = faulted("scenario=stale-set-race&step=8", Fault::Crash(service));
    assert_eq!(run.cursor(), 13, "{}", run.trace());
    assert!(run.at_end());
    assert_eq!(run.world().status_of(service), NodeStatus::Down);
    let restart = Event::Fault(Fault::Restart(service));
    assert!(run.world().faults().contains(&restart));
    assert!(run.world().clients.iter().all(|c| c.busy.is_none()));
    assert_eq!(run.stuck_note(), None);
    let first = ending(&run);
    assert!(!first.starts_with("Done."), "{first}");
    run.fire(restart).unwrap();
    run.run_to_end();
    assert_eq!(run.cursor(), 14);
    assert_eq!(run.stuck_note(), None);
    assert_eq!(ending(&run), first);
}

/// 2b-7, the other side, since session 19 (F6): the reader whose query waited on the
/// crashed replica no longer waits for ever (so no note says the replica is down): the
/// replica's host refuses the query, the Postgres client fails it, and the reader is
/// told its read failed. A restart still lets the replica stream again. (Before, the
/// reader waited, and the test checked that the note said "down and has not
/// restarted", not "with no restart coming".)
#[test]
fn r18_2b7_a_read_from_a_down_replica_fails_and_a_restart_streams_again() {
    let replica = node("replica");
    let mut run = faulted("scenario=replica-lag-refill&step=4", Fault::Crash(replica));
    assert_eq!(run.stuck_note(), None, "{}", run.trace());
    let words: Vec<&str> = run.records().iter().map(|r| r.narration.as_str()).collect();
    assert!(
        words.iter().any(|w| w.contains(
            "replica's host refuses the connection (nothing listens there now): service, whose request waits on \
             replica, will see it close, and that request fails."
        )),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .any(|w| w.contains("reader is told its read of user:1 failed")),
        "{words:?}"
    );
    let end = run.cursor();
    run.fire(Event::Fault(Fault::Restart(replica))).unwrap();
    run.run_to_end();
    assert!(run.cursor() > end + 1, "{}", run.trace());
    assert!(run.records()[end..]
        .iter()
        .any(|r| r.narration.starts_with("replica applies position 2")));
}

/// 2b-4: cdn-purge-race with double-purge, the service crashes at step 13: the reader's
/// v1 came before the first purge, so it is no evidence that "reads between the two
/// purges can still get v1". The ending says what the reader got as a fact of the run.
#[test]
fn r18_2b4_the_double_purge_ending_offers_no_read_as_evidence() {
    let run = faulted(
        "scenario=cdn-purge-race&fix=double-purge&step=12",
        Fault::Crash(node("service")),
    );
    let text = ending(&run);
    assert!(
        text.contains("The second purge, 100 ms after the first"),
        "{text}"
    );
    assert!(!text.contains("(the reader"), "{text}");
    // Since review 20b (F8) the reader's second read, which the edge was forwarding to
    // the crashed origin, fails (the edge's 502) instead of waiting for ever.
    assert!(
        text.starts_with(
            "No cache holds user:1; the database has v2, and the reader's last read failed"
        ),
        "{text}"
    );
    let reader = run.world().clients.iter().find(|c| c.id == node("reader"));
    assert!(matches!(
        reader.and_then(|c| c.last_answer),
        Some(Payload::ReadFailed { .. })
    ));
}

/// 2b-6: a message sent to a node while it was down is not lost to "its sockets": they
/// died before it was sent. rollback-after-cache-write, the cache crashes at step 4 and
/// the service's set (m4) is sent at 5; dual-write-crash, the service crashes at 3 and
/// the cache's miss (m4, after the reader's close, m3: review 20b, F8) is sent at 5,
/// after the close's delivery. Each restart (the step after) loses it.
#[test]
fn r18_2b6_a_message_sent_while_its_node_was_down_did_not_die_with_its_sockets() {
    for (query, id, k, pick, said) in [
        (
            "scenario=rollback-after-cache-write&step=3",
            "cache",
            1,
            (|p: &Payload| matches!(p, Payload::Set { .. })) as fn(&Payload) -> bool,
            "The message still on its way to it, m4 (set user:1=v2 from service), is lost: it was sent while \
             cache was down, to a process already dead, and a restarted process starts with no connections \
             (its peers connect anew).",
        ),
        (
            "scenario=dual-write-crash&step=2",
            "service",
            2,
            |p: &Payload| matches!(p, Payload::GetReply { .. }),
            "The message still on its way to it, m4 (miss from cache), is lost: it was sent while service was \
             down, to a process already dead, and a restarted process starts with no connections (its peers \
             connect anew).",
        ),
    ] {
        let run = crash_steps_restart(query, node(id), k);
        let crashed = run.cursor() - 1 - k;
        let m = sent_at(&run, crashed + k, pick);
        assert!(run.state(crashed).unwrap().net.iter().all(|x| x.id != m));
        let restart = step(&run, run.cursor());
        assert!(restart.contains(said), "{query}: {restart}");
        assert!(!restart.contains("sockets died"), "{query}: {restart}");
    }
}

/// 2b-6, both kinds at one restart: stale-set-race with delayed-double-delete, the
/// service crashes at step 10 with the database's row (m7) on its way; the cache's
/// answer to its delete (m12) is sent at 13, while it is down, after its clients'
/// closes (m10, m11: review 20b, F8) are delivered; the restart at 14 tells each by its
/// own cause.
#[test]
fn r18_2b6_a_restart_tells_apart_what_was_sent_before_and_after_the_crash() {
    let run = crash_steps_restart(
        "scenario=stale-set-race&fix=delayed-double-delete&step=9",
        node("service"),
        3,
    );
    assert!(step(&run, 10)
        .contains("The message on its way to it, m7 (row v1 from db), will never reach it"));
    let m12 = sent_at(&run, 13, |p| matches!(p, Payload::DelReply { .. }));
    assert_eq!(m12.to_string(), "m12");
    let restart = step(&run, 14);
    assert!(
        restart.contains(
            "The 2 messages still on their way to it (m7 (row v1 from db), m12 (deleted from cache)) are lost: m7 \
             was on the way before the crash, and service's sockets died with it; m12 was sent while it was \
             down, to a process already dead; a restarted process starts with no connections (its peers \
             connect anew)."
        ),
        "{restart}"
    );
    // Only what was on its way at the crash: its sockets, as before.
    let run = crash_steps_restart("scenario=stale-set-race&step=8", node("service"), 1);
    assert!(
        step(&run, 11).contains(
            "The 2 messages still on their way to it (m7 (row v1 from db), m8 (committed v2 from db)) are lost: \
             service's sockets died with its crash, and a restarted process starts with none (its peers connect \
             anew)."
        ),
        "{}",
        step(&run, 11)
    );
}

/// Audit (session 18): rollback-after-cache-write with transaction-aware-cache, the
/// service crashes at step 4 before it holds any set (the UPDATE's answer is on its
/// way), or the database crashes at 4 and the service's COMMIT is lost: the transaction
/// rolls back without the service hearing it, so the fix's "the set was dropped" is no
/// step of the run.
#[test]
fn r18_a_held_set_is_said_dropped_only_if_the_service_heard_the_rollback() {
    for id in ["service", "db"] {
        let run = faulted(
            "scenario=rollback-after-cache-write&fix=transaction-aware-cache&step=3",
            Fault::Crash(node(id)),
        );
        let w = run.world();
        assert!(!w.books.saw(Happened::HeldDropped(Key(1))), "{id}");
        assert!(w.db().txns.is_empty(), "{id}");
        let text = ending(&run);
        assert!(!text.contains("so the set was dropped"), "{id}: {text}");
        assert!(
            text.contains(
                "The transaction-aware cache writes only after COMMIT, and the write did not commit in this run, so \
                 no set reached the cache"
            ),
            "{id}: {text}"
        );
    }
    let story = review::story("scenario=rollback-after-cache-write&fix=transaction-aware-cache");
    assert!(story.world().books.saw(Happened::HeldDropped(Key(1))));
    assert!(
        ending(&story).contains("so the set was dropped"),
        "{}",
        ending(&story)
    );
}

/// Audit: event-duplicate-reorder, the bus crashes at step 13 and restarts at 15: the
/// redelivered e2 sets v2 after v3 is committed (17), and e3 mends it (24). The ending
/// said nothing of the stale value between "Done." and the lesson (a double space).
#[test]
fn r18_a_stale_value_a_later_event_mended_is_named() {
    let mut run = crash_steps_restart("scenario=event-duplicate-reorder&step=12", node("bus"), 1);
    run.run_to_end();
    assert!(run.world().books.saw(Happened::StaleStored(Key(1))));
    let text = ending(&run);
    assert!(!text.contains("  "), "{text}");
    assert!(
        text.contains("A stale value landed in the cache in this run, and a later step mended it before the end"),
        "{text}"
    );
}

/// Audit: a crash that dooms the messages on their way to the node does not say
/// "nothing is lost" in the same words: what it keeps is not lost, those messages are.
#[test]
fn r18_a_crash_that_dooms_messages_does_not_say_nothing_is_lost() {
    let mut checked = 0;
    for (query, id) in [
        ("scenario=hybrid&step=27", "db"),
        ("scenario=stale-set-race&step=4", "db"),
        ("scenario=outbox&step=9", "bus"),
        ("scenario=cache-aside-read&step=3", "service"),
    ] {
        let run = faulted(query, Fault::Crash(node(id)));
        let n = query.rsplit('=').next().unwrap().parse::<usize>().unwrap() + 1;
        let crash = step(&run, n);
        assert!(
            crash.starts_with(&format!("{id} crashes")),
            "{query}: {crash}"
        );
        assert!(!crash.contains("nothing is lost"), "{query}: {crash}");
        checked += usize::from(crash.contains("will never reach it"));
    }
    assert!(checked > 0);
}

/// Audit, and review 18 (5): write-through, the cache crashes at step 13. Since session
/// 19 (F6) the reader's GET fails on the closed connection and the service reads the
/// database instead, so the reader is answered; the ending says the database served
/// that read and gives write-through no credit for it (it said "every read that was
/// answered hit the cache ... write-through slows writes to keep reads fast and
/// fresh"). With the service crashed at step 15 the reader's request fails with a
/// connection reset (it waited for ever before review 20b, F8): no "Done.", and no
/// credit either.
#[test]
fn r18_a_read_the_cache_did_not_serve_gives_write_through_no_credit() {
    let credit = "keep reads fast and fresh";
    let run = faulted(
        "scenario=write-through&step=12",
        Fault::Crash(node("cache")),
    );
    assert_eq!(run.stuck_note(), None, "{}", run.trace());
    let text = ending(&run);
    assert!(!text.contains("every read"), "{text}");
    assert!(!text.contains(credit), "{text}");
    assert!(
        text.contains("1 read went to the database: a read that finds the cache down")
            && text.contains(
                "The cache crashed in this run, and the database served the reads it did not"
            ),
        "{text}"
    );
    let run = faulted(
        "scenario=write-through&step=14",
        Fault::Crash(node("service")),
    );
    // Since review 20b (F8) the reader's request fails with a connection reset, and
    // it waits no more: no note, and "Done," says the failure.
    assert_eq!(run.stuck_note(), None);
    let text = ending(&run);
    assert!(!text.starts_with("Done."), "{text}");
    assert!(!text.contains(credit), "{text}");
    assert!(
        text.contains("every read that was answered hit the cache"),
        "{text}"
    );
    let story = review::story("scenario=write-through");
    assert!(
        ending(&story).contains("every read hit") && ending(&story).contains(credit),
        "{}",
        ending(&story)
    );
}
