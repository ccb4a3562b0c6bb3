//! A state of the frontier re-derived, and a run rebuilt, by replaying choices from
//! the start.
use super::super::model::Model;
use super::Search;

impl<M: Model> Search<M> {
    /// Node `index`'s ancestors from the start, and itself.
    pub(super) fn chain(&self, index: u32) -> Vec<u32> {
        let mut chain = vec![index];
        let mut at = index;
        // Bounded: parents are found before their children, so indices fall to 0.
        while at != 0 {
            at = self.visited.get(at).parent;
            chain.push(at);
        }
        chain.reverse();
        chain
    }

    /// The state of node `index`, replayed from the longest prefix of its path that
    /// the last replay shares.
    pub(super) fn rederive(&mut self, index: u32) -> M::State {
        let chain = self.chain(index);
        let shared = self
            .path
            .iter()
            .zip(&chain)
            .take_while(|((a, _), b)| a == *b)
            .count();
        self.path.truncate(shared);
        if self.path.is_empty() {
            self.path.push((0, self.model.init()));
        }
        for &at in &chain[self.path.len()..] {
            let (from, state) = &self.path[self.path.len() - 1];
            // Siblings are re-derived one after another from their parent: its actions
            // are listed once for all of them.
            if self.path_actions.0 != Some(*from) {
                self.model.actions(state, &mut self.path_actions.1);
                self.path_actions.0 = Some(*from);
            }
            let action = self.path_actions.1[self.visited.get(at).choice as usize];
            let next = self
                .model
                .next(state, action)
                .expect("a recorded choice replays: the model is deterministic");
            self.path.push((at, next));
        }
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
