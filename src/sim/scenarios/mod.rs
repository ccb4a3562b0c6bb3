//! The scenario catalog, in the learning path's order. Each scenario is a JSON file
//! (the format of `scenario::file`, taught in docs/scenarios.md) that tells its story
//! in its own `story`, embedded in the build and read through the same reader as a
//! file a learner opens.
use super::scenario::{file, Scenario};
use std::sync::LazyLock;

/// A catalog file's text. The page embeds it without the white space between tokens
/// (`build.rs`: the same JSON, 2 KB less to download); native builds embed it as written
/// (the tests compare each file with what the writer makes of it, byte for byte).
#[cfg(target_arch = "wasm32")]
macro_rules! text {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/", $name))
    };
}
#[cfg(not(target_arch = "wasm32"))]
macro_rules! text {
    ($name:literal) => {
        include_str!($name)
    };
}

/// The catalog's files, embedded in the build, in the learning path's order.
pub const FILES: &[(&str, &str)] = &[
    ("cache-aside-read.json", text!("cache-aside-read.json")),
    ("cache-aside-write.json", text!("cache-aside-write.json")),
    ("write-through.json", text!("write-through.json")),
    ("write-behind.json", text!("write-behind.json")),
    ("ttl-expiry.json", text!("ttl-expiry.json")),
    ("event-invalidation.json", text!("event-invalidation.json")),
    ("hybrid.json", text!("hybrid.json")),
    ("outbox.json", text!("outbox.json")),
    ("stale-set-race.json", text!("stale-set-race.json")),
    (
        "delete-before-update-race.json",
        text!("delete-before-update-race.json"),
    ),
    ("write-through-race.json", text!("write-through-race.json")),
    ("write-behind-crash.json", text!("write-behind-crash.json")),
    ("ttl-jitter.json", text!("ttl-jitter.json")),
    ("stampede.json", text!("stampede.json")),
    ("event-delay.json", text!("event-delay.json")),
    ("event-loss.json", text!("event-loss.json")),
    (
        "event-duplicate-reorder.json",
        text!("event-duplicate-reorder.json"),
    ),
    ("poison-event.json", text!("poison-event.json")),
    ("dual-write-crash.json", text!("dual-write-crash.json")),
    ("replica-lag-refill.json", text!("replica-lag-refill.json")),
    (
        "invalidate-before-commit.json",
        text!("invalidate-before-commit.json"),
    ),
    (
        "rollback-after-cache-write.json",
        text!("rollback-after-cache-write.json"),
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
