//! A connection of the service closes under its requests (`Payload::Closed` from a
//! node that crashed, or whose host refused the connection while it was down:
//! `fault/crash.rs`). What was pending on it fails, as a Redis client fails the
//! commands pending on a connection that closes, and a Postgres client's query fails
//! with "server closed the connection unexpectedly". The request goes on as real code
//! does: cache-aside reads a failed GET as a miss and ignores a failed SET or DEL (Rails'
//! RedisCacheStore and Spring's cache error handler log it and go on); a failed database
//! query fails the request, and its client is told. The sentences are in
//! `narrate/closed.rs`.
use super::super::config::{Op, WriteMode};
use super::super::ids::{NodeId, Version};
use super::super::msg::{LeaseReply, Payload};
use super::super::node::Ctx;
use super::{ConnLoss, Flow, Service, ServiceFact, Stage};

impl Service {
    /// The node `f`'s stage waits on for an answer, if any.
    pub(crate) fn waits_on(&self, f: &Flow) -> Option<NodeId> {
        let db = self.db_of(&Payload::DbRead { key: f.key });
        match f.stage {
            Stage::Lookup
            | Stage::Recheck
            | Stage::Locking
            | Stage::Fill
            | Stage::PreDelete
            | Stage::Invalidate
            | Stage::Through
            | Stage::Behind
            | Stage::Marking
            | Stage::TxHook
            | Stage::TxSevered => Some(self.settings.cache),
            Stage::Load if f.marked => Some(db),
            Stage::Load => Some(self.reads_of(&Payload::DbRead { key: f.key })),
            Stage::Commit | Stage::TxUpdate | Stage::TxCommit => Some(db),
            Stage::WaitLease | Stage::WaitLoad | Stage::WaitLock => None,
        }
    }

    /// The database that holds `f`'s open transaction while its cache step runs.
    fn session_on(&self, f: &Flow) -> Option<NodeId> {
        (f.stage == Stage::TxHook).then(|| self.db_of(&Payload::DbRead { key: f.key }))
    }

    /// Whether a request of it waits on `peer` (or holds a session there), and the
    /// hop from `peer` to it (`Actor::awaits`).
    pub(crate) fn awaits(&self, peer: NodeId) -> Option<u64> {
        let waits = self
            .flows
            .iter()
            .any(|f| self.waits_on(f) == Some(peer) || self.session_on(f) == Some(peer));
        waits.then(|| {
            if peer == self.settings.cache {
                self.settings.cache_ms
            } else {
                self.settings.db_read_ms
            }
        })
    }

    /// Its connection to `peer` closed: each request with something pending on it
    /// fails that, and goes on (`ConnLoss`). The fact comes first, then what the
    /// request does next (its own facts: an answer, a near copy kept).
    /// Returns whether a request had something pending on it.
    pub(crate) fn conn_closed(&mut self, ctx: &mut Ctx, peer: NodeId) -> bool {
        let hit: Vec<Flow> = self
            .flows
            .iter()
            .filter(|f| self.waits_on(f) == Some(peer) || self.session_on(f) == Some(peer))
            .cloned()
            .collect();
        for flow in &hit {
            // A request answered meanwhile (a single-flight waiter) is gone.
            if self.flow(Some(flow.id)).is_none() {
                continue;
            }
            let waited = self.waits_on(flow) == Some(peer);
            let what = if waited {
                self.loss(flow)
            } else {
                ConnLoss::Session
            };
            ctx.fact(ServiceFact::ConnLost {
                peer,
                key: flow.key,
                client: flow.client,
                what,
            });
            if waited {
                self.go_on(ctx, flow);
            } else {
                // The session of its open transaction is gone; its cache step runs on.
                self.set_stage(flow.id, Stage::TxSevered);
            }
        }
        !hit.is_empty()
    }

    /// What failed for `flow`, waiting at its stage, and what it does next.
    fn loss(&self, flow: &Flow) -> ConnLoss {
        let through = self.settings.write_mode == WriteMode::Through;
        match flow.stage {
            Stage::Lookup
            | Stage::Recheck
            | Stage::Locking
            | Stage::WaitLease
            | Stage::WaitLoad
            | Stage::WaitLock => ConnLoss::Get {
                lock: flow.stage == Stage::Locking,
            },
            Stage::Fill => ConnLoss::Fill {
                value: flow.loaded,
                background: flow.background,
            },
            Stage::PreDelete => ConnLoss::PreDelete,
            Stage::Invalidate | Stage::Through => ConnLoss::AfterCommit {
                version: flow.committed.unwrap_or(Version(0)),
                set: flow.stage == Stage::Through,
            },
            Stage::TxHook => ConnLoss::InTransaction { set: through },
            Stage::TxSevered => ConnLoss::DeadCommit,
            Stage::Behind | Stage::Marking => ConnLoss::CacheWrite {
                marker: flow.stage == Stage::Marking,
            },
            Stage::Load => {
                let shared = self.loading.get(&flow.key).map_or(0, |waiters| {
                    waiters
                        .iter()
                        .filter(|w| self.flow(Some(**w)).is_some())
                        .count()
                });
                ConnLoss::Read {
                    shared: u8::try_from(shared).unwrap_or(u8::MAX),
                    background: flow.background,
                }
            }
            Stage::Commit | Stage::TxUpdate | Stage::TxCommit => ConnLoss::Write {
                commit: flow.stage == Stage::TxCommit,
                insert: flow.op == Op::Insert,
            },
        }
    }

    /// `flow`'s command or query failed (`loss`): it goes on as real code does.
    fn go_on(&mut self, ctx: &mut Ctx, flow: &Flow) {
        let (key, client, id) = (flow.key, flow.client, flow.id);
        // Any lock it held died with the cache node.
        let mut f = flow.clone();
        f.locked = false;
        if let Some(m) = self.flow_mut(Some(id)) {
            m.locked = false;
        }
        match flow.stage {
            Stage::Lookup
            | Stage::Recheck
            | Stage::Locking
            | Stage::WaitLease
            | Stage::WaitLoad
            | Stage::WaitLock => {
                // A miss: it reads the database, with no lock and no fill guard.
                super::super::load::load(self, ctx, &f, LeaseReply::None);
            }
            // The value read is answered; with client tracking it is not kept near:
            // the SET that failed was what would have registered the read for tracking.
            Stage::Fill => {
                let untracked = self.near.settings.is_some_and(|c| c.tracking);
                super::super::load::on_filled(self, ctx, &f, untracked);
            }
            Stage::PreDelete => {
                self.set_stage(id, Stage::Commit);
                self.to_db(ctx, Some(id), Payload::DbWrite { key, outbox: false });
            }
            Stage::Invalidate | Stage::Through => {
                let version = flow.committed.unwrap_or(Version(0));
                self.answer(ctx, id, client, Payload::WriteOk { key, version });
            }
            Stage::TxHook => {
                self.set_stage(id, Stage::TxCommit);
                let commit = Payload::TxCommit { key };
                let db = self.db_of(&commit);
                ctx.send(db, Some(id), commit, self.settings.db_write_ms);
            }
            Stage::TxSevered | Stage::Behind | Stage::Marking => {
                self.answer(ctx, id, client, Payload::WriteFailed { key });
            }
            Stage::Load => {
                // Single-flight: the requests that waited for this load fail with it.
                for w in self.loading.remove(&key).unwrap_or_default() {
                    if let Some(c) = self.flow(Some(w)).map(|f| f.client) {
                        self.answer(ctx, w, c, Payload::ReadFailed { key });
                    }
                }
                if flow.background {
                    self.flows.retain(|f| f.id != id);
                } else {
                    self.answer(ctx, id, client, Payload::ReadFailed { key });
                }
            }
            Stage::Commit | Stage::TxUpdate | Stage::TxCommit => {
                self.answer(ctx, id, client, Payload::WriteFailed { key });
            }
        }
    }
}
