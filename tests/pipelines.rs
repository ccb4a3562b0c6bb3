//! Any number of primaries, buses, relays, consumers and flushers, routed by id (issue
//! 8, Deliver 2): a topology entry adds `db-2` (a shard owning other keys), `relay-2`
//! (which primary's outbox, which bus), `consumer-2` (which bus, which cache) and
//! `flusher-2` (which cache's queue). Each message goes to the node the topology names,
//! the faults offered include the new nodes and act on them, and the invariants read
//! every primary and every cached copy. The worked example is docs/scenarios.md's.
mod common;
use cachescope::sim::config::topology;
use cachescope::sim::scenario::file;
use cachescope::sim::{Event, Fault, Fixes, Invariant, Key, NodeId, NodeStatus, Run, Version};
use common::doc_example as example;

fn id(text: &str) -> NodeId {
    NodeId::parse(text).unwrap_or_else(|| panic!("{text}"))
}

fn run(text: &str, fix: Option<&str>) -> Run {
    let s = file::from_json(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_scenario();
    let mut run = Run::new(s, Fixes::parse(s, fix).unwrap(), s.seed);
    run.run_to_end();
    run
}

fn hops(run: &Run) -> Vec<(NodeId, NodeId)> {
    run.records().iter().filter_map(|r| r.hop).collect()
}

#[test]
fn a_second_shard_its_relay_and_a_second_pool_route_by_id() {
    let text = example("second-shard-unsubscribed-pool");
    let (db2, relay2, cache2, consumer2) =
        (id("db-2"), id("relay-2"), id("cache-2"), id("consumer-2"));
    // The incident: relay-2 publishes db-2's change to the bus; only `consumer` hears
    // it; cache-2 keeps v1.
    let r = run(&text, None);
    let w = r.world();
    let h = hops(&r);
    for hop in [
        (NodeId::SERVICE, db2),
        (id("service-2"), db2),
        (relay2, db2),
        (relay2, NodeId::BUS),
        (NodeId::BUS, NodeId::CONSUMER),
        (NodeId::CONSUMER, NodeId::CACHE),
    ] {
        assert!(h.contains(&hop), "{hop:?} in {h:?}\n{}", r.trace());
    }
    // user:2 lives in db-2 only: nothing about it reaches db, and relay never works.
    assert!(!h.contains(&(NodeId::SERVICE, NodeId::DB)), "{}", r.trace());
    assert!(!h
        .iter()
        .any(|(a, b)| *a == NodeId::RELAY || *b == NodeId::RELAY));
    assert!(!h.contains(&(NodeId::BUS, consumer2)));
    assert_eq!(w.nodes.db(db2).unwrap().read(Key(2)), Version(2));
    assert_eq!(w.db().read(Key(2)), Version(0), "db has no user:2");
    assert_eq!(w.committed(Key(2)), Version(2));
    // The event's id is db-2's log sequence number (from 1001).
    assert!(r.trace().contains("e1002"), "{}", r.trace());
    let stale = Invariant::CacheMatchesDb.check(w).unwrap_err();
    assert!(
        stale.contains("cache-2 holds user:2=v1 but db-2 has v2"),
        "{stale}"
    );
    // The fix subscribes consumer-2, which deletes in cache-2: every copy matches
    // the primary that owns its key, and no event is lost.
    let r = run(&text, Some("subscribe-pool-2"));
    let h = hops(&r);
    assert!(h.contains(&(NodeId::BUS, consumer2)), "{}", r.trace());
    assert!(h.contains(&(consumer2, cache2)), "{}", r.trace());
    for inv in [Invariant::CacheMatchesDb, Invariant::NoLostEvent] {
        assert_eq!(inv.check(r.world()), Ok(()), "{}", r.trace());
    }
}

#[test]
fn the_faults_offered_include_the_new_nodes_and_act_on_them() {
    let text = example("second-shard-unsubscribed-pool");
    let s = file::from_json(&text).unwrap().into_scenario();
    let fixes = Fixes::parse(s, Some("subscribe-pool-2")).unwrap();
    let mut run = Run::new(s, fixes, s.seed);
    let faults = run.world().faults();
    for node in ["db-2", "relay-2", "consumer-2", "cache-2", "service-2"] {
        assert!(
            faults.contains(&Event::Fault(Fault::Crash(id(node)))),
            "crash {node} in {faults:?}"
        );
    }
    // consumer-2 crashes before anything is published: the bus (at-most-once) sees
    // its connection drop and pushes the change to `consumer` only, so cache-2 keeps
    // the v1 reader-2 cached.
    run.fire(Event::Fault(Fault::Crash(id("consumer-2"))))
        .unwrap();
    let w = run.world();
    assert_eq!(w.status_of(id("consumer-2")), NodeStatus::Down);
    let bus = w.nodes.bus(NodeId::BUS).unwrap();
    assert_eq!(
        bus.subscribers,
        vec![
            (NodeId::CONSUMER, NodeStatus::Up),
            (id("consumer-2"), NodeStatus::Down)
        ]
    );
    run.run_to_end();
    let h = hops(&run);
    assert!(
        !h.contains(&(NodeId::BUS, id("consumer-2"))),
        "{}",
        run.trace()
    );
    assert!(Invariant::CacheMatchesDb.check(run.world()).is_err());
    // A crash of db-2 loses the write sent to it (it is the one that owns user:2).
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.fire(Event::Fault(Fault::Crash(id("db-2")))).unwrap();
    run.run_to_end();
    assert_eq!(run.world().committed(Key(2)), Version(1), "{}", run.trace());
    assert!(run.trace().contains("db-2"), "{}", run.trace());
}

/// The worked example in write-behind mode, with `writer-2` writing user:2 through
/// `service-2`, and `flusher-2` draining `cache-2`.
fn behind_example() -> String {
    example("second-shard-unsubscribed-pool")
        .replace("\"write_mode\": \"outbox\"", "\"write_mode\": \"behind\"")
        .replace(
            "{ \"id\": \"reader-2\", \"service\": \"service-2\" }\n    ]",
            "{ \"id\": \"reader-2\", \"service\": \"service-2\" },\n      { \"id\": \"writer-2\", \"service\": \"service-2\" },\n      { \"id\": \"flusher-2\", \"cache\": \"cache-2\" }\n    ]",
        )
        .replace(
            "\"writer\": [{ \"op\": \"write\", \"key\": 2, \"at_ms\": 50 }]",
            "\"writer\": [{ \"op\": \"write\", \"key\": 1, \"at_ms\": 50 }],\n      \"writer-2\": [{ \"op\": \"write\", \"key\": 2, \"at_ms\": 60 }]",
        )
}

/// Two write-behind caches, each drained by its own flusher: `flusher` drains
/// `cache`, `flusher-2` drains `cache-2`; each acknowledged write reaches the primary.
#[test]
fn two_flushers_drain_two_write_behind_caches() {
    let text = behind_example();
    let r = run(&text, None);
    let h = hops(&r);
    let w = r.world();
    assert!(
        h.contains(&(NodeId::FLUSHER, NodeId::DB)),
        "{h:?}\n{}",
        r.trace()
    );
    assert!(
        h.contains(&(id("flusher-2"), id("db-2"))),
        "{h:?}\n{}",
        r.trace()
    );
    assert!(!h.contains(&(NodeId::FLUSHER, id("db-2"))), "{}", r.trace());
    assert_eq!(w.db().read(Key(1)), Version(2));
    assert_eq!(w.nodes.db(id("db-2")).unwrap().read(Key(2)), Version(2));
    let f2 = w.nodes.flusher(id("flusher-2")).unwrap();
    assert_eq!(f2.settings.cache, id("cache-2"));
    assert_eq!(
        w.nodes.cache(id("cache-2")).unwrap().behind.flusher,
        id("flusher-2")
    );
    for inv in [Invariant::NoLostWrite, Invariant::ReadYourWrites] {
        assert_eq!(inv.check(w), Ok(()), "{}", r.trace());
    }
}

#[test]
fn a_wrong_route_names_the_entry_and_the_field() {
    let bad = |json: &str| {
        let nodes: Result<Vec<topology::NodeSpec>, _> =
            serde_json::from_str::<serde_json::Value>(json)
                .map_err(|e| e.to_string())
                .and_then(|v| topology::deserialize(v).map_err(|e| e.to_string()));
        nodes.unwrap_err()
    };
    let e = bad(r#"[{"id": "relay-2", "db": "cache"}]"#);
    assert!(e.contains("topology[0] (relay-2): \"db\""), "{e}");
    let e = bad(r#"[{"id": "consumer-2", "bus": "bus-2"}]"#);
    assert!(e.contains("topology[0] (consumer-2): \"bus\""), "{e}");
    let e = bad(r#"[{"id": "db-2"}]"#);
    assert!(
        e.contains("topology[0] (db-2)") && e.contains("\"keys\""),
        "{e}"
    );
    let e = bad(r#"[{"id": "db-2", "keys": [2]}, {"id": "db-3", "keys": [2]}]"#);
    assert!(e.contains("topology[1] (db-3): \"keys\""), "{e}");
    let e = bad(r#"[{"id": "cache-2", "keys": [2]}]"#);
    assert!(e.contains("topology[0] (cache-2): \"keys\""), "{e}");
    let e = bad(r#"[{"id": "flusher-2", "cache": "cache-3"}]"#);
    assert!(e.contains("topology[0] (flusher-2): \"cache\""), "{e}");
    let e = bad(r#"[{"id": "db-5", "keys": [2]}]"#);
    assert!(e.contains("topology[0] (db-5)"), "{e}");
    let ok = r#"[{"id": "bus-2"}, {"id": "consumer-2", "bus": "bus-2", "cache": "cache"}]"#;
    let v: serde_json::Value = serde_json::from_str(ok).unwrap();
    assert!(topology::deserialize(v).is_ok());
}

/// A second consumer of a durable bus in the settings' topology is read as its own
/// consumer group (Kafka): the file loads, and the event reaches both pools, each
/// consumer committing its own offset (`tests/bus_groups.rs` crashes one).
#[test]
fn a_durable_bus_with_two_consumers_reads_as_two_groups() {
    let text = example("second-shard-unsubscribed-pool");
    let durable = text.replace("\"durable\": false", "\"durable\": true");
    let two = durable.replacen(
        "{ \"id\": \"cache-2\" },",
        "{ \"id\": \"cache-2\" },\n      { \"id\": \"consumer-2\", \"cache\": \"cache-2\" },",
        1,
    );
    let r = run(&two, None);
    let h = hops(&r);
    let consumer2 = id("consumer-2");
    assert!(
        h.contains(&(NodeId::BUS, NodeId::CONSUMER)),
        "{}",
        r.trace()
    );
    assert!(h.contains(&(NodeId::BUS, consumer2)), "{}", r.trace());
    assert!(h.contains(&(consumer2, id("cache-2"))), "{}", r.trace());
    let bus = r.world().nodes.bus(NodeId::BUS).unwrap();
    assert_eq!(
        bus.offsets().collect::<Vec<_>>(),
        vec![(NodeId::CONSUMER, 1), (consumer2, 1)]
    );
    for inv in [Invariant::CacheMatchesDb, Invariant::NoLostEvent] {
        assert_eq!(inv.check(r.world()), Ok(()), "{}", r.trace());
    }
}

/// The words of the bus's push, in the record of the step that published `ev`.
fn push_words(run: &Run) -> String {
    run.records()
        .iter()
        .map(|r| r.narration.to_string())
        .find(|n| n.starts_with("The bus pushes"))
        .unwrap_or_else(|| panic!("a push in\n{}", run.trace()))
}

/// An at-most-once bus pushes to every connected subscriber: with two consumers the
/// words name whom the push reached, and, when none is connected, who is down (the
/// sentence of the one-consumer scenarios would be false here).
#[test]
fn the_bus_names_the_subscribers_its_push_reaches() {
    let text = example("second-shard-unsubscribed-pool");
    let s = file::from_json(&text).unwrap().into_scenario();
    // One consumer in the world: the classic words.
    let said = push_words(&run(&text, None));
    assert!(said.contains("to the connected consumer and"), "{said}");
    // Two, both connected: both named, and both are sent the event.
    let r = run(&text, Some("subscribe-pool-2"));
    let said = push_words(&r);
    assert!(
        said.contains("to its connected subscribers, consumer and consumer-2, and keeps no copy"),
        "{said}"
    );
    let h = hops(&r);
    assert!(
        h.contains(&(NodeId::BUS, NodeId::CONSUMER))
            && h.contains(&(NodeId::BUS, id("consumer-2")))
    );
    // consumer-2 down: the push reaches consumer alone.
    let fixes = || Fixes::parse(s, Some("subscribe-pool-2")).unwrap();
    let mut r = Run::new(s, fixes(), s.seed);
    r.fire(Event::Fault(Fault::Crash(id("consumer-2"))))
        .unwrap();
    r.run_to_end();
    let said = push_words(&r);
    assert!(
        said.contains("to consumer, its one subscriber connected now, and keeps no copy"),
        "{said}"
    );
    // Both down: the event is dropped, and the words say both are down.
    let mut r = Run::new(s, fixes(), s.seed);
    for c in ["consumer", "consumer-2"] {
        r.fire(Event::Fault(Fault::Crash(id(c)))).unwrap();
    }
    r.run_to_end();
    let said = push_words(&r);
    assert!(
        said.contains("its subscribers, consumer and consumer-2, are all down"),
        "{said}"
    );
}

/// The words of a sentence, split at what is not part of an id (`db-2's` is `db-2`).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// In a world with more than one of a kind, every step's words name the node that
/// acted, by its id, and never call a node of that kind by its common noun ("the
/// database", "the relay", "the bus", "the consumer", "the flusher"), which would not
/// say which one; a kind with one node keeps its common noun. Read from each record's
/// actor and the world's nodes: the incident and its fix, a second bus, write-behind
/// with two flushers, and consumer-2 crashed and restarted.
#[test]
fn every_step_names_the_node_that_acted_where_its_kind_has_several() {
    let text = example("second-shard-unsubscribed-pool");
    // relay-2 publishes to its own bus, bus-2, which consumer-2 reads.
    let second_bus = text.replace(
        "{ \"id\": \"relay-2\", \"db\": \"db-2\", \"bus\": \"bus\" },\n      { \"id\": \"cache-2\" },",
        "{ \"id\": \"bus-2\" },\n      { \"id\": \"relay-2\", \"db\": \"db-2\", \"bus\": \"bus-2\" },\n      { \"id\": \"cache-2\" },\n      { \"id\": \"consumer-2\", \"bus\": \"bus-2\", \"cache\": \"cache-2\" },",
    );
    assert_ne!(second_bus, text, "the example has the entries replaced");
    let s = file::from_json(&text).unwrap().into_scenario();
    let mut crashed = Run::new(
        s,
        Fixes::parse(s, Some("subscribe-pool-2")).unwrap(),
        s.seed,
    );
    crashed
        .fire(Event::Fault(Fault::Crash(id("consumer-2"))))
        .unwrap();
    crashed
        .fire(Event::Fault(Fault::Restart(id("consumer-2"))))
        .unwrap();
    crashed.run_to_end();
    let runs = [
        run(&text, None),
        run(&text, Some("subscribe-pool-2")),
        run(&second_bus, None),
        run(&behind_example(), None),
        crashed,
    ];
    let commons = [
        ("the database", NodeId::DB),
        ("the relay", NodeId::RELAY),
        ("the bus", NodeId::BUS),
        ("the consumer", NodeId::CONSUMER),
        ("the flusher", NodeId::FLUSHER),
    ];
    let mut named = 0;
    for r in &runs {
        let w = r.world();
        let kind = std::mem::discriminant::<NodeId>;
        let several = |n: NodeId| w.nodes.iter().filter(|(m, _)| kind(m) == kind(&n)).count() > 1;
        for rec in r.records().iter().filter(|rec| !rec.narration.is_empty()) {
            let said = &rec.narration;
            if several(rec.actor) {
                let me = rec.actor.to_string();
                assert!(
                    words(said).contains(&me.as_str()),
                    "{rec}: {said:?} does not name {me}\n{}",
                    r.trace()
                );
                named += 1;
            }
            for (common, of) in commons {
                if several(of) {
                    assert!(
                        !said.to_lowercase().contains(common),
                        "{rec}: {said:?} says {common:?}, but the world has several"
                    );
                }
            }
        }
    }
    // Each kind that has several in these worlds acted and was named.
    assert!(named > 40, "{named}");
    // Where a kind has one node, its common noun stays: `bus` is the only bus here.
    let one_bus = run(&text, Some("subscribe-pool-2"));
    assert!(
        one_bus
            .records()
            .iter()
            .any(|r| r.narration.contains("publishes it to the bus")),
        "{}",
        one_bus.trace()
    );
    // The shard that owns the key is named for what it does, from the topology.
    assert!(
        one_bus.records().iter().any(|r| r
            .narration
            .starts_with("db-2 (the shard that owns user:2) commits user:2 = v2")),
        "{}",
        one_bus.trace()
    );
}

/// The page's picture of the second shard's pipeline: at the step where db-2 commits,
/// its box shows its rows and its unpublished outbox row and the database panel lists
/// its rows beside db's; at the step where consumer-2 receives the event, its box
/// says it is handling it. Built by the same functions as the first's (`View::more`).
#[test]
fn the_view_shows_every_primary_bus_and_consumer_state() {
    use cachescope::sim::view::View;
    use cachescope::ui::layout as inside;
    use cachescope::ui::paint;
    let text = example("second-shard-unsubscribed-pool");
    let s = file::from_json(&text).unwrap().into_scenario();
    let mut r = Run::new(
        s,
        Fixes::parse(s, Some("subscribe-pool-2")).unwrap(),
        s.seed,
    );
    r.run_to_end();
    let at = |start: &str| {
        r.all_records()
            .iter()
            .position(|rec| rec.narration.starts_with(start))
            .unwrap_or_else(|| panic!("{start} in\n{}", r.trace()))
            + 1
    };
    let (commit, handles) = (
        at("db-2 (the shard that owns user:2) commits"),
        at("consumer-2 receives"),
    );
    let db2 = id("db-2");
    r.seek(commit);
    let v = View::of(r.world(), s);
    let texts = |v: &View, n: NodeId| -> Vec<String> {
        inside::lines(v, n).into_iter().map(|l| l.text).collect()
    };
    let lines = texts(&v, db2);
    assert!(
        lines.contains(&"user:2 = v2 ≠ cache-2".to_string()),
        "{lines:?}"
    );
    // It names cache-2, the copy that differs, not the first cache (review session 11,
    // F6: it said "≠ cache").
    assert!(
        v.cache.iter().all(|e| e.key != "user:2" || !e.stale),
        "{:?}",
        v.cache
    );
    assert!(
        lines.contains(&"outbox e1002 unpublished".to_string()),
        "{lines:?}"
    );
    // db holds user:1 only; the first's box is drawn as before.
    assert_eq!(texts(&v, NodeId::DB), vec!["user:1 = v1".to_string()]);
    let note = |v: &View, n: NodeId| v.nodes.iter().find(|nv| nv.id == n).unwrap().note.clone();
    assert_eq!(note(&v, db2), "1 row, 1 unpublished");
    let panel = paint::db(&v);
    assert!(
        panel.contains("data-db=\"db-2\" data-key=\"user:2\" data-value=\"v2\""),
        "{panel}"
    );
    assert!(
        panel.contains("data-db=\"db\" data-key=\"user:1\""),
        "{panel}"
    );
    // consumer-2 has the event in hand: its note says so, from its own state.
    r.seek(handles);
    let v = View::of(r.world(), s);
    assert_eq!(note(&v, id("consumer-2")), "handling e1002");
    assert_eq!(note(&v, id("relay-2")), "marking e1002");
    assert_eq!(note(&v, NodeId::RELAY), "idle");
    // A second durable bus shows its log, as the first does.
    let durable = text
        .replace("\"durable\": false", "\"durable\": true")
        .replace(
            "{ \"id\": \"relay-2\", \"db\": \"db-2\", \"bus\": \"bus\" },",
            "{ \"id\": \"bus-2\" },\n      { \"id\": \"relay-2\", \"db\": \"db-2\", \"bus\": \"bus-2\" },",
        );
    let s = file::from_json(&durable).unwrap().into_scenario();
    let mut r = Run::new(s, Fixes::none(), s.seed);
    r.run_to_end();
    let v = View::of(r.world(), s);
    let bus2 = id("bus-2");
    assert!(
        texts(&v, bus2)
            .iter()
            .any(|l| l.starts_with("e1002 user:2=v2")),
        "{:?}\n{}",
        texts(&v, bus2),
        r.trace()
    );
    assert!(
        note(&v, bus2).starts_with("log of 1, offset"),
        "{}",
        note(&v, bus2)
    );
}

/// The sandbox builder's "more nodes" form writes topology entries of the scenario
/// file's format, read by the same reader (a bad one named by entry and field).
#[test]
fn the_builder_form_writes_topology_entries_the_reader_checks() {
    let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    let entries = topology::form_entries(&f(&[
        ("db-2", "on"),
        ("db-2-keys", "2, 3"),
        ("relay-2", "on"),
        ("consumer-2", "on"),
    ]));
    let v = serde_json::Value::Array(entries);
    assert_eq!(
        v.to_string(),
        r#"[{"id":"db-2","keys":[2,3]},{"bus":"bus","db":"db-2","id":"relay-2"},{"id":"cache-2"},{"cache":"cache-2","id":"service-2"},{"bus":"bus","cache":"cache-2","id":"consumer-2"}]"#
    );
    assert!(topology::deserialize(v).is_ok());
    // A second bus for both; a flusher of cache-2.
    let v = serde_json::Value::Array(topology::form_entries(&f(&[
        ("bus-2", "on"),
        ("relay-2", "on"),
        ("relay-2-bus-2", "on"),
        ("consumer-2", "on"),
        ("consumer-2-bus-2", "on"),
        ("flusher-2", "on"),
    ])));
    assert!(v
        .to_string()
        .contains(r#"{"bus":"bus-2","db":"db","id":"relay-2"}"#));
    assert!(topology::deserialize(v).is_ok());
    // A key that is not a number: the reader names the entry and the field.
    let v = serde_json::Value::Array(topology::form_entries(&f(&[
        ("db-2", "on"),
        ("db-2-keys", "two"),
    ])));
    // Read in a file, as the builder does: the line and the field are named.
    let mut file: serde_json::Value =
        serde_json::from_str(&example("second-shard-unsubscribed-pool")).unwrap();
    file["settings"]["topology"] = v;
    let text = serde_json::to_string_pretty(&file).unwrap();
    let e = file::from_json(&text).unwrap_err().to_string();
    assert!(e.contains("line") && e.contains("keys"), "{e}");
    // Nothing chosen: no entry.
    assert!(topology::form_entries(&f(&[("db-2-keys", "2")])).is_empty());
    // The builder names its own field for what it can tell before writing the file
    // (the user never sees that file's lines; session 9's review, F11).
    let problem = |keys_text: &str, on: &str| {
        topology::form_problem(&f(&[("db-2", on), ("db-2-keys", keys_text)]), 2)
    };
    assert_eq!(
        problem("two", "on").as_deref(),
        Some("owns keys: `two` is not a key of this sandbox (1 to 2)")
    );
    assert_eq!(
        problem("2, 5", "on").as_deref(),
        Some("owns keys: `5` is not a key of this sandbox (1 to 2)")
    );
    assert_eq!(problem("2", "on"), None);
    assert_eq!(problem("1 2", "on"), None);
    assert_eq!(problem("two", ""), None);
}
