//! The database's and the relay's sentences, and what a commit means for the cache's
//! copy, read from the world after the step.
use super::super::db::DbFact;
use super::super::fact::Fact;
use super::super::ids::{NodeId, Version};
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::relay::{Awaiting, RelayFact, TIMEOUT_MS};
use super::super::world::World;
use super::names::Cast;

/// A step of the database: its own fact, then what the network and the relay did.
pub(super) fn say(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    let mut s = match facts.first() {
        Some(Fact::Db(f)) => db(w, n, *f),
        _ => Said::silent(),
    };
    for fact in &facts[1..] {
        match fact {
            Fact::SlowReply {
                normal_ms,
                total_ms,
                version,
            } => s.narration.push_str(&format!(
                " The answer is slow to get back ({total_ms} ms instead of {normal_ms}): a pause, a busy link. If a \
                 write commits meanwhile, this {version} is already old when it arrives."
            )),
            &Fact::Db(DbFact::Streamed {
                lsn,
                to: to @ NodeId::Invalidator(n),
                lag_ms,
            }) => s.narration.push_str(&format!(
                " The change is position {lsn} of its binlog, which {} tails: it is on its way there, \
                 due {lag_ms} ms from now.",
                if n == 1 { "the invalidator".to_string() } else { to.to_string() }
            )),
            &Fact::Db(DbFact::Streamed { lsn, to, lag_ms }) => {
                // Its arrival as the network has it (a hop to another region is longer).
                let arrives_ms = w
                    .net
                    .iter()
                    .find(|m| m.to == to && matches!(m.payload, Payload::Change { lsn: l, .. } if l == lsn))
                    .map_or(lag_ms, |m| m.arrive_ms.saturating_sub(w.now_ms));
                let far = if arrives_ms > lag_ms {
                    format!(" ({lag_ms} ms of lag, and the rest to cross regions)")
                } else {
                    String::new()
                };
                s.narration.push_str(&format!(
                    " It writes the change at position {lsn} of its binlog and streams it to {to}, where it is due \
                     {arrives_ms} ms from now{far}: replication is asynchronous, so the commit does not wait for \
                     it."
                ))
            }
            Fact::Relay(RelayFact::Woken { poll_at_ms }) => s.narration.push_str(&format!(
                " The commit notifies {} (LISTEN/NOTIFY); its poll of the outbox is set for {poll_at_ms} ms.",
                n.relay
            )),
            &Fact::Db(DbFact::TxUpdated {
                client,
                key,
                version,
                ..
            }) => s.narration.push_str(&format!(
                " The row lock on {key} is free, so {client}'s UPDATE, which was waiting for it, runs now: inside \
                 {client}'s transaction the row is {version}, not yet visible to anyone else."
            )),
            _ => {}
        }
    }
    // What the commit means for the cache's copy.
    if let Some(Fact::Db(
        DbFact::Committed { key, version, .. } | DbFact::TxCommitted { key, version, .. },
    )) = facts.first()
    {
        // Every cache node's copy: each one that holds an older version, by name.
        let many = w.nodes.caches().nth(1).is_some();
        for (id, cache) in w.nodes.caches() {
            let Some(v) = cache.live(*key, w.now_ms).map(|e| e.version) else {
                continue;
            };
            if v < *version {
                let who = if many {
                    id.to_string()
                } else {
                    "The cache".to_string()
                };
                s.narration.push_str(&format!(
                    " {who} still holds {v}: until it is removed or replaced, a read that hits gets {v}, a \
                     stale value."
                ));
            }
        }
    }
    s
}

fn db(w: &World, n: &Cast, fact: DbFact) -> Said {
    let the_db = n.db;
    match fact {
        DbFact::Read {
            key,
            version: Version(0),
        } => said(
            "row absent",
            format!("{} has no row {key}: absent (no such row is committed).", n.shard(key)),
        ),
        DbFact::Read { key, version } => said(
            format!("row {version}"),
            format!("{} reads {key}: the committed version is {version}.", n.shard(key)),
        ),
        DbFact::Committed {
            key,
            version,
            event,
            outbox,
            insert,
        } => {
            if insert {
                return said(
                    format!("inserted {version}"),
                    format!(
                        "{} runs the INSERT: {key} did not exist, and the commit creates it at {version}, its \
                         first version.",
                        n.shard(key)
                    ),
                );
            }
            let outbox_note = if outbox {
                format!(
                    " In the same transaction it inserts outbox row {event} (id {event}, aggregatetype user, \
                     aggregateid {}, type UserUpdated, payload {{\"id\":{},\"version\":\"{version}\"}}): the row \
                     and its event commit together or not at all.",
                    key.0, key.0
                )
            } else {
                String::new()
            };
            // A row's first version: the row did not exist, so this was an INSERT.
            let what = if version == Version(1) {
                format!(
                    "{} inserts {key} = {version}, the row's first version: {key} exists from now on.",
                    n.shard(key)
                )
            } else {
                format!("{} commits {key} = {version}.", n.shard(key))
            };
            said(format!("committed {version}"), format!("{what}{outbox_note}"))
        }
        // An INSERT of a row that exists (review session 12, R15): refused, as a real
        // database refuses it.
        DbFact::DuplicateKey { key, existing } => said(
            "duplicate key",
            format!(
                "{} refuses the INSERT of {key}: the row already exists, at {existing}, so the INSERT fails with a \
                 duplicate-key error and its transaction is rolled back. Nothing is committed; {key} stays \
                 {existing}, and the error goes back to the sender.",
                n.shard(key)
            ),
        ),
        DbFact::Put {
            key,
            version,
            wrote: true,
        } => said(
            format!("wrote {version}"),
            format!("{} writes {key} = {version}, from the write-behind queue.", n.shard(key)),
        ),
        DbFact::Put { key, version, .. } => said(
            "skipped",
            format!("{} already has {key} at {version} or newer: nothing to write.", n.shard(key)),
        ),
        DbFact::OutboxRow { row } => said(
            format!("row {}", row.ev.id),
            format!(
                "{} returns outbox row {} (aggregatetype {}, aggregateid {}, type {}, payload {}).",
                the_db.cap(),
                row.id(),
                row.aggregate_type(),
                row.aggregate_id(),
                row.kind(),
                row.payload()
            ),
        ),
        DbFact::OutboxEmpty => said(
            "no rows",
            match the_db.id {
                Some(id) => format!("Every outbox row of {id} is marked published."),
                None => "Every outbox row is marked published.".to_string(),
            },
        ),
        DbFact::Marked { event } => said(
            "marked",
            format!("{} marks outbox row {event} published.", the_db.cap()),
        ),
        DbFact::Streamed { lsn, to, .. } => said(
            format!("streamed {lsn}"),
            format!("The primary streams the change at position {lsn} to {to}."),
        ),
        DbFact::Streaming {
            to,
            from_lsn,
            resent,
        } => said(
            format!("streaming from {from_lsn}"),
            format!(
                "The primary streams its commit log to {to} from just after position {from_lsn}: {} to send again, in \
                 commit order, then every new commit.",
                super::super::describe::count(u64::from(resent), "change", "changes")
            ),
        ),
        DbFact::TxUpdated {
            client,
            key,
            version,
            committed,
        } => said(
            format!("{key}={version} uncommitted"),
            format!(
                "BEGIN; UPDATE {key}: inside {client}'s transaction the row is {version}, but nobody else can see it \
                 before COMMIT. Under read committed (Postgres's default; MySQL's default, REPEATABLE READ, hides it \
                 too) every other reader still gets the committed {committed}."
            ),
        ),
        DbFact::TxCommitted { key, version, .. } => said(
            format!("committed {version}"),
            format!(
                "COMMIT: {key} = {version} is now visible to every reader. Only from this moment does the change \
                 exist for anyone but its own transaction."
            ),
        ),
        DbFact::TxWaits {
            client,
            key,
            holder,
        } => said(
            "waits for the row lock",
            format!(
                "BEGIN; UPDATE {key}: {holder}'s open transaction holds the row lock on {key}, so {client}'s UPDATE \
                 waits (as in Postgres and InnoDB) until that transaction commits or rolls back."
            ),
        ),
        DbFact::TxGone { key, committed } => {
            // A cached copy of another version is a trace the rollback did not reach (V18).
            let trace = match super::super::books::copies(w)
                .find(|c| c.key == key && c.entry.version > committed && c.entry.expires_ms > w.now_ms)
            {
                Some(c) => format!(
                    "{key} is still {committed} in it: the rollback left no trace there, but {} still holds {}.",
                    c.holder_words(),
                    c.entry.version
                ),
                None => format!("{key} is still {committed} for everyone: the rollback left no trace."),
            };
            said(
                "rolled back",
                format!(
                    "COMMIT finds no open transaction: it was rolled back, so {} answers with an error. {trace}",
                    n.db_of(key)
                ),
            )
        }
        DbFact::SessionEnded {
            from,
            rolled,
            txns,
            waits,
        } => super::closed::session_ended(w, n, from, rolled, txns, waits),
        DbFact::Ignored { payload } => said(
            "ignored",
            format!("{} does not handle {payload}.", the_db.cap()),
        ),
    }
}

/// A step of the relay.
pub(super) fn relay(n: &Cast, fact: RelayFact) -> Said {
    let (the_relay, the_db, the_bus) = (n.relay, n.db, n.bus);
    let cap_relay = the_relay.cap();
    match fact {
        RelayFact::Woken { poll_at_ms } => said(
            "",
            format!(" The commit notifies {the_relay} (LISTEN/NOTIFY); its poll of the outbox is set for {poll_at_ms} ms."),
        ),
        RelayFact::Polled => said(
            "poll sent",
            format!(
                "{cap_relay} asks {the_db} for the oldest outbox row not yet marked published, and sets its relay \
                 timeout: with no answer in {TIMEOUT_MS} ms, it starts its cycle again from the poll."
            ),
        ),
        RelayFact::Publishing {
            event,
            key,
            version,
        } => said(
            format!("publish {event}"),
            format!(
                "{cap_relay} got outbox row {event} ({key} = {version}) and publishes it to {the_bus}, waiting at \
                 most {TIMEOUT_MS} ms for its acknowledgement (its relay timeout, as a Kafka producer's \
                 request.timeout.ms)."
            ),
        ),
        RelayFact::Marking { event } => said(
            format!("mark {event}"),
            format!(
                "{} has {event}. Only now does {the_relay} mark the row published: were it to crash before the \
                 mark lands, it would publish the row again after its restart.",
                the_bus.cap()
            ),
        ),
        RelayFact::Polling { event } => said(
            "poll sent",
            format!("{event} is marked published. {cap_relay} polls for the next row."),
        ),
        RelayFact::PollingAgain => said(
            "poll sent",
            format!(
                "No unpublished row was left when {the_db} answered, but a commit has notified {the_relay} since: \
                 it polls again, so that commit's row is not left behind."
            ),
        ),
        RelayFact::Idle => said(
            "idle",
            format!("No unpublished row is left: {the_relay} sleeps until the next commit wakes it."),
        ),
        RelayFact::TimedOut { awaiting } => {
            let what = match awaiting {
                Awaiting::Poll => format!("to its poll from {the_db}"),
                Awaiting::Ack(event) => format!("from {the_bus} to its publish of {event}"),
                Awaiting::Mark(event) => format!("from {the_db} to its mark of {event}"),
            };
            said(
                "timed out: poll sent",
                format!(
                    "No answer {what} in {TIMEOUT_MS} ms: {the_relay} gives up on it and polls the outbox again. \
                     A row still unmarked is published again (at-least-once: if {the_bus} did get it, the \
                     consumer sees it twice)."
                ),
            )
        }
        RelayFact::Late { payload } => said(
            "late answer ignored",
            format!("{cap_relay} is no longer waiting for this answer ({payload}): it ignores it."),
        ),
        RelayFact::Ignored { payload } => said(
            "ignored",
            format!("{cap_relay} does not expect {payload}."),
        ),
    }
}
