//! The service's sentences: its program for a request (`ServiceFact`) and its read
//! path (`ReadFact`), with what the world observes around them (what the cache holds
//! after a write-through set, a slow link on the way).
use super::super::config::{WriteMode, WriteOrder};
use super::super::describe::count;
use super::super::fact::Fact;
use super::super::ids::{NodeId, Version};
use super::super::msg::{Payload, Refusal};
use super::super::parts::{said, Said};
use super::super::service::{Draw, ReadFact, ReadSource, ServiceFact, XFetch};
use super::super::txn::TxnFact;
use super::super::world::World;
use super::names::Cast;

/// A step of the service: its fact, and the network's note on a slow set.
pub(super) fn say(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    let Some(Fact::Service(first)) = facts.first() else {
        return Said::silent();
    };
    let mut s = service(w, n, *first);
    // A first request failed on a close said the close (review 21, C3).
    let told = if matches!(first, ServiceFact::ConnLost { .. }) {
        super::closed::Told::Rule
    } else {
        super::closed::Told::No
    };
    s.narration
        .push_str(&super::closed::more_lost(w, n, &facts[1..], told));
    for fact in &facts[1..] {
        if let Fact::Service(ServiceFact::Txn(after @ TxnFact::StepAfterCommit)) = fact {
            s.narration
                .insert_str(0, &super::txn::say(n, *after).narration);
        }
        if let Fact::Service(ServiceFact::Near(near)) = fact {
            s.narration.push_str(&super::near::more(n, *near));
        }
        if let Fact::SlowSet { total_ms } = fact {
            s.narration.push_str(&format!(
                " This set is slow on its way ({total_ms} ms): another writer's set may overtake it."
            ));
        }
    }
    s
}

fn service(w: &World, n: &Cast, fact: ServiceFact) -> Said {
    let (the_cache, cap_cache) = (n.cache, n.cache.cap());
    let (the_service, cap_service) = (n.service, n.service.cap());
    match fact {
        ServiceFact::Stray => said("ignored", ""),
        ServiceFact::Negative(f) => super::negative::say(w, n, f),
        ServiceFact::Region(f) => super::region::say(n, f),
        ServiceFact::ConnLost {
            peer,
            key,
            client,
            what,
        } => super::closed::conn_lost(w, n, peer, key, client, what, super::closed::Told::No),
        ServiceFact::ConnIdle { peer } => said(
            "connection closed",
            format!(
                "{cap_service}'s connection to {peer} closes ({peer} crashed, and its operating system closed the \
                 socket). No request of {the_service}'s waits on it any more, so nothing fails; its next command \
                 opens a new connection."
            ),
        ),
        ServiceFact::NoRequest { service, payload } => {
            let why = if w.books.crashes_of(service) > 0 {
                format!("it was answered already, or lost when {the_service} crashed")
            } else {
                "it was answered already".to_string()
            };
            said(
                "ignored",
                format!("No open request of {the_service} waits for {payload} ({why}), so nothing happens."),
            )
        }
        ServiceFact::UnlockConfirmed { key } => said(
            "done",
            format!("{cap_cache} confirms: the lock on {key} is released."),
        ),
        ServiceFact::DeleteConfirmed { key } => {
            said("done", format!("{cap_cache} confirms: {key} is gone."))
        }
        ServiceFact::SecondDelete { key, delay_ms } => said(
            "del sent",
            format!(
                "{delay_ms} ms after the first delete, {the_service} deletes {key} again, to catch a stale fill \
                 that landed in between. A fill that lands later still stays until its TTL."
            ),
        ),
        ServiceFact::NothingToRetry => said("nothing to retry", ""),
        ServiceFact::Retrying { key } => said(
            "get sent",
            format!("The wait is over; {the_service} asks {the_cache} for {key} again."),
        ),
        ServiceFact::LeaseWait { at_ms } => said(
            "wait",
            format!(
                "Told to wait, {the_service} does not query the database: it will ask {the_cache} again at {at_ms} \
                 ms, when the lease holder has probably filled the key. Readers wait; the database is spared."
            ),
        ),
        ServiceFact::FillSent {
            version,
            token,
            from,
        } => {
            let with = token
                .map(|t| format!(", carrying lease #{t}"))
                .unwrap_or_default();
            // The primary by id where there are several.
            let source = match from {
                NodeId::Replica(_) => "the replica".to_string(),
                NodeId::Db(_) if n.db.id.is_some() => from.to_string(),
                _ => n.db.to_string(),
            };
            if version == Version(0) {
                let cap = super::names::capital(&source);
                return said(
                    "set sent",
                    format!(
                        "{cap} has no such row: {the_service} sets absent in {the_cache}{with}, a cached \"not \
                         found\" (negative caching), so that repeated lookups of a missing row do not reach \
                         {source}."
                    ),
                );
            }
            said(
                "set sent",
                format!(
                    "{cap_service} got {version} from {source} and sets it in {the_cache}{with}, so that later \
                     reads can hit."
                ),
            )
        }
        ServiceFact::ThroughAcked {
            key,
            version,
            refused,
            client,
            cache,
        } => {
            // What the cache holds as the step ends: the world's, observed.
            let held = w
                .nodes
                .cache(cache)
                .and_then(|c| c.live(key, w.now_ms))
                .map(|e| e.version);
            let landed = match (refused, held) {
                // "too" only where the database has it as well: a later write's commit
                // may have passed it (review 29, C: "has user:1 = v2 too" beside v3).
                (None, Some(v)) if v == version && w.committed(key) > version => format!(
                    "{cap_cache} has {key} = {version}, though {} has committed {} since",
                    n.db_of(key),
                    w.committed(key)
                ),
                (None, Some(v)) if v == version => format!("{cap_cache} has {key} = {version} too"),
                (None, Some(v)) => format!("{cap_cache} took {version}, though by now it holds {v}"),
                (None, None) => {
                    format!("{cap_cache} took {version}, though it no longer holds {key}")
                }
                (Some(Refusal::Outdated(_) | Refusal::LeaseInvalid), _) => {
                    format!("{cap_cache} refused {version} (it had a newer version)")
                }
            };
            said(
                "ack",
                format!(
                    "{landed}: only now, after both {} and {the_cache} have answered, does {the_service} tell \
                     {client} the write succeeded. The writer paid both latencies.",
                    n.db_of(key)
                ),
            )
        }
        ServiceFact::BehindAcked {
            key,
            version,
            client,
        } => said(
            "ack",
            format!(
                "{cap_cache} has queued {key} = {version}: {the_service} tells {client} the write succeeded, though \
                 {} does not have it yet.",
                n.db_of(key)
            ),
        ),
        ServiceFact::PreDeleted { key } => {
            // The delete's reply says it ran, not that the key is still gone: a set that
            // reached the cache after it cached the key again (review session 14, X16).
            let cache = w
                .facts
                .by(0)
                .and_then(|id| w.nodes.service(id))
                .map_or(NodeId::CACHE, |s| s.settings.cache);
            let again = w
                .nodes
                .cache(cache)
                .and_then(|c| c.entries.get(&key))
                .filter(|e| e.expires_ms > w.now_ms)
                .map(|e| e.version);
            let db = n.db_of(key);
            let text = match again {
                None => format!("The key is gone from {the_cache}; now {the_service} updates {key} in {db}."),
                Some(v) => format!(
                    "{cap_cache} confirmed the delete; now {the_service} updates {key} in {db}. But {key} = {v} \
                     was stored in {the_cache} after that delete: the key is cached again, and {the_service} \
                     cannot see it."
                ),
            };
            said("update sent", text)
        }
        ServiceFact::Invalidated {
            version,
            client,
            second,
        } => {
            let later = match second {
                Some((at, delay_ms)) => format!(
                    " It also schedules a second delete at {at} ms (delayed double delete), to remove a stale \
                     value that a slow reader may set after the first delete. It is a heuristic: a reader slower \
                     than {delay_ms} ms still wins the race."
                ),
                None => String::new(),
            };
            said(
                "ack",
                format!("The delete is done; {the_service} tells {client} the write of {version} succeeded.{later}"),
            )
        }
        ServiceFact::Unexpected { payload } => said(
            "ignored",
            format!("{cap_service} does not expect {payload} now."),
        ),
        ServiceFact::WriteStarted { key, mode, order } => match (mode, order) {
            (WriteMode::Invalidate, WriteOrder::UpdateThenDelete) => said(
                "update sent",
                format!(
                    "{cap_service} updates {key} in {} first; it will invalidate {the_cache} after.",
                    n.db_of(key)
                ),
            ),
            (WriteMode::Invalidate, WriteOrder::DeleteThenUpdate) => said(
                "del sent",
                format!(
                    "{cap_service} deletes {key} from {the_cache} before it updates {}. A reader that misses in \
                     between will load the old row and cache it.",
                    n.db_of(key)
                ),
            ),
            (WriteMode::Through, _) => said(
                "update sent",
                format!(
                    "Write-through: {the_service} updates {key} in {}, and will then set {the_cache} itself.",
                    n.db_of(key)
                ),
            ),
            (WriteMode::Behind, _) => said(
                "write sent",
                format!(
                    "Write-behind: {the_service} hands the write of {key} to {the_cache}, not to {}.",
                    n.db_of(key)
                ),
            ),
            (WriteMode::Event, _) => said(
                "update sent",
                format!(
                    "{cap_service} updates {key} in {}. It does not touch {the_cache}: once the commit is done it \
                     will publish a change event, and {} will {}.",
                    n.db_of(key),
                    n.consumer,
                    if w.config.consumer.update { "update it" } else { "invalidate" }
                ),
            ),
            (WriteMode::CommitOnly, _) => said(
                "update sent",
                format!(
                    "{cap_service} updates {key} in {}, and that is all it does: it never touches {the_cache}. \
                     The invalidator, tailing the commit log, will delete the key.",
                    n.db_of(key)
                ),
            ),
            (WriteMode::Outbox, _) => said(
                "update sent",
                format!(
                    "{cap_service} updates {key} and inserts an outbox row describing the change, in one \
                     transaction{}: it never talks to {} itself.",
                    n.db.id.map(|db| format!(" on {db}")).unwrap_or_default(),
                    n.bus
                ),
            ),
        },
        ServiceFact::ThroughSetSent { key, version } => said(
            "set sent",
            format!("{version} is committed; {the_service} now sets {key} = {version} in {the_cache}."),
        ),
        ServiceFact::Published { ev, client } => said(
            format!("publish {}", ev.id),
            format!(
                "{} is committed. {cap_service} publishes {ev}{} to {} and tells {client} the write succeeded. Two \
                 writes, to {} and to {}, with nothing tying them together: a dual write.",
                ev.version,
                lsn_note(ev.id.0, ev.version.0),
                n.bus,
                n.db_of(ev.key),
                n.bus
            ),
        ),
        ServiceFact::OutboxCommitted {
            version,
            event,
            client,
        } => said(
            "ack",
            format!(
                "{version} and its outbox row {event}{} are committed together{}. {cap_service} tells {client} the \
                 write succeeded; {} will publish the event.",
                lsn_note(event.0, version.0),
                n.db.id.map(|db| format!(" in {db}")).unwrap_or_default(),
                n.relay
            ),
        ),
        ServiceFact::InvalidateSent {
            key,
            version,
            tagged,
        } => {
            let tag = tagged
                .map(|v| format!(" The delete carries {v}, for {the_cache}'s tombstone."))
                .unwrap_or_default();
            said(
                "del sent",
                format!(
                    "{version} is committed; {the_service} deletes {key} from {the_cache} so the next read loads \
                     it.{tag}"
                ),
            )
        }
        ServiceFact::CommittedAcked { version, client } => said(
            "ack",
            format!("{version} is committed; {the_service} tells {client} the write succeeded."),
        ),
        ServiceFact::Read(read) => self::read(w, n, read),
        ServiceFact::Txn(txn) => super::txn::say(n, txn),
        ServiceFact::Near(near) => super::near::say(w, n, near),
    }
}

fn read(w: &World, n: &Cast, fact: ReadFact) -> Said {
    let (the_cache, cap_cache) = (n.cache, n.cache.cap());
    let (the_service, cap_service) = (n.service, n.service.cap());
    match fact {
        ReadFact::Lookup { key } => said(
            "get sent",
            format!(
                "{cap_service} asks {the_cache} for {key} first; only on a miss will it go to {}.",
                super::replica::miss_source(w, n, key)
            ),
        ),
        ReadFact::HitAnswered {
            key,
            client,
            version: v,
            unlocked,
            xfetch,
        } => {
            let hit = format!("{cap_service} answers {client} with {v} from {the_cache}.");
            match xfetch {
                XFetch::Off => said(format!("answer {v}"), format!("{hit}{}", unlock(unlocked, key))),
                XFetch::Skipped => said(format!("answer {v}"), hit),
                XFetch::Drew {
                    draw,
                    recompute: false,
                } => said(
                    format!("answer {v}"),
                    format!("{hit} {}: not yet, no recompute.", test(&draw)),
                ),
                XFetch::Drew {
                    draw,
                    recompute: true,
                } => said(
                    format!("answer {v}, recompute"),
                    format!(
                        "{cap_service} answers {client} with {v} from {the_cache} at once. {}: past it, so this \
                         request also starts recomputing {key} in the background now, ahead of its expiry at {} \
                         ms. Nobody waits. The closer the expiry and the slower the recompute, the likelier this \
                         draw; it is probabilistic, so two readers may both recompute.",
                        test(&draw),
                        draw.expires_ms
                    ),
                ),
            }
        }
        ReadFact::LockAsked { key } => said(
            "lock sent",
            format!("A miss. Before loading, {the_service} asks {the_cache} for the lock on {key}: only its holder loads."),
        ),
        ReadFact::JoinedLoad { key, waiting } => said(
            "join load",
            format!(
                "A miss, but this service is already loading {key} for another request: single-flight makes \
                 this one wait for that load instead of querying {} ({} now waiting for it).",
                n.db_of(key),
                count(waiting as u64, "request", "requests")
            ),
        ),
        ReadFact::Rechecking { key } => said(
            "get sent",
            format!("A miss, but a load of {key} has finished since this request looked: it looks once more."),
        ),
        ReadFact::Loading {
            key,
            shared,
            source,
        } => {
            let db = n.db_of(key).to_string();
            // Another shard's replica by its id.
            let replica = w
                .nodes
                .service(n.service.id.unwrap_or(NodeId::SERVICE))
                .map_or(NodeId::REPLICA, |s| s.reads_of(&Payload::DbRead { key }));
            let other = format!("{replica}, the read replica of {db} (not the primary),");
            let whom = match source {
                ReadSource::Database => db.as_str(),
                ReadSource::Primary => "the primary (not its replica)",
                ReadSource::Replica if replica != NodeId::REPLICA => other.as_str(),
                ReadSource::Replica => "the read replica (not the primary)",
                ReadSource::Marked => {
                    "the primary in the other region, not the local replica (the key's remote marker says a write \
                     from this region may not have replicated here yet, so the read pays the cross-region latency)"
                }
            };
            let shared = if shared {
                format!(" Single-flight: concurrent misses of {key} will share this one load.")
            } else {
                String::new()
            };
            said(
                "select sent",
                format!("On the miss {the_service} queries {whom} for {key}.{shared}"),
            )
        }
        ReadFact::LockGranted { key } => said(
            "get sent",
            format!(
                "{cap_service} holds the lock on {key}. It looks in {the_cache} once more (double-checked locking: \
                 the previous holder may have just filled it) before loading."
            ),
        ),
        ReadFact::LockWait { key, at_ms } => said(
            "wait",
            format!(
                "The lock on {key} is taken: another request is loading it. This one waits and asks {the_cache} \
                 again at {at_ms} ms. Readers wait; the database is spared."
            ),
        ),
        ReadFact::Refreshed { key, refused } => {
            let (outcome, landed) = if refused {
                (
                    "recompute refused",
                    format!("{cap_cache} refused the early recompute of {key}; the entry it has stays as it was."),
                )
            } else {
                (
                    "refreshed",
                    format!("The early recompute of {key} is in {the_cache}, with a new TTL."),
                )
            };
            said(outcome, format!("{landed} Nobody waited for it."))
        }
        ReadFact::FillAnswered {
            key,
            client,
            value,
            unlocked,
            shared,
            refused,
        } => {
            let v = value.map_or("nothing".into(), |v: Version| v.to_string());
            let mut notes = unlock(unlocked, key);
            if shared > 0 {
                let who = match shared {
                    1 => "The request that waited for this load gets the same answer".to_string(),
                    n => format!("The {n} requests that waited for this load get the same answer"),
                };
                notes.push_str(&format!(" {who}: one database read for all."));
            }
            if refused {
                // The read's floor (`Books::read_started`): the newest version when the
                // client's read began. Review 28: a replica's lagging v1, read after v2
                // committed, was called "a correct answer for this read".
                let floor = w
                    .clients
                    .iter()
                    .find(|c| c.id == client)
                    .and_then(|c| c.busy)
                    .and_then(|f| w.books.read_floor.get(&f).copied());
                match (floor, value) {
                    (Some(floor), Some(v)) if v < floor => notes.push_str(&format!(
                        " Caching it was refused, but the answer is stale too: {floor} was already the newest \
                         when this read began."
                    )),
                    _ => notes.push_str(
                        " The value it read is still a correct answer for this read; only caching it was refused.",
                    ),
                }
            }
            said(
                format!("answer {v}"),
                format!("{cap_service} answers {client} with {v}.{notes}"),
            )
        }
    }
}

fn unlock(unlocked: bool, key: super::super::ids::Key) -> String {
    if unlocked {
        format!(" It releases the lock on {key}.")
    } else {
        String::new()
    }
}

/// The XFetch test in words.
fn test(d: &Draw) -> String {
    format!(
        "XFetch: now - delta * beta * ln(rand) = {} - {} * {} * ln({}) = {} ms, against the expiry at {} ms",
        d.now_ms,
        d.delta_ms,
        fixed(d.beta(), 2),
        fixed(d.rand(), 3),
        fixed(d.at(), 1),
        d.expires_ms
    )
}
/// `value` with `places` decimals, printed through integers: the page does not need
/// the float formatter (a few kilobytes of the bundle) for three numbers.
fn fixed(value: f64, places: u32) -> String {
    let scale = 10i64.pow(places);
    let scaled = (value * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    let scale = scale as u64;
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

/// Why an event's number (`event`) differs from its version's (`version`) (review 27:
/// hybrid's only event is `e3`, for `v2`): an event is numbered by its change's log sequence number
/// (`EventId`), and the seed rows take the first numbers.
fn lsn_note(event: u32, version: u32) -> &'static str {
    if event == version {
        ""
    } else {
        " (numbered by its change's log sequence number)"
    }
}

#[cfg(test)]
mod fixed_tests {
    #[test]
    fn prints_like_the_float_formatter() {
        let cases = [
            (0.5, 3, "0.500"),
            (1.0, 2, "1.00"),
            (123.456, 1, "123.5"),
            (0.0004, 3, "0.000"),
            (-2.26, 1, "-2.3"),
        ];
        for (v, p, want) in cases {
            assert_eq!(super::fixed(v, p), want, "{v} {p}");
        }
    }
}
