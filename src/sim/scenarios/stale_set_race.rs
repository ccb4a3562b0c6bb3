//! # The stale-set race
//!
//! The reader's and the writer's requests both start at time 0. The reader misses and
//! selects `v1` from the database, but the row's journey back is slow (a pause, a busy
//! link). Meanwhile the writer commits `v2` and deletes the key, which was not even
//! cached yet. Then the reader's set arrives and puts `v1` back. The delete happened
//! *before* the stale set, so it could not help: the cache holds `v1` while the
//! database has `v2`, until the TTL ends it, long after this run.
//!
//! Fixes:
//! - `versioned-set`: the delete carries `v2`; the cache keeps a tombstone (key, `v2`)
//!   for longer than any read takes and refuses the set of `v1`. If the tombstone
//!   expired first, the race would return.
//! - `lease`: memcache leases. The miss handed the reader a lease token; the delete
//!   invalidated it, so the set carrying it is refused.
//! - `delayed-double-delete`: the writer deletes again a while later, removing the
//!   stale value. It works here; but it is a heuristic: a reader slower than the
//!   delay still wins.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::cache::SetGuard;
use crate::sim::config::{Config, Request, SlowHop};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, FixInfo, Fixes, Scenario};
use crate::sim::world::World;

/// How long the database's answer to the reader takes beyond the normal hop.
const SLOW_REPLY_MS: u64 = 10;
/// Tombstones outlive the slowest read in this run by far.
const TOMBSTONE_MS: u64 = 500;
/// memcache's lease period: at most one token per key every 10 s.
const LEASE_PERIOD_MS: u64 = 10_000;
const SECOND_DELETE_MS: u64 = 50;

pub static SCENARIO: Scenario = Scenario {
    id: "stale-set-race",
    title: "The stale-set race",
    summary: "A reader and a writer start together. The reader misses and reads v1 from the database, but its answer \
              is slow to come back. The writer commits v2 and deletes the key in the meantime. Then the reader's late \
              set puts v1 back into the cache, where it stays: the cache and the database disagree.",
    flow: &[
        "reader: get (miss) → select v1 … slow …",
        "writer: update → commit v2 → delete key",
        "reader: … set v1: the stale value lands after the delete",
    ],
    pros: &["Cache-aside is still the right base: this race is rare and needs a slow read overlapping a write."],
    cons: &[
        "When it happens the cache stays wrong until the TTL ends it.",
        "Invalidating on write does not help: the delete came before the stale set.",
    ],
    fixes: &[
        FixInfo {
            id: "versioned-set",
            title: "Versioned set",
            what: "The writer's delete carries the committed version; the cache keeps a tombstone (key, version) for a \
                   bounded time, longer than the longest read, and refuses a set older than it.",
            cost: "Memory for tombstones, and every value must carry a version. If a tombstone expires before the slow \
                   set arrives, the race returns.",
        },
        FixInfo {
            id: "lease",
            title: "Lease (memcache)",
            what: "A miss hands out a lease token for the key (at most one per key every 10 s); a delete invalidates \
                   it; a set must carry the valid token. From \"Scaling Memcache at Facebook\" (NSDI 2013).",
            cost: "Readers that miss while another holds the lease must wait and retry; the cache must keep lease \
                   state per key.",
        },
        FixInfo {
            id: "delayed-double-delete",
            title: "Delayed double delete",
            what: "After its delete the writer schedules a second delete a while later (here 50 ms), to remove a stale \
                   value set in between.",
            cost: "A heuristic: a read slower than the delay still leaves the cache stale. One more cache operation per \
                   write, and the stale value is served until the second delete.",
        },
    ],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[
        Metric::DbReads,
        Metric::DbWrites,
        Metric::WritesAcked,
        Metric::CacheHits,
        Metric::CacheMisses,
        Metric::StaleReads,
    ],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    let guard = if fixes.has("lease") {
        SetGuard::Lease {
            period_ms: LEASE_PERIOD_MS,
        }
    } else if fixes.has("versioned-set") {
        SetGuard::Versioned {
            tombstone_ms: TOMBSTONE_MS,
        }
    } else {
        SetGuard::Plain
    };
    Config {
        guard,
        second_delete_ms: fixes
            .has("delayed-double-delete")
            .then_some(SECOND_DELETE_MS),
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Reader(1),
                vec![Request::read(Key(1), 0).slow(SlowHop::DbReadReply, SLOW_REPLY_MS)],
            ),
            (NodeId::Writer(1), vec![Request::write(Key(1), 0)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let db = w.db.read(key);
    let raced = w.books.saw(Happened::StaleStored(key));
    match w.cache.live(key, w.now_ms) {
        Some(e) if e.version != db && raced => format!(
            "The race is complete: the cache holds {} while the database has {db}. Every reader will get {} until the \
             TTL ends at {} ms, long after this run. Try a fix.",
            e.version, e.version, e.expires_ms
        ),
        Some(e) if e.version != db => super::other_path(w, key),
        _ => {
            let refused = w.books.saw(Happened::SetRefused(key));
            let how = if fixes.has("lease") && refused {
                "The lease was invalidated by the delete, so the late set was refused."
            } else if fixes.has("versioned-set") && refused {
                "The tombstone outlived the slow read and refused the older set. Had it expired first, the race would \
                 have won."
            } else if fixes.has("delayed-double-delete") && raced && w.books.saw(Happened::StaleDeleted(key)) {
                "The stale value did land, and the second delete removed it. This time: a read slower than the delay \
                 would have set it after the second delete too. It is a heuristic, not a guarantee."
            } else if raced {
                "A stale value landed, and something removed it before the end."
            } else {
                "This interleaving did not produce the race: no stale value reached the cache."
            };
            format!("{}: consistent. {how}", super::holds(w, key))
        }
    }
}
