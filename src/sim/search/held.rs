//! The depth-first phase's first part: runs in the earliest-first order (the story's
//! forward steps) in which one event is held back until no other event is enabled.
//! A delay-bounded search with one delay (Emmi, Qadeer and Rakamarić, "Delay-bounded
//! scheduling", POPL 2011): most races need few deviations from a deterministic
//! scheduler, and a cache race is usually one late message (the stale-set race is a
//! fill's set held past a delete). Each event the earliest-first run enables is held
//! once, from the first state that enables it; the run follows that run's states up
//! to there (held before it is taken, the hold changes nothing until then), so it
//! starts there. Its runs place no fault, so the page's job runs this part only where
//! the search places no extra fault (`Job`: a search asked to place some goes depth
//! first from the start, which places them).
//!
//! Measured (the page's settings, no fault placed): `dual-write-crash` with `outbox`'s
//! stale-set race (32 steps) after 185 distinct states of this part, where the search
//! earliest event first met it after 243,889 (`tests/search_outbox_page.rs`). Like the
//! rest of the phase it proves nothing: every run it follows is the model's own, so a
//! break it finds is real, and what it does not find is not ruled out.
use super::model::{Model, When};
use std::collections::HashSet;

pub struct Held<M: Model> {
    /// The earliest-first run's states (the first is the model's start) and the path
    /// to each: where each held run starts.
    states: Vec<M::State>,
    path: Vec<M::Action>,
    /// Per event to hold, the first of `states` that enables it; in order.
    holds: Vec<(usize, M::Action)>,
    next: usize,
    /// The length of the last run it followed.
    depth: usize,
    /// Coarse fingerprints (`Model::fingerprint_coarse`) of the states its runs reached,
    /// and of those that were ends.
    seen: HashSet<u64>,
    end_seen: HashSet<u64>,
    max_states: usize,
    max_depth: usize,
    /// Transitions it may still take (`Held::new`'s bound): a long run times its
    /// events makes many.
    transitions_left: usize,
    /// Whether the earliest-first run itself broke a property (`Held::new`): a break
    /// found there has no event held back.
    pub earliest_broke: bool,
    /// Whether any of its runs broke a property not broken before (`judge`).
    broke: bool,
}

impl<M: Model> Held<M> {
    /// Follows the earliest-first run from the model's start, at most `max_depth`
    /// steps and `max_states` states, and judges it (`found`, per property, the first
    /// breaking run). Its held runs then reach at most `max_states` distinct states in
    /// all (that run's too) in at most `max_transitions` transitions.
    pub fn new(
        model: &M,
        max_states: usize,
        max_transitions: usize,
        max_depth: usize,
        found: &mut [Option<Vec<M::Action>>],
    ) -> Held<M> {
        let mut held = Held {
            states: Vec::new(),
            path: Vec::new(),
            holds: Vec::new(),
            next: 0,
            depth: 0,
            seen: HashSet::new(),
            end_seen: HashSet::new(),
            max_states,
            max_depth,
            transitions_left: max_transitions,
            earliest_broke: false,
            broke: false,
        };
        let mut state = model.init();
        let mut actions = Vec::new();
        // Events enabled and not yet taken along the run.
        let mut pending: Vec<M::Action> = Vec::new();
        loop {
            let fingerprint = model.fingerprint_coarse(&state);
            held.seen.insert(fingerprint);
            let end = model.actions(&state, &mut actions);
            held.earliest_broke |= judge(model, &state, end, &held.path, found);
            if end {
                held.end_seen.insert(fingerprint);
            }
            actions.retain(|a| !model.is_fault(*a));
            let i = held.states.len();
            // An event is held from the first state that enables it; one the run takes
            // and then enables again (a client's next start, `Event::Start`, names the
            // client, not the request) is another event to hold.
            for a in &actions {
                if !pending.contains(a) {
                    pending.push(*a);
                    held.holds.push((i, *a));
                }
            }
            let first = actions.first().copied();
            pending.retain(|p| Some(*p) != first);
            held.states.push(state.clone());
            let bound = held.path.len() >= max_depth || held.seen.len() >= max_states;
            let (Some(a), false) = (first, end || bound) else {
                break;
            };
            let Some(next) = model.next(&state, a) else {
                break;
            };
            held.path.push(a);
            state = next;
        }
        held.depth = held.path.len();
        held.broke = held.earliest_broke;
        held
    }

    /// Whether it ran: the earliest-first run, then held runs (a search placing extra
    /// faults skips it: no state to spend).
    pub fn ran(&self) -> bool {
        self.max_states > 0
    }

    /// Distinct states its runs reached.
    pub fn states(&self) -> usize {
        self.seen.len()
    }

    /// The length of the last run it followed.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Distinct end states its runs reached.
    pub fn ends(&self) -> usize {
        self.end_seen.len()
    }

    /// Whether `fingerprint` (coarse) is a state its runs reached as an end.
    pub fn ended(&self, fingerprint: u64) -> bool {
        self.end_seen.contains(&fingerprint)
    }

    /// Whether `fingerprint` (coarse) is a state its runs reached.
    pub fn reached(&self, fingerprint: u64) -> bool {
        self.seen.contains(&fingerprint)
    }

    /// Whether it has no run left to follow (or reached a bound).
    pub fn is_done(&self) -> bool {
        self.next >= self.holds.len()
            || self.seen.len() >= self.max_states
            || self.transitions_left == 0
    }

    /// Follows held runs, whole, until `budget` transitions are taken or one breaks a
    /// property not broken before (written to `found`; one already there, as a
    /// property the breadth-first search found broken, is not judged again). Returns
    /// the transitions taken.
    pub fn step(
        &mut self,
        model: &M,
        budget: usize,
        found: &mut [Option<Vec<M::Action>>],
    ) -> usize {
        let mut taken = 0;
        while taken < budget && !self.is_done() && !self.broke {
            let (from, hold) = self.holds[self.next];
            self.next += 1;
            taken += self.follow(model, from, hold, found);
        }
        taken
    }

    /// One run: from the earliest-first run's `from`th state, the earliest enabled
    /// event but `hold`, which it takes only when no other event is enabled.
    fn follow(
        &mut self,
        model: &M,
        from: usize,
        hold: M::Action,
        found: &mut [Option<Vec<M::Action>>],
    ) -> usize {
        let mut path = self.path[..from].to_vec();
        let mut state = self.states[from].clone();
        let mut actions = Vec::new();
        let mut end = model.actions(&state, &mut actions);
        let mut taken = 0;
        // Held until taken once: an event of the same name later (a client's next
        // start) is not held.
        let mut holding = true;
        while !end && path.len() < self.max_depth && self.transitions_left > 0 {
            let mut events = actions.iter().copied().filter(|a| !model.is_fault(*a));
            let Some(a) = events
                .find(|a| !holding || *a != hold)
                .or_else(|| actions.iter().copied().find(|a| *a == hold))
            else {
                break;
            };
            holding &= a != hold;
            let Some(next) = model.next(&state, a) else {
                break;
            };
            taken += 1;
            self.transitions_left -= 1;
            path.push(a);
            state = next;
            let fingerprint = model.fingerprint_coarse(&state);
            self.seen.insert(fingerprint);
            end = model.actions(&state, &mut actions);
            if end {
                self.end_seen.insert(fingerprint);
            }
            if judge(model, &state, end, &path, found) {
                self.broke = true;
                break;
            }
            if self.seen.len() >= self.max_states {
                break;
            }
        }
        self.depth = path.len();
        taken
    }
}

/// Judges `state` (an end if `end`), reached by `path`: each property it breaks
/// (at a run's end, or at any state for one judged always) gets `path` if it had no
/// run yet. Whether any did.
pub(super) fn judge<M: Model>(
    model: &M,
    state: &M::State,
    end: bool,
    path: &[M::Action],
    found: &mut [Option<Vec<M::Action>>],
) -> bool {
    let mut any = false;
    for (i, p) in model.properties().iter().enumerate() {
        let applies = end || p.when == When::Always;
        if found[i].is_none() && applies && model.violates(state, i) {
            found[i] = Some(path.to_vec());
            any = true;
        }
    }
    any
}
