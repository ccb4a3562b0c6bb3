//! A replica and an invalidator of the second shard (issue 8, deliverable 2: "a
//! topology is data"): `{"id": "replica-2", "db": "db-2"}` applies db-2's commit log in
//! db-2's commit order, as a replica follows its own primary's binlog, and a service
//! that reads replicas reads a key of db-2 there; `{"id": "invalidator-2", "db":
//! "db-2"}` tails db-2's log, as Debezium reads one database's log. The narration names
//! them; a wrong `db` is refused with the entry and the field.
use cachescope::sim::config::topology;
use cachescope::sim::scenario::file;
use cachescope::sim::search::{teaches, Bounds, FaultBudget, Search, WorldModel, STALE_SET};
use cachescope::sim::{Fixes, Invariant, Key, NodeId, Run, Version};

fn id(text: &str) -> NodeId {
    NodeId::parse(text).unwrap_or_else(|| panic!("{text}"))
}

/// A scenario of two shards (`db-2` owns user:2), each with its replica and its
/// invalidator; `warm`: the keys cached at the start; `tails`: whose log the
/// invalidators tail; `clients`: the file's `clients` object.
fn scenario(warm: &str, tails: &str, clients: &str) -> String {
    format!(
        r#"{{
  "format": "cachescope-scenario",
  "version": 1,
  "id": "shard-replica",
  "title": "A replica and an invalidator per shard",
  "summary": "db-2 owns user:2; replica-2 follows db-2 and invalidator-2 tails its log.",
  "invariants": ["cache-matches-db"],
  "metrics": ["db-reads", "replica-reads", "stale-reads"],
  "settings": {{
    "keys": [1, 2],
    "warm": {warm},
    "write_mode": "commit-only",
    "replica": {{ "lag_ms": 20, "miss_reads": "replica" }},
    "invalidator": {{ "tails": "{tails}", "delay_ms": 2, "retry_ms": 50 }},
    "topology": [
      {{ "id": "db-2", "keys": [2] }},
      {{ "id": "replica-2", "db": "db-2" }},
      {{ "id": "invalidator-2", "db": "db-2" }}
    ],
    "clients": {clients}
  }}
}}"#
    )
}

fn run(text: &str) -> Run {
    let s = file::from_json(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_scenario();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    run
}

fn hops(run: &Run) -> Vec<(NodeId, NodeId)> {
    run.records().iter().filter_map(|r| r.hop).collect()
}

#[test]
fn a_replica_of_db_2_applies_db_2s_commits_and_not_dbs() {
    let r = run(&scenario(
        "[1, 2]",
        "primary",
        r#"{ "writer": [{ "op": "write", "key": 1, "at_ms": 0 }, { "op": "write", "key": 2, "at_ms": 5 }] }"#,
    ));
    let w = r.world();
    let (db2, replica2) = (id("db-2"), id("replica-2"));
    let second = w.nodes.replica(replica2).expect("replica-2 runs");
    assert_eq!(second.primary, db2);
    // db-2's rows only, at db-2's position (its log numbers start at 1001).
    assert_eq!(second.read(Key(2)), Version(2), "{}", r.trace());
    assert_eq!(
        second.read(Key(1)),
        Version(0),
        "db's row never reaches replica-2"
    );
    assert_eq!(second.position, w.nodes.db(db2).unwrap().lsn);
    assert!(second.position > 1000);
    // And `replica` follows db alone.
    assert_eq!(w.replica().read(Key(1)), Version(2));
    assert_eq!(w.replica().read(Key(2)), Version(0));
    let h = hops(&r);
    assert!(h.contains(&(db2, replica2)), "{h:?}");
    assert!(!h.contains(&(NodeId::DB, replica2)), "{h:?}");
    assert!(!h.contains(&(db2, NodeId::REPLICA)), "{h:?}");
    let applied: Vec<&str> = r
        .records()
        .iter()
        .filter(|rec| rec.hop == Some((db2, replica2)))
        .map(|rec| rec.narration.as_str())
        .collect();
    assert_eq!(applied.len(), 1, "{applied:?}");
    assert!(
        applied[0].starts_with("replica-2 applies position 1002, user:2 = v2, in commit order"),
        "{applied:?}"
    );
}

#[test]
fn a_read_of_a_db_2_key_through_replica_2_sees_lag_then_the_new_value() {
    // The invalidators tail their replica's log: invalidator-2 deletes user:2 only once
    // replica-2 has applied v2, so the second read's miss loads v2 there.
    let r = run(&scenario(
        "[1]",
        "replica",
        r#"{ "writer": [{ "op": "write", "key": 2, "at_ms": 0 }],
             "reader": [{ "op": "read", "key": 2, "at_ms": 10 }, { "op": "read", "key": 2, "at_ms": 200 }] }"#,
    ));
    let replica2 = id("replica-2");
    let reads: Vec<&str> = r
        .records()
        .iter()
        .filter(|rec| rec.hop == Some((NodeId::SERVICE, replica2)))
        .map(|rec| rec.narration.as_str())
        .collect();
    assert_eq!(reads.len(), 2, "{}", r.trace());
    assert!(
        reads[0].starts_with("replica-2 reads user:2: v1, as of db-2's change at position 1001"),
        "{reads:?}"
    );
    assert!(
        reads[0].contains("db-2 has already committed v2: replica-2 has not applied it yet"),
        "{reads:?}"
    );
    assert!(
        reads[1].starts_with("replica-2 reads user:2: v2"),
        "{reads:?}"
    );
    // The misses go to replica-2, never to `replica` or to db-2 (which takes the write).
    let h = hops(&r);
    assert!(!h.contains(&(NodeId::SERVICE, NodeId::REPLICA)), "{h:?}");
    let loading: Vec<&str> = r
        .records()
        .iter()
        .map(|rec| rec.narration.as_str())
        .filter(|n| n.contains("queries"))
        .collect();
    assert!(
        loading.iter().all(|n| n
            .contains("queries replica-2, the read replica of db-2 (not the primary), for user:2")),
        "{loading:?}"
    );
    assert_eq!(r.world().metrics.replica_reads, 2);
    assert_eq!(
        Invariant::CacheMatchesDb.check(r.world()),
        Ok(()),
        "{}",
        r.trace()
    );
}

#[test]
fn invalidator_2_deletes_a_db_2_keys_cache_entry_after_its_commit() {
    let r = run(&scenario(
        "[1, 2]",
        "primary",
        r#"{ "writer": [{ "op": "write", "key": 2, "at_ms": 0 }] }"#,
    ));
    let (db2, inv2) = (id("db-2"), id("invalidator-2"));
    let h = hops(&r);
    assert!(h.contains(&(db2, inv2)), "{h:?}");
    assert!(h.contains(&(inv2, NodeId::CACHE)), "{h:?}");
    // The first invalidator tails db, which had no change.
    assert!(!h.contains(&(db2, NodeId::INVALIDATOR)), "{h:?}");
    assert!(!h.iter().any(|(a, _)| *a == NodeId::INVALIDATOR), "{h:?}");
    let w = r.world();
    assert_eq!(w.cache().live(Key(2), w.now_ms), None, "user:2 was deleted");
    let i = w.nodes.invalidator(inv2).expect("invalidator-2 runs");
    assert_eq!((i.settings.source, i.position), (db2, 1002));
    let said = r
        .records()
        .iter()
        .find(|rec| rec.hop == Some((db2, inv2)))
        .map(|rec| rec.narration.as_str())
        .unwrap_or_default();
    assert!(
        said.starts_with(
            "invalidator-2 reads position 1002 from the commit log of db-2, user:2 = v2, and deletes user:2 from the cache"
        ),
        "{said}"
    );
    assert_eq!(Invariant::CacheMatchesDb.check(w), Ok(()), "{}", r.trace());
}

/// Every interleaving of a write of user:2 and a read of it through replica-2, with
/// invalidator-2 tailing replica-2's log: a small sharded world, searched whole. The
/// counts are pinned (the fingerprint reads replica-2, invalidator-2 and db-2's log).
#[test]
fn a_sharded_scenario_is_searched_whole() {
    let text = scenario(
        "[1]",
        "replica",
        r#"{ "writer": [{ "op": "write", "key": 2, "at_ms": 0 }],
             "reader": [{ "op": "read", "key": 2, "at_ms": 0 }] }"#,
    );
    let s = file::from_json(&text).unwrap().into_scenario();
    let run = Run::new(s, Fixes::none(), s.seed);
    let model = WorldModel::new(&run, FaultBudget::NONE);
    let start = model.start().clone();
    let report = Search::new(model, Bounds::default()).run();
    assert!(report.complete);
    let broken: Vec<(&str, usize)> = report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect();
    assert_eq!((report.states, report.ends, report.depth), (5971, 33, 18));
    // A miss that read v1 at replica-2 before the commit sets it after invalidator-2's
    // delete: the stale-set race, which change data capture does not close (as in
    // cdc-invalidation), on the second shard.
    assert_eq!(broken, [("cache-matches-db", 18)]);
    let path = &report.violations[0].path;
    assert_eq!(teaches(&start, path), Some(STALE_SET));
    let replayed = run.replayed(path).expect("the counterexample replays");
    assert!(replayed
        .trace()
        .contains("service->replica-2: select user:2 => row v1"));
    assert!(Invariant::CacheMatchesDb.check(replayed.world()).is_err());
}

#[test]
fn a_replica_or_invalidator_naming_a_wrong_db_is_refused_with_its_line_and_field() {
    for (entry, at) in [
        (
            r#"{ "id": "replica-2", "db": "db-3" }"#,
            "topology[1] (replica-2)",
        ),
        (
            r#"{ "id": "invalidator-2", "db": "cache" }"#,
            "topology[1] (invalidator-2)",
        ),
        (
            r#"{ "id": "replica-2", "db": "replica" }"#,
            "topology[1] (replica-2)",
        ),
    ] {
        let text = format!(
            r#"{{
  "format": "cachescope-scenario",
  "version": 1,
  "id": "bad",
  "title": "t",
  "summary": "s",
  "settings": {{
    "keys": [1, 2],
    "topology": [
      {{ "id": "db-2", "keys": [2] }},
      {entry}
    ],
    "clients": {{ "reader": [{{ "op": "read", "key": 2, "at_ms": 0 }}] }}
  }}
}}"#
        );
        let e = file::from_json(&text).unwrap_err().to_string();
        assert!(e.contains(at), "{e}");
        assert!(e.contains("\"db\" is a primary of the topology"), "{e}");
        assert!(e.contains("line "), "{e}");
    }
    // The check itself: the primary must be listed.
    let mut r = topology::NodeSpec::at(id("replica-2"));
    r.db = Some(id("db-2"));
    assert!(topology::check(&[r]).is_err());
    let db2 = topology::NodeSpec {
        keys: Some(topology::KeySet64(2)),
        ..topology::NodeSpec::at(id("db-2"))
    };
    assert_eq!(topology::check(&[db2, r]), Ok(()));
}

/// The diagram draws replica-2 beside db-2: its rows inside its box, a row behind
/// db-2's marked as lag, its replication line from db-2, the service's read line to
/// it, and invalidator-2's line from the log it tails.
#[test]
fn the_diagram_draws_replica_2_with_its_rows_and_lines() {
    use cachescope::sim::view::View;
    use cachescope::ui::layout;
    let r = run(&scenario(
        "[1]",
        "replica",
        r#"{ "writer": [{ "op": "write", "key": 2, "at_ms": 0 }],
             "reader": [{ "op": "read", "key": 2, "at_ms": 10 }] }"#,
    ));
    let (db2, replica2, inv2) = (id("db-2"), id("replica-2"), id("invalidator-2"));
    let read = r
        .records()
        .iter()
        .position(|rec| rec.hop == Some((NodeId::SERVICE, replica2)))
        .expect("a read of replica-2");
    let text = |step: usize| -> Vec<(String, &'static str)> {
        let v = View::of(r.state(step).unwrap(), r.scenario);
        layout::lines(&v, replica2)
            .into_iter()
            .map(|l| (l.text, l.class))
            .collect()
    };
    // After its read of v1, db-2 has v2: lag.
    assert_eq!(text(read + 1), [("user:2 = v1 (lag)".to_string(), "stale")]);
    assert_eq!(text(r.records().len()), [("user:2 = v2".to_string(), "")]);
    let v = View::of(r.world(), r.scenario);
    for route in [
        (db2, replica2),
        (NodeId::SERVICE, replica2),
        (replica2, inv2),
    ] {
        assert!(v.routes.contains(&route), "{route:?} in {:?}", v.routes);
    }
    // The first replica keeps db's line, and no line from db to replica-2.
    assert!(!v.routes.contains(&(NodeId::DB, replica2)));
}
