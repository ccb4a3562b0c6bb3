//! Review 19's findings about endings, chapter titles and crash words (M1 to M5, F6),
//! each at its reproduction: the page link, the fault as the next step where there is
//! one, the run to its end; each sentence checked against the state it tells of.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::ids::MsgId;
use cachescope::sim::scenario::file;
use cachescope::sim::{scenarios, Event, Fault, Fixes, Key, Run};
use cachescope::ui::chapters::Ahead;

use review::{ending, faulted, node, story};

/// The clients still waiting for an answer.
fn waiting(run: &Run) -> Vec<String> {
    let w = run.world();
    w.clients
        .iter()
        .filter(|c| c.busy.is_some())
        .map(|c| c.id.to_string())
        .collect()
}

/// M1: dual-write-crash on its own script ended with the writer waiting (its request
/// died with the service), and its ending began "Done.". `{done}` said who waits and
/// why instead. Since review 20b (F8) the writer reads its connection reset and its
/// request fails: nobody waits, no stuck note, and `{done}` names the failed request;
/// a run where nobody waits and nothing failed still says "Done.".
#[test]
fn m1_an_ending_says_done_only_when_no_client_waits() {
    // With an invariant broken no "Done." at all (review 20b, N8).
    for (q, why, then) in [
        (
            "scenario=dual-write-crash",
            "The request of writer failed with a connection reset.",
            " The cache holds user:1 = v1 while the database has v2: the service committed and died before \
             publishing",
        ),
        (
            "scenario=dual-write-crash&fix=outbox",
            "Done, but writer's request failed with a connection reset.",
            " The cache and the database both hold user:1 = v2. The service died after its commit",
        ),
    ] {
        let run = story(q);
        assert!(run.at_end() && run.on_script(), "{q}: its own script to the end");
        assert!(waiting(&run).is_empty(), "{q}");
        assert!(run.world().books.crashes_of(node("service")) > 0);
        assert_eq!(run.stuck_note(), None, "{q}");
        let text = ending(&run);
        assert!(text.starts_with(&format!("{why}{then}")), "{q}: {text}");
        assert!(!text.contains("Done."), "{q}: {text}");
    }
    // Nobody waits: "Done.", and no stuck note; but no "Done." before a broken
    // invariant (review 20b, N8: it read as all is well).
    for (q, done) in [
        ("scenario=cache-aside-write", true),
        ("scenario=write-behind-crash", false),
        ("scenario=write-behind-crash&fix=durable-queue", true),
        ("scenario=outbox", true),
    ] {
        let run = story(q);
        assert!(waiting(&run).is_empty(), "{q}");
        assert_eq!(run.stuck_note(), None, "{q}");
        let text = ending(&run);
        assert_eq!(text.starts_with("Done. "), done, "{q}: {text}");
        assert_eq!(
            run.world().books.acked.get(&Key(1)).copied() == Some(run.world().db().read(Key(1))),
            done,
            "{q}"
        );
        assert_eq!(run.end_words(), Some(text), "{q}");
    }
}

/// M4: stampede's crash endings said "7 reads missed" with 5 readers: the count is of
/// cache lookups that missed (a reader told to wait looks again), and the words now
/// say so.
#[test]
fn m4_the_misses_counted_are_cache_lookups() {
    let run = faulted(
        "scenario=stampede&fix=lease&step=52",
        Fault::Crash(node("service")),
    );
    let w = run.world();
    assert_eq!((w.clients.len(), w.metrics.cache_misses), (5, 7));
    let text = ending(&run);
    assert!(text.ends_with(" 7 cache lookups missed."), "{text}");
    assert!(!text.contains("reads missed"), "{text}");
}

/// M5: the lease sentence says until when the lease bars other loads, and a lease that
/// lapsed before the run's end is not said to be held. The lapse: stampede as a file
/// with a 1 ms lease, the service crashed with the lease unfilled.
#[test]
fn m5_a_lease_is_told_with_its_end_and_a_lapsed_one_is_not_held() {
    let run = faulted(
        "scenario=stampede&fix=lease&step=52",
        Fault::Crash(node("service")),
    );
    let lease = *run.world().cache().leases.get(&Key(1)).unwrap();
    assert_eq!((lease.token, lease.issued_ms), (1, 122));
    assert!(run.world().now_ms < 122 + 10_000);
    assert!(ending(&run).contains(
        " The cache still holds lease #1 on user:1, issued at 122 ms, until 10122 ms: no set has filled it, and \
         until then another miss of user:1 is told to wait."
    ));
    let s = scenarios::find("stampede").unwrap();
    let text = file::to_json(s).replace("\"period_ms\": 10000", "\"period_ms\": 1");
    let s = file::from_json(&text).unwrap().into_scenario();
    let mut run = Run::new(s, Fixes::parse(s, ["lease"]).unwrap(), s.seed);
    while run.world().cache().leases.get(&Key(1)).is_none() {
        assert!(run.forward(), "a miss takes the lease");
    }
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(node("service"))))
        .unwrap();
    run.run_to_end();
    let w = run.world();
    let lease = *w.cache().leases.get(&Key(1)).unwrap();
    assert!(
        w.now_ms > lease.issued_ms,
        "lapsed by the end (a 1 ms lease)"
    );
    let text = ending(&run);
    assert!(
        text.contains(&format!(
            " The cache's lease #1 on user:1, issued at {0} ms, lapsed at {1} ms with no set filling it: the \
             next miss of user:1 gets a new lease.",
            lease.issued_ms,
            lease.issued_ms + 1
        )),
        "{text}"
    );
    assert!(!text.contains("still holds lease"), "{text}");
}

/// M2: the outbox's chapter said "outbox acts: committed v2; without it: committed
/// v2": the outcomes are the same, the events differ. The chapter names the events
/// where they differ.
#[test]
fn m2_the_fix_chapter_names_the_event_where_the_outcomes_match() {
    let run = story("scenario=dual-write-crash&fix=outbox");
    let c = Ahead::of(&run)
        .chapters
        .into_iter()
        .find(|c| c.kind == "fix")
        .unwrap();
    assert_eq!(
        c.text,
        "with outbox: update user:1 + outbox row (committed v2); without it: update user:1 (committed v2)"
    );
    let plain = story("scenario=dual-write-crash");
    let (with, without) = (&run.records()[c.step - 1], &plain.records()[c.step - 1]);
    assert_eq!(with.outcome, without.outcome);
    assert_eq!(
        (with.label.as_str(), without.label.as_str()),
        ("update user:1 + outbox row", "update user:1")
    );
    // Only the time differs: the durable queue acknowledges after its disk write.
    let run = story("scenario=write-behind-crash&fix=durable-queue");
    let c = Ahead::of(&run)
        .chapters
        .into_iter()
        .find(|c| c.kind == "fix")
        .unwrap();
    assert_eq!(
        c.text,
        "with durable-queue: ack at 8 ms; without it: ack at 3 ms"
    );
}

/// M3: cache-aside-write, the write's delete (m12) delayed at step 14: the cache is
/// stale from step 12 until the delete at 20, and the reader got v1 at 19. The chapter
/// said "a window, not a break"; it says the stale read.
#[test]
fn m3_a_window_with_a_stale_read_in_it_says_so() {
    let run = faulted(
        "scenario=cache-aside-write&step=13",
        Fault::Delay(MsgId(12)),
    );
    let chapters = Ahead::of(&run).chapters;
    let c = chapters.iter().find(|c| c.kind == "window").unwrap();
    assert_eq!(c.step, 12);
    assert_eq!(
        c.text,
        "a copy stale until step 20 (del user:1): reader got a stale read in it, at step 19"
    );
    let stale = |s: usize| run.state(s).unwrap().metrics.stale_reads;
    assert_eq!((stale(18), stale(19)), (0, 1));
    assert_eq!(run.records()[18].actor, node("reader"));
    // The story's window has no stale read in it: "not a break".
    let run = story("scenario=cache-aside-write");
    let c = Ahead::of(&run)
        .chapters
        .into_iter()
        .find(|c| c.kind == "window")
        .unwrap();
    assert!(c.text.ends_with(": a window, not a break"), "{}", c.text);
    assert_eq!(run.world().metrics.stale_reads, 0);
}

/// F6 (a): write-behind-crash with the durable queue, the search's run: the cache
/// crashes with v2 acknowledged, and after its restart a read loads v1 from the
/// database before the flusher writes v2 there, and sets it. The ending said only that
/// the database has v2; it says what the cache holds, and how.
#[test]
fn f6a_the_durable_queue_ending_says_what_the_cache_holds() {
    let mut run =
        common::at("scenario=write-behind-crash&fix=durable-queue&run=1.AAAAAAAECEABAAAAAAAAA");
    run.run_to_end();
    let w = run.world();
    assert!(w.books.crashes_of(node("cache")) > 0);
    assert_eq!(
        (
            w.cache().live(Key(1), w.now_ms).map(|e| e.version.0),
            w.db().read(Key(1)).0
        ),
        (Some(1), 2)
    );
    // Its second write failed on the cache's crash (step 14): said first (review 22, M1).
    assert_eq!(
        ending(&run),
        "The request of writer was answered with an error. Broken: cache-matches-db. The cache holds user:1 = v1 \
         while the database has v2: a read loaded v1 from \
         the database before the flusher had written v2 there, and set it in the cache. The reader got v1 back: a \
         stale read. No acknowledged write was lost: the database has v2, the last one, and the cache's disk log \
         kept each through the crash. Each ack cost a disk write first."
    );
    // The read's select answered v1 before the flusher's put wrote v2.
    let labels: Vec<&str> = run.records().iter().map(|r| r.label.as_str()).collect();
    let select = labels.iter().position(|l| l.starts_with("row v1")).unwrap();
    let put = labels
        .iter()
        .position(|l| l.starts_with("put user:1=v2"))
        .unwrap();
    assert!(select < put, "{labels:?}");
}

/// F6 (b): a cache crash before the key's commit is no cause of what followed it: the
/// stale-set race is told though the cache crashed (and restarted) before the race.
#[test]
fn f6b_the_race_is_told_after_a_crash_before_it() {
    let plain = common::start("cache-aside-write", &[]);
    let found = common::search(&plain, 0, 100_000);
    let c = found
        .violations
        .iter()
        .find(|c| c.invariant == "cache-matches-db")
        .unwrap();
    let events = cachescope::sim::codec::decode(&plain, &c.code).unwrap();
    let mut run = common::start("cache-aside-write", &[]);
    for f in [Fault::Crash(node("cache")), Fault::Restart(node("cache"))] {
        run.fire(Event::Fault(f)).unwrap();
    }
    for e in events {
        run.fire(e).unwrap();
    }
    let w = run.world();
    assert_eq!(w.books.crashes_of(node("cache")), 1);
    let text = ending(&run);
    assert!(
        text.contains(
            "A read loaded v1 before the write and set it after the write's invalidation: the stale-set race"
        ),
        "{text}"
    );
}

/// F6 (c): near-cache-stale with client tracking, the cache node crashed at step 3:
/// at step 10 service-2's connection to it closes, which flushes its (empty) near
/// cache and fails the SET it had pending. The outcome said "nothing to flush" only.
#[test]
fn f6c_a_close_that_flushes_and_fails_a_set_says_both() {
    let run = faulted(
        "scenario=near-cache-stale&fix=client-tracking&step=2",
        Fault::Crash(node("cache")),
    );
    let r = &run.records()[9];
    assert_eq!(r.outcome, "nothing to flush; set failed: answer v1");
    assert!(
        r.narration.contains("there is nothing to flush")
            && r.narration.contains("its SET of user:1 = v1 fails"),
        "{}",
        r.narration
    );
}
