//! The read replica keeps its promises wherever faults strike: over 1,000 seeded runs
//! of three writers and a reader, with the replica crashed, restarted, paused,
//! partitioned and healed, and its stream delayed at random, it never applies a change before an earlier one, it
//! resumes from its position after a restart, and it ends with every commit applied.
#[path = "common/walk.rs"]
mod walk;
use cachescope::sim::config::{Config, ReplicaConfig, Request};
use cachescope::sim::rng::Rng;
use cachescope::sim::world::{Event, World};
use cachescope::sim::{Fault, Key, NodeId};

const RUNS: u64 = 1_000;
/// The walk's steps, faults included: far more than a run of these clients takes.
const MAX_STEPS: usize = 2_000;

fn config() -> Config {
    let writers = (1..=3u8).map(|n| {
        (
            NodeId::Writer(n),
            vec![Request::write(Key(1), 0), Request::write(Key(2), 5)],
        )
    });
    let mut clients: Vec<_> = writers.collect();
    clients.push((NodeId::Reader(1), vec![Request::read(Key(1), 3)]));
    Config {
        keys: vec![Key(1), Key(2)],
        replica: Some(ReplicaConfig::default()),
        restart_after_ms: None,
        clients,
        ..Config::default()
    }
}

/// A random walk that now and then crashes, restarts, pauses or resumes the replica or
/// delays a change on its stream; a downed or paused replica is brought back before
/// the end, so every run can finish.
fn walk(seed: u64) -> (World, Vec<u32>) {
    let mut w = World::new(config(), seed);
    let mut rng = Rng::new(seed);
    let mut applied = Vec::new();
    let replica = NodeId::Replica(1);
    let mut delays = 0u32;
    for _ in 0..MAX_STEPS {
        let Some(event) = walk::next_event(&w, &mut rng, replica, &mut delays) else {
            break;
        };
        let before = w.replica().position;
        let crashed = matches!(event, Event::Fault(Fault::Crash(_)));
        w.step(event).expect("an enabled event fires");
        let after = w.replica().position;
        if crashed {
            assert_eq!(before, after, "seed {seed}: the position is on disk");
        }
        if after != before {
            assert_eq!(
                after,
                before + 1,
                "seed {seed}: one change at a time, in order"
            );
            applied.push(after);
        }
    }
    (w, applied)
}

#[test]
fn a_replica_applies_every_change_in_commit_order_whatever_the_faults() {
    let mut crashed_mid_stream = 0;
    for seed in 0..RUNS {
        let (w, applied) = walk(seed);
        assert!(w.enabled().is_empty(), "seed {seed}: the run ended");
        let first = w.config.keys.len() as u32 + 1;
        let expected: Vec<u32> = (first..=w.db().lsn).collect();
        assert_eq!(
            applied, expected,
            "seed {seed}: every change once, in order"
        );
        assert_eq!(w.replica().rows, w.db().rows, "seed {seed}: caught up");
        assert_eq!(w.replica().position, w.db().lsn);
        if w.books.crashes_of(NodeId::Replica(1)) > 0 {
            crashed_mid_stream += 1;
        }
    }
    assert!(crashed_mid_stream > RUNS / 4, "the faults struck often");
}

#[test]
fn a_restarted_replica_asks_for_the_log_from_its_position() {
    let mut w = World::new(config(), 1);
    w.step(Event::Fault(Fault::Crash(NodeId::Replica(1))))
        .unwrap();
    let record = w
        .step(Event::Fault(Fault::Restart(NodeId::Replica(1))))
        .unwrap();
    assert!(
        record.narration.contains("from its binlog position, 2"),
        "{record}"
    );
    let asks: Vec<String> = w.net.iter().map(|m| m.payload.to_string()).collect();
    assert_eq!(asks, ["replicate from pos 2"]);
}
