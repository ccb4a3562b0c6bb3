//! What the cache, the database and the clients do with a message that reaches them.
use super::cache::SetGuard;
use super::config::SlowHop;
use super::ids::{Key, NodeId};
use super::msg::{LeaseReply, Message, Payload, Refusal};
use super::world::{said, Said, TimerKind, World};

pub(crate) fn cache_message(w: &mut World, msg: &Message) -> Said {
    let lat = w.config.latency.cache_ms;
    let now = w.now_ms;
    match msg.payload {
        Payload::Get { key } => {
            let found = w.cache.get(key, now);
            let reply = Payload::GetReply { key, hit: found.hit, lease: found.lease };
            w.send(NodeId::Cache, msg.from, msg.flow, reply, lat);
            if let Some(v) = found.hit {
                w.metrics.cache_hits += 1;
                let until = w.cache.live(key, now).map_or(0, |e| e.expires_ms);
                return said(
                    format!("hit {v}"),
                    format!("The cache has {key} = {v} (its TTL runs to {until} ms): a hit. The database is not touched."),
                );
            }
            w.metrics.cache_misses += 1;
            let lease = match found.lease {
                LeaseReply::None => String::new(),
                LeaseReply::Granted(t) => format!(
                    " The cache hands out lease #{t} for {key}: only a set carrying #{t} may fill the key, and a \
                     delete of the key invalidates the lease."
                ),
                LeaseReply::Wait => {
                    let by = w.cache.leases.get(&key).map_or(0, |l| l.issued_ms);
                    format!(
                        " Another request holds the lease on {key} (issued at {by} ms; memcache issues at most one per \
                         key every lease period), so this one is told to wait and ask again instead of loading the \
                         database too."
                    )
                }
            };
            said(
                format!("miss{}", lease_suffix(found.lease)),
                format!("The cache has no {key}: a miss. The service must load it from the database.{lease}"),
            )
        }
        Payload::Set { key, version, token } => {
            let expires = now + w.config.ttl_ms;
            let result = w.cache.set(key, version, token, expires, now);
            w.send(NodeId::Cache, msg.from, msg.flow, Payload::SetReply { key, refused: result.err() }, lat);
            match result {
                Ok(()) => {
                    reschedule_expiry(w, key, expires);
                    let want = w.expected(key);
                    let stale = if version < want {
                        format!(
                            " But the database already has {want}: the cache now serves a stale value, and nothing \
                             removes it before its TTL ends at {expires} ms."
                        )
                    } else {
                        String::new()
                    };
                    said(
                        format!("stored {version}"),
                        format!("The cache stores {key} = {version}, with a TTL until {expires} ms.{stale}"),
                    )
                }
                Err(Refusal::Outdated(newer)) => said(
                    "refused: outdated",
                    format!(
                        "The cache refuses the set of {version}: it knows {key} reached {newer} (a tombstone or a newer \
                         entry). The stale value never lands."
                    ),
                ),
                Err(Refusal::LeaseInvalid) => said(
                    "refused: lease invalid",
                    format!(
                        "The cache refuses the set of {key} = {version}: its lease{} is no longer valid, because a \
                         delete invalidated it. The stale value never lands; the next reader misses and loads the \
                         current row.",
                        token.map(|t| format!(" #{t}")).unwrap_or_default()
                    ),
                ),
            }
        }
        Payload::Del { key, version } => {
            let held = w.cache.live(key, now).map(|e| e.version);
            let lease = w.cache.leases.get(&key).map(|l| l.token);
            w.cache.delete(key, version, now);
            w.timers.retain(|t| t.kind != TimerKind::Expire { key });
            w.send(NodeId::Cache, msg.from, msg.flow, Payload::DelReply { key }, lat);
            let what = match held {
                Some(v) => format!("The cache deletes {key} (it held {v})."),
                None => format!("The cache deletes {key}; it was not cached, and a delete is harmless to repeat."),
            };
            let extra = match (w.cache.guard, version, lease) {
                (SetGuard::Versioned { tombstone_ms }, Some(v), _) => format!(
                    " It keeps a tombstone ({key}, {v}) until {} ms, so a set older than {v} is refused.",
                    now + tombstone_ms
                ),
                (SetGuard::Lease { .. }, _, Some(t)) => {
                    format!(" Lease #{t} on {key} is now invalid: its holder's set will be refused.")
                }
                _ => String::new(),
            };
            said("deleted", format!("{what}{extra}"))
        }
        other => said("ignored", format!("The cache does not handle {other}.")),
    }
}

fn lease_suffix(lease: LeaseReply) -> String {
    match lease {
        LeaseReply::None => String::new(),
        LeaseReply::Granted(t) => format!(", lease #{t}"),
        LeaseReply::Wait => ", wait".to_string(),
    }
}

fn reschedule_expiry(w: &mut World, key: Key, expires_ms: u64) {
    w.timers.retain(|t| t.kind != TimerKind::Expire { key });
    w.add_timer(NodeId::Cache, expires_ms, TimerKind::Expire { key });
}

pub(crate) fn db_message(w: &mut World, msg: &Message) -> Said {
    let lat = w.config.latency;
    match msg.payload {
        Payload::DbRead { key } => {
            let version = w.db.read(key);
            w.books.record_db_read(&mut w.metrics, w.now_ms);
            let slow = match w.flow(msg.flow).and_then(|f| f.slow) {
                Some((SlowHop::DbReadReply, extra_ms)) => extra_ms,
                None => 0,
            };
            w.send(NodeId::Db, msg.from, msg.flow, Payload::DbReadReply { key, version }, lat.db_read_ms + slow);
            let note = if slow > 0 {
                format!(
                    " The answer is slow to get back ({} ms instead of {}): a pause, a busy link. If a write commits \
                     meanwhile, this {version} is already old when it arrives.",
                    lat.db_read_ms + slow,
                    lat.db_read_ms
                )
            } else {
                String::new()
            };
            said(format!("row {version}"), format!("The database reads {key}: the committed version is {version}.{note}"))
        }
        Payload::DbWrite { key } => {
            let version = w.db.commit(key);
            w.metrics.db_writes += 1;
            w.send(NodeId::Db, msg.from, msg.flow, Payload::DbWriteReply { key, version }, lat.db_write_ms);
            let cached = w.cache.live(key, w.now_ms).map(|e| e.version);
            let note = match cached {
                Some(v) if v < version => {
                    format!(" The cache still holds {v}: until it is invalidated, readers who hit get a stale value.")
                }
                _ => String::new(),
            };
            said(format!("committed {version}"), format!("The database commits {key} = {version}.{note}"))
        }
        other => said("ignored", format!("The database does not handle {other}.")),
    }
}

pub(crate) fn client_message(w: &mut World, msg: &Message) -> Said {
    let Some(client) = w.clients.iter().position(|c| c.id == msg.to) else {
        return said("ignored", "");
    };
    let want = match msg.payload {
        Payload::ReadOk { key, .. } => Some(w.expected(key)),
        _ => None,
    };
    let c = &mut w.clients[client];
    if c.busy == msg.flow {
        c.busy = None;
    }
    c.last_answer = Some(msg.payload);
    let me = c.id;
    match msg.payload {
        Payload::ReadOk { key, value } => {
            let got = value.map_or("nothing".to_string(), |v| v.to_string());
            if value.is_some() && value != want {
                w.metrics.stale_reads += 1;
                let want = want.map_or(String::new(), |v| v.to_string());
                said(
                    format!("got {got} (stale)"),
                    format!("{me} receives {key} = {got}, but the database already has {want}: a stale read."),
                )
            } else {
                said(format!("got {got}"), format!("{me} receives {key} = {got}, the current value."))
            }
        }
        Payload::WriteOk { key, version } => {
            w.metrics.writes_acked += 1;
            let acked = w.books.acked.entry(key).or_insert(version);
            *acked = (*acked).max(version);
            said(format!("acked {version}"), format!("{me} is told its write of {key} = {version} succeeded."))
        }
        other => said("ignored", format!("{me} does not expect {other}.")),
    }
}

pub(crate) fn expire(w: &mut World, key: Key) -> Said {
    if w.cache.expire(key, w.now_ms) {
        said(
            "expired",
            format!(
                "{key}'s TTL ran out: the cache drops it. The next read misses and loads the current row: the TTL is \
                 the safety net that bounds how long a stale value can live."
            ),
        )
    } else {
        said("nothing to expire", format!("{key} was already gone."))
    }
}
