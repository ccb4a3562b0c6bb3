//! The sandbox's static scenarios, one per pattern: their titles, the fixes each
//! pattern can use, and what they check.
use super::{Pattern, SandboxSpec, ID};
use crate::sim::books::{Invariant, Metric};
use crate::sim::config::ConfigPatch;
use crate::sim::scenario::rules::EndingText;
use crate::sim::scenario::{Cond, Ending, FixInfo, Fixes, Scenario};
use std::sync::LazyLock;

/// The sandbox scenario of a pattern.
pub fn scenario(pattern: Pattern) -> &'static Scenario {
    match pattern {
        Pattern::CacheAside => *CACHE_ASIDE,
        Pattern::WriteThrough => *WRITE_THROUGH,
        Pattern::WriteBehind => *WRITE_BEHIND,
        Pattern::EventInvalidation => *EVENT_INVALIDATION,
        Pattern::Hybrid => *HYBRID,
        Pattern::Outbox => *OUTBOX,
    }
}

/// The sandbox scenario of a pattern with production parts: it also checks
/// `read-your-writes` and counts `replica-reads`.
pub fn production(pattern: Pattern) -> &'static Scenario {
    let at = Pattern::ALL.iter().position(|p| *p == pattern).unwrap_or(0);
    PRODUCTION[at]
}

/// The pattern of a sandbox scenario; `None` for a catalog scenario.
pub fn pattern_of(scenario: &Scenario) -> Option<Pattern> {
    Pattern::ALL.into_iter().find(|p| {
        std::ptr::eq(self::scenario(*p), scenario) || std::ptr::eq(production(*p), scenario)
    })
}

const VERSIONED_SET: FixInfo = FixInfo {
    id: "versioned-set",
    title: "Versioned set",
    what:
        "Deletes carry the committed version; the cache keeps a tombstone and refuses an older set.",
    cost: "Tombstones take memory; if one expires before a slow set arrives, the race returns.",
    changes: ConfigPatch::NONE,
};
const LEASE: FixInfo = FixInfo {
    id: "lease",
    title: "Lease (memcache)",
    what: "A miss hands out a lease token; a delete invalidates it; only the holder of a valid token may set. It \
           also makes the other readers of a missing key wait.",
    cost: "Readers wait and retry; the cache keeps lease state per key.",
    changes: ConfigPatch::NONE,
};
const DOUBLE_DELETE: FixInfo = FixInfo {
    id: "delayed-double-delete",
    title: "Delayed double delete",
    what: "The writer deletes the key again 50 ms after its first delete.",
    cost: "A heuristic: a read slower than the delay still leaves the cache stale.",
    changes: ConfigPatch::NONE,
};
const VERSIONED_WRITE: FixInfo = FixInfo {
    id: "versioned-write",
    title: "Versioned write",
    what: "The cache refuses a set older than the version it holds.",
    cost: "Every value must carry its version.",
    changes: ConfigPatch::NONE,
};
const DURABLE_QUEUE: FixInfo = FixInfo {
    id: "durable-queue",
    title: "Durable queue",
    what: "Each write goes to a disk log before the ack; a restarted cache replays it.",
    cost: "Each ack waits for a disk write.",
    changes: ConfigPatch::NONE,
};
const MUTEX: FixInfo = FixInfo {
    id: "mutex",
    title: "Mutex",
    what: "One reader of a missing key takes a per-key lock and loads; the others wait and retry.",
    cost: "Waiting readers are slower; the lock needs an expiry.",
    changes: ConfigPatch::NONE,
};
const SINGLE_FLIGHT: FixInfo = FixInfo {
    id: "single-flight",
    title: "Single flight",
    what: "Concurrent misses of a key in the service share one load.",
    cost: "Works within one service instance only.",
    changes: ConfigPatch::NONE,
};
const EARLY_EXPIRATION: FixInfo = FixInfo {
    id: "early-expiration",
    title: "Early expiration (XFetch)",
    what: "A reader recomputes a value shortly before it expires, with a probability that grows near expiry.",
    cost: "Probabilistic: some runs recompute twice.",
    changes: ConfigPatch::NONE,
};
const JITTER: FixInfo = FixInfo {
    id: "jitter",
    title: "TTL jitter",
    what: "Each fill gets up to 300 ms of random extra TTL, so keys filled together expire apart.",
    cost: "Staleness is bounded less tightly.",
    changes: ConfigPatch::NONE,
};

const DURABLE_BUS: FixInfo = FixInfo {
    id: "durable-bus",
    title: "Durable bus (a log with offsets)",
    what: "The bus appends every event to a log (like Kafka) and the consumer commits its offset; after a \
           restart it resumes from the committed offset, so an event published while it was down still \
           arrives. The same as choosing the at-least-once bus in the form.",
    cost: "A disk write per event and a broker to run. Delivery becomes at-least-once: an event can come \
           twice, so handling must be idempotent (a delete is).",
    changes: ConfigPatch::NONE,
};
const IDEMPOTENT_CONSUMER: FixInfo = FixInfo {
    id: "idempotent-consumer",
    title: "Idempotent consumer",
    what: "The consumer remembers the ids of the events it handled and acknowledges one that comes again \
           (a duplicate, a redelivery) without touching the cache. Here the consumer deletes, and a delete \
           is harmless to repeat: the fix saves the second delete, it does not change what the cache ends \
           with.",
    cost: "A store of processed ids, which must outlive the consumer's restarts and be trimmed.",
    changes: ConfigPatch::NONE,
};
const VERSIONED_EVENTS: FixInfo = FixInfo {
    id: "versioned-events",
    title: "Versioned events",
    what: "The consumer remembers the newest version it applied per key and ignores an older event that \
           arrives late (delivered out of order). Here the consumer deletes, so a late old event would only \
           have deleted the key again: the cache ends the same with or without it.",
    cost: "Every event carries its version; the consumer keeps one per key.",
    changes: ConfigPatch::NONE,
};

static CA_FIXES: [FixInfo; 7] = [
    VERSIONED_SET,
    LEASE,
    DOUBLE_DELETE,
    MUTEX,
    SINGLE_FLIGHT,
    EARLY_EXPIRATION,
    JITTER,
];
static WT_FIXES: [FixInfo; 5] = [
    VERSIONED_WRITE,
    MUTEX,
    SINGLE_FLIGHT,
    EARLY_EXPIRATION,
    JITTER,
];
static WB_FIXES: [FixInfo; 2] = [DURABLE_QUEUE, JITTER];
/// The read path's fixes, and the event fixes the sandbox's bus and consumer can
/// model. Not `retry-dlq`: the sandbox has no event the consumer fails on (a poison
/// event), so a retry limit would never act.
static EVENT_FIXES: [FixInfo; 9] = [
    VERSIONED_SET,
    LEASE,
    MUTEX,
    SINGLE_FLIGHT,
    EARLY_EXPIRATION,
    JITTER,
    DURABLE_BUS,
    IDEMPOTENT_CONSUMER,
    VERSIONED_EVENTS,
];

/// Every metric but `replica-reads` (the last): the sandbox's parts have no replica
/// yet, and old links open at the moment they showed, with these metrics.
const METRICS: &[Metric] = Metric::ALL.split_last().expect("metrics").1;

macro_rules! sandbox_scenario {
    ($name:ident, $pattern:expr, $title:expr, $fixes:expr, $invariants:expr, $config:ident) => {
        /// A sandbox's world is built from its `SandboxSpec` (`Run::new_sandbox`); the
        /// settings here are those of the default spec, for `Scenario::config`.
        static $name: LazyLock<&'static Scenario> = LazyLock::new(|| {
            Box::leak(Box::new(Scenario {
                id: ID,
                title: $title,
                catalog: None,
                summary: "Your own scenario, built from the catalog's parts. Every reader reads its key at 0, 100 \
                          and 400 ms; every writer writes its key at 0 and 200 ms. Choose who goes next, inject \
                          faults, and watch the invariants.",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: $fixes,
                invariants: $invariants,
                metrics: METRICS,
                seed: 1,
                settings: SandboxSpec::new($pattern).config(&Fixes::none()),
                script: &[],
                endings: &ENDINGS[..],
                code: Default::default(),
            }))
        });
    };
}

const CACHE_ONLY: &[Invariant] = &[Invariant::CacheMatchesDb];
const WITH_WRITES: &[Invariant] = &[Invariant::CacheMatchesDb, Invariant::NoLostWrite];
const WITH_EVENTS: &[Invariant] = &[Invariant::CacheMatchesDb, Invariant::NoLostEvent];

sandbox_scenario!(
    CACHE_ASIDE,
    Pattern::CacheAside,
    "Sandbox: cache-aside",
    &CA_FIXES,
    CACHE_ONLY,
    config_ca
);
sandbox_scenario!(
    WRITE_THROUGH,
    Pattern::WriteThrough,
    "Sandbox: write-through",
    &WT_FIXES,
    CACHE_ONLY,
    config_wt
);
sandbox_scenario!(
    WRITE_BEHIND,
    Pattern::WriteBehind,
    "Sandbox: write-behind",
    &WB_FIXES,
    WITH_WRITES,
    config_wb
);
sandbox_scenario!(
    EVENT_INVALIDATION,
    Pattern::EventInvalidation,
    "Sandbox: event-driven invalidation",
    &EVENT_FIXES,
    WITH_EVENTS,
    config_ev
);
sandbox_scenario!(
    HYBRID,
    Pattern::Hybrid,
    "Sandbox: hybrid",
    &EVENT_FIXES,
    WITH_EVENTS,
    config_hy
);
sandbox_scenario!(
    OUTBOX,
    Pattern::Outbox,
    "Sandbox: outbox",
    &EVENT_FIXES,
    WITH_EVENTS,
    config_ob
);

/// The sandbox scenarios with production parts on (`parts.rs`), in `Pattern::ALL`'s
/// order: each its pattern's, with `read-your-writes` and every metric besides. One
/// lazy array built from the six, not six more statics (less code in the page).
static PRODUCTION: LazyLock<[&'static Scenario; 6]> = LazyLock::new(|| {
    Pattern::ALL.map(|p| {
        let s = scenario(p);
        let mut invariants = s.invariants.to_vec();
        invariants.push(Invariant::ReadYourWrites);
        &*Box::leak(Box::new(Scenario {
            title: Box::leak(format!("{}, with production parts", s.title).into_boxed_str()),
            invariants: Box::leak(invariants.into_boxed_slice()),
            metrics: &Metric::ALL,
            settings: s.settings.clone(),
            code: Default::default(),
            ..*s
        }))
    })
});

/// Every invariant holds, or which are broken and why.
static ENDINGS: LazyLock<[Ending; 2]> = LazyLock::new(|| {
    [
        Ending {
            when: vec![Cond::AllHold],
            text: EndingText(
                "{done} Every invariant holds at the end of this run. Try another order, or a fault.".into(),
            ),
        },
        Ending {
            when: vec![Cond::AnyBroken],
            text: EndingText("{done} Something is wrong: {broken}.".into()),
        },
    ]
});
