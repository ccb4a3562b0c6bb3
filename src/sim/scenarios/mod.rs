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

/// What the cache holds for `key` now, in words ("v2", or "nothing").
pub(crate) fn cached(w: &World, key: Key) -> String {
    w.cache
        .live(key, w.now_ms)
        .map_or("nothing".to_string(), |e| e.version.to_string())
}
