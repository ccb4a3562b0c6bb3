//! The production chapter's later scenarios (negative caching, change data capture,
//! regions): each trace checked as a whole, with and without each fix, and the outcome
//! the catalog gives. Update the snapshots with `UPDATE_EXPECT=1 cargo test`.
mod common;
use cachescope::sim::Key;
use common::*;

#[test]
fn negative_cache_without_fix() {
    let r = run("negative-cache", &[]);
    check(&r, expect_file!["snapshots/negative-cache.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 2).as_deref(), Some("absent"));
    assert_eq!(r.world().db().read(Key(2)).to_string(), "v1");
    assert!(metric(&r, Metric::StaleReads) >= 1);
    assert!(
        story(&r).contains("RFC 2308") || r.scenario.story.iter().any(|p| p.contains("RFC 2308"))
    );
}

#[test]
fn negative_cache_invalidate_on_insert() {
    let r = run("negative-cache", &["invalidate-on-insert"]);
    check(
        &r,
        expect_file!["snapshots/negative-cache+invalidate-on-insert.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 2).as_deref(), Some("v1"));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
    assert!(story(&r).contains("stale-set race"));
}

#[test]
fn negative_cache_short_negative_ttl() {
    let r = run("negative-cache", &["short-negative-ttl"]);
    check(
        &r,
        expect_file!["snapshots/negative-cache+short-negative-ttl.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 2), None, "the negative entry expired");
    assert!(metric(&r, Metric::StaleReads) >= 1);
    assert!(story(&r).contains("bounds the staleness"));
}
