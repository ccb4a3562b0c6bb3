//! The scenario catalog, in the learning path's order. Each scenario is a JSON file
//! (the format of `scenario::file`, taught in docs/scenarios.md) that tells its story
//! in its own `story`, embedded in the build and read through the same reader as a
//! file a learner opens.
use super::scenario::{file, Scenario};
use std::sync::LazyLock;

/// The catalog's files, embedded in the build, in the learning path's order.
pub const FILES: &[(&str, &str)] = &[
    (
        "cache-aside-read.json",
        include_str!("cache-aside-read.json"),
    ),
    (
        "cache-aside-write.json",
        include_str!("cache-aside-write.json"),
    ),
    ("write-through.json", include_str!("write-through.json")),
    ("write-behind.json", include_str!("write-behind.json")),
    ("ttl-expiry.json", include_str!("ttl-expiry.json")),
    (
        "event-invalidation.json",
        include_str!("event-invalidation.json"),
    ),
    ("hybrid.json", include_str!("hybrid.json")),
    ("outbox.json", include_str!("outbox.json")),
    ("stale-set-race.json", include_str!("stale-set-race.json")),
    (
        "delete-before-update-race.json",
        include_str!("delete-before-update-race.json"),
    ),
    (
        "write-through-race.json",
        include_str!("write-through-race.json"),
    ),
    (
        "write-behind-crash.json",
        include_str!("write-behind-crash.json"),
    ),
    ("ttl-jitter.json", include_str!("ttl-jitter.json")),
    ("stampede.json", include_str!("stampede.json")),
    ("event-delay.json", include_str!("event-delay.json")),
    ("event-loss.json", include_str!("event-loss.json")),
    (
        "event-duplicate-reorder.json",
        include_str!("event-duplicate-reorder.json"),
    ),
    ("poison-event.json", include_str!("poison-event.json")),
    (
        "dual-write-crash.json",
        include_str!("dual-write-crash.json"),
    ),
    (
        "replica-lag-refill.json",
        include_str!("replica-lag-refill.json"),
    ),
];

/// The learning path: the patterns, then the problems, in the catalog's order.
pub static ALL: LazyLock<Vec<&'static Scenario>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, text)| match file::from_json(text) {
            Ok(f) => f.into_scenario(),
            // tests/scenario_files.rs reads every file: a build whose tests pass
            // never comes here.
            Err(e) => panic!("the catalog's {name} is broken: {e}"),
        })
        .collect()
});

pub fn find(id: &str) -> Option<&'static Scenario> {
    ALL.iter().copied().find(|s| s.id == id)
}

/// The scenario after `id` on the learning path.
pub fn next_after(id: &str) -> Option<&'static Scenario> {
    let pos = ALL.iter().position(|s| s.id == id)?;
    ALL.get(pos + 1).copied()
}
