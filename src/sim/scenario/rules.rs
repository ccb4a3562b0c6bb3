//! A scenario's script and endings as data: conditions on the state of a run, the fault
//! a script rule injects, and the text an ending says, with values filled in from the
//! state (`{cache user:1}`, `{metric stale-reads}`), so an ending never claims what the
//! state does not show.
//!
//! This is the one place a scenario reads a world: every condition and every value in
//! an ending is a general question about the state (a metric, an invariant, a cached
//! copy against its row, a message in flight, a node's status), never a per-scenario
//! flag.
use crate::sim::books::{Happened, Invariant, Metric};
use crate::sim::codec::file::At;
use crate::sim::fault::{Fault, NodeStatus};
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::Fixes;
use crate::sim::world::{Event, TimerKind, World};
use serde::{Deserialize, Serialize};

mod names;
pub use names::{EndingText, InvariantName, KeyName, MetricName, NodeName, Quantity};

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
    /// The cache holds a live copy of the key that differs from its row.
    Stale(KeyName),
    /// The cache holds a live copy equal to the row.
    Fresh(KeyName),
    /// The cache holds no live copy of the key.
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
    Metric::ALL.into_iter().find(|m| m.name() == name)
}

/// `user:N` as a key.
pub fn key(text: &str) -> Option<Key> {
    text.strip_prefix("user:")?.parse().ok().map(Key)
}

impl Cond {
    /// Whether the condition holds in `w` with `fixes` on.
    pub fn holds(&self, w: &World, fixes: &Fixes) -> bool {
        let live = |k: Key| w.cache().live(k, w.now_ms);
        match self {
            Cond::Fix(f) => fixes.has(&f.value),
            Cond::NoFix(f) => !fixes.has(&f.value),
            Cond::AllHold => INVARIANTS.iter().all(|i| i.check(w).is_ok()),
            Cond::AnyBroken => INVARIANTS.iter().any(|i| i.check(w).is_err()),
            Cond::Holds(n) => n.0.check(w).is_ok(),
            Cond::Broken(n) => n.0.check(w).is_err(),
            Cond::Stale(k) => live(k.0).is_some_and(|e| e.version != w.db().read(k.0)),
            Cond::Fresh(k) => live(k.0).is_some_and(|e| e.version == w.db().read(k.0)),
            Cond::Uncached(k) => live(k.0).is_none(),
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
            Cond::Retrying => w
                .bus()
                .log
                .iter()
                .any(|e| e.state == crate::sim::bus::EntryState::Retrying),
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
        };
        Some(Event::Fault(fault))
    }
}

/// What the endings say about `w`: the parts whose conditions hold, filled in.
pub fn say(endings: &[Ending], w: &World, fixes: &Fixes) -> String {
    let mut out = String::new();
    for e in endings {
        if e.when.iter().all(|c| c.holds(w, fixes)) {
            out.push_str(&fill(&e.text.0, w));
        }
    }
    out
}

/// The placeholders an ending's text may hold, in braces.
pub const PLACEHOLDERS: &[&str] = &[
    "holds user:N",
    "other-path user:N",
    "count QUANTITY one|many",
    "value QUANTITY",
    "acked user:N",
    "answer reader",
    "stale-stay user:N …",
    "cache user:N",
    "db user:N",
    "expires user:N",
    "metric NAME",
    "ttl_ms",
    "outbox-published",
    "outbox-rows",
    "dlq",
    "stale user:N user:M …",
    "broken",
];

/// The value of one placeholder, or `None` when it is not one.
fn value(name: &str, w: &World) -> Option<String> {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    let cached = |k: Key| w.cache().live(k, w.now_ms);
    Some(match head {
        "holds" => holds(w, key(rest)?),
        "other-path" => other_path(w, key(rest)?),
        "count" => {
            let (q, nouns) = rest.split_once(' ')?;
            let (one, many) = nouns.split_once('|')?;
            crate::sim::describe::count(Quantity::parse(q)?.value(w), one, many)
        }
        "value" => Quantity::parse(rest)?.value(w).to_string(),
        "acked" => w.books.acked.get(&key(rest)?)?.to_string(),
        "answer" => answer(w, NodeId::parse(rest)?).map_or("nothing".into(), |v| v.to_string()),
        "stale-stay" => {
            let keys: Option<Vec<Key>> = rest.split_whitespace().map(key).collect();
            let stale: Vec<String> = keys?
                .into_iter()
                .filter(|k| cached(*k).is_some_and(|e| e.version != w.db().read(*k)))
                .map(|k| k.to_string())
                .collect();
            let verb = if stale.len() == 1 { "stays" } else { "stay" };
            format!("{} {verb}", stale.join(" and "))
        }
        "cache" => cached(key(rest)?).map_or("nothing".into(), |e| e.version.to_string()),
        "db" => w.db().read(key(rest)?).to_string(),
        "replica" => w.replica().read(key(rest)?).to_string(),
        "expires" => cached(key(rest)?).map_or("never".into(), |e| e.expires_ms.to_string()),
        "metric" => metric(rest)?.value(&w.metrics).to_string(),
        "ttl_ms" => w.config.ttl_ms.to_string(),
        "outbox-published" => w
            .db()
            .outbox
            .iter()
            .filter(|r| r.published)
            .count()
            .to_string(),
        "outbox-rows" => w.db().outbox.len().to_string(),
        "dlq" => w.bus().dlq.len().to_string(),
        "stale" => {
            let keys: Option<Vec<Key>> = rest.split_whitespace().map(key).collect();
            let stale: Vec<String> = keys?
                .into_iter()
                .filter(|k| cached(*k).is_some_and(|e| e.version != w.db().read(*k)))
                .map(|k| k.to_string())
                .collect();
            stale.join(" and ")
        }
        "broken" => INVARIANTS
            .iter()
            .filter_map(|i| i.check(w).err().map(|why| format!("{}: {why}", i.name())))
            .collect::<Vec<_>>()
            .join("; "),
        _ => return None,
    })
}

/// The ending's sentence about `key`, read off the state: "The cache and the database
/// both hold user:1 = v2", "The cache holds user:1 = v1 while the database has v2", or
/// "The cache holds nothing for user:1; the database has v2".
fn holds(w: &World, key: Key) -> String {
    let db = w.db().read(key);
    match w.cache().live(key, w.now_ms) {
        Some(e) if e.version == db => format!("The cache and the database both hold {key} = {db}"),
        Some(e) => format!(
            "The cache holds {key} = {} while the database has {db}",
            e.version
        ),
        None => format!("The cache holds nothing for {key}; the database has {db}"),
    }
}

/// An ending for a run that took another path than the scenario's story (a learner's
/// order, a fault): only what the state says, each invariant that is broken and why.
fn other_path(w: &World, key: Key) -> String {
    let broken: Vec<String> = INVARIANTS
        .into_iter()
        .filter_map(|i| {
            i.check(w)
                .err()
                .map(|why| format!("{} is broken: {why}", i.name()))
        })
        .collect();
    let verdict = if broken.is_empty() {
        "Every invariant holds.".to_string()
    } else {
        format!("{}.", broken.join("; "))
    };
    format!(
        "Done. This run took another path than the story above. {}. {verdict}",
        holds(w, key)
    )
}

/// The first of the text's placeholders that is not known.
pub fn unknown_placeholder(text: &str) -> Option<String> {
    placeholders(text).find(|p| !known(p))
}

/// Whether `name` is a placeholder `value` can fill (its words, not its value now).
fn known(name: &str) -> bool {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    let keys = || !rest.is_empty() && rest.split_whitespace().all(|k| key(k).is_some());
    match head {
        "holds" | "other-path" | "cache" | "db" | "replica" | "expires" | "acked" => {
            key(rest).is_some()
        }
        "stale" | "stale-stay" => keys(),
        "count" => rest
            .split_once(' ')
            .is_some_and(|(q, nouns)| Quantity::parse(q).is_some() && nouns.contains('|')),
        "value" => Quantity::parse(rest).is_some(),
        "metric" => metric(rest).is_some(),
        "answer" => NodeId::parse(rest).is_some(),
        "ttl_ms" | "outbox-published" | "outbox-rows" | "dlq" | "broken" => rest.is_empty(),
        _ => false,
    }
}

/// The names in braces, in order. Bounded by the text's length.
fn placeholders(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
}

/// `text` with each `{placeholder}` replaced by its value in `w`. A brace that is not a
/// known placeholder is kept as written.
fn fill(text: &str, w: &World) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close], w)?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
