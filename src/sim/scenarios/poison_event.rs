//! # A poison event
//!
//! The bus is a durable, ordered log with a single partition. Three writes commit
//! `v2` of `user:1`, `user:2` and `user:3`. The consumer fails on the event of
//! `user:1` every time (its payload does not parse). The log is ordered, so the events
//! behind it wait: head-of-line blocking. With no limit the bus retries until the
//! horizon, and `user:2` and `user:3` stay stale in the cache (no TTL before the
//! horizon).
//!
//! Fix `retry-dlq`: at most 3 retries with exponential backoff, then the event goes to
//! the dead-letter queue for an operator to inspect and replay; the events behind it
//! are applied. `user:1` itself is not cached, so the cache matches the database.
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::{BusConfig, Config, Request, RetryPolicy, WriteMode};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::{no_script, FixInfo, Fixes, Scenario};
use crate::sim::world::World;

pub static SCENARIO: Scenario = Scenario {
    id: "poison-event",
    title: "A poison event blocks the log",
    summary: "Three writes publish three events to an ordered log. The consumer fails on the first one every time, and \
              the other two wait behind it while the bus retries: head-of-line blocking. The cached user:2 and user:3 \
              stay stale. Switch on retry-dlq to cap the retries and park the poison event in a dead-letter queue.",
    flow: &[
        "writer: commit user:1, user:2, user:3 (events in order)",
        "consumer: fails on user:1's event",
        "bus: retry, retry, retry … the others wait",
        "(fix) after 3 retries: to the dead-letter queue",
        "(fix) the events behind it are applied",
    ],
    pros: &["An ordered log keeps each key's events in order, which invalidation relies on."],
    cons: &[
        "One bad event stops everything behind it in its partition.",
        "Retrying for ever hides the problem; dropping it silently loses the event.",
    ],
    fixes: &[FixInfo {
        id: "retry-dlq",
        title: "Retries with backoff, then a dead-letter queue",
        what: "The bus retries a failed event at most 3 times, waiting longer each time (50, 100, 200 ms), then moves \
               it to the dead-letter queue and goes on with the events behind it.",
        cost: "The poison event's own change is not applied until an operator fixes and replays it; someone must watch \
               the dead-letter queue.",
    }],
    invariants: &[Invariant::CacheMatchesDb, Invariant::NoLostEvent],
    metrics: &[Metric::DbWrites, Metric::EventsPublished, Metric::EventsDelivered],
    seed: 1,
    config,
    script: no_script,
    epilogue,
};

fn config(fixes: &Fixes) -> Config {
    let retry = if fixes.has("retry-dlq") {
        RetryPolicy {
            max_retries: Some(3),
            backoff_ms: 50,
            exponential: true,
        }
    } else {
        RetryPolicy {
            max_retries: None,
            backoff_ms: 100,
            exponential: false,
        }
    };
    Config {
        write_mode: WriteMode::Event,
        bus: Some(BusConfig {
            durable: true,
            retry,
            ..BusConfig::default()
        }),
        poison: Some(Key(1)),
        horizon_ms: 1_000,
        warm: vec![Key(2), Key(3)],
        keys: vec![Key(1), Key(2), Key(3)],
        clients: vec![(
            NodeId::Writer(1),
            vec![
                Request::write(Key(1), 0),
                Request::write(Key(2), 10),
                Request::write(Key(3), 20),
            ],
        )],
        ..Config::default()
    }
}

fn epilogue(w: &World, fixes: &Fixes) -> String {
    let stale: Vec<String> = [Key(2), Key(3)]
        .iter()
        .filter(|k| {
            w.cache
                .live(**k, w.now_ms)
                .is_some_and(|e| e.version != w.db.read(**k))
        })
        .map(|k| k.to_string())
        .collect();
    let retrying = w
        .bus
        .log
        .iter()
        .any(|e| e.state == crate::sim::bus::EntryState::Retrying);
    if fixes.has("retry-dlq") && !w.bus.dlq.is_empty() && super::consistent(w) {
        let poisoned = if w.cache.live(Key(1), w.now_ms).is_some() {
            "user:1 is still cached with its old value meanwhile"
        } else {
            "user:1 is not cached, so nothing is stale meanwhile"
        };
        format!(
            "Done. After its last retry the poison event went to the dead-letter queue ({} there) and the events \
             behind it were applied: the cache matches the database. user:1's own change waits for an operator to fix \
             the consumer and replay it; {poisoned}.",
            super::count(w.bus.dlq.len() as u64, "event", "events")
        )
    } else if !fixes.has("retry-dlq") && retrying && !stale.is_empty() {
        let stay = if stale.len() == 1 { "stays" } else { "stay" };
        format!(
            "The horizon is reached and the bus is still retrying the poison event. The events behind it never got \
             through: {} {stay} stale until the TTL ends it. One bad event blocked the whole partition.",
            stale.join(" and ")
        )
    } else {
        super::other_path(w, Key(2))
    }
}
