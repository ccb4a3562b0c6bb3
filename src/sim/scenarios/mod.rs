//! The scenario catalog, in the learning path's order. Each scenario is one file that
//! opens with its story.
mod cache_aside_read;
mod cache_aside_write;
mod stale_set_race;

use super::scenario::Scenario;

pub static ALL: &[&Scenario] = &[&cache_aside_read::SCENARIO, &cache_aside_write::SCENARIO, &stale_set_race::SCENARIO];

pub fn find(id: &str) -> Option<&'static Scenario> {
    ALL.iter().copied().find(|s| s.id == id)
}

/// The scenario after `id` on the learning path.
pub fn next_after(id: &str) -> Option<&'static Scenario> {
    let pos = ALL.iter().position(|s| s.id == id)?;
    ALL.get(pos + 1).copied()
}
