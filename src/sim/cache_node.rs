//! The cache as a node: what it does with a message (get, set, delete, lock, unlock)
//! and when a key's TTL runs out, on its own entries, tombstones, leases and locks, with
//! its own clock reading, settings and random generator (the TTL jitter). It answers
//! through a `Ctx` and says what it did as a `CacheFact`, no text: the books and the
//! narration (`narrate/cache.rs`) observe the fact in the world. The write-behind queue it
//! keeps is written and flushed by `behind.rs`, which spans the cache and the flusher.
use super::cache::{Cache, LockHold, SetGuard};
use super::config::NO_TTL;
use super::ids::{Key, NodeId, Version};
use super::msg::{LeaseReply, Message, Payload, Refusal};
use super::node::Ctx;
use super::parts::TimerKind;
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
    /// Negative caching: the TTL of a cached `absent` (no row), its own, not the
    /// fills' (`None`: an `absent` takes the fills' TTL).
    #[serde(default)]
    pub negative_ttl_ms: Option<u64>,
}

/// What the cache did, for the books and the narration (`narrate/cache.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheFact {
    /// A get found `version`, live until `expires_ms`.
    Hit {
        key: Key,
        version: Version,
        expires_ms: u64,
    },
    /// A get missed; `lease`: what it said of the lease (with `Wait`, the holder's
    /// lease was issued at `issued_ms`).
    Miss {
        key: Key,
        lease: LeaseReply,
        issued_ms: u64,
        /// It holds a remote marker for the key.
        marked: bool,
    },
    /// A set landed; `was_live`: the key held a live entry before.
    Stored {
        key: Key,
        version: Version,
        expires_ms: u64,
        was_live: bool,
    },
    /// A set was refused; `holds_newer`: a live entry at the newer version refused it
    /// (else a tombstone did).
    Refused {
        key: Key,
        version: Version,
        token: Option<u64>,
        refusal: Refusal,
        holds_newer: bool,
    },
    /// A delete; `held`: what it held; `then`: a tombstone kept or a lease voided;
    /// `marker`: the region's invalidator's delete also removed the key's remote
    /// marker.
    Deleted {
        key: Key,
        held: Option<Version>,
        then: AfterDelete,
        marker: bool,
    },
    /// A remote marker for `key` is set.
    MarkerSet {
        key: Key,
    },
    /// The lock on `key` went to `holder` until `until_ms`.
    Locked {
        key: Key,
        holder: NodeId,
        until_ms: u64,
    },
    /// `holder` already holds the lock on `key` until `until_ms`.
    LockTaken {
        key: Key,
        holder: NodeId,
        until_ms: u64,
    },
    Unlocked {
        key: Key,
    },
    /// A TTL ran out; `held`: what it dropped.
    Expired {
        key: Key,
        held: Option<Version>,
    },
    /// An expiry timer found the key already gone.
    NothingToExpire {
        key: Key,
    },
    /// A message the cache does not handle.
    Ignored {
        payload: Payload,
    },
    /// Write-behind: it stored `key` = `version` and queued it (`coalesced`: replacing
    /// a queued older one), acknowledging at once (after a disk write of `disk_ms` when
    /// `durable`).
    WbQueued {
        key: Key,
        version: Version,
        coalesced: bool,
        durable: bool,
        disk_ms: u64,
    },
    /// Write-behind: the flusher reports `key` = `version` written, and the queue holds
    /// no such write to remove: a crash emptied it while the put was on the wire, or
    /// (`again`) an earlier answer for it removed it.
    WbGone {
        key: Key,
        version: Version,
        again: bool,
    },
}

/// What a delete leaves behind besides the removal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterDelete {
    Nothing,
    /// A versioned cache keeps a tombstone at `version` until `until_ms`.
    Tombstone {
        version: Version,
        until_ms: u64,
    },
    /// A lease cache voided the key's lease `token`.
    LeaseVoided {
        token: u64,
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
    pub(super) fn schedule_expiry(&self, ctx: &mut Ctx, key: Key, expires_ms: u64) {
        ctx.cancel(TimerKind::Expire { key });
        if expires_ms != NO_TTL && !self.settings.lazy_expiry {
            ctx.set_timer(expires_ms, TimerKind::Expire { key });
        }
    }

    /// Its expiry timer of `key` fires.
    pub(crate) fn on_expire(&mut self, ctx: &mut Ctx, key: Key) {
        let held = self.entries.get(&key).map(|e| e.version);
        if self.expire(key, ctx.now_ms) {
            ctx.fact(CacheFact::Expired { key, held });
            let lat = self.settings.reply_ms;
            self.tracking.changed(ctx, key, None, lat);
        } else {
            ctx.fact(CacheFact::NothingToExpire { key });
        }
    }

    /// Memory pressure: it evicts `key` to make room (Redis under `maxmemory` with an
    /// `allkeys-*` policy, memcached's LRU), as the TTL's end would drop it: the entry
    /// and its expiry timer go, the services tracking it are told (Redis sends an
    /// invalidation for an evicted key too). A guard of the key (a version tombstone, a
    /// lease) stays: it is not the cached value. What it held, if anything.
    pub(crate) fn evict(&mut self, ctx: &mut Ctx, key: Key) -> Option<Version> {
        let held = self.entries.remove(&key)?;
        ctx.cancel(TimerKind::Expire { key });
        let lat = self.settings.reply_ms;
        self.tracking.changed(ctx, key, None, lat);
        Some(held.version)
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        let lat = self.settings.reply_ms;
        let now = ctx.now_ms;
        let to = msg.from;
        let fact = match msg.payload {
            Payload::Get { key } => {
                let found = self.get(key, now);
                let entry = self.live(key, now);
                let (expires_ms, delta_ms) = entry.map_or((0, 0), |e| (e.expires_ms, e.delta_ms));
                let marked = found.hit.is_none() && self.markers.contains(&key);
                let reply = Payload::GetReply {
                    key,
                    hit: found.hit,
                    lease: found.lease,
                    expires_ms,
                    delta_ms,
                    marked,
                };
                ctx.send(to, msg.flow, reply, lat);
                match found.hit {
                    Some(version) => CacheFact::Hit {
                        key,
                        version,
                        expires_ms,
                    },
                    None => CacheFact::Miss {
                        key,
                        lease: found.lease,
                        issued_ms: self.leases.get(&key).map_or(0, |l| l.issued_ms),
                        marked,
                    },
                }
            }
            Payload::Set {
                key,
                version,
                token,
                loaded_at_ms,
            } => {
                let expires = match self.settings.negative_ttl_ms {
                    Some(ttl_ms) if version == Version(0) => now.saturating_add(ttl_ms),
                    _ => self.fill_expiry(now),
                };
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
                        CacheFact::Stored {
                            key,
                            version,
                            expires_ms: expires,
                            was_live,
                        }
                    }
                    Err(refusal) => CacheFact::Refused {
                        key,
                        version,
                        token,
                        refusal,
                        holds_newer: match refusal {
                            Refusal::Outdated(newer) => {
                                self.live(key, now).is_some_and(|e| e.version >= newer)
                            }
                            Refusal::LeaseInvalid => false,
                        },
                    },
                }
            }
            Payload::Del { key, version } => {
                let held = self.live(key, now).map(|e| e.version);
                let lease = self.leases.get(&key).map(|l| l.token);
                self.delete(key, version, now);
                ctx.cancel(TimerKind::Expire { key });
                ctx.send(to, msg.flow, Payload::DelReply { key }, lat);
                let then = match (self.guard, version, lease) {
                    (SetGuard::Versioned { tombstone_ms }, Some(version), _) => {
                        AfterDelete::Tombstone {
                            version,
                            until_ms: now + tombstone_ms,
                        }
                    }
                    (SetGuard::Lease { .. }, _, Some(token)) => AfterDelete::LeaseVoided { token },
                    _ => AfterDelete::Nothing,
                };
                // The region's invalidator deletes the key and its remote marker (as
                // McSqueal deletes both once the write has replicated); a service's
                // delete leaves the marker.
                let marker =
                    matches!(msg.from, NodeId::Invalidator(_)) && self.markers.remove(&key);
                CacheFact::Deleted {
                    key,
                    held,
                    then,
                    marker,
                }
            }
            Payload::SetMarker { key } => {
                self.markers.insert(key);
                ctx.send(to, msg.flow, Payload::MarkerSet { key }, lat);
                CacheFact::MarkerSet { key }
            }
            Payload::Lock { key, holder } => {
                let taken = self.locks.get(&key).copied().filter(|l| l.until_ms > now);
                match taken {
                    None => {
                        let until_ms = now + self.settings.lock_ms;
                        self.locks.insert(key, LockHold { holder, until_ms });
                        ctx.send(to, msg.flow, Payload::LockReply { key, granted: true }, lat);
                        CacheFact::Locked {
                            key,
                            holder,
                            until_ms,
                        }
                    }
                    Some(l) => {
                        ctx.send(
                            to,
                            msg.flow,
                            Payload::LockReply {
                                key,
                                granted: false,
                            },
                            lat,
                        );
                        CacheFact::LockTaken {
                            key,
                            holder: l.holder,
                            until_ms: l.until_ms,
                        }
                    }
                }
            }
            Payload::Unlock { key } => {
                self.locks.remove(&key);
                ctx.send(to, msg.flow, Payload::UnlockReply { key }, lat);
                CacheFact::Unlocked { key }
            }
            payload => CacheFact::Ignored { payload },
        };
        ctx.fact(fact);
        self.track(ctx, to, fact);
    }

    /// Its tracking table (`tracking.rs`) after what it did: a hit's reader is
    /// remembered; a change tells the key's readers but its author, and the author of
    /// a fill is remembered (it keeps the value).
    pub(crate) fn track(&mut self, ctx: &mut Ctx, from: NodeId, fact: CacheFact) {
        let lat = self.settings.reply_ms;
        match fact {
            CacheFact::Hit { key, .. } => self.tracking.read(key, from),
            CacheFact::Stored { key, .. } => {
                self.tracking.changed(ctx, key, Some(from), lat);
                self.tracking.read(key, from);
            }
            CacheFact::Deleted { key, .. } | CacheFact::WbQueued { key, .. } => {
                self.tracking.changed(ctx, key, Some(from), lat)
            }
            _ => {}
        }
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Cache {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        if let Payload::WbWrite { .. } = msg.payload {
            self.on_wb_write(ctx, msg)
        } else {
            Cache::on_msg(self, ctx, msg)
        }
    }
    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        if let TimerKind::Expire { key } = timer {
            self.on_expire(ctx, key)
        }
    }
    fn on_call(&mut self, ctx: &mut Ctx, from: NodeId, call: super::node::Call) {
        Cache::on_call(self, ctx, from, call)
    }
    fn on_crash(&mut self, ctx: &mut Ctx) {
        self.crash();
        self.tracking.crash(ctx, self.settings.reply_ms);
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Cache::on_restart(self, ctx)
    }
    fn watches(&self, peer: NodeId) -> bool {
        // The connections that track their reads here.
        self.tracking.on && self.tracking.clients.contains(&peer)
    }
    fn on_peer(&mut self, _ctx: &mut Ctx, peer: NodeId, status: super::node::NodeStatus) {
        // A tracking client crashed: its connection closed, and Redis drops a client's
        // tracking state when it disconnects (review 17, F4); its next life connects
        // anew and holds no near copy.
        if status == super::node::NodeStatus::Down {
            self.tracking.forget(peer);
        }
    }
}
