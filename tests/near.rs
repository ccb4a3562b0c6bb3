//! Service instances with near caches (issue 8 item 2, `shared/spec/scenarios.md`:
//! "`service-2` … each with its own in-process near cache"; "Every copy is checked").
//! Two instances share one cache node; each keeps what its reads got in its own
//! memory. The writer's instance deletes the key in the cache node and drops its own
//! near copy; the reader's instance is told only when the cache node tracks its
//! readers (Redis's `CLIENT TRACKING`).
mod common;
use cachescope::sim::books::copies;
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::sched::{self, Seeded};
use cachescope::sim::{Invariant, Metric, Run};

/// cache-aside-write with the reader served by `service-2`; both instances keep near
/// caches (`near`, with or without tracking).
fn near_caches(tracking: bool) -> Run {
    let settings = format!(
        r#""topology": [
      {{"id": "service-2"}},
      {{"id": "reader", "service": "service-2"}}
    ],
    "near": {{"ttl_ms": 5000, "tracking": {tracking}}},
    "#
    );
    common::cache_aside_write_with("near-caches", &settings)
}

fn service2() -> NodeId {
    NodeId::parse("service-2").unwrap()
}

#[test]
fn without_tracking_another_instance_s_near_copy_stays_stale() {
    let run = near_caches(false);
    let w = run.world();
    // The cache node is right: the writer's delete emptied it.
    assert!(w.cache().live(Key(1), w.now_ms).is_none());
    assert_eq!(w.db().read(Key(1)), Version(2));
    let near = &w.nodes.service(service2()).unwrap().near;
    assert_eq!(
        near.entries.get(&Key(1)).map(|e| e.version),
        Some(Version(1))
    );
    assert_eq!(
        Invariant::CacheMatchesDb.check(w),
        Err("service-2's near cache holds user:1=v1 but the database has v2".to_string())
    );
    // The second read was answered from the near copy, in-process: stale, and the
    // cache node never saw it. It is a cache hit all the same, the near cache's (review
    // 30, F: "cache-hits 0" beside a read answered from a cache).
    assert_eq!(Metric::StaleReads.value(&w.metrics), 1);
    assert_eq!(Metric::CacheHits.value(&w.metrics), 1);
    assert_eq!(Metric::CacheMisses.value(&w.metrics), 1);
    let story: Vec<String> = run
        .records()
        .iter()
        .map(|r| format!("{} {}", r.outcome, r.narration))
        .collect();
    let hit = story
        .iter()
        .find(|s| s.starts_with("near hit v1"))
        .expect("a near hit");
    assert!(
        hit.contains("nothing tells service-2 that the row changed"),
        "{hit}"
    );
}

#[test]
fn with_tracking_the_cache_node_tells_the_reader_s_instance() {
    let run = near_caches(true);
    let w = run.world();
    assert_eq!(Invariant::CacheMatchesDb.check(w), Ok(()));
    assert_eq!(Metric::StaleReads.value(&w.metrics), 0);
    // The invalidation crossed the network from the cache node to service-2.
    let told = run
        .records()
        .iter()
        .find(|r| r.label == "invalidate user:1")
        .expect("an invalidation is delivered");
    assert_eq!(told.hop, Some((NodeId::CACHE, service2())));
    assert!(
        told.narration.contains("drops its near copy (v1)"),
        "{}",
        told.narration
    );
    // Its second read missed near, missed the cache node and read v2.
    let near: Vec<_> = copies(w)
        .filter(|c| c.near)
        .map(|c| (c.holder, c.entry.version))
        .collect();
    assert_eq!(near, vec![(service2(), Version(2))]);
}

#[test]
fn near_caches_run_alike_quiet_and_narrated_in_seeded_orders() {
    for seed in 0..200 {
        let run = near_caches(true);
        let mut world = run.scenario.world(&run.fixes, run.scenario.seed);
        let mut quiet = world.clone();
        let records = sched::run(&mut world, &mut Seeded::new(seed));
        let steps = sched::run_quiet(&mut quiet, &mut Seeded::new(seed));
        assert_eq!(records.len(), steps, "seed {seed}");
        assert_eq!(
            world, quiet,
            "seed {seed}: quiet and narrated reach one state"
        );
        assert!(
            records.iter().all(|r| !r.narration.is_empty()),
            "seed {seed}"
        );
    }
}

#[test]
fn a_crash_of_an_instance_loses_its_near_cache_and_says_so() {
    let run = near_caches(false);
    let mut w = run.scenario.world(&run.fixes, run.scenario.seed);
    // Run until service-2 keeps a near copy, then crash it.
    let mut kept = false;
    for _ in 0..50 {
        let Some(e) = w.earliest() else { break };
        w.step(e).unwrap();
        if !w.nodes.service(service2()).unwrap().near.entries.is_empty() {
            kept = true;
            break;
        }
    }
    assert!(kept, "service-2 kept a near copy");
    let crash =
        cachescope::sim::world::Event::Fault(cachescope::sim::world::Fault::Crash(service2()));
    let r = w.step(crash).unwrap();
    assert!(
        r.narration
            .contains("its memory is gone: the 1 key of its near cache"),
        "{}",
        r.narration
    );
    assert!(w.nodes.service(service2()).unwrap().near.entries.is_empty());
}

/// The database's row in the diagram names the copies that differ from it (review
/// session 11, F6): in near-cache-stale, once the cache node holds v2 and only
/// `service-2`'s near copy keeps v1, the row said "≠ cache"; it names the near copy.
#[test]
fn the_database_row_names_the_near_copy_that_differs() {
    use cachescope::sim::scenarios;
    use cachescope::sim::view::View;
    use cachescope::sim::Fixes;
    use cachescope::ui::layout;
    let s = scenarios::find("near-cache-stale").unwrap();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let mut only_near = 0;
    for step in 0..=run.cursor() {
        run.seek(step);
        let v = View::of(run.world(), s);
        let row = layout::lines(&v, NodeId::DB)
            .into_iter()
            .find(|l| l.text.starts_with("user:1 = "))
            .expect("the row");
        // Who holds a copy of user:1 that differs, read from the state.
        let w = run.world();
        let db = w.db().read(Key(1));
        let differ: Vec<String> = copies(w)
            .filter(|c| c.key == Key(1) && c.entry.expires_ms > w.now_ms)
            .filter(|c| c.entry.version != db)
            .map(|c| {
                if c.near {
                    format!("{}'s near", c.holder)
                } else {
                    c.holder.to_string()
                }
            })
            .collect();
        if differ.is_empty() {
            assert!(!row.text.contains('≠'), "step {step}: {}", row.text);
            continue;
        }
        let named = row
            .text
            .strip_prefix(&format!("user:1 = {db} ≠ "))
            .unwrap_or_else(|| panic!("step {step}: {}", row.text));
        let mut named: Vec<&str> = named.split(", ").collect();
        named.sort_unstable();
        let mut differ_sorted: Vec<&str> = differ.iter().map(String::as_str).collect();
        differ_sorted.sort_unstable();
        assert_eq!(named, differ_sorted, "step {step}");
        only_near += usize::from(differ.iter().all(|d| d.ends_with("'s near")));
    }
    assert!(only_near > 0, "a step where only a near copy differs");
}
