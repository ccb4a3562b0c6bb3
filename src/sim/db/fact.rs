//! What the database did, as data (`DbFact`): the books count it and the narration
//! (`narrate/db.rs`) tells it.
use super::OutboxRow;
use crate::sim::ids::{EventId, Key, NodeId, Version};
use crate::sim::msg::Payload;

/// What the database did with a message, for the books and the narration
/// (`narrate/db.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbFact {
    /// A row was read: its committed version.
    Read { key: Key, version: Version },
    /// A write committed `version`; with `outbox`, its outbox row (id `event`) in the
    /// same transaction; with `insert`, an `INSERT` that created the row.
    Committed {
        key: Key,
        version: Version,
        event: EventId,
        outbox: bool,
        insert: bool,
    },
    /// An `INSERT` of a row that exists (at `existing`): refused with a duplicate-key
    /// error, as a primary key's unique constraint refuses it. Its transaction commits
    /// nothing; the error goes back to the sender.
    DuplicateKey { key: Key, existing: Version },
    /// A write-behind put: whether it wrote.
    Put {
        key: Key,
        version: Version,
        wrote: bool,
    },
    /// A poll of the outbox returned this row.
    OutboxRow { row: OutboxRow },
    /// A poll found every outbox row published.
    OutboxEmpty,
    /// The outbox row of `event` is marked published.
    Marked { event: EventId },
    /// The change just committed went to the commit log as `lsn` and down the
    /// replication stream to `to`, arriving `lag_ms` later.
    Streamed { lsn: u32, to: NodeId, lag_ms: u64 },
    /// A replica asked for the log after `from_lsn`: `resent` changes go again.
    Streaming {
        to: NodeId,
        from_lsn: u32,
        resent: u32,
    },
    /// `BEGIN; UPDATE` inside `client`'s transaction: `version` there, `committed`
    /// for everyone else.
    TxUpdated {
        client: NodeId,
        key: Key,
        version: Version,
        committed: Version,
    },
    /// `COMMIT` made the transaction's `version` visible.
    TxCommitted {
        key: Key,
        version: Version,
        event: EventId,
    },
    /// `client`'s `UPDATE` of `key` waits for the row lock `holder`'s open
    /// transaction has on it.
    TxWaits {
        client: NodeId,
        key: Key,
        holder: NodeId,
    },
    /// `COMMIT` found no open transaction: it was rolled back.
    TxGone { key: Key, committed: Version },
    /// `from`'s connection closed (its process died): the session ended. `rolled`:
    /// the first of its open transactions rolled back (the client, the key, the
    /// version it had), `txns` of them in all; `waits`: its `UPDATE`s that were waiting
    /// for a row lock, gone with it. A freed row lock's next `UPDATE` follows
    /// (`TxUpdated`).
    SessionEnded {
        from: NodeId,
        rolled: Option<(NodeId, Key, Version)>,
        txns: u8,
        waits: u8,
    },
    /// A message the database does not handle.
    Ignored { payload: Payload },
}
