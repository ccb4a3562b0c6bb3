//! Breadth-first search over distinct states, in slices.
use super::model::{Model, When};
use super::sleep::Sleep;
use super::visited::{Node, Probe, Visited};
use revisit::Shifted;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

mod replay;
mod report;
mod revisit;
mod subsume;
pub use report::{Progress, Report, Violation};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Runs longer than this are not followed (the catalog's runs have at most 500
    /// steps).
    pub max_depth: usize,
    /// The search stops once it has found this many distinct states (at most
    /// `Visited::CAPACITY`, about 67 million).
    pub max_states: usize,
    /// At most this many states are kept whole in the frontier; the others are
    /// re-derived by replaying their choices from the start.
    pub held_states: usize,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            max_depth: crate::sim::run::MAX_STEPS,
            max_states: 1_000_000,
            // 16,384: a thin search (`cdc-invalidation`, about one new state per state
            // expanded) re-derives a state not held by replaying its parent, and often
            // its parent's parent; 4,096 spent a fifth more instructions there. About
            // 2 kB a state held: a million-state search peaks near 100 MB (README).
            held_states: 16_384,
        }
    }
}

/// A state waiting in the frontier: a few words, whatever the size of a state.
struct Entry<A> {
    index: u32,
    depth: u32,
    /// Where the state itself is kept in its level's `held` list, or `NOT_HELD` to
    /// re-derive it by replay.
    held: u32,
    /// The action that reached it from its parent (`None` for the start): a replay
    /// through it steps by this without listing its parent's actions.
    action: Option<A>,
}

const NOT_HELD: u32 = u32::MAX;

/// The violating nodes kept per property at the shortest depth, the first included:
/// 4 bytes each, and each rebuilt by a replay of its run when asked for
/// (`Search::shortest_runs`). 256: `hybrid`'s complete search has 210 end states.
pub const MAX_SHORTEST: usize = 256;

pub struct Search<M: Model> {
    model: M,
    bounds: Bounds,
    visited: Visited,
    /// The level being visited, and the next one.
    level: Vec<Entry<M::Action>>,
    next_level: Vec<Entry<M::Action>>,
    /// The level visited before `level`: its entries' actions are read by a replay
    /// through them (`rederive`).
    prev_level: Vec<Entry<M::Action>>,
    /// The states kept whole for the level being visited, and for the next one (at
    /// most `Bounds::held_states` each).
    level_held: Vec<Option<M::State>>,
    next_held: Vec<Option<M::State>>,
    cursor: usize,
    depth: usize,
    ends: usize,
    /// Per property, the end states visited that break it.
    broken_ends: Vec<usize>,
    visited_count: usize,
    /// The first (so shortest) violating node per property.
    found: Vec<Option<u32>>,
    /// Per property, the depth of `found`'s node and the further violating nodes met
    /// at that depth, as shortest (at most `MAX_SHORTEST` in all): the page may
    /// prefer one of them (`Search::shortest_runs`).
    shortest: Vec<(usize, Vec<u32>)>,
    /// A bound cut the search short.
    cut: bool,
    actions: Vec<M::Action>,
    /// The states along the last path re-derived by replay, from the start: the
    /// frontier lists siblings together, so the next one shares most of the path.
    path: Vec<(u32, M::State)>,
    /// Per state of `path` (by position), its actions once listed for a replay, with
    /// its node's index (`NOT_HELD` for none): an ancestor's actions are listed once
    /// while it stays on the path, for every descendant re-derived through it.
    path_actions: Vec<(u32, Vec<M::Action>)>,
    /// The chain of ancestors of the state being re-derived (kept between calls).
    chain: Vec<u32>,
    /// With time shifts (`Model::now`): per state, the earliest and the latest `now`
    /// of the states it stands for that the search has reached (8 bytes a state).
    latest_now: Vec<(u32, u32)>,
    /// States whose span of `now` grew after they were expanded: their successors'
    /// must be brought up to date. Taken smallest index first: states found one after
    /// another lie on paths that share most of their steps, so re-deriving them one
    /// after another replays a few steps each, not the whole path. (The spans only
    /// grow, each to the union of what reaches it, so the order changes no span, and
    /// `within` fails for a span if it fails for a smaller one.)
    stale: BinaryHeap<Reverse<u32>>,
    /// States marked stale by a refresh, kept as it found them (`refresh`).
    refreshed: HashMap<u32, M::State>,
    /// A shifted state could pass the limit: start again with absolute time.
    shift_failed: bool,
    /// It started again with absolute time (the page says so: its count starts over).
    restarted: bool,
    /// With sleep sets: the frontier's sets (`sleep.rs`).
    sleep: Option<Sleep>,
    transitions: usize,
    /// With subsumption: the model's dominators of a new state (`Model::dominators`),
    /// and how many new states were left out for one found before.
    subsume: Option<Vec<u64>>,
    subsumed: usize,
}

impl<M: Model> Search<M> {
    pub fn new(model: M, bounds: Bounds) -> Search<M> {
        let bounds = Bounds {
            max_states: bounds.max_states.min(Visited::CAPACITY),
            ..bounds
        };
        let mut search = Search {
            model,
            bounds,
            visited: Visited::new(),
            level: Vec::new(),
            next_level: Vec::new(),
            prev_level: Vec::new(),
            level_held: Vec::new(),
            next_held: Vec::new(),
            cursor: 0,
            depth: 0,
            ends: 0,
            broken_ends: Vec::new(),
            visited_count: 0,
            found: Vec::new(),
            shortest: Vec::new(),
            cut: false,
            actions: Vec::new(),
            path: Vec::new(),
            path_actions: Vec::new(),
            chain: Vec::new(),
            latest_now: Vec::new(),
            stale: BinaryHeap::new(),
            refreshed: HashMap::new(),
            shift_failed: false,
            restarted: false,
            sleep: None,
            transitions: 0,
            subsume: None,
            subsumed: 0,
        };
        search.start();
        search
    }

    /// The same search, with sleep sets: a transition whose event commutes with one
    /// followed before (`Model::independent`) is left out; the same states are found,
    /// each at its shortest depth (`sleep.rs`).
    pub fn with_sleep_sets(mut self) -> Search<M> {
        self.sleep = Some(Sleep::default());
        self.start();
        self
    }

    /// Sets the search at its start: the model's first state found, nothing else.
    fn start(&mut self) {
        let init = self.model.init();
        let now = self.model.now(&init);
        self.shift_failed = now.is_some_and(|n| n > u64::from(u32::MAX));
        self.latest_now = now.map_or_else(Vec::new, |n| vec![(n as u32, n as u32)]);
        self.stale.clear();
        self.refreshed.clear();
        self.visited = Visited::new();
        self.visited.insert(Node {
            fingerprint: self.model.fingerprint(&init),
            parent: 0,
            choice: 0,
        });
        self.found = vec![None; self.model.properties().len()];
        self.shortest = vec![(0, Vec::new()); self.found.len()];
        self.broken_ends = vec![0; self.found.len()];
        self.level = vec![Entry {
            index: 0,
            depth: 0,
            held: 0,
            action: None,
        }];
        self.prev_level.clear();
        self.level_held = vec![Some(init)];
        self.next_level.clear();
        self.next_held.clear();
        self.cursor = 0;
        self.depth = 0;
        self.ends = 0;
        self.visited_count = 0;
        self.cut = self.bounds.max_states < 1;
        self.path.clear();
        self.path_actions.clear();
        self.transitions = 0;
        self.subsumed = 0;
        if let Some(sleep) = &mut self.sleep {
            sleep.clear();
            sleep.skipped = 0;
        }
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    /// Whether it started again from its first state with absolute time (a shifted
    /// state could pass the limit): its counts started over.
    pub fn restarted(&self) -> bool {
        self.restarted
    }

    /// Its bound on distinct states.
    pub fn max_states(&self) -> usize {
        self.bounds.max_states
    }

    pub fn is_done(&self) -> bool {
        self.cursor >= self.level.len()
            && self.next_level.is_empty()
            && self.stale.is_empty()
            && !self.shift_failed
    }

    pub fn progress(&self) -> Progress {
        Progress {
            states: self.visited.len(),
            visited: self.visited_count,
            ends: self.ends,
            depth: self.depth,
            done: self.is_done(),
        }
    }

    /// Visits at most `budget` states; returns where the search stands.
    pub fn step(&mut self, budget: usize) -> Progress {
        for _ in 0..budget {
            if self.shift_failed {
                // A shifted state could pass the limit: the shifts are not sound
                // here, so the search starts again with absolute time.
                self.model.keep_absolute_time();
                self.start();
                self.restarted = true;
                continue;
            }
            if self.cursor >= self.level.len() {
                if self.next_level.is_empty() {
                    // Bounded: `latest_now` only grows, and never past the limit.
                    match self.stale.pop() {
                        Some(Reverse(index)) => {
                            // One refresh, with the span as it is now, stands for
                            // every time the state was marked.
                            while self.stale.peek() == Some(&Reverse(index)) {
                                self.stale.pop();
                            }
                            self.refresh(index)
                        }
                        None => break,
                    }
                    continue;
                }
                // The next level's lists become the level's, the level's entries the
                // previous level's, and the previous level's list (and the level's
                // held list, all taken by now) are kept for the next: their room is
                // not grown again.
                std::mem::swap(&mut self.prev_level, &mut self.level);
                std::mem::swap(&mut self.level, &mut self.next_level);
                std::mem::swap(&mut self.level_held, &mut self.next_held);
                self.next_level.clear();
                self.next_held.clear();
                if let Some(sleep) = &mut self.sleep {
                    sleep.next_level();
                }
                self.path.clear();
                self.cursor = 0;
                self.depth += 1;
            }
            let entry = &self.level[self.cursor];
            let (index, depth, held) = (entry.index, entry.depth as usize, entry.held);
            let kept = self
                .level_held
                .get_mut(held as usize)
                .and_then(Option::take);
            let state = match kept {
                Some(s) => s,
                None => self.rederive(index),
            };
            self.cursor += 1;
            let asleep = match &mut self.sleep {
                Some(sleep) => std::mem::take(&mut sleep.level[self.cursor - 1]),
                None => Vec::new(),
            };
            self.visit(index, depth, state, &asleep);
            if let Some(sleep) = &mut self.sleep {
                sleep.give_back(asleep);
            }
        }
        self.progress()
    }

    /// Runs to the end (or a bound), `slice` states at a time.
    pub fn run(&mut self) -> Report<M::Action> {
        // Bounded: each step visits a new state or finds nothing left.
        while !self.step(4096).done {}
        self.report()
    }

    /// Checks and expands one state (with `asleep`, its sleep set, if sleep sets are
    /// on). The state is stepped in place for its last successor (`Model::next_owned`).
    fn visit(&mut self, index: u32, depth: usize, state: M::State, asleep: &[u64]) {
        self.visited_count += 1;
        let mut actions = std::mem::take(&mut self.actions);
        let end = self.model.actions(&state, &mut actions);
        if end {
            self.ends += 1;
        }
        for (i, p) in self.model.properties().iter().enumerate() {
            let applies = end || p.when == When::Always;
            // Past the first violating node, only those as short are looked for, and
            // only until `MAX_SHORTEST` are known: breadth first meets them at one
            // level, the first one's.
            let wanted = match self.found[i] {
                None => true,
                Some(_) => {
                    let (at, more) = &self.shortest[i];
                    *at == depth && more.len() + 1 < MAX_SHORTEST
                }
            };
            // Every end state is judged, for the count of those that break it.
            if !applies || !(wanted || end) || !self.model.violates(&state, i) {
                continue;
            }
            self.broken_ends[i] += usize::from(end);
            if wanted {
                match self.found[i] {
                    None => {
                        self.found[i] = Some(index);
                        self.shortest[i] = (depth, Vec::new());
                    }
                    Some(_) => self.shortest[i].1.push(index),
                }
            }
        }
        if depth >= self.bounds.max_depth || actions.is_empty() {
            self.cut |= !actions.is_empty();
            self.actions = actions;
            // Its buffers are copied into (`Model::recycle`).
            self.model.recycle(state);
            return;
        }
        let clock = self.model.now(&state);
        if let Some(sleep) = &mut self.sleep {
            let model = &self.model;
            sleep.expand(actions.len(), asleep, |i| {
                model.action_key(&state, actions[i])
            });
            if actions.len() > 1 {
                model.independence(&state, &actions, &mut sleep.independent);
            } else {
                sleep.independent.clear();
            }
        }
        let last = actions.len().saturating_sub(1);
        let mut state = Some(state);
        // The sleep sets' scratch, kept between states (`Sleep::gives`).
        let mut buffer = match &mut self.sleep {
            Some(sleep) => std::mem::take(&mut sleep.gives),
            None => Vec::new(),
        };
        for (choice, action) in actions.iter().enumerate() {
            // The sleep set this transition gives its state (sleep sets on).
            let mut gives = None;
            if let Some(sleep) = &mut self.sleep {
                if sleep.is_asleep(choice) {
                    sleep.skipped += 1;
                    continue;
                }
                buffer.clear();
                buffer.extend(sleep.after(choice).map(|j| j as u64));
                gives = Some(&mut buffer);
                sleep.followed(choice);
            }
            self.transitions += 1;
            let stepped = match (choice == last, &state) {
                (true, _) => state.take().and_then(|s| self.model.next_owned(s, *action)),
                (false, Some(s)) => self.model.next(s, *action),
                (false, None) => None,
            };
            let Some(next) = stepped else {
                continue;
            };
            // The events asleep, named as the state reached names them (a name reads
            // the time until an event, and the transition may have moved `now`).
            if let Some(events) = &mut gives {
                for e in events.iter_mut() {
                    *e = self.model.action_key(&next, actions[*e as usize]);
                }
            }
            let fingerprint = self.model.fingerprint(&next);
            // One look-up: the node if known, else where it goes.
            let probe = self.visited.probe(fingerprint);
            let mut known = match probe {
                Probe::Found(k) => Some(k),
                Probe::Empty(_) => None,
            };
            // A new state dominated by one found before stands for it (subsumption).
            let dominated = known.is_none() && {
                known = self.dominated_by(&next, fingerprint, clock.map(|from| (index, from)));
                known.is_some()
            };
            if dominated {
                self.subsumed += 1;
            }
            let mut reached = None;
            if let Some(from) = clock {
                match self.shifted(index, from, &next, known, false) {
                    Shifted::Failed => {
                        self.actions = actions;
                        if let Some(sleep) = &mut self.sleep {
                            sleep.gives = buffer;
                        }
                        return;
                    }
                    Shifted::Known => {
                        self.wake(known, gives.as_deref().map(Vec::as_slice));
                        self.model.recycle(next);
                        continue;
                    }
                    Shifted::New(now) => reached = Some(now),
                }
            }
            // A successor found before (or left out) goes back to the model, whose next
            // successor is copied into its buffers (`Model::recycle`).
            let slot = match probe {
                Probe::Found(k) => {
                    self.wake(Some(k), gives.as_deref().map(Vec::as_slice));
                    self.model.recycle(next);
                    continue;
                }
                Probe::Empty(_) if dominated => {
                    self.model.recycle(next);
                    continue;
                }
                Probe::Empty(slot) => slot,
            };
            if self.visited.len() >= self.bounds.max_states {
                // Full: a state not seen before is left out, and the search says so.
                self.cut = true;
                self.model.recycle(next);
                continue;
            }
            let node = Node {
                fingerprint,
                parent: index,
                choice: choice as u32,
            };
            let new = self.visited.insert_at(slot, node);
            if let (Some(sleep), Some(set)) = (&mut self.sleep, gives) {
                let set = sleep.copy(set);
                sleep.next.push(set);
            }
            if let Some(now) = reached {
                // Grown by an eighth at a time, not doubled: 8 bytes a state, at most
                // 9 held (the page's slice search keeps within 32 bytes a state).
                if self.latest_now.len() == self.latest_now.capacity() {
                    self.latest_now
                        .reserve_exact(self.latest_now.len() / 8 + 1024);
                }
                self.latest_now.push(now);
            }
            let held = if self.next_held.len() < self.bounds.held_states {
                self.next_held.push(Some(next));
                (self.next_held.len() - 1) as u32
            } else {
                self.model.recycle(next);
                NOT_HELD
            };
            self.next_level.push(Entry {
                index: new,
                depth: depth as u32 + 1,
                held,
                action: Some(*action),
            });
        }
        self.actions = actions;
        if let Some(sleep) = &mut self.sleep {
            sleep.gives = buffer;
        }
        // Not stepped (its last action asleep): its buffers are copied into.
        if let Some(state) = state {
            self.model.recycle(state);
        }
    }
}
