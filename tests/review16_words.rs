//! Review session 16's findings F5 to F11 (/work/wt/review16-F.md while it lasts), each
//! at the reviewer's reproduction: the page link, the fault at step N+1, then the run
//! to its end; each sentence checked against the state it tells of. F3 is in
//! tests/review16_endings.rs.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::bus::EntryState;
use cachescope::sim::{Event, Fault, Key, NodeId};

use common::at;
use review::{crash_step_restart, ending, faulted, node, step, story};

/// F8: the cache crashes right after its delete of user:1: it held nothing then, but
/// it had held the key ("nothing yet" said it never had).
#[test]
fn f8_a_cache_that_just_deleted_its_key_held_nothing_not_nothing_yet() {
    let run = faulted(
        "scenario=near-cache-stale&fix=client-tracking&step=14",
        Fault::Crash(node("cache")),
    );
    assert!(step(&run, 14).contains("The cache deletes user:1 (it held v1)"));
    let crash = step(&run, 15);
    assert!(
        crash.contains("its memory is gone: it held nothing."),
        "{crash}"
    );
    assert!(!crash.contains("nothing yet"), "{crash}");
}

/// F9: the search's run (faults 0) ends with two stale copies, the near copy's TTL at
/// 10063 ms and the shared cache's at 60062 ms; "Its TTL" named only the first.
#[test]
fn f9_two_stale_copies_each_have_their_ttl_named() {
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&run=1.AAAAAABBBBB&step=19");
    run.run_to_end();
    assert_eq!(run.cursor(), 19);
    let w = run.world();
    let ttls: Vec<(String, u64)> = cachescope::sim::books::copies(w)
        .filter(|c| c.entry.version < w.expected(c.key) && c.entry.expires_ms > w.now_ms)
        .map(|c| (c.holder_words(), c.entry.expires_ms))
        .collect();
    assert_eq!(ttls.len(), 2, "{ttls:?}");
    let text = ending(&run);
    assert!(!text.contains("Its TTL"), "{text}");
    for (holder, ms) in &ttls {
        assert!(
            text.contains(&format!("{ms} ms in {holder}")),
            "{holder} {ms}: {text}"
        );
    }
    assert!(
        text.contains("Their TTLs end them at 10063 ms in service-2's near cache and 60062 ms in the cache, after this run's horizon (1000 ms)"),
        "{text}"
    );
}

/// F11: outbox, the consumer's subscription breaks with e2 delivered and not
/// acknowledged (the bus node shows "delivered"); the ending said "undelivered".
#[test]
fn f11_an_event_sent_and_unacknowledged_is_not_called_undelivered() {
    let run = faulted(
        "scenario=outbox&step=18",
        Fault::Disconnect(NodeId::CONSUMER),
    );
    let b = run.world().bus();
    assert_eq!(b.log.len(), 1);
    assert_eq!(b.log[0].state, EntryState::Sent);
    let text = ending(&run);
    assert!(!text.contains("undelivered"), "{text}");
    assert!(
        text.contains(
            "e2 was delivered to it but not acknowledged, so it stays in the bus's log and comes again once it \
             subscribes again"
        ),
        "{text}"
    );
}

/// F5: stale-set-race, no fix, the search's run with one fault (drop m8, the commit's
/// reply, at step 13): the set of v1 landed before any delete, and the lost reply is
/// why no delete came. The ending named the race.
#[test]
fn f5_a_lost_reply_that_stopped_the_delete_is_not_told_as_the_race() {
    let mut run = at("scenario=stale-set-race&run=1.AAAAAAAABBBBH&step=13");
    run.run_to_end();
    assert_eq!(run.cursor(), 13);
    assert!(matches!(
        run.records()[12].event,
        Event::Fault(Fault::Drop(_))
    ));
    let w = run.world();
    assert!(w.books.saw(Happened::Undeleted(Key(1))));
    assert!(w.books.saw(Happened::StaleStored(Key(1))));
    let text = ending(&run);
    assert!(!text.contains("The race is complete"), "{text}");
    assert!(
        text.contains("in this run a fault stopped the writer's delete: no delete reached the cache after the commit of v2"),
        "{text}"
    );
    // Delivered instead, the reply makes the writer's delete remove v1: consistent.
    let mut back = at("scenario=stale-set-race&run=1.AAAAAAAABBBBH&step=12");
    back.truncate_future();
    back.run_to_end();
    assert!(back.world().books.saw(Happened::StaleDeleted(Key(1))));
    assert!(ending(&back).contains("consistent"), "{}", ending(&back));
    // The story's own race keeps its words.
    let story = story("scenario=stale-set-race&step=0");
    assert!(
        ending(&story).starts_with("The race is complete"),
        "{}",
        ending(&story)
    );
}

/// F10: rollback-after-cache-write, the service crashes after the cache step (step 7):
/// the scripted failure of a later statement never comes, and the COMMIT succeeds. The
/// ending said only "consistent", as of the script's rollback.
#[test]
fn f10_a_run_whose_transaction_committed_says_it_left_the_script() {
    let mut run = faulted(
        "scenario=rollback-after-cache-write&step=6",
        Fault::Crash(NodeId::SERVICE),
    );
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.db().read(Key(1)).to_string(), "v2");
    assert!(run.records().iter().any(|r| r
        .narration
        .starts_with("COMMIT: user:1 = v2 is now visible")));
    let text = ending(&run);
    assert!(
        text.starts_with("This run took another path than the scenario's script."),
        "{text}"
    );
    // The story (the transaction rolls back) keeps its ending.
    let story = story("scenario=rollback-after-cache-write&step=0");
    assert!(
        ending(&story).contains("the rollback could not take it back"),
        "{}",
        ending(&story)
    );
}

/// F6: rollback-after-cache-write, the service crashes at step 5 with the writer's
/// request open, and restarts empty. Until review 20b (F8) the writer waited for an
/// answer the crash had lost ("its request was lost to service's crash", not to a lost
/// message); now it reads its connection reset, its write fails, and nobody waits.
/// (Until session 19 the close to the database was dropped first; it cannot be now,
/// and it rolls the transaction back.)
#[test]
fn f6_a_request_lost_to_a_crash_fails_with_a_reset_and_nobody_waits() {
    let mut run = common::crashed_in_transaction();
    run.fire(Event::Fault(Fault::Restart(NodeId::SERVICE)))
        .unwrap();
    run.run_to_end();
    // 13 before F8: the close to the writer is a step, and so is the reader's second
    // request, which ran on.
    assert!(
        step(&run, 7).contains("service restarts with an empty memory"),
        "{}",
        run.trace()
    );
    assert!(run
        .records()
        .iter()
        .any(|r| r.narration.contains("rolls back its open transaction")));
    assert!(
        run.records().iter().any(|r| r.narration.contains(
            "Its write of user:1 fails with a connection reset, and writer cannot tell whether it committed: \
             nothing of it committed."
        )),
        "{}",
        run.trace()
    );
    let w = run.world();
    assert!(w.net.is_empty());
    assert!(w.clients.iter().all(|c| c.busy.is_none()));
    assert_eq!(run.stuck_note(), None);
}

/// F7: the searches' runs (faults 1) where the service crashes after the database
/// committed (step 6) with the COMMIT's answer on its way: the crash's words said "its
/// transaction under way"; and the transaction-aware cache's ending did not say why the
/// cache keeps v1 (the crash lost the held cache write, the fix's stated cost).
#[test]
fn f7_a_committed_transaction_is_not_under_way_and_its_lost_held_write_is_named() {
    for query in [
        "scenario=rollback-after-cache-write&fix=transaction-aware-cache&run=1.AAAABBC&step=10",
        "scenario=invalidate-before-commit&fix=after-commit-hook&run=1.AAAAABC&step=10",
    ] {
        let run = at(query);
        assert!(
            step(&run, 6).starts_with("COMMIT: user:1 = v2 is now visible"),
            "{query}"
        );
        let before = run.state(6).unwrap();
        assert!(before.db().txns.is_empty(), "{query}");
        let crash = step(&run, 7);
        assert!(crash.starts_with("service crashes"), "{crash}");
        assert!(!crash.contains("under way"), "{query}: {crash}");
        assert!(
            crash.contains(
                "db will see the one its transaction used close. That transaction has already committed (only \
                 the COMMIT's answer is still on its way), so there is nothing to roll back."
            ),
            "{query}: {crash}"
        );
    }
    let run =
        at("scenario=rollback-after-cache-write&fix=transaction-aware-cache&run=1.AAAABBC&step=10");
    let text = ending(&run);
    assert!(
        text.contains(
            "The transaction committed user:1 = v2, but the cache write service held for after COMMIT never \
             reached the cache, and service crashed in this run"
        ),
        "{text}"
    );
    // With the transaction still open in the database, the crash's words are as before.
    let run = faulted(
        "scenario=rollback-after-cache-write&step=4",
        Fault::Crash(NodeId::SERVICE),
    );
    assert!(
        step(&run, 5).contains("db will see the one with its transaction under way close"),
        "{}",
        step(&run, 5)
    );
}

/// Review session 17, F1: near-cache-stale with client-tracking, the cache crashed at
/// step 3 and never restarted. Until session 19 the reader's read waited for ever, and
/// the test checked that its ending did not say its "last answered read got nothing".
/// Now (F6) its GET fails on the closed connection and the service reads the database:
/// the reader is answered, and the ending says with what.
#[test]
fn r17_f1_a_reader_whose_cache_crashed_is_answered_from_the_database() {
    let run = faulted(
        "scenario=near-cache-stale&fix=client-tracking&step=2",
        Fault::Crash(node("cache")),
    );
    assert_eq!(run.stuck_note(), None, "{}", run.trace());
    let reader = run.world().clients.iter().find(|c| c.id == node("reader"));
    assert!(reader.is_some_and(|c| c.last_answer.is_some()));
    let text = ending(&run);
    assert!(!text.contains("got nothing"), "{text}");
    assert!(
        text.contains("the reader's last answered read got v2"),
        "{text}"
    );
    // The story's reader does get its answer, and the ending says which.
    let story = story("scenario=near-cache-stale&fix=client-tracking");
    assert!(
        ending(&story).contains("the reader's last answered read got v"),
        "{}",
        ending(&story)
    );
}

/// Review session 17, F2: event-loss with durable-bus, the bus crashes at step 17, the
/// consumer's restart sends a subscribe (18) and the bus's restart (19) loses it; the
/// bus still delivers e2 to the consumer, because a durable bus keeps its consumer
/// groups on disk. The restart's words say so, and the loss of the subscribe.
#[test]
fn r17_f2_a_durable_bus_serves_its_groups_without_the_lost_subscribe() {
    let bus = node("bus");
    let mut run = crash_step_restart("scenario=event-loss&fix=durable-bus&step=16", bus);
    let said = run.records().last().unwrap().narration.clone();
    assert!(
        said.contains("serves its log again to the consumer groups it keeps on disk"),
        "{said}"
    );
    assert!(said.contains("(subscribe from consumer)"), "{said}");
    let restarted = run.cursor();
    run.run_to_end();
    assert!(
        run.records()[restarted..]
            .iter()
            .any(|r| r.narration.contains("The consumer receives e2")),
        "{}",
        run.trace()
    );
}

/// Review session 17, F4: near-cache-stale with client-tracking, service-2 crashes at
/// step 13 and restarts at 15 with an empty near cache. Its crash closed its
/// connection, and Redis drops a disconnected client's tracking state: the writer's
/// delete (step 16) pushes no invalidation to service-2 (session 18; session 17 pushed
/// one, saying "though service-2 holds no near copy of user:1 now").
#[test]
fn r17_f4_a_crashed_instance_is_pushed_nothing() {
    let s2 = node("service-2");
    let mut run = crash_step_restart("scenario=near-cache-stale&fix=client-tracking&step=12", s2);
    let restarted = run.cursor();
    run.run_to_end();
    assert!(
        run.records()[restarted..].iter().all(|r| !r
            .narration
            .contains("pushes an invalidation to service-2")
            && !matches!(r.hop, Some((_, to)) if to == s2 && r.label.contains("invalidate"))),
        "{}",
        run.trace()
    );
    assert!(run.records()[restarted..].iter().any(|r| r
        .narration
        .contains("The cache deletes user:1 (it held v1).")));
    // The story's push, to an instance that holds its copy, still says it will drop it.
    let story = story("scenario=near-cache-stale&fix=client-tracking");
    assert!(
        story.records().iter().any(|r| r
            .narration
            .contains("service-2, which will drop its near copy.")),
        "{}",
        story.trace()
    );
}

/// Review 17b, 1: near-cache-stale with client-tracking, service-2 crashes at step 13
/// and restarts: its crash, not the push, emptied its near cache, so the ending must
/// not say the push made it drop its copy.
#[test]
fn r17b_a_crashed_instances_ending_does_not_credit_the_push() {
    let s2 = node("service-2");
    let mut run = crash_step_restart("scenario=near-cache-stale&fix=client-tracking&step=12", s2);
    run.run_to_end();
    let text = ending(&run);
    assert!(
        !text.contains("so service-2 dropped its near copy"),
        "{text}"
    );
    assert!(
        text.contains("service-2 crashed in this run, and its near cache with it"),
        "{text}"
    );
    let story = story("scenario=near-cache-stale&fix=client-tracking");
    assert!(ending(&story).contains("so service-2 dropped its near copy"));
}

/// Review 17b, 2: cdn-purge-race with invalidate-origin-first or double-purge, the edge
/// crashes before any write's answer passes it: no purge happened, so the fix's ending
/// must not tell of one.
#[test]
fn r17b_a_fix_ending_tells_of_a_purge_only_if_one_happened() {
    for (fix, step) in [
        ("invalidate-origin-first", 1),
        ("invalidate-origin-first", 3),
        ("invalidate-origin-first", 9),
        ("double-purge", 3),
    ] {
        let run = faulted(
            &format!("scenario=cdn-purge-race&fix={fix}&step={step}"),
            Fault::Crash(node("cdn")),
        );
        let purged = run.world().books.saw(Happened::EdgePurged(Key(1)));
        let text = ending(&run);
        assert!(!purged, "{fix} {step}: {}", run.trace());
        assert!(
            !text.contains("when the edge purged"),
            "{fix} {step}: {text}"
        );
        assert!(!text.contains("The second purge"), "{fix} {step}: {text}");
        assert!(
            text.contains("The fix's purge did not happen in this run"),
            "{fix} {step}: {text}"
        );
    }
    for fix in ["invalidate-origin-first", "double-purge"] {
        let story = story(&format!("scenario=cdn-purge-race&fix={fix}"));
        let text = ending(&story);
        assert!(!text.contains("did not happen"), "{fix}: {text}");
    }
}
