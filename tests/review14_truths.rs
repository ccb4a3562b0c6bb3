//! Sentences the session-14 review of the built page found false of their trace, each
//! read again at the reviewer's own link (the page's `link::load`), with the state
//! that contradicted it: X1 a TTL promised for a key no cache holds; X2 a near copy
//! said kept that was never stored; X3 the stale-set race blamed for a crash that
//! skipped the delete; X4 a remote marker cleared by an older version said to mean
//! the write replicated; X8 a purge and a commit presupposed that did not happen; W8
//! a queue with an ack per event drawn with a log offset; W9 a set said to reach the
//! cache inside a transaction that had already rolled back.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::view::View;
use cachescope::sim::{Event, Fault, Key, NodeId, Run, Version};

use common::at;
use review::ending;

fn cached_anywhere(run: &Run, key: Key) -> bool {
    let w = run.world();
    w.nodes.caches().any(|(_, c)| c.entries.contains_key(&key))
}

/// X1: the search's 8-step no-lost-event run of dual-write-crash loses the reader's
/// read, so nothing is cached: no TTL is running, nothing is stale.
#[test]
fn a_lost_event_with_nothing_cached_promises_no_ttl() {
    let run = at("scenario=dual-write-crash&run=1.ABBBC&step=8");
    assert!(!cached_anywhere(&run, Key(1)));
    let text = ending(&run);
    assert!(
        !text.contains("nothing will ever invalidate the key"),
        "{text}"
    );
    assert!(
        text.contains(
            "No cached copy is stale now, but a copy of the old row cached before the commit"
        ),
        "{text}"
    );
    // The story, where the cache holds v1 at the end, keeps its sentence.
    let mut story = common::start("dual-write-crash", &[]);
    story.run_to_end();
    assert!(cached_anywhere(&story, Key(1)));
    assert!(ending(&story).contains("nothing will ever invalidate the key before its TTL"));
}

/// X2: with client tracking and the set's reply lost, service-2 keeps no near copy.
#[test]
fn a_near_copy_is_not_said_kept_when_none_was_stored() {
    let run = at("scenario=near-cache-stale&fix=client-tracking&run=1.AAAAAABBBBBAABJ&step=15");
    let near = run
        .world()
        .nodes
        .service(NodeId::parse("service-2").unwrap())
        .unwrap();
    assert!(near.near.entries.is_empty());
    let text = ending(&run);
    assert!(!text.contains("service-2 kept"), "{text}");
}

/// X3: the service crashed between the commit and the delete; the v1 cached before
/// the write stays. No read, no set: not the stale-set race.
#[test]
fn a_skipped_delete_is_not_blamed_on_the_stale_set_race() {
    let run = at("scenario=replica-lag-refill&fix=fill-from-primary&run=1.AAABCC&step=8");
    assert_eq!(
        run.world().cache().entries.get(&Key(1)).map(|e| e.version),
        Some(Version(1))
    );
    let text = ending(&run);
    assert!(
        !text.contains("Reading the primary does not close the stale-set race"),
        "{text}"
    );
}

/// X4: a duplicated UPDATE commits v2 and v3; v2's replication clears the marker
/// while v3 has not replicated: the step says so.
#[test]
fn a_marker_cleared_by_an_older_version_says_the_newer_has_not_replicated() {
    let run = at(
        "scenario=cross-region-read-your-writes&fix=remote-marker&run=1.AAAAVAABBBBABCDDBCDDDDD&step=16",
    );
    let said = &run.records()[15].narration;
    assert!(said.contains("remote marker"), "{said}");
    assert_eq!(run.world().committed(Key(1)), Version(3));
    assert!(
        said.contains(
            "user:1 = v2 has replicated to this region, so it removes user:1's remote marker too. But the \
             primary already has v3, which has not replicated here yet"
        ),
        "{said}"
    );
    // The story's marker is cleared by the write's own version: the plain sentence.
    let mut story = common::start("cross-region-read-your-writes", &["remote-marker"]);
    story.run_to_end();
    let plain = story
        .records()
        .iter()
        .find(|r| r.narration.contains("remote marker too"))
        .expect("the story clears its marker");
    assert!(
        plain
            .narration
            .contains("The change has replicated to this region"),
        "{}",
        plain.narration
    );
}

/// X8: a crash of a database with an open transaction and nothing committed by it.
#[test]
fn a_database_crash_claims_no_commit_it_did_not_make() {
    let mut run = at("scenario=sandbox&sb=1.a111m5000.r20.ti.c&step=14");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::DB)))
        .expect("db can crash");
    let said = &run.records().last().unwrap().narration;
    assert!(
        !said.contains("a committed transaction is on disk"),
        "{said}"
    );
    assert!(said.contains("what it committed is on disk"), "{said}");
}

/// X8: cdn-purge-race with the edge crashed before the write's answer: it never purged.
#[test]
fn a_purge_that_never_happened_is_not_presupposed() {
    let mut run = at("scenario=cdn-purge-race&step=9");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::parse("cdn").unwrap())))
        .expect("the edge can crash");
    run.run_to_end();
    let text = ending(&run);
    assert!(!text.contains("after its purge"), "{text}");
}

/// W9: the abort comes before the set lands; the set was sent inside the transaction.
#[test]
fn a_set_landing_after_the_rollback_is_not_said_to_land_inside_it() {
    let mut run = at("scenario=rollback-after-cache-write&step=4");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Abort(NodeId::parse("writer").unwrap())))
        .expect("the writer's transaction can abort");
    run.run_to_end();
    let all: String = run.records().iter().map(|r| r.narration.as_str()).collect();
    assert!(
        !all.contains("already reached the cache, inside the transaction"),
        "{all}"
    );
    let text = ending(&run);
    assert!(
        !text.contains("The set ran inside the transaction"),
        "{text}"
    );
    assert!(
        text.contains("The set was sent inside the transaction"),
        "{text}"
    );
}

/// W8: event-duplicate-reorder's bus is a queue with an ack per event: its box counts
/// the events still in it, with no offset.
#[test]
fn a_queue_with_an_ack_per_event_is_drawn_without_an_offset() {
    let run = at("scenario=event-duplicate-reorder&step=8");
    let v = View::of(run.world(), run.scenario);
    let note = &v.nodes.iter().find(|n| n.id == NodeId::BUS).unwrap().note;
    assert_eq!(note, "1 in queue");
}

/// X13: the consumer's delete already ran before the reader's late set; only its reply
/// is in flight. No delete is still to come.
#[test]
fn a_handled_event_is_not_a_delete_still_to_come() {
    for query in [
        "scenario=event-invalidation&run=1.AAAAAABBBBBBBB&step=15",
        "scenario=event-delay&run=1.AAAAAABBBBBBBB&step=15",
        "scenario=event-loss&fix=durable-bus&run=1.AAAAAABBBBBBBB&step=15",
        "scenario=outbox&run=1.AAAAAABBBBBBBBBBBB&step=19",
    ] {
        let run = at(query);
        let w = run.world();
        assert!(
            !w.net
                .iter()
                .any(|m| matches!(m.payload, cachescope::sim::msg::Payload::Del { .. })),
            "{query}: no delete in flight"
        );
        let said = &run.records()[run.records().len() - 1].narration;
        assert!(said.contains("stores user:1 = v1"), "{query}: {said}");
        assert!(
            !said.contains("the consumer handles the event"),
            "{query}: {said}"
        );
        assert!(
            said.contains("nothing in flight removes it"),
            "{query}: {said}"
        );
    }
}

/// X16: a reader's set landed after the writer's delete: the service's next step does
/// not say the key is gone.
#[test]
fn a_delete_followed_by_a_set_is_not_said_to_leave_the_key_gone() {
    let run = at("scenario=delete-before-update-race&run=1.AAAAAABBBB&step=13");
    assert!(run.world().cache().entries.get(&Key(1)).is_some());
    let said = &run.records()[12].narration;
    assert!(!said.contains("The key is gone"), "{said}");
    assert!(
        said.contains(
            "But user:1 = v1 was stored in the cache after that delete: the key is cached again"
        ),
        "{said}"
    );
}

/// X14: the service crashed after its in-transaction set. Its crash closes its
/// connection, and the database rolls the transaction back when the close arrives: the
/// ending says "the rollback" only once it has happened (tests/conn_closed.rs has the
/// rest).
#[test]
fn a_crash_after_the_set_is_not_told_as_a_rollback() {
    for query in [
        "scenario=rollback-after-cache-write&run=1.AAAAABC&step=9",
        "scenario=rollback-after-cache-write&run=1.AAAAACAAAA&step=10",
    ] {
        let run = at(query);
        assert!(run.world().books.crashes_of(NodeId::SERVICE) > 0, "{query}");
        let text = ending(&run);
        let open = !run.world().db().txns.is_empty();
        assert_eq!(
            text.contains("the rollback could not take it back"),
            !open,
            "{query}: {text}"
        );
        if open {
            assert!(
                text.contains(
                    "which is still open: the crashed service's connection close is on its way"
                ),
                "{query}: {text}"
            );
        }
    }
}

/// X15: with client tracking, the cache node crashes (its tracking table with it) and
/// the writer's delete is lost at the downed node. Its crash closes service-2's
/// connection, and service-2 flushes its near cache: no near hit of the stale v1
/// follows, and no sentence promises an invalidation (tests/conn_closed.rs has the
/// rest, with the close lost).
#[test]
fn a_near_copy_no_node_tracks_is_not_promised_an_invalidation() {
    let mut run = at("scenario=near-cache-stale&fix=client-tracking&step=12");
    run.truncate_future();
    let cache = NodeId::parse("cache").unwrap();
    run.fire(Event::Fault(Fault::Crash(cache)))
        .expect("the cache can crash");
    assert!(run.forward() && run.forward());
    run.fire(Event::Fault(Fault::Restart(cache)))
        .expect("the cache can restart");
    run.run_to_end();
    let after: Vec<&str> = run.records()[12..]
        .iter()
        .map(|r| r.narration.as_str())
        .collect();
    assert!(
        after
            .iter()
            .any(|s| s.contains("service-2 flushes its whole near cache (1 copy)")),
        "{after:#?}"
    );
    assert!(
        !after
            .iter()
            .any(|s| s.contains("service-2 finds user:1 = v1")
                || s.contains("invalidation reaches service-2")),
        "{after:#?}"
    );
    let text = ending(&run);
    assert!(
        !text.contains("pushed an invalidation to service-2"),
        "{text}"
    );
    // The story: the node tracks the read, and its invalidation reaches service-2.
    let mut story = common::start("near-cache-stale", &["client-tracking"]);
    story.run_to_end();
    assert!(story.records().iter().any(|r| r
        .narration
        .contains("'s invalidation of user:1 reaches service-2")));
    assert!(ending(&story).contains("pushed an invalidation to service-2"));
}

/// X7: hybrid's and ttl-expiry's search runs end broken only because the horizon
/// comes before the TTL that would end the stale copy: the ending says so.
#[test]
fn a_ttl_past_the_horizon_is_said_to_end_the_copy_after_the_run() {
    for (query, ttl, horizon) in [
        (
            "scenario=hybrid&run=1.AAAAAABBBBBBBBBBAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&step=45",
            366,
            357,
        ),
        (
            "scenario=ttl-expiry&run=1.AAAAAAAAAABBBBBBCCCCABB&step=26",
            508,
            450,
        ),
    ] {
        let run = at(query);
        assert!(run.at_end(), "{query}");
        let w = run.world();
        assert_eq!(w.config.horizon_ms, horizon, "{query}");
        assert!(
            cachescope::sim::Invariant::CacheMatchesDb.check(w).is_err(),
            "{query}"
        );
        let text = ending(&run);
        assert!(
            text.contains(&format!(
                "Its TTL ends it at {ttl} ms, after this run's horizon ({horizon} ms): the run ends first, \
                 with the copy still stale."
            )),
            "{query}: {text}"
        );
    }
}

/// The poison event's ending names two keys: "stay stale until the TTL runs out",
/// with no "it" for the two of them.
#[test]
fn the_keys_behind_a_poison_event_are_not_called_it() {
    let mut story = common::start("poison-event", &[]);
    story.run_to_end();
    let text = ending(&story);
    assert!(
        text.contains("user:2 and user:3 stay stale until the TTL runs out."),
        "{text}"
    );
}

/// write-behind's cache-matches-db counterexample (the search's, faults 0) ends with a
/// stale copy: not with the story's "Done. … Every acknowledged write is now in the
/// database" that says nothing of it.
#[test]
fn write_behind_s_broken_run_does_not_end_as_the_story() {
    let run = common::counterexample("write-behind", &[], 0, 200_000, "cache-matches-db");
    assert!(cachescope::sim::Invariant::CacheMatchesDb
        .check(run.world())
        .is_err());
    let text = ending(&run);
    assert!(!text.contains("Done. The clients made"), "{text}");
    assert!(text.contains("cache-matches-db is broken"), "{text}");
    let mut story = common::start("write-behind", &[]);
    story.run_to_end();
    assert!(ending(&story).starts_with("Done. The clients made"));
}
