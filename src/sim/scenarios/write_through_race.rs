//! # The write-through race
//!
//! Two writers update `user:1` at nearly the same time. Each commits to the database
//! (`v2`, then `v3`) and then sets the cache with its own value. The first writer's
//! set is slow on its way, so the sets arrive `v3` then `v2`: the last set wins and
//! the cache holds `v2` while the database has `v3`. The entries carry no TTL, so
//! nothing will ever mend it.
//!
//! Fix `versioned-write`: the cache refuses a set older than the version it holds.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::cache::SetGuard;
use crate::sim::config::{Config, Request, SlowHop, WriteMode, NO_TTL};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, FixInfo, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "write-through-race",
    title: "The write-through race",
    summary: "Two writers commit v2 and v3, each then setting the cache with its value. The first writer's set is slow \
              and arrives last: the cache ends at v2 while the database has v3, with no TTL to end it.",
    flow: &[
        "writer: commit v2 … set v2 (slow) …",
        "writer-2: commit v3, set v3",
        "… set v2 arrives last and wins",
    ],
    pros: &["Write-through is still simple, and right when writes to one key do not overlap."],
    cons: &[
        "The order of commits and the order of cache sets can differ.",
        "With no TTL, a wrong value stays until the next write.",
    ],
    fixes: &[FixInfo {
        id: "versioned-write",
        title: "Versioned write",
        what: "Each set carries the committed version; the cache refuses a set older than the version it holds (a \
               compare-and-set on the version).",
        cost: "Every value must carry a version, and the cache must compare before it stores.",
    }],
    invariants: &[Invariant::CacheMatchesDb],
    metrics: &[Metric::DbWrites, Metric::WritesAcked, Metric::CacheHits, Metric::StaleReads],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    Config {
        write_mode: WriteMode::Through,
        guard: if fixes.has("versioned-write") {
            SetGuard::Versioned { tombstone_ms: 0 }
        } else {
            SetGuard::Plain
        },
        ttl_ms: NO_TTL,
        warm: vec![Key(1)],
        keys: vec![Key(1)],
        clients: vec![
            (
                NodeId::Writer(1),
                vec![Request::write(Key(1), 0).slow(SlowHop::CacheSet, 10)],
            ),
            (NodeId::Writer(2), vec![Request::write(Key(1), 2)]),
        ],
        ..Config::default()
    }
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let key = Key(1);
    let consistent = super::consistent(w);
    if fixes.has("versioned-write") && consistent && w.books.saw(Happened::SetRefused(key)) {
        format!(
            "Done. {}: the late set of the older version was refused because the cache already held a newer one. The \
             cache only moves forward.",
            super::holds(w, key)
        )
    } else if !consistent && w.books.saw(Happened::StaleStored(key)) {
        format!(
            "Done. {}: the sets arrived in the opposite order to the commits, and the last one won. There is no TTL, \
             so nothing will ever mend it; only the next write will.",
            super::holds(w, key)
        )
    } else if consistent {
        format!(
            "Done. {}: consistent. In this interleaving the sets reached the cache in the order of the commits.",
            super::holds(w, key)
        )
    } else {
        super::other_path(w, key)
    }
}
