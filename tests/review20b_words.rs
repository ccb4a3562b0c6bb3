//! Review 20b's narration findings (N1 to N8), each played at the reviewer's share link
//! (`run=` replays the run the page played) to its end, or from a story's step with a
//! crash fired there; each sentence checked against the trace it tells of.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::{Fault, Key, NodeStatus};

use review::{ending, label, node, played, step};

/// N1: cache-aside-write, the writer's DEL reached the cache (step 14), then the cache
/// crashed (15) and stayed down, and the last read's refill was lost to it (25). The
/// ending said "the write deleted the key, and no read has refilled it yet": it names
/// the crash now. Crashed after the delete and restarted after the refill failed: the
/// restart is named. The same in event-invalidation, whose consumer deletes.
#[test]
fn n1_an_empty_cache_after_a_landed_delete_names_the_crash() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAE");
    assert_eq!(run.records().len(), 27);
    assert_eq!(label(&run, 14), ("del user:1", "deleted"));
    assert_eq!(label(&run, 15), ("crash cache", "crashed"));
    assert_eq!(label(&run, 25), ("set user:1=v2", "lost: node down"));
    let w = run.world();
    assert_eq!(w.status_of(node("cache")), NodeStatus::Down);
    assert!(!w.books.saw(Happened::Undeleted(Key(1))));
    assert_eq!(
        ending(&run),
        "Done. The cache holds nothing for user:1; the database has v2: the write's delete reached the cache, \
         then the cache crashed and is still down: no read can refill it until it restarts. Update first, then \
         delete: if the delete were first, a reader could refill the old value in between (see \
         delete-before-update-race)."
    );
    // Crashed after the delete, restarted after the last read's refill was lost.
    let mut run =
        review::crash_steps_restart("scenario=cache-aside-write&step=14", node("cache"), 11);
    run.run_to_end();
    assert!(run
        .records()
        .iter()
        .any(|r| r.label == "set user:1=v2" && r.outcome == "lost: node down"));
    assert_eq!(run.world().status_of(node("cache")), NodeStatus::Up);
    assert!(ending(&run).starts_with(
        "Done. The cache holds nothing for user:1; the database has v2: the write deleted the key, and no read \
         has refilled it since; the cache crashed in this run and restarted empty. Update first"
    ));
    // The script keeps its words.
    let run = played("scenario=cache-aside-write");
    assert!(ending(&run)
        .contains("the write deleted the key, and the next read refilled it from the database"));
    // cache-aside-read: the second read hit (step 12), then the cache crashed: the
    // ending said the cache holds nothing "and will until a write changes the row or
    // the TTL runs out".
    let run = review::faulted(
        "scenario=cache-aside-read&step=12",
        Fault::Crash(node("cache")),
    );
    assert_eq!(label(&run, 12), ("get user:1", "hit v1"));
    assert_eq!(label(&run, 13), ("crash cache", "crashed"));
    assert_eq!(run.world().status_of(node("cache")), NodeStatus::Down);
    assert_eq!(
        ending(&run),
        "Done. 1 database read and 1 cache hit: the first read paid for the miss, the later ones were served from \
         memory. The cache holds nothing for user:1; the database has v1: the cache crashed after serving the \
         reads and is still down."
    );
    let mut run =
        review::crash_steps_restart("scenario=cache-aside-read&step=12", node("cache"), 1);
    run.run_to_end();
    assert!(ending(&run).ends_with(
        "The cache holds nothing for user:1; the database has v1: the cache crashed in this run and restarted empty."
    ));
    // event-invalidation: the consumer's delete landed (step 17), then the cache crashed.
    let run = review::faulted(
        "scenario=event-invalidation&step=17",
        Fault::Crash(node("cache")),
    );
    assert_eq!(label(&run, 17), ("del user:1", "deleted"));
    assert_eq!(label(&run, 18), ("crash cache", "crashed"));
    assert_eq!(run.world().status_of(node("cache")), NodeStatus::Down);
    let text = ending(&run);
    assert!(
        text.contains(
            "the event reached the consumer, which deleted the key, then the cache crashed and is still down: no \
             read can refill it until it restarts."
        ),
        "{text}"
    );
}

/// N4: cache-aside-write, a read loaded v1 (step 5) and its answer was delayed; the
/// write committed v2 (9); the cache crashed (11) with the DEL on its way and
/// restarted (12), and the late SET of v1 landed (16). The ending said only "No delete
/// of user:1 reached a cache after its latest commit": it names the crash and the race.
#[test]
fn n4_a_late_set_after_a_crash_is_told_as_the_race_and_the_crash() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAJAAAAEF");
    assert_eq!(label(&run, 5), ("select user:1", "row v1"));
    assert_eq!(label(&run, 9), ("update user:1", "committed v2"));
    assert_eq!(label(&run, 11), ("crash cache", "crashed"));
    assert_eq!(label(&run, 12), ("restart cache", "restarted"));
    assert_eq!(label(&run, 16), ("set user:1=v1", "stored v1"));
    assert_eq!(run.state(11).unwrap().now_ms, 61);
    assert_eq!(
        ending(&run),
        "This run took another path than the scenario's script. The cache holds user:1 = v1 while the database \
         has v2. No delete of user:1 reached a cache after its latest commit. The cache crashed at 61 ms, after \
         the commit, and restarted empty. A read loaded v1 from the database before the commit of v2 and set it \
         after the restart: the stale-set race, the hole leases and versioned sets close. Its TTL ends it at \
         60108 ms, after this run's horizon (1000 ms): the run ends first, with the copy still stale. \
         cache-matches-db is broken."
    );
}

/// N2: stale-set-race, the late SET of v1 landed (step 14) and the cache's crash (15)
/// wiped it: the ending said "something removed it". The same in
/// delete-before-update-race, its stale refill (21) wiped by a crash fired after it.
#[test]
fn n2_a_stale_value_wiped_by_a_crash_is_told_as_the_crash_s_doing() {
    let run = played("scenario=stale-set-race&run=1.AAAAAAAAAAAAAAD");
    assert_eq!(label(&run, 14), ("set user:1=v1", "stored v1"));
    assert_eq!(label(&run, 15), ("crash cache", "crashed"));
    assert!(run.world().books.saw(Happened::StaleWiped(Key(1))));
    assert_eq!(
        ending(&run),
        "The cache holds nothing for user:1; the database has v2: consistent. A stale value landed, and a crash \
         of the cache wiped it from memory before the end."
    );
    let run = review::faulted(
        "scenario=delete-before-update-race&step=21",
        Fault::Crash(node("cache")),
    );
    assert_eq!(label(&run, 21), ("set user:1=v1", "stored v1"));
    assert_eq!(label(&run, 22), ("crash cache", "crashed"));
    assert_eq!(
        ending(&run),
        "Done. The cache holds nothing for user:1; the database has v2: consistent. A stale value landed, and a \
         crash of the cache wiped it from memory before the end."
    );
}

/// N3, N8: write-behind-crash with the durable queue: the put of v3 left the flusher
/// before the crash and wrote v3 after it; the replay's put was skipped. The ending
/// said the disk log was why the database had v3, and opened "Done." before a broken
/// invariant.
#[test]
fn n3_n8_the_durable_queue_s_ending_says_which_put_wrote_and_no_done_before_a_violation() {
    for (q, put, crash, wrote, skipped) in [
        (
            "scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBBEENBB",
            11,
            15,
            20,
            27,
        ),
        (
            "scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBEBBBABCAAAAA",
            11,
            14,
            18,
            23,
        ),
    ] {
        let run = played(q);
        assert_eq!(label(&run, put), ("flush", "flush 1"), "{q}");
        assert_eq!(label(&run, crash), ("crash cache", "crashed"), "{q}");
        assert_eq!(label(&run, wrote), ("put user:1=v3", "wrote v3"), "{q}");
        assert_eq!(label(&run, skipped), ("put user:1=v3", "skipped"), "{q}");
        assert!(run.world().books.saw(Happened::PutSurvived(Key(1))), "{q}");
        assert!(
            run.world().books.saw(Happened::ReplaySkipped(Key(1))),
            "{q}"
        );
        let text = ending(&run);
        assert!(
            text.starts_with("Broken: cache-matches-db. The cache holds user:1 = v1 while the database has v3")
                && text.contains(
                    "No acknowledged write was lost: the database has v3, the last one: its put left the flusher \
                     before the cache crashed and landed after it, and the replay's put of it from the disk log was \
                     skipped."
                ),
            "{q}: {text}"
        );
    }
    // The story with the fix: the replay's put wrote v3 (the put before the crash never
    // left), and the ending keeps its words.
    let run = played("scenario=write-behind-crash&fix=durable-queue");
    assert!(!run.world().books.saw(Happened::PutSurvived(Key(1))));
    assert!(ending(&run).starts_with(
        "Done. The database has v3, the last acknowledged write: the cache's disk log kept each acknowledged write \
         through the crash, so none could be lost."
    ));
    // Without the fix: a lost write is no "Done.".
    let run = played("scenario=write-behind-crash");
    assert!(ending(&run).starts_with("The writer was told v3 succeeded, but the database has v1"));
}

/// N7 and the failed GET's label: a read whose GET fails on the closed connection is
/// told by its scenario's pattern (write-through's, write-behind's read path), and
/// labelled "get failed: read as a miss" as its siblings "set/del failed: …".
#[test]
fn n7_a_failed_lookup_names_the_scenario_s_pattern_and_its_command() {
    for (q, at, pattern) in [
        (
            "scenario=write-through&run=1.AAE",
            4,
            "Write-through's read path here",
        ),
        (
            "scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBBEENBB",
            18,
            "Write-behind's read path here",
        ),
        (
            "scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAE",
            22,
            "Cache-aside",
        ),
    ] {
        let run = played(q);
        assert_eq!(
            label(&run, at),
            ("connection closed", "get failed: read as a miss"),
            "{q}"
        );
        assert!(
            step(&run, at).ends_with(&format!(
                "its GET of user:1 fails. {pattern} reads a failed lookup as a miss, so the service reads user:1 \
                 from the database."
            )),
            "{q}: {}",
            step(&run, at)
        );
    }
    // Write-through's read path's failed SET is its own, not cache-aside's.
    let run = played("scenario=write-through&run=1.AAE");
    let fill = run
        .records()
        .iter()
        .find(|r| r.outcome.starts_with("set failed: answer"))
        .unwrap();
    assert!(
        fill.narration
            .contains("fails, and write-through's read path here ignores a failed cache command"),
        "{}",
        fill.narration
    );
}
