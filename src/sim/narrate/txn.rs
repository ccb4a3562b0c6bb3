//! The sentences of a write in a transaction (`txn.rs`).
use super::super::parts::{said, Said};
use super::super::txn::{Step, TxnFact};
use super::names::Cast;

pub(super) fn say(n: &Cast, fact: TxnFact) -> Said {
    let the_cache = n.cache;
    let (the_service, cap_service) = (n.service, n.service.cap());
    match fact {
        TxnFact::Began { key } => said(
            "begin sent",
            format!("{cap_service} opens a transaction and updates {key} in it: BEGIN; UPDATE."),
        ),
        TxnFact::CommitFirst { version, held } => {
            let why = if held {
                format!(
                    "The transaction-aware cache holds {the_cache}'s part of it until COMMIT, and drops it if the \
                     transaction rolls back"
                )
            } else {
                "The cache step is an after-commit hook: it will run only once COMMIT has succeeded"
                    .to_string()
            };
            said(
                "commit sent",
                format!(
                    "{version} is written inside the transaction. {why}. {cap_service} sends COMMIT."
                ),
            )
        }
        TxnFact::HookInside { key, version, set } => {
            let step = if set {
                format!("sets {key} = {version} in {the_cache}")
            } else {
                format!("deletes {key} from {the_cache}")
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
            format!("The cache step is done; only now does {the_service} send COMMIT."),
        ),
        TxnFact::StepAfterCommit => said(
            "",
            "COMMIT succeeded, so the cache step that waited for it runs now. ",
        ),
        TxnFact::Acked { version, client } => said(
            "ack",
            format!("{version} is committed; {the_service} tells {client} the write succeeded."),
        ),
        TxnFact::RolledBack { client, step } => {
            let note = match step {
                Step::Held => format!(
                    "Nothing of it reached {the_cache}: its cache step waited for a COMMIT that never came."
                ),
                Step::SetInside => format!(
                    "But it sent its set to {the_cache} inside the transaction, and a rollback cannot recall it: \
                     {the_cache} gets a version that never committed, and no delete will come: only its TTL ends it."
                ),
                Step::DeleteInside => "Its delete already ran inside the transaction; the key is simply refilled \
                                       with the committed row."
                    .to_string(),
            };
            said(
                "failed",
                format!("The transaction rolled back: {the_service} tells {client} the write failed. {note}"),
            )
        }
    }
}
