//! The consumer groups of a durable log: each subscriber's own state of every entry
//! of the shared log, its committed offset, and a new session of one group.
use super::{Bus, EntryState, NodeStatus};
use crate::sim::ids::NodeId;
use crate::sim::msg::BusEvent;

impl Bus {
    /// How many consumer groups read the log (at least one: the first subscriber's,
    /// or nobody's where there is none).
    pub(super) fn group_count(&self) -> usize {
        self.groups.len() + 1
    }

    /// The group `consumer` reads in (the first where it is not a subscriber).
    pub(super) fn group_of(&self, consumer: NodeId) -> usize {
        self.subscribers
            .iter()
            .position(|(id, _)| *id == consumer)
            .filter(|g| *g < self.group_count())
            .unwrap_or(0)
    }

    /// The subscriber that reads in group `g`, and its connection (`Down`: none).
    pub(super) fn reader(&self, g: usize) -> (Option<NodeId>, NodeStatus) {
        self.subscribers
            .get(g)
            .map_or((None, NodeStatus::Down), |(id, st)| (Some(*id), *st))
    }

    /// The id group `g`'s timers and facts name: its subscriber.
    pub(super) fn reader_id(&self, g: usize) -> NodeId {
        self.reader(g).0.unwrap_or(NodeId::CONSUMER)
    }

    /// Group `g`'s state of entry `i`, and its consumer's failures on it.
    pub fn entry(&self, g: usize, i: usize) -> Option<(EntryState, u32)> {
        if g == 0 {
            self.log.get(i).map(|e| (e.state, e.failures))
        } else {
            let e = self.groups.get(g - 1)?.get(i)?;
            Some((e.state, e.failures))
        }
    }

    pub(super) fn entry_mut(&mut self, g: usize, i: usize) -> Option<(&mut EntryState, &mut u32)> {
        if g == 0 {
            self.log.get_mut(i).map(|e| (&mut e.state, &mut e.failures))
        } else {
            let e = self.groups.get_mut(g - 1)?.get_mut(i)?;
            Some((&mut e.state, &mut e.failures))
        }
    }

    pub(super) fn state(&self, g: usize, i: usize) -> EntryState {
        self.entry(g, i).map_or(EntryState::Acked, |(st, _)| st)
    }

    /// The first consumer's committed offset: the first event it has not yet handled
    /// (or given up on).
    pub fn offset(&self) -> u32 {
        self.committed(0)
    }

    /// Group `g`'s committed offset: the first event its consumer has not yet handled
    /// (or given up on).
    pub fn committed(&self, g: usize) -> u32 {
        (0..self.log.len())
            .position(|i| !matches!(self.state(g, i), EntryState::Acked | EntryState::Dead))
            .unwrap_or(self.log.len()) as u32
    }

    /// Each subscriber of a durable log with its committed offset, in order.
    pub fn offsets(&self) -> impl Iterator<Item = (NodeId, u32)> + '_ {
        self.subscribers
            .iter()
            .take(self.group_count())
            .enumerate()
            .map(|(g, (id, _))| (*id, self.committed(g)))
    }

    /// The events of the log some group has not handled yet (pending, out for
    /// delivery or being retried).
    pub fn unhandled(&self) -> impl Iterator<Item = &BusEvent> + '_ {
        self.log.iter().enumerate().filter_map(|(i, e)| {
            (0..self.group_count())
                .any(|g| {
                    matches!(
                        self.state(g, i),
                        EntryState::Pending | EntryState::Sent | EntryState::Retrying
                    )
                })
                .then_some(&e.ev)
        })
    }

    /// Whether any group waits for the backoff of a failed event.
    pub fn retrying(&self) -> bool {
        (0..self.group_count())
            .any(|g| (0..self.log.len()).any(|i| self.state(g, i) == EntryState::Retrying))
    }

    /// A new session of group `g`: everything delivered but not acknowledged goes
    /// back to pending.
    pub(super) fn reset_group(&mut self, g: usize) {
        for i in 0..self.log.len() {
            if let Some((st, _)) = self.entry_mut(g, i) {
                if matches!(*st, EntryState::Sent | EntryState::Retrying) {
                    *st = EntryState::Pending;
                }
            }
        }
    }
}
