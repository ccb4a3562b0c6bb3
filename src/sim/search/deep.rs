//! A second phase for a breadth-first search that stopped at its bound before any run
//! ended (so the invariants judged at a run's end were never judged), or with no
//! violation in the runs that ended within it. First (`held.rs`) the earliest-first run
//! with each event it enables held back in turn until no other event is enabled; then a
//! depth-first search, the earliest event first (as the story's forward steps), within
//! the phase's bound on states (both parts' together). Deep
//! runs end quickly this way (in `dual-write-crash` with `outbox` a million states
//! breadth first reach depth 21, and the run the phase finds, the stale-set race, takes
//! 32 steps: since session 27 its first part finds it, holding the reader's set back),
//! so it judges
//! runs to their end. Its visited set is
//! blind to time (`Model::fingerprint_coarse`): it follows a state once whatever the
//! times in it, so it spreads over more situations within its bound (in
//! `dual-write-crash` with `outbox` the offsets between three chains' messages multiply
//! the exact states by about 90). That merges states with different futures, which
//! only prunes: every run it follows is the model's own, so a break it finds is real.
//! What it finds is *a* run that breaks an invariant, never known to be the shortest;
//! and what it does not find is not proven, bound or no bound. The page says both
//! (`ui::verdict`).
use super::held::{judge, Held};
use super::model::Model;
use super::msg::DeepPart;
use super::visited::{Node, Probe, Visited};

/// One state on the depth-first path: the state, its enabled actions, the next to try.
struct Frame<S, A> {
    state: S,
    actions: Vec<A>,
    next: usize,
}

pub struct Deep<M: Model> {
    /// Its first part: the earliest-first runs with one event held back (`held.rs`).
    held: Held<M>,
    /// States this part's visited set holds that the first part reached too.
    overlap: usize,
    visited: Visited,
    stack: Vec<Frame<M::State, M::Action>>,
    /// The actions from the start to the top of the stack.
    path: Vec<M::Action>,
    max_states: usize,
    max_depth: usize,
    /// Distinct end states this part reached that the first did not.
    ends: usize,
    /// Per property, the first breaking run found (an empty run for a property it
    /// was told was known broken: `known`).
    pub found: Vec<Option<Vec<M::Action>>>,
    /// Per property, whether it was known broken before the phase began.
    known: Vec<bool>,
    /// A bound (states or depth) cut the search short.
    pub cut: bool,
    /// The depth-first part has taken a step (tried a transition).
    dfs_stepped: bool,
}

impl<M: Model> Deep<M> {
    /// The phase, at most `max_states` states and `max_depth` steps deep; its first
    /// part only if `hold` (its runs place no fault: a search asked to place some goes
    /// depth first from the start, which places them).
    pub fn new(
        model: &M,
        max_states: usize,
        max_depth: usize,
        hold: bool,
        known: &[usize],
    ) -> Deep<M> {
        let max_states = max_states.min(Visited::CAPACITY);
        // A property already known broken (by the breadth-first search, with a
        // shortest run) is not looked for: breaking it again would end the phase with
        // nothing new to show, and the page would say it found no violation.
        let mut found: Vec<Option<Vec<M::Action>>> = vec![None; model.properties().len()];
        for &i in known {
            if let Some(f) = found.get_mut(i) {
                *f = Some(Vec::new());
            }
        }
        let known: Vec<bool> = found.iter().map(Option::is_some).collect();
        // The first part: at most half the states, and as many transitions as the
        // whole bound has states (its runs pass the same states again and again).
        let held_states = if hold { max_states / 2 } else { 0 };
        let held = Held::new(model, held_states, max_states, max_depth, &mut found);
        let mut deep = Deep {
            held,
            overlap: 0,
            visited: Visited::new(),
            stack: Vec::new(),
            path: Vec::new(),
            max_states,
            max_depth,
            ends: 0,
            known,
            found,
            cut: false,
            dfs_stepped: false,
        };
        let init = model.init();
        let fingerprint = model.fingerprint_coarse(&init);
        deep.visited.insert(node(fingerprint));
        deep.overlap += usize::from(deep.held.reached(fingerprint));
        deep.enter(model, init, fingerprint);
        deep
    }

    /// Whether the first part ran (it does unless the search places extra faults), and
    /// whether the depth-first part tried any transition (the page's words name only
    /// the parts that ran).
    pub fn parts(&self) -> (bool, bool) {
        (self.held.ran(), self.dfs_stepped)
    }

    /// Which part found the breaking runs in `found`: it stops at the first, so they
    /// come from one part (the held part ran first, and the depth-first part takes no
    /// transition once one is found).
    pub fn found_by(&self) -> DeepPart {
        if !self.held.ran() || self.dfs_stepped {
            DeepPart::DepthFirst
        } else if self.held.earliest_broke {
            DeepPart::EarliestFirst
        } else {
            DeepPart::HeldBack
        }
    }

    /// Distinct end states reached, by both parts.
    pub fn ends(&self) -> usize {
        self.held.ends() + self.ends
    }

    /// Distinct states found, by both parts.
    pub fn states(&self) -> usize {
        self.held.states() + self.visited.len() - self.overlap
    }

    /// Its bound on distinct states.
    pub fn max_states(&self) -> usize {
        self.max_states
    }

    /// The length of the path it is on.
    pub fn depth(&self) -> usize {
        if self.stack.len() == 1 && !self.held.is_done() {
            return self.held.depth();
        }
        self.path.len()
    }

    /// Whether it has nothing left to follow, or has found a breaking run: it looks for
    /// a counterexample, and one is what the page can show.
    pub fn is_done(&self) -> bool {
        self.stack.is_empty() || self.broke()
    }

    /// Whether it found a property broken that was not known broken.
    fn broke(&self) -> bool {
        self.found
            .iter()
            .zip(&self.known)
            .any(|(f, known)| f.is_some() && !known)
    }

    /// The breaking run it found for property `i`, if it was not known broken.
    pub fn found_new(&self, i: usize) -> Option<&[M::Action]> {
        match (self.found.get(i), self.known.get(i)) {
            (Some(Some(path)), Some(false)) => Some(path),
            _ => None,
        }
    }

    /// Judges a newly found state (`fingerprint`, coarse) and puts it on the path.
    fn enter(&mut self, model: &M, state: M::State, fingerprint: u64) {
        let mut actions = Vec::new();
        let end = model.actions(&state, &mut actions);
        self.ends += usize::from(end && !self.held.ended(fingerprint));
        judge(model, &state, end, &self.path, &mut self.found);
        if self.path.len() >= self.max_depth && !actions.is_empty() {
            self.cut = true;
            actions.clear();
        }
        self.stack.push(Frame {
            state,
            actions,
            next: 0,
        });
    }

    /// Follows at most `budget` transitions (a held run is followed whole, so the first
    /// part may take a run's length more).
    pub fn step(&mut self, model: &M, budget: usize) {
        if !self.held.is_done() && !self.is_done() {
            self.held.step(model, budget, &mut self.found);
            return;
        }
        for _ in 0..budget {
            if self.is_done() {
                return;
            }
            let Some(top) = self.stack.last_mut() else {
                return;
            };
            self.dfs_stepped = true;
            let Some(&action) = top.actions.get(top.next) else {
                self.stack.pop();
                self.path.pop();
                continue;
            };
            top.next += 1;
            let Some(next) = model.next(&top.state, action) else {
                continue;
            };
            let fingerprint = model.fingerprint_coarse(&next);
            let slot = match self.visited.probe(fingerprint) {
                Probe::Found(_) => continue,
                Probe::Empty(slot) => slot,
            };
            if self.states() >= self.max_states {
                self.cut = true;
                self.stack.clear();
                return;
            }
            self.visited.insert_at(slot, node(fingerprint));
            self.overlap += usize::from(self.held.reached(fingerprint));
            self.path.push(action);
            self.enter(model, next, fingerprint);
        }
    }
}

fn node(fingerprint: u64) -> Node {
    Node {
        fingerprint,
        parent: 0,
        choice: 0,
    }
}
