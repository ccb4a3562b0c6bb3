//! The sandbox: a scenario the learner builds from the catalog's parts (a pattern, its
//! fixes, how many readers, writers and keys, a TTL, the bus's guarantee) and drives by
//! hand.
//!
//! A `Scenario` is `&'static` data with plain `fn` pointers, so a sandbox cannot be one
//! on its own. Instead there is one static `Scenario` per pattern (id `sandbox`, its
//! fixes the ones that pattern can use), and a `SandboxSpec` (plain data) that the
//! `Run` carries (`Run::sandbox`) and builds its world from. `scenarios::ALL` stays the
//! catalog; the sandbox is reached through `sandbox::scenario(pattern)` and
//! `Run::new_sandbox`.
//!
//! In a link it is `scenario=sandbox&sb=<code>` (fixes in `fix=` as usual); the code is
//! `1.` followed by the pattern's letter, the readers, writers and keys (one digit
//! each), the bus's letter and the TTL: `1.a211mn` is cache-aside, two readers, one
//! writer, one key, an at-most-once bus (unused here), no TTL; `1.h118l300` is hybrid
//! with a durable log and a 300 ms TTL.
use super::cache::SetGuard;
use super::codec::file::At;
use super::codec::quote;
use super::config::ConfigPatch;
use super::config::{
    BehindConfig, BusConfig, Config, ConsumerConfig, LoadGuard, Request, WriteMode, NO_TTL,
};
use super::ids::{Key, NodeId};
use super::scenario::file::ScenarioFile;
use super::scenario::{Fixes, Scenario};
use super::world::World;

/// The id every sandbox scenario has.
pub const ID: &str = "sandbox";
/// Bounds on the parts.
pub const MAX_READERS: u8 = 4;
pub const MAX_WRITERS: u8 = 4;
pub const MAX_KEYS: u8 = 8;
/// The longest TTL the sandbox takes, in virtual ms (longer is "no TTL" in effect).
pub const MAX_TTL_MS: u64 = 100_000;
/// A sandbox code longer than this is not read.
pub const MAX_CODE_LEN: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pattern {
    CacheAside,
    WriteThrough,
    WriteBehind,
    EventInvalidation,
    Hybrid,
    Outbox,
}

impl Pattern {
    pub const ALL: [Pattern; 6] = [
        Pattern::CacheAside,
        Pattern::WriteThrough,
        Pattern::WriteBehind,
        Pattern::EventInvalidation,
        Pattern::Hybrid,
        Pattern::Outbox,
    ];

    /// The catalog's id of the pattern.
    pub fn id(self) -> &'static str {
        match self {
            Pattern::CacheAside => "cache-aside",
            Pattern::WriteThrough => "write-through",
            Pattern::WriteBehind => "write-behind",
            Pattern::EventInvalidation => "event-invalidation",
            Pattern::Hybrid => "hybrid",
            Pattern::Outbox => "outbox",
        }
    }

    pub fn parse(id: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.id() == id)
    }

    fn letter(self) -> char {
        match self {
            Pattern::CacheAside => 'a',
            Pattern::WriteThrough => 't',
            Pattern::WriteBehind => 'b',
            Pattern::EventInvalidation => 'e',
            Pattern::Hybrid => 'h',
            Pattern::Outbox => 'o',
        }
    }

    /// Whether the pattern has an event bus.
    pub fn has_bus(self) -> bool {
        matches!(
            self,
            Pattern::EventInvalidation | Pattern::Hybrid | Pattern::Outbox
        )
    }
}

/// The bus's delivery guarantee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Guarantee {
    /// Redis Pub/Sub: a subscriber that is down misses the event.
    AtMostOnce,
    /// A durable log with committed offsets (Kafka).
    AtLeastOnce,
}

impl Guarantee {
    pub const ALL: [Guarantee; 2] = [Guarantee::AtMostOnce, Guarantee::AtLeastOnce];

    pub fn id(self) -> &'static str {
        match self {
            Guarantee::AtMostOnce => "at-most-once",
            Guarantee::AtLeastOnce => "at-least-once",
        }
    }

    pub fn parse(id: &str) -> Option<Guarantee> {
        Guarantee::ALL.into_iter().find(|g| g.id() == id)
    }
}

/// A sandbox scenario as data. Fixes are not here: they are the run's `Fixes`,
/// checked against `scenario(pattern).fixes`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SandboxSpec {
    pub pattern: Pattern,
    /// 1..=4
    pub readers: u8,
    /// 1..=4
    pub writers: u8,
    /// 1..=8
    pub keys: u8,
    /// `None`: no TTL.
    pub ttl_ms: Option<u64>,
    pub bus: Guarantee,
    /// The production chapter's parts on top of the pattern (`parts.rs`).
    pub parts: Parts,
}

impl SandboxSpec {
    /// One reader, one writer, one key; the pattern's usual TTL and bus.
    pub fn new(pattern: Pattern) -> SandboxSpec {
        SandboxSpec {
            pattern,
            readers: 1,
            writers: 1,
            keys: 1,
            ttl_ms: (pattern == Pattern::Hybrid).then_some(300),
            bus: if pattern == Pattern::Outbox {
                Guarantee::AtLeastOnce
            } else {
                Guarantee::AtMostOnce
            },
            parts: Parts::default(),
        }
    }

    /// The spec with every number brought into its bounds.
    pub fn clamped(mut self) -> SandboxSpec {
        self.readers = self.readers.clamp(1, MAX_READERS);
        self.writers = self.writers.clamp(1, MAX_WRITERS);
        self.keys = self.keys.clamp(1, MAX_KEYS);
        self.ttl_ms = self.ttl_ms.map(|t| t.clamp(1, MAX_TTL_MS));
        self.parts = self.parts.clamped();
        self
    }

    /// The static scenario (title, fixes, invariants) of this spec's pattern; with
    /// production parts, the one that also checks `read-your-writes` and counts
    /// `replica-reads`.
    pub fn scenario(&self) -> &'static Scenario {
        if self.parts.any() {
            catalog::production(self.pattern)
        } else {
            scenario(self.pattern)
        }
    }

    /// The world's configuration. Reader `i` reads key `i` (cycling through the keys)
    /// at 0 ms, again at 100 ms and at 400 ms; writer `j` writes key `j` at 0 ms and
    /// again at 200 ms. So with one key every client meets on `user:1`.
    pub fn config(&self, fixes: &Fixes) -> Config {
        let s = self.clone().clamped();
        let key = |i: u8| Key(u16::from((i - 1) % s.keys) + 1);
        let mut clients: Vec<(NodeId, Vec<Request>)> = Vec::new();
        for i in 1..=s.readers {
            let k = key(i);
            let off = 2 * u64::from(i - 1);
            clients.push((
                NodeId::Reader(i),
                vec![
                    Request::read(k, off),
                    Request::read(k, 100 + off),
                    Request::read(k, 400 + off),
                ],
            ));
        }
        for j in 1..=s.writers {
            let k = key(j);
            let off = 3 * u64::from(j - 1);
            clients.push((
                NodeId::Writer(j),
                vec![Request::write(k, off), Request::write(k, 200 + off)],
            ));
        }
        let guard = if fixes.has("lease") {
            SetGuard::Lease { period_ms: 10_000 }
        } else if fixes.has("versioned-set") {
            SetGuard::Versioned { tombstone_ms: 500 }
        } else if fixes.has("versioned-write") {
            SetGuard::Versioned { tombstone_ms: 0 }
        } else {
            SetGuard::Plain
        };
        let load_guard = if fixes.has("lease") {
            LoadGuard::None
        } else if fixes.has("mutex") {
            LoadGuard::Mutex { lock_ms: 500 }
        } else if fixes.has("single-flight") {
            LoadGuard::SingleFlight
        } else if fixes.has("early-expiration") {
            LoadGuard::XFetch { beta_centi: 100 }
        } else {
            LoadGuard::None
        };
        let write_mode = match s.pattern {
            Pattern::CacheAside => WriteMode::Invalidate,
            Pattern::WriteThrough => WriteMode::Through,
            Pattern::WriteBehind => WriteMode::Behind,
            Pattern::EventInvalidation | Pattern::Hybrid => WriteMode::Event,
            Pattern::Outbox => WriteMode::Outbox,
        };
        // `durable-bus` is the at-least-once choice of the form, offered as a fix so a
        // run can compare the two guarantees by toggling it.
        let bus = s.pattern.has_bus().then(|| BusConfig {
            durable: s.bus == Guarantee::AtLeastOnce || fixes.has("durable-bus"),
            ..BusConfig::default()
        });
        let consumer = ConsumerConfig {
            update: false,
            idempotent: fixes.has("idempotent-consumer"),
            versioned: fixes.has("versioned-events"),
        };
        let mut config = Config {
            guard,
            load_guard,
            second_delete_ms: fixes.has("delayed-double-delete").then_some(50),
            ttl_ms: s.ttl_ms.unwrap_or(NO_TTL),
            jitter_ms: if fixes.has("jitter") { 300 } else { 0 },
            write_mode,
            bus,
            consumer,
            behind: BehindConfig {
                flush_delay_ms: 100,
                batch_size: 2,
                durable: fixes.has("durable-queue"),
                ..BehindConfig::default()
            },
            keys: (1..=u16::from(s.keys)).map(Key).collect(),
            clients,
            ..Config::default()
        };
        s.parts.apply(&mut config);
        config
    }

    /// The world this spec starts from.
    pub fn world(&self, fixes: &Fixes, seed: u64) -> World {
        World::new(self.config(fixes), seed)
    }

    /// The sandbox as a scenario file: the form's choices become the settings, and
    /// each fix the pattern offers becomes the changes it makes to them. Opened again,
    /// it runs as the sandbox does.
    pub fn scenario_file(&self) -> ScenarioFile {
        let scenario = self.scenario();
        let base = self.config(&Fixes::none());
        let mut file = ScenarioFile::of(scenario);
        file.id = At::new(format!("my-{}", self.pattern.id()));
        file.title = format!("My {} scenario", self.pattern.id());
        file.settings = base.clone();
        for (f, info) in file.fixes.iter_mut().zip(scenario.fixes) {
            let on = Fixes::parse(scenario, [info.id]).unwrap_or_default();
            f.changes = ConfigPatch::diff(&base, &self.config(&on));
        }
        file
    }
}

/// What the form read from a number field: the value it will use and, when that is
/// not what was typed, why (said beside the field, never silently).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRead<T> {
    pub value: T,
    pub note: Option<String>,
}

/// Reads a count field (`readers`, `writers`, `keys`) typed as `text`, bounded to
/// 1..=`max`; `previous` is kept when the text is not a number.
pub fn read_count(text: &str, what: &str, max: u8, previous: u8) -> FieldRead<u8> {
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(n) if (1..=u64::from(max)).contains(&n) => FieldRead {
            value: n as u8,
            note: None,
        },
        Ok(0) => FieldRead {
            value: 1,
            note: Some(format!(
                "0 {what}: the sandbox needs at least 1, so it uses 1."
            )),
        },
        Ok(n) => FieldRead {
            value: max,
            note: Some(format!(
                "{n} {what}: the sandbox takes at most {max}, so it uses {max}."
            )),
        },
        Err(_) => FieldRead {
            value: previous,
            note: Some(format!(
                "{} is not a whole number of {what}: still {previous}.",
                quote::text(&text.chars().take(12).collect::<String>())
            )),
        },
    }
}

/// Reads the TTL field: empty is no TTL; bounded to 1..=`MAX_TTL_MS`; `previous` is
/// kept when the text is not a number.
pub fn read_ttl(text: &str, previous: Option<u64>) -> FieldRead<Option<u64>> {
    let text = text.trim();
    if text.is_empty() {
        return FieldRead {
            value: None,
            note: None,
        };
    }
    let was = || previous.map_or("no TTL".to_string(), |t| format!("{t} ms"));
    match text.parse::<u64>() {
        Ok(t) if (1..=MAX_TTL_MS).contains(&t) => FieldRead {
            value: Some(t),
            note: None,
        },
        Ok(0) => FieldRead {
            value: Some(1),
            note: Some("A TTL of 0 ms: the shortest the sandbox takes is 1 ms, so it uses 1 ms (leave the field empty for no TTL).".into()),
        },
        Ok(t) => FieldRead {
            value: Some(MAX_TTL_MS),
            note: Some(format!(
                "A TTL of {t} ms: the sandbox takes at most {MAX_TTL_MS} ms (the run stops at {} ms \
                 of virtual time), so it uses {MAX_TTL_MS} ms.",
                Config::default().horizon_ms
            )),
        },
        Err(_) => FieldRead {
            value: previous,
            note: Some(format!(
                "{} is not a whole number of ms: still {}.",
                quote::text(&text.chars().take(12).collect::<String>()),
                was()
            )),
        },
    }
}

mod catalog;
mod code;
mod parts;
pub use catalog::{pattern_of, scenario};
pub use code::SpecError;
pub use parts::{from_form, Parts, CROSS_REGION_MS, MAX_LAG_MS, MAX_NEGATIVE_TTL_MS};
