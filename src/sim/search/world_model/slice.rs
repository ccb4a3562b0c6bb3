//! A slice of the search for one invariant, `no-lost-event`: the clients that only
//! read are left out (they never start), every timer is enabled as soon as it is set
//! (not only once `now` reaches it or nothing else would happen first), and every
//! message is due as soon as it is sent.
//!
//! Why: `no-lost-event` is about a committed change's event on its way from the
//! database to the consumer. A reader's requests (its gets, sets and database reads)
//! commit nothing, so they plausibly never change what the database, the relay, the
//! bus, the consumer, or the writer's requests do. But they do move `now`: a reader's
//! message delivered late moves time on, so a timer (the relay's timeout, a
//! supervisor's restart) can fire before a delivery that a run without the reader
//! would make first, and what is sent after it is stamped later. The slice keeps
//! every such order by enabling every timer at once, and with that nothing in it
//! compares two times but the horizon, so an earlier time is never worse: every
//! message is due at once (fewer distinct times), and its times are never later than
//! the full model's, so the horizon never cuts what the full model takes.
//!
//! Measured (README, session 16): it does not make `dual-write-crash` with `outbox`
//! complete: the relay's timeout fired at every point of its cycle, which the full
//! model allows after a reader's move of `now`, makes it larger than the full search.
//!
//! `with_ghost_readers` (`ghost.rs`, session 17) keeps the readers' effect on time
//! instead: their starts as jumps of `now`, the full model's times, and every timer
//! enabled within a slack of the full model's rule. That slice completes there.
//!
//! Sound only where a run of the full model has a run of the slice that makes the
//! same steps of everything but the readers, in the same order, with `no-lost-event`
//! holding in the one exactly where it holds in the other. That is not assumed:
//! `slice_check.rs` follows both models side by side over every run of a scenario
//! and checks it at every step. The slice checks `no-lost-event` in every state it
//! reaches (the full model judges it at a run's end), which is the stronger claim.
use super::{ghost, Searched, WorldModel};
use crate::sim::books::Invariant;
use crate::sim::config::Op;
use crate::sim::fault::NodeStatus;
use crate::sim::ids::NodeId;
use crate::sim::run::Run;
use crate::sim::search::model::{Model, Property, When};
use crate::sim::search::FaultBudget;
use crate::sim::world::{Event, TimerKind};

/// The search of one scenario's `no-lost-event` with its readers left out.
pub struct Slice {
    inner: WorldModel,
    /// The clients left out (every request a read).
    readers: Vec<NodeId>,
    /// How the slice's timers and times follow the full model's.
    timing: Timing,
}

/// The slice's rule of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Timing {
    /// Every timer enabled once set, every message due at once (`Slice::new`).
    Relaxed,
    /// The full model's rule (`with_strict_timers`): NOT sound.
    Strict,
    /// The readers as ghosts (`with_ghost_readers`, `ghost.rs`): the full model's
    /// times, the readers' starts as jumps of `now`, and every timer due within
    /// `slack` ms of the full model's rule.
    Ghost { slack: u64 },
}

/// The invariant the slice is for.
pub const SLICED: Invariant = Invariant::NoLostEvent;

impl Slice {
    /// `run`'s search (as `WorldModel::new`: the story's faults, `budget` more) with
    /// its readers left out; `None` when the scenario does not check `no-lost-event`.
    pub fn new(run: &Run, budget: FaultBudget) -> Option<Slice> {
        if !run.scenario.invariants.contains(&SLICED) {
            return None;
        }
        let mut inner = WorldModel::new(run, budget);
        let readers = readers(&inner.start);
        for c in inner.start.clients.iter_mut() {
            if readers.contains(&c.id) {
                c.next = c.requests.len();
            }
        }
        inner.invariants = vec![SLICED];
        inner.properties = vec![Property {
            name: SLICED.name(),
            when: When::Always,
        }];
        Some(Slice {
            inner,
            readers,
            timing: Timing::Relaxed,
        })
    }

    /// The same slice, with states shifted in time taken as one
    /// (`WorldModel::with_time_shift`: every rule of the slice but the horizon
    /// compares two times, or none).
    pub fn with_time_shift(mut self) -> Slice {
        self.inner = self.inner.with_time_shift();
        self
    }

    /// The same slice with timers enabled only by the full model's rule (once `now`
    /// reaches them, or nothing else would happen first). NOT sound: a reader's
    /// step moves `now` on and lets a timer fire before a delivery due earlier,
    /// which this slice never does (`check_slice` finds such a step). For the
    /// measure and the test that shows the check rejects it.
    pub fn with_strict_timers(mut self) -> Slice {
        self.timing = Timing::Strict;
        self
    }

    /// The slice with ghost readers (`ghost.rs`): the readers' starts kept as jumps
    /// of `now` (their requests' start times), the full model's times otherwise, and
    /// every timer enabled once it is due within a slack of the full model's rule
    /// (`ghost::slack_ms`: what the readers' messages can move `now` on by).
    pub fn with_ghost_readers(self) -> Slice {
        let faults = self
            .inner
            .story
            .iter()
            .map(|(_, n)| u64::from(*n))
            .sum::<u64>()
            + u64::from(self.inner.budget.extra);
        let slack = ghost::slack_ms(&self.inner.start, &self.readers, faults);
        self.with_ghost_slack(slack)
    }

    /// `with_ghost_readers` with the slack given (ms): a slack too small is not
    /// sound (`check_slice` finds the step it misses).
    pub fn with_ghost_slack(mut self, slack: u64) -> Slice {
        for c in self.inner.start.clients.iter_mut() {
            if self.readers.contains(&c.id) {
                c.next = 0;
            }
        }
        ghost::skip_past(&mut self.inner.start, &self.readers);
        self.timing = Timing::Ghost { slack };
        self
    }

    /// The slack of `with_ghost_readers`, if this slice has ghost readers.
    pub fn ghost_slack(&self) -> Option<u64> {
        match self.timing {
            Timing::Ghost { slack } => Some(slack),
            _ => None,
        }
    }

    /// Whether states shifted in time are taken as one.
    pub fn time_shift(&self) -> bool {
        self.inner.time_shift()
    }

    /// The clients left out.
    pub fn readers(&self) -> &[NodeId] {
        &self.readers
    }
}

impl Slice {
    /// Every message due at once (its arrival is its sending): with strict timers,
    /// nothing.
    fn early(&self, state: Option<Searched>) -> Option<Searched> {
        let mut state = state?;
        if self.timing == Timing::Relaxed
            && state.world.net.iter().any(|m| m.arrive_ms != m.sent_ms)
        {
            for m in state.world.net.iter_mut() {
                m.arrive_ms = m.sent_ms;
            }
        }
        Some(state)
    }
}

/// The clients every request of which is a read.
/// Whether the owner of timer `t` can take it, whatever its time: an up or cut-off node
/// can, a paused one cannot, a down one only its restart (the full model's rule).
pub(super) fn may_fire(w: &crate::sim::world::World, t: &crate::sim::world::Timer) -> bool {
    match w.status_of(t.owner) {
        NodeStatus::Up | NodeStatus::Partitioned => true,
        NodeStatus::Paused => false,
        NodeStatus::Down => matches!(t.kind, TimerKind::Restart { .. }),
    }
}

pub(super) fn readers(w: &crate::sim::world::World) -> Vec<NodeId> {
    w.clients
        .iter()
        .filter(|c| c.requests.iter().all(|r| r.op == Op::Read))
        .map(|c| c.id)
        .collect()
}

impl Model for Slice {
    type State = Searched;
    type Action = Event;

    fn init(&self) -> Searched {
        self.early(Some(self.inner.init())).expect("a state")
    }

    /// The full model's list (enabled events, then the faults the budget pays for),
    /// then every timer not listed that is due by the horizon and whose owner may
    /// fire it (up or cut off; a down node only its restart), in the timers' order.
    fn actions(&self, state: &Searched, out: &mut Vec<Event>) -> bool {
        let end = self.inner.actions(state, out);
        let w = &state.world;
        let listed = out.len();
        match self.timing {
            Timing::Strict => return end,
            Timing::Ghost { slack } => {
                ghost::timers_within(w, &self.readers, slack, listed, out);
                return end || ghost::only_ghosts(w, &self.readers, out);
            }
            Timing::Relaxed => {}
        }
        for t in &w.timers {
            let e = Event::Fire(t.id);
            if may_fire(w, t) && t.at_ms <= w.config.horizon_ms && !out[..listed].contains(&e) {
                out.push(e);
            }
        }
        // With no other event enabled every timer due by the horizon is listed
        // already, so the slice ends where the full model does.
        end
    }

    fn next(&self, state: &Searched, action: Event) -> Option<Searched> {
        if let Timing::Ghost { .. } = self.timing {
            return self.next_owned(state.clone(), action);
        }
        self.early(self.inner.next(state, action))
    }

    fn next_owned(&self, state: Searched, action: Event) -> Option<Searched> {
        if let Timing::Ghost { .. } = self.timing {
            return ghost::step(&self.inner, &self.readers, state, action);
        }
        self.early(self.inner.next_owned(state, action))
    }

    fn recycle(&self, state: Searched) {
        self.inner.recycle(state);
    }

    fn fingerprint(&self, state: &Searched) -> u64 {
        self.inner.fingerprint(state)
    }

    fn fingerprint_coarse(&self, state: &Searched) -> u64 {
        self.inner.fingerprint_coarse(state)
    }

    fn properties(&self) -> &[Property] {
        self.inner.properties()
    }

    fn dominators(&self, state: &Searched, fingerprint: u64, out: &mut Vec<u64>) {
        self.inner.dominators(state, fingerprint, out);
    }

    fn now(&self, state: &Searched) -> Option<u64> {
        self.inner.now(state)
    }

    fn within(&self, state: &Searched, min_now: u64, max_now: u64) -> bool {
        self.inner.within(state, min_now, max_now)
    }

    fn keep_absolute_time(&mut self) {
        self.inner.keep_absolute_time();
    }

    fn violates(&self, state: &Searched, i: usize) -> bool {
        self.inner.violates(state, i)
    }
    // No independence (sleep sets): `independence.rs` reads the full model's timer rule.
}
