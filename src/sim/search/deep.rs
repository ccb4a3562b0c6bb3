//! A second phase for a breadth-first search that stopped at its bound before any run
//! ended (so the invariants judged at a run's end were never judged), or with no
//! violation in the runs that ended within it: a depth-first search, the earliest
//! event first (as the story's forward steps), within its own bound on states. Deep
//! runs end quickly this way (in `dual-write-crash` with `outbox` a million states
//! breadth first reach depth 21, and the run it finds depth first, the stale-set race,
//! takes 32 steps), so it judges
//! runs to their end. Its visited set is
//! blind to time (`Model::fingerprint_coarse`): it follows a state once whatever the
//! times in it, so it spreads over more situations within its bound (in
//! `dual-write-crash` with `outbox` the offsets between three chains' messages multiply
//! the exact states by about 90). That merges states with different futures, which
//! only prunes: every run it follows is the model's own, so a break it finds is real.
//! What it finds is *a* run that breaks an invariant, never known to be the shortest;
//! and what it does not find is not proven, bound or no bound. The page says both
//! (`ui::verdict`).
use super::model::{Model, When};
use super::visited::{Node, Probe, Visited};

/// One state on the depth-first path: the state, its enabled actions, the next to try.
struct Frame<S, A> {
    state: S,
    actions: Vec<A>,
    next: usize,
}

pub struct Deep<M: Model> {
    visited: Visited,
    stack: Vec<Frame<M::State, M::Action>>,
    /// The actions from the start to the top of the stack.
    path: Vec<M::Action>,
    max_states: usize,
    max_depth: usize,
    /// Distinct end states reached.
    pub ends: usize,
    /// Per property, the first breaking run found.
    pub found: Vec<Option<Vec<M::Action>>>,
    /// A bound (states or depth) cut the search short.
    pub cut: bool,
}

impl<M: Model> Deep<M> {
    pub fn new(model: &M, max_states: usize, max_depth: usize) -> Deep<M> {
        let mut deep = Deep {
            visited: Visited::new(),
            stack: Vec::new(),
            path: Vec::new(),
            max_states: max_states.min(Visited::CAPACITY),
            max_depth,
            ends: 0,
            found: vec![None; model.properties().len()],
            cut: false,
        };
        let init = model.init();
        deep.visited.insert(node(model.fingerprint_coarse(&init)));
        deep.enter(model, init);
        deep
    }

    /// Distinct states found.
    pub fn states(&self) -> usize {
        self.visited.len()
    }

    /// Its bound on distinct states.
    pub fn max_states(&self) -> usize {
        self.max_states
    }

    /// The length of the path it is on.
    pub fn depth(&self) -> usize {
        self.path.len()
    }

    /// Whether it has nothing left to follow, or has found a breaking run: it looks for
    /// a counterexample, and one is what the page can show.
    pub fn is_done(&self) -> bool {
        self.stack.is_empty() || self.found.iter().any(Option::is_some)
    }

    /// Judges a newly found state and puts it on the path.
    fn enter(&mut self, model: &M, state: M::State) {
        let mut actions = Vec::new();
        let end = model.actions(&state, &mut actions);
        self.ends += usize::from(end);
        for (i, p) in model.properties().iter().enumerate() {
            let applies = end || p.when == When::Always;
            if self.found[i].is_none() && applies && model.violates(&state, i) {
                self.found[i] = Some(self.path.clone());
            }
        }
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

    /// Follows at most `budget` transitions.
    pub fn step(&mut self, model: &M, budget: usize) {
        for _ in 0..budget {
            if self.is_done() {
                return;
            }
            let Some(top) = self.stack.last_mut() else {
                return;
            };
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
            if self.visited.len() >= self.max_states {
                self.cut = true;
                self.stack.clear();
                return;
            }
            self.visited.insert_at(slot, node(fingerprint));
            self.path.push(action);
            self.enter(model, next);
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
