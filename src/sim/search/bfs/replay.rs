//! A state of the frontier re-derived, and a run rebuilt, by replaying choices from
//! the start.
use super::super::model::Model;
use super::Search;

impl<M: Model> Search<M> {
    /// Node `index`'s ancestors from the start, and itself, into `chain`.
    fn chain_into(&self, index: u32, chain: &mut Vec<u32>) {
        chain.clear();
        chain.push(index);
        let mut at = index;
        // Bounded: parents are found before their children, so indices fall to 0.
        while at != 0 {
            at = self.visited.get(at).parent;
            chain.push(at);
        }
        chain.reverse();
    }

    /// The action that reached node `at` from its parent, if its entry is in the
    /// level being visited, the next one or the one before (each list's entries are
    /// numbered consecutively).
    fn entry_action(&self, at: u32) -> Option<M::Action> {
        [&self.level, &self.prev_level, &self.next_level]
            .into_iter()
            .find_map(|list| {
                let first = list.first()?.index;
                let entry = list.get(at.checked_sub(first)? as usize)?;
                debug_assert_eq!(entry.index, at);
                entry.action
            })
    }

    /// The state of node `index`, replayed from the longest prefix of its path that
    /// the last replay shares.
    pub(super) fn rederive(&mut self, index: u32) -> M::State {
        // The chain's list is kept between calls (no allocation per state).
        let mut chain = std::mem::take(&mut self.chain);
        self.chain_into(index, &mut chain);
        let shared = self
            .path
            .iter()
            .zip(&chain)
            .take_while(|((a, _), b)| a == *b)
            .count();
        // The states past the shared prefix go back to the model (`Model::recycle`).
        while self.path.len() > shared {
            if let Some((_, s)) = self.path.pop() {
                self.model.recycle(s);
            }
        }
        if self.path.is_empty() {
            self.path.push((0, self.model.init()));
        }
        for &at in &chain[self.path.len()..] {
            let depth = self.path.len() - 1;
            let (from, state) = &self.path[depth];
            // A path state's actions are listed once while it stays on the path, for
            // every state re-derived through it (its children are siblings in the
            // frontier, and its grandchildren follow theirs), or, for one child, only
            // as far as the model needs to find its action (`Model::action_at`).
            // Positions on the path are depths, and a node's index names one state.
            if self.path_actions.len() <= depth {
                self.path_actions
                    .resize_with(depth + 1, || (super::NOT_HELD, Vec::new()));
            }
            // What is kept is what `action_at` left: a list that starts as `actions`'
            // does, as long as it needed.
            // Its entry, while in the frontier's lists, names it: nothing to list.
            let action = match self.entry_action(at) {
                Some(action) => action,
                None => {
                    let choice = self.visited.get(at).choice as usize;
                    let listed = &mut self.path_actions[depth];
                    if listed.0 != *from || choice >= listed.1.len() {
                        self.model.action_at(state, choice, &mut listed.1);
                        listed.0 = *from;
                    }
                    listed.1[choice]
                }
            };
            let next = self
                .model
                .next(state, action)
                .expect("a recorded choice replays: the model is deterministic");
            self.path.push((at, next));
        }
        self.chain = chain;
        self.path
            .pop()
            .map(|(_, s)| s)
            .expect("the path ends at `index`")
    }

    /// The choices from the start to node `index`, and the state they reach.
    pub(super) fn replay(&self, index: u32) -> (Vec<M::Action>, M::State) {
        let mut choices = Vec::new();
        let mut at = index;
        // Bounded: parents are found before their children, so indices fall to 0.
        while at != 0 {
            let node = self.visited.get(at);
            choices.push(node.choice as usize);
            at = node.parent;
        }
        choices.reverse();
        let mut state = self.model.init();
        let mut path = Vec::with_capacity(choices.len());
        let mut actions = Vec::new();
        for choice in choices {
            self.model.actions(&state, &mut actions);
            let action = actions[choice];
            state = self
                .model
                .next(&state, action)
                .expect("a recorded choice replays: the model is deterministic");
            path.push(action);
        }
        (path, state)
    }
}
