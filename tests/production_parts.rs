//! The production chapter's parts compose, and their faults keep their promises: a
//! partitioned replica catches up after the partition heals; a database crash rolls
//! back an open transaction; a partition is offered only where there is a replica, an
//! invalidator or a second region; a scenario file puts negative caching on a lagging
//! replica, and it runs as the parts say.
use cachescope::sim::config::{Config, ReplicaConfig, Request, TxnConfig};
use cachescope::sim::partition::Link;
use cachescope::sim::scenario::file;
use cachescope::sim::world::{Event, World};
use cachescope::sim::{scenarios, Fault, Fixes, Invariant, Key, NodeId, Run};

fn to_end(w: &mut World) {
    for _ in 0..500 {
        let Some(e) = w.earliest() else { return };
        w.step(e).unwrap();
    }
    panic!("the run did not end");
}

#[test]
fn a_partitioned_replica_catches_up_after_heal() {
    let replica = NodeId::Replica(1);
    let config = Config {
        replica: Some(ReplicaConfig::default()),
        clients: vec![(
            NodeId::Writer(1),
            vec![Request::write(Key(1), 0), Request::write(Key(1), 5)],
        )],
        ..Config::default()
    };
    let mut w = World::new(config, 1);
    // The partition cuts the replica's link to the primary: its stream.
    let link = Link::between(NodeId::DB, replica);
    assert_eq!(link.to_string(), "db~replica");
    let cut = Event::Fault(Fault::PartitionLink(link));
    assert!(w.faults().contains(&cut));
    let record = w.step(cut).unwrap();
    assert!(record.narration.contains("keep their memory"), "{record}");
    assert!(w.is_up(replica), "the replica keeps running");
    to_end(&mut w);
    assert_eq!(w.db().read(Key(1)).0, 3, "both writes committed");
    assert_eq!(
        w.replica().read(Key(1)).0,
        1,
        "the changes were lost on the way"
    );
    let heal = Event::Fault(Fault::HealLink(link));
    assert_eq!(
        w.faults()
            .into_iter()
            .filter(|e| matches!(
                e,
                Event::Fault(Fault::HealLink(_) | Fault::PartitionLink(_))
            ))
            .collect::<Vec<_>>(),
        [heal]
    );
    let record = w.step(heal).unwrap();
    assert!(record.narration.contains("from its position"), "{record}");
    to_end(&mut w);
    assert_eq!(w.replica().rows, w.db().rows, "caught up, in order");
    assert_eq!(w.replica().position, w.db().lsn);
}

#[test]
fn a_partition_is_offered_only_on_a_log_reader_or_a_second_region() {
    for s in scenarios::ALL.iter() {
        let w = s.world(&Fixes::none(), s.seed);
        let offered: Vec<Link> = w
            .faults()
            .into_iter()
            .filter_map(|e| match e {
                Event::Fault(Fault::PartitionLink(l)) => Some(l),
                // A node's own partition (session 5's, kept so its links replay) is
                // offered on the same nodes only.
                Event::Fault(Fault::Partition(n)) => {
                    assert!(
                        matches!(n, NodeId::Replica(_) | NodeId::Invalidator(_))
                            || w.config.region_of(n) == 2,
                        "{}: a partition of {n} is offered",
                        s.id
                    );
                    None
                }
                _ => None,
            })
            .collect();
        let has = w.config.replica.is_some() || w.config.invalidator.is_some();
        assert_eq!(!offered.is_empty(), has, "{}", s.id);
        let regions = w.config.topology.iter().any(|n| n.region == Some(2));
        assert_eq!(offered.contains(&Link::Regions), regions, "{}", s.id);
    }
}

/// cross-region-read-your-writes with region 1 cut from region 2 before anything
/// happens: the write of service-2 to the primary is lost, nothing replicates; healed,
/// the replica and the invalidator reconnect from their positions.
#[test]
fn cutting_region_1_from_region_2_loses_what_crosses_and_heals() {
    let s = scenarios::find("cross-region-read-your-writes").unwrap();
    let mut w = s.world(&Fixes::none(), s.seed);
    let cut = Event::Fault(Fault::PartitionLink(Link::Regions));
    assert!(w.faults().contains(&cut));
    let record = w.step(cut).unwrap();
    assert!(
        record.narration.contains("between the two regions is cut"),
        "{record}"
    );
    assert_eq!(
        Fault::PartitionLink(Link::Regions).target(),
        "region-1~region-2"
    );
    let mut lost = Vec::new();
    for _ in 0..500 {
        let Some(e) = w.earliest() else { break };
        let r = w.step(e).unwrap();
        if r.outcome == "lost: partition" {
            lost.push(r.narration.clone());
        }
    }
    assert!(!lost.is_empty(), "a message crossed the cut");
    assert!(
        lost[0].contains("the link region-1~region-2 is cut by a partition"),
        "{}",
        lost[0]
    );
    assert_eq!(
        w.db().read(Key(1)).0,
        1,
        "the write never reached the primary"
    );
    let record = w
        .step(Event::Fault(Fault::HealLink(Link::Regions)))
        .unwrap();
    assert!(
        record
            .narration
            .contains("the two regions hear each other again"),
        "{record}"
    );
    assert!(record.narration.contains("reconnects"), "{record}");
}

#[test]
fn a_database_crash_rolls_back_an_open_transaction() {
    let config = Config {
        txn: Some(TxnConfig::default()),
        clients: vec![(NodeId::Writer(1), vec![Request::write(Key(1), 0)])],
        ..Config::default()
    };
    let mut w = World::new(config, 1);
    // Until the transaction is open.
    while w.db().txns.is_empty() {
        let e = w.earliest().expect("the write goes on");
        w.step(e).unwrap();
    }
    let rows = w.db().rows.clone();
    let record = w.step(Event::Fault(Fault::Crash(NodeId::DB))).unwrap();
    assert!(record.narration.contains("rolled back"), "{record}");
    assert!(w.db().txns.is_empty(), "no open transaction survives");
    assert_eq!(w.db().rows, rows, "and it leaves no trace in the rows");
    w.step(Event::Fault(Fault::Restart(NodeId::DB))).unwrap();
    to_end(&mut w);
    assert_eq!(w.db().read(Key(1)).0, 1, "nothing committed");
    let told = w.clients[0].last_answer.map(|p| p.kind());
    assert_eq!(told, Some("write-failed"), "the writer is told");
}

/// Negative caching on a lagging replica, written as a file: the reader's miss reads
/// the replica, which has not applied the insert, and caches `absent` after the
/// insert's own delete: the cache says the row does not exist while the primary has it.
const NEGATIVE_ON_A_REPLICA: &str = r#"{
  "format": "cachescope-scenario",
  "version": 1,
  "id": "negative-on-a-replica",
  "title": "A not found from a lagging replica",
  "summary": "The insert deletes the key, but the next miss reads a replica that has not applied it, and caches absent.",
  "seed": 1,
  "invariants": ["cache-matches-db"],
  "metrics": ["db-reads", "replica-reads", "stale-reads"],
  "settings": {
    "keys": [],
    "clients": {
      "writer": [{"op": "insert", "key": 2, "at_ms": 0}],
      "reader": [{"op": "read", "key": 2, "at_ms": 15}]
    },
    "replica": {"lag_ms": 20, "miss_reads": "replica"},
    "negative": {"ttl_ms": 300000, "invalidate_on_insert": true}
  }
}"#;

#[test]
fn negative_caching_on_a_lagging_replica_from_a_file() {
    let f = file::from_json(NEGATIVE_ON_A_REPLICA).unwrap_or_else(|e| panic!("{e}"));
    let s = f.into_scenario();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.db().read(Key(2)).0, 1, "the insert committed v1");
    let cached = w
        .cache()
        .live(Key(2), w.now_ms)
        .map(|e| e.version.to_string());
    assert_eq!(
        cached.as_deref(),
        Some("absent"),
        "absent cached from the replica"
    );
    assert!(Invariant::CacheMatchesDb.check(w).is_err());
    assert_eq!(w.metrics.replica_reads, 1);
    assert!(w.metrics.stale_reads >= 1);
}
