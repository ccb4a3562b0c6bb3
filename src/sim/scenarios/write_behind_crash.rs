//! # The write-behind crash
//!
//! The writer makes two writes to `user:1`; the cache acknowledges both (`v2`, `v3`)
//! and queues them. Before the flusher runs, the cache node crashes: its memory, and
//! the queue with it, is gone. It restarts empty. The writer was told `v3` succeeded,
//! yet the database still has `v1`: `no-lost-write` is violated, and the next reader
//! loads `v1`.
//!
//! Fix `durable-queue`: each write is appended to a log on disk before the ack; after
//! the restart the cache replays the log and the flusher writes `v3`.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BehindConfig, Config, Request, WriteMode};
use crate::sim::fault::Fault;
use crate::sim::ids::{Key, NodeId, Version};
use crate::sim::scenario::{FixInfo, Fixes, Scenario};
use crate::sim::world::{Event, World};

pub static SCENARIO: Scenario = Scenario {
    id: "write-behind-crash",
    title: "The write-behind crash",
    summary: "Two writes are acknowledged by the write-behind cache and wait in its queue. The cache crashes before the \
              flusher runs: the queue was only in memory, and the acknowledged writes are gone. The database still has \
              v1. With a durable queue, the writes are on disk before the ack and are replayed after the restart.",
    flow: &[
        "writer: write v2, write v3 (both acknowledged, queued)",
        "cache crashes: the queue is gone",
        "cache restarts empty",
        "flusher: nothing to write; the database keeps v1",
    ],
    pros: &["Write-behind's speed: the ack does not wait for the database."],
    cons: &[
        "An acknowledged write that exists only in memory is a promise the system cannot keep.",
        "The loss is silent: nothing tells the writer.",
    ],
    fixes: &[FixInfo {
        id: "durable-queue",
        title: "Durable queue",
        what: "The cache appends each write to a log on disk before it acknowledges, and replays the log after a \
               restart, so the flusher still writes every acknowledged write.",
        cost: "A disk write before every ack (here 5 ms more per write), and a log to keep and trim.",
    }],
    invariants: &[Invariant::NoLostWrite, Invariant::CacheMatchesDb],
    metrics: &[Metric::DbWrites, Metric::WritesAcked, Metric::StaleReads],
    seed: 1,
    config,
    script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Behind,
        behind: BehindConfig {
            flush_delay_ms: 200,
            durable: fixes.has("durable-queue"),
            ..BehindConfig::default()
        },
        restart_after_ms: Some(50),
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Writer(1),
                vec![Request::write(Key(1), 0), Request::write(Key(1), 10)],
            ),
            (NodeId::Reader(1), vec![Request::read(Key(1), 300)]),
        ],
        ..Config::default()
    }
}

/// The cache crashes once the writer has heard that both writes succeeded.
fn script(w: &World, _: usize) -> Option<Event> {
    let both_acked = w.books.acked.get(&Key(1)) == Some(&Version(3));
    let crashed = w.books.crashes_of(NodeId::Cache) > 0;
    let flushed = w.db.read(Key(1)) > Version(1);
    (both_acked && !crashed && !flushed).then_some(Event::Fault(Fault::Crash(NodeId::Cache)))
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let db = w.db.read(key);
    let acked = w.books.acked.get(&key).copied();
    let crashed = w.books.crashes_of(NodeId::Cache) > 0;
    let lost = Invariant::NoLostWrite.check(w).is_err();
    let reader = w
        .clients
        .iter()
        .find(|c| c.id == NodeId::Reader(1))
        .and_then(|c| match c.last_answer {
            Some(crate::sim::msg::Payload::ReadOk { value: Some(v), .. }) => Some(v),
            _ => None,
        });
    let got = match reader {
        Some(v) if v < acked.unwrap_or(v) => format!(" The reader got {v} back: a stale read."),
        Some(v) => format!(" The reader got {v} back."),
        None => String::new(),
    };
    match acked {
        Some(a) if crashed && lost && !fixes.has("durable-queue") => format!(
            "Done. The writer was told {a} succeeded, but the database has {db}: the queue lived only in the cache's \
             memory and died with it.{got} Try the durable queue."
        ),
        Some(a) if crashed && !lost && db >= a && fixes.has("durable-queue") => format!(
            "Done. The database has {db}, the last acknowledged write: the cache replayed its disk log after the \
             restart and the flusher wrote it.{got} Each ack cost a disk write first."
        ),
        _ => super::other_path(w, key),
    }
}
