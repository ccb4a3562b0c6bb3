//! The scenario catalog, in the learning path's order. Each scenario is one file that
//! opens with its story.
mod cache_aside_read;
mod cache_aside_write;
mod delete_before_update_race;
mod dual_write_crash;
mod event_delay;
mod event_duplicate_reorder;
mod event_invalidation;
mod event_loss;
mod hybrid;
mod outbox;
mod poison_event;
mod stale_set_race;
mod stampede;
mod ttl_expiry;
mod ttl_jitter;
mod write_behind;
mod write_behind_crash;
mod write_through;
mod write_through_race;

use super::books::Invariant;
use super::ids::Key;
use super::scenario::Scenario;
use super::world::World;

/// The learning path: the patterns, then the problems, in the catalog's order.
pub static ALL: &[&Scenario] = &[
    &cache_aside_read::SCENARIO,
    &cache_aside_write::SCENARIO,
    &write_through::SCENARIO,
    &write_behind::SCENARIO,
    &ttl_expiry::SCENARIO,
    &event_invalidation::SCENARIO,
    &hybrid::SCENARIO,
    &outbox::SCENARIO,
    &stale_set_race::SCENARIO,
    &delete_before_update_race::SCENARIO,
    &write_through_race::SCENARIO,
    &write_behind_crash::SCENARIO,
    &ttl_jitter::SCENARIO,
    &stampede::SCENARIO,
    &event_delay::SCENARIO,
    &event_loss::SCENARIO,
    &event_duplicate_reorder::SCENARIO,
    &poison_event::SCENARIO,
    &dual_write_crash::SCENARIO,
];

pub fn find(id: &str) -> Option<&'static Scenario> {
    ALL.iter().copied().find(|s| s.id == id)
}

/// The scenario after `id` on the learning path.
pub fn next_after(id: &str) -> Option<&'static Scenario> {
    let pos = ALL.iter().position(|s| s.id == id)?;
    ALL.get(pos + 1).copied()
}

/// The ending's first sentence about `key`, read off the state: "The cache and the
/// database both hold user:1 = v2", "The cache holds user:1 = v1 while the database has
/// v2", or "The cache holds nothing for user:1; the database has v2".
pub(crate) fn holds(w: &World, key: Key) -> String {
    let db = w.db.read(key);
    match w.cache.live(key, w.now_ms) {
        Some(e) if e.version == db => {
            format!("The cache and the database both hold {key} = {db}")
        }
        Some(e) => format!(
            "The cache holds {key} = {} while the database has {db}",
            e.version
        ),
        None => format!("The cache holds nothing for {key}; the database has {db}"),
    }
}

/// Whether `cache-matches-db` holds now.
pub(crate) fn consistent(w: &World) -> bool {
    Invariant::CacheMatchesDb.check(w).is_ok()
}

/// An ending for a run that took another path than the scenario's story (a learner's
/// order, a fault): only what the state says, each invariant that is broken and why.
pub(crate) fn other_path(w: &World, key: Key) -> String {
    let broken: Vec<String> = [
        Invariant::CacheMatchesDb,
        Invariant::NoLostWrite,
        Invariant::NoLostEvent,
    ]
    .into_iter()
    .filter_map(|i| {
        i.check(w)
            .err()
            .map(|why| format!("{} is broken: {why}", i.name()))
    })
    .collect();
    let verdict = if broken.is_empty() {
        "Every invariant holds.".to_string()
    } else {
        format!("{}.", broken.join("; "))
    };
    format!(
        "Done. This run took another path than the story above. {}. {verdict}",
        holds(w, key)
    )
}

/// `n` and its noun: "1 read", "2 reads".
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    super::describe::count(n, one, many)
}
