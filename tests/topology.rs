//! A topology is data (issue 8 item 2): a scenario file's `settings.topology` adds
//! services and caches, routes each client to its service and each service to its
//! cache and to where its misses read, and puts nodes in a second region whose hops
//! are longer. The messages go where the topology says, and nowhere else.
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::scenario::file;
use cachescope::sim::scenarios;
use cachescope::sim::{Fixes, Run};

/// cache-aside-read, with its reader served by `service-2`, which fills `cache-2`, a
/// node of the second region, 40 ms away from the first.
fn two_regions() -> String {
    let s = scenarios::find("cache-aside-read").unwrap();
    let text = file::to_json(s).replace("\"id\": \"cache-aside-read\"", "\"id\": \"two-regions\"");
    let topology = r#""topology": [
      {"id": "cache-2", "region": 2},
      {"id": "service-2", "cache": "cache-2", "region": 2},
      {"id": "reader", "service": "service-2", "region": 2}
    ],
    "latency": {"cross_region_ms": 40},
    "#;
    let at = text.find("\"settings\": {").expect("the file has settings") + "\"settings\": {".len();
    format!("{}\n    {topology}{}", &text[..at], &text[at..])
}

fn hops(run: &Run) -> Vec<(NodeId, NodeId)> {
    run.records().iter().filter_map(|r| r.hop).collect()
}

#[test]
fn messages_follow_the_topology() {
    let text = two_regions();
    let s = file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .into_scenario();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let service2 = NodeId::parse("service-2").unwrap();
    let cache2 = NodeId::parse("cache-2").unwrap();
    let reader = NodeId::parse("reader").unwrap();
    let hops = hops(&run);
    assert!(hops.contains(&(reader, service2)), "{hops:?}");
    assert!(hops.contains(&(service2, cache2)), "{hops:?}");
    assert!(hops.contains(&(service2, NodeId::DB)), "{hops:?}");
    for (from, to) in &hops {
        assert!(
            ![*from, *to].contains(&NodeId::SERVICE) && ![*from, *to].contains(&NodeId::CACHE),
            "nothing reaches the first service or cache: {from} -> {to}"
        );
    }
    let w = run.world();
    let second = w.nodes.cache(cache2).expect("cache-2 is a node");
    assert_eq!(
        second.entries.get(&Key(1)).map(|e| e.version),
        Some(Version(1))
    );
    assert!(
        w.cache().entries.is_empty(),
        "the first cache was not filled"
    );
    assert!(w.nodes().contains(&service2) && w.nodes().contains(&cache2));
    // The only cross-region hops are service-2's to the database and back: 40 ms more
    // each way than in the classic topology.
    let db_read = run
        .records()
        .iter()
        .find(|r| r.hop == Some((NodeId::DB, service2)))
        .expect("the database answers service-2");
    let sent = run
        .records()
        .iter()
        .find(|r| r.hop == Some((service2, NodeId::DB)))
        .expect("service-2 reads the database");
    assert_eq!(
        db_read.at_ms - sent.at_ms,
        2 + 40,
        "a read reply crosses regions"
    );
}

#[test]
fn a_bad_topology_is_reported_and_the_file_is_refused() {
    let text = two_regions().replace(
        r#"{"id": "service-2", "cache": "cache-2", "region": 2}"#,
        r#"{"id": "service-2", "cache": "cache-3", "region": 2}"#,
    );
    let e = file::from_json(&text).unwrap_err();
    assert!(e.to_string().contains("topology[1] (service-2)"), "{e}");
    let text = two_regions().replace(r#""id": "cache-2""#, r#""id": "cdn-7""#);
    let e = file::from_json(&text).unwrap_err();
    assert!(e.to_string().contains("not a node id"), "{e}");
}

#[test]
fn a_file_with_a_topology_round_trips() {
    let text = two_regions();
    let read = file::from_json(&text).unwrap();
    let written = read.clone().into_scenario();
    let again = file::from_json(&file::to_json(written)).unwrap();
    assert_eq!(read, again);
}
