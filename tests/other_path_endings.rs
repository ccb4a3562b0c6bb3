//! The ending of a run that left the scenario's script (review session 12, V3 and
//! V14): it said "Done. This run took another path than the story above.", repeated
//! the invariant's sentence, and named no cause; the catalog's rule asks a pattern's
//! counterexample to name the hole leases and versioned sets close, and the TTL that
//! ends a stale copy. Each claim is checked against the run's state and books.
mod common;
use cachescope::sim::books::Happened;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, Key, Run, Version};

fn ending(run: &Run) -> String {
    run.scenario.epilogue(run.world(), &run.fixes)
}

fn ttl_of_user1(run: &Run) -> u64 {
    let w = run.world();
    w.cache()
        .live(Key(1), w.now_ms)
        .expect("a live copy")
        .expires_ms
}

/// The run's horizon, which each of these runs' TTLs (60 s) comes after (review
/// session 14, X7: the ending says so).
fn horizon(run: &Run) -> u64 {
    let h = run.world().config.horizon_ms;
    assert!(ttl_of_user1(run) > h);
    h
}

#[test]
fn a_pattern_s_counterexample_names_the_stale_set_race_and_its_ttl() {
    for id in ["cache-aside-write", "event-invalidation"] {
        let run = common::counterexample(id, &[], 0, 100_000, "cache-matches-db");
        let w = run.world();
        assert!(
            !w.books.saw(Happened::Undeleted(Key(1))),
            "{id}: a delete came after the commit"
        );
        assert!(
            w.books.saw(Happened::StaleStored(Key(1))),
            "{id}: an old value was stored"
        );
        let text = ending(&run);
        assert_eq!(
            text,
            format!(
                "This run took another path than the scenario's script. The cache holds user:1 = v1 while the \
                 database has v2. A read loaded v1 before the write and set it after the write's invalidation: \
                 the stale-set race, the hole leases and versioned sets close. Its TTL ends it at {} ms, after this \
                 run's horizon ({} ms): the run ends first, with the copy still stale. cache-matches-db is broken.",
                ttl_of_user1(&run),
                horizon(&run)
            ),
            "{id}"
        );
    }
}

#[test]
fn a_lost_event_is_told_as_no_delete_not_as_the_race() {
    // event-invalidation with the change's event dropped on its way to the consumer.
    let mut run = common::start("event-invalidation", &[]);
    common::fault_when_sent(
        &mut run,
        |p| matches!(p, Payload::Deliver { .. }),
        Fault::Drop,
    );
    run.run_to_end();
    assert!(run.world().books.saw(Happened::Undeleted(Key(1))));
    let text = ending(&run);
    assert!(
        !text.contains("Done.") && !text.contains("story above"),
        "{text}"
    );
    assert!(!text.contains("stale-set race"), "{text}");
    assert!(
        text.contains(&format!(
            "The cache holds user:1 = v1 while the database has v2. No delete of user:1 reached a cache after its \
             latest commit. Its TTL ends it at {} ms, after this run's horizon ({} ms): the run ends first, \
             with the copy still stale. cache-matches-db is broken; no-lost-event is broken",
            ttl_of_user1(&run),
            horizon(&run)
        )),
        "{text}"
    );
}

/// ttl-expiry's counterexample (review session 13, W10): the batch job's commit goes
/// straight to the database, so nothing deletes the key; the ending says that, and the
/// TTL, once, with no "Done." and no second telling of cache-matches-db.
#[test]
fn a_write_that_sends_no_delete_is_told_as_no_delete() {
    let run = common::counterexample("ttl-expiry", &[], 0, 100_000, "cache-matches-db");
    assert!(run.world().books.saw(Happened::Undeleted(Key(1))));
    assert_eq!(
        ending(&run),
        format!(
            "This run took another path than the scenario's script. The cache holds user:1 = v1 while the \
             database has v2. No delete of user:1 reached a cache after its latest commit. Its TTL ends it at {} \
             ms, after this run's horizon ({} ms): the run ends first, with the copy still stale. \
             cache-matches-db is broken.",
            ttl_of_user1(&run),
            horizon(&run)
        )
    );
}

/// write-behind-crash's counterexample (W10): no invalidation in write-behind, so the
/// race is told as what it is there: the read loaded v1 from the database before the
/// flusher wrote v3, and its set landed after the write had put v3 in the cache.
#[test]
fn write_behind_s_race_is_told_without_an_invalidation() {
    let run = common::write_behind_race();
    let w = run.world();
    assert_eq!(
        w.config.write_mode,
        cachescope::sim::config::WriteMode::Behind
    );
    assert!(w.books.saw(Happened::StaleStored(Key(1))));
    assert_eq!(w.books.crashes_of(cachescope::sim::NodeId::CACHE), 0);
    assert_eq!(w.db().read(Key(1)), Version(3));
    assert_eq!(w.books.acked.get(&Key(1)), Some(&Version(3)));
    // Written to the cache before its acknowledgement, and acknowledged before the
    // stale set (which the trace shows in that order).
    let put = line_of(&run, "write user:1 => queued v3");
    let stale = line_of(&run, "set user:1=v1 => stored v1");
    let flushed = line_of(&run, "put user:1=v3 => wrote v3");
    let read = line_of(&run, "select user:1 => row v1");
    assert!(
        put < stale && read < flushed,
        "{put} {stale} {read} {flushed}"
    );
    assert_eq!(
        ending(&run),
        format!(
            "This run took another path than the scenario's script. The cache holds user:1 = v1 while the \
             database has v3. A read loaded v1 from the database before v3 reached it, and set it after the write \
             had put v3 in the cache: the stale-set race, in write-behind. Its TTL ends it at {} ms, after this \
             run's horizon ({} ms): the run ends first, with the copy still stale. cache-matches-db is broken.",
            ttl_of_user1(&run),
            horizon(&run)
        )
    );
}

/// The index of the first step whose trace line contains `line`.
fn line_of(run: &Run, line: &str) -> usize {
    run.records()
        .iter()
        .position(|r| r.to_string().contains(line))
        .unwrap_or_else(|| panic!("no step reads {line:?}"))
}

/// cdn-purge-race with "Invalidate the origin first" (W7): the search's counterexample
/// is the edge-raced one, and its ending is that story whatever fix is on, saying why
/// this fix cannot close it; with no fix, "Try a fix." as before.
#[test]
fn the_edge_raced_ending_is_told_with_the_origin_fix_on() {
    let said = "The edge purged user:1 when the write's answer passed it, yet an older response reached it after \
                that purge, and the edge stored it for its full s-maxage. That response left the origin before the \
                commit: the origin was right when it answered.";
    for (fixes, tail) in [
        (&["invalidate-origin-first"][..], " Invalidating the origin first cannot close it: this response left the origin before the commit, so it was not stale there."),
        (&[][..], " Try a fix."),
    ] {
        let run = common::counterexample("cdn-purge-race", fixes, 0, 100_000, "cache-matches-db");
        assert!(run.world().books.saw(Happened::EdgeRaced(Key(1))), "{fixes:?}");
        let text = ending(&run);
        assert!(text.contains(said), "{fixes:?}: {text}");
        assert!(text.ends_with(&format!("The reader got v1.{tail}")), "{fixes:?}: {text}");
        assert!(!text.contains("another path"), "{fixes:?}: {text}");
    }
}

/// negative-cache with invalidate-on-insert, the INSERT duplicated and its copy's
/// refusal delivered before the first copy's commit answers (W6): the service tells
/// the writer its write failed and sends no delete, so the cached `absent` stays. The
/// ending says why the fix did not act.
#[test]
fn a_refusal_that_answers_first_is_why_the_insert_deleted_nothing() {
    let mut run = common::insert_refused_first(&["invalidate-on-insert"]);
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.db().read(Key(2)), Version(1));
    assert!(w.books.saw(Happened::Undeleted(Key(2))));
    assert_eq!(
        w.books.acked.get(&Key(2)),
        None,
        "no writer was told v1 committed"
    );
    let writer = w
        .clients
        .iter()
        .find(|c| c.id.to_string() == "writer")
        .unwrap();
    assert_eq!(
        writer.last_answer,
        Some(Payload::WriteFailed { key: Key(2) })
    );
    let text = ending(&run);
    assert!(
        text.contains(
            "The cache holds user:2 = absent while the database has v1. The service told writer its INSERT of \
             user:2 failed: a duplicate-key refusal reached the request before any commit's answer did, and a \
             refused INSERT deletes nothing. No delete of user:2 reached a cache after its latest commit."
        ),
        "{text}"
    );

    // The commit's answer first: the fix deletes, the writer is told of success, and
    // no refusal is said.
    let mut run = common::start("negative-cache", &["invalidate-on-insert"]);
    let ins = common::step_until_sent(&mut run, |p| matches!(p, Payload::DbInsert { .. }));
    run.fire(Event::Fault(Fault::Duplicate(ins))).unwrap();
    run.run_to_end();
    let text = ending(&run);
    assert!(!text.contains("refusal"), "{text}");
}
