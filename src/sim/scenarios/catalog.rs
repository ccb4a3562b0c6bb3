//! The catalog's scenarios as Rust, in the learning path's order.
//! GENERATED from src/sim/scenarios/*.json by `cargo run --example bake_catalog
//! --features bake`: do not edit; change the JSON files and run it again.
//! Files: cache-aside-read.json, cache-aside-write.json, write-through.json, write-behind.json, ttl-expiry.json, event-invalidation.json, hybrid.json, outbox.json, stale-set-race.json, delete-before-update-race.json, write-through-race.json, write-behind-crash.json, ttl-jitter.json, stampede.json, event-delay.json, event-loss.json, event-duplicate-reorder.json, poison-event.json, dual-write-crash.json, replica-lag-refill.json, invalidate-before-commit.json, rollback-after-cache-write.json, negative-cache.json, cdc-invalidation.json, cross-region-read-your-writes.json, near-cache-stale.json, cdn-purge-race.json.
#![allow(clippy::field_reassign_with_default)]
extern crate alloc;

static K0: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Acked(
    &crate::sim::scenario::rules::KeyVersion {
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
        version: 3u32,
    },
);
static K1: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NeverCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Cache(1u8)),
);
static K2: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::DbAtMost(
    &crate::sim::scenario::rules::KeyVersion {
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
        version: 1u32,
    },
);
static K3: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Up(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Consumer(1u8)),
);
static K4: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Metric(
    &crate::sim::scenario::rules::MetricCond {
        name: crate::sim::scenario::rules::MetricName(
            crate::sim::books::Metric::EventsPublished,
        ),
        at_least: None,
        at_most: Some(0u64),
    },
);
static K5: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NextAtLeastMs(
    30u64,
);
static K6: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Metric(
    &crate::sim::scenario::rules::MetricCond {
        name: crate::sim::scenario::rules::MetricName(
            crate::sim::books::Metric::EventsDelivered,
        ),
        at_least: None,
        at_most: Some(2u64),
    },
);
static K7: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::InFlight(
    "ack",
    None,
    Some(2u32),
);
static K8: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::InFlight(
    "db-write-reply",
    Some(crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Service(1u8))),
    None,
);
static K9: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NeverCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Service(1u8)),
);
static K10: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::InFlight(
    "publish-ack",
    Some(crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Relay(1u8))),
    None,
);
static K11: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Metric(
    &crate::sim::scenario::rules::MetricCond {
        name: crate::sim::scenario::rules::MetricName(
            crate::sim::books::Metric::EventsPublished,
        ),
        at_least: Some(1u64),
        at_most: Some(1u64),
    },
);
static K12: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NeverCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Relay(1u8)),
);
static K13: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::InFlight(
    "commit",
    Some(crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Db(1u8))),
    None,
);
static K14: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::InFlight(
    "change",
    Some(
        crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Invalidator(1u8)),
    ),
    None,
);
static K15: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NeverCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Invalidator(1u8)),
);
static K16: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-reads",
    crate::sim::scenario::rules::Op::Other,
    "1",
);
static K17: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "cache-hits",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K18: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Broken(
    crate::sim::scenario::rules::InvariantName(
        crate::sim::books::Invariant::CacheMatchesDb,
    ),
);
static K19: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K16, &K17, &K18],
);
static K20: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K19);
static K21: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Uncached(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
);
static K22: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K21);
static K23: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K18);
static K24: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::AckedAny(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
);
static K25: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K23, &K24],
);
static K26: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K25);
static K27: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::Undeleted,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K28: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K27);
static K29: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Cache(1u8)),
);
static K30: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NodeUp(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Cache(1u8)),
);
static K31: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K30);
static K32: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::AnsweredStale(
    &crate::sim::scenario::rules::ClientKey {
        client: crate::sim::scenario::rules::NodeName(
            crate::sim::ids::NodeId::Reader(1u8),
        ),
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K33: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::StaleStored,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K34: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K33);
static K35: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "unanswered",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K36: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "unanswered",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K37: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-reads",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K38: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-reads",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K39: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K29, &K38],
);
static K40: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K39);
static K41: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::CacheStepFailed,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K42: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K41);
static K43: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "queue",
    crate::sim::scenario::rules::Op::Other,
    "0",
);
static K44: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Broken(
    crate::sim::scenario::rules::InvariantName(crate::sim::books::Invariant::NoLostWrite),
);
static K45: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-writes",
    crate::sim::scenario::rules::Op::AtLeast,
    "writes-acked",
);
static K46: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K43, &K44, &K45, &K18],
);
static K47: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K46);
static K48: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::ExpiredStale,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K49: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K48);
static K50: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K18, &K49],
);
static K51: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K50);
static K52: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "stale-reads",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K53: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "stale-reads",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K54: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::EventHandled(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
);
static K55: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K54);
static K56: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::StaleDeleted,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K57: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K56);
static K58: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K18, &K55, &K57],
);
static K59: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K58);
static K60: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::ExpiredStale,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(2u16)),
    },
);
static K61: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K60);
static K62: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K18, &K55, &K61, &K57],
);
static K63: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K62);
static K64: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "outbox-unpublished",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K65: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NodeUp(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Relay(1u8)),
);
static K66: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NodeUp(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Bus(1u8)),
);
static K67: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NodeUp(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Db(1u8)),
);
static K68: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K66);
static K69: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K67);
static K70: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K65);
static K71: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K64);
static K72: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Stale(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
);
static K73: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "lease",
);
static K74: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K73);
static K75: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "versioned-set",
);
static K76: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K75);
static K77: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "delayed-double-delete",
);
static K78: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K77);
static K79: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K74, &K76],
);
static K80: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K79);
static K81: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::GuardWiped,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K82: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K81);
static K83: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Service(1u8)),
);
static K84: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K83);
static K85: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K72, &K33],
);
static K86: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K85);
static K87: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K72);
static K88: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::SetRefused,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K89: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "crashes cache",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K90: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "crashes cache",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K91: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K73, &K88],
);
static K92: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K91);
static K93: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K75, &K88],
);
static K94: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K93);
static K95: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K77, &K33, &K56],
);
static K96: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K95);
static K97: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::EvictedStale,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K98: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K97);
static K99: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::StaleWiped,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K100: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K99);
static K101: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::StaleSetLost,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K102: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K101);
static K103: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Holds(
    crate::sim::scenario::rules::InvariantName(
        crate::sim::books::Invariant::CacheMatchesDb,
    ),
);
static K104: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "update-then-delete",
);
static K105: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "update-then-delete",
);
static K106: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::SetLostInWindow,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K107: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K106);
static K108: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K2);
static K109: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K103);
static K110: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K34);
static K111: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K104);
static K112: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "versioned-write",
);
static K113: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K112, &K103, &K88],
);
static K114: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K113);
static K115: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "writes-acked",
    crate::sim::scenario::rules::Op::Equal,
    "2",
);
static K116: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K18, &K33],
);
static K117: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K116);
static K118: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K114, &K18, &K33, &K115],
);
static K119: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K114, &K117, &K103, &K115],
);
static K120: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K113, &K118, &K119],
);
static K121: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K120);
static K122: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "durable-queue",
);
static K123: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Answered(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Reader(1u8)),
);
static K124: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K32);
static K125: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K24, &K29, &K44, &K122],
);
static K126: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K125);
static K127: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Holds(
    crate::sim::scenario::rules::InvariantName(crate::sim::books::Invariant::NoLostWrite),
);
static K128: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::DbHasAcked(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
);
static K129: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "durable-queue",
);
static K130: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::PutSurvived,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K131: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K130);
static K132: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "crashes cache",
    crate::sim::scenario::rules::Op::Equal,
    "1",
);
static K133: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K72, &K18],
);
static K134: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K133);
static K135: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::LogKept,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K136: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K135);
static K137: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::AckedAtCrash,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K138: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K137);
static K139: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "crashes cache",
    crate::sim::scenario::rules::Op::More,
    "1",
);
static K140: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::ReplaySkipped,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K141: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K24, &K29, &K127, &K128, &K129],
);
static K142: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K141);
static K143: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "cache-misses",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K144: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "cache-misses",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K145: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "jitter",
);
static K146: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "cache-misses",
    crate::sim::scenario::rules::Op::Equal,
    "keys",
);
static K147: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K146);
static K148: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K145);
static K149: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "mutex",
);
static K150: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-reads",
    crate::sim::scenario::rules::Op::Equal,
    "1",
);
static K151: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K149, &K150, &K35],
);
static K152: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K151);
static K153: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "single-flight",
);
static K154: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K153, &K150, &K35],
);
static K155: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K154);
static K156: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K73, &K150, &K35],
);
static K157: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K156);
static K158: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "early-expiration",
);
static K159: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::RefreshedInTime,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K160: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K159);
static K161: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::RefreshedLate,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K162: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K161);
static K163: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K158);
static K164: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFixes;
static K165: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-reads",
    crate::sim::scenario::rules::Op::Equal,
    "cache-misses",
);
static K166: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K164, &K165, &K144],
);
static K167: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K166);
static K168: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "db-reads",
    crate::sim::scenario::rules::Op::More,
    "cache-misses",
);
static K169: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K23, &K24, &K54, &K56],
);
static K170: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K169);
static K171: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "durable-bus",
);
static K172: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Consumer(1u8)),
);
static K173: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::EventWaited,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K174: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K171, &K172, &K173, &K54, &K103, &K56],
);
static K175: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K174);
static K176: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "durable-bus",
);
static K177: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::EventDropped,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K178: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K177);
static K179: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::PushLost,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K180: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K176, &K172, &K177, &K18],
);
static K181: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K180);
static K182: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K176, &K172, &K178, &K179, &K18],
);
static K183: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K182);
static K184: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "events-delivered",
    crate::sim::scenario::rules::Op::AtMost,
    "events-published",
);
static K185: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Holds(
    crate::sim::scenario::rules::InvariantName(crate::sim::books::Invariant::NoLostEvent),
);
static K186: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Broken(
    crate::sim::scenario::rules::InvariantName(crate::sim::books::Invariant::NoLostEvent),
);
static K187: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K184);
static K188: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "versioned-events",
);
static K189: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::OldEventIgnored,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K190: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K188, &K189],
);
static K191: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K190);
static K192: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "idempotent-consumer",
);
static K193: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::DuplicateIgnored,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K194: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K192, &K193],
);
static K195: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K194);
static K196: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "retry-dlq",
);
static K197: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "dlq",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K198: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K196, &K197, &K103],
);
static K199: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K198);
static K200: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "retry-dlq",
);
static K201: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Retrying;
static K202: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Stale(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(2u16)),
);
static K203: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Stale(
    crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(3u16)),
);
static K204: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K202, &K203],
);
static K205: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K200, &K201, &K204],
);
static K206: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K205);
static K207: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "outbox",
);
static K208: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "outbox-rows",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K209: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "outbox-unpublished",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K210: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Relay(1u8)),
);
static K211: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "events-published",
    crate::sim::scenario::rules::Op::More,
    "outbox-rows",
);
static K212: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "events-delivered",
    crate::sim::scenario::rules::Op::More,
    "outbox-rows",
);
static K213: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K212);
static K214: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K207, &K208, &K209, &K83, &K103],
);
static K215: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K214);
static K216: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K207, &K64],
);
static K217: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K216);
static K218: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "outbox",
);
static K219: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K24);
static K220: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K218, &K83, &K186],
);
static K221: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K220);
static K222: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::ReplicaBehind,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K223: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "lease",
);
static K224: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NodeUp(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Replica(1u8)),
);
static K225: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K224);
static K226: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K222);
static K227: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "fill-from-primary",
);
static K228: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "after-commit-hook",
);
static K229: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "after-commit-hook",
);
static K230: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "transaction-aware-cache",
);
static K231: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "writes-acked",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K232: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "open-txns",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K233: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "open-txns",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K234: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::InFlight(
    "conn-closed",
    Some(crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Db(1u8))),
    None,
);
static K235: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K234);
static K236: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K230, &K231, &K2],
);
static K237: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K236);
static K238: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "transaction-aware-cache",
);
static K239: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::HeldDropped,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K240: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K239);
static K241: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "invalidate-on-insert",
);
static K242: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "invalidate-on-insert",
);
static K243: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::StaleStored,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(2u16)),
    },
);
static K244: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K243);
static K245: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K202);
static K246: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::NegativeWiped,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(2u16)),
    },
);
static K247: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "short-negative-ttl",
);
static K248: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::Undeleted,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(2u16)),
    },
);
static K249: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K248);
static K250: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::AnsweredStale(
    &crate::sim::scenario::rules::ClientKey {
        client: crate::sim::scenario::rules::NodeName(
            crate::sim::ids::NodeId::Reader(1u8),
        ),
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(2u16)),
    },
);
static K251: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K250);
static K252: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K89, &K123, &K251],
);
static K253: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K252);
static K254: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Invalidator(1u8)),
);
static K255: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Broken(
    crate::sim::scenario::rules::InvariantName(
        crate::sim::books::Invariant::ReadYourWrites,
    ),
);
static K256: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "remote-marker",
);
static K257: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Holds(
    crate::sim::scenario::rules::InvariantName(
        crate::sim::books::Invariant::ReadYourWrites,
    ),
);
static K258: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Answered(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Writer(1u8)),
);
static K259: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K258);
static K260: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "remote-marker",
);
static K261: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "markers",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K262: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "crashes cache-2",
    crate::sim::scenario::rules::Op::Equal,
    "0",
);
static K263: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Compare(
    "markers",
    crate::sim::scenario::rules::Op::More,
    "0",
);
static K264: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K164, &K32],
);
static K265: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K264);
static K266: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "client-tracking",
);
static K267: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Metric(
    &crate::sim::scenario::rules::MetricCond {
        name: crate::sim::scenario::rules::MetricName(
            crate::sim::books::Metric::DbReads,
        ),
        at_least: Some(2u64),
        at_most: None,
    },
);
static K268: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::Evicted,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K269: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K268);
static K270: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NeverCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Service(2u8)),
);
static K271: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Service(2u8)),
);
static K272: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "short-near-ttl",
);
static K273: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NeverCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Cdn),
);
static K274: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::EdgeRaced,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K275: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K274);
static K276: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::NoFix(
    "double-purge",
);
static K277: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "invalidate-origin-first",
);
static K278: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K164, &K32, &K273, &K15, &K275],
);
static K279: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K32, &K273, &K15, &K276, &K274],
);
static K280: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K278, &K279],
);
static K281: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K280);
static K282: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::EdgePurged,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K283: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Fix(
    "double-purge",
);
static K284: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Happened(
    &crate::sim::scenario::rules::Fact {
        fact: crate::sim::scenario::rules::FactKind::EdgePurgedAgain,
        key: crate::sim::scenario::rules::KeyName(crate::sim::ids::Key(1u16)),
    },
);
static K285: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K164);
static K286: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K277, &K282],
);
static K287: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K283, &K284],
);
static K288: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Any(
    &[&K286, &K287],
);
static K289: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K288);
static K290: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::All(
    &[&K273, &K9],
);
static K291: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::Not(&K290);
static K292: crate::sim::scenarios::data::C = crate::sim::scenarios::data::C::HasCrashed(
    crate::sim::scenario::rules::NodeName(crate::sim::ids::NodeId::Cdn),
);
pub fn all() -> alloc::vec::Vec<&'static crate::sim::scenario::Scenario> {
    alloc::vec::Vec::from([
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "cache-aside-read",
                title: "Cache-aside: the read path",
                catalog: Some(0usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 20u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "cache-aside-write",
                title: "Cache-aside: the write path",
                catalog: Some(1usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 50u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "write-through",
                title: "Write-through",
                catalog: Some(2usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.ttl_ms = 18446744073709551615u64;
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.write_mode = crate::sim::config::WriteMode::Through;
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 60u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 20u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "write-behind",
                title: "Write-behind",
                catalog: Some(3usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostWrite,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Behind;
                    c.behind = crate::sim::config::BehindConfig {
                        flush_delay_ms: 100u64,
                        batch_size: 2usize,
                        durable: false,
                        disk_ms: 5u64,
                    };
                    c.keys = alloc::vec::Vec::from([
                        crate::sim::ids::Key(1u16),
                        crate::sim::ids::Key(2u16),
                        crate::sim::ids::Key(3u16),
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 20u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 50u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 300u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "ttl-expiry",
                title: "TTL expiry: the safety net",
                catalog: Some(4usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.ttl_ms = 200u64;
                    c.horizon_ms = 450u64;
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 300u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::DirectWrite,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 50u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "event-invalidation",
                title: "Event-driven invalidation",
                catalog: Some(5usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: false,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "hybrid",
                title: "Hybrid: cache-aside, events and a TTL",
                catalog: Some(6usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.ttl_ms = 300u64;
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: false,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.horizon_ms = 357u64;
                    c.keys = alloc::vec::Vec::from([
                        crate::sim::ids::Key(1u16),
                        crate::sim::ids::Key(2u16),
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 120u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 320u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 50u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(2u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::DirectWrite,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 60u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "outbox",
                title: "The transactional outbox",
                catalog: Some(7usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Outbox;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: true,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "stale-set-race",
                title: "The stale-set race",
                catalog: Some(8usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "versioned-set",
                            title: "Versioned set",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.guard = Some(crate::sim::cache::SetGuard::Versioned {
                                    tombstone_ms: 500u64,
                                });
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "lease",
                            title: "Lease (memcache)",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.guard = Some(crate::sim::cache::SetGuard::Lease {
                                    period_ms: 10000u64,
                                });
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "delayed-double-delete",
                            title: "Delayed double delete",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.second_delete_ms = Some(Some(50u64));
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: Some((
                                            crate::sim::config::SlowHop::DbReadReply,
                                            10u64,
                                        )),
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "delete-before-update-race",
                title: "Delete before update",
                catalog: Some(9usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "update-then-delete",
                            title: "Update, then delete",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.write_order = Some(
                                    crate::sim::config::WriteOrder::UpdateThenDelete,
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_order = crate::sim::config::WriteOrder::DeleteThenUpdate;
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 50u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(2u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 52u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "write-through-race",
                title: "The write-through race",
                catalog: Some(10usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "versioned-write",
                            title: "Versioned write",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.guard = Some(crate::sim::cache::SetGuard::Versioned {
                                    tombstone_ms: 0u64,
                                });
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.ttl_ms = 18446744073709551615u64;
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.write_mode = crate::sim::config::WriteMode::Through;
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: Some((crate::sim::config::SlowHop::CacheSet, 10u64)),
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(2u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 2u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "write-behind-crash",
                title: "The write-behind crash",
                catalog: Some(11usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "durable-queue",
                            title: "Durable queue",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.behind = Some({
                                    let mut p = crate::sim::config::patch::BehindPatch::NONE;
                                    p.durable = Some(true);
                                    p
                                });
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[
                    crate::sim::books::Invariant::NoLostWrite,
                    crate::sim::books::Invariant::CacheMatchesDb,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Behind;
                    c.behind = crate::sim::config::BehindConfig {
                        flush_delay_ms: 200u64,
                        batch_size: 10usize,
                        durable: false,
                        disk_ms: 5u64,
                    };
                    c.restart_after_ms = Some(50u64);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 300u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[
                        crate::sim::scenarios::data::R {
                            when: &[&K0, &K1, &K2],
                            then: crate::sim::scenario::rules::Then::Crash(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Cache(1u8),
                                ),
                            ),
                        },
                    ];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "ttl-jitter",
                title: "TTL jitter: keys that expire together",
                catalog: Some(12usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "jitter",
                            title: "TTL jitter",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.jitter_ms = Some(300u64);
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbReadsPeak,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                ],
                seed: 8u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.lazy_expiry = true;
                    c.warm = alloc::vec::Vec::from([
                        crate::sim::ids::Key(1u16),
                        crate::sim::ids::Key(2u16),
                        crate::sim::ids::Key(3u16),
                        crate::sim::ids::Key(4u16),
                        crate::sim::ids::Key(5u16),
                        crate::sim::ids::Key(6u16),
                        crate::sim::ids::Key(7u16),
                        crate::sim::ids::Key(8u16),
                        crate::sim::ids::Key(9u16),
                        crate::sim::ids::Key(10u16),
                        crate::sim::ids::Key(11u16),
                        crate::sim::ids::Key(12u16),
                        crate::sim::ids::Key(13u16),
                        crate::sim::ids::Key(14u16),
                        crate::sim::ids::Key(15u16),
                        crate::sim::ids::Key(16u16),
                        crate::sim::ids::Key(17u16),
                        crate::sim::ids::Key(18u16),
                        crate::sim::ids::Key(19u16),
                        crate::sim::ids::Key(20u16),
                    ]);
                    c.warm_expires_ms = Some(1000u64);
                    c.horizon_ms = 1500u64;
                    c.keys = alloc::vec::Vec::from([
                        crate::sim::ids::Key(1u16),
                        crate::sim::ids::Key(2u16),
                        crate::sim::ids::Key(3u16),
                        crate::sim::ids::Key(4u16),
                        crate::sim::ids::Key(5u16),
                        crate::sim::ids::Key(6u16),
                        crate::sim::ids::Key(7u16),
                        crate::sim::ids::Key(8u16),
                        crate::sim::ids::Key(9u16),
                        crate::sim::ids::Key(10u16),
                        crate::sim::ids::Key(11u16),
                        crate::sim::ids::Key(12u16),
                        crate::sim::ids::Key(13u16),
                        crate::sim::ids::Key(14u16),
                        crate::sim::ids::Key(15u16),
                        crate::sim::ids::Key(16u16),
                        crate::sim::ids::Key(17u16),
                        crate::sim::ids::Key(18u16),
                        crate::sim::ids::Key(19u16),
                        crate::sim::ids::Key(20u16),
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 1000u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(5u16),
                                        at_ms: 1020u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(9u16),
                                        at_ms: 1040u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(13u16),
                                        at_ms: 1060u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(17u16),
                                        at_ms: 1080u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 1100u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(5u16),
                                        at_ms: 1120u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(9u16),
                                        at_ms: 1140u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(13u16),
                                        at_ms: 1160u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(17u16),
                                        at_ms: 1180u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 1200u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(5u16),
                                        at_ms: 1220u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(9u16),
                                        at_ms: 1240u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(13u16),
                                        at_ms: 1260u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(17u16),
                                        at_ms: 1280u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 1300u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(5u16),
                                        at_ms: 1320u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(9u16),
                                        at_ms: 1340u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(13u16),
                                        at_ms: 1360u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(17u16),
                                        at_ms: 1380u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(2u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 1005u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(6u16),
                                        at_ms: 1025u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(10u16),
                                        at_ms: 1045u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(14u16),
                                        at_ms: 1065u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(18u16),
                                        at_ms: 1085u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 1105u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(6u16),
                                        at_ms: 1125u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(10u16),
                                        at_ms: 1145u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(14u16),
                                        at_ms: 1165u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(18u16),
                                        at_ms: 1185u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 1205u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(6u16),
                                        at_ms: 1225u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(10u16),
                                        at_ms: 1245u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(14u16),
                                        at_ms: 1265u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(18u16),
                                        at_ms: 1285u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 1305u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(6u16),
                                        at_ms: 1325u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(10u16),
                                        at_ms: 1345u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(14u16),
                                        at_ms: 1365u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(18u16),
                                        at_ms: 1385u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(3u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 1010u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(7u16),
                                        at_ms: 1030u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(11u16),
                                        at_ms: 1050u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(15u16),
                                        at_ms: 1070u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(19u16),
                                        at_ms: 1090u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 1110u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(7u16),
                                        at_ms: 1130u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(11u16),
                                        at_ms: 1150u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(15u16),
                                        at_ms: 1170u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(19u16),
                                        at_ms: 1190u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 1210u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(7u16),
                                        at_ms: 1230u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(11u16),
                                        at_ms: 1250u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(15u16),
                                        at_ms: 1270u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(19u16),
                                        at_ms: 1290u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 1310u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(7u16),
                                        at_ms: 1330u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(11u16),
                                        at_ms: 1350u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(15u16),
                                        at_ms: 1370u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(19u16),
                                        at_ms: 1390u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(4u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(4u16),
                                        at_ms: 1015u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(8u16),
                                        at_ms: 1035u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(12u16),
                                        at_ms: 1055u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(16u16),
                                        at_ms: 1075u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(20u16),
                                        at_ms: 1095u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(4u16),
                                        at_ms: 1115u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(8u16),
                                        at_ms: 1135u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(12u16),
                                        at_ms: 1155u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(16u16),
                                        at_ms: 1175u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(20u16),
                                        at_ms: 1195u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(4u16),
                                        at_ms: 1215u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(8u16),
                                        at_ms: 1235u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(12u16),
                                        at_ms: 1255u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(16u16),
                                        at_ms: 1275u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(20u16),
                                        at_ms: 1295u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(4u16),
                                        at_ms: 1315u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(8u16),
                                        at_ms: 1335u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(12u16),
                                        at_ms: 1355u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(16u16),
                                        at_ms: 1375u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(20u16),
                                        at_ms: 1395u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "stampede",
                title: "Cache stampede",
                catalog: Some(13usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "mutex",
                            title: "Per-key lock",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.load_guard = Some(crate::sim::config::LoadGuard::Mutex {
                                    lock_ms: 500u64,
                                });
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "single-flight",
                            title: "Single-flight",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.load_guard = Some(
                                    crate::sim::config::LoadGuard::SingleFlight,
                                );
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "lease",
                            title: "Lease (memcache)",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.guard = Some(crate::sim::cache::SetGuard::Lease {
                                    period_ms: 10000u64,
                                });
                                p.load_guard = Some(crate::sim::config::LoadGuard::None);
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "early-expiration",
                            title: "Early expiration (XFetch)",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.load_guard = Some(crate::sim::config::LoadGuard::XFetch {
                                    beta_centi: 100u32,
                                });
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbReadsPeak,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                ],
                seed: 2u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.latency = crate::sim::config::Latency {
                        client_ms: 1u64,
                        cache_ms: 1u64,
                        db_read_ms: 10u64,
                        db_write_ms: 5u64,
                        cross_region_ms: 0u64,
                    };
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.warm_expires_ms = Some(100u64);
                    c.warm_delta_ms = 20u64;
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 80u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 120u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(2u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 82u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 122u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(3u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 84u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 124u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(4u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 86u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 126u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Reader(5u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 88u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 128u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "event-delay",
                title: "Event delay: stale while the event travels",
                catalog: Some(14usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: false,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 200u64,
                        publish_ms: 2u64,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 300u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "event-loss",
                title: "Event loss: at-most-once and a consumer that is down",
                catalog: Some(15usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "durable-bus",
                            title: "Durable bus (a log with offsets)",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.bus = Some(
                                    Some(crate::sim::config::BusConfig {
                                        durable: true,
                                        prefetch: 1u32,
                                        ack_timeout_ms: None,
                                        retry: crate::sim::config::RetryPolicy {
                                            max_retries: None,
                                            backoff_ms: 100u64,
                                            exponential: false,
                                        },
                                        deliver_ms: 2u64,
                                        publish_ms: 2u64,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::EventsDropped,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: false,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.restart_after_ms = Some(100u64);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 300u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[
                        crate::sim::scenarios::data::R {
                            when: &[&K3, &K4, &K5],
                            then: crate::sim::scenario::rules::Then::Crash(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Consumer(1u8),
                                ),
                            ),
                        },
                    ];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "event-duplicate-reorder",
                title: "Duplicate and reordered events",
                catalog: Some(16usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "versioned-events",
                            title: "Version-aware consumer",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.consumer = Some({
                                    let mut p = crate::sim::config::patch::ConsumerPatch::NONE;
                                    p.versioned = Some(true);
                                    p
                                });
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "idempotent-consumer",
                            title: "Idempotent consumer",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.consumer = Some({
                                    let mut p = crate::sim::config::patch::ConsumerPatch::NONE;
                                    p.idempotent = Some(true);
                                    p
                                });
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::EventsDropped,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: true,
                        prefetch: 2u32,
                        ack_timeout_ms: Some(100u64),
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.consumer = crate::sim::config::ConsumerConfig {
                        update: true,
                        idempotent: false,
                        versioned: false,
                    };
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[
                        crate::sim::scenarios::data::R {
                            when: &[&K6, &K7],
                            then: crate::sim::scenario::rules::Then::Drop,
                        },
                    ];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "poison-event",
                title: "A poison event blocks the log",
                catalog: Some(17usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "retry-dlq",
                            title: "Retries with backoff, then a dead-letter queue",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.bus = Some(
                                    Some(crate::sim::config::BusConfig {
                                        durable: true,
                                        prefetch: 1u32,
                                        ack_timeout_ms: None,
                                        retry: crate::sim::config::RetryPolicy {
                                            max_retries: Some(3u32),
                                            backoff_ms: 50u64,
                                            exponential: true,
                                        },
                                        deliver_ms: 2u64,
                                        publish_ms: 2u64,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.warm = alloc::vec::Vec::from([
                        crate::sim::ids::Key(2u16),
                        crate::sim::ids::Key(3u16),
                    ]);
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: true,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.poison = Some(crate::sim::ids::Key(1u16));
                    c.keys = alloc::vec::Vec::from([
                        crate::sim::ids::Key(1u16),
                        crate::sim::ids::Key(2u16),
                        crate::sim::ids::Key(3u16),
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(3u16),
                                        at_ms: 20u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "dual-write-crash",
                title: "The dual-write crash",
                catalog: Some(18usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "outbox",
                            title: "Transactional outbox",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.write_mode = Some(crate::sim::config::WriteMode::Outbox);
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::EventsPublished,
                    crate::sim::books::Metric::EventsDelivered,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::Event;
                    c.bus = Some(crate::sim::config::BusConfig {
                        durable: true,
                        prefetch: 1u32,
                        ack_timeout_ms: None,
                        retry: crate::sim::config::RetryPolicy {
                            max_retries: None,
                            backoff_ms: 100u64,
                            exponential: false,
                        },
                        deliver_ms: 2u64,
                        publish_ms: 2u64,
                    });
                    c.restart_after_ms = Some(50u64);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 300u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[
                        crate::sim::scenarios::data::R {
                            when: &[&K8, &K9],
                            then: crate::sim::scenario::rules::Then::Crash(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Service(1u8),
                                ),
                            ),
                        },
                        crate::sim::scenarios::data::R {
                            when: &[&K10, &K11, &K12],
                            then: crate::sim::scenario::rules::Then::Crash(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Relay(1u8),
                                ),
                            ),
                        },
                    ];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "replica-lag-refill",
                title: "A refill from a lagging replica",
                catalog: Some(19usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "versioned-set",
                            title: "Versioned set",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.guard = Some(crate::sim::cache::SetGuard::Versioned {
                                    tombstone_ms: 500u64,
                                });
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "lease",
                            title: "Lease (memcache)",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.guard = Some(crate::sim::cache::SetGuard::Lease {
                                    period_ms: 10000u64,
                                });
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "fill-from-primary",
                            title: "Fill from the primary",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.replica = Some(
                                    Some(crate::sim::config::ReplicaConfig {
                                        lag_ms: 20u64,
                                        miss_reads: crate::sim::config::ReadFrom::Primary,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::ReplicaReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.replica = Some(crate::sim::config::ReplicaConfig {
                        lag_ms: 20u64,
                        miss_reads: crate::sim::config::ReadFrom::Replica,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 15u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "invalidate-before-commit",
                title: "An invalidation inside the transaction",
                catalog: Some(20usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "after-commit-hook",
                            title: "After-commit hook",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.txn = Some(
                                    Some(crate::sim::config::TxnConfig {
                                        hook: crate::sim::config::Hook::AfterCommit,
                                        cache_aware: false,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.txn = Some(crate::sim::config::TxnConfig {
                        hook: crate::sim::config::Hook::InTransaction,
                        cache_aware: false,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 12u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 40u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "rollback-after-cache-write",
                title: "A cache write that rolled back",
                catalog: Some(21usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "transaction-aware-cache",
                            title: "Transaction-aware cache",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.txn = Some(
                                    Some(crate::sim::config::TxnConfig {
                                        hook: crate::sim::config::Hook::InTransaction,
                                        cache_aware: true,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.write_mode = crate::sim::config::WriteMode::Through;
                    c.txn = Some(crate::sim::config::TxnConfig {
                        hook: crate::sim::config::Hook::InTransaction,
                        cache_aware: false,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 15u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[
                        crate::sim::scenarios::data::R {
                            when: &[&K13],
                            then: crate::sim::scenario::rules::Then::Abort(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Writer(1u8),
                                ),
                            ),
                        },
                    ];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "negative-cache",
                title: "A cached \"not found\" outlives the insert",
                catalog: Some(22usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "invalidate-on-insert",
                            title: "Invalidate on insert",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.negative = Some(
                                    Some(crate::sim::config::NegativeConfig {
                                        ttl_ms: 300000u64,
                                        invalidate_on_insert: true,
                                    }),
                                );
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "short-negative-ttl",
                            title: "Short negative TTL",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.negative = Some(
                                    Some(crate::sim::config::NegativeConfig {
                                        ttl_ms: 50u64,
                                        invalidate_on_insert: false,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.negative = Some(crate::sim::config::NegativeConfig {
                        ttl_ms: 300000u64,
                        invalidate_on_insert: false,
                    });
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 30u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Insert,
                                        key: crate::sim::ids::Key(2u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "cdc-invalidation",
                title: "Invalidation from the commit log",
                catalog: Some(23usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(alloc::vec::Vec::from([])),
                invariants: &[
                    crate::sim::books::Invariant::CacheMatchesDb,
                    crate::sim::books::Invariant::NoLostEvent,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::DbWrites,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.write_mode = crate::sim::config::WriteMode::CommitOnly;
                    c.invalidator = Some(crate::sim::config::InvalidatorConfig {
                        tails: crate::sim::config::ReadFrom::Primary,
                        delay_ms: 2u64,
                        retry_ms: 50u64,
                    });
                    c.restart_after_ms = Some(20u64);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 60u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 10u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[
                        crate::sim::scenarios::data::R {
                            when: &[&K8, &K9],
                            then: crate::sim::scenario::rules::Then::Crash(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Service(1u8),
                                ),
                            ),
                        },
                        crate::sim::scenarios::data::R {
                            when: &[&K14, &K15],
                            then: crate::sim::scenario::rules::Then::Crash(
                                crate::sim::scenario::rules::NodeName(
                                    crate::sim::ids::NodeId::Invalidator(1u8),
                                ),
                            ),
                        },
                    ];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "cross-region-read-your-writes",
                title: "Reading your own write in another region",
                catalog: Some(24usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "remote-marker",
                            title: "Remote marker",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.remote_marker = Some(true);
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[
                    crate::sim::books::Invariant::ReadYourWrites,
                    crate::sim::books::Invariant::CacheMatchesDb,
                ],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::ReplicaReads,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.latency = crate::sim::config::Latency {
                        client_ms: 1u64,
                        cache_ms: 1u64,
                        db_read_ms: 2u64,
                        db_write_ms: 5u64,
                        cross_region_ms: 30u64,
                    };
                    c.replica = Some(crate::sim::config::ReplicaConfig {
                        lag_ms: 20u64,
                        miss_reads: crate::sim::config::ReadFrom::Primary,
                    });
                    c.invalidator = Some(crate::sim::config::InvalidatorConfig {
                        tails: crate::sim::config::ReadFrom::Replica,
                        delay_ms: 2u64,
                        retry_ms: 50u64,
                    });
                    c.topology = alloc::vec::Vec::from([
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Replica(1u8),
                            service: None,
                            cache: None,
                            reads: None,
                            region: Some(2u8),
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Cache(2u8),
                            service: None,
                            cache: None,
                            reads: None,
                            region: Some(2u8),
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Service(2u8),
                            service: None,
                            cache: Some(crate::sim::ids::NodeId::Cache(2u8)),
                            reads: Some(crate::sim::ids::NodeId::Replica(1u8)),
                            region: Some(2u8),
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Invalidator(1u8),
                            service: None,
                            cache: None,
                            reads: None,
                            region: Some(2u8),
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Writer(1u8),
                            service: Some(crate::sim::ids::NodeId::Service(2u8)),
                            cache: None,
                            reads: None,
                            region: Some(2u8),
                            db: None,
                            bus: None,
                            keys: None,
                        },
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "near-cache-stale",
                title: "Near caches: a stale copy in another instance",
                catalog: Some(25usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "client-tracking",
                            title: "Client-side caching with tracking (Redis)",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.near = Some(
                                    Some(crate::sim::config::NearConfig {
                                        ttl_ms: 10000u64,
                                        tracking: true,
                                    }),
                                );
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "short-near-ttl",
                            title: "A short near-cache TTL",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.near = Some(
                                    Some(crate::sim::config::NearConfig {
                                        ttl_ms: 50u64,
                                        tracking: false,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.near = Some(crate::sim::config::NearConfig {
                        ttl_ms: 10000u64,
                        tracking: false,
                    });
                    c.topology = alloc::vec::Vec::from([
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Service(2u8),
                            service: None,
                            cache: None,
                            reads: None,
                            region: None,
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Reader(1u8),
                            service: Some(crate::sim::ids::NodeId::Service(2u8)),
                            cache: None,
                            reads: None,
                            region: None,
                            db: None,
                            bus: None,
                            keys: None,
                        },
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 100u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 50u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
        &*alloc::boxed::Box::leak(
            alloc::boxed::Box::new(crate::sim::scenario::Scenario {
                id: "cdn-purge-race",
                title: "CDN purge race: the edge refills from a stale origin",
                catalog: Some(26usize),
                summary: "",
                story: &[],
                flow: &[],
                pros: &[],
                cons: &[],
                notes: &[],
                fixes: super::leak(
                    alloc::vec::Vec::from([
                        crate::sim::scenario::FixInfo {
                            id: "invalidate-origin-first",
                            title: "Invalidate the origin first, then purge the edge",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.write_mode = Some(
                                    crate::sim::config::WriteMode::Invalidate,
                                );
                                p
                            },
                        },
                        crate::sim::scenario::FixInfo {
                            id: "double-purge",
                            title: "A delayed second purge",
                            what: "",
                            cost: "",
                            changes: {
                                let mut p = crate::sim::config::patch::ConfigPatch::NONE;
                                p.cdn = Some(
                                    Some(crate::sim::config::CdnConfig {
                                        max_age_ms: 0u64,
                                        s_maxage_ms: Some(60000u64),
                                        purge_on_write: true,
                                        second_purge_ms: Some(100u64),
                                        origin_ms: 10u64,
                                    }),
                                );
                                p
                            },
                        },
                    ]),
                ),
                invariants: &[crate::sim::books::Invariant::CacheMatchesDb],
                metrics: &[
                    crate::sim::books::Metric::DbReads,
                    crate::sim::books::Metric::CacheHits,
                    crate::sim::books::Metric::CacheMisses,
                    crate::sim::books::Metric::WritesAcked,
                    crate::sim::books::Metric::StaleReads,
                ],
                seed: 1u64,
                settings: {
                    let mut c = crate::sim::config::Config::default();
                    c.warm = alloc::vec::Vec::from([crate::sim::ids::Key(1u16)]);
                    c.write_mode = crate::sim::config::WriteMode::CommitOnly;
                    c.invalidator = Some(crate::sim::config::InvalidatorConfig {
                        tails: crate::sim::config::ReadFrom::Primary,
                        delay_ms: 50u64,
                        retry_ms: 50u64,
                    });
                    c.cdn = Some(crate::sim::config::CdnConfig {
                        max_age_ms: 0u64,
                        s_maxage_ms: Some(60000u64),
                        purge_on_write: true,
                        second_purge_ms: None,
                        origin_ms: 10u64,
                    });
                    c.topology = alloc::vec::Vec::from([
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Cdn,
                            service: Some(crate::sim::ids::NodeId::Service(1u8)),
                            cache: None,
                            reads: None,
                            region: None,
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Reader(1u8),
                            service: Some(crate::sim::ids::NodeId::Cdn),
                            cache: None,
                            reads: None,
                            region: None,
                            db: None,
                            bus: None,
                            keys: None,
                        },
                        crate::sim::config::NodeSpec {
                            id: crate::sim::ids::NodeId::Writer(1u8),
                            service: Some(crate::sim::ids::NodeId::Cdn),
                            cache: None,
                            reads: None,
                            region: None,
                            db: None,
                            bus: None,
                            keys: None,
                        },
                    ]);
                    c.clients = crate::sim::scenarios::data::clients({
                        static CLIENTS: &[(
                            crate::sim::ids::NodeId,
                            &[crate::sim::config::Request],
                        )] = &[
                            (
                                crate::sim::ids::NodeId::Reader(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 0u64,
                                        slow: None,
                                    },
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Read,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 40u64,
                                        slow: None,
                                    },
                                ],
                            ),
                            (
                                crate::sim::ids::NodeId::Writer(1u8),
                                &[
                                    crate::sim::config::Request {
                                        op: crate::sim::config::Op::Write,
                                        key: crate::sim::ids::Key(1u16),
                                        at_ms: 5u64,
                                        slow: None,
                                    },
                                ],
                            ),
                        ];
                        CLIENTS
                    });
                    c
                },
                script: {
                    static RULES: &[crate::sim::scenarios::data::R] = &[];
                    crate::sim::scenarios::data::script(RULES)
                },
                endings: &[],
                code: std::sync::OnceLock::new(),
            }),
        ),
    ])
}
/// The scenarios' words, apart (`scenarios::Words`): the page loads them on first use.
pub static WORDS: &[crate::sim::scenarios::Words] = &[
    crate::sim::scenarios::Words {
        summary: "A reader asks for user:1 twice. The first read misses, so the service loads the row from the database and fills the cache; the second read is a hit and never touches the database. This is the base of every pattern that follows.",
        flow: &[
            "service: get key from the cache",
            "hit: answer with the cached value",
            "miss: select the row from the database",
            "set the row in the cache, with a TTL",
            "answer",
        ],
        pros: &[
            "Only data that is read gets cached: the cache stays small.",
            "The cache can fail and the service still works (slower), straight from the database.",
            "Simple: the application decides, the cache stays a plain key-value store.",
        ],
        cons: &[
            "Every miss costs three trips (get, select, set): the first read is slower.",
            "Between the select and the set, a concurrent write can make the value stale (see stale-set-race).",
            "Writes must invalidate the cache, or readers see old data until the TTL.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K19],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K20],
                text: "{done} {count db-reads database read|database reads} and {count cache-hits cache hit|cache hits}: the first read paid for the miss, the later ones were served from memory. ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K20, &K22],
                text: "{holds user:1}, and will until a write changes the row or the TTL ({ttl_ms} ms) runs out.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K20, &K21],
                text: "{holds user:1}{emptied user:1}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A read fills the cache with v1. A write commits v2 to the database and then deletes the key from the cache. The next read misses and refills the cache with v2. Watch the short window between the commit and the delete, when the cache is stale.",
        flow: &[
            "service: update the row in the database (commit)",
            "delete the key from the cache",
            "answer the writer",
            "the next read misses and loads the new row",
        ],
        pros: &[
            "Deleting is idempotent and cheap: repeating it is harmless.",
            "The cache is only filled from the database, by readers, so it never holds a value that was not committed.",
        ],
        cons: &[
            "A short stale window between the commit and the delete.",
            "The next read after a write is a miss.",
            "A read that started before the write can still put the old value back (stale-set-race).",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K26],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24],
                text: "{done} {holds user:1}: ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K28],
                text: "{deleted user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K22, &K24, &K27],
                text: "a read filled it from the database after the commit, though the write's delete never reached the cache",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K21, &K24, &K27, &K29, &K31],
                text: "the cache crashed and is still down, the write's delete never reached it, and no read can refill it until it restarts",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K21, &K24, &K27, &K29, &K30],
                text: "the cache crashed and restarted empty, the write's delete never reached it, and no read has refilled it since",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K21, &K24, &K27, &K1],
                text: "the write's delete never reached the cache, and no read has filled it",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24],
                text: ". Update first, then delete: if the delete were first, a reader could refill the old value in between (see delete-before-update-race).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K32],
                text: " But the {answered reader}: a stale read, served from the cache's old copy after the commit",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K32, &K34],
                text: ", before the write's delete reached the cache",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K32],
                text: ".",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The cache starts warm. A read hits v1. A write commits v2 and sets v2 in the cache before the writer is answered. The next read hits v2. The database is never read; the writer pays for both stores.",
        flow: &[
            "service: update the row in the database (commit)",
            "service: set the new value in the cache",
            "answer the writer",
            "reads hit the cache",
        ],
        pros: &[
            "Reads always hit, and see the latest write once it is acknowledged.",
            "The stale window is short: the cache is set right after the commit, before the writer is answered.",
        ],
        cons: &[
            "Writes pay both latencies (database and cache).",
            "Values nobody reads still fill the cache.",
            "Two writers can still race on the cache (see write-through-race).",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K26],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K35],
                text: "{done} {holds user:1}. ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K36],
                text: "{done} {holds user:1}. ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K37, &K24, &K35],
                text: "No read went to the database: every read hit.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K37, &K24, &K36],
                text: "No read went to the database: every read that was answered hit the cache.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K38, &K24, &K1],
                text: "{count db-reads read went to the database|reads went to the database} on a miss.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K38, &K24, &K29, &K31],
                text: "{count db-reads read went to the database|reads went to the database}: a read that finds the cache down (its GET fails on the closed connection, which the service reads as a miss) loads from the database.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K38, &K24, &K29, &K30],
                text: "{count db-reads read went to the database|reads went to the database}: a read that finds the cache down (its GET fails on the closed connection, which the service reads as a miss) or empty after its restart loads from the database.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K35, &K40, &K42],
                text: " The write took the database round trip and then the cache round trip before the writer heard back: write-through slows writes to keep reads fast and fresh.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K35, &K39, &K42],
                text: " The write took the database round trip and then the cache round trip before the writer heard back.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K36, &K42],
                text: " The write took the database round trip and then the cache round trip before the writer heard back.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K41],
                text: " The write took the database round trip, and its SET of user:1 failed: the cache had crashed, and its connection closed. The writer was told of success without it.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K35, &K39],
                text: " The cache crashed in this run, and the database served the reads it did not: write-through's fast, fresh reads hold only while the cache is up.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A writer makes four writes, two of them to user:1. Each is acknowledged as soon as the cache has queued it. The flusher writes the queue to the database later, in batches of two keys, with one database write per key: four writes become three database writes.",
        flow: &[
            "service: hand the write to the cache",
            "cache: store, queue, acknowledge",
            "flusher (later): take a batch, write each key once",
            "database: has the latest value after the flush",
        ],
        pros: &[
            "Writes are as fast as the cache.",
            "Coalescing and batching cut database writes for hot keys.",
        ],
        cons: &[
            "Until the flush, an acknowledged write lives only in the cache: a crash loses it (see write-behind-crash).",
            "The database is behind; anything that reads it directly sees old data.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K46],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K47],
                text: "{done} The clients made {count writes-acked write|writes}; the database took {count db-writes write|writes}: writes to the same key waiting in the queue were coalesced into one, and the queue was flushed in batches. Every acknowledged write is now in the database. Until the flush, the cache was the only place that had them.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The cache holds v1 with a 200 ms TTL. A batch job updates the row behind the cache's back. A read inside the TTL window gets the stale v1; then the key expires, and the next read loads v2. The TTL bounds how long any staleness can last.",
        flow: &[
            "read: fill the cache with a TTL",
            "the database changes behind the cache's back",
            "reads inside the TTL window: stale hits",
            "the TTL runs out: the key is dropped",
            "the next read misses and loads the new row",
        ],
        pros: &[
            "Works for every change, even those no code path knows about.",
            "Simple, and it bounds staleness by the TTL.",
        ],
        cons: &[
            "Stale for up to a whole TTL.",
            "A short TTL means more misses and more database load.",
            "Keys filled together expire together (see ttl-jitter, stampede).",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K50],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K51],
                text: "{done} {holds user:1}: consistent again, thanks to the TTL alone, which dropped the stale entry. ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K51, &K52],
                text: "No read was stale on the way",
            },
            crate::sim::scenarios::data::E {
                when: &[&K51, &K53],
                text: "{count stale-reads read was stale|reads were stale} on the way",
            },
            crate::sim::scenarios::data::E {
                when: &[&K51],
                text: ": the TTL is a safety net that bounds staleness, not a way to avoid it.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A read fills the cache with v1. A write commits v2 and publishes a change event; the consumer receives it and deletes the key. The next read misses and loads v2. The writer never touches the cache: the event does the invalidation.",
        flow: &[
            "service: update the row in the database (commit)",
            "service: publish a change event to the bus",
            "bus: push the event to the consumer",
            "consumer: delete the key from the cache",
            "the next read misses and loads the new row",
        ],
        pros: &[
            "Writers do not know about caches: any number of caches and services can subscribe.",
            "The write path is shorter: no cache round trip before the answer.",
        ],
        cons: &[
            "The cache is stale until the event arrives (see event-delay).",
            "The commit and the publish are two writes: a crash between them loses the event (see dual-write-crash).",
            "The bus's delivery guarantee matters: at-most-once can drop it (event-loss), at-least-once can repeat it.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K58],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K59],
                text: "{done} {holds user:1}: the event reached the consumer, which deleted the key, ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K59],
                text: "{refill user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K59],
                text: ". Between the commit and the delete the cache was stale: event-driven invalidation is eventually consistent.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Reads use cache-aside. A write through the service publishes an event and the consumer deletes the key at once. A batch job changes another row behind everyone's back: no event, so the cache is stale, until the TTL expires the key. Each layer covers what the other misses.",
        flow: &[
            "reads: cache-aside (get, miss → select → set with a TTL)",
            "writes through the service: commit, publish, the consumer deletes",
            "changes that bypass the service: the TTL expires them",
        ],
        pros: &[
            "Fast invalidation for the writes you control, a bound on staleness for the rest.",
            "Each piece is simple on its own.",
        ],
        cons: &[
            "More moving parts: a bus and a consumer to run.",
            "The TTL still bounds, not prevents, staleness from changes no event reports.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K62],
                text: "{other-path user:2}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K63],
                text: "{done} user:1: the event invalidated it within milliseconds of the write. user:2: the batch job published nothing, so the cache kept serving its old value until the TTL expired it ({count stale-reads stale read|stale reads} in this run). {holds user:2}. Events drive invalidation, cache-aside is the base, the TTL is the safety net.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The write commits the row and an outbox row in one transaction. The relay finds the unpublished row, publishes it to the bus, and marks it published; the consumer deletes the key and the next read loads v2. The event cannot be lost between the commit and the publish, because it is part of the commit.",
        flow: &[
            "service: update the row + insert the outbox row, one transaction",
            "relay: select unpublished outbox rows",
            "relay: publish to the bus, then mark the row published",
            "consumer: delete the key",
            "the next read misses and loads the new row",
        ],
        pros: &[
            "No dual write: the event is committed with the change, atomically.",
            "The relay can crash and restart at any point; unpublished rows wait for it.",
        ],
        cons: &[
            "At-least-once: a crash between publish and mark publishes the row again, so consumers must tolerate duplicates.",
            "One more table, one more process (or Debezium and its change data capture) to run; events arrive later.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K64],
                text: "Not done yet: {value outbox-unpublished} of {count outbox-rows outbox row is|outbox rows are} not marked published: ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K64, &K65, &K66, &K67],
                text: "the relay will publish it when it next polls",
            },
            crate::sim::scenarios::data::E {
                when: &[&K64, &K65, &K68, &K67],
                text: "the bus is down, so the relay's publishes go unanswered; it polls again after each timeout and publishes the row once the bus is back",
            },
            crate::sim::scenarios::data::E {
                when: &[&K64, &K65, &K69],
                text: "the relay cannot reach the database, so its polls go unanswered; it polls again after each timeout and publishes the row once the database answers",
            },
            crate::sim::scenarios::data::E {
                when: &[&K64, &K70],
                text: "the relay is down; the row waits in the database until it restarts",
            },
            crate::sim::scenarios::data::E {
                when: &[&K64],
                text: ". {holds user:1}. The event was committed with the change, so it cannot be lost, only late.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K71, &K26],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K71, &K23, &K24],
                text: "{done} {holds user:1}; every outbox row ({outbox-rows}) is marked published.{evicted user:1} The event was committed with the change, so no crash between the two could separate them. This is how the outbox makes events reliable.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A reader and a writer start together. The reader misses and reads v1 from the database, but its answer is slow to come back. The writer commits v2 and deletes the key in the meantime. Then the reader's late set puts v1 back into the cache, where it stays: the cache and the database disagree.",
        flow: &[
            "reader: get (miss) → select v1 … slow …",
            "writer: update → commit v2 → delete key",
            "reader: … set v1: the stale value lands after the delete",
        ],
        pros: &[
            "Cache-aside is still the right base: this race is rare and needs a slow read overlapping a write.",
        ],
        cons: &[
            "When it happens the cache stays wrong until the TTL ends it.",
            "Invalidating on write does not help: the delete came before the stale set.",
        ],
        notes: &[],
        fixes: &[
            (
                "The writer's delete carries the committed version; the cache keeps a tombstone (key, version) for a bounded time, longer than the longest read, and refuses a set older than it.",
                "Memory for tombstones, and every value must carry a version. If a tombstone expires before the slow set arrives, the race returns.",
            ),
            (
                "A miss hands out a lease token for the key (at most one per key every 10 s); a delete invalidates it; a set must carry the valid token. From \"Scaling Memcache at Facebook\" (NSDI 2013).",
                "Readers that miss while another holds the lease must wait and retry; the cache must keep lease state per key.",
            ),
            (
                "After its delete the writer schedules a second delete a while later (here 50 ms), to remove a stale value set in between.",
                "A heuristic: a read slower than the delay still leaves the cache stale. One more cache operation per write, and the stale value is served until the second delete.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K74, &K76, &K78, &K28],
                text: "The race is complete: the cache holds {cache user:1} while the database has {db user:1}. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K74, &K76, &K78, &K27],
                text: "The cache holds {cache user:1} while the database has {db user:1}: a read set the old value after the commit, and in this run a fault stopped the writer's delete: no delete reached the cache after the commit of {db user:1}, so nothing removed it. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K80, &K28, &K82],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although a fix that closes the stale-set race is on: in this run the old value got past it and nothing removed it. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K75, &K74, &K81, &K28],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although the versioned set is on: the delete of user:1 left a tombstone, but the cache crashed after it, and the crash wiped it (tombstones live in the cache's memory). With no tombstone to refuse it, the cache took the older set, and nothing removed it. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K27, &K75, &K74],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although the versioned set is on: its tombstone is left by the writer's delete, and in this run a fault stopped it: no delete reached the cache after the commit of {db user:1}. With no tombstone to refuse it, the cache took the older set, and nothing removed it. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K27, &K73],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although leases are on: a lease is invalidated by the writer's delete, and in this run a fault stopped it: no delete reached the cache after the commit of {db user:1}. Nothing invalidated the reader's lease, so the cache took its set of the old value, and nothing removed it. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K77, &K74, &K76, &K84, &K28],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although the delayed double delete is on: the old value landed and no later delete removed it. It is a heuristic: a read slower than the delay sets the old value after the second delete too, and the second delete is scheduled only when the first one's reply comes back. A lease or a versioned set refuses the late set whatever its timing. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K77, &K74, &K76, &K83, &K28],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although the delayed double delete is on: the old value landed and no later delete removed it. The service crashed in this run, and any second delete it still had scheduled died with it: the delay is a timer in the service's memory. A lease or a versioned set refuses the late set whatever its timing. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K77, &K74, &K76, &K27],
                text: "The cache holds {cache user:1} while the database has {db user:1}, although the delayed double delete is on: a read set the old value after the commit, and in this run a fault stopped the writer's delete: no delete reached the cache after the commit of {db user:1}. The second delete is scheduled only when the first one's reply comes back, so none followed, and nothing removed the old value. A lease or a versioned set would not have helped either: each relies on that delete. Every reader will get {cache user:1} until the TTL ends at {expires user:1} ms, long after this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K72],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87],
                text: "{holds user:1}: consistent. ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K73, &K88, &K89],
                text: "The lease was invalidated by the delete, so the late set was refused.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K73, &K88, &K90],
                text: "The reader's lease was gone when its late set arrived (a delete invalidates a lease, and a crash of the cache wipes every lease), so the set was refused.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K75, &K88],
                text: "The tombstone outlived the slow read and refused the older set. Had it expired first, the race would have won.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K94, &K77, &K33, &K56],
                text: "The stale value did land, and the second delete removed it. This time: a read slower than the delay would have set it after the second delete too. It is a heuristic, not a guarantee.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K94, &K96, &K33, &K98, &K100],
                text: "A stale value landed, and something removed it before the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K94, &K96, &K33, &K98, &K99],
                text: "A stale value landed, and a crash of the cache wiped it from memory before the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K94, &K96, &K33, &K97],
                text: "A stale value landed, and memory pressure evicted it before the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K94, &K96, &K34, &K102],
                text: "This interleaving did not produce the race: no stale value reached the cache.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K86, &K87, &K92, &K94, &K96, &K34, &K101],
                text: "The commit overtook an older value on its way, but that value never reached the cache: the set carrying it arrived while the cache was down and was lost. The crash, not cache-aside, kept the stale value out.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K36],
                text: "{failed}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The writer deletes the cached key, then updates the database. A reader slips in between: it misses, reads the old v1 and caches it. Then v2 commits, and the cache is left holding v1.",
        flow: &[
            "writer: delete the key",
            "reader: miss → select v1 → set v1",
            "writer: update the row: v2 commits",
            "cache holds v1, database v2",
        ],
        pros: &[
            "Deleting first feels safe: the cache never holds a value older than the delete… for a moment.",
        ],
        cons: &[
            "Any read between the delete and the commit refills the old value, and nothing deletes it again.",
            "The window is as long as the database write: the slower the commit, the likelier the race.",
        ],
        notes: &[],
        fixes: &[
            (
                "Commit to the database first, then delete the key: a reader that misses after the delete loads the new row.",
                "A short stale window between the commit and the delete; and a read that started before the commit and sets after the delete still races (stale-set-race).",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K103],
                text: "{done} {holds user:1}: consistent.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K104],
                text: " Updating first and deleting after closed this window. But it is not airtight: a read that selects before the commit and sets after the delete still puts the old value back (stale-set-race).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K105, &K33, &K98, &K100],
                text: " A stale value landed, and something removed it before the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K105, &K33, &K98, &K99],
                text: " A stale value landed, and a crash of the cache wiped it from memory before the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K105, &K33, &K97],
                text: " A stale value landed, and memory pressure evicted it before the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K105, &K34, &K107, &K108],
                text: " In this interleaving no reader refilled the old row between the delete and the commit.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K105, &K34, &K107, &K2],
                text: " The writer's update has not committed in this run: the old row is still the database's, so no refill of it could be stale yet.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K105, &K34, &K106],
                text: " A reader's set of the old row came between the delete and the commit, but the cache was down and it was lost: the crash, not this order, kept the old value out.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K109, &K34],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K109, &K110, &K104],
                text: "{done} {holds user:1}, even with update-then-delete: a read selected the old row before the commit and set it after the delete. That is the stale-set race, which this order cannot prevent; it takes versioned sets or leases.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K109, &K110, &K111, &K42],
                text: "{done} {holds user:1}: a reader refilled the old row between the delete and the commit, and no delete came after. It stays stale until the TTL. Try update-then-delete.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K109, &K110, &K111, &K41],
                text: "{done} {holds user:1}: the writer's delete never reached the cache (it failed on the connection the cache's crash closed; the crash, not the delete, had emptied the cache), and a reader read the old row before the commit and set it in the cache; no delete came after. It stays stale until the TTL. Try update-then-delete, which deletes after the commit.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Two writers commit v2 and v3, each then setting the cache with its value. The first writer's set is slow and arrives last: the cache ends at v2 while the database has v3, with no TTL to end it.",
        flow: &[
            "writer: commit v2 … set v2 (slow) …",
            "writer-2: commit v3, set v3",
            "… set v2 arrives last and wins",
        ],
        pros: &[
            "Write-through is still simple, and right when writes to one key do not overlap.",
        ],
        cons: &[
            "The order of commits and the order of cache sets can differ.",
            "With no TTL, a wrong value stays until the next write.",
        ],
        notes: &[],
        fixes: &[
            (
                "Each set carries the committed version; the cache refuses a set older than the version it holds (a compare-and-set on the version).",
                "Every value must carry a version, and the cache must compare before it stores.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K112, &K103, &K88],
                text: "{done} {holds user:1}: the late set of the older version was refused because the cache already held a newer one. The cache only moves forward.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K114, &K18, &K33, &K115],
                text: "{done} {holds user:1}: the sets arrived in the opposite order to the commits, and the last one won. There is no TTL, so nothing will ever mend it; only the next write will.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K114, &K117, &K103, &K115],
                text: "{done} {holds user:1}: consistent. In this interleaving the sets reached the cache in the order of the commits.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K121],
                text: "{other-path user:1}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Two writes are acknowledged by the write-behind cache and wait in its queue. The cache crashes before the flusher runs: the queue was only in memory, and the acknowledged writes are gone. The database still has v1. With a durable queue, the writes are on disk before the ack and are replayed after the restart.",
        flow: &[
            "writer: write v2, write v3 (both acknowledged, queued)",
            "cache crashes: the queue is gone",
            "cache restarts empty",
            "flusher: nothing to write; the database keeps v1",
        ],
        pros: &["Write-behind's speed: the ack does not wait for the database."],
        cons: &[
            "An acknowledged write that exists only in memory is a promise the system cannot keep.",
            "The loss is silent: nothing tells the writer.",
        ],
        notes: &[],
        fixes: &[
            (
                "The cache appends each write to a log on disk before it acknowledges, and replays the log after a restart, so the flusher still writes every acknowledged write.",
                "A disk write before every ack (here 5 ms more per write), and a log to keep and trim.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K24, &K29, &K44, &K122],
                text: "{done} The writer was told {acked user:1} succeeded, but the database has {db user:1}: the queue lived only in the cache's memory and died with it.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K24, &K29, &K44, &K122, &K32],
                text: " The reader got {answer reader} back: a stale read.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K24, &K29, &K44, &K122, &K123, &K124],
                text: " The reader got {answer reader} back.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K24, &K29, &K44, &K122],
                text: " Try the durable queue.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K72, &K18],
                text: "{done} Broken: cache-matches-db. {holds user:1}: a read loaded {cache user:1} from the database before the flusher had written {db user:1} there, and set it in the cache.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K131,
                    &K132,
                    &K134,
                    &K135,
                ],
                text: "{done} The database has {db user:1}, the last acknowledged write: the cache's disk log kept each acknowledged write through the crash, so none could be lost.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K131,
                    &K132,
                    &K134,
                    &K136,
                    &K138,
                ],
                text: "{done} The database has {db user:1}, the last acknowledged write. The cache crashed before any write of user:1 was acknowledged, so its disk log had none to keep: the writer got every acknowledgement after the crash.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K131,
                    &K132,
                    &K134,
                    &K136,
                    &K137,
                ],
                text: "{done} The database has {db user:1}, the last acknowledged write. Each write of user:1 acknowledged before the cache crashed was already in the database then, so its disk log had none to keep.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K131,
                    &K139,
                    &K134,
                    &K135,
                ],
                text: "{done} The database has {db user:1}, the last acknowledged write: the cache's disk log kept each acknowledged write through each of its crashes, so none could be lost.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K131,
                    &K139,
                    &K134,
                    &K136,
                    &K138,
                ],
                text: "{done} The database has {db user:1}, the last acknowledged write. The cache last crashed before any write of user:1 was acknowledged, so its disk log had none to keep at any of its crashes: the writer got every acknowledgement after its last crash.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K131,
                    &K139,
                    &K134,
                    &K136,
                    &K137,
                ],
                text: "{done} The database has {db user:1}, the last acknowledged write. Each write of user:1 acknowledged before one of the cache's crashes was already in the database at that crash, so its disk log had none to keep.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K130, &K132, &K134],
                text: "{done} The database has {db user:1}, the last acknowledged write: its put left the flusher before the cache crashed and landed after the crash. The cache's disk log kept each acknowledged write through the crash as well, so none could be lost",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K130, &K139, &K134],
                text: "{done} The database has {db user:1}, the last acknowledged write: its put left the flusher before the cache's last crash and landed after it. The cache's disk log kept each acknowledged write through each of its crashes as well, so none could be lost",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K130,
                    &K140,
                    &K132,
                    &K134,
                ],
                text: "; after the restart the cache replayed {db user:1} from its log into its queue, and the flusher's put of it found the database already had it and was skipped",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K130,
                    &K140,
                    &K139,
                    &K134,
                ],
                text: "; after its last restart the cache replayed {db user:1} from its log into its queue, and the flusher's put of it found the database already had it and was skipped",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K130, &K134],
                text: ".",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K32],
                text: " The reader got {answer reader} back: a stale read.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K123, &K124],
                text: " The reader got {answer reader} back.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K72, &K18],
                text: " No acknowledged write was lost: the database has {db user:1}, the last one",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K131,
                    &K132,
                    &K135,
                ],
                text: ", and the cache's disk log kept each through the crash.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K131,
                    &K132,
                    &K136,
                    &K138,
                ],
                text: ". The cache crashed before any write of user:1 was acknowledged, so its disk log had none to keep: the writer got every acknowledgement after the crash.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K131,
                    &K132,
                    &K136,
                    &K137,
                ],
                text: ". Each write of user:1 acknowledged before the cache crashed was already in the database then, so its disk log had none to keep.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K131,
                    &K139,
                    &K135,
                ],
                text: ", and the cache's disk log kept each through each of its crashes.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K131,
                    &K139,
                    &K136,
                    &K138,
                ],
                text: ". The cache last crashed before any write of user:1 was acknowledged, so its disk log had none to keep at any of its crashes: the writer got every acknowledgement after its last crash.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K131,
                    &K139,
                    &K136,
                    &K137,
                ],
                text: ". Each write of user:1 acknowledged before one of the cache's crashes was already in the database at that crash, so its disk log had none to keep.",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K130,
                    &K132,
                ],
                text: ": its put left the flusher before the cache crashed and landed after it",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K130,
                    &K139,
                ],
                text: ": its put left the flusher before the cache's last crash and landed after it",
            },
            crate::sim::scenarios::data::E {
                when: &[
                    &K126,
                    &K24,
                    &K29,
                    &K127,
                    &K128,
                    &K129,
                    &K72,
                    &K18,
                    &K130,
                    &K140,
                ],
                text: ", and the replay's put of it from the disk log was skipped",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129, &K72, &K18, &K130],
                text: ".",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K24, &K29, &K127, &K128, &K129],
                text: " Each ack cost a disk write first.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K126, &K142],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K122, &K29, &K127, &K128, &K130, &K132],
                text: " The cache crashed with {db user:1} still in its queue in memory, but the flusher's put of it had already left, and it landed after the crash: only that timing kept the acknowledged write. A crash before the flush loses every write still queued; try the durable queue.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K122, &K29, &K127, &K128, &K130, &K139],
                text: " The cache last crashed with {db user:1} still in its queue in memory, but the flusher's put of it had already left, and it landed after that crash: only that timing kept the acknowledged write. A crash before the flush loses every write still queued; try the durable queue.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Twenty keys filled together with one TTL expire together at 1,000 ms; the readers that ask for them right after all miss, and the database takes a burst of reads. With jitter each key's TTL is a little different, and the misses spread out.",
        flow: &[
            "20 keys filled together, one TTL",
            "readers read each key every 100 ms",
            "all expire at once: a burst of misses hits the database",
            "(jitter) TTL + random: expiries and misses spread out",
        ],
        pros: &["Jitter costs nothing but a random number per fill."],
        cons: &[
            "It spreads load, it does not remove it: every key still misses once.",
            "Probabilistic: some draws still bunch up.",
        ],
        notes: &[],
        fixes: &[
            (
                "Each fill's TTL gets a random extra 0-300 ms, so keys filled together expire at different times.",
                "Keys live a little longer on average (staler data), and the spread is only probable, not guaranteed.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K143],
                text: "{done} No read missed in this run ({count db-reads database read|database reads} in all).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K144, &K145],
                text: "{done} With jitter the expiries spread over up to 300 ms: at most {count db-reads-peak database read|database reads} fell in any 100 ms ({metric db-reads} in all). ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K144, &K145, &K146],
                text: "The same keys still missed once each; they just did not all miss together.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K144, &K145, &K147],
                text: "The keys missed, just not all together.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K144, &K145],
                text: " Jitter is probabilistic: another seed can bunch more of them.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K144, &K148, &K146],
                text: "{done} All {value keys} keys expired at 1,000 ms and the reads right after all missed: {count db-reads-peak database read|database reads} fell within 100 ms. At scale this burst is what takes a database down. Try jitter.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K144, &K148, &K147],
                text: "{done} All {value keys} keys expired at 1,000 ms; {count cache-misses read|reads} missed, and at most {count db-reads-peak database read|database reads} fell within 100 ms.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A hot key expires while five readers ask for it. Each misses, and each loads it from the database at the same time: five reads for one value. The fixes make one reader load while the others wait, share, or never see the miss at all.",
        flow: &[
            "hot key cached; expires at 100 ms",
            "5 readers miss at once",
            "5 identical database loads",
            "(fix) one load; the others wait, share it, or never miss",
        ],
        pros: &["Cache-aside itself needs no coordination between readers."],
        cons: &[
            "A popular key's expiry turns into a burst of identical expensive queries.",
            "The slower the load, the more readers pile up behind it.",
        ],
        notes: &[],
        fixes: &[
            (
                "On a miss a reader takes a lock on the key in the cache (with an expiry longer than a load, so a crashed holder frees it), looks once more, and loads; the others wait and retry.",
                "Readers wait for the load plus a retry interval; one more cache round trip per miss.",
            ),
            (
                "The service keeps a table of loads in progress; a miss for a key already loading waits for that load and shares its result.",
                "Only within one service instance: ten instances still make ten loads. Waiters wait for the load.",
            ),
            (
                "The first miss gets the key's lease and loads; the others are told to wait and retry. From \"Scaling Memcache at Facebook\" (NSDI 2013), where it cut peak database query rate from 17K/s to 1.3K/s.",
                "A lease makes readers wait; the cache keeps lease state per key.",
            ),
            (
                "A reader that hits recomputes early, in the background, when now - delta * beta * ln(rand) >= expiry (delta: how long a recompute takes; beta = 1). The nearer the expiry, the likelier. Vattani, Chierichetti and Lowenstein, VLDB 2015.",
                "Probabilistic: sometimes two readers recompute, sometimes none does in time. Each value must store how long it took to compute.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K35],
                text: "Done. {count db-reads database read|database reads} for one hot key. ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K36],
                text: "Not done: {count unanswered reader has|readers have} no value (still waiting, or their read failed: a connection reset, or an error answered), after {count db-reads database read|database reads} for one hot key. {holds user:1}.{guard user:1} ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K149, &K150, &K35],
                text: "One reader held the lock and loaded; the others waited, retried and hit.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K153, &K150, &K35],
                text: "The service saw the misses overlap and made them share one load.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K73, &K150, &K35],
                text: "The first miss got the lease and loaded; the others were told to wait and retried. Memcache's leases cut Facebook's peak database query rate from 17K/s to 1.3K/s.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K158, &K159],
                text: "XFetch recomputed the key in the background before it expired.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K158, &K160, &K161],
                text: "XFetch started the recompute in the background ahead of the expiry, but the key expired before the new value landed.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K158, &K160, &K161, &K143],
                text: " No read came in that gap.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K158, &K160, &K162],
                text: "No early recompute landed in this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K158, &K143, &K35],
                text: " Nobody missed and nobody waited.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K158, &K144],
                text: " {count cache-misses cache lookup|cache lookups} missed.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K163, &K164, &K165, &K144, &K35],
                text: "Every reader that missed loaded the key itself. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K163, &K164, &K165, &K144, &K36],
                text: "Every reader that missed went to the database itself, though not every read was answered. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K152, &K155, &K157, &K163, &K167],
                text: "{count cache-misses cache lookup|cache lookups} missed.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K158],
                text: " It is probabilistic: with another seed two readers can both recompute, or none in time.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K29, &K168, &K163],
                text: " The cache crashed in this run: a read whose lookup failed on it (its GET failed on the closed connection, or was refused while the cache was down) went to the database as on a miss, so the database reads outnumber the misses.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A write commits v2 and publishes its event, but the event takes 200 ms to reach the consumer. A read in that window hits the cached v1: stale. Watch cache-matches-db turn red at the commit, stay red while the event is in flight, and turn green again once the consumer's delete reaches the cache.",
        flow: &[
            "writer: commit v2, publish e2",
            "bus → consumer: e2 … 200 ms in flight …",
            "reader: hit v1 (stale)",
            "consumer: delete user:1",
            "reader: miss, load v2",
        ],
        pros: &["Nothing is lost: the cache is only late, and it catches up by itself."],
        cons: &[
            "Staleness is bounded only by the consumer's lag, which grows under load.",
            "A reader cannot tell that what it got is stale.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K170],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K54, &K56],
                text: "{done} {holds user:1}: consistent again, but the event took about 200 ms to reach the consumer, the cache served the old value meanwhile, and ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K52, &K24, &K54, &K56],
                text: "no read happened to get the stale value",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K53, &K24, &K54, &K56],
                text: "{count stale-reads read|reads} got the stale value",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K24, &K54, &K56],
                text: ". Event-driven invalidation is eventually consistent: how stale depends on how far the consumer lags.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The bus is Redis Pub/Sub, at-most-once. The consumer crashes; while it is down a write commits v2 and its event is published to nobody. The consumer restarts with nothing to catch up on, and the cache keeps v1 for good. Switch on the durable bus to see the consumer catch up from its offset.",
        flow: &[
            "consumer crashes",
            "writer: commit v2, publish e2",
            "bus: no subscriber connected: e2 is gone",
            "consumer restarts: nothing to catch up",
            "cache keeps v1",
        ],
        pros: &["Pub/Sub is simple and fast: no disk, no offsets."],
        cons: &[
            "A subscriber that is down, or slow to reconnect, misses messages for good.",
            "Nothing tells anyone that an event was lost.",
        ],
        notes: &[],
        fixes: &[
            (
                "The bus appends every event to a log on disk (like Kafka); the consumer commits its offset after handling an event, and after a restart resumes from the committed offset, so it catches up on what it missed.",
                "A disk write per event and a broker to run. Delivery becomes at-least-once: after a crash between handling and committing, an event comes twice, so handling must be idempotent (a delete is).",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K171, &K172, &K173, &K54, &K103, &K56],
                text: "{done} {holds user:1}. The event waited in the log while the consumer was down; after its restart the consumer resumed from its committed offset and deleted the key. A durable log gives at-least-once delivery (Kafka's default).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K175, &K176, &K172, &K177, &K18],
                text: "{done} {holds user:1}: the event was published while the consumer was down, and Redis Pub/Sub is at-most-once, so it was simply gone. Only the TTL (at 60 s, long after this run) would end the staleness. Try the durable bus.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K175, &K176, &K172, &K178, &K179, &K18],
                text: "{done} {holds user:1}: the bus pushed the event to the consumer, but the consumer crashed before the push reached it, and Redis Pub/Sub is at-most-once: it keeps no copy to push again, so the event was simply gone. Only the TTL (at 60 s, long after this run) would end the staleness. Try the durable bus.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K175, &K181, &K183],
                text: "{other-path user:1}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The consumer writes each event's value into the cache. Events e2 (v2) and e3 (v3) are applied in order, but the ack of e2 is lost, so the bus delivers e2 again after e3. The consumer sets v2 over v3: the cache ends older than the database.",
        flow: &[
            "writer: commit v2 (e2), commit v3 (e3)",
            "consumer: set v2, ack e2 (lost)",
            "consumer: set v3, ack e3",
            "bus: no ack for e2: redeliver e2",
            "consumer: set v2 over v3",
        ],
        pros: &["Updating instead of deleting saves the next reader a miss."],
        cons: &[
            "At-least-once delivery means duplicates, and a redelivered event arrives out of order.",
            "An update is not idempotent against newer updates; a delete is.",
        ],
        notes: &[],
        fixes: &[
            (
                "Each event carries the row's version; the consumer remembers the newest version it applied per key and ignores an older event. It covers duplicates and reordering alike.",
                "Events must carry a version (or a monotonic timestamp), and the consumer keeps one number per key.",
            ),
            (
                "The consumer remembers the ids of the events it processed and does nothing for one it has seen.",
                "A store of processed ids that grows until pruned. It covers redelivery only: two distinct events applied out of order still leave the older value.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K184, &K185],
                text: "{other-path user:1} No event was delivered twice in this run. Dedup by event id covers redelivery only; versioning also covers reordering. And a plain delete would have been harmless: deletes are idempotent, as the memcache paper notes.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K184, &K186],
                text: "{other-path user:1} Dedup by event id and versioning act on the events that reach the consumer; they cannot stand in for an event that never does.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103],
                text: "{done} {holds user:1}.{evicted user:1} ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103, &K188, &K189],
                text: "The consumer ignored the redelivered event: it had already applied a newer version.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103, &K191, &K192, &K193],
                text: "The consumer recognised the redelivered event by its id and did nothing.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103, &K191, &K195, &K34],
                text: "The redelivered event did no harm in this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103, &K191, &K195, &K33, &K97],
                text: "A stale value landed in the cache in this run: memory pressure mended it, not the pattern.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103, &K191, &K195, &K33, &K98],
                text: "A stale value landed in the cache in this run, and a later step mended it before the end (the steps above tell which).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K103],
                text: " Dedup by event id covers redelivery only; versioning also covers reordering. And a plain delete would have been harmless: deletes are idempotent, as the memcache paper notes.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K109, &K33],
                text: "{done} {holds user:1}: the redelivered event overwrote the newer value. Nothing will mend it before the TTL. Dedup by event id covers redelivery only; versioning also covers reordering. And a plain delete would have been harmless: deletes are idempotent, as the memcache paper notes.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K187, &K109, &K34],
                text: "{other-path user:1}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Three writes publish three events to an ordered log. The consumer fails on the first one every time, and the other two wait behind it while the bus retries: head-of-line blocking. The cached user:2 and user:3 stay stale. Switch on retry-dlq to cap the retries and park the poison event in a dead-letter queue.",
        flow: &[
            "writer: commit user:1, user:2, user:3 (events in order)",
            "consumer: fails on user:1's event",
            "bus: retry, retry, retry … the others wait",
            "(fix) after 3 retries: to the dead-letter queue",
            "(fix) the events behind it are applied",
        ],
        pros: &[
            "An ordered log keeps each key's events in order, which invalidation relies on.",
        ],
        cons: &[
            "One bad event stops everything behind it in its partition.",
            "Retrying for ever hides the problem; dropping it silently loses the event.",
        ],
        notes: &[],
        fixes: &[
            (
                "The bus retries a failed event at most 3 times, waiting longer each time (50, 100, 200 ms), then moves it to the dead-letter queue and goes on with the events behind it.",
                "The poison event's own change is not applied until an operator fixes and replays it; someone must watch the dead-letter queue.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K196, &K197, &K103],
                text: "{done} After its last retry the poison event went to the dead-letter queue ({count dlq event|events} there) and the events behind it were applied: the cache matches the database. user:1's own change waits for an operator to fix the consumer and replay it; ",
            },
            crate::sim::scenarios::data::E {
                when: &[&K196, &K197, &K103, &K22],
                text: "user:1 is still cached with its old value meanwhile",
            },
            crate::sim::scenarios::data::E {
                when: &[&K196, &K197, &K103, &K21],
                text: "user:1 is not cached, so nothing is stale meanwhile",
            },
            crate::sim::scenarios::data::E {
                when: &[&K196, &K197, &K103],
                text: ".",
            },
            crate::sim::scenarios::data::E {
                when: &[&K199, &K200, &K201, &K204],
                text: "The horizon is reached and the bus is still retrying the poison event. The events behind it never got through: {stale-stay user:2 user:3} stale until the TTL runs out. One bad event blocked the whole partition.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K199, &K206],
                text: "{other-path user:2}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The service commits v2 and then crashes before it publishes the event. The database has v2, no event exists, and the cache keeps v1 for good. With the outbox, the event is committed with the row, and the relay publishes it even though the service died; it even survives the relay's own crash.",
        flow: &[
            "service: commit v2",
            "service crashes before the publish",
            "no event: the consumer never deletes the key",
            "(outbox) relay: publish, crash before the mark, restart, publish again",
            "(outbox) consumer: delete, delete again (harmless)",
        ],
        pros: &[
            "Publishing straight after the commit is simple and fast, and usually works.",
        ],
        cons: &[
            "Two writes with no transaction around them: a crash between them loses the event, silently.",
            "Publishing first is no better: a crash after it announces a change that never committed.",
        ],
        notes: &[],
        fixes: &[
            (
                "The service inserts the event as an outbox row in the same transaction as the change; a relay publishes unpublished rows and then marks them.",
                "A table and a relay to run, events arrive a poll later, and delivery is at-least-once: a relay crash between publish and mark publishes the row twice.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K207, &K208, &K209, &K83, &K103],
                text: "{done} {holds user:1}. The service died after its commit, but the event was an outbox row in that very commit, so the relay published it.{evicted user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K207, &K208, &K209, &K83, &K103, &K210, &K211, &K212],
                text: " The relay's own crash before the mark made it publish the row again ({count events-published publish|publishes}, {count events-delivered delivery|deliveries}); the second delete was harmless, because a delete is idempotent.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K207, &K208, &K209, &K83, &K103, &K210, &K211, &K213],
                text: " The relay's own crash before the mark made it publish the row again ({count events-published publish|publishes}), but only {count events-delivered delivery|deliveries} reached the consumer.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K207, &K64, &K65, &K66, &K67],
                text: "Not done yet: {count outbox-unpublished outbox row is|outbox rows are} not marked published (the relay publishes it when it next polls). {holds user:1}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K207, &K64, &K65, &K68, &K67],
                text: "Not done yet: {count outbox-unpublished outbox row is|outbox rows are} not marked published (the bus is down: the relay polls again after each timeout and publishes it once the bus is back). {holds user:1}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K207, &K64, &K65, &K69],
                text: "Not done yet: {count outbox-unpublished outbox row is|outbox rows are} not marked published (the relay cannot reach the database: it polls again after each timeout and publishes the row once the database answers). {holds user:1}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K207, &K64, &K70],
                text: "Not done yet: {count outbox-unpublished outbox row is|outbox rows are} not marked published (the relay is down; the row waits in the outbox until it restarts). {holds user:1}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K217, &K218, &K83, &K186, &K72],
                text: "{done} {holds user:1}: the service committed and died before publishing, so no event exists anywhere, and nothing will ever invalidate the key before its TTL (60 s, long after this run).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K217, &K218, &K83, &K186, &K87],
                text: "{done} {holds user:1}: the service committed and died before publishing, so no event exists anywhere.{evicted user:1} No cached copy is stale now, but a copy of the old row cached before the commit would never be invalidated before its TTL ({ttl_ms} ms).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K217, &K218, &K83, &K186, &K219],
                text: " The writer was never told its write succeeded, yet it did{reset writer}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K217, &K218, &K83, &K186],
                text: " Try the outbox.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K215, &K217, &K221],
                text: "{other-path user:1}",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Misses read a read replica that applies the primary's changes 20 ms late. The writer commits v2 on the primary and deletes the key; the next miss reads the replica, which still has v1, and puts v1 back in the cache. The replica catches up a moment later, but nothing deletes the key again.",
        flow: &[
            "writer: commit v2 on the primary → delete the key",
            "primary → replica: lsn 2 (v2), 20 ms of lag",
            "reader: get (miss) → select on the replica: v1 → set v1",
        ],
        pros: &["Replicas take the read load off the primary."],
        cons: &[
            "A read of a replica may return a version the primary has replaced: whatever is filled from it is stale, after the delete.",
        ],
        notes: &[],
        fixes: &[
            (
                "The writer's delete carries the committed version; the cache keeps a tombstone (key, version) for 500 ms and refuses a set older than it.",
                "Memory for tombstones, and every value carries a version. The tombstone must outlive the replica's lag: if it expires first, the old row is stored.",
            ),
            (
                "A miss gets a lease token; a delete invalidates it; a set must carry a valid token. From \"Scaling Memcache at Facebook\" (NSDI 2013).",
                "Here it costs and does not help: the miss comes after the delete, so its lease is valid. Leases stop sets that began before a delete, not reads of a stale copy.",
            ),
            (
                "Misses read the primary, which has every commit; the replica serves other reads.",
                "All miss traffic lands on the primary (db-reads against replica-reads). A read of the primary that straddles a write is still the stale-set race.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K72, &K222, &K223, &K224],
                text: "The cache holds {cache user:1} while the primary has {db user:1}: a miss read the replica before it had applied the change, and the old row went into the cache with nothing to delete it after. Deleting on write cannot help when the refill comes from a copy that is behind. The replica has {replica user:1} now; the cache keeps {cache user:1} until its TTL ends it at {expires user:1} ms, long after this run. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K222, &K223, &K225],
                text: "The cache holds {cache user:1} while the primary has {db user:1}: a miss read the replica before it had applied the change, and the old row went into the cache with nothing to delete it after. Deleting on write cannot help when the refill comes from a copy that is behind. The replica is down, with {replica user:1} of user:1 on its disk; the cache keeps {cache user:1} until its TTL ends it at {expires user:1} ms, long after this run. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K222, &K73],
                text: "Leases did not help: the set carried a lease that no delete had invalidated, so the cache took {cache user:1} while the primary has {db user:1}. A lease stops a set whose read began before a delete; it cannot tell that a read which began after it went to a replica that had not applied the change. Leases stop sets that began before a delete, not reads of a stale copy.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K226],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K226, &K227, &K33, &K28],
                text: " Reading the primary does not close the stale-set race: a read that straddles a write can still set the old row after the delete. Leases or versioned sets close it.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87],
                text: "{holds user:1}: consistent.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K75, &K88],
                text: " The delete left a tombstone with the committed version, and the cache refused an older row. The tombstone must outlive the replica's lag: a refill that arrives after it expires is stored.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K227],
                text: " Misses read the primary, which has every commit: {count db-reads read of the primary|reads of the primary} and {count replica-reads replica read|replica reads}. The cost: all miss traffic lands on the primary, which the replica was there to take. A read of the primary that straddles a write is still the stale-set race.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The writer's transaction updates the row to v2 and a hook inside the transaction deletes the key before COMMIT. A reader misses in that gap, reads the committed v1 (v2 is not visible yet) and caches it. Then COMMIT makes v2 visible, with v1 in the cache and nothing left to delete it.",
        flow: &[
            "writer: BEGIN; UPDATE user:1 (v2, invisible)",
            "hook inside the transaction: delete the key",
            "reader: miss → select: the committed v1 → set v1",
            "writer: COMMIT (v2 visible, v1 cached)",
        ],
        pros: &["A hook on save keeps the invalidation next to the write."],
        cons: &[
            "A hook inside the transaction deletes before the change is visible: a reader can refill the old row before COMMIT.",
        ],
        notes: &[],
        fixes: &[
            (
                "The delete runs after COMMIT (Rails' after_commit), when every reader can see the new row.",
                "A crash between COMMIT and the delete leaves the old row cached until its TTL; a read that straddles the commit is still the stale-set race.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K228],
                text: "The cache holds {cache user:1} while the database has {db user:1}: the delete ran inside the transaction, a reader missed before COMMIT and cached the committed row, which was still the old one. Nothing deletes the key after COMMIT; the TTL ends it at {expires user:1} ms, long after this run. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33, &K229],
                text: "The cache holds {cache user:1} while the database has {db user:1}: a read that straddled the commit set the old row after the delete. That is the stale-set race, which an after-commit hook does not close; leases or versioned sets do.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K34],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87],
                text: "{holds user:1}: consistent.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K229, &K24],
                text: " The delete ran after COMMIT, so a miss that followed it could only read the committed row. A read that straddles the commit is still the stale-set race, which needs leases or versioned sets.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A write-through runs in a transaction: it updates the row to v2, sets v2 in the cache, then the transaction rolls back. The database never had v2, but the cache serves it to every reader.",
        flow: &[
            "writer: BEGIN; UPDATE user:1 (v2, uncommitted)",
            "set user:1 = v2 in the cache, inside the transaction",
            "COMMIT fails a deferred constraint: ROLLBACK",
            "reader: hit v2, which never committed",
        ],
        pros: &["Write-through keeps reads hitting after a write."],
        cons: &[
            "A cache is not part of the database's transaction: a rollback does not undo a cache write.",
        ],
        notes: &[],
        fixes: &[
            (
                "The cache writes a transaction makes are held until its COMMIT succeeds and dropped if it rolls back (Spring's TransactionAwareCacheDecorator).",
                "The cache learns the new value only after COMMIT, and a crash between COMMIT and the held write loses the write (the TTL then bounds the staleness).",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K72, &K230, &K231, &K232, &K2],
                text: "The cache holds {cache user:1}, a version the database never committed: it has {db user:1}. The set was sent inside the transaction, and the rollback could not take it back. Readers get {cache user:1} until the TTL ends it at {expires user:1} ms.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K230, &K231, &K233, &K234, &K2],
                text: "The cache holds {cache user:1}, a version the database has not committed: it has {db user:1}. The set was sent inside the transaction, which is still open: the crashed service's connection close is on its way to the database, which rolls the transaction back when it arrives, and a rollback cannot take the set back. Readers get {cache user:1} until the TTL ends it at {expires user:1} ms.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K230, &K231, &K233, &K235, &K2],
                text: "The cache holds {cache user:1}, a version the database has not committed: it has {db user:1}. The set was sent inside the transaction, which is still open, and nothing in this run ends it: no COMMIT or ROLLBACK reaches the database, and it has not seen the connection close (only TCP keepalive, or a server timeout such as Postgres's idle_in_transaction_session_timeout, off by default, ends a session whose client vanished). Readers get {cache user:1} until the TTL ends it at {expires user:1} ms.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K237],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K2],
                text: "{holds user:1}: consistent.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K108],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K238, &K231, &K232, &K2, &K239],
                text: " The transaction-aware cache held the set until COMMIT; the transaction rolled back, so the set was dropped and the cache never saw a version that did not commit.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K238, &K231, &K232, &K2, &K240],
                text: " The transaction-aware cache writes only after COMMIT, and the write did not commit in this run, so no set reached the cache: it never saw a version that did not commit. The service never heard its transaction roll back (the steps above tell why), so this run does not show the fix dropping a held set.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K238, &K231, &K233],
                text: " The transaction-aware cache writes only after COMMIT, and the transaction has not committed: it is still open, so the cache never saw a version that did not commit.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A reader looks up user:2, which does not exist, and the service caches absent so that repeated misses do not reach the database. The writer then creates user:2, and the insert path deletes nothing: a new row, it assumes, cannot be cached. The reader looks again and is told user:2 does not exist.",
        flow: &[
            "reader: get user:2 (miss) → select: no row → set absent (its own TTL)",
            "writer: insert user:2 (v1), no delete",
            "reader: get user:2 → hit absent",
        ],
        pros: &["Lookups of rows that do not exist stop reaching the database."],
        cons: &[
            "A cached \"not found\" is a value like any other: whatever creates the row must invalidate it, or readers are told it does not exist until its TTL.",
        ],
        notes: &[],
        fixes: &[
            (
                "The insert deletes the key after its commit, as an update does, so a cached \"not found\" goes.",
                "One more delete per insert. A read that began before the insert can still set absent after the delete: the stale-set race, which leases or versioned sets close.",
            ),
            (
                "A cached absent lives 50 ms instead of 5 minutes.",
                "More lookups of missing rows reach the database, and until the entry expires readers are still told the row does not exist: bounded staleness, not consistency.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K202, &K241],
                text: "The cache holds {cache user:2} for user:2 while the database has {db user:2}: the service cached the \"not found\", and the insert deleted nothing. Readers are told user:2 does not exist until the negative entry's TTL ends it at {expires user:2} ms, long after this run. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K202, &K242, &K243],
                text: "The cache holds {cache user:2} for user:2 while the database has {db user:2}: a read that found no row set absent after the insert's delete. That is the stale-set race, which invalidating on insert does not close; leases or versioned sets do.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K202, &K242, &K244],
                text: "{other-path user:2}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245],
                text: "{holds user:2}: consistent.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245, &K246],
                text: " A crash of the cache wiped its negative entry for user:2 (a cached \"not found\" lives only in its memory).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245, &K247, &K60],
                text: " The negative entry expired after 50 ms, but before that {count stale-reads read was|reads were} told user:2 does not exist after it had been inserted: a short TTL bounds the staleness, it does not prevent it.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245, &K242, &K249, &K89, &K123, &K251],
                text: " The insert deleted the key, so the next read missed and loaded the new row.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245, &K242, &K249, &K253],
                text: " The insert deleted the key.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245, &K242, &K248],
                text: " The insert's delete never reached the cache, so the fix did nothing in this run.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K245, &K242],
                text: " A read that straddles the insert can still set absent after the delete: the stale-set race.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "The service only commits; an invalidator tails the primary's commit log and deletes each changed key, in commit order. The service crashes right after its commit, where dual-write-crash lost its event, and the invalidator crashes with the change on its way: after its restart it reads the log again from its position, and the key is deleted all the same.",
        flow: &[
            "reader: miss → select v1 → set v1",
            "writer: commit v2 on the primary (the service crashes)",
            "primary's commit log → invalidator: lsn 2 (user:1)",
            "invalidator: delete user:1, then record lsn 2 as its position",
            "reader: miss → select v2 → set v2",
        ],
        pros: &[
            "Every commit invalidates, whichever code path made it: the log is the single source.",
            "A crash of the service or of the invalidator loses no invalidation.",
        ],
        cons: &[
            "The delete comes a little after the commit (the log's delay), and the stale-set race remains: pair it with leases or versioned sets.",
        ],
        notes: &[],
        fixes: &[],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K72, &K33],
                text: "The cache holds {cache user:1} while the database has {db user:1}: a read that missed before the commit set its row after the invalidator's delete. That is the stale-set race, which change data capture does not close: CDC fixes the dual write, not the stale-set race. Facebook pairs McSqueal with leases; versioned sets close it too.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K72, &K34],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87],
                text: "{holds user:1}: consistent.{evicted user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K83],
                text: " The service crashed right after its commit, where dual-write-crash lost its event; here nothing depended on it: the change was in the commit log.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K83, &K219, &K108],
                text: " The writer was never told its write succeeded, yet it did{reset writer}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K254, &K56],
                text: " The invalidator crashed too, with the change on its way; after its restart it read the log again from its position on disk and deleted the key: it misses no change.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87, &K254, &K57],
                text: " The invalidator crashed too, with the change on its way; after its restart it read the log again from its position on disk and sent the key's delete: it misses no change.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K87],
                text: " Change data capture fixes the dual write, not the stale-set race: a read that misses before a commit and sets its row after the delete still leaves the old row. Facebook pairs McSqueal with leases.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Two regions, as Facebook's memcache runs them (NSDI 2013, §5). The writer is in the region without the primary: its service commits v2 on the primary across regions and deletes the key in its region's cache, then the writer reads the key back. The miss reads the region's replica, which has not applied v2 yet, and the writer is told v1: it does not read its own write.",
        flow: &[
            "writer → service-2: commit v2 on the primary (across regions), delete user:1 in cache-2",
            "writer → service-2: read user:1: miss → the replica (still v1) → set v1 → v1",
            "primary → replica (lag + cross-region) → invalidator: delete user:1 in cache-2",
        ],
        pros: &[
            "Each region reads its own replica and cache: reads stay local and fast.",
        ],
        cons: &[
            "A writer far from the primary can read its own write back from a replica that has not applied it.",
        ],
        notes: &[],
        fixes: &[
            (
                "Before the write, service-2 sets a marker for the key in cache-2 and waits; a miss that finds it reads the primary across regions; the invalidator clears it once the write has replicated. From \"Scaling Memcache at Facebook\" (NSDI 2013, §5).",
                "Reads of a marked key cross regions (30 ms each way here), and every write pays one more cache round trip first.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K255],
                text: "{broken read-your-writes}. The writer's miss read the replica in its region, which had not yet applied the write: replication from the master region takes the lag plus the cross-region hop.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K255, &K56],
                text: " A later delete removed the stale copy, but read-your-writes is a property of what the writer saw, and it stays broken.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K255, &K256],
                text: " Try the fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K257, &K258],
                text: "The writer read {answer writer} after its write: read-your-writes holds.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K257, &K259],
                text: "The writer got no value back from a read, so it never read an older version than it wrote: read-your-writes holds.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K257, &K260, &K38],
                text: " Its miss found the remote marker and read the primary across regions ({count db-reads read|reads} of the primary): the cost is cross-region latency on those reads.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K260, &K261, &K262, &K38],
                text: " The invalidator cleared the marker when the write replicated.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K260, &K263],
                text: " The marker is still set: nothing has cleared it, so a miss on the key in this region still reads the primary.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103],
                text: " Every cached copy matches the primary at the end.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18],
                text: " But the cache does not match the primary ({broken cache-matches-db}).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K222, &K33, &K28],
                text: " The replica's old row went into cache-2 after a delete that followed the commit, so nothing removed it: a refill from a lagging replica, the race replica-lag-refill teaches.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "Two instances of the service share one cache node, and each keeps an in-process near cache in front of it (Caffeine in front of Redis). The reader's instance, service-2, keeps v1 from its first read. The writer's instance commits v2 and deletes the key in the shared cache, which is now right; but nothing tells service-2, and the reader's next read is answered from its near copy: v1.",
        flow: &[
            "a read looks in the instance's near cache first, then the shared cache, then the database",
            "what a read gets is kept in the instance's near cache",
            "a write commits, deletes the key in the shared cache and drops the writer's own near copy",
            "another instance's near copy lives out its TTL, unless the cache node tells it",
        ],
        pros: &[
            "A near hit costs no network hop: hot keys are served from the instance's memory.",
            "The shared cache and the database see far less traffic for hot keys.",
        ],
        cons: &[
            "Every instance holds its own copy: a write through one instance leaves the others stale.",
            "Without invalidation messages, staleness is bounded only by the near cache's TTL.",
            "More copies to keep right: the invariant checks each of them.",
        ],
        notes: &[],
        fixes: &[
            (
                "The cache node remembers which instance read each key and, when the key is deleted, set or expires, pushes an invalidation message to those instances, which drop their near copies (Redis 6's server-assisted client-side caching, CLIENT TRACKING, with NOLOOP so a writer is not told of its own write).",
                "The cache node keeps a table of readers per key (Redis bounds it with tracking-table-max-keys and, when full, invalidates keys to make room), and each change costs one push per instance that read the key. Between the delete and the push arriving the instance still serves its old copy, and an instance whose connection drops must flush its whole near cache, since it may have missed pushes.",
            ),
            (
                "Near copies live 50 ms instead of 10 s, so a copy made before the write has expired by the reader's next read.",
                "Bounded staleness, not consistency: a read within 50 ms of the write can still get the old value. And near hits become rare: most reads go to the shared cache again.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K18, &K164, &K32],
                text: "{holds user:1}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K164, &K32, &K28],
                text: " The shared cache was invalidated, but service-2's near copy lives in its own memory and nothing told it: the reader got {answer reader}. It stays stale until its TTL, 10 s after it was kept. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K164, &K32, &K27, &K29, &K31],
                text: " The writer's delete never reached the shared cache, which crashed and is still down; and nothing told service-2, whose near copy lives in its own memory: the reader got {answer reader}. It stays stale until its TTL, 10 s after it was kept. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K164, &K32, &K27, &K29, &K30],
                text: " The writer's delete never reached the shared cache, which crashed in this run and has restarted since; and nothing told service-2, whose near copy lives in its own memory: the reader got {answer reader}. It stays stale until its TTL, 10 s after it was kept. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K164, &K32, &K27, &K1],
                text: " The writer's delete never reached the shared cache, and nothing told service-2, whose near copy lives in its own memory: the reader got {answer reader}. It stays stale until its TTL, 10 s after it was kept. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K265],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K33],
                text: " Here the reader's load straddled the write: it read v1 before the commit and set it in the shared cache after the delete, the stale-set race. Tracking and a short near TTL deal with near copies; they do not stop a late set into the shared cache (leases or versioned sets do).",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23],
                text: "{holds user:1}, and the {answered reader}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K266, &K267, &K1, &K269, &K270],
                text: " The cache node pushed an invalidation to service-2 when the writer's delete reached it, so service-2 dropped its near copy and a later read went to the shared cache and the database. The push is a message like any other: a read in the window before it arrives still gets the old copy.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K266, &K271, &K267],
                text: " service-2 crashed in this run, and its near cache with it: a restarted instance starts with an empty near cache, so a later read goes to the shared cache and the database. {near-dropped service-2}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K266, &K29, &K267, &K30],
                text: " The cache node crashed in this run, and its tracking table with it. An instance that tracks its reads there flushes its whole near cache when it sees its connection to the node close, since it may have missed invalidations (as Redis's client-side caching clients do, redis/redis#13082), and the restarted node pushes invalidations again for the reads it tracks after its restart. {near-dropped service-2}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K266, &K29, &K267, &K31],
                text: " The cache node crashed in this run, and its tracking table with it. An instance that tracks its reads there flushes its whole near cache when it sees its connection to the node close, since it may have missed invalidations (as Redis's client-side caching clients do, redis/redis#13082). The node is still down at the end, and a down node tracks no read and pushes no invalidation. {near-dropped service-2}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K266, &K268],
                text: " Memory pressure also evicted a copy of user:1 in this run ({count evictions eviction|evictions}). With client tracking the cache node pushes an invalidation when it evicts a key, as when a delete reaches it, and an evicted near copy needs no push: the steps above tell which of them dropped service-2's near copy, the eviction or the writer's delete.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K23, &K272, &K267],
                text: " service-2's near copy expired 50 ms after it was kept, so a later read went to the shared cache and the database: staleness bounded by 50 ms, not prevented. A read at service-2 after the write committed and before that copy expired would still have been stale: a near copy kept just before a write stays stale for up to its whole 50 ms.",
            },
        ],
    },
    crate::sim::scenarios::Words {
        summary: "A CDN edge serves user:1 with Cache-Control: s-maxage=60. A write passes through the edge and commits; when the origin answers that it succeeded, the edge purges user:1. But the origin's own cache is invalidated from the commit log, 50 ms after the commit: the purge arrived first. The reader's next read misses at the edge, the origin answers v1 from its still-stale cache, and the edge stores that v1 for 60 s. The purge did not help.",
        flow: &[
            "reader → edge: miss → origin: cache hit v1 → edge stores v1 (s-maxage=60)",
            "writer → edge → origin: commit v2, answer at once",
            "edge: purge user:1 on the origin's answer (the origin's cache still holds v1)",
            "reader → edge: miss → origin: cache hit v1 → edge stores v1 again, for 60 s",
            "commit log → invalidator: delete user:1 from the origin's cache (too late for the edge)",
        ],
        pros: &[
            "The edge answers most reads itself: the origin sees one request per key per s-maxage.",
            "A purge by key on every successful write removes the edge's copy at once, without waiting out s-maxage.",
        ],
        cons: &[
            "A purge only helps if the origin is already fresh: a purge that arrives before the origin's own cache is invalidated is undone by the next miss.",
            "The stale response the edge stores then lives for its full s-maxage (60 s here), far longer than the origin's window.",
            "Every cached layer counts: the invariant checks the edge's copy like the cache node's.",
        ],
        notes: &[
            "Real CDNs purge by URL or by surrogate key (Fastly's Surrogate-Key, Cloudflare's cache tags, Akamai's cache tags) through an API call, a message like any other: it can arrive before the origin is fresh. Fastly's and Akamai's docs recommend purging only after the origin's data is updated; a purge does not make the origin fresh.",
            "Here the purge rides on the write's answer through the edge; an application that calls the purge API right after its commit has the same race when its own cache is invalidated asynchronously (change data capture, an event bus).",
            "A purge removes what the edge has stored; it does not reach a response still in flight from the origin. That is why the ordering fix is not a guarantee either, and why some teams purge twice.",
        ],
        fixes: &[
            (
                "The service deletes user:1 from its own cache after the commit, and answers the write only once the delete is confirmed. The edge purges on that answer, so by the time the edge is purged the origin is fresh: a read that misses at the edge then loads v2. The order is the fix: origin first, then the edge (Fastly's advice: purge after the origin's data is updated).",
                "The write waits for one more round trip (the cache delete) before it is acknowledged, and the service must remember to invalidate: a crash between the commit and the delete leaves both the origin's cache and the edge unpurged (the dual write again). And it closes this story's window, not every one: a read that got v1 at the origin just before the delete can reach the edge after the purge, a response in flight that no purge reaches.",
            ),
            (
                "The edge purges user:1 again 100 ms after the first purge, longer than the origin's invalidation takes here (50 ms): a stale response the edge stored in between (from the not-yet-invalidated origin) is dropped, and the next miss loads v2.",
                "A heuristic, like a delayed double delete: reads between the two purges still get v1, and if the origin's invalidation takes longer than the delay (a slow log, a lagging consumer), a stale response stored after the second purge lives its full s-maxage. Every write costs two purges and two origin refills.",
            ),
        ],
        endings: &[
            crate::sim::scenarios::data::E {
                when: &[&K18, &K164, &K32, &K273, &K15, &K275],
                text: "{holds user:1}. The edge purged user:1 when the write's answer passed it, yet a v1 response from the origin reached it after that purge, and the edge stored it for its full s-maxage: the origin's own cache held v1 until the invalidator's delete, which comes through the commit log 50 ms after the commit. A purge helps only once the origin is fresh. The reader got {answer reader}. Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K32, &K273, &K15, &K276, &K274],
                text: "{holds user:1}. The edge purged user:1 when the write's answer passed it, yet an older response reached it after that purge, and the edge stored it for its full s-maxage. That response left the origin before the commit: the origin was right when it answered. It is the stale-set race, at the edge: a purge cannot stop a response already on its way; a second, delayed purge can. The reader got {answer reader}.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K32, &K273, &K15, &K276, &K274, &K164],
                text: " Try a fix.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K32, &K273, &K15, &K276, &K274, &K277],
                text: " Invalidating the origin first cannot close it: this response left the origin before the commit, so it was not stale there.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K18, &K281],
                text: "{other-path user:1}",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K277, &K282],
                text: "{holds user:1}, and the {answered reader}. The service deleted user:1 from its cache before it answered the write, so when the edge purged on that answer the origin was already fresh, and a miss at the edge after the purge loads v2. The cost is a longer write, and the dual write again: a crash between the commit and the delete would leave the origin's cache and the edge unpurged, until the commit log's delete fixes only the origin.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K283, &K284],
                text: "{holds user:1}, and the {answered reader}. The second purge, 100 ms after the first, is there to drop whatever the edge stored in between, a stale v1 from the not-yet-invalidated origin included. Like a delayed double delete, it narrows the race without closing it: a read between the two purges can still get v1, and an origin slower to invalidate than the delay would leave a stale response at the edge for its full s-maxage.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K285, &K289],
                text: "{holds user:1}, and the {answered reader}. The fix's purge did not happen in this run (the edge purges when a write's success answer passes it, and the double purge 100 ms later), so this run does not show the fix at work: the steps above tell what happened instead.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K164, &K98, &K273, &K9],
                text: "{holds user:1}: consistent: in this order no stale response is left at the edge.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K164, &K98, &K291],
                text: "{holds user:1}: consistent: no stale response is left at the edge.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K164, &K98, &K291, &K292],
                text: " The CDN edge crashed in this run: a crashed edge stores nothing, and every response on its way to it is lost, a stale one as any other; a restarted edge starts empty.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K164, &K98, &K291, &K83],
                text: " The origin crashed in this run: each request it was still working on then failed (a 502 from the edge), and an edge stores no error.",
            },
            crate::sim::scenarios::data::E {
                when: &[&K103, &K164, &K97],
                text: "{holds user:1}: consistent at the end, but a stale copy of user:1 was cached in this run, and an eviction (memory or storage pressure) dropped it. Try a fix.",
            },
        ],
    },
];
/// The scenarios' stories, apart: only a scenario file written out reads them.
pub static STORIES: &[&[&str]] = &[
    &[
        "The service owns the cache logic; the cache is a side table it consults. A reader asks for `user:1`. The cache does not have it (a miss), so the service selects the row from the database and sets it in the cache before answering. The reader asks again: this time the cache answers (a hit) and the database is not touched.",
        "Outcome: `cache-matches-db` holds, the cache holds `v1`, one database read and one cache hit.",
    ],
    &[
        "A reader fills the cache with `v1`. A writer then updates the row: the service commits `v2` to the database first and only then deletes the cached key. Deleting (rather than setting the new value) means a write never puts a value in the cache; only reads do, from the database. The reader reads again: a miss, and the refill brings `v2`.",
        "Outcome: `cache-matches-db` holds and the cache ends holding `v2`. Between the commit and the delete there is a short window where the cache is stale: watch the invariant flicker.",
    ],
    &[
        "Every write goes through to both stores before it is acknowledged: the service commits the row, then sets the new value in the cache, and only then answers. The cache is never behind the database for long, so reads always hit (the cache starts warm). The price is on the write path: the writer waits for the database and the cache, one after the other.",
        "Outcome: `cache-matches-db` holds; no database read at all.",
    ],
    &[
        "Writes are acknowledged as soon as the cache has them. The cache queues each write and a flusher writes the queue to the database later: 100 ms after the first write, in batches of at most 2 keys, and one database write per key however many writes the key had (coalescing). Until the flush, the latest acknowledged write is only in the cache; a read gets it from there, so it is not stale.",
        "Outcome: ok after the flush; `db-writes` (3) is less than the writes the clients made (4).",
    ],
    &[
        "A reader fills the cache with `v1`, with a TTL of 200 ms. Then a batch job updates the row straight in the database: no service, no delete, no event. The cache has no way to know. A read inside the TTL window hits the stale `v1`. When the TTL runs out the cache drops the key, and the next read misses and loads `v2`.",
        "Outcome: ok at the end; `stale-reads` = 1 (the counter keeps its count).",
    ],
    &[
        "The service no longer deletes the key itself. It commits the write and publishes a change event; a separate consumer, subscribed to the bus, deletes the key. The writer's request is done sooner and any number of caches can subscribe, but the cache now learns of a change only as fast as the event travels. Here the bus is Redis Pub/Sub (at-most-once), every node stays up, and the event arrives: the reader's second read misses and loads `v2`.",
        "Outcome: `cache-matches-db` and `no-lost-event` hold.",
    ],
    &[
        "Cache-aside reads, event-driven invalidation on writes, and a TTL as the safety net. A reader fills `user:1` and `user:2`. A write to `user:1` goes through the service: it publishes an event and the consumer deletes the key. A batch job updates `user:2` straight in the database: no event, so the cache keeps the stale `v1`, and a read gets it. The TTL (300 ms) ends it: the key expires and the next read loads `v2`.",
        "Outcome: ok. Events make invalidation fast; the TTL catches what events miss.",
    ],
    &[
        "The service never talks to the bus. It writes the row and an outbox row describing the change in one database transaction (Debezium's outbox columns: `id`, `aggregatetype`, `aggregateid`, `type`, `payload`), so the change and its event commit together or not at all. A relay polls the outbox, publishes each unpublished row to the bus (a durable log, like Kafka), and only then marks it published. The consumer deletes the key; the next read loads `v2`. (Debezium itself reads the outbox by change data capture, from the database's log, instead of polling.)",
        "Outcome: `cache-matches-db` and `no-lost-event` hold; every outbox row ends published.",
    ],
    &[
        "The reader's and the writer's requests both start at time 0. The reader misses and selects `v1` from the database, but the row's journey back is slow (a pause, a busy link). Meanwhile the writer commits `v2` and deletes the key, which was not even cached yet. Then the reader's set arrives and puts `v1` back. The delete happened *before* the stale set, so it could not help: the cache holds `v1` while the database has `v2`, until the TTL ends it, long after this run.",
        "Fixes:",
        "- `versioned-set`: the delete carries `v2`; the cache keeps a tombstone (key, `v2`) for longer than any read takes and refuses the set of `v1`. If the tombstone expired first, the race would return.",
        "- `lease`: memcache leases. The miss handed the reader a lease token; the delete invalidated it, so the set carrying it is refused.",
        "- `delayed-double-delete`: the writer deletes again a while later, removing the stale value. It works here; but it is a heuristic: a reader slower than the delay still wins.",
    ],
    &[
        "The cache holds `v1`. The writer deletes the key first and then updates the database, and the update is slow to commit. A reader misses in between, reads `v1` (not yet replaced) and fills the cache with it. Then `v2` commits: the cache holds `v1` while the database has `v2`, and no delete is coming.",
        "Fix `update-then-delete`: update the database, then delete (the cache-aside write flow). It works in this script; but a read that straddles the write can still put the old value back: that race is `stale-set-race`.",
    ],
    &[
        "Two writers update `user:1` at nearly the same time. Each commits to the database (`v2`, then `v3`) and then sets the cache with its own value. The first writer's set is slow on its way, so the sets arrive `v3` then `v2`: the last set wins and the cache holds `v2` while the database has `v3`. The entries carry no TTL, so nothing will ever mend it.",
        "Fix `versioned-write`: the cache refuses a set older than the version it holds.",
    ],
    &[
        "The writer makes two writes to `user:1`; the cache acknowledges both (`v2`, `v3`) and queues them. Before the flusher runs, the cache node crashes: its memory, and the queue with it, is gone. It restarts empty. The writer was told `v3` succeeded, yet the database still has `v1`: `no-lost-write` is violated, and the next reader loads `v1`.",
        "Fix `durable-queue`: each write is appended to a log on disk before the ack; after the restart the cache replays the log and the flusher writes `v3`.",
    ],
    &[
        "Twenty keys were filled together (a deploy warmed the cache) with one TTL: they all expire at 1,000 ms. Four readers read them steadily, each key every 100 ms. Right after 1,000 ms every read misses at once: the database sees all twenty reads within 100 ms (`db-reads-peak` = 20).",
        "Fix `jitter`: every fill gets its TTL plus a random 0-300 ms (drawn from the run's seeded generator), so the expiries, and the misses, spread over 300 ms and the peak falls. It is probabilistic: an unlucky draw can still bunch expiries.",
    ],
    &[
        "A hot key is cached (that fill is not counted) and expires at 100 ms. Five readers read it just before (hits) and again just after: every one of those misses, and all five load it from the database at once (`db-reads` = 5). Loading takes 20 ms, so they all overlap. At scale this is the thundering herd that knocks a database over.",
        "Fixes, each bringing `db-reads` to 1:",
        "- `mutex`: the first reader takes a per-key lock in the cache (with an expiry longer than a load, so a crashed holder frees it) and loads; the others wait and retry, and find the key filled.",
        "- `single-flight`: concurrent misses in the one service instance share one load.",
        "- `lease`: memcache leases: one lease per key, the others are told to wait (the NSDI 2013 paper reports peak database query rate falling from 17K/s to 1.3K/s).",
        "- `early-expiration`: XFetch. A reader that hits shortly before the expiry may recompute early, in the background, with a probability that grows as the expiry nears; nobody waits. In this seed exactly one recompute happens; it is probabilistic, and some seeds recompute twice.",
    ],
    &[
        "Event-driven invalidation is only as fast as its slowest hop. Here the consumer lags (a busy partition, a slow network): the event for `v2` takes 200 ms to reach it. A read in that window hits the old `v1`: a stale read, and `cache-matches-db` is violated while the event is in flight. Once the event is delivered the key is deleted, the next read loads `v2`, and all is well again.",
        "Outcome: violated while the event is in flight, ok at the end; `stale-reads` = 1.",
    ],
    &[
        "The bus is Redis Pub/Sub: at-most-once. A message is pushed to the subscribers connected at that moment and kept nowhere. The consumer crashes (a deploy, an OOM kill) just before a write; the write's event is published while it is down, and is gone. When the consumer comes back there is nothing to catch up on: the cache keeps `v1` while the database has `v2`, until the TTL, long after this run.",
        "Fix `durable-bus`: a persistent log with consumer offsets (Kafka). The event waits in the log; after its restart the consumer resumes from its committed offset, deletes the key, and commits. At-least-once: it may see an event twice.",
    ],
    &[
        "Here the consumer writes the event's value into the cache (an update, not a delete). The bus is at-least-once with acks, like SQS or RabbitMQ: an event whose ack does not come back within the timeout is delivered again. The writer commits `v2` and `v3`; the consumer applies e2 (`v2`), then e3 (`v3`). The ack of e2 is lost on the network, so the bus redelivers e2, after e3: the consumer sets `v2` again and the cache ends at `v2` while the database has `v3`.",
        "Fixes: `versioned-events` (the consumer ignores an event older than the version it applied) and `idempotent-consumer` (it remembers processed event ids, so the redelivered e2 does nothing). Dedup covers redelivery only; versioning also covers reordering. A plain delete would have been harmless: deletes are idempotent, as the memcache paper notes.",
    ],
    &[
        "The bus is a durable, ordered log with a single partition. Three writes commit `v2` of `user:1`, `user:2` and `user:3`. The consumer fails on the event of `user:1` every time (its payload does not parse). The log is ordered, so the events behind it wait: head-of-line blocking. With no limit the bus retries until the horizon, and `user:2` and `user:3` stay stale in the cache (no TTL before the horizon).",
        "Fix `retry-dlq`: at most 3 retries with exponential backoff, then the event goes to the dead-letter queue for an operator to inspect and replay; the events behind it are applied. `user:1` itself is not cached, so the cache matches the database.",
    ],
    &[
        "The service makes two writes that nothing ties together: it commits the row, then publishes the change event. It crashes in between (the commit's answer is on its way when the process dies). The database has `v2`, but no event was ever published, so the consumer never deletes the key and the cache keeps `v1`. Even a durable bus cannot help: the event never reached it.",
        "Fix `outbox`: the event is an outbox row in the same transaction. The service may die after the commit; the relay publishes the row anyway. The script then crashes the relay after it published and before it marked the row, so after its restart it publishes the row again: the consumer deletes the key twice, which is harmless (a delete is idempotent).",
    ],
    &[
        "`user:1` is cached at `v1`. The service sends its misses to a read replica, as many frameworks do to spare the primary. The replica applies the primary's commit log 20 ms behind it: replication is asynchronous (MySQL's and Postgres's default), so the primary acknowledges a commit before any replica has it.",
        "The writer commits `v2` on the primary and deletes the key: the correct cache-aside write. The reader then misses, reads the replica, which has not applied `v2` yet, and sets `v1`. The replica applies `v2` a few ms later; the cache keeps `v1` until its TTL.",
        "Fixes:",
        "- `versioned-set`: the delete leaves a tombstone for `v2` and the cache refuses the older row, as long as the tombstone outlives the lag.",
        "- `lease`: does not help. The miss comes after the delete, so its lease is valid and its set is taken. Leases stop sets that began before a delete, not reads of a stale copy.",
        "- `fill-from-primary`: misses read the primary, which has every commit. The cost: all miss traffic on the primary.",
    ],
    &[
        "`user:1` is cached at `v1`. The writer's update runs in a transaction, and a hook deletes the cached key from inside it: Rails' `after_save` runs before `COMMIT`, and so do many ORMs' save hooks.",
        "Under read committed (Postgres's default; MySQL's REPEATABLE READ hides it too) nobody but the transaction sees `v2` before `COMMIT`. The reader misses right after the delete, reads the committed `v1` and sets it. `COMMIT` comes after the refill: the cache keeps `v1`.",
        "Fix:",
        "- `after-commit-hook`: the delete runs after `COMMIT` (Rails' `after_commit`), so a miss that follows it reads `v2`. A read that straddles the commit is still the stale-set race: leases or versioned sets close that.",
    ],
    &[
        "`user:1` is cached at `v1` and the reader only hits. The writer's write-through runs in a transaction: it updates the row to `v2` and sets `v2` in the cache from inside the transaction. Then its `COMMIT` fails (a deferred constraint, checked at commit) and the database rolls the transaction back.",
        "The database still has `v1`; the cache has `v2`, a version that never committed, and the reader gets it. No delete will come: the write failed.",
        "Fix:",
        "- `transaction-aware-cache`: the cache writes of a transaction wait for its `COMMIT` and are dropped on rollback, as Spring's `TransactionAwareCacheDecorator` does.",
    ],
    &[
        "Negative caching keeps lookups of missing rows off the database: DNS resolvers cache a \"no such name\" (RFC 2308), and Spring's cache stores `null` as a `NullValue`. The cached `absent` has a TTL of its own, here 5 minutes.",
        "The writer inserts `user:2` (`v1`). Its code path deletes the key after an update but not after an insert, so the cached `absent` stays, and the reader is told `user:2` does not exist.",
        "Fixes:",
        "- `invalidate-on-insert`: the insert deletes the key too. A read that began before the insert can still set `absent` after that delete: the stale-set race.",
        "- `short-negative-ttl`: `absent` lives 50 ms. The cache is right again once it expires, but readers were told wrong until then: bounded staleness, not consistency.",
    ],
    &[
        "Change data capture: the `invalidator` reads the primary's commit log from its own position, as Debezium reads MySQL's binlog and as Facebook's McSqueal turns it into memcache deletes. The service does no invalidation at all, so no code path can forget it. A reader has cached `user:1` at `v1`.",
        "The service commits `v2` and crashes before anything else, as in `dual-write-crash`. The commit is in the log, and the log is the invalidator's only input. The invalidator crashes too, with the change on its way; its position is on disk, so after its restart it asks for the log from there and deletes `user:1`.",
        "CDC fixes the dual write, not the stale-set race: a read that misses before a commit and sets after the delete still leaves the old row. Facebook pairs McSqueal with leases.",
    ],
    &[
        "The master region has the primary `db` and `cache` (which does not hold `user:1`). The other region has a `replica` of the primary, its own `cache-2` and `service-2`, and an `invalidator` (McSqueal) that tails the replica's log and deletes changed keys from `cache-2`. A hop between the regions costs 30 ms more.",
        "The writer, served by `service-2`, commits `v2` on the primary and deletes `user:1` in `cache-2`. It then reads `user:1`: `service-2` misses, reads the replica, which has not applied `v2` yet, sets `v1` and returns it. The writer was told its write succeeded and then read an older version. When replication arrives the invalidator deletes the stale copy, so the cache ends right; the read was wrong all the same.",
        "Fix:",
        "- `remote-marker`: before the write, `service-2` sets a marker for the key in `cache-2` and waits for the reply; a miss that finds the marker reads the primary across regions; the invalidator clears the marker when the write has replicated. The cost: cross-region latency on those reads.",
    ],
    &[
        "A load balancer spreads requests over two instances of the service, `service` and `service-2`. They share the cache node `cache`, and each keeps a near cache in its own memory: what its reads got, for 10 s, so a hot key is answered with no network hop at all. The reader is served by `service-2`: its first read misses everywhere, loads `v1` from the database, fills the shared cache and keeps `v1` in its near cache.",
        "The writer is served by `service`. Its write commits `v2` and deletes the key from the shared cache, as cache-aside should, and drops `service`'s own near copy. The shared cache is now right. But `service-2`'s copy is in another process's memory: the delete never reaches it. The reader reads again and `service-2` answers from its near copy: `v1`, a stale read, and it would stay so for the rest of the copy's 10 s.",
        "Outcome: `cache-matches-db` is broken (`service-2`'s near cache holds `v1`, the database `v2`) and `stale-reads` = 1. Every cached copy counts, not only the shared one. The fix: the cache node remembers which instance read which key and pushes an invalidation when it changes (Redis's server-assisted client-side caching, `CLIENT TRACKING`).",
    ],
    &[
        "The reader and the writer reach the service through a CDN edge (`cdn`), as browsers reach an API through Fastly, Cloudflare or CloudFront. The origin sends `Cache-Control: max-age=0, s-maxage=60`: browsers keep nothing, the shared edge keeps each response for 60 s. Behind the origin, the service reads through its cache node (`cache`, warm with `user:1` = `v1`), which is invalidated by change data capture: the `invalidator` tails the primary's commit log and deletes each changed key, 50 ms after the commit.",
        "The reader's first read misses at the edge and gets `v1` from the origin's cache; the edge stores it. The writer's write passes through the edge, the service commits `v2` and answers at once (it leaves invalidation to the commit log), and when that answer passes the edge, the edge purges `user:1`, as a purge by URL or surrogate key does (RFC 9111 §4.4 asks a cache to invalidate after a successful write). The purge is right, and it is early: the origin's cache still holds `v1`, because the change reaches the invalidator only later.",
        "The reader reads again in that window. The edge has nothing, so it asks the origin; the origin answers `v1` from its cache, and the edge stores that stale response for its full `s-maxage`, 60 s. The invalidator's delete fixes the origin's cache a moment later, but nothing purges the edge again: `cache-matches-db` is broken at the edge, not at the origin.",
        "Outcome: the CDN edge keeps `user:1` = `v1` while the database has `v2`, and the reader got `v1`. The fixes: invalidate the origin before purging the edge (the ordering), or purge a second time after a delay longer than the race (a heuristic, like a delayed double delete).",
    ],
];
