//! The cache as a node: what it does with a message (get, set, delete, lock, unlock)
//! and when a key's TTL runs out, on its own entries, tombstones, leases and locks, with
//! its own clock reading, settings and random generator (the TTL jitter). It answers
//! through a `Ctx` and says what it did as a `CacheFact`: the books and the narration of
//! what the database has observe the fact in the world. The write-behind queue it
//! keeps is written and flushed by `behind.rs`, which spans the cache and the flusher.
use super::cache::{Cache, LockHold, SetGuard};
use super::config::NO_TTL;
use super::ids::{Key, Version};
use super::msg::{LeaseReply, Message, Payload, Refusal};
use super::node::Ctx;
use super::parts::{Said, TimerKind};
use super::rng::Rng;

/// How the cache works: its reply hop, TTL and jitter, expiry, and lock period.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct CacheSettings {
    pub reply_ms: u64,
    pub ttl_ms: u64,
    pub jitter_ms: u64,
    /// Expired entries stay until read (no expiry timer).
    pub lazy_expiry: bool,
    /// How long a lock is held at most.
    pub lock_ms: u64,
}

/// What the cache did, for the books and the narration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheFact {
    Nothing,
    Hit {
        key: Key,
        version: Version,
    },
    Miss,
    /// A set landed; `was_live`: the key held a live entry before.
    Stored {
        key: Key,
        version: Version,
        expires_ms: u64,
        was_live: bool,
    },
    Refused {
        key: Key,
    },
    /// A delete; `held`: what it held.
    Deleted {
        key: Key,
        held: Option<Version>,
    },
    /// A TTL ran out; `held`: what it dropped.
    Expired {
        key: Key,
        held: Option<Version>,
    },
}

/// A random extra TTL in `0..max_ms` (0 when `max_ms` is 0, drawing nothing).
pub(crate) fn jitter(rng: &mut Rng, max_ms: u64) -> u64 {
    if max_ms == 0 {
        0
    } else {
        rng.below(max_ms)
    }
}

impl Cache {
    /// The expiry a fill gets now: the TTL plus its jitter, drawn from its generator.
    pub(crate) fn fill_expiry(&mut self, now_ms: u64) -> u64 {
        if self.settings.ttl_ms == NO_TTL {
            return NO_TTL;
        }
        let extra = jitter(&mut self.rng, self.settings.jitter_ms);
        now_ms
            .saturating_add(self.settings.ttl_ms)
            .saturating_add(extra)
    }

    /// (Re)sets its active expiry timer of `key`.
    fn schedule_expiry(&self, ctx: &mut Ctx, key: Key, expires_ms: u64) {
        ctx.cancel(TimerKind::Expire { key });
        if expires_ms != NO_TTL && !self.settings.lazy_expiry {
            ctx.set_timer(expires_ms, TimerKind::Expire { key });
        }
    }

    /// Its expiry timer of `key` fires.
    pub(crate) fn on_expire(&mut self, ctx: &mut Ctx, key: Key) -> (Said, CacheFact) {
        let held = self.entries.get(&key).map(|e| e.version);
        if self.expire(key, ctx.now_ms) {
            let s = said!(ctx,
                "expired",
                text!(ctx,
                    "{key}'s TTL ran out: the cache drops it, and until something fills it again a read misses and \
                     loads the row from the database."
                ),
            );
            (s, CacheFact::Expired { key, held })
        } else {
            let s = said!(
                ctx,
                "nothing to expire",
                text!(ctx, "{key} was already gone.")
            );
            (s, CacheFact::Nothing)
        }
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> (Said, CacheFact) {
        let lat = self.settings.reply_ms;
        let now = ctx.now_ms;
        let to = msg.from;
        match msg.payload {
            Payload::Get { key } => {
                let found = self.get(key, now);
                let entry = self.live(key, now);
                let (expires_ms, delta_ms) = entry.map_or((0, 0), |e| (e.expires_ms, e.delta_ms));
                let reply = Payload::GetReply {
                    key,
                    hit: found.hit,
                    lease: found.lease,
                    expires_ms,
                    delta_ms,
                };
                ctx.send(to, msg.flow, reply, lat);
                if let Some(v) = found.hit {
                    let ttl = if expires_ms == NO_TTL {
                        "it has no TTL".to_string()
                    } else {
                        text!(ctx, "its TTL runs to {expires_ms} ms")
                    };
                    let s = said!(ctx,
                        text!(ctx, "hit {v}"),
                        text!(ctx,
                            "The cache has {key} = {v} ({ttl}): a hit, answered in one cache round trip; the database is \
                             not touched."
                        ),
                    );
                    return (s, CacheFact::Hit { key, version: v });
                }
                let lease = match found.lease {
                    LeaseReply::None => String::new(),
                    LeaseReply::Granted(t) => text!(ctx,
                        " The cache hands out lease #{t} for {key}: only a set carrying #{t} may fill the key, and a \
                         delete of the key invalidates the lease."
                    ),
                    LeaseReply::Wait => {
                        let by = self.leases.get(&key).map_or(0, |l| l.issued_ms);
                        text!(ctx,
                            " Another request holds the lease on {key} (issued at {by} ms; memcache issues at most one per \
                             key every lease period), so this one is told to wait and ask again instead of loading the \
                             database too."
                        )
                    }
                };
                let s = said!(
                    ctx,
                    text!(ctx, "miss{}", lease_suffix(found.lease)),
                    if found.lease == LeaseReply::Wait {
                        text!(ctx, "The cache has no {key}: a miss.{lease}")
                    } else {
                        text!(ctx, "The cache has no {key}: a miss. The service must load it from the database.{lease}")
                    },
                );
                (s, CacheFact::Miss)
            }
            Payload::Set {
                key,
                version,
                token,
                loaded_at_ms,
            } => {
                let expires = self.fill_expiry(now);
                let was_live = self.live(key, now).is_some();
                let result = self.set(key, version, token, expires, now);
                let reply = Payload::SetReply {
                    key,
                    refused: result.err(),
                };
                ctx.send(to, msg.flow, reply, lat);
                match result {
                    Ok(()) => {
                        let delta = loaded_at_ms.map(|t| now - t);
                        if let (Some(delta), Some(e)) = (delta, self.entries.get_mut(&key)) {
                            e.delta_ms = delta;
                        }
                        self.schedule_expiry(ctx, key, expires);
                        let ttl = if expires == NO_TTL {
                            "with no TTL: nothing but a write will ever change it".to_string()
                        } else {
                            text!(ctx, "with a TTL until {expires} ms")
                        };
                        let s = said!(
                            ctx,
                            text!(ctx, "stored {version}"),
                            text!(ctx, "The cache stores {key} = {version}, {ttl}."),
                        );
                        let fact = CacheFact::Stored {
                            key,
                            version,
                            expires_ms: expires,
                            was_live,
                        };
                        (s, fact)
                    }
                    Err(refusal) => (
                        self.refused(ctx, key, version, token, refusal),
                        CacheFact::Refused { key },
                    ),
                }
            }
            Payload::Del { key, version } => {
                let held = self.live(key, now).map(|e| e.version);
                let lease = self.leases.get(&key).map(|l| l.token);
                self.delete(key, version, now);
                ctx.cancel(TimerKind::Expire { key });
                ctx.send(to, msg.flow, Payload::DelReply { key }, lat);
                let what = match held {
                    Some(v) => text!(ctx, "The cache deletes {key} (it held {v})."),
                    None => text!(
                        ctx,
                        "The cache deletes {key}; it was not cached, so there is nothing to remove."
                    ),
                };
                let extra = match (self.guard, version, lease) {
                    (SetGuard::Versioned { tombstone_ms }, Some(v), _) => text!(ctx,
                        " It keeps a tombstone ({key}, {v}) until {} ms, so a set older than {v} is refused.",
                        now + tombstone_ms
                    ),
                    (SetGuard::Lease { .. }, _, Some(t)) => {
                        text!(ctx, " Lease #{t} on {key} is now invalid: its holder's set will be refused.")
                    }
                    _ => String::new(),
                };
                let s = said!(ctx, "deleted", text!(ctx, "{what}{extra}"));
                (s, CacheFact::Deleted { key, held })
            }
            Payload::Lock { key, holder } => {
                let taken = self.locks.get(&key).copied().filter(|l| l.until_ms > now);
                let granted = taken.is_none();
                if granted {
                    let until_ms = now + self.settings.lock_ms;
                    self.locks.insert(key, LockHold { holder, until_ms });
                }
                ctx.send(to, msg.flow, Payload::LockReply { key, granted }, lat);
                let s = match taken {
                    None => said!(ctx,
                        "locked",
                        text!(ctx,
                            "The cache gives {holder}'s request the lock on {key} (an atomic add of lock:{}), until {} ms: \
                             long enough for a load, short enough that a crashed holder does not block the key for ever.",
                            key.0,
                            self.locks.get(&key).map_or(0, |l| l.until_ms)
                        ),
                    ),
                    Some(l) => said!(ctx,
                        "lock taken",
                        text!(ctx, "{} holds the lock on {key} until {} ms: this request must wait.", l.holder, l.until_ms),
                    ),
                };
                (s, CacheFact::Nothing)
            }
            Payload::Unlock { key } => {
                self.locks.remove(&key);
                ctx.send(to, msg.flow, Payload::UnlockReply { key }, lat);
                let s = said!(
                    ctx,
                    "unlocked",
                    text!(ctx, "The cache releases the lock on {key}.")
                );
                (s, CacheFact::Nothing)
            }
            other => (
                said!(
                    ctx,
                    "ignored",
                    text!(ctx, "The cache does not handle {other}.")
                ),
                CacheFact::Nothing,
            ),
        }
    }

    /// What the cache says when it refuses a set.
    fn refused(
        &self,
        ctx: &Ctx,
        key: Key,
        version: Version,
        token: Option<u64>,
        refusal: Refusal,
    ) -> Said {
        match refusal {
            Refusal::Outdated(newer) => {
                let how = if self.live(key, ctx.now_ms).is_some_and(|e| e.version >= newer) {
                    text!(ctx, "it already holds {key} = {newer}")
                } else {
                    text!(ctx, "its tombstone says {key} reached {newer}")
                };
                said!(ctx,
                    "refused: outdated",
                    text!(ctx, "The cache refuses the set of {version}: {how}. The stale value never lands."),
                )
            }
            Refusal::LeaseInvalid => said!(ctx,
                "refused: lease invalid",
                text!(ctx,
                    "The cache refuses the set of {key} = {version}: its lease{} is no longer valid, because a delete \
                     invalidated it. The stale value never lands; until something fills {key}, a read misses and loads \
                     the current row.",
                    token.map(|t| text!(ctx, " #{t}")).unwrap_or_default()
                ),
            ),
        }
    }
}

fn lease_suffix(lease: LeaseReply) -> String {
    match lease {
        LeaseReply::None => String::new(),
        LeaseReply::Granted(t) => format!(", lease #{t}"),
        LeaseReply::Wait => ", wait".to_string(),
    }
}
