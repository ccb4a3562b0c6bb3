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
        story(&r).contains("RFC 2308") || r.scenario.story().iter().any(|p| p.contains("RFC 2308"))
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

#[test]
fn cdc_invalidation() {
    let r = run("cdc-invalidation", &[]);
    check(&r, expect_file!["snapshots/cdc-invalidation.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(holds(&r, Invariant::NoLostEvent));
    let w = r.world();
    assert_eq!(w.books.crashes_of(cachescope::sim::NodeId::SERVICE), 1);
    assert_eq!(w.books.crashes_of(cachescope::sim::NodeId::INVALIDATOR), 1);
    let inv = w
        .nodes
        .invalidator(cachescope::sim::NodeId::INVALIDATOR)
        .expect("an invalidator");
    assert_eq!(inv.position, w.db().lsn, "it resumed and caught up");
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    let text = story(&r);
    assert!(text.contains("McSqueal"));
    assert!(text.contains("not the stale-set race"));
}

/// The pattern's hole: with no crash, a read that loads `v1` before the commit and
/// sets it after the invalidator's delete leaves the old row, and the ending says it
/// is the stale-set race, which CDC does not close.
#[test]
fn cdc_invalidation_still_has_the_stale_set_race() {
    use cachescope::sim::world::Event;
    use cachescope::sim::NodeId;
    let s = scenarios::find("cdc-invalidation").unwrap();
    let fixes = Fixes::parse(s, []).unwrap();
    let mut w = s.world(&fixes, s.seed);
    let deliver = |w: &mut cachescope::sim::World, kind: &str, to: NodeId| {
        let m = w
            .net
            .iter()
            .find(|m| m.payload.kind() == kind && m.to == to)
            .unwrap_or_else(|| panic!("{kind} to {to} in flight"));
        let id = m.id;
        w.step(Event::Deliver(id)).unwrap();
    };
    w.step(Event::Start(NodeId::Reader(1))).unwrap();
    deliver(&mut w, "read", NodeId::SERVICE);
    deliver(&mut w, "get", NodeId::CACHE);
    deliver(&mut w, "get-reply", NodeId::SERVICE);
    deliver(&mut w, "db-read", NodeId::DB);
    deliver(&mut w, "db-read-reply", NodeId::SERVICE);
    // The set of v1 is on its way; the writer commits v2 and the invalidator deletes.
    w.step(Event::Start(NodeId::Writer(1))).unwrap();
    deliver(&mut w, "write", NodeId::SERVICE);
    deliver(&mut w, "db-write", NodeId::DB);
    deliver(&mut w, "change", NodeId::INVALIDATOR);
    deliver(&mut w, "del", NodeId::CACHE);
    deliver(&mut w, "set", NodeId::CACHE);
    while let Some(e) = w.earliest() {
        w.step(e).unwrap();
    }
    assert!(Invariant::CacheMatchesDb.check(&w).is_err());
    let end = s.epilogue(&w, &fixes);
    assert!(end.contains("stale-set race"), "{end}");
    assert!(end.contains("McSqueal with leases"), "{end}");
}

#[test]
fn cross_region_read_your_writes_without_fix() {
    let r = run("cross-region-read-your-writes", &[]);
    check(
        &r,
        expect_file!["snapshots/cross-region-read-your-writes.txt"],
    );
    assert!(!holds(&r, Invariant::ReadYourWrites));
    assert!(holds(&r, Invariant::CacheMatchesDb), "ok at the end");
    assert!(metric(&r, Metric::StaleReads) >= 1);
    assert_eq!(metric(&r, Metric::ReplicaReads), 1);
}

#[test]
fn cross_region_read_your_writes_remote_marker() {
    let r = run("cross-region-read-your-writes", &["remote-marker"]);
    check(
        &r,
        expect_file!["snapshots/cross-region-read-your-writes+remote-marker.txt"],
    );
    assert!(holds(&r, Invariant::ReadYourWrites));
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
    assert_eq!(
        metric(&r, Metric::DbReads),
        1,
        "the marked miss read the primary"
    );
    assert!(story(&r).contains("cross-region latency"));
    let w = r.world();
    let cache2 = w.nodes.cache(cachescope::sim::NodeId::Cache(2)).unwrap();
    assert!(
        cache2.markers.is_empty(),
        "the invalidator cleared the marker"
    );
}
