//! Sleep sets (Godefroid, 1996), breadth first: a partial-order reduction that skips
//! the second order of two independent events. A state's sleep set names the events
//! whose successors another order reaches already: after `t` from a state `p`, every
//! event `e` that `p` had asleep or had followed before `t`, and that is independent
//! of `t`, is asleep (`p·e·t` is `p·t·e`, and `p·e` is followed, or covered, with `t`
//! awake). A state reached from several states of the level before keeps only what
//! all of them say is asleep (the intersection), which is settled before it is
//! expanded: every state of level `d` is reached from level `d - 1` before level `d`
//! starts. So every state is still found, at its shortest depth: a shortest path to
//! it has an interleaving of the same events that sleep sets follow, of the same
//! length; the distinct states, end states, broken invariants and shortest lengths are
//! the plain search's, and only transitions are saved.
//!
//! A state reached again after it was expanded changes nothing: the path that reaches
//! it is no shorter than its first, and the states it would reach through an event
//! asleep are reached through the other order. (With time shifts, a state whose span
//! of `now` grows after it was expanded is expanded again whole: `Search::refresh`.)
//!
//! Events are named by `Model::action_key`, so a set carries over between the
//! different concrete states one fingerprint stands for; a name two events of a state
//! share is never asleep there.

use super::model::Model;
use std::collections::HashSet;

/// The sleep sets of the states waiting in the two levels of the frontier, by their
/// place in the level (a level's states have consecutive indices).
#[derive(Default)]
pub struct Sleep {
    pub level: Vec<Vec<u64>>,
    pub next: Vec<Vec<u64>>,
    /// Transitions not followed because their event was asleep.
    pub skipped: usize,
    /// Scratch for a state being expanded: its actions' names (if something is
    /// asleep), whether each is asleep, the actions done so far (asleep or followed),
    /// and which two of its actions are independent (`Model::independence`).
    keys: Vec<u64>,
    asleep: Vec<bool>,
    done: Vec<usize>,
    pub independent: Vec<bool>,
    /// The set a transition gives its state, written here first (`Search::visit`),
    /// and the sets of states expanded, kept to copy the next kept sets into: a set per
    /// transition would be an allocation each.
    pub gives: Vec<u64>,
    spare: Vec<Vec<u64>>,
}

/// At most this many sets of expanded states are kept to copy into.
const SPARE_SETS: usize = 256;

impl Sleep {
    /// Starts a new level: the next level's sets become the level's.
    pub fn next_level(&mut self) {
        // The level's list (its sets all taken) keeps its room for the next level.
        std::mem::swap(&mut self.level, &mut self.next);
        self.next.clear();
    }

    pub fn clear(&mut self) {
        self.level = vec![Vec::new()];
        self.next.clear();
    }

    /// `set`, in a kept set's buffer if there is one (nothing allocated for an empty
    /// set).
    pub fn copy(&mut self, set: &[u64]) -> Vec<u64> {
        if set.is_empty() {
            return Vec::new();
        }
        let mut copy = self.spare.pop().unwrap_or_default();
        copy.clear();
        copy.extend_from_slice(set);
        copy
    }

    /// A set the search is done with: kept to copy into.
    pub fn give_back(&mut self, set: Vec<u64>) {
        if set.capacity() > 0 && self.spare.len() < SPARE_SETS {
            self.spare.push(set);
        }
    }

    /// Prepares the expansion of a state with `n` actions and `set` asleep; `key`
    /// names its `i`th action (asked only if something is asleep).
    pub fn expand(&mut self, n: usize, set: &[u64], mut key: impl FnMut(usize) -> u64) {
        self.keys.clear();
        self.asleep.clear();
        self.done.clear();
        if set.is_empty() {
            self.asleep.resize(n, false);
            return;
        }
        self.keys.extend((0..n).map(&mut key));
        for (i, k) in self.keys.iter().enumerate() {
            let unique = self.keys.iter().filter(|x| *x == k).count() == 1;
            let asleep = unique && set.contains(k);
            self.asleep.push(asleep);
            if asleep {
                self.done.push(i);
            }
        }
    }

    pub fn is_asleep(&self, i: usize) -> bool {
        self.asleep[i]
    }

    /// The set of the state reached by action `i`: the actions done so far (asleep,
    /// or followed before it) that are independent of it (`independent`, the matrix
    /// `Model::independence` wrote for the state), by their place in the expanded
    /// state's list (the caller names them as the state reached does).
    pub fn after(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let n = self.asleep.len();
        self.done
            .iter()
            .copied()
            .filter(move |j| self.independent.get(j * n + i).copied().unwrap_or(false))
    }

    /// Action `i` was followed: it is asleep in the states its later siblings reach
    /// (if they are independent of it).
    pub fn followed(&mut self, i: usize) {
        self.done.push(i);
    }
}

/// What stays asleep in a state reached again before it was expanded.
pub fn intersect(set: &mut Vec<u64>, other: &[u64]) {
    set.retain(|k| other.contains(k));
}

/// Checks the independence a model declares, breadth first over its states (at most
/// `max` of them): for each two events it calls independent in a state, each is
/// enabled after the other and both orders reach one fingerprint. Returns how many
/// pairs were checked, or the first pair that fails, described.
pub fn check_independence<M: Model>(model: &M, max: usize) -> Result<usize, String> {
    let mut seen = HashSet::new();
    let init = model.init();
    seen.insert(model.fingerprint(&init));
    let mut level = vec![init];
    let (mut pairs, mut actions, mut after) = (0, Vec::new(), Vec::new());
    // Bounded: at most `max` states are kept, each level from the one before.
    while !level.is_empty() && seen.len() < max {
        let mut next = Vec::new();
        for s in &level {
            model.actions(s, &mut actions);
            let acts = actions.clone();
            for (i, &a) in acts.iter().enumerate() {
                let Some(sa) = model.next(s, a) else { continue };
                for &b in &acts[i + 1..] {
                    if !model.independent(s, a, b) {
                        continue;
                    }
                    pairs += 1;
                    let fail = |why: &str| Err(format!("{a:?} and {b:?}: {why}"));
                    if !model.independent(s, b, a) {
                        return fail("not symmetric");
                    }
                    let Some(sb) = model.next(s, b) else {
                        return fail("the second is not enabled");
                    };
                    model.actions(&sa, &mut after);
                    if !after.contains(&b) {
                        return fail("the first disables the second");
                    }
                    model.actions(&sb, &mut after);
                    if !after.contains(&a) {
                        return fail("the second disables the first");
                    }
                    let (Some(ab), Some(ba)) = (model.next(&sa, b), model.next(&sb, a)) else {
                        return fail("a step fails after the other");
                    };
                    if model.fingerprint(&ab) != model.fingerprint(&ba) {
                        return fail("the two orders reach different states");
                    }
                }
                if seen.len() < max && seen.insert(model.fingerprint(&sa)) {
                    next.push(sa);
                }
            }
        }
        level = next;
    }
    Ok(pairs)
}
