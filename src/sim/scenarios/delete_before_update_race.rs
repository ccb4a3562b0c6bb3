//! # Delete before update
//!
//! The cache holds `v1`. The writer deletes the key first and then updates the
//! database, and the update is slow to commit. A reader misses in between, reads `v1`
//! (not yet replaced) and fills the cache with it. Then `v2` commits: the cache holds
//! `v1` while the database has `v2`, and no delete is coming.
//!
//! Fix `update-then-delete`: update the database, then delete (the cache-aside write
//! flow). It works in this script; but a read that straddles the write can still put
//! the old value back: that race is `stale-set-race`.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::config::{Config, Request, WriteOrder};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, FixInfo, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "delete-before-update-race",
    title: "Delete before update",
    summary: "The writer deletes the cached key, then updates the database. A reader slips in between: it misses, \
              reads the old v1 and caches it. Then v2 commits, and the cache is left holding v1.",
    flow: &[
        "writer: delete the key",
        "reader: miss → select v1 → set v1",
        "writer: update the row: v2 commits",
        "cache holds v1, database v2",
    ],
    pros: &["Deleting first feels safe: the cache never holds a value older than the delete… for a moment."],
    cons: &[
        "Any read between the delete and the commit refills the old value, and nothing deletes it again.",
        "The window is as long as the database write: the slower the commit, the likelier the race.",
    ],
    fixes: &[FixInfo {
        id: "update-then-delete",
        title: "Update, then delete",
        what: "Commit to the database first, then delete the key: a reader that misses after the delete loads the new \
               row.",
        cost: "A short stale window between the commit and the delete; and a read that started before the commit and \
               sets after the delete still races (stale-set-race).",
    }],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[Metric::DbReads, Metric::DbWrites, Metric::CacheHits, Metric::CacheMisses, Metric::StaleReads],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    let write_order = if fixes.has("update-then-delete") {
        WriteOrder::UpdateThenDelete
    } else {
        WriteOrder::DeleteThenUpdate
    };
    Config {
        write_order,
        keys: vec![Key(1)],
        clients: vec![
            (NodeId::Reader(1), vec![Request::read(Key(1), 0)]),
            (NodeId::Writer(1), vec![Request::write(Key(1), 50)]),
            (NodeId::Reader(2), vec![Request::read(Key(1), 52)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let raced = w.books.saw(Happened::StaleStored(key));
    if super::consistent(w) {
        let how = if fixes.has("update-then-delete") {
            " Updating first and deleting after closed this window. But it is not airtight: a read that selects \
             before the commit and sets after the delete still puts the old value back (stale-set-race)."
        } else if raced {
            " A stale value landed, and something removed it before the end."
        } else {
            " In this interleaving no reader refilled the old row between the delete and the commit."
        };
        format!("Done. {}: consistent.{how}", super::holds(w, key))
    } else if !raced {
        super::other_path(w, key)
    } else if fixes.has("update-then-delete") {
        format!(
            "Done. {}, even with update-then-delete: a read selected the old row before the commit and set it after \
             the delete. That is the stale-set-race, which this order cannot prevent; it takes versioned sets or \
             leases.",
            super::holds(w, key)
        )
    } else {
        format!(
            "Done. {}: a reader refilled the old row between the delete and the commit, and no delete came after. It \
             stays stale until the TTL. Try update-then-delete.",
            super::holds(w, key)
        )
    }
}
