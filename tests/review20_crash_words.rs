//! Review 20's findings about words in runs with crashes (F1 to F14), each played at
//! the reviewer's share link (`run=` replays the run the page played) to its end; each
//! sentence checked against the state it tells of.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::{Key, NodeStatus, Run};

use review::{ending, node, played, step};

/// The cache node is down at the end, and no delete of user:1 reached it after the
/// commit.
fn cache_down_undeleted(run: &Run) {
    let w = run.world();
    assert_eq!(w.status_of(node("cache")), NodeStatus::Down);
    assert!(w.books.crashes_of(node("cache")) > 0);
    assert!(w.books.saw(Happened::Undeleted(Key(1))));
}

/// F1: near-cache-stale with the cache crashed (a: while the writer's DEL is in flight;
/// b: while service-2's SET of v1 is): the ending said "The shared cache was
/// invalidated"; the DEL never reached it, and it is down.
#[test]
fn f1_the_shared_cache_is_not_said_invalidated_when_the_delete_never_reached_it() {
    for q in [
        "scenario=near-cache-stale&run=1.AAAAAAAAAAAAAG",
        "scenario=near-cache-stale&run=1.AAAAAAG",
    ] {
        let run = played(q);
        cache_down_undeleted(&run);
        assert!(
            run.records()
                .iter()
                .any(|r| r.label == "del user:1" && r.outcome == "lost: node down"),
            "{q}"
        );
        assert_eq!(
            ending(&run),
            "service-2's near cache keeps user:1 = v1 while the database has v2. The writer's delete never \
             reached the shared cache, which crashed and is still down; and nothing told service-2, whose near \
             copy lives in its own memory: the reader got v1. It stays stale until its TTL, 10 s after it was \
             kept. Try a fix.",
            "{q}"
        );
    }
    // The script: the delete reached the shared cache, and the ending says so.
    let run = played("scenario=near-cache-stale");
    assert!(!run.world().books.saw(Happened::Undeleted(Key(1))));
    assert!(ending(&run).contains(" The shared cache was invalidated, but service-2's near copy"));
}

/// F2: cache-aside-write with the cache crashed (a: while the first read's SET is in
/// flight; b: while the write's DEL is): the ending said "the write deleted the key,
/// and no read has refilled it yet"; the DEL failed, the last read's SET failed, and
/// the cache is empty because it crashed and is down.
#[test]
fn f2_an_empty_cache_is_told_as_the_crash_not_the_write_s_delete() {
    for q in [
        "scenario=cache-aside-write&run=1.AAAAAAE",
        "scenario=cache-aside-write&run=1.AAAAAAAAAAAAAE",
    ] {
        let run = played(q);
        cache_down_undeleted(&run);
        assert!(
            run.records().iter().any(|r| r
                .narration
                .contains("its DEL of user:1 after the commit fails")),
            "{q}"
        );
        assert!(
            run.records()
                .iter()
                .any(|r| r.narration.contains("its SET of user:1 = v2 fails")),
            "{q}"
        );
        assert_eq!(
            ending(&run),
            "Done. The cache holds nothing for user:1; the database has v2: the cache crashed and is still down, \
             the write's delete never reached it, and no read can refill it until it restarts. Update first, \
             then delete: if the delete were first, a reader could refill the old value in between (see \
             delete-before-update-race).",
            "{q}"
        );
    }
    let run = played("scenario=cache-aside-write");
    assert!(ending(&run).contains("the write deleted the key"));
}

/// F3, F4, F12: write-behind-crash with the durable queue, the search's runs: the put
/// of v3 left before the crash and wrote v3; the restarted cache replayed v3 into its
/// queue, and the flusher's second put found v3 there. The flusher's answer said "the
/// crash emptied the queue" (F3) and "its queue lost in the crash" (F12), and the ending
/// said the replay's flush wrote v3 (F4).
#[test]
fn f3_f4_f12_the_durable_queue_s_replay_is_told_as_it_happened() {
    let q = "scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBBEENBB";
    let run = played(q);
    // F3: at step 25 the replayed queue holds v3, and the flusher sends it again.
    let at25 = run.state(25).unwrap();
    assert!(at25
        .cache()
        .queue
        .iter()
        .any(|e| e.key == Key(1) && e.version.0 == 3));
    assert_eq!(
        step(&run, 25),
        "user:1 = v3 is in the database: its put left before the cache crashed, and after the restart the cache \
         replayed it from its disk log into the queue: the flusher will send it once more."
    );
    assert_eq!(run.records()[25].label, "flush");
    assert_eq!(run.records()[26].outcome, "skipped");
    // F4: the ending claims no cause the run did not have; review 20b, N3: v3 came from
    // the put sent before the crash, and the replay's put was skipped; N8: no "Done."
    // before the broken invariant.
    let text = ending(&run);
    assert!(
        text.starts_with("Broken: cache-matches-db. The cache holds user:1 = v1 while the database has v3")
            && text.contains(
                "No acknowledged write was lost: the database has v3, the last one: its put left the flusher \
                 before the cache crashed and landed after it, and the replay's put of it from the disk log was \
                 skipped."
            ),
        "{text}"
    );
    assert!(
        text.contains(
            " a read loaded v1 from the database before the flusher had written v3 there, and set it in the cache. \
             The reader got v1 back: a stale read."
        ),
        "{text}"
    );
    assert!(!text.contains("the flusher wrote it"), "{text}");
    // F12: the cache is down at the answer, and its disk log keeps v3.
    let q = "scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBEBBBABCAAAAA";
    let run = played(q);
    let at19 = run.state(19).unwrap();
    assert_eq!(at19.status_of(node("cache")), NodeStatus::Down);
    assert!(at19
        .cache()
        .log
        .iter()
        .any(|&(k, v)| k == Key(1) && v.0 == 3));
    assert_eq!(
        step(&run, 19),
        "user:1 = v3 is in the database: its put left before the cache crashed, and the cache is still down: its \
         queue in memory went with the crash, and its disk log keeps the write to replay at a restart."
    );
    assert!(step(&run, 21).contains("replays its disk log"));
    assert!(!ending(&run).contains("the flusher wrote it"));
}

/// F7, F14: write-through with the cache crashed (a: while the SET of v2 after the
/// commit is in flight; b: at step 3): the failed SET was told as cache-aside's policy,
/// its log label read "failed: ack", and the ending claimed a cache round trip the
/// write never had, and a restart that never came.
#[test]
fn f7_f14_write_through_s_failed_set_is_its_own_and_no_round_trip_is_claimed() {
    for (q, at, reads) in [
        ("scenario=write-through&run=1.AAAAAAAAAE", 11, "1 read went"),
        ("scenario=write-through&run=1.AAE", 16, "2 reads went"),
    ] {
        let run = played(q);
        let r = &run.records()[at - 1];
        assert_eq!(r.outcome, "set failed: ack sent", "{q}");
        assert!(
            r.narration.contains(
                "its SET of user:1 after the commit fails, and write-through here ignores a failed cache command"
            ),
            "{q}: {}",
            r.narration
        );
        assert!(!r.narration.contains("cache-aside"), "{q}");
        let w = run.world();
        assert_eq!(w.status_of(node("cache")), NodeStatus::Down, "{q}");
        assert!(w.books.saw(Happened::CacheStepFailed(Key(1))), "{q}");
        assert_eq!(
            ending(&run),
            format!(
                "Done. The cache holds nothing for user:1; the database has v2. {reads} to the database: a read \
                 that finds the cache down (its GET fails on the closed connection, which the service reads as a \
                 miss) loads from the database. The write took the database round trip, and its SET of user:1 \
                 failed: the cache had crashed, and its connection closed. The writer was told of success without \
                 it. The cache crashed in this run, and the database served the reads it did not: write-through's \
                 fast, fresh reads hold only while the cache is up."
            ),
            "{q}"
        );
    }
    // The script: the SET reached the cache.
    let run = played("scenario=write-through");
    assert!(!run.world().books.saw(Happened::CacheStepFailed(Key(1))));
    assert!(ending(&run).contains("and then the cache round trip before the writer heard back"));
}

/// F9: dual-write-crash with the cache crashed at step 3 (restarted at 19): the
/// consumer's DEL reached the down cache and was lost without a word on the consumer,
/// which stayed "handling e2" to the end while the ending said only "Every invariant
/// holds". The lost DEL says the consumer's wait, and the end says it is stuck.
#[test]
fn f9_a_consumer_stuck_on_a_lost_delete_is_said() {
    let run = played("scenario=dual-write-crash&run=1.AAE");
    let c = run.world().nodes.consumer(node("consumer")).unwrap();
    let (ev, _, flow) = c.busy.unwrap();
    assert_eq!(ev.id.to_string(), "e2");
    assert!(!run.world().net.iter().any(|m| m.flow == Some(flow)));
    let r = &run.records()[17];
    assert_eq!(
        (r.label.as_str(), r.outcome.as_str()),
        ("del user:1", "lost: node down")
    );
    assert_eq!(
        r.narration,
        "cache is down, so the message m15 from consumer (del user:1) is lost. consumer waits for an answer that \
         will not come: a consumer in this model reads no closed connection and has no timeout, so it stays on \
         the event it is handling and takes no other."
    );
    let note = "The run ends with consumer still handling e2: a message its cache command needed was lost, and a \
                consumer in this model reads no closed connection and has no timeout, so it waits for an answer \
                that will not come and takes no other event.";
    assert_eq!(run.stuck_note().as_deref(), Some(note));
    assert_eq!(
        run.end_words().unwrap(),
        format!(
            "{note} This run took another path than the scenario's script. The cache and the database both hold \
             user:1 = v2. Every invariant holds."
        )
    );
    // The script: the consumer's delete is answered, and nothing is stuck.
    let run = played("scenario=event-invalidation");
    assert!(run
        .world()
        .nodes
        .consumer(node("consumer"))
        .unwrap()
        .busy
        .is_none());
    assert_eq!(run.stuck_note(), None);
}

/// F10: near-cache-stale + client-tracking with the cache crashed and never restarted:
/// the ending told "the restarted node" pushing invalidations again. It says the node
/// is still down; a run whose cache restarts keeps the restart's sentence.
#[test]
fn f10_the_tracking_ending_tells_a_restart_only_where_one_happened() {
    let head = " The cache node crashed in this run, and its tracking table with it. An instance that tracks its \
                reads there flushes its whole near cache when it sees its connection to the node close, since it \
                may have missed invalidations (as Redis's client-side caching clients do, redis/redis#13082)";
    for q in [
        "scenario=near-cache-stale&fix=client-tracking&run=1.AAAAAAG",
        "scenario=near-cache-stale&fix=client-tracking&run=1.AAAAAAAAAAAAAAH",
    ] {
        let run = played(q);
        assert_eq!(
            run.world().status_of(node("cache")),
            NodeStatus::Down,
            "{q}"
        );
        let text = ending(&run);
        assert!(
            text.contains(&format!(
                "{head}. The node is still down at the end, and a down node tracks no read and pushes no \
                 invalidation."
            )),
            "{q}: {text}"
        );
        assert!(!text.contains("restarted"), "{q}: {text}");
    }
    // Crashed and restarted: the restarted node's sentence.
    let mut run = review::crash_steps_restart(
        "scenario=near-cache-stale&fix=client-tracking&step=14",
        node("cache"),
        2,
    );
    run.run_to_end();
    assert_eq!(run.world().status_of(node("cache")), NodeStatus::Up);
    let text = ending(&run);
    assert!(
        text.contains(&format!(
            "{head}, and the restarted node pushes invalidations again for the reads it tracks after its restart."
        )),
        "{text}"
    );
}

/// F11: the fix's chapter said "client-tracking acts: lost: node down" where the
/// fix's push was lost to a crashed service-2, and "acts: nothing to flush" where the
/// fix changed nothing there: the chapter names the first step where the runs part,
/// with and without the fix, and claims no act.
#[test]
fn f11_the_fix_chapter_says_where_the_runs_part_not_that_the_fix_acts() {
    for (q, at, text) in [
        (
            "scenario=near-cache-stale&fix=client-tracking&run=1.AAAAAAAAAAAAAAF",
            17,
            "with client-tracking: service-2: invalidate user:1 (lost: node down) at 63 ms; without it: writer: ok \
             user:1=v2 (acked v2) at 64 ms",
        ),
        (
            "scenario=near-cache-stale&fix=client-tracking&run=1.AAAAAAAAAAAAAAH",
            17,
            "with client-tracking: nothing to flush; without it: connection closed",
        ),
    ] {
        let run = played(q);
        let c = cachescope::ui::chapters::Ahead::of(&run)
            .chapters
            .into_iter()
            .find(|c| c.kind == "fix")
            .unwrap();
        assert_eq!((c.step, c.text.as_str(), c.short.as_str()), (at, text, "client-tracking changes the run"), "{q}");
        assert!(!c.text.contains("acts"), "{q}");
    }
}

/// F5: stale-set-race with the cache crashed (after step 9, and after step 12): the
/// commit overtook the read's v1, and the set of v1 reached the down cache and was
/// lost. The ending said "This interleaving did not produce the race", without the
/// crash that kept v1 out.
#[test]
fn f5_a_stale_set_lost_to_a_down_cache_is_told_as_the_crash_s_doing() {
    for q in [
        "scenario=stale-set-race&run=1.AAAAAAAAAE",
        "scenario=stale-set-race&run=1.AAAAAAAAAAAAD",
    ] {
        let run = played(q);
        assert!(
            run.records()
                .iter()
                .any(|r| r.label == "set user:1=v1" && r.outcome == "lost: node down"),
            "{q}"
        );
        assert!(run.world().books.saw(Happened::StaleSetLost(Key(1))), "{q}");
        let c = cachescope::ui::chapters::Ahead::of(&run).chapters;
        assert!(c.iter().any(|c| c.kind == "overtaken"), "{q}: {c:?}");
        assert_eq!(
            ending(&run),
            "The cache holds nothing for user:1; the database has v2: consistent. The commit overtook an older \
             value on its way, but that value never reached the cache: the set carrying it arrived while the \
             cache was down and was lost. The crash, not cache-aside, kept the stale value out.",
            "{q}"
        );
    }
}
