//! A state reached again: with time shifts, the span of `now` it stands for; with
//! sleep sets, what stays asleep in it.
use super::super::model::Model;
use super::super::sleep::intersect;
use super::Search;

impl<M: Model> Search<M> {
    /// A state reached again (node `known`, as the visited set's look-up found it),
    /// with sleep set `gives` from this path: if it waits in the frontier, only what
    /// both paths say stays asleep.
    pub(super) fn wake(&mut self, known: Option<u32>, gives: Option<&[u64]>) {
        let (Some(sleep), Some(gives), Some(known)) = (&mut self.sleep, gives, known) else {
            return;
        };
        if let Some(first) = self.next_level.first() {
            if known >= first.index {
                let pos = (known - first.index) as usize;
                debug_assert_eq!(self.next_level[pos].index, known);
                intersect(&mut sleep.next[pos], gives);
                return;
            }
        }
        if let Some(first) = self.level.first() {
            if known >= first.index {
                let pos = (known - first.index) as usize;
                debug_assert_eq!(self.level[pos].index, known);
                // Not expanded yet (the one being expanded is at `cursor - 1`).
                if pos >= self.cursor {
                    intersect(&mut sleep.level[pos], gives);
                }
            }
        }
    }

    /// With time shifts: the span of `now` that the states `next` stands for reach
    /// from those `index` stands for, checked against the limit; brought up to date
    /// if `next` is known already (node `known`: then marked to be expanded again if
    /// it was).
    pub(super) fn shifted(
        &mut self,
        index: u32,
        from: u64,
        next: &M::State,
        known: Option<u32>,
        refreshing: bool,
    ) -> Shifted {
        let Some(to) = self.model.now(next) else {
            return Shifted::New((0, 0));
        };
        let (first, last) = self.latest_now[index as usize];
        let gain = to.saturating_sub(from);
        let (old_first, old_last) = known.map_or((u64::MAX, 0), |k| {
            let (a, b) = self.latest_now[k as usize];
            (u64::from(a), u64::from(b))
        });
        let span = (
            (u64::from(first) + gain).min(old_first),
            (u64::from(last) + gain).max(old_last),
        );
        if span.1 > u64::from(u32::MAX) || !self.model.within(next, span.0, span.1) {
            self.shift_failed = true;
            return Shifted::Failed;
        }
        let span = (span.0 as u32, span.1 as u32);
        match known {
            None => Shifted::New(span),
            Some(known) => {
                let held = &mut self.latest_now[known as usize];
                if span != *held {
                    *held = span;
                    // Expanded already (states are expanded in index order, and all
                    // of them before any is refreshed): its successors are brought up
                    // to date once the levels are done.
                    if known <= index || refreshing {
                        self.stale.push(std::cmp::Reverse(known));
                    }
                }
                Shifted::Known
            }
        }
    }

    /// Expands state `index` again to carry its grown `latest_now` to its successors.
    ///
    /// A successor it marks stale is kept as reached here (up to `held_states` of
    /// them: the frontier holds none by now), and refreshed from that state instead of
    /// one re-derived by replay: it has the node's fingerprint, so it is the node's
    /// state shifted in time, which the search takes as the node itself (its `now`
    /// within the node's span, every gain and check the same). Not one that stands for
    /// it by subsumption, a different state.
    pub(super) fn refresh(&mut self, index: u32) {
        let state = match self.refreshed.remove(&index) {
            Some(state) => state,
            None => self.rederive(index),
        };
        let Some(from) = self.model.now(&state) else {
            return;
        };
        let mut actions = std::mem::take(&mut self.actions);
        self.model.actions(&state, &mut actions);
        for action in &actions {
            let Some(next) = self.model.next(&state, *action) else {
                continue;
            };
            let fingerprint = self.model.fingerprint(&next);
            // A state left out for one that dominates it: that one stands for it here,
            // and its span grows to cover it (its successors cover the left-out one's).
            let found = self.visited.find(fingerprint);
            let known = match found {
                Some(k) => Some(k),
                None => self.dominated_by(&next, fingerprint, None),
            };
            let marked = self.stale.len();
            if let Shifted::Failed = self.shifted(index, from, &next, known, true) {
                break;
            }
            match found {
                Some(k)
                    if self.stale.len() > marked
                        && self.refreshed.len() < self.bounds.held_states
                        && !self.refreshed.contains_key(&k) =>
                {
                    self.refreshed.insert(k, next);
                }
                _ => self.model.recycle(next),
            }
        }
        self.actions = actions;
        self.model.recycle(state);
    }
}

/// What a successor is, with time shifts.
pub(super) enum Shifted {
    /// Not found before; the span of `now` it stands for.
    New((u32, u32)),
    Known,
    /// It could pass the limit.
    Failed,
}
