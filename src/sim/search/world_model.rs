//! The simulation as a `Model`: a run's start world, every enabled event, and faults
//! placed anywhere within a budget.
//!
//! Faults: up to `FaultBudget::extra` crashes, pauses, drops, delays, duplicates,
//! aborts, partitions, evictions or disconnects, anywhere. The faults the scenario's own story uses (the crash in
//! `dual-write-crash`, the lost ack in `event-duplicate-reorder`) are allowed anywhere
//! as often as the story uses them, and are not counted toward `extra`.
//!
//! A recovery (a restart, a resume, a heal) is free only where nothing in the model
//! would undo the fault otherwise: a resume and a heal always (nothing else resumes a
//! paused node or heals a partition), a hand restart of a crashed node only while no
//! supervisor's restart (`TimerKind::Restart`, in a scenario with `restart_after_ms`)
//! is pending for it. While one is, the model brings the node back by itself, and a
//! hand restart, which brings it back sooner, is a fault like any other: charged to
//! the story's budget if the story itself placed a hand restart of that shape (while
//! its supervisor's was pending), else to the extra budget (`explore-faults`). The
//! charge is a function of the world and the faults used, so two states with one
//! world are charged alike (subsumption's dominance argument, `Model::dominators`).
//!
//! A run may end with faults still possible: they never keep it going, except a
//! resume: a paused node is not dead, so a run with a paused node has not ended.
use super::independence::Info;
use super::model::{Model, Property, When};
use super::uses::Uses;
use crate::sim::books::Invariant;
use crate::sim::canon::WordHasher;
use crate::sim::config::Op;
use crate::sim::fact::Facts;
use crate::sim::fault::{Kinds, NodeStatus};
use crate::sim::ids::NodeId;
use crate::sim::node::Scratch;
use crate::sim::run::Run;
use crate::sim::world::Buffer;
use crate::sim::world::{Event, World};
use charge::{shape, with_used, without_used, Charge, Shape};
use std::cell::RefCell;

mod ample;
mod charge;
mod ghost;
mod slice;
mod slice_check;
pub use charge::{is_free, FaultBudget};
pub use slice::{Slice, SLICED};
pub use slice_check::{
    check_ghost_slice, check_ghost_slice_watched, check_slice, check_strict_slice,
    sample_ghost_slice, SliceCheck, SliceSample,
};

/// A world in the search, with the faults it has used.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Searched {
    /// Boxed: the search moves a state several times a transition (into the model's
    /// step and out, into the frontier or back to the model), 32 bytes each time
    /// instead of the world's 440.
    pub world: Box<World>,
    /// Faults placed beyond the story's.
    pub extra_used: u8,
    /// Per story fault, how many times it was used (inline: no allocation per copy).
    pub story_used: Uses,
}

/// `clone_from` copies into the target's own buffers (`World::clone_from`): the model
/// copies each successor into a state the search gave back (`Model::recycle`).
impl Clone for Searched {
    fn clone(&self) -> Searched {
        Searched {
            world: self.world.clone(),
            extra_used: self.extra_used,
            story_used: self.story_used.clone(),
        }
    }

    fn clone_from(&mut self, source: &Searched) {
        self.world.clone_from(&source.world);
        self.extra_used = source.extra_used;
        self.story_used.clone_from(&source.story_used);
    }
}

/// At most this many successors given back are kept to copy into.
const RECYCLED: usize = 256;

pub struct WorldModel {
    start: World,
    /// The buffers a step writes into (its nodes' answers, its facts), lent to each
    /// new state for its step and taken back: a world clones them empty, so without
    /// this every step would allocate them anew.
    spare: RefCell<(Buffer<Scratch>, Buffer<Facts>)>,
    /// The enabled list's scratch (`World::enabled_into`), kept between states.
    keyed: RefCell<Vec<u128>>,
    /// The actions' `Info`s of the state being expanded (`Model::independence`), kept
    /// between states: a list per state expanded would be an allocation each.
    infos: RefCell<Vec<Info>>,
    /// The run's nodes (`World::nodes`: fixed for a run), for listing faults.
    nodes: Vec<NodeId>,
    /// Successors the search gave back (`Model::recycle`), to copy the next into.
    recycled: RefCell<Vec<Searched>>,
    budget: FaultBudget,
    /// The kinds (`fault::kind`) the extra budget allows (`FaultBudget::kinds`).
    extra_kinds: Kinds,
    /// The story's faults and how many times the story uses each.
    story: Vec<(Shape, u8)>,
    /// Their kinds, a bit each (`charge::kinds_of`).
    story_kinds: u32,
    invariants: Vec<Invariant>,
    properties: Vec<Property>,
    /// The fingerprint forgets a shift of every time (`World::fingerprint_shifted`).
    time_shift: bool,
    /// A request's slow hop: the network reads the client's current request when the
    /// service or the database answers one (`World::slow_of`).
    slow_hops: bool,
    /// A client both writes and reads: the books keep the first read-your-writes break.
    ryw: bool,
    /// A message to a client that nothing else reads is explored alone (`ample.rs`).
    ample: bool,
}

impl WorldModel {
    /// The search of `run`'s scenario, fixes, seed (and sandbox spec) from its start.
    pub fn new(run: &Run, budget: FaultBudget) -> WorldModel {
        let mut story_run = run.rebuilt(run.fixes.clone(), run.seed);
        story_run.run_to_end();
        let mut story: Vec<(Shape, u8)> = Vec::new();
        for (i, record) in story_run.all_records().iter().enumerate() {
            let (Some(fault), Some(before)) = (record.event.fault(), story_run.state(i)) else {
                continue;
            };
            // A free recovery is no fault; a hand restart that beat the supervisor's is.
            if is_free(before, fault) {
                continue;
            }
            if let Some(s) = shape(before, fault) {
                match story.iter_mut().find(|(x, _)| *x == s) {
                    Some((_, n)) => *n = n.saturating_add(1),
                    None => story.push((s, 1)),
                }
            }
        }
        let start = story_run
            .state(0)
            .cloned()
            .unwrap_or_else(|| run.world().clone());
        let invariants = run.scenario.invariants.to_vec();
        let properties = invariants
            .iter()
            .map(|inv| Property {
                name: inv.name(),
                when: when(*inv),
            })
            .collect();
        let clients = &start.clients;
        let slow_hops = clients
            .iter()
            .any(|c| c.requests.iter().any(|r| r.slow.is_some()));
        let ryw = clients.iter().any(|c| {
            c.requests.iter().any(|r| r.op == Op::Read)
                && c.requests.iter().any(|r| r.op != Op::Read)
        });
        WorldModel {
            nodes: start.nodes(),
            recycled: RefCell::new(Vec::new()),
            slow_hops,
            ryw,
            start,
            spare: RefCell::new(Default::default()),
            keyed: RefCell::new(Vec::new()),
            infos: RefCell::new(Vec::new()),
            budget,
            extra_kinds: budget.allowed_kinds(),
            story_kinds: charge::kinds_of(&story),
            story,
            invariants,
            properties,
            time_shift: false,
            ample: false,
        }
    }

    /// The same search, with states that differ only by a shift of every time taken
    /// as one (where the search finds the horizon never cuts a shifted state; else it
    /// starts again without). Not under XFetch (`World::fingerprint_shifted`).
    pub fn with_time_shift(mut self) -> WorldModel {
        self.time_shift = self.start.fingerprint_shifted().is_some();
        self
    }

    /// The same search, exploring a message to a client that nothing else reads alone
    /// (`ample.rs`: a close, or the answer it waits for), as the page's worker searches.
    pub fn with_ample(mut self) -> WorldModel {
        self.ample = true;
        self
    }

    /// Whether states shifted in time are taken as one.
    pub fn time_shift(&self) -> bool {
        self.time_shift
    }

    /// The world every run of the search starts from.
    pub fn start(&self) -> &World {
        &self.start
    }

    /// How many kinds of fault the story uses (each allowed anywhere, uncounted).
    pub fn story_faults(&self) -> usize {
        self.story.len()
    }
}

/// When each invariant is judged: state invariants at the run's end.
fn when(inv: Invariant) -> When {
    match inv {
        Invariant::CacheMatchesDb | Invariant::NoLostWrite | Invariant::NoLostEvent => When::AtEnd,
        Invariant::ReadYourWrites => When::Always,
    }
}

impl WorldModel {
    /// The world's canonical fingerprint, shifted in time if the search shifts.
    fn world_fingerprint(&self, state: &Searched) -> u64 {
        let shifted = if self.time_shift {
            state.world.fingerprint_shifted()
        } else {
            None
        };
        shifted.unwrap_or_else(|| state.world.fingerprint())
    }

    pub(super) fn ryw(&self) -> bool {
        self.ryw
    }

    pub(super) fn slow_hops(&self) -> bool {
        self.slow_hops
    }
}

impl WorldModel {
    /// `next` stepped by `action` (enabled in the state it was taken from), with the
    /// fault's charge paid.
    fn stepped(
        &self,
        mut next: Searched,
        action: Event,
        charge: Option<Charge>,
    ) -> Option<Searched> {
        let mut spare = self.spare.borrow_mut();
        std::mem::swap(&mut next.world.scratch, &mut spare.0);
        std::mem::swap(&mut next.world.facts, &mut spare.1);
        // `action` comes from `actions` of this very state: no need to ask again, and
        // no narration to build.
        let stepped = next.world.step_quiet(action);
        // The buffers come back (nobody reads a search state's facts), emptied: a
        // world's step leaves its `Out` empty and starts by clearing its facts.
        std::mem::swap(&mut next.world.scratch, &mut spare.0);
        std::mem::swap(&mut next.world.facts, &mut spare.1);
        spare.1 .0.clear();
        stepped.ok()?;
        match charge {
            Some(Charge::Story(i)) => next.story_used[i] += 1,
            Some(Charge::Extra) => next.extra_used += 1,
            Some(Charge::Free) | None => {}
        }
        Some(next)
    }
}

impl Model for WorldModel {
    type State = Searched;
    type Action = Event;

    fn init(&self) -> Searched {
        Searched {
            world: Box::new(self.start.clone()),
            extra_used: 0,
            story_used: Uses::zeros(self.story.len()),
        }
    }

    fn actions(&self, state: &Searched, out: &mut Vec<Event>) -> bool {
        state.world.enabled_into(&mut self.keyed.borrow_mut(), out);
        if let Some(alone) = self.alone(state, out) {
            out.clear();
            out.push(alone);
            // Not yet due: with the faults placeable now (`ample.rs`).
            if state.world.nominal_ms(alone) <= Some(state.world.now_ms) {
                return false;
            }
        }
        // A pause is not a crash: a paused node resumes before the run can end.
        let paused = state
            .world
            .status
            .iter()
            .any(|(_, s)| *s == NodeStatus::Paused);
        let end = out.is_empty() && !paused;
        // With every budget spent only a restart or a resume could be placed, and
        // with every node up there is none (nor a resubscribe with no subscription
        // broken): skip listing (and pricing) every fault.
        let spent = state.extra_used >= self.budget.extra
            && self
                .story
                .iter()
                .zip(state.story_used.iter())
                .all(|((_, allowed), used)| used >= allowed);
        if spent && state.world.status.is_empty() && !state.world.any_unsubscribed() {
            return end;
        }
        // Only the kinds a budget can pay for (or free) are listed: with the extra
        // budget spent, a fault on a message is listed only for a story fault on a
        // message with uses left, whose kind it is (no message is looked up to price
        // its faults otherwise), and most kinds are not walked at all.
        let extra = (state.extra_used < self.budget.extra).then_some(self.extra_kinds);
        let kinds = charge::chargeable(extra, &self.story, &state.story_used);
        // Listed after the enabled events, then the ones no budget pays for taken out.
        let listed = out.len();
        state.world.faults_into(&self.nodes, kinds, out);
        let mut kept = listed;
        for i in listed..out.len() {
            let e = out[i];
            if e.fault().is_some_and(|f| self.charge(state, f).is_some()) {
                out[kept] = e;
                kept += 1;
            }
        }
        out.truncate(kept);
        end
    }

    /// The enabled events come first in `actions`' list, the faults after them: a
    /// choice among the enabled events needs no fault listed (nor priced).
    fn action_at(&self, state: &Searched, choice: usize, out: &mut Vec<Event>) -> Event {
        state.world.enabled_into(&mut self.keyed.borrow_mut(), out);
        if let Some(alone) = self.alone(state, out) {
            out.clear();
            out.push(alone);
        }
        if choice >= out.len() {
            self.actions(state, out);
        }
        out[choice]
    }

    fn next(&self, state: &Searched, action: Event) -> Option<Searched> {
        let charge = match action.fault() {
            Some(fault) => Some(self.charge(state, fault)?),
            None => None,
        };
        let copy = match self.recycled.borrow_mut().pop() {
            Some(mut copy) => {
                copy.clone_from(state);
                copy
            }
            None => state.clone(),
        };
        self.stepped(copy, action, charge)
    }

    fn recycle(&self, state: Searched) {
        let mut recycled = self.recycled.borrow_mut();
        if recycled.len() < RECYCLED {
            recycled.push(state);
        }
    }

    fn next_owned(&self, state: Searched, action: Event) -> Option<Searched> {
        let charge = match action.fault() {
            Some(fault) => Some(self.charge(&state, fault)?),
            None => None,
        };
        self.stepped(state, action, charge)
    }

    fn fingerprint(&self, state: &Searched) -> u64 {
        // The world's canonical fingerprint (ids renumbered, the network a multiset,
        // config and counters left out), with the faults used folded in.
        let world = self.world_fingerprint(state);
        with_used(world, state.extra_used, &state.story_used)
    }

    /// Blind to time (`World::fingerprint_time_blind`), with the faults used folded in.
    fn fingerprint_coarse(&self, state: &Searched) -> u64 {
        let world = state.world.fingerprint_time_blind();
        with_used(world, state.extra_used, &state.story_used)
    }

    /// The same world with fewer faults used: it can place every fault this state
    /// can, and more. Each budget is charged the same way in both (a story fault to
    /// its own budget while it has uses left, else to the extra one), so after any
    /// event the state with fewer faults used still has fewer or as many of each, and
    /// faults never keep a run going, so both end together. Every vector of uses at
    /// most this state's, but this state's own.
    fn dominators(&self, state: &Searched, fingerprint: u64, out: &mut Vec<u64>) {
        out.clear();
        if state.extra_used == 0 && state.story_used.iter().all(|n| *n == 0) {
            return;
        }
        let world = without_used(fingerprint, state.extra_used, &state.story_used);
        debug_assert_eq!(world, self.world_fingerprint(state));
        // Every vector of uses at or below this state's, in mixed radix order (digit
        // j from 0 to its use, the first digit counting fastest), but the last, which
        // is this state's own. The digits are kept inline (no allocation per state).
        let mut bounds = Uses::zeros(1 + state.story_used.len());
        bounds[0] = state.extra_used;
        bounds[1..].copy_from_slice(&state.story_used);
        let mut used = Uses::zeros(bounds.len());
        let (bounds, used) = (&*bounds, &mut *used);
        // Bounded: the digits count up to `bounds`, which is not all zeros.
        while used != bounds {
            out.push(with_used(world, used[0], &used[1..]));
            // The next vector: the first digit below its bound counts up, the ones
            // before it start again from 0.
            if let Some(j) = used.iter().zip(bounds).position(|(u, b)| u < b) {
                used[..j].fill(0);
                used[j] += 1;
            }
        }
    }

    fn properties(&self) -> &[Property] {
        &self.properties
    }

    fn now(&self, state: &Searched) -> Option<u64> {
        self.time_shift.then_some(state.world.now_ms)
    }

    fn within(&self, state: &Searched, min_now: u64, max_now: u64) -> bool {
        // Every nominal time of what may still happen (messages, timers, requests
        // still to start) stays on its side of the horizon in every shifted state:
        // nothing is enabled past it, and a deadline compares only with `now`.
        let w = &state.world;
        let horizon = w.config.horizon_ms;
        // A due event (at or before `now`) is due in every shifted state too, whose
        // `now` is within the span: that asks only `max_now <= horizon`.
        if max_now > horizon {
            return false;
        }
        let now = w.now_ms;
        // An event still to come, `ahead` of `now`: on one side of the horizon in every
        // shifted state, the side it is on here.
        let fits = |t: u64| {
            let ahead = t - now;
            let (first, last) = (min_now + ahead, max_now + ahead);
            (last <= horizon) == (first <= horizon) && (t <= horizon) == (last <= horizon)
        };
        // Messages, timers and requests still to start.
        w.net
            .iter()
            .all(|m| m.arrive_ms <= now || fits(m.arrive_ms))
            && w.timers.iter().all(|t| t.at_ms <= now || fits(t.at_ms))
            && w.clients.iter().all(|c| {
                c.requests
                    .get(c.next..)
                    .unwrap_or_default()
                    .iter()
                    .all(|r| r.at_ms <= now || fits(r.at_ms))
            })
    }

    fn keep_absolute_time(&mut self) {
        self.time_shift = false;
    }

    fn is_fault(&self, action: Event) -> bool {
        matches!(action, Event::Fault(_))
    }

    fn violates(&self, state: &Searched, i: usize) -> bool {
        self.invariants
            .get(i)
            .is_some_and(|inv| inv.check(&state.world).is_err())
    }

    /// See `independence.rs`.
    fn independent(&self, state: &Searched, a: Event, b: Event) -> bool {
        let (x, y) = (self.info(state, a), self.info(state, b));
        self.commute(&x, &y)
    }

    fn independence(&self, state: &Searched, actions: &[Event], out: &mut Vec<bool>) {
        let mut infos = self.infos.borrow_mut();
        infos.clear();
        infos.extend(actions.iter().map(|e| self.info(state, *e)));
        // `commute` is symmetric: each pair is asked once, and written both ways. An
        // action with itself is left `false` (always sound): a sleep set asks only of
        // two different actions (`Sleep::after`).
        let n = infos.len();
        out.clear();
        out.resize(n * n, false);
        for (i, x) in infos.iter().enumerate() {
            for (j, y) in infos.iter().enumerate().skip(i + 1) {
                let c = self.commute(x, y);
                out[i * n + j] = c;
                out[j * n + i] = c;
            }
        }
    }

    /// What the fingerprint keeps of an event: its kind, its node (and a message's
    /// sender and payload kind, a timer's kind), and how long until it is due (or
    /// never, past the horizon): no id, which the fingerprint renames.
    fn action_key(&self, state: &Searched, action: Event) -> u64 {
        use std::hash::{Hash, Hasher};
        let w = &state.world;
        let until = |t: u64| {
            if t > w.config.horizon_ms {
                u64::MAX
            } else {
                t.saturating_sub(w.now_ms)
            }
        };
        let mut h = WordHasher::default();
        match action {
            Event::Start(c) => {
                h.word(0);
                c.hash(&mut h);
                h.word(w.nominal_ms(action).map_or(u64::MAX, until));
            }
            Event::Deliver(id) => {
                h.word(1);
                if let Some(m) = w.net.iter().find(|m| m.id == id) {
                    (m.from, m.to, m.payload.kind()).hash(&mut h);
                    h.word(until(m.arrive_ms));
                }
            }
            Event::Fire(id) => {
                h.word(2);
                if let Some(t) = w.timers.iter().find(|t| t.id == id) {
                    t.owner.hash(&mut h);
                    std::mem::discriminant(&t.kind).hash(&mut h);
                    h.word(until(t.at_ms));
                }
            }
            // Never asleep (never independent): any name will do.
            Event::Fault(f) => {
                h.word(3);
                f.hash(&mut h);
            }
        }
        h.finish()
    }
}
