//! What a service's open requests still had to do, counted by kind: what its crash
//! loses (`fault::Held`), read from each request's operation and stage. Split from
//! `service.rs`; `narrate/fault.rs` says it.
use super::super::config::{Hook, Op, WriteMode, WriteOrder};
use super::{Flow, Service, Stage};

/// The work a service's open requests had still to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// Open reads a client waits for (an early recompute has nobody waiting).
    pub reads: u32,
    /// Reads (early recomputes too) whose database read is out: the cache fill that
    /// follows its answer.
    pub fills: u32,
    /// Open writes (updates and inserts) a client waits for.
    pub writes: u32,
    /// Writes still to send their cache delete (cache-aside's invalidation).
    pub deletes: u32,
    /// Writes still to send their cache set (write-through).
    pub sets: u32,
    /// Writes still to publish their event (the event write path).
    pub publishes: u32,
    /// Writes still to send their database update (delete-then-update, a remote
    /// marker being set first).
    pub updates: u32,
}

impl Pending {
    pub fn requests(&self) -> u32 {
        self.reads + self.writes
    }
}

impl Service {
    /// What its open requests still had to do.
    pub fn pending(&self) -> Pending {
        let mut p = Pending::default();
        for f in &self.flows {
            match f.op {
                Op::Read => {
                    p.reads += u32::from(!f.background);
                    p.fills += u32::from(f.stage == Stage::Load);
                }
                Op::Write | Op::Insert | Op::DirectWrite => {
                    p.writes += 1;
                    self.write_left(f, &mut p);
                }
            }
        }
        p
    }

    /// The cache step (or publish, or update) write `f` has still to send, by its
    /// stage and the write path.
    fn write_left(&self, f: &Flow, p: &mut Pending) {
        let s = &self.settings;
        let after_commit = s
            .txn
            .is_some_and(|t| t.hook == Hook::AfterCommit || t.cache_aware);
        match f.stage {
            // The update is not sent yet: the delete of delete-then-update is out, or
            // a remote marker is being set first (the write's own step follows it).
            Stage::PreDelete => p.updates += 1,
            Stage::Marking => {
                p.updates += 1;
                self.after_commit(f, p);
            }
            Stage::Commit if s.write_order == WriteOrder::DeleteThenUpdate => {}
            Stage::Commit => self.after_commit(f, p),
            // In a transaction: the cache step inside it is still to send before the
            // update's answer (`TxUpdate`), or after `COMMIT` when it waits for it.
            Stage::TxUpdate => self.cache_step(p),
            Stage::TxCommit if after_commit => self.cache_step(p),
            _ => {}
        }
    }

    /// A delete, or write-through's set.
    fn cache_step(&self, p: &mut Pending) {
        if self.settings.write_mode == WriteMode::Through {
            p.sets += 1;
        } else {
            p.deletes += 1;
        }
    }

    /// What write `f` sends once its commit is in: a delete, a set or a publish by
    /// the write path (an insert deletes only where the scenario says so).
    fn after_commit(&self, f: &Flow, p: &mut Pending) {
        let s = &self.settings;
        match (f.op, s.write_mode) {
            (Op::Insert, _) => {
                if s.negative.is_some_and(|n| n.invalidate_on_insert) {
                    p.deletes += 1;
                }
            }
            (_, WriteMode::Invalidate | WriteMode::Through) => self.cache_step(p),
            (_, WriteMode::Event) => p.publishes += 1,
            (_, WriteMode::Outbox | WriteMode::CommitOnly | WriteMode::Behind) => {}
        }
    }
}
