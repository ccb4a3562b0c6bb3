//! Conditions and script rules evaluated against a world: whether a condition holds
//! (`Cond::holds`), the fact a condition names (`FactKind`), and the fault a script
//! rule injects (`Rule::fire`). Split from `rules.rs`, which keeps the data's shapes.
use super::*;

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
            FactKind::EventDropped => Happened::EventDropped(key),
            FactKind::PushLost => Happened::PushLost(key),
        }
    }
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
