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

mod eval;
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
    /// A bus with no subscriber connected dropped an event about the key as it was
    /// published (Redis Pub/Sub keeps nothing).
    EventDropped,
    /// A bus's push of an event about the key was lost on its way to a consumer that
    /// was down when it arrived.
    PushLost,
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
