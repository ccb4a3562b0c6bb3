//! A scenario's script and endings as data: conditions on the state of a run, the fault
//! a script rule injects, and the text an ending says, with values filled in from the
//! state (`{cache user:1}`, `{metric stale-reads}`), so an ending never claims what the
//! state does not show.
//!
//! This is the one place a scenario reads a world: every condition and every value in
//! an ending is a general question about the state (a metric, an invariant, a cached
//! copy against its row, a message in flight, a node's status), never a per-scenario
//! flag.
use crate::sim::books::{copies, CachedCopy, Happened, Invariant, Metric};
use crate::sim::codec::file::At;
use crate::sim::fault::{Fault, NodeStatus};
use crate::sim::ids::Key;
use crate::sim::scenario::Fixes;
use crate::sim::world::{Event, TimerKind, World};
use serde::{Deserialize, Serialize};

mod names;
mod text;
pub use names::{EndingText, InvariantName, KeyName, MetricName, NodeName, Quantity};
pub use text::{say, unknown_placeholder, PLACEHOLDERS};

/// A condition on the state (and, for endings, on the fixes switched on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Cond {
    /// The fix is switched on (endings only: a script reads the state alone).
    Fix(At<String>),
    /// The fix is off (endings only).
    NoFix(At<String>),
    /// Every invariant holds (all of them, not only the scenario's).
    AllHold,
    /// Some invariant is broken.
    AnyBroken,
    /// The named invariant holds.
    Holds(InvariantName),
    /// The named invariant is broken.
    Broken(InvariantName),
    /// Some cache (a cache node, a near cache, the CDN edge) holds a live copy of the
    /// key that differs from its row.
    Stale(KeyName),
    /// Some cache holds a live copy of the key, and every live copy equals the row.
    Fresh(KeyName),
    /// No cache holds a live copy of the key.
    Uncached(KeyName),
    /// A metric is within bounds.
    Metric(MetricCond),
    /// A message of this kind is in flight (to this node, carrying this version).
    InFlight(MessageCond),
    /// The node is up, and no restart is pending for it.
    Up(NodeName),
    /// The node has crashed at least once in this run.
    HasCrashed(NodeName),
    /// The node has not crashed in this run.
    NeverCrashed(NodeName),
    /// The service has acknowledged this version of the key to a writer.
    Acked(KeyVersion),
    /// The database's row is at most this version.
    DbAtMost(KeyVersion),
    /// The event the rules would take next is due at or after this virtual time.
    NextAtLeastMs(u64),
    /// The condition inside does not hold.
    Not(Box<Cond>),
    /// Every condition inside holds.
    All(Vec<Cond>),
    /// Some condition inside holds.
    Any(Vec<Cond>),
    /// Something happened in the run that an ending may name (the run's books).
    Happened(Fact),
    /// Two quantities compare: `["events-delivered", ">", "events-published"]`.
    Compare(Quantity, Op, Quantity),
    /// The consumer has handled an event for the key's current row.
    EventHandled(KeyName),
    /// The bus is retrying an event.
    Retrying,
    /// The node is up now (a restart may be pending or not).
    NodeUp(NodeName),
    /// The service has acknowledged some version of the key to a writer.
    AckedAny(KeyName),
    /// The database has the newest version acknowledged for the key (or newer).
    DbHasAcked(KeyName),
    /// The client's last answer was a value older than the newest acknowledged for
    /// the key.
    AnsweredStale(ClientKey),
    /// The client has had an answer with a value.
    Answered(NodeName),
    /// No fix is switched on (endings only).
    NoFixes,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientKey {
    pub client: NodeName,
    pub key: KeyName,
}

/// A fact an ending may name, about a key.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub fact: FactKind,
    pub key: KeyName,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactKind {
    /// The cache stored a value older than the database's.
    StaleStored,
    /// The cache refused a set (a lease, a tombstone, a newer version).
    SetRefused,
    /// A delete removed a stale value.
    StaleDeleted,
    /// A TTL dropped a stale entry.
    ExpiredStale,
    /// A TTL dropped a current entry.
    ExpiredCurrent,
    /// An early recompute (XFetch) landed while the entry was live.
    RefreshedInTime,
    /// An early recompute landed after the entry had expired.
    RefreshedLate,
    /// A durable bus logged an event about the key while the consumer was down.
    EventWaited,
    /// A version-aware consumer ignored an event older than what it applied.
    OldEventIgnored,
    /// An idempotent consumer ignored an event it had handled before.
    DuplicateIgnored,
    /// A replica answered a read with a version older than the primary's.
    ReplicaBehind,
    /// The key's latest commit has had no delete of the key reach a cache since.
    Undeleted,
    /// A cache's crash wiped the key's tombstone or lease, with no delete of the key
    /// reaching a cache since.
    GuardWiped,
    /// A cache's crash wiped its negative entry (a cached "not found") of the key.
    NegativeWiped,
    /// The CDN edge's copy is a response that left the origin before the key's latest
    /// commit.
    EdgeRaced,
    /// Memory pressure evicted a cached copy of the key.
    Evicted,
    /// Memory pressure evicted a copy of the key that differed from its row.
    EvictedStale,
    /// The CDN edge purged its copy of the key (a write's success answer passed it).
    EdgePurged,
    /// The CDN edge purged the key a second time (`double-purge`'s delayed purge).
    EdgePurgedAgain,
    /// A service heard its transaction on the key roll back and dropped the cache write
    /// a transaction-aware cache held for after COMMIT.
    HeldDropped,
    /// A write's cache command failed on a connection a cache's crash closed: its step
    /// after the commit (the write was acknowledged without it), or its delete before
    /// the update (review 21, M5: the crash, not the delete, emptied the cache).
    CacheStepFailed,
    /// A set of the key older than its committed version reached a down cache and was
    /// lost.
    StaleSetLost,
    /// A set of the key reached a down cache and was lost while a write of the key was
    /// on its way to the database.
    SetLostInWindow,
    /// A cache's crash wiped a live copy of the key older than its committed version.
    StaleWiped,
    /// The database's latest write of the key came from a write-behind put sent before
    /// the latest crash of a cache, and landed after it.
    PutSurvived,
    /// A write-behind put sent after a cache's latest crash (from its replayed queue)
    /// found the database already had its version, and was skipped.
    ReplaySkipped,
    /// A cache crashed with a write of the key in its write-behind log on disk (the
    /// durable queue), which kept it through the crash.
    LogKept,
    /// A write-behind cache crashed after a writer had been told a write of the key
    /// succeeded.
    AckedAtCrash,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "<")]
    Less,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    More,
    #[serde(rename = "!=")]
    Other,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricCond {
    pub name: MetricName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageCond {
    /// The message's kind as the diagram names it (`db-write-reply`, `ack`, …).
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NodeName>,
    /// The version of the bus event it carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyVersion {
    pub key: KeyName,
    pub version: u32,
}

/// The fault a script rule injects. `drop`, `delay` and `duplicate` act on the message
/// that the rule's `in-flight` condition found.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Then {
    Crash(NodeName),
    Pause(NodeName),
    /// Roll back this client's open transaction.
    Abort(NodeName),
    Drop,
    Delay,
    Duplicate,
    /// Memory pressure: this cache node evicts this key (`{"evict": {"cache": "cache",
    /// "key": "user:1"}}`).
    Evict {
        cache: NodeName,
        key: KeyName,
    },
    /// This consumer's subscription to its bus breaks.
    Disconnect(NodeName),
    /// This consumer subscribes to its bus again.
    Resubscribe(NodeName),
}

/// One rule of a script: when every condition holds, inject the fault (if it is
/// possible then). Rules are tried in order; with none, the earliest event goes next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RuleFields")]
pub struct Rule {
    pub when: Vec<Cond>,
    pub then: Then,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFields {
    when: Vec<Cond>,
    then: Then,
}

impl TryFrom<RuleFields> for Rule {
    type Error = String;
    fn try_from(r: RuleFields) -> Result<Rule, String> {
        if r.when.iter().any(Cond::reads_fixes) {
            return Err("a script rule reads the state, not the fixes: use a fix's changes instead of a fix condition".into());
        }
        let finds = r.when.iter().any(|c| matches!(c, Cond::InFlight(_)));
        if matches!(r.then, Then::Drop | Then::Delay | Then::Duplicate) && !finds {
            return Err("drop, delay and duplicate act on the message an in-flight condition finds; this rule has none".into());
        }
        Ok(Rule {
            when: r.when,
            then: r.then,
        })
    }
}

/// A part of what the scenario says at the end: said when every condition holds. The
/// parts that hold are said in order, joined as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Cond>,
    pub text: EndingText,
}

impl FactKind {
    fn of(self, key: Key) -> Happened {
        match self {
            FactKind::StaleStored => Happened::StaleStored(key),
            FactKind::SetRefused => Happened::SetRefused(key),
            FactKind::StaleDeleted => Happened::StaleDeleted(key),
            FactKind::ExpiredStale => Happened::ExpiredStale(key),
            FactKind::ExpiredCurrent => Happened::ExpiredCurrent(key),
            FactKind::RefreshedInTime => Happened::RefreshedInTime(key),
            FactKind::RefreshedLate => Happened::RefreshedLate(key),
            FactKind::EventWaited => Happened::EventWaited(key),
            FactKind::OldEventIgnored => Happened::OldEventIgnored(key),
            FactKind::DuplicateIgnored => Happened::DuplicateIgnored(key),
            FactKind::ReplicaBehind => Happened::ReplicaBehind(key),
            FactKind::Undeleted => Happened::Undeleted(key),
            FactKind::GuardWiped => Happened::GuardWiped(key),
            FactKind::NegativeWiped => Happened::NegativeWiped(key),
            FactKind::EdgeRaced => Happened::EdgeRaced(key),
            FactKind::Evicted => Happened::Evicted(key),
            FactKind::EvictedStale => Happened::EvictedStale(key),
            FactKind::EdgePurged => Happened::EdgePurged(key),
            FactKind::EdgePurgedAgain => Happened::EdgePurgedAgain(key),
            FactKind::HeldDropped => Happened::HeldDropped(key),
            FactKind::CacheStepFailed => Happened::CacheStepFailed(key),
            FactKind::StaleSetLost => Happened::StaleSetLost(key),
            FactKind::SetLostInWindow => Happened::SetLostInWindow(key),
            FactKind::StaleWiped => Happened::StaleWiped(key),
            FactKind::PutSurvived => Happened::PutSurvived(key),
            FactKind::ReplaySkipped => Happened::ReplaySkipped(key),
            FactKind::LogKept => Happened::LogKept(key),
            FactKind::AckedAtCrash => Happened::AckedAtCrash(key),
        }
    }
}

/// The value in the client's last answer, if it was a read with a value.
fn answer(w: &World, client: crate::sim::ids::NodeId) -> Option<crate::sim::ids::Version> {
    w.clients
        .iter()
        .find(|c| c.id == client)
        .and_then(|c| match c.last_answer {
            Some(crate::sim::msg::Payload::ReadOk { value: Some(v), .. }) => Some(v),
            _ => None,
        })
}

/// Every live cached copy of `key`: each cache node's, each near cache's, the CDN
/// edge's (`books::copies`), not only the first cache's.
fn live_copies(w: &World, key: Key) -> impl Iterator<Item = CachedCopy> + '_ {
    copies(w).filter(move |c| c.key == key && c.entry.expires_ms > w.now_ms)
}

/// Every invariant, for `all-hold` and `any-broken`.
const INVARIANTS: [Invariant; 4] = [
    Invariant::CacheMatchesDb,
    Invariant::NoLostWrite,
    Invariant::NoLostEvent,
    Invariant::ReadYourWrites,
];

pub fn invariant(name: &str) -> Option<Invariant> {
    INVARIANTS.into_iter().find(|i| i.name() == name)
}

pub fn metric(name: &str) -> Option<Metric> {
    Metric::NAMED.into_iter().find(|m| m.name() == name)
}

/// `user:N` as a key.
pub fn key(text: &str) -> Option<Key> {
    text.strip_prefix("user:")?.parse().ok().map(Key)
}

impl Cond {
    /// Whether the condition holds in `w` with `fixes` on.
    pub fn holds(&self, w: &World, fixes: &Fixes) -> bool {
        let differs = |k: Key, c: CachedCopy| c.entry.version != w.db().read(k);
        match self {
            Cond::Fix(f) => fixes.has(&f.value),
            Cond::NoFix(f) => !fixes.has(&f.value),
            Cond::AllHold => INVARIANTS.iter().all(|i| i.check(w).is_ok()),
            Cond::AnyBroken => INVARIANTS.iter().any(|i| i.check(w).is_err()),
            Cond::Holds(n) => n.0.check(w).is_ok(),
            Cond::Broken(n) => n.0.check(w).is_err(),
            Cond::Stale(k) => live_copies(w, k.0).any(|c| differs(k.0, c)),
            Cond::Fresh(k) => {
                let mut copies = live_copies(w, k.0).peekable();
                copies.peek().is_some() && copies.all(|c| !differs(k.0, c))
            }
            Cond::Uncached(k) => live_copies(w, k.0).next().is_none(),
            Cond::Metric(m) => {
                let v = m.name.0.value(&w.metrics);
                m.at_least.is_none_or(|lo| v >= lo) && m.at_most.is_none_or(|hi| v <= hi)
            }
            Cond::InFlight(m) => in_flight(w, m).is_some(),
            Cond::Up(n) => {
                w.status_of(n.0) == NodeStatus::Up
                    && !w
                        .timers
                        .iter()
                        .any(|t| t.kind == TimerKind::Restart { node: n.0 })
            }
            Cond::HasCrashed(n) => w.books.crashes_of(n.0) > 0,
            Cond::NeverCrashed(n) => w.books.crashes_of(n.0) == 0,
            Cond::Acked(kv) => w
                .books
                .acked
                .get(&kv.key.0)
                .is_some_and(|v| v.0 == kv.version),
            Cond::DbAtMost(kv) => w.db().read(kv.key.0).0 <= kv.version,
            Cond::NextAtLeastMs(ms) => {
                w.earliest().and_then(|e| w.nominal_ms(e)).unwrap_or(0) >= *ms
            }
            Cond::Not(c) => !c.holds(w, fixes),
            Cond::All(cs) => cs.iter().all(|c| c.holds(w, fixes)),
            Cond::Any(cs) => cs.iter().any(|c| c.holds(w, fixes)),
            Cond::Happened(f) => w.books.saw(f.fact.of(f.key.0)),
            Cond::Compare(a, op, b) => {
                let (a, b) = (a.value(w), b.value(w));
                match op {
                    Op::Less => a < b,
                    Op::AtMost => a <= b,
                    Op::Equal => a == b,
                    Op::AtLeast => a >= b,
                    Op::More => a > b,
                    Op::Other => a != b,
                }
            }
            Cond::EventHandled(k) => w
                .books
                .delivered
                .get(&k.0)
                .is_some_and(|v| *v >= w.db().read(k.0)),
            Cond::Retrying => w.bus().retrying(),
            Cond::NodeUp(n) => w.is_up(n.0),
            Cond::AckedAny(k) => w.books.acked.get(&k.0).is_some(),
            Cond::DbHasAcked(k) => w
                .books
                .acked
                .get(&k.0)
                .is_some_and(|a| w.db().read(k.0) >= *a),
            // Stale by the contract's `stale-reads` (older than the newest version when
            // the read began), not merely older than the last ack: a read that overlapped
            // the writes is not stale.
            Cond::AnsweredStale(ck) => {
                let acked = w.books.acked.get(&ck.key.0).copied();
                w.metrics.stale_reads > 0
                    && answer(w, ck.client.0).is_some_and(|v| acked.is_some_and(|a| v < a))
            }
            Cond::Answered(n) => answer(w, n.0).is_some(),
            Cond::NoFixes => fixes.ids().is_empty(),
        }
    }

    /// The first fix this condition names that `known` does not know (for the checks
    /// of a file). Bounded by the condition's nesting, which serde_json bounds.
    pub fn unknown_fix(&self, known: &dyn Fn(&str) -> bool) -> Option<&At<String>> {
        match self {
            Cond::Fix(f) | Cond::NoFix(f) => (!known(&f.value)).then_some(f),
            Cond::Not(c) => c.unknown_fix(known),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().find_map(|c| c.unknown_fix(known)),
            _ => None,
        }
    }

    /// Whether the condition reads the fixes (a script's may not).
    pub fn reads_fixes(&self) -> bool {
        match self {
            Cond::Fix(_) | Cond::NoFix(_) | Cond::NoFixes => true,
            Cond::Not(c) => c.reads_fixes(),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().any(Cond::reads_fixes),
            _ => false,
        }
    }
}

/// The first message in flight that `m` describes.
fn in_flight(w: &World, m: &MessageCond) -> Option<crate::sim::ids::MsgId> {
    w.net
        .iter()
        .find(|msg| {
            msg.payload.kind() == m.kind
                && m.to.as_ref().is_none_or(|t| msg.to == t.0)
                && m.version
                    .is_none_or(|v| msg.payload.event().is_some_and(|ev| ev.version.0 == v))
        })
        .map(|msg| msg.id)
}

impl Rule {
    /// The fault this rule injects in `w`, if its conditions hold.
    pub fn fire(&self, w: &World, fixes: &Fixes) -> Option<Event> {
        if !self.when.iter().all(|c| c.holds(w, fixes)) {
            return None;
        }
        let message = || {
            self.when.iter().find_map(|c| match c {
                Cond::InFlight(m) => in_flight(w, m),
                _ => None,
            })
        };
        let fault = match &self.then {
            Then::Crash(n) => Fault::Crash(n.0),
            Then::Pause(n) => Fault::Pause(n.0),
            Then::Abort(n) => Fault::Abort(n.0),
            Then::Drop => Fault::Drop(message()?),
            Then::Delay => Fault::Delay(message()?),
            Then::Duplicate => Fault::Duplicate(message()?),
            Then::Evict { cache, key } => Fault::Evict {
                cache: cache.0,
                key: key.0,
            },
            Then::Disconnect(n) => Fault::Disconnect(n.0),
            Then::Resubscribe(n) => Fault::Resubscribe(n.0),
        };
        Some(Event::Fault(fault))
    }
}
