//! What the cache, the database and the clients do with a message that reaches them.
use super::books::Happened;
use super::cache::{LockHold, SetGuard};
use super::config::{Op, WriteMode, NO_TTL};
use super::ids::Version;
use super::ids::{Key, NodeId};
use super::msg::{LeaseReply, Message, Payload, Refusal};
use super::world::{Said, Stage, TimerKind, World};

pub(crate) fn cache_message(w: &mut World, msg: &Message) -> Said {
    let lat = w.config.latency.cache_ms;
    let now = w.now_ms;
    match msg.payload {
        Payload::Get { key } => {
            let found = w.cache.get(key, now);
            let entry = w.cache.live(key, now);
            let (expires_ms, delta_ms) = entry.map_or((0, 0), |e| (e.expires_ms, e.delta_ms));
            let reply = Payload::GetReply {
                key,
                hit: found.hit,
                lease: found.lease,
                expires_ms,
                delta_ms,
            };
            w.send(NodeId::Cache, msg.from, msg.flow, reply, lat);
            if let Some(v) = found.hit {
                w.metrics.cache_hits += 1;
                let ttl = if expires_ms == NO_TTL {
                    "it has no TTL".to_string()
                } else {
                    text!(w, "its TTL runs to {expires_ms} ms")
                };
                let want = w.expected(key);
                let stale = if v < want {
                    text!(
                        w,
                        " But the database has {want}: the cache's copy is out of date."
                    )
                } else {
                    String::new()
                };
                return said!(w,
                    text!(w, "hit {v}"),
                    text!(w,
                        "The cache has {key} = {v} ({ttl}): a hit, answered in one cache round trip; the database is \
                         not touched.{stale}"
                    ),
                );
            }
            w.metrics.cache_misses += 1;
            let lease = match found.lease {
                LeaseReply::None => String::new(),
                LeaseReply::Granted(t) => text!(w,
                    " The cache hands out lease #{t} for {key}: only a set carrying #{t} may fill the key, and a \
                     delete of the key invalidates the lease."
                ),
                LeaseReply::Wait => {
                    let by = w.cache.leases.get(&key).map_or(0, |l| l.issued_ms);
                    text!(w,
                        " Another request holds the lease on {key} (issued at {by} ms; memcache issues at most one per \
                         key every lease period), so this one is told to wait and ask again instead of loading the \
                         database too."
                    )
                }
            };
            said!(
                w,
                text!(w, "miss{}", lease_suffix(found.lease)),
                if found.lease == LeaseReply::Wait {
                    text!(w, "The cache has no {key}: a miss.{lease}")
                } else {
                    text!(w, "The cache has no {key}: a miss. The service must load it from the database.{lease}")
                },
            )
        }
        Payload::Set {
            key,
            version,
            token,
        } => {
            let expires = w.fill_expiry();
            let was_live = w.cache.live(key, now).is_some();
            let result = w.cache.set(key, version, token, expires, now);
            if w.flow(msg.flow).is_some_and(|f| f.background) && result.is_ok() {
                w.books.happened.insert(if was_live {
                    Happened::RefreshedInTime(key)
                } else {
                    Happened::RefreshedLate(key)
                });
            }
            w.send(
                NodeId::Cache,
                msg.from,
                msg.flow,
                Payload::SetReply {
                    key,
                    refused: result.err(),
                },
                lat,
            );
            match result {
                Ok(()) => {
                    let delta = w
                        .flow(msg.flow)
                        .and_then(|f| f.load_sent_ms)
                        .map(|t| now - t);
                    if let (Some(delta), Some(e)) = (delta, w.cache.entries.get_mut(&key)) {
                        e.delta_ms = delta;
                    }
                    w.schedule_expiry(key, expires);
                    let ttl = if expires == NO_TTL {
                        "with no TTL: nothing but a write will ever change it".to_string()
                    } else {
                        text!(w, "with a TTL until {expires} ms")
                    };
                    let want = w.expected(key);
                    if version < want {
                        w.books.happened.insert(Happened::StaleStored(key));
                    }
                    let stale = if version < want {
                        let until = match (pending_removal(w, key), expires == NO_TTL) {
                            (Some(what), _) => text!(w, ", until {what}"),
                            (None, true) => {
                                ", and with no TTL only a later write can replace it".to_string()
                            }
                            (None, false) => {
                                text!(w, ", and nothing in flight removes it before its TTL ends at {expires} ms")
                            }
                        };
                        text!(w, " But the database already has {want}: the cache now serves a stale value{until}.")
                    } else {
                        String::new()
                    };
                    said!(
                        w,
                        text!(w, "stored {version}"),
                        text!(w, "The cache stores {key} = {version}, {ttl}.{stale}"),
                    )
                }
                Err(refusal) => {
                    w.books.happened.insert(Happened::SetRefused(key));
                    refused(w, key, version, token, refusal)
                }
            }
        }
        Payload::Del { key, version } => {
            let held = w.cache.live(key, now).map(|e| e.version);
            if held.is_some_and(|v| v < w.expected(key)) {
                w.books.happened.insert(Happened::StaleDeleted(key));
            }
            let lease = w.cache.leases.get(&key).map(|l| l.token);
            w.cache.delete(key, version, now);
            w.timers.retain(|t| t.kind != TimerKind::Expire { key });
            w.send(
                NodeId::Cache,
                msg.from,
                msg.flow,
                Payload::DelReply { key },
                lat,
            );
            let what =
                match held {
                    Some(v) => text!(w, "The cache deletes {key} (it held {v})."),
                    None => text!(w,
                    "The cache deletes {key}; it was not cached, so there is nothing to remove."
                ),
                };
            let extra = match (w.cache.guard, version, lease) {
                (SetGuard::Versioned { tombstone_ms }, Some(v), _) => text!(w,
                    " It keeps a tombstone ({key}, {v}) until {} ms, so a set older than {v} is refused.",
                    now + tombstone_ms
                ),
                (SetGuard::Lease { .. }, _, Some(t)) => {
                    text!(w, " Lease #{t} on {key} is now invalid: its holder's set will be refused.")
                }
                _ => String::new(),
            };
            said!(w, "deleted", text!(w, "{what}{extra}"))
        }
        Payload::WbWrite { .. } => super::behind::cache_write(w, msg),
        Payload::Lock { key } => {
            let holder = w.flow(msg.flow).map_or(msg.from, |f| f.client);
            let taken = w
                .cache
                .locks
                .get(&key)
                .copied()
                .filter(|l| l.until_ms > now);
            let granted = taken.is_none();
            if granted {
                let until_ms = match w.config.load_guard {
                    super::config::LoadGuard::Mutex { lock_ms } => now + lock_ms,
                    _ => now + 1_000,
                };
                w.cache.locks.insert(key, LockHold { holder, until_ms });
            }
            w.send(
                NodeId::Cache,
                msg.from,
                msg.flow,
                Payload::LockReply { key, granted },
                lat,
            );
            match taken {
                None => said!(w,
                    "locked",
                    text!(w,
                        "The cache gives {holder}'s request the lock on {key} (an atomic add of lock:{}), until {} ms: \
                         long enough for a load, short enough that a crashed holder does not block the key for ever.",
                        key.0,
                        w.cache.locks.get(&key).map_or(0, |l| l.until_ms)
                    ),
                ),
                Some(l) => said!(w,
                    "lock taken",
                    text!(w, "{} holds the lock on {key} until {} ms: this request must wait.", l.holder, l.until_ms),
                ),
            }
        }
        Payload::Unlock { key } => {
            w.cache.locks.remove(&key);
            w.send(
                NodeId::Cache,
                msg.from,
                msg.flow,
                Payload::UnlockReply { key },
                lat,
            );
            said!(
                w,
                "unlocked",
                text!(w, "The cache releases the lock on {key}.")
            )
        }
        other => said!(w, "ignored", text!(w, "The cache does not handle {other}.")),
    }
}

/// What the cache says when it refuses a set.
fn refused(w: &World, key: Key, version: Version, token: Option<u64>, refusal: Refusal) -> Said {
    match refusal {
        Refusal::Outdated(newer) => {
            let how = if w.cache.live(key, w.now_ms).is_some_and(|e| e.version >= newer) {
                text!(w, "it already holds {key} = {newer}")
            } else {
                text!(w, "its tombstone says {key} reached {newer}")
            };
            said!(w,
                "refused: outdated",
                text!(w, "The cache refuses the set of {version}: {how}. The stale value never lands."),
            )
        }
        Refusal::LeaseInvalid => said!(w,
            "refused: lease invalid",
            text!(w,
                "The cache refuses the set of {key} = {version}: its lease{} is no longer valid, because a delete \
                 invalidated it. The stale value never lands; until something fills {key}, a read misses and loads \
                 the current row.",
                token.map(|t| text!(w, " #{t}")).unwrap_or_default()
            ),
        ),
    }
}

fn lease_suffix(lease: LeaseReply) -> String {
    match lease {
        LeaseReply::None => String::new(),
        LeaseReply::Granted(t) => format!(", lease #{t}"),
        LeaseReply::Wait => ", wait".to_string(),
    }
}

/// An answer reached a client: the books and the narration observe what it means
/// (current or stale, an acknowledged write), from the whole world.
pub(crate) fn client_answered(w: &mut World, msg: &Message) -> Said {
    let stale = match msg.payload {
        Payload::ReadOk { key, value } => {
            let newest_now = super::books::newest(w, key);
            w.books.read_answered(msg.flow, value, newest_now)
        }
        _ => None,
    };
    let me = msg.to;
    match msg.payload {
        Payload::ReadOk { key, value } => {
            let got = text!(
                w,
                "{}",
                value.map_or("nothing".to_string(), |v| v.to_string())
            );
            let now = super::books::newest(w, key);
            let made = if w.config.write_mode == WriteMode::Behind {
                "acknowledged"
            } else {
                "committed"
            };
            if let Some(why) = stale {
                w.metrics.stale_reads += 1;
                let why = match why {
                    super::books::StaleRead::Older { floor } => {
                        text!(w, "but {floor} was already {made} when this read began")
                    }
                    super::books::StaleRead::NotYetCommitted { newest } => text!(
                        w,
                        "but {got} was not yet {made} when the answer came (the newest is {newest}): a value that may \
                         never be, so by the contract"
                    ),
                };
                said!(
                    w,
                    text!(w, "got {got} (stale)"),
                    text!(w, "{me} receives {key} = {got}, {why}: a stale read."),
                )
            } else if value.is_some_and(|v| v < now) {
                said!(w,
                    text!(w, "got {got}"),
                    text!(w,
                        "{me} receives {key} = {got}. {now} was {made} while this read was in flight, so {got} was \
                         still the newest when the read began: a read that overlaps a write may return either, and \
                         this is not a stale read."
                    ),
                )
            } else {
                said!(
                    w,
                    text!(w, "got {got}"),
                    text!(w, "{me} receives {key} = {got}, the current value."),
                )
            }
        }
        Payload::WriteOk { key, version } | Payload::DbWriteReply { key, version, .. } => {
            w.metrics.writes_acked += 1;
            let acked = w.books.acked.or_insert(key, version);
            *acked = (*acked).max(version);
            said!(
                w,
                text!(w, "acked {version}"),
                text!(w, "{me} is told its write of {key} = {version} succeeded."),
            )
        }
        other => said!(w, "ignored", text!(w, "{me} does not expect {other}.")),
    }
}

/// What is on its way to remove or replace the stale value the cache holds for `key`,
/// in words, if anything: a scheduled second delete, a delete in flight, a write that
/// will delete after its commit, or an event the consumer will act on.
fn pending_removal(w: &World, key: Key) -> Option<String> {
    let second = w
        .timers
        .iter()
        .find(|t| matches!(t.kind, TimerKind::SecondDelete { key: k, .. } if k == key));
    if let Some(t) = second {
        return Some(text!(
            w,
            "the second delete due at {} ms removes it",
            t.at_ms
        ));
    }
    let deleting = w.net.iter().any(|m| {
        m.to == NodeId::Cache && matches!(m.payload, Payload::Del { key: k, .. } if k == key)
    });
    if deleting {
        return Some(text!(
            w,
            "the delete of {key} already on its way removes it"
        ));
    }
    let writing = w.config.write_order == super::config::WriteOrder::UpdateThenDelete
        && matches!(w.config.write_mode, WriteMode::Invalidate)
        && w.flows
            .iter()
            .any(|f| f.key == key && f.op == Op::Write && f.stage == Stage::Commit);
    if writing {
        return Some(text!(
            w,
            "the write of {key} in progress deletes it after its commit"
        ));
    }
    if super::books::event_pending(w, key, w.expected(key)) {
        return Some(text!(
            w,
            "the consumer handles the event for {key} still on its way"
        ));
    }
    None
}

pub(crate) fn expire(w: &mut World, key: Key) -> Said {
    let held = w.cache.entries.get(&key).map(|e| e.version);
    if w.cache.expire(key, w.now_ms) {
        let want = w.expected(key);
        if let Some(v) = held {
            w.books.happened.insert(if v < want {
                Happened::ExpiredStale(key)
            } else {
                Happened::ExpiredCurrent(key)
            });
        }
        let why = match held {
            Some(v) if v < want => text!(w,
                " It held {v} while the database has {want}: the TTL is the safety net that bounds how long a stale \
                 value can live."
            ),
            Some(v) => text!(w, " It held {v}, still the current version: a TTL also drops values that were right."),
            None => String::new(),
        };
        said!(w,
            "expired",
            text!(w,
                "{key}'s TTL ran out: the cache drops it, and until something fills it again a read misses and \
                 loads the row from the database.{why}"
            ),
        )
    } else {
        said!(w, "nothing to expire", text!(w, "{key} was already gone."))
    }
}
