//! Subsumption: a new state left out for one found before that dominates it.
use super::super::model::Model;
use super::Search;

impl<M: Model> Search<M> {
    /// The same search, with subsumption: a new state is left out when a state that
    /// dominates it (`Model::dominators`: it can do all the new one can, step for step)
    /// was found before, so at no greater depth. The states left out are all reached
    /// through the one found, so the same properties break, each first at the same
    /// depth; fewer states and end states are counted. Not with sleep sets (a state
    /// left out would have to hand its sleep set on): with both, only sleep sets act.
    pub fn with_subsumption(mut self) -> Search<M> {
        self.subsume = Some(Vec::new());
        self.start();
        self
    }

    /// The node of a state that dominates `state`, found before (with subsumption).
    /// With time shifts (`at`: the node `state` is reached from, and its `now`), only
    /// one that stands already for every `now` `state` stands for: widening its span
    /// would let a crash and its restart, which reach the same world later, carry
    /// spans round in a loop up to the limit on time.
    pub(super) fn dominated_by(
        &mut self,
        state: &M::State,
        fingerprint: u64,
        at: Option<(u32, u64)>,
    ) -> Option<u32> {
        if self.sleep.is_some() {
            return None;
        }
        let out = self.subsume.as_mut()?;
        self.model.dominators(state, fingerprint, out);
        let span = match (at, self.model.now(state)) {
            (Some((index, from)), Some(to)) => {
                let (first, last) = self.latest_now[index as usize];
                let gain = to.saturating_sub(from);
                Some((u64::from(first) + gain, u64::from(last) + gain))
            }
            _ => None,
        };
        out.iter().filter_map(|f| self.visited.find(*f)).find(|k| {
            span.is_none_or(|(first, last)| {
                let (a, b) = self.latest_now[*k as usize];
                u64::from(a) <= first && last <= u64::from(b)
            })
        })
    }
}
