//! The CDN purge race (`src/sim/scenarios/cdn-purge-race.json`): the edge purges a key
//! when a write's answer passes it, but the origin's own cache is invalidated later,
//! from the commit log; a read that misses at the edge in between refills it with the
//! origin's stale value for the edge's full `s-maxage`. Each sentence about the race is
//! checked against the state of the step it describes.
mod common;
use cachescope::sim::books::copies;
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::scenario::file;
use cachescope::sim::world::StepRecord;
use cachescope::sim::World;
use common::*;

const ID: &str = "cdn-purge-race";

fn edge_copy(w: &World) -> Option<Version> {
    copies(w)
        .find(|c| c.holder == NodeId::Cdn && c.key == Key(1) && c.entry.expires_ms > w.now_ms)
        .map(|c| c.entry.version)
}

/// What the origin's cache node holds of user:1 in `w`.
fn origin_copy(w: &World) -> Option<Version> {
    w.cache().live(Key(1), w.now_ms).map(|e| e.version)
}

/// The step whose outcome starts with `outcome`, with the states before and after it.
fn step<'a>(r: &'a Run, outcome: &str) -> (&'a StepRecord, &'a World, &'a World) {
    let i = r
        .records()
        .iter()
        .position(|rec| rec.outcome.starts_with(outcome))
        .unwrap_or_else(|| panic!("no step {outcome}:\n{}", r.trace()));
    (
        &r.records()[i],
        r.state(i).unwrap(),
        r.state(i + 1).unwrap(),
    )
}

#[test]
fn the_purge_before_the_origin_is_fresh_leaves_the_edge_stale() {
    let r = run(ID, &[]);
    check(&r, expect_file!["snapshots/cdn-purge-race.txt"]);
    let w = r.world();
    assert_eq!(
        Invariant::CacheMatchesDb.check(w),
        Err("the CDN edge holds user:1=v1 but the database has v2".to_string())
    );
    // The origin's cache is right at the end: the invalidator deleted it.
    assert_eq!(origin_copy(w), None);
    assert_eq!(metric(&r, Metric::StaleReads), 1);
    // At the purge the origin's cache still held v1, and the sentence says so.
    let (purge, _, after) = step(&r, "cdn purged user:1");
    assert_eq!(origin_copy(after), Some(Version(1)));
    assert_eq!(after.db().read(Key(1)), Version(2));
    assert!(
        purge
            .narration
            .contains("the origin's own cache (cache) still holds v1"),
        "{}",
        purge.narration
    );
    // The stale refill: the edge stores v1 for its s-maxage, 60 s.
    let (stored, before, after) = step(&r, "cdn stored user:1=v1");
    let stored_at = r
        .records()
        .iter()
        .filter(|rec| rec.outcome == "cdn stored user:1=v1")
        .nth(1)
        .expect("the edge stores v1 twice: before the write, and after its purge");
    assert!(stored.at_ms < purge.at_ms && stored_at.at_ms > purge.at_ms);
    assert_eq!(edge_copy(before), None);
    assert_eq!(edge_copy(after), Some(Version(1)));
    let expires = after
        .nodes
        .cdn(NodeId::Cdn)
        .unwrap()
        .entries
        .get(&Key(1))
        .unwrap()
        .expires_ms;
    assert_eq!(expires, after.now_ms + 60_000);
    assert!(stored_at.narration.contains("s-maxage=60"));
    assert!(
        stored_at
            .narration
            .contains("The origin's own cache (cache) still holds v1"),
        "{}",
        stored_at.narration
    );
    assert!(story(&r).contains("A purge helps only once the origin is fresh"));
}

#[test]
fn invalidating_the_origin_first_makes_the_purge_stick() {
    let r = run(ID, &["invalidate-origin-first"]);
    check(
        &r,
        expect_file!["snapshots/cdn-purge-race+invalidate-origin-first.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
    assert_eq!(edge_copy(r.world()), Some(Version(2)));
    // The purge comes after the origin's delete: at the purge the origin holds nothing,
    // and the sentence does not claim it is stale.
    let (purge, _, after) = step(&r, "cdn purged user:1");
    assert_eq!(origin_copy(after), None);
    assert!(
        !purge.narration.contains("still holds"),
        "{}",
        purge.narration
    );
    let deleted = r
        .records()
        .iter()
        .position(|rec| rec.outcome == "deleted")
        .unwrap();
    let purged = r
        .records()
        .iter()
        .position(|rec| rec.outcome.starts_with("cdn purged"))
        .unwrap();
    assert!(deleted < purged, "origin first, then the edge");
}

#[test]
fn a_second_purge_later_than_the_race_drops_the_stale_refill() {
    let r = run(ID, &["double-purge"]);
    check(
        &r,
        expect_file!["snapshots/cdn-purge-race+double-purge.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    // The reader's read between the two purges still got v1.
    assert_eq!(metric(&r, Metric::StaleReads), 1);
    let (again, before, after) = step(&r, "cdn purged again user:1");
    assert_eq!(edge_copy(before), Some(Version(1)));
    assert_eq!(edge_copy(after), None);
    let first = step(&r, "cdn purged user:1").0.at_ms;
    assert_eq!(again.at_ms, first + 100);
    assert!(
        again.narration.contains("drops its stored user:1 = v1"),
        "{}",
        again.narration
    );
    assert!(again.narration.contains("heuristic"));
}

/// The heuristic breaks when its delay is shorter than the race: a second purge 10 ms
/// after the first comes before the stale refill (the origin's cache is invalidated
/// 50 ms after the commit), and the edge keeps v1.
#[test]
fn a_second_purge_shorter_than_the_race_is_a_counterexample() {
    let s = scenarios::find(ID).unwrap();
    let text = file::to_json(s).replace("\"second_purge_ms\": 100", "\"second_purge_ms\": 10");
    let s = file::from_json(&text).unwrap().into_scenario();
    let mut r = Run::new(s, Fixes::parse(s, ["double-purge"]).unwrap(), s.seed);
    r.run_to_end();
    let w = r.world();
    assert_eq!(
        Invariant::CacheMatchesDb.check(w),
        Err("the CDN edge holds user:1=v1 but the database has v2".to_string())
    );
    let (again, before, _) = step(&r, "cdn purged again user:1");
    assert_eq!(edge_copy(before), None, "nothing stale to drop yet");
    assert!(
        again.narration.contains("holds no user:1"),
        "{}",
        again.narration
    );
}
