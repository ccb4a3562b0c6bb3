//! The invalidator keeps its promise wherever faults strike: over 1,000 seeded runs of
//! three writers and a reader, with the invalidator crashed, restarted, paused,
//! partitioned and healed, and its log stream delayed at random, it finishes every change once, in commit order (its
//! position moves one lsn at a time), never moves its position in a crash, and ends
//! with every commit's delete done: it misses no change.
#[path = "common/walk.rs"]
mod walk;
use cachescope::sim::config::{Config, InvalidatorConfig, Request, WriteMode};
use cachescope::sim::fact::Fact;
use cachescope::sim::invalidator::InvalidatorFact;
use cachescope::sim::rng::Rng;
use cachescope::sim::world::{Event, World};
use cachescope::sim::{Fault, Key, NodeId};

const RUNS: u64 = 1_000;
/// The walk's steps, faults included: far more than a run of these clients takes.
const MAX_STEPS: usize = 2_000;
const ME: NodeId = NodeId::INVALIDATOR;

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
        warm: vec![Key(1), Key(2)],
        write_mode: WriteMode::CommitOnly,
        invalidator: Some(InvalidatorConfig::default()),
        clients,
        ..Config::default()
    }
}

fn position(w: &World) -> u32 {
    w.nodes.invalidator(ME).expect("an invalidator").position
}

/// A random walk that now and then crashes, restarts, pauses or resumes the
/// invalidator or delays a change on its stream; a downed or paused invalidator is
/// brought back before the end, so every run can finish. Returns the lsns it
/// finished, in order.
fn walk(seed: u64) -> (World, Vec<u32>) {
    let mut w = World::new(config(), seed);
    let mut rng = Rng::new(seed);
    let mut done = Vec::new();
    let mut delays = 0u32;
    for _ in 0..MAX_STEPS {
        let Some(event) = walk::next_event(&w, &mut rng, ME, &mut delays) else {
            break;
        };
        let before = position(&w);
        let crashed = matches!(event, Event::Fault(Fault::Crash(_)));
        w.step(event).expect("an enabled event fires");
        let after = position(&w);
        if crashed {
            assert_eq!(before, after, "seed {seed}: the position is on disk");
        }
        for f in w.facts() {
            if let Fact::Invalidator(InvalidatorFact::Done { lsn, .. }) = f {
                done.push(*lsn);
            }
        }
        if after != before {
            assert_eq!(after, before + 1, "seed {seed}: one change at a time");
        }
    }
    (w, done)
}

#[test]
fn a_crashed_invalidator_resumes_from_its_position_and_misses_no_change() {
    let mut crashed = 0;
    for seed in 0..RUNS {
        let (w, done) = walk(seed);
        assert!(w.enabled().is_empty(), "seed {seed}: the run ended");
        let first = w.config.keys.len() as u32 + 1;
        let expected: Vec<u32> = (first..=w.db().lsn).collect();
        assert_eq!(done, expected, "seed {seed}: every change once, in order");
        assert_eq!(position(&w), w.db().lsn, "seed {seed}: caught up");
        if w.books.crashes_of(ME) > 0 {
            crashed += 1;
        }
    }
    assert!(crashed > RUNS / 4, "the faults struck often");
}

#[test]
fn a_dropped_delete_is_sent_again() {
    let mut w = World::new(config(), 1);
    let mut dropped = false;
    // Run until the invalidator's first delete is on its way, then lose it.
    for _ in 0..200 {
        if let Some(m) = w.net.iter().find(|m| m.from == ME) {
            let id = m.id;
            w.step(Event::Fault(Fault::Drop(id))).unwrap();
            dropped = true;
            break;
        }
        let e = w.earliest().expect("the run goes on");
        w.step(e).unwrap();
    }
    while let Some(e) = w.earliest() {
        w.step(e).unwrap();
    }
    assert!(dropped, "a delete was lost");
    assert_eq!(position(&w), w.db().lsn, "the retry finished every change");
}
