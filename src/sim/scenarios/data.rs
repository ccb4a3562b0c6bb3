//! The catalog's scripts, endings and clients as static data: `catalog.rs` writes
//! each scenario's conditions and requests as `static` items of these types (no code: the wasm's data,
//! a few bytes a condition), and the page makes them the `Rule`s of `scenario::rules`
//! once, at start, and an ending's `Ending` when it says it (the endings are in the
//! catalog's words, loaded after the first paint: `scenarios::Words::endings`). Code that built each condition field by field,
//! with a `String` for every name and a `Vec` for every list, was most of the catalog's
//! share of the page's download.
//!
//! One variant per `Cond` variant, with `&'static` text and lists where `Cond` owns
//! them. `scenario::bake::cond_data` (the generator's side) matches `Cond` whole, so a
//! variant added there fails to compile until it is written here too.
use crate::sim::codec::file::At;
use crate::sim::config::Request;
use crate::sim::ids::NodeId;
use crate::sim::scenario::rules::{
    ClientKey, Cond, Ending, EndingText, Fact, InvariantName, KeyName, KeyVersion, MessageCond,
    MetricCond, NodeName, Op, Quantity, Rule, Then,
};

/// A `Cond` as static data.
pub enum C {
    Fix(&'static str),
    NoFix(&'static str),
    AllHold,
    AnyBroken,
    Holds(InvariantName),
    Broken(InvariantName),
    Stale(KeyName),
    Fresh(KeyName),
    Uncached(KeyName),
    Metric(&'static MetricCond),
    /// A message's kind, to whom, the event's version (`MessageCond`).
    InFlight(&'static str, Option<NodeName>, Option<u32>),
    Up(NodeName),
    HasCrashed(NodeName),
    NeverCrashed(NodeName),
    Acked(&'static KeyVersion),
    DbAtMost(&'static KeyVersion),
    NextAtLeastMs(u64),
    Not(&'static C),
    All(&'static [&'static C]),
    Any(&'static [&'static C]),
    Happened(&'static Fact),
    Compare(&'static str, Op, &'static str),
    EventHandled(KeyName),
    Retrying,
    NodeUp(NodeName),
    AckedAny(KeyName),
    DbHasAcked(KeyName),
    AnsweredStale(&'static ClientKey),
    Answered(NodeName),
    NoFixes,
}

/// A script's rule as static data.
pub struct R {
    pub when: &'static [&'static C],
    pub then: Then,
}

/// An ending as static data, conditions and text: a catalog scenario's endings are in
/// its words (`scenarios::Words::endings`), which the page loads after its first paint
/// (an ending is said only at a run's end), so neither is in its initial download.
pub struct E {
    pub when: &'static [&'static C],
    pub text: &'static str,
}

impl C {
    pub fn cond(&self) -> Cond {
        match self {
            C::Fix(id) => Cond::Fix(At::new((*id).to_owned())),
            C::NoFix(id) => Cond::NoFix(At::new((*id).to_owned())),
            C::AllHold => Cond::AllHold,
            C::AnyBroken => Cond::AnyBroken,
            C::Holds(i) => Cond::Holds(*i),
            C::Broken(i) => Cond::Broken(*i),
            C::Stale(k) => Cond::Stale(*k),
            C::Fresh(k) => Cond::Fresh(*k),
            C::Uncached(k) => Cond::Uncached(*k),
            C::Metric(m) => Cond::Metric((*m).clone()),
            C::InFlight(kind, to, version) => Cond::InFlight(MessageCond {
                kind: (*kind).to_owned(),
                to: *to,
                version: *version,
            }),
            C::Up(n) => Cond::Up(*n),
            C::HasCrashed(n) => Cond::HasCrashed(*n),
            C::NeverCrashed(n) => Cond::NeverCrashed(*n),
            C::Acked(kv) => Cond::Acked((*kv).clone()),
            C::DbAtMost(kv) => Cond::DbAtMost((*kv).clone()),
            C::NextAtLeastMs(ms) => Cond::NextAtLeastMs(*ms),
            C::Not(c) => Cond::Not(Box::new(c.cond())),
            C::All(cs) => Cond::All(conds(cs)),
            C::Any(cs) => Cond::Any(conds(cs)),
            C::Happened(f) => Cond::Happened((*f).clone()),
            C::Compare(a, op, b) => {
                Cond::Compare(Quantity((*a).to_owned()), *op, Quantity((*b).to_owned()))
            }
            C::EventHandled(k) => Cond::EventHandled(*k),
            C::Retrying => Cond::Retrying,
            C::NodeUp(n) => Cond::NodeUp(*n),
            C::AckedAny(k) => Cond::AckedAny(*k),
            C::DbHasAcked(k) => Cond::DbHasAcked(*k),
            C::AnsweredStale(ck) => Cond::AnsweredStale((*ck).clone()),
            C::Answered(n) => Cond::Answered(*n),
            C::NoFixes => Cond::NoFixes,
        }
    }
}

fn conds(cs: &[&C]) -> Vec<Cond> {
    cs.iter().map(|c| c.cond()).collect()
}

/// A scenario's script, for the rest of the page's life.
pub fn script(rules: &[R]) -> &'static [Rule] {
    super::leak(
        rules
            .iter()
            .map(|r| Rule {
                when: conds(r.when),
                then: r.then.clone(),
            })
            .collect(),
    )
}

impl E {
    /// The ending as `scenario::rules` reads it.
    pub fn ending(&self) -> Ending {
        Ending {
            when: conds(self.when),
            text: EndingText(self.text.to_owned()),
        }
    }
}

/// The clients and their requests (`Config::clients`), from static data.
pub fn clients(list: &[(NodeId, &[Request])]) -> Vec<(NodeId, Vec<Request>)> {
    list.iter().map(|(id, r)| (*id, r.to_vec())).collect()
}
