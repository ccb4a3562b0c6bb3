//! Review 21's remaining findings (M4 to M7, C1 to C4 and the label of a failed
//! write-behind write), each played at the reviewer's share link (or, where a later
//! model change made the link's code decode to another run, the equivalent run, named
//! in the test): the sentence the page says now, and not the one the review found.
mod common;
#[path = "common/review.rs"]
mod review;
use review::{ending, label, played, step};

/// M4: write-behind-crash with no fix; the cache crashed (step 12) with v3 still
/// queued, but the flusher's put of it (m9, step 11) had left and landed after the
/// crash (13). The ending said only "another path… Every invariant holds".
#[test]
fn m4_a_put_that_left_before_the_crash_is_told() {
    let run = played("scenario=write-behind-crash&run=1.AAAAAAAAAABE&step=24");
    assert_eq!(label(&run, 11), ("flush", "flush 1"));
    assert_eq!(label(&run, 12), ("crash cache", "crashed"));
    assert_eq!(label(&run, 13), ("put user:1=v3", "wrote v3"));
    assert_eq!(
        ending(&run),
        "This run took another path than the scenario's script. The cache and the database both hold user:1 = \
         v3. Every invariant holds. The cache crashed with v3 still in its queue in memory, but the flusher's \
         put of it had already left, and it landed after the crash: only that timing kept the acknowledged \
         write. A crash before the flush loses every write still queued; try the durable queue."
    );
}

/// M5: delete-before-update-race, the cache crashed (step 11) and restarted (14)
/// before the writer's DEL arrived; the DEL failed on the close (16), reader-2 read v1
/// and set it after the commit. The ending said "a reader refilled the old row between
/// the delete and the commit". Since review 21's U4 fix the link's code
/// (`1.AAAAAAAAAAEAAE`) plays 24 steps with reader-2's set before the commit; the
/// equivalent run delivers the commit first at step 19: `1.AAAAAAAAAAEAAEAAAAB`.
#[test]
fn m5_a_delete_that_failed_is_not_told_as_the_delete() {
    let run = played("scenario=delete-before-update-race&run=1.AAAAAAAAAAEAAEAAAAB");
    assert_eq!(label(&run, 11), ("crash cache", "crashed"));
    assert_eq!(label(&run, 14), ("restart cache", "restarted"));
    assert_eq!(label(&run, 16).1, "del failed: update sent");
    assert_eq!(label(&run, 19), ("update user:1", "committed v2"));
    assert_eq!(label(&run, 20), ("set user:1=v1", "stored v1"));
    let text = ending(&run);
    assert_eq!(
        text,
        "The cache holds user:1 = v1 while the database has v2: the writer's delete never reached the cache (it \
         failed on the connection the cache's crash closed; the crash, not the delete, had emptied the cache), \
         and a reader read the old row before the commit and set it in the cache; no delete came after. It \
         stays stale until the TTL. Try update-then-delete, which deletes after the commit."
    );
    assert!(
        !text.contains("between the delete and the commit"),
        "{text}"
    );
    // The script's race, with its delete, keeps its words.
    let run = played("scenario=delete-before-update-race");
    assert!(
        ending(&run).contains("a reader refilled the old row between the delete and the commit")
    );
}

/// M7: delete-before-update-race with the database paused (step 11): nothing
/// committed, and the ending said "no reader refilled the old row between the delete
/// and the commit".
#[test]
fn m7_no_commit_is_not_told_as_a_commit() {
    let run = played("scenario=delete-before-update-race&run=1.AAAAAAAAAAHAAD&step=15");
    assert_eq!(label(&run, 11), ("pause db", "paused"));
    assert_eq!(run.world().db().read(cachescope::sim::ids::Key(1)).0, 1);
    let text = ending(&run);
    assert!(
        text.ends_with(
            "The cache holds nothing for user:1; the database has v1: consistent. The writer's update has not \
             committed in this run: the old row is still the database's, so no refill of it could be stale yet."
        ),
        "{text}"
    );
    assert!(
        !text.contains("between the delete and the commit"),
        "{text}"
    );
}

/// M6: cache-aside-write, the cache crashed (step 15) with the answer to the service's
/// DEL already on its way: the crash step promised a failure, and step 17 said nothing
/// fails. On main the crash step already says the answer arrives before the close.
#[test]
fn m6_the_crash_step_promises_no_failure_when_the_answer_is_on_its_way() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAE&step=15");
    assert_eq!(label(&run, 15), ("crash cache", "crashed"));
    let crash = step(&run, 15);
    assert!(
        crash.contains(
            "the answer service waited for on its connection is already on its way, sent before the crash, and \
             arrives before the close."
        ),
        "{crash}"
    );
    assert!(!crash.contains("will see its connection close"), "{crash}");
    assert_eq!(label(&run, 16), ("deleted", "ack"));
    assert!(step(&run, 17).contains("nothing fails"));
}

/// C1: write-behind-crash with the durable queue; the cache crashed twice (steps 11
/// and 14), and the put of v3 left between them. The ending said "before the cache
/// crashed… through the crash", in the singular.
#[test]
fn c1_two_crashes_are_not_told_as_one() {
    let run = played("scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAAAAAE&step=25");
    assert_eq!(label(&run, 11), ("crash cache", "crashed"));
    assert_eq!(label(&run, 13), ("flush", "flush 1"));
    assert_eq!(label(&run, 14), ("crash cache", "crashed"));
    let text = ending(&run);
    assert!(
        text.starts_with(
            "Done. The database has v3, the last acknowledged write: its put left the flusher before the cache's \
             last crash and landed after it. The cache's disk log kept each acknowledged write through each of \
             its crashes as well, so none could be lost; after its last restart the cache replayed v3"
        ),
        "{text}"
    );
    assert!(!text.contains("the crash"), "{text}");
    // One crash keeps the singular.
    let run =
        played("scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBBEENBB&step=28");
    assert_eq!(
        run.world().books.crashes_of(cachescope::sim::NodeId::CACHE),
        1
    );
    assert!(ending(&run).contains("before the cache crashed"));
}

/// C4: write-behind-crash with the durable queue, review 20b's N3 run: a read loaded
/// v1 before the flusher wrote v3, and set it in the cache. The ending (about 18 lines
/// on a phone) opened with "The database has v3, the last acknowledged write…" and said
/// "cache-matches-db is broken" only at its 13th line. Now the broken invariant comes
/// first, and the rest is shorter.
#[test]
fn c4_the_broken_invariant_comes_first() {
    let run =
        played("scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBBEENBB&step=28");
    assert_eq!(label(&run, 19), ("select user:1", "row v1"));
    assert_eq!(label(&run, 20), ("put user:1=v3", "wrote v3"));
    assert_eq!(label(&run, 22), ("set user:1=v1", "stored v1"));
    assert_eq!(label(&run, 27), ("put user:1=v3", "skipped"));
    let text = ending(&run);
    assert_eq!(
        text,
        "Broken: cache-matches-db. The cache holds user:1 = v1 while the database has v3: a read loaded v1 from \
         the database before the flusher had written v3 there, and set it in the cache. The reader got v1 back: a \
         stale read. No acknowledged write was lost: the database has v3, the last one: its put left the flusher \
         before the cache crashed and landed after it, and the replay's put of it from the disk log was skipped. \
         Each ack cost a disk write first."
    );
    assert!(text.len() < 480, "{}", text.len());
}

/// C3: stampede with the mutex; the cache crashed (step 33) with reader's lock request
/// and reader-2's GET pending. Step 35 called the lock request "a failed lookup", and
/// said the whole "The service's connection to cache closes under …" preamble again
/// for reader-2's request.
#[test]
fn c3_a_failed_lock_is_no_lookup_and_the_close_is_said_once() {
    let run = played("scenario=stampede&fix=mutex&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAH&step=35");
    assert_eq!(label(&run, 33), ("crash cache", "crashed"));
    assert_eq!(
        label(&run, 35),
        ("connection closed", "lock failed: select sent")
    );
    let said = step(&run, 35);
    assert!(
        said.contains(
            "its request for the lock on user:1 fails. The mutex here fails open: the service reads user:1 from the \
             database without the lock. reader-2's request had a command pending on it too: its GET of user:1 \
             fails. Cache-aside reads a failed lookup as a miss, so the service reads user:1 from the database."
        ),
        "{said}"
    );
    assert_eq!(
        said.matches("connection to cache closes under").count(),
        1,
        "{said}"
    );
    assert_eq!(said.matches("A Redis client fails").count(), 1, "{said}");
    assert_eq!(said.matches("failed lookup").count(), 1, "{said}");
}

/// The label "failed: write failed" named no command: a write-behind write the cache
/// was to take, or the remote marker set before a write, failed on the close of the
/// cache's crash.
#[test]
fn a_failed_cache_write_s_label_names_its_command() {
    use cachescope::sim::Fault;
    let run = review::faulted(
        "scenario=write-behind-crash&step=2",
        Fault::Crash(review::node("cache")),
    );
    assert_eq!(label(&run, 3), ("crash cache", "crashed"));
    assert_eq!(
        label(&run, 4),
        ("connection closed", "cache write failed: write failed")
    );
    assert!(step(&run, 4).contains("its write of user:1, which the cache was to take, fails."));
    let run = review::faulted(
        "scenario=cross-region-read-your-writes&fix=remote-marker&step=2",
        Fault::Crash(review::node("cache-2")),
    );
    assert_eq!(label(&run, 2).0, "write user:1");
    assert_eq!(
        label(&run, 4),
        ("connection closed", "marker failed: write failed")
    );
    assert!(step(&run, 4).contains(
        "its set of the remote marker for user:1, which must come before the write, fails."
    ));
    assert!(run
        .records()
        .iter()
        .all(|r| !r.outcome.starts_with("failed:")));
}

/// C2: the reply to a put the database skipped was logged as "wrote v3"
/// (`db->flusher: wrote v3 => flushed v3` right after `put user:1=v3 => skipped`).
#[test]
fn c2_a_skipped_put_s_reply_is_not_logged_as_wrote() {
    let run =
        played("scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAAAABBBBEENBB&step=28");
    assert_eq!(label(&run, 27), ("put user:1=v3", "skipped"));
    assert_eq!(label(&run, 28), ("put v3 done", "flushed v3"));
    assert!(run.records()[27]
        .to_string()
        .contains("db->flusher: put v3 done => flushed v3"));
    assert!(run.records().iter().all(|r| r.label != "wrote v3"));
}

/// F8's leftover (b): stale-set-race with the service crashed at its third step: the
/// reader's and the writer's requests fail with a connection reset (steps 6 and 7), and
/// the ending did not say so.
#[test]
fn f8b_stale_set_race_names_the_failed_requests() {
    use cachescope::sim::Fault;
    let run = review::faulted(
        "scenario=stale-set-race&step=3",
        Fault::Crash(review::node("service")),
    );
    assert_eq!(
        label(&run, 6),
        ("connection closed", "read failed: conn reset")
    );
    assert_eq!(
        label(&run, 7),
        ("connection closed", "write failed: conn reset")
    );
    assert_eq!(
        ending(&run),
        "The cache holds nothing for user:1; the database has v1: consistent. This interleaving did not produce \
         the race: no stale value reached the cache. The requests of reader and writer failed with a connection \
         reset."
    );
    // With no failure the story keeps its words.
    assert!(ending(&played("scenario=stale-set-race")).ends_with("Try a fix."));
}

/// F8's leftover (c): cdn-purge-race with the double purge; the service (the edge's
/// origin) crashed while the edge forwarded the reader's second read, and the edge
/// answered it with a 502. `{answered reader}` said "its query's connection closed", and
/// the client's step "an HTTP 500".
#[test]
fn f8c_a_read_the_edge_failed_is_told_as_the_edge_s_502() {
    let run = played("scenario=cdn-purge-race&fix=double-purge&run=1.AAAAAAAAAAAAAAAAE&step=24");
    let crash = run
        .records()
        .iter()
        .position(|r| r.label == "crash service")
        .unwrap();
    let closed = run
        .records()
        .iter()
        .position(|r| r.outcome == "origin closed: 502 sent")
        .unwrap();
    assert!(crash < closed);
    let failed = run
        .records()
        .iter()
        .position(|r| r.outcome == "read failed")
        .unwrap();
    assert!(closed < failed);
    assert_eq!(
        step(&run, failed + 1),
        "reader is told its read of user:1 failed (the CDN edge's 502 Bad Gateway): it got no value."
    );
    let text = ending(&run);
    assert!(
        text.starts_with(
            "No cache holds user:1; the database has v2, and the reader's last read failed: the CDN edge answered it \
             with an error (a 502), its origin having crashed while it forwarded the read."
        ),
        "{text}"
    );
    assert!(!text.contains("query"), "{text}");
}
