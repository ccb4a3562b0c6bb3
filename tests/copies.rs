//! Every cached copy is checked (issue 8, `shared/spec/scenarios.md` "Every copy is
//! checked"): `cache-matches-db` and the books read every cache node, not only the
//! first. A pool of two cache nodes, each filled by its own service: the writer's
//! service deletes the key in its own node only, so the other node keeps the old value.
mod common;
use cachescope::sim::books::copies;
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::scenarios;
use cachescope::sim::{Fixes, Invariant, Metric, Run};

/// cache-aside-write with the reader served by `service-2`, which reads and fills
/// `cache-2`; the writer keeps `service` and `cache`.
fn two_pools() -> Run {
    common::cache_aside_write_with(
        "two-pools",
        r#""topology": [
      {"id": "cache-2"},
      {"id": "service-2", "cache": "cache-2"},
      {"id": "reader", "service": "service-2"}
    ],
    "#,
    )
}

#[test]
fn a_stale_copy_in_a_second_cache_node_is_flagged() {
    let run = two_pools();
    let w = run.world();
    let cache2 = NodeId::parse("cache-2").unwrap();
    // The first cache never held the key; the second still holds v1.
    assert!(w.cache().entries.is_empty());
    let second = w.nodes.cache(cache2).expect("cache-2 is a node");
    assert_eq!(
        second.entries.get(&Key(1)).map(|e| e.version),
        Some(Version(1))
    );
    assert_eq!(w.db().read(Key(1)), Version(2));
    assert_eq!(
        Invariant::CacheMatchesDb.check(w),
        Err("cache-2 holds user:1=v1 but the database has v2".to_string())
    );
    // Its second read hit the stale copy: a stale read.
    assert_eq!(Metric::StaleReads.value(&w.metrics), 1);
    assert_eq!(Metric::CacheHits.value(&w.metrics), 1);
}

#[test]
fn copies_lists_every_node_s_entries() {
    let run = two_pools();
    let w = run.world();
    let holders: Vec<NodeId> = copies(w).map(|c| c.holder).collect();
    assert_eq!(holders, vec![NodeId::parse("cache-2").unwrap()]);
    // In the classic topology the same story ends with the one cache at v2, and holds.
    let s = scenarios::find("cache-aside-write").unwrap();
    let mut classic = Run::new(s, Fixes::none(), s.seed);
    classic.run_to_end();
    let copies: Vec<_> = copies(classic.world())
        .map(|c| (c.holder, c.key, c.entry.version))
        .collect();
    assert_eq!(copies, vec![(NodeId::CACHE, Key(1), Version(2))]);
    assert_eq!(Invariant::CacheMatchesDb.check(classic.world()), Ok(()));
}

#[test]
fn the_fingerprint_sees_every_cache_node_and_service() {
    let run = two_pools();
    let w = run.world().clone();
    let cache2 = NodeId::parse("cache-2").unwrap();
    let mut fresher = w.clone();
    if let Some(e) = fresher
        .nodes
        .cache_mut(cache2)
        .and_then(|c| c.entries.get_mut(&Key(1)))
    {
        e.version = Version(2);
    }
    assert_ne!(fresher, w);
    assert_ne!(
        fresher.fingerprint(),
        w.fingerprint(),
        "two states that differ only in cache-2 are two states"
    );
    assert_eq!(
        Invariant::CacheMatchesDb.check(&fresher),
        Ok(()),
        "cache-2 at v2 matches the database"
    );
}
