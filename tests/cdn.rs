//! The CDN edge (`src/sim/cdn.rs`): an HTTP cache in front of the service, with the
//! lifetime the origin's `Cache-Control` gives each response, purged by key when a
//! write through it succeeds. Its copies are checked like every other
//! (`cache-matches-db` over every cached copy).
mod common;
use cachescope::sim::books::copies;
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::scenario::file;
use cachescope::sim::scenarios;
use cachescope::sim::{Invariant, Metric, Run};

/// cache-aside-write with the given topology and settings added (`settings` is JSON
/// members ending in a comma).
fn with(topology: &str, settings: &str) -> Run {
    common::cache_aside_write_with(
        "through-a-cdn",
        &format!("\"topology\": {topology},\n    {settings}"),
    )
}

fn edge_copy(run: &Run) -> Option<Version> {
    let w = run.world();
    copies(w)
        .find(|c| c.holder == NodeId::Cdn && c.key == Key(1))
        .map(|c| c.entry.version)
}

#[test]
fn a_write_that_bypasses_the_edge_leaves_its_copy_stale() {
    // The reader goes through the edge; the writer reaches the origin directly.
    let run = with(
        r#"[{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}]"#,
        "",
    );
    let w = run.world();
    assert_eq!(w.db().read(Key(1)), Version(2));
    // The service's own cache was invalidated and holds nothing; the edge still
    // serves v1, and the reader's second read was answered from it.
    assert_eq!(edge_copy(&run), Some(Version(1)));
    assert_eq!(
        Invariant::CacheMatchesDb.check(w),
        Err("the CDN edge holds user:1=v1 but the database has v2".to_string())
    );
    assert_eq!(Metric::StaleReads.value(&w.metrics), 1);
    assert_eq!(Metric::DbReads.value(&w.metrics), 1);
    let hit = run
        .records()
        .iter()
        .find(|r| r.outcome.starts_with("cdn hit"))
        .expect("the second read is answered at the edge");
    assert!(
        hit.narration.contains("the origin never sees this request"),
        "{}",
        hit.narration
    );
    assert!(
        hit.narration.contains("but the database has v2"),
        "{}",
        hit.narration
    );
    let stored = run
        .records()
        .iter()
        .find(|r| r.outcome.starts_with("cdn stored"))
        .expect("the first read's answer is stored");
    assert!(
        stored.narration.contains("Cache-Control: max-age=60"),
        "{}",
        stored.narration
    );
}

#[test]
fn a_write_through_the_edge_purges_its_copy() {
    let run = with(
        r#"[{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}, {"id": "writer", "service": "cdn"}]"#,
        "",
    );
    let w = run.world();
    // Purged at the write's answer, refilled by the second read with v2.
    assert_eq!(edge_copy(&run), Some(Version(2)));
    assert_eq!(Invariant::CacheMatchesDb.check(w), Ok(()));
    assert_eq!(Metric::StaleReads.value(&w.metrics), 0);
    let purge = run
        .records()
        .iter()
        .find(|r| r.outcome.starts_with("cdn purged"))
        .expect("the edge purges the key");
    assert!(purge.narration.contains("Fastly"), "{}", purge.narration);
    assert!(
        purge
            .narration
            .contains("purges user:1 by key (it held v1)"),
        "{}",
        purge.narration
    );
}

#[test]
fn s_maxage_sets_the_edge_s_lifetime_over_max_age() {
    // A lifetime of 80 ms: the copy stored at about 12 ms has expired by the second
    // read at 100 ms, which goes to the origin and gets v2; with the purge off, the
    // write alone would have left v1 until then.
    let run = with(
        r#"[{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}, {"id": "writer", "service": "cdn"}]"#,
        r#""cdn": {"max_age_ms": 60000, "s_maxage_ms": 80, "purge_on_write": false},"#,
    );
    let w = run.world();
    assert_eq!(edge_copy(&run), Some(Version(2)));
    assert_eq!(Metric::StaleReads.value(&w.metrics), 0);
    let kept = run
        .records()
        .iter()
        .find(|r| r.outcome.starts_with("cdn passes ok"))
        .expect("the write's answer passes through unpurged");
    assert!(
        kept.narration.contains("keeps its stored user:1 = v1"),
        "{}",
        kept.narration
    );
    let refill = run
        .records()
        .iter()
        .filter(|r| r.outcome.starts_with("cdn miss"))
        .find(|r| r.narration.contains("past its lifetime"));
    assert!(
        refill.is_some(),
        "the second read finds the copy expired:\n{}",
        run.trace()
    );
}

#[test]
fn a_crash_of_the_edge_loses_its_copies() {
    let mut run = with(
        r#"[{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}]"#,
        "",
    );
    assert!(edge_copy(&run).is_some());
    use cachescope::sim::world::{Event, Fault};
    run.fire(Event::Fault(Fault::Crash(NodeId::Cdn)))
        .expect("the edge can crash");
    assert_eq!(edge_copy(&run), None);
}

#[test]
fn the_topology_checks_the_edge_s_routes() {
    let s = scenarios::find("cache-aside-write").unwrap();
    let text = file::to_json(s);
    let at = text.find("\"settings\": {").unwrap() + "\"settings\": {".len();
    // A client routed to an edge the topology does not have.
    let bad = format!(
        "{}\n    \"topology\": [{{\"id\": \"reader\", \"service\": \"cdn\"}}],{}",
        &text[..at],
        &text[at..]
    );
    let err = file::from_json(&bad).unwrap_err().to_string();
    assert!(err.contains("topology[0] (reader)"), "{err}");
}

/// The diagram draws the edge's stored responses inside its box, marked when they
/// differ from the database (`View::copies`, `ui::layout::lines`), and the database's
/// row is marked as differing from a cached copy.
#[test]
fn the_diagram_draws_the_edge_s_copies() {
    use cachescope::sim::view::View;
    use cachescope::ui::layout;
    let run = with(
        r#"[{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}]"#,
        "",
    );
    let v = View::of(run.world(), run.scenario);
    let edge = layout::lines(&v, NodeId::Cdn);
    assert_eq!(edge.len(), 1);
    assert_eq!(edge[0].text, "user:1 = v1 ≠ db");
    assert_eq!(edge[0].class, "stale");
    // The database's row names the copy that differs: the edge's, not the cache's,
    // which holds v2 (review session 11, F6: it said "≠ cache").
    let db = layout::lines(&v, NodeId::DB);
    assert_eq!(db[0].text, "user:1 = v2 ≠ cdn");
    assert!(v.cache.iter().all(|e| !e.stale), "{:?}", v.cache);
}
