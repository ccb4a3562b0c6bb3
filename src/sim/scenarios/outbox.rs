//! # The transactional outbox
//!
//! The service never talks to the bus. It writes the row and an outbox row describing
//! the change in one database transaction (Debezium's outbox columns: `id`,
//! `aggregatetype`, `aggregateid`, `type`, `payload`), so the change and its event
//! commit together or not at all. A relay polls the outbox, publishes each unpublished
//! row to the bus (a durable log, like Kafka), and only then marks it published. The
//! consumer deletes the key; the next read loads `v2`. (Debezium itself reads the
//! outbox by change data capture, from the database's log, instead of polling.)
//!
//! Outcome: `cache-matches-db` and `no-lost-event` hold; every outbox row ends
//! published.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, WriteMode};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "outbox",
    title: "The transactional outbox",
    summary: "The write commits the row and an outbox row in one transaction. The relay finds the unpublished row, \
              publishes it to the bus, and marks it published; the consumer deletes the key and the next read loads \
              v2. The event cannot be lost between the commit and the publish, because it is part of the commit.",
    flow: &[
        "service: update the row + insert the outbox row, one transaction",
        "relay: select unpublished outbox rows",
        "relay: publish to the bus, then mark the row published",
        "consumer: delete the key",
        "the next read misses and loads the new row",
    ],
    pros: &[
        "No dual write: the event is committed with the change, atomically.",
        "The relay can crash and restart at any point; unpublished rows wait for it.",
    ],
    cons: &[
        "At-least-once: a crash between publish and mark publishes the row again, so consumers must tolerate \
         duplicates.",
        "One more table, one more process (or Debezium and its change data capture) to run; events arrive later.",
    ],
    fixes: &[],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[
        Metric::DbReads,
        Metric::DbWrites,
        Metric::EventsPublished,
        Metric::EventsDelivered,
        Metric::StaleReads,
    ],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(_: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Outbox,
        bus: Some(BusConfig {
            durable: true,
            ..BusConfig::default()
        }),
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 0), Request::read(Key(1), 100)],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 30)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, _: &Fixes) -> String {
    let key = Key(1);
    let rows = w.db.outbox.len() as u64;
    let waiting = w.db.outbox.iter().filter(|r| !r.published).count() as u64;
    if waiting > 0 {
        let relay = if w.is_up(crate::sim::ids::NodeId::Relay) {
            "the relay will publish it when it next polls"
        } else {
            "the relay is down; the row waits in the database until it restarts"
        };
        return format!(
            "Not done yet: {} of {} not marked published: {relay}. {}. The event was committed with the change, so it \
             cannot be lost, only late.",
            waiting,
            super::count(rows, "outbox row is", "outbox rows are"),
            super::holds(w, key)
        );
    }
    if !super::consistent(w) {
        return super::other_path(w, key);
    }
    format!(
        "Done. {}; every outbox row ({}) is marked published. The event was committed with the change, so no crash \
         between the two could separate them. This is how the outbox makes events reliable.",
        super::holds(w, key),
        rows
    )
}
