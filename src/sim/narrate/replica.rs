//! The read replica's sentences: what it answers and applies, and what a read of it
//! means against the primary, read from the world after the step.
use super::super::fact::Fact;
use super::super::ids::NodeId;
use super::super::parts::{said, Said};
use super::super::replica::ReplicaFact;
use super::super::world::World;

/// A step of the replica: its first fact, and the changes it passed on after.
pub(super) fn step(w: &World, facts: &[Fact]) -> Said {
    let Some(Fact::Replica(first)) = facts.first() else {
        return Said::silent();
    };
    let mut s = say(w, *first);
    for fact in &facts[1..] {
        if let Fact::Replica(f @ ReplicaFact::PassedOn { .. }) = fact {
            s.narration.push_str(&say(w, *f).narration);
        }
    }
    s
}

/// The acting replica and its primary, as the sentences name them: `replica` and "the
/// primary" for the first replica of `db`, else by id (`replica-2`, `db-2`).
fn cast(w: &World) -> (NodeId, NodeId, String) {
    let me = match w.facts.by(0) {
        Some(r @ NodeId::Replica(_)) => r,
        _ => NodeId::REPLICA,
    };
    let primary = w.nodes.replica(me).map_or(NodeId::DB, |r| r.primary);
    let named = if me == NodeId::REPLICA && primary == NodeId::DB {
        "the primary".to_string()
    } else {
        primary.to_string()
    };
    (me, primary, named)
}

pub(super) fn say(w: &World, fact: ReplicaFact) -> Said {
    let (me, db, the_primary) = cast(w);
    match fact {
        ReplicaFact::Read {
            key,
            version,
            position,
        } => {
            let primary = w.nodes.db(db).map_or(version, |d| d.read(key));
            let the_me = match me {
                NodeId::REPLICA => "the replica".to_string(),
                _ => me.to_string(),
            };
            let behind = if primary > version {
                format!(
                    " {} has already committed {primary}: {the_me} has not applied it yet. Replication \
                     is asynchronous (MySQL's binlog replication and Postgres's streaming replication are, by \
                     default): {the_primary} acknowledged the commit without waiting for any replica, so a read of \
                     {the_me} returns {version} until the change arrives.",
                    super::names::capital(&the_primary)
                )
            } else {
                String::new()
            };
            said(
                format!("row {version}"),
                format!(
                    "{me} reads {key}: {version}, as of {the_primary}'s change at position {position} (the last it has \
                     applied).{behind}"
                ),
            )
        }
        ReplicaFact::Applied { lsn, key, version } => said(
            format!("applied {key}={version}"),
            format!("{me} applies position {lsn}, {key} = {version}, in commit order: its position is now {lsn}."),
        ),
        ReplicaFact::Skipped { lsn, position } => said(
            "already applied",
            format!("{me} has applied position {lsn} already (its position is {position}): it skips the copy."),
        ),
        ReplicaFact::OldConnection { lsn } => said(
            "old connection",
            format!(
                "Position {lsn} comes from a connection {me} has since replaced: it ignores it, and takes the log from \
                 the new one."
            ),
        ),
        ReplicaFact::Gap { lsn, position } => said(
            "gap: replicate again",
            format!(
                "Position {lsn} arrives, but {me} has applied only up to position {position}: an earlier change is missing. It \
                 never applies a change before an earlier one, so it drops this one and reconnects to stream again \
                 from position {position}."
            ),
        ),
        ReplicaFact::Reconnected { position } => said(
            "",
            format!(
                " It asks {the_primary} to stream its commit log again from its position, {position}: its \
                 rows and position were on disk."
            ),
        ),
        ReplicaFact::PassedOn { lsn, to, delay_ms } => said(
            "",
            format!(
                " It writes position {lsn} to its own binlog (MySQL's log_replica_updates) and streams it to {to}, \
                 which reads it {delay_ms} ms from now."
            ),
        ),
        ReplicaFact::Streaming {
            to,
            from_lsn,
            resent,
        } => said(
            format!("streaming from {from_lsn}"),
            format!(
                "{me} streams its own log to {to} from just after position {from_lsn}: {} to send again, in commit \
                 order, then every change it applies.",
                super::super::describe::count(u64::from(resent), "change", "changes")
            ),
        ),
        ReplicaFact::Ignored { payload } => {
            said("ignored", format!("{me} does not handle {payload}."))
        }
    }
}

/// Where the acting service sends a miss for `key`: its read replica where it reads
/// one, else the primary that owns the key.
pub(super) fn miss_source(
    w: &World,
    n: &super::names::Cast,
    key: super::super::ids::Key,
) -> String {
    let reads = w
        .nodes
        .service(n.service.id.unwrap_or(NodeId::SERVICE))
        .map(|s| s.reads_of(&super::super::msg::Payload::DbRead { key }));
    match reads {
        Some(NodeId::Replica(1)) => "the replica".to_string(),
        Some(r @ NodeId::Replica(_)) => r.to_string(),
        _ => n.db_of(key).to_string(),
    }
}
