//! What a search has found: its progress, its violations and its report.
use super::super::model::Model;
use super::Search;

/// How far a search has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Distinct states found.
    pub states: usize,
    /// Distinct states visited (checked and expanded).
    pub visited: usize,
    /// Distinct end states found among the visited ones.
    pub ends: usize,
    /// The depth being visited.
    pub depth: usize,
    pub done: bool,
}

/// The shortest run found that breaks one property.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation<A> {
    /// The property's index in `Model::properties`.
    pub property: usize,
    pub name: &'static str,
    /// The run's choices from the start.
    pub path: Vec<A>,
}

/// What a finished (or stopped) search found.
#[derive(Clone, Debug, PartialEq)]
pub struct Report<A> {
    pub states: usize,
    pub ends: usize,
    /// Per property (in the model's order), the end states that break it: of `ends`.
    pub broken_ends: Vec<usize>,
    /// The deepest level visited.
    pub depth: usize,
    /// Whether every state reachable within `max_depth` was visited. False when a
    /// bound stopped the search (or it was stopped before the end).
    pub complete: bool,
    /// One per broken property, in the model's order.
    pub violations: Vec<Violation<A>>,
    /// Peak bytes of the visited set.
    pub visited_bytes: usize,
    /// Each state found stands for every state that differs from it only by a shift
    /// of every time (`Model::now`), and the search checked that the limit on time
    /// (the horizon) falls between none of them.
    pub time_shift: bool,
    /// Successor states computed (transitions followed).
    pub transitions: usize,
    /// Transitions left out by sleep sets (`Search::with_sleep_sets`; 0 without).
    pub asleep: usize,
    /// New states left out for a state found before that dominates them
    /// (`Search::with_subsumption`; 0 without).
    pub subsumed: usize,
}

impl<M: Model> Search<M> {
    /// The runs that break property `property` (an index into `Model::properties`) in
    /// the fewest steps found, each from the start: the report's first (the first
    /// met), then the others met at the same depth, in the order breadth first met
    /// them, at most `bfs::MAX_SHORTEST` in all. Empty if none was found. Each is
    /// rebuilt by a replay (a few hundred steps at most).
    pub fn shortest_runs(&self, property: usize) -> impl Iterator<Item = Vec<M::Action>> + '_ {
        let first = self.found.get(property).copied().flatten();
        let more = self.shortest.get(property).map_or(&[][..], |(_, m)| m);
        first
            .into_iter()
            .chain(more.iter().copied())
            .map(|index| self.replay(index).0)
    }

    /// What the search has found so far.
    pub fn report(&self) -> Report<M::Action> {
        let violations = self
            .found
            .iter()
            .enumerate()
            .filter_map(|(i, at)| {
                at.map(|index| Violation {
                    property: i,
                    name: self.model.properties()[i].name,
                    path: self.replay(index).0,
                })
            })
            .collect();
        Report {
            states: self.visited.len(),
            ends: self.ends,
            broken_ends: self.broken_ends.clone(),
            depth: self.depth,
            complete: self.is_done() && !self.cut,
            violations,
            visited_bytes: self.visited.bytes()
                + self.latest_now.capacity() * std::mem::size_of::<(u32, u32)>(),
            time_shift: !self.latest_now.is_empty(),
            transitions: self.transitions,
            asleep: self.sleep.as_ref().map_or(0, |s| s.skipped),
            subsumed: self.subsumed,
        }
    }
}
