//! A service's request on a connection that closed under it (`ServiceFact::ConnLost`):
//! what failed on it, by the real client's rule (a Redis client fails the commands
//! pending on a closed connection; a Postgres client's open transaction is gone), and
//! what the request does next. Apart from `closed.rs`, which tells the close itself.
use super::super::fact::Fact;
use super::super::ids::{Key, NodeId};
use super::super::parts::{said, Said};
use super::super::service::{ConnLoss, ServiceFact};
use super::super::world::World;
use super::names::Cast;

/// What a step has said of a close before a request's words on it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Told {
    /// Nothing: the close and the client's rule are said.
    No,
    /// The close (a tracking client's flush, N6): the client's rule is said.
    Close,
    /// The close and the client's rule, for an earlier request: only this one's.
    Rule,
}

/// A service's request lost its connection to `peer` (`ServiceFact::ConnLost`): what
/// failed on it, by the real client's rule, and what the request does next.
/// `told`: what the step has said already of the close (`Told`).
pub(super) fn conn_lost(
    w: &World,
    n: &Cast,
    peer: NodeId,
    key: Key,
    client: NodeId,
    what: ConnLoss,
    told: Told,
) -> Said {
    let (the_service, cap_service) = (n.service, n.service.cap());
    // The read path's pattern, by the write mode's (review 20b, N7: write-through's
    // read was told as cache-aside's); event-driven invalidation reads as cache-aside.
    let (reads, cap_reads) = match w.config.write_mode {
        super::super::config::WriteMode::Through => (
            "write-through's read path here",
            "Write-through's read path here",
        ),
        super::super::config::WriteMode::Behind => (
            "write-behind's read path here",
            "Write-behind's read path here",
        ),
        _ => ("cache-aside", "Cache-aside"),
    };
    let db = n.db_of(key);
    let closes = match told {
        Told::Close => format!("{client}'s request had a command pending on that connection."),
        _ => format!(
            "{cap_service}'s connection to {peer} closes under {client}'s request ({peer} crashed: its operating \
             system closed the socket, or its host refused a connection while it was down)."
        ),
    };
    // A further request on the same close: the close and the client's rule are said
    // (review 21, C3: the whole preamble was said again for each request).
    let (redis, postgres) = match told {
        Told::Rule => (
            format!("{client}'s request had a command pending on it too"),
            format!("{client}'s request had a query pending on it too"),
        ),
        _ => (
            format!("{closes} A Redis client fails the commands pending on a connection that closes"),
            format!(
                "{closes} A Postgres client's pending query fails then (\"server closed the connection \
                 unexpectedly\")"
            ),
        ),
    };
    // Write-through's own policy is told as its own (review session 20, F7).
    let ignored = |pattern: &str| {
        format!(
            "{pattern} ignores a failed cache command, as real code does (Rails' RedisCacheStore and Spring's cache \
             error handler log it and go on)"
        )
    };
    match what {
        // A lock request is not a lookup (review 21, C3): the mutex fails open.
        ConnLoss::Get { lock: true } => said(
            "lock failed: select sent",
            format!(
                "{redis}: its request for the lock on {key} fails. The mutex here fails open: {the_service} reads \
                 {key} from the database without the lock."
            ),
        ),
        ConnLoss::Get { lock: false } => said(
            "get failed: read as a miss",
            format!(
                "{redis}: its GET of {key} fails. {cap_reads} reads a failed lookup as a miss, so {the_service} \
                 reads {key} from the database."
            ),
        ),
        ConnLoss::Fill { value, background } => {
            let v = value.map_or("nothing".into(), |v| v.to_string());
            let then = if background {
                "nobody waited for this early recompute.".to_string()
            } else {
                format!("{the_service} answers {client} with {v}, the value it read.")
            };
            said(
                format!("set failed: answer {v}"),
                format!("{redis}: its SET of {key} = {v} fails, and {}: {then}", ignored(reads)),
            )
        }
        ConnLoss::PreDelete => said(
            "del failed: update sent",
            format!(
                "{redis}: its DEL of {key} fails, and {}: {the_service} updates {key} in {db} now.",
                ignored("cache-aside")
            ),
        ),
        // Its cache command failed, and the write is acknowledged: both, in that order
        // (review session 20, F14: "failed: ack" read as a failed ack).
        ConnLoss::AfterCommit { version, set } => said(
            if set { "set failed: ack sent" } else { "del failed: ack sent" },
            format!(
                "{redis}: its {} of {key} after the commit fails, and {}: {version} is committed, so \
                 {the_service} tells {client} the write succeeded.",
                if set { "SET" } else { "DEL" },
                ignored(if set { "write-through here" } else { "cache-aside" })
            ),
        ),
        ConnLoss::InTransaction { set } => said(
            if set { "set failed: commit sent" } else { "del failed: commit sent" },
            format!(
                "{redis}: the cache step inside the transaction (its {} of {key}) fails, and {}: only now \
                 does {the_service} send COMMIT.",
                if set { "SET" } else { "DEL" },
                ignored(if set { "write-through here" } else { "cache-aside" })
            ),
        ),
        // The label names the command that failed (review 21: "failed: write failed").
        ConnLoss::CacheWrite { marker: true } => said(
            "marker failed: write failed",
            format!(
                "{redis}: its set of the remote marker for {key}, which must come before the write, fails. \
                 {cap_service} tells {client} the write failed."
            ),
        ),
        ConnLoss::CacheWrite { marker: false } => said(
            "cache write failed: write failed",
            format!(
                "{redis}: its write of {key}, which the cache was to take, fails. {cap_service} tells {client} the \
                 write failed."
            ),
        ),
        ConnLoss::Read { shared, background } => {
            let who = match (background, shared) {
                (true, _) => "Nobody waited for this early recompute.".to_string(),
                (false, 0) => format!("{cap_service} tells {client} the read failed."),
                (false, k) => format!(
                    "{cap_service} tells {client} the read failed, and the {} that waited for this load.",
                    super::super::describe::count(u64::from(k), "request", "requests")
                ),
            };
            said("read failed", format!("{postgres}: its read of {key} fails. {who}"))
        }
        ConnLoss::Write { commit, insert } => {
            let what = match (commit, insert) {
                (true, _) => "COMMIT",
                (false, true) => "INSERT",
                (false, false) => "UPDATE",
            };
            said(
                "write failed",
                format!(
                    "{postgres}: its {what} of {key} fails, and it cannot tell whether the database committed it \
                     before it crashed (a transaction still open then is rolled back by the database's crash \
                     recovery). {cap_service} tells {client} the write failed."
                ),
            )
        }
        ConnLoss::Session => said(
            "session closed",
            format!(
                "{peer} crashed while {client}'s transaction was open in it, its operating system closing the \
                 socket: the session is gone, and the UPDATE, never committed, is rolled back by the database's \
                 crash recovery. {cap_service} is in the cache step of that transaction; a Postgres client reads \
                 the closed socket at its next statement, the COMMIT."
            ),
        ),
        ConnLoss::DeadCommit => said(
            "commit failed: write failed",
            format!(
                "The cache step is done, but the session of {client}'s transaction closed when {db} crashed: the \
                 COMMIT fails at once with a connection error (\"server closed the connection unexpectedly\"), not \
                 \"no open transaction\". The UPDATE was never committed; the database's crash recovery rolled it \
                 back. {cap_service} tells {client} the write failed."
            ),
        ),
    }
}

/// The words of a step's further `ConnLost` facts (one connection's close can fail
/// several requests), after its first fact's.
/// `told`: what the step has said of the close before the first of them; each after it
/// names only its request (`Told::Rule`).
pub(super) fn more_lost(w: &World, n: &Cast, facts: &[Fact], mut told: Told) -> String {
    let mut out = String::new();
    for fact in facts {
        if let Fact::Service(ServiceFact::ConnLost {
            peer,
            key,
            client,
            what,
        }) = fact
        {
            out.push(' ');
            out.push_str(&conn_lost(w, n, *peer, *key, *client, *what, told).narration);
            told = Told::Rule;
        }
    }
    out
}
