//! What the search needs to know of a system: its start, its actions, its next state,
//! a fingerprint of a state, and the properties to check.
use std::fmt::Debug;

/// When a run breaks a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Violated in the run's last state (state invariants: the transient window
    /// between a commit and its delete is not a break).
    AtEnd,
    /// Violated in any state of the run (history properties, which stay broken).
    Always,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Property {
    /// The contract's name (`cache-matches-db`).
    pub name: &'static str,
    pub when: When,
}

pub trait Model {
    type State: Clone;
    type Action: Copy + PartialEq + Debug;

    /// The state every run starts from.
    fn init(&self) -> Self::State;

    /// Clears `out` and writes the actions enabled in `state`, in a fixed order.
    /// Returns whether `state` is an end (a run may stop here): actions that never
    /// keep a run going, such as faults, may still be listed.
    fn actions(&self, state: &Self::State, out: &mut Vec<Self::Action>) -> bool;

    /// The `choice`th of the actions `actions` would list for `state` (which lists at
    /// least that many). `out` is left with a prefix of that list, at least through
    /// `choice`: a model may find it without listing them all (a replay asks for one
    /// action of each state along a path). The default lists them all.
    fn action_at(
        &self,
        state: &Self::State,
        choice: usize,
        out: &mut Vec<Self::Action>,
    ) -> Self::Action {
        self.actions(state, out);
        out[choice]
    }

    /// The state after `action`, or `None` if it is not enabled after all.
    fn next(&self, state: &Self::State, action: Self::Action) -> Option<Self::State>;

    /// The same as `next`, from a state the search no longer needs (its last
    /// successor): a model may step it in place instead of copying it.
    fn next_owned(&self, state: Self::State, action: Self::Action) -> Option<Self::State> {
        self.next(&state, action)
    }

    /// A successor the search is done with (it was found before): a model may keep it
    /// to copy the next successor into its buffers (`Clone::clone_from`) instead of
    /// allocating them anew. Dropping it, the default.
    fn recycle(&self, _state: Self::State) {}

    /// Equal for states the search may treat as one; distinct states collide with a
    /// probability of about n²/2⁶⁵ (one in 36 million for a million states).
    fn fingerprint(&self, state: &Self::State) -> u64;

    /// A coarser fingerprint for a search that proves nothing (the depth-first phase,
    /// which looks for a breaking run and follows only real steps): it may take states
    /// with different futures as one, so it only prunes what such a search follows.
    /// The exact one, the default.
    fn fingerprint_coarse(&self, state: &Self::State) -> u64 {
        self.fingerprint(state)
    }

    fn properties(&self) -> &[Property];

    /// Writes to `out` the fingerprints of the states that `state` (whose fingerprint is
    /// `fingerprint`) is dominated by:
    /// states that can take every action `state` can, each to a state that dominates
    /// the one `state` reaches (so every run from `state` is a run from them too, as
    /// long and breaking the same properties), and that end where `state` ends. A
    /// search with subsumption (`Search::with_subsumption`) leaves out a new state
    /// one of them was found before (so at no greater depth). None, the default.
    fn dominators(&self, _state: &Self::State, _fingerprint: u64, _out: &mut Vec<u64>) {}

    /// For a model whose fingerprint forgets a shift of every time: the state's `now`
    /// (`None`, the default: the fingerprint keeps absolute time). Two states with
    /// one fingerprint then stand for each other shifted in time, which is sound only
    /// where no limit on time (a horizon) falls between them (`within`); the search
    /// checks that, and if it fails, calls `keep_absolute_time` and starts again.
    fn now(&self, _state: &Self::State) -> Option<u64> {
        None
    }

    /// Whether `state`, shifted so that its `now` is anywhere from `min_now` to
    /// `max_now`, would have everything that may still happen on the same side of the
    /// model's limit on time as `state` has.
    fn within(&self, _state: &Self::State, _min_now: u64, _max_now: u64) -> bool {
        true
    }

    /// From now on the fingerprint keeps absolute time (and `now` is `None`).
    fn keep_absolute_time(&mut self) {}

    /// Whether `action` is a fault placed by choice (a crash, a lost message), which a
    /// run in the earliest-first order never takes (`search::held`). `false`, the
    /// default.
    fn is_fault(&self, _action: Self::Action) -> bool {
        false
    }

    /// Whether `state` violates the `i`th property.
    fn violates(&self, state: &Self::State, i: usize) -> bool;

    /// Whether `a` and `b`, both enabled in `state`, are independent there: each stays
    /// enabled after the other, and the two orders reach states with one fingerprint.
    /// The search with sleep sets (`Search::with_sleep_sets`) then follows only one of
    /// the two orders. `false`, the default, is always sound.
    fn independent(&self, _state: &Self::State, _a: Self::Action, _b: Self::Action) -> bool {
        false
    }

    /// For each two of `actions` (all enabled in `state`), whether they are
    /// independent: `out[i * n + j]` for the `i`th and the `j`th of the `n`. The default
    /// asks `independent` of each pair.
    fn independence(&self, state: &Self::State, actions: &[Self::Action], out: &mut Vec<bool>) {
        out.clear();
        for a in actions {
            out.extend(actions.iter().map(|b| self.independent(state, *a, *b)));
        }
    }

    /// A name of `action` that two states with one fingerprint give their
    /// corresponding actions (it may not read what the fingerprint forgets, such as
    /// ids it renames). Two actions of one state may share a name: the sleep sets then
    /// leave both awake.
    fn action_key(&self, _state: &Self::State, _action: Self::Action) -> u64 {
        0
    }
}
