//! The sentences of a write in a transaction (`txn.rs`).
use super::super::parts::{said, Said};
use super::super::txn::{Step, TxnFact};

pub(super) fn say(fact: TxnFact) -> Said {
    match fact {
        TxnFact::Began { key } => said(
            "begin sent",
            format!("The service opens a transaction and updates {key} in it: BEGIN; UPDATE."),
        ),
        TxnFact::CommitFirst { version, held } => {
            let why = if held {
                "The transaction-aware cache holds the cache's part of it until COMMIT, and drops it if the \
                 transaction rolls back"
            } else {
                "The cache step is an after-commit hook: it will run only once COMMIT has succeeded"
            };
            said(
                "commit sent",
                format!(
                    "{version} is written inside the transaction. {why}. The service sends COMMIT."
                ),
            )
        }
        TxnFact::HookInside { key, version, set } => {
            let step = if set {
                format!("sets {key} = {version} in the cache")
            } else {
                format!("deletes {key} from the cache")
            };
            said(
                if set { "set sent" } else { "del sent" },
                format!(
                    "{version} is written but not committed. A hook that runs inside the transaction (like Rails' \
                     after_save) {step} now, before COMMIT: for everyone else the row is still the old version."
                ),
            )
        }
        TxnFact::HookDone => said(
            "commit sent",
            "The cache step is done; only now does the service send COMMIT.",
        ),
        TxnFact::StepAfterCommit => said(
            "",
            "COMMIT succeeded, so the cache step that waited for it runs now. ",
        ),
        TxnFact::Acked { version, client } => said(
            "ack",
            format!("{version} is committed; the service tells {client} the write succeeded."),
        ),
        TxnFact::RolledBack { client, step } => {
            let note = match step {
                Step::Held => {
                    "Nothing of it reached the cache: its cache step waited for a COMMIT that never came."
                }
                Step::SetInside => {
                    "But its set already reached the cache, inside the transaction: the cache holds a version that \
                     never committed, and no delete will come: only its TTL ends it."
                }
                Step::DeleteInside => {
                    "Its delete already ran inside the transaction; the key is simply refilled with the committed \
                     row."
                }
            };
            said(
                "failed",
                format!("The transaction rolled back: the service tells {client} the write failed. {note}"),
            )
        }
    }
}
