//! Review 22's findings (crash and reset narration after F8), each played at the
//! reviewer's share link: the step or the ending it quotes, the true sentence asserted
//! and the wrong one absent.
mod common;
#[path = "common/review.rs"]
mod review;

use review::{ending, label, played, step};

/// U1: a service crash in front of a CDN edge told of "the one its transaction used":
/// the edge holds no transaction; what it forwarded fails with a 502.
#[test]
fn u1_a_service_crash_tells_the_edge_s_forwarded_requests_fail() {
    let wrong = "transaction";
    // The crash comes during the edge's forwarded read.
    let run = played("scenario=cdn-purge-race&run=1.AAAAAAAAAAAAAAAAAAE&step=19");
    assert_eq!(label(&run, 19), ("crash service", "crashed"));
    assert_eq!(label(&run, 21).1, "origin closed: 502 sent");
    assert_eq!(label(&run, 22), ("failed read user:1", "read failed"));
    let said = step(&run, 19);
    assert!(
        said.ends_with(
            "Its operating system closes its connections: cdn, the CDN edge, forwarded reader's read of user:1 to \
             it and will see that connection close; it answers that request with an error, as an edge does when \
             its origin's connection drops (a 502 Bad Gateway)."
        ),
        "{said}"
    );
    assert!(!said.contains(wrong), "{said}");
    // A read and a write forwarded: both get the error (steps 11 and 12).
    let run = played("scenario=cdn-purge-race&run=1.AAAAAAE&step=7");
    assert_eq!(label(&run, 7), ("crash service", "crashed"));
    assert_eq!(label(&run, 11).1, "read failed");
    assert_eq!(label(&run, 12).1, "write failed");
    let said = step(&run, 7);
    assert!(
        said.contains(
            "cdn, the CDN edge, forwarded reader's read of user:1 and writer's write of user:1 to it and will see \
             that connection close; it answers each with an error"
        ),
        "{said}"
    );
    assert!(!said.contains(wrong), "{said}");
    // The write committed before the crash: its 502 does not mean nothing committed.
    let run = played("scenario=cdn-purge-race&run=1.AAAAAAAAAAAF&step=12");
    assert_eq!(label(&run, 11), ("update user:1", "committed v2"));
    assert_eq!(label(&run, 12), ("crash service", "crashed"));
    assert_eq!(label(&run, 15).1, "write failed");
    let said = step(&run, 12);
    assert!(
        said.ends_with(
            "cdn, the CDN edge, forwarded writer's write of user:1 to it and will see that connection close; it \
             answers that request with an error, as an edge does when its origin's connection drops (a 502 Bad \
             Gateway). writer's write already committed v2 at 21 ms: the error it gets will not mean that \
             nothing committed."
        ),
        "{said}"
    );
    assert!(!said.contains(wrong), "{said}");
    let _ = ending(&run);
}

/// U3: the CDN edge forwarded the write (step 4) before its crash (5); the writer's
/// reset said "nothing of it committed", and the service then committed it (13).
/// Write-through's equivalent (the update on its way to the database) keeps its words.
#[test]
fn u3_a_cdn_crash_tells_the_writer_its_forwarded_write_may_still_commit() {
    let run = played("scenario=cdn-purge-race&run=1.AAAAC&step=7");
    assert_eq!(label(&run, 4).1, "cdn forwards write user:1");
    assert_eq!(label(&run, 5), ("crash cdn", "crashed"));
    assert_eq!(label(&run, 7).1, "write failed: conn reset");
    assert_eq!(label(&run, 13), ("update user:1", "committed v2"));
    let said = step(&run, 7);
    assert!(
        said.ends_with(
            "writer cannot tell whether it committed: nothing of it has committed yet, but the edge forwarded it \
             before its crash: m4 (write user:1) is still on its way to service, and it may still commit."
        ),
        "{said}"
    );
    assert!(!said.contains("nothing of it committed."), "{said}");
    let run = played("scenario=write-through&run=1.AAAAAAAC&step=9");
    assert!(
        step(&run, 9).contains(
            "nothing of it has committed yet, and m6 (update user:1) is still on its way to db."
        ),
        "{}",
        step(&run, 9)
    );
}

/// U2: the reader got v1, then its next read failed with a connection reset; the
/// ending said "the reader has had no answer to a read".
#[test]
fn u2_a_reset_read_does_not_erase_an_earlier_answer() {
    for (query, got, reset) in [
        (
            "scenario=near-cache-stale&run=1.AAAAAAAAAAAAAAAAD&step=20",
            9,
            20,
        ),
        ("scenario=near-cache-stale&run=1.AAAAAAAAE&step=21", 10, 21),
        (
            "scenario=cdn-purge-race&fix=double-purge&run=1.AAAAAAAAAAAAAAAAACAC&step=26",
            9,
            19,
        ),
    ] {
        let run = played(query);
        assert_eq!(label(&run, got).1, "got v1", "{query}");
        assert_eq!(label(&run, reset).1, "read failed: conn reset", "{query}");
        let text = ending(&run);
        assert!(
            text.starts_with(
                "No cache holds user:1; the database has v2, and the reader's latest read failed with a \
                 connection reset."
            ),
            "{query}: {text}"
        );
        assert!(!text.contains("no answer"), "{query}: {text}");
    }
}

/// M1: readers told their read failed (the service's database connection closed) were
/// counted as answered: "Done." was said, and stampede's endings passed them over.
#[test]
fn m1_a_read_answered_with_an_error_is_a_failed_request() {
    let run = played(
        "scenario=stampede&fix=single-flight&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAF&step=54",
    );
    assert_eq!(label(&run, 47), ("crash db", "crashed"));
    for n in 50..=54 {
        assert_eq!(label(&run, n), ("failed read user:1", "read failed"));
    }
    let text = ending(&run);
    assert!(
        text.starts_with(
            "Not done: 5 readers have no value (still waiting, or their read failed: a connection reset, or an \
             error answered), after 0 database reads for one hot key."
        ),
        "{text}"
    );
    assert!(!text.contains("Done."), "{text}");
    let run =
        played("scenario=stampede&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAJ&step=64");
    for n in 59..=61 {
        assert_eq!(label(&run, n).1, "read failed");
    }
    let text = ending(&run);
    assert!(
        text.starts_with("Not done: 3 readers have no value"),
        "{text}"
    );
    assert!(!text.contains("Done."), "{text}");
    for (query, failed) in [
        (
            "scenario=ttl-expiry&run=1.AAAAAAAAAAAAAAAAAAAAAAF&step=26",
            26,
        ),
        ("scenario=ttl-expiry&run=1.AAAAAAAAAAAG&step=27", 27),
    ] {
        let run = played(query);
        assert_eq!(label(&run, failed).1, "read failed", "{query}");
        let text = ending(&run);
        assert!(
            text.starts_with(
                "Done, but reader's request was answered with an error. The cache holds nothing for user:1"
            ),
            "{query}: {text}"
        );
        assert!(!text.starts_with("Done. "), "{query}: {text}");
    }
}

/// M2: write-through, the service crashed (step 15) and the reader's read failed with a
/// reset (16, or 17): the ending never named it (its `unanswered > 0` ending had no
/// `{done}`).
#[test]
fn m2_write_through_names_a_read_that_failed_with_a_reset() {
    for (query, reset) in [
        ("scenario=write-through&run=1.AAAAAAAAAAAAAAB&step=18", 16),
        ("scenario=write-through&run=1.AAAAAAAAAAAC&step=17", 17),
    ] {
        let run = played(query);
        assert_eq!(label(&run, reset).1, "read failed: conn reset", "{query}");
        assert_eq!(
            ending(&run),
            "Done, but reader's request failed with a connection reset. The cache and the database both hold \
             user:1 = v2. No read went to the database: every read that was answered hit the cache. The write \
             took the database round trip and then the cache round trip before the writer heard back.",
            "{query}"
        );
    }
}

/// M4: stale-set-race with the delayed double delete: the first delete landed (step
/// 10), the late set of v1 landed (14), and the service crashed (15) with the second
/// delete due at 63 ms. The crash step did not say it died; the ending gave heuristics
/// that did not apply (a read slower than the delay, a lost first delete).
#[test]
fn m4_a_service_crash_cancels_the_second_delete() {
    let run =
        played("scenario=stale-set-race&fix=delayed-double-delete&run=1.AAAAAAAAAAAAAAB&step=17");
    assert_eq!(label(&run, 10).1, "deleted");
    assert_eq!(label(&run, 14), ("set user:1=v1", "stored v1"));
    assert!(step(&run, 14).contains("until the second delete due at 63 ms removes it"));
    assert_eq!(label(&run, 15), ("crash service", "crashed"));
    assert!(
        step(&run, 15).starts_with(
            "service crashes: its 1 open request is gone: 1 read; the delayed second delete it had scheduled \
             never happens."
        ),
        "{}",
        step(&run, 15)
    );
    let text = ending(&run);
    assert!(
        text.contains(
            "the old value landed and no later delete removed it. The service crashed in this run, and any second \
             delete it still had scheduled died with it: the delay is a timer in the service's memory."
        ),
        "{text}"
    );
    assert!(!text.contains("a read slower than the delay"), "{text}");
    assert!(!text.contains("a first delete that is lost"), "{text}");
}

/// M5: cdn-purge-race with no fix: the stale v1 answer (step 22) was lost at the
/// crashed edge (17), or every request got a 502 from the crashed origin; the ending
/// said "in this order no stale response is left at the edge".
#[test]
fn m5_a_crash_not_the_order_is_named() {
    let run = played("scenario=cdn-purge-race&run=1.AAAAAAAAAAAAAAAAC&step=25");
    assert_eq!(label(&run, 17), ("crash cdn", "crashed"));
    assert_eq!(label(&run, 22), ("user:1=v1", "lost: node down"));
    let text = ending(&run);
    assert_eq!(
        text,
        "No cache holds user:1; the database has v2: consistent: no stale response is left at the edge. The CDN \
         edge crashed in this run: a crashed edge stores nothing, and every response on its way to it is lost, a \
         stale one as any other; a restarted edge starts empty."
    );
    let run = played("scenario=cdn-purge-race&run=1.AAAAAAE&step=17");
    assert_eq!(label(&run, 7), ("crash service", "crashed"));
    let text = ending(&run);
    assert_eq!(
        text,
        "The cache and the database both hold user:1 = v1: consistent: no stale response is left at the edge. \
         The origin crashed in this run: each request it was still working on then failed (a 502 from the \
         edge), and an edge stores no error."
    );
    assert!(!text.contains("in this order"));
    // The story keeps its words.
    let run = review::story("scenario=cdn-purge-race");
    assert!(!ending(&run).contains("crashed"), "{}", ending(&run));
}

/// M6: the explorer's counterexample (cdn-purge-race + double-purge, 1 fault): the
/// edge purged user:1 (steps 13 and 24) and the invalidator crashed (22); the ending
/// said "No delete of user:1 reached a cache".
#[test]
fn m6_no_delete_reached_the_origin_s_cache() {
    let run =
        played("scenario=cdn-purge-race&fix=double-purge&run=1.AAAAAAAAAAAAAAAAAAAAAJ&step=24");
    assert_eq!(label(&run, 13).1, "cdn purged user:1");
    assert_eq!(label(&run, 22), ("crash invalidator", "crashed"));
    assert_eq!(label(&run, 24).1, "cdn purged again user:1");
    let text = ending(&run);
    assert!(
        text.contains(
            "No delete of user:1 reached the origin's cache after its latest commit (a purge at the edge drops \
             only the edge's copy)."
        ),
        "{text}"
    );
    assert!(!text.contains("reached a cache"), "{text}");
}

/// M7: the explorer's cdc-invalidation run (0 faults): the crash step said "Its
/// supervisor will restart it at 40 ms", and the run fired the 60 ms reader start
/// first (step 17) and the restart at 60 ms (18). The restart is an event due then.
#[test]
fn m7_a_supervisor_s_restart_is_due_not_promised() {
    let run = played("scenario=cdc-invalidation&run=1.AAAAAABBBBBABCBBCC&step=14");
    assert_eq!(label(&run, 14), ("crash service", "crashed"));
    assert_eq!(label(&run, 18), ("restart service", "restarted"));
    assert_eq!(run.state(18).unwrap().now_ms, 60);
    let said = step(&run, 14);
    assert!(
        said.ends_with(" Its supervisor's restart of it is due at 40 ms."),
        "{said}"
    );
    assert!(!said.contains("will restart it at"), "{said}");
}

/// M8: replica-lag-refill, the replica crashed (step 14) and its stream message was
/// lost (18): the ending said "The replica has v1 now", written for a replica that
/// catches up, of one that is down.
#[test]
fn m8_a_down_replica_is_said_down() {
    let run = played("scenario=replica-lag-refill&run=1.AAAAAAAAAAAAAI&step=18");
    assert_eq!(label(&run, 14), ("crash replica", "crashed"));
    assert_eq!(label(&run, 18).1, "lost: node down");
    let text = ending(&run);
    assert!(
        text.contains(
            "The replica is down, with v1 of user:1 on its disk; the cache keeps v1 until its TTL ends it at \
             60023 ms"
        ),
        "{text}"
    );
    assert!(!text.contains("The replica has"), "{text}");
    let run = review::story("scenario=replica-lag-refill");
    assert!(
        ending(&run).contains("The replica has v2 now"),
        "{}",
        ending(&run)
    );
}

/// M8: stampede, all 5 rows lost at the down service and every reader reset: the ending
/// said "Every reader that missed loaded the key itself". And 3 of 5 database reads
/// came from GETs that failed on the crashed cache: the ending said only "Done. 5
/// database reads … 2 cache lookups missed".
#[test]
fn m8_stampede_s_endings_after_crashes() {
    let q = "scenario=stampede&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAF&step=62";
    let run = played(q);
    let text = ending(&run);
    assert!(
        text.ends_with(
            "Every reader that missed went to the database itself, though not every read was answered. Try a fix."
        ),
        "{text}"
    );
    assert!(!text.contains("loaded the key itself"), "{text}");
    let run = played("scenario=stampede&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAH&step=69");
    assert_eq!(label(&run, 36), ("crash cache", "crashed"));
    assert_eq!(label(&run, 39).1, "get failed: read as a miss");
    assert_eq!(
        ending(&run),
        "Done. 5 database reads for one hot key. 2 cache lookups missed. The cache crashed in this run: a read \
         whose lookup failed on it (its GET failed on the closed connection, or was refused while the cache was \
         down) went to the database as on a miss, so the database reads outnumber the misses."
    );
}

/// C1 and C2: after the edge's step names the 502, the reader's step said "(an error,
/// as an HTTP 500)" (C1, fixed on main with review 21's F8 leftover: checked here);
/// the 502 step for a lone forwarded read ended "a write's client cannot tell whether
/// it committed" (C2), words kept for a step that fails a write.
#[test]
fn c1_c2_the_edge_s_502_steps() {
    let run = played("scenario=cdn-purge-race&run=1.AAAAAAE&step=11");
    assert_eq!(label(&run, 11), ("failed read user:1", "read failed"));
    assert!(
        step(&run, 11).contains("the CDN edge's 502 Bad Gateway"),
        "{}",
        step(&run, 11)
    );
    assert!(!step(&run, 11).contains("HTTP 500"), "{}", step(&run, 11));
    let lone_read = step(&run, 16);
    assert_eq!(label(&run, 16).1, "origin closed: 502 sent");
    assert!(
        lone_read.ends_with("(CloudFront and Cloudflare send 502 Bad Gateway, Fastly 503)."),
        "{lone_read}"
    );
    assert!(!lone_read.contains("a write's client"), "{lone_read}");
    // Step 10 failed the write too.
    assert!(step(&run, 10).ends_with(": a write's client cannot tell whether it committed."));
}

/// C3: a database crash with 3 selects pending (the answers to 2 more already on their
/// way) said "service has a request waiting on it"; step 56 then fails 3.
#[test]
fn c3_a_crash_counts_the_requests_waiting_on_it() {
    let run =
        played("scenario=stampede&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAJ&step=49");
    assert_eq!(label(&run, 49), ("crash db", "crashed"));
    let said = step(&run, 49);
    assert!(
        said.contains("Its operating system closes its connections: service has 3 requests waiting on it, and will see its connection close"),
        "{said}"
    );
    assert!(step(&run, 56).contains("reader-5's request had a query pending on it too"));
}

/// C4: the batch job writes to Postgres directly; the database's crash step gave the
/// HTTP client's "connection reset by peer".
#[test]
fn c4_a_direct_database_client_reads_a_postgres_error() {
    let run = played("scenario=ttl-expiry&run=1.AAAAAAAAAAG&step=11");
    assert_eq!(label(&run, 11), ("crash db", "crashed"));
    let said = step(&run, 11);
    assert!(
        said.ends_with(
            "writer, whose request waits on it, will read its connection reset, and that request fails (a Postgres \
             client's statement fails with \"server closed the connection unexpectedly\"; a write's client cannot \
             tell whether it committed)."
        ),
        "{said}"
    );
    assert!(!said.contains("HTTP"), "{said}");
}

/// C5: the restarted edge received the origin's answer sent on the pre-restart
/// connection (step 23), logged "ignored", where every other node loses such a message.
#[test]
fn c5_an_answer_on_the_edge_s_old_connection_is_lost() {
    let run = played("scenario=cdn-purge-race&fix=double-purge&run=1.AAAAAAAAAAAAAAAAACAC&step=23");
    assert_eq!(label(&run, 18), ("crash cdn", "crashed"));
    assert_eq!(label(&run, 20), ("restart cdn", "restarted"));
    assert_eq!(label(&run, 23), ("user:1=v1", "lost: old connection"));
    let said = step(&run, 23);
    assert!(
        said.starts_with("This read-ok answers a request the CDN edge forwarded before its crash"),
        "{said}"
    );
    assert!(!said.contains("drops it"), "{said}");
}

/// M8 (cdc-invalidation's story): the service crashed right after the commit (step 13)
/// and the writer's write failed with a reset (15); the ending left it out.
#[test]
fn m8_cdc_s_story_names_the_writer_s_reset() {
    let run = review::story("scenario=cdc-invalidation");
    assert_eq!(label(&run, 12), ("update user:1", "committed v2"));
    assert_eq!(label(&run, 15).1, "write failed: conn reset");
    let text = ending(&run);
    assert!(
        text.contains(
            "The writer was never told its write succeeded, yet it did: its connection to service was reset, so \
             it cannot tell whether its write committed."
        ),
        "{text}"
    );
}
