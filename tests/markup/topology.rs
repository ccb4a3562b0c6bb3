//! The diagram lays out any topology a scenario file can hold (issue 8 item 2, issue 9
//! item 4): more services and cache nodes, routes, replicas, and a second region drawn
//! as a group. Every catalog scenario is drawn again under several topologies, at
//! every step, in both layouts: every node is drawn once, inside the picture, no two
//! overlap, no label covers a node or another label, the second region's box holds
//! exactly its nodes, the lines follow the routes, and each cache node shows its keys.
//! Part of `tests/markup.rs`.
use super::diagram::{apart, boxes, node_markup, Rect};
use super::*;
use cachescope::sim::scenario::file;
use cachescope::sim::{NodeId, Scenario};
use cachescope::ui::layout;

/// Scenario `id` with `topology` (a JSON list) and a cross-region latency added to its
/// settings, as a learner would write it in a file.
pub(super) fn with_topology(id: &str, topology: &str) -> &'static Scenario {
    let s = scenarios::find(id).unwrap();
    let mut text = file::to_json(s);
    fn add(text: &mut String, after: &str, what: &str) {
        let at = text.find(after).expect("the file has settings") + after.len();
        text.insert_str(at, what);
    }
    if text.contains("\"latency\": {") {
        add(&mut text, "\"latency\": {", "\"cross_region_ms\": 40, ");
        add(
            &mut text,
            "\"settings\": {",
            &format!("\"topology\": {topology}, "),
        );
    } else {
        add(
            &mut text,
            "\"settings\": {",
            &format!("\"topology\": {topology}, \"latency\": {{\"cross_region_ms\": 40}}, "),
        );
    }
    file::from_json(&text)
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .into_scenario()
}

/// A second region with its own service and cache, serving the reader.
pub(super) const TWO_REGIONS: &str = r#"[
  {"id": "cache-2", "region": 2},
  {"id": "service-2", "cache": "cache-2", "region": 2},
  {"id": "reader", "service": "service-2", "region": 2}
]"#;
/// One region, two service instances and a pool of three cache nodes.
const POOL: &str = r#"[
  {"id": "cache-2"}, {"id": "cache-3"},
  {"id": "service-2", "cache": "cache-2"},
  {"id": "writer", "service": "service-2"}
]"#;
/// Two regions, the second's service reading the replica.
const REPLICA_REGION: &str = r#"[
  {"id": "cache-2", "region": 2},
  {"id": "service-2", "cache": "cache-2", "reads": "replica", "region": 2},
  {"id": "reader", "service": "service-2", "region": 2}
]"#;

fn node_rect(n: &layout::Placed) -> Rect {
    (
        n.x - n.w / 2.0,
        n.y - n.h / 2.0,
        n.x + n.w / 2.0,
        n.y + n.h / 2.0,
    )
}

fn inside(inner: Rect, outer: Rect) -> bool {
    inner.0 >= outer.0 && inner.1 >= outer.1 && inner.2 <= outer.2 && inner.3 <= outer.3
}

/// Whether a `<line class="link">` joins the centres of nodes `a` and `b`.
fn linked(svg: &str, placed: &[layout::Placed], a: NodeId, b: NodeId) -> bool {
    let (Some(p), Some(q)) = (
        placed.iter().find(|n| n.id == a),
        placed.iter().find(|n| n.id == b),
    ) else {
        return false;
    };
    let ends = |n: &layout::Placed| (n.x.round().to_string(), n.y.round().to_string());
    let (pa, pb) = (ends(p), ends(q));
    tags_where(svg, |t| t.starts_with("line class=\"link\""))
        .iter()
        .any(|t| {
            let one = (attr(t, "x1").unwrap(), attr(t, "y1").unwrap());
            let two = (attr(t, "x2").unwrap(), attr(t, "y2").unwrap());
            let (one, two) = (
                (one.0.to_string(), one.1.to_string()),
                (two.0.to_string(), two.1.to_string()),
            );
            (one == pa && two == pb) || (one == pb && two == pa)
        })
}

/// The drawing of `v` in `layout` holds together: checked as the module says.
fn check(label: &str, v: &View, layout: Layout) {
    let svg = figure::svg(v, &Marks::none(layout));
    let (placed, w, h) = layout::place(v, layout);
    let (nodes, labels, _) = boxes(&svg);
    assert_eq!(nodes.len(), v.nodes.len(), "{label}: every node drawn once");
    for (i, a) in nodes.iter().enumerate() {
        assert!(
            inside(*a, (0.0, 0.0, w, h)),
            "{label}: a node {a:?} leaves the picture {w}x{h}"
        );
        for b in &nodes[i + 1..] {
            assert!(apart(*a, *b), "{label}: nodes overlap {a:?} {b:?}");
        }
    }
    for (i, l) in labels.iter().enumerate() {
        for other in labels[i + 1..].iter().chain(&nodes) {
            assert!(
                apart(*l, *other),
                "{label}: a label {l:?} overlaps {other:?}"
            );
        }
    }
    // The second region: one group whose box holds its nodes and no other.
    let second: Vec<&layout::Placed> = placed.iter().filter(|n| n.region == 2).collect();
    // The box drawn: the first <rect> after the region's group opens.
    let group = svg.find("<g class=\"region\"").map(|at| {
        let rect = tags_where(&svg[at..], |t| t.starts_with("rect "))[0];
        let num = |name| attr(rect, name).unwrap().parse::<f64>().unwrap();
        let (x, y) = (num("x"), num("y"));
        (x, y, x + num("width"), y + num("height"))
    });
    assert_eq!(group.is_some(), !second.is_empty(), "{label}");
    assert_eq!(
        svg.contains("class=\"region\""),
        !second.is_empty(),
        "{label}"
    );
    if let Some(b) = group {
        assert!(
            inside(b, (0.0, 0.0, w, h)),
            "{label}: the region {b:?} leaves {w}x{h}"
        );
        for n in &placed {
            let r = node_rect(n);
            if n.region == 2 {
                assert!(
                    inside(r, b),
                    "{label}: {} is outside its region's box",
                    n.id
                );
            } else {
                assert!(
                    apart(r, b),
                    "{label}: {} (region 1) is inside region 2's box",
                    n.id
                );
            }
        }
    }
    // The lines follow the routes the nodes hold.
    for (a, b) in &v.routes {
        assert!(linked(&svg, &placed, *a, *b), "{label}: no line {a} - {b}");
    }
    // Each cache node shows its own keys (when they fit its lines).
    for c in &v.copies {
        if c.entries.len() + c.guards.len() <= layout::MAX_LINES {
            let drawn = node_markup(&svg, &c.id.to_string());
            for e in &c.entries {
                assert!(
                    drawn.contains(&format!("{} = {}", e.key, e.value)),
                    "{label}: {} {}",
                    c.id,
                    e.key
                );
            }
        }
    }
}

#[test]
fn every_scenario_under_other_topologies_is_drawn_whole_and_apart() {
    let mut second_region_keys = 0;
    for s in scenarios::ALL.iter() {
        // A scenario with a topology of its own is drawn as it is (below).
        if !s.settings.topology.is_empty() {
            let mut run = Run::with_default_seed(s, Fixes::none());
            run.run_to_end();
            for step in 0..=run.recorded().min(80) {
                run.seek(step);
                let v = View::of(run.world(), s);
                for layout in [Layout::Wide, Layout::Narrow] {
                    check(&format!("{} step {step} {layout:?}", s.id), &v, layout);
                }
            }
            continue;
        }
        let mut tops = vec![("two regions", TWO_REGIONS), ("pool", POOL)];
        if s.id == "replica-lag-refill" {
            tops.push(("replica region", REPLICA_REGION));
        }
        for (name, topology) in tops {
            let t = with_topology(s.id, topology);
            let mut run = Run::with_default_seed(t, Fixes::none());
            run.run_to_end();
            for step in 0..=run.recorded().min(80) {
                run.seek(step);
                let v = View::of(run.world(), t);
                for layout in [Layout::Wide, Layout::Narrow] {
                    check(
                        &format!("{} ({name}) step {step} {layout:?}", s.id),
                        &v,
                        layout,
                    );
                }
                second_region_keys += v
                    .copies
                    .iter()
                    .filter(|c| c.id == NodeId::parse("cache-2").unwrap())
                    .map(|c| c.entries.len())
                    .sum::<usize>();
            }
        }
    }
    assert!(
        second_region_keys > 0,
        "a second cache node holds keys somewhere"
    );
}

#[test]
fn the_second_region_is_a_group_named_with_its_latency() {
    let t = with_topology("cache-aside-read", TWO_REGIONS);
    let mut run = Run::with_default_seed(t, Fixes::none());
    run.run_to_end();
    let v = View::of(run.world(), t);
    let svg = figure::svg(&v, &Marks::none(Layout::Wide));
    assert!(svg.contains("region 2 · +40 ms to region 1"), "{svg}");
    // reader, service-2 and cache-2 are region 2's, drawn below region 1's nodes.
    let (placed, _, _) = layout::place(&v, Layout::Wide);
    let y = |id: &str| placed.iter().find(|n| n.id.to_string() == id).unwrap().y;
    for id in ["reader", "service-2", "cache-2"] {
        assert!(y(id) > y("service") && y(id) > y("db"), "{id}");
    }
    // cache-2 holds the key the reader's miss filled; the first cache is empty.
    assert!(node_markup(&svg, "cache-2").contains("user:1 = v1"));
    assert!(!node_markup(&svg, "cache").contains("user:1"));
}

#[test]
fn a_service_instance_shows_its_near_copies_and_marks_a_stale_one() {
    // cache-aside-write, the reader served by service-2; both instances keep near
    // caches, without tracking: the writer's commit leaves service-2's copy stale.
    let s = scenarios::find("cache-aside-write").unwrap();
    let mut text = file::to_json(s);
    let at = text.find("\"settings\": {").unwrap() + "\"settings\": {".len();
    text.insert_str(
        at,
        r#""topology": [{"id": "service-2"}, {"id": "reader", "service": "service-2"}],
           "near": {"ttl_ms": 5000, "tracking": false}, "#,
    );
    let t = file::from_json(&text).unwrap().into_scenario();
    let mut run = Run::with_default_seed(t, Fixes::none());
    run.run_to_end();
    let (mut shown, mut stale) = (0, 0);
    for step in 0..=run.recorded() {
        run.seek(step);
        let v = View::of(run.world(), t);
        for layout in [Layout::Wide, Layout::Narrow] {
            check(&format!("near caches step {step} {layout:?}"), &v, layout);
        }
        let svg = figure::svg(&v, &Marks::none(Layout::Wide));
        for (service, e) in &v.near {
            let drawn = node_markup(&svg, &service.to_string());
            let line = format!("near {} = {}", e.key, e.value);
            assert!(drawn.contains(&line), "step {step}: {line} in {drawn}");
            assert_eq!(drawn.contains(&format!("{line} ≠ db")), e.stale);
            shown += 1;
            stale += usize::from(e.stale);
        }
    }
    assert!(
        shown > 0 && stale > 0,
        "near copies drawn ({shown}), a stale one ({stale})"
    );
}

/// The CDN edge's box: a line to its origin, and its stale stored response on one line
/// (`user:1 = v1 ≠ db`: it wrapped at the default box width), in both layouts.
#[test]
fn the_cdn_edge_is_linked_to_its_origin_and_its_stored_response_is_one_line() {
    let s = scenarios::find("cdn-purge-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let v = View::of(run.world(), s);
    assert!(v.routes.contains(&(NodeId::Cdn, NodeId::SERVICE)));
    for layout in [Layout::Wide, Layout::Narrow] {
        let (placed, _, _) = layout::place(&v, layout);
        let cdn = placed.iter().find(|n| n.id == NodeId::Cdn).unwrap();
        let lines: Vec<&str> = cdn.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, ["user:1 = v1 ≠ db"], "{layout:?}");
        let svg = figure::svg(&v, &Marks::none(layout));
        assert!(
            linked(&svg, &placed, NodeId::Cdn, NodeId::SERVICE),
            "{layout:?}: no line cdn - service"
        );
    }
}

/// docs/scenarios.md's `second-shard-unsubscribed-pool`: user:2 lives in db-2, so
/// cache-2's stale copy names db-2 as what it differs from, not `db` (which holds only
/// user:1): session 9's review, F5.
#[test]
fn a_stale_copy_names_the_primary_that_owns_its_key() {
    let doc = include_str!("../../docs/scenarios.md");
    let at = doc
        .find("\"id\": \"second-shard-unsubscribed-pool\"")
        .unwrap();
    let start = doc[..at].rfind("```json\n").unwrap() + "```json\n".len();
    let text = &doc[start..start + doc[start..].find("```").unwrap()];
    let s = file::from_json(text).unwrap().into_scenario();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let v = View::of(run.world(), s);
    for layout in [Layout::Wide, Layout::Narrow] {
        let svg = figure::svg(&v, &Marks::none(layout));
        let cache2 = node_markup(&svg, "cache-2");
        assert!(cache2.contains("user:2 = v1 ≠ db-2"), "{cache2}");
        assert!(!cache2.contains("≠ db<"), "{cache2}");
    }
}
