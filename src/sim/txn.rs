//! The service's write in a database transaction (read committed): `BEGIN; UPDATE`,
//! the cache step (the delete of cache-aside, or write-through's set) inside the
//! transaction or after it, and `COMMIT`, the moment the change becomes visible to
//! others. A transaction the database rolled back (an `abort`) answers `COMMIT` with
//! an error, and the writer is told its write failed.
//!
//! Where the cache step runs is the scenario's `txn` setting: `in-transaction` is
//! Rails' `after_save` (the step runs before `COMMIT`), `after-commit` is Rails'
//! `after_commit`; `cache_aware` holds the step until `COMMIT` and drops it on
//! rollback, as Spring's `TransactionAwareCacheDecorator` does. The sentences are in
//! `narrate/txn.rs`.
use super::config::{Hook, WriteMode};
use super::ids::{Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::node::Ctx;
use super::service::{Flow, Service, ServiceFact, Stage};

/// What the service did with a write in a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxnFact {
    /// `BEGIN; UPDATE` sent.
    Began { key: Key },
    /// The update is in; the cache step waits for `COMMIT` (`held`: a transaction-aware
    /// cache holds it), and `COMMIT` is sent.
    CommitFirst { version: Version, held: bool },
    /// The update is in; the cache step runs inside the transaction (`set`: a
    /// write-through set, else a delete).
    HookInside {
        key: Key,
        version: Version,
        set: bool,
    },
    /// The cache step inside the transaction is done; `COMMIT` is sent.
    HookDone,
    /// `COMMIT` succeeded and the cache step that waited for it runs now (follows
    /// the fact of that step).
    StepAfterCommit,
    /// `COMMIT` succeeded after the cache step: the writer is told.
    Acked { version: Version, client: NodeId },
    /// The transaction had rolled back: the writer is told its write failed.
    RolledBack {
        client: NodeId,
        /// Where its cache step stood: held back, a set that landed, a delete.
        step: Step,
    },
}

/// Where a rolled-back write's cache step stood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Held,
    SetInside,
    DeleteInside,
}

/// Whether the service runs this write in a transaction.
pub(crate) fn applies(s: &Service) -> bool {
    s.settings.txn.is_some()
        && matches!(
            s.settings.write_mode,
            WriteMode::Invalidate | WriteMode::Through
        )
}

/// Whether the cache step waits for `COMMIT`.
fn after_commit(s: &Service) -> bool {
    s.settings
        .txn
        .is_some_and(|t| t.hook == Hook::AfterCommit || t.cache_aware)
}

fn to_db(s: &Service, ctx: &mut Ctx, flow: &Flow, payload: Payload) {
    ctx.send(
        s.db_of(&payload),
        Some(flow.id),
        payload,
        s.settings.db_write_ms,
    );
}

/// The write request arrives: `BEGIN; UPDATE`.
pub(crate) fn begin(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let key = flow.key;
    s.set_stage(flow.id, Stage::TxUpdate);
    let client = flow.client;
    to_db(s, ctx, flow, Payload::TxUpdate { key, client });
    ctx.fact(ServiceFact::Txn(TxnFact::Began { key }));
}

/// A reply on a write in a transaction.
pub(crate) fn on_reply(s: &mut Service, ctx: &mut Ctx, msg: &Message, flow: &Flow) {
    let key = flow.key;
    let client = flow.client;
    let through = s.settings.write_mode == WriteMode::Through;
    let fact = match (msg.payload, flow.stage) {
        (Payload::TxUpdated { version, .. }, _) if after_commit(s) => {
            s.set_stage(flow.id, Stage::TxCommit);
            to_db(s, ctx, flow, Payload::TxCommit { key });
            let held = s.settings.txn.is_some_and(|t| t.cache_aware);
            TxnFact::CommitFirst { version, held }
        }
        (Payload::TxUpdated { version, .. }, _) => {
            s.set_stage(flow.id, Stage::TxHook);
            let step = if through {
                Payload::Set {
                    key,
                    version,
                    token: None,
                    loaded_at_ms: None,
                }
            } else {
                let tagged = s.settings.versioned_deletes.then_some(version);
                Payload::Del {
                    key,
                    version: tagged,
                }
            };
            s.to_cache(ctx, Some(flow.id), step);
            TxnFact::HookInside {
                key,
                version,
                set: through,
            }
        }
        (Payload::SetReply { .. } | Payload::DelReply { .. }, Stage::TxSevered) => {
            // Its session closed under the cache step (`service/closed.rs`): the
            // COMMIT fails at once, on the closed connection.
            s.answer(ctx, flow.id, client, Payload::WriteFailed { key });
            ctx.fact(ServiceFact::ConnLost {
                peer: s.db_of(&Payload::TxCommit { key }),
                key,
                client,
                what: super::service::ConnLoss::DeadCommit,
            });
            return;
        }
        (Payload::SetReply { .. } | Payload::DelReply { .. }, Stage::TxHook) => {
            s.set_stage(flow.id, Stage::TxCommit);
            to_db(s, ctx, flow, Payload::TxCommit { key });
            TxnFact::HookDone
        }
        (Payload::DbWriteReply { version, event, .. }, _) if after_commit(s) => {
            s.committed(ctx, flow, version, event);
            TxnFact::StepAfterCommit
        }
        (Payload::DbWriteReply { version, .. }, _) => {
            s.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
            TxnFact::Acked { version, client }
        }
        (Payload::TxRolledBack { .. }, _) => {
            s.answer(ctx, flow.id, client, Payload::WriteFailed { key });
            let step = match (after_commit(s), through) {
                (true, _) => Step::Held,
                (false, true) => Step::SetInside,
                (false, false) => Step::DeleteInside,
            };
            TxnFact::RolledBack { client, step }
        }
        (payload, _) => {
            ctx.fact(ServiceFact::Unexpected { payload });
            return;
        }
    };
    ctx.fact(ServiceFact::Txn(fact));
}
