//! The cache node: entries with a TTL, and the two guards against stale sets that the
//! catalog teaches, version tombstones and memcache-style leases; the per-key locks of
//! the stampede mutex; and the write-behind queue with its optional disk log.
use super::ids::{Key, NodeId, Version};
use super::keymap::KeyMap;
use super::msg::{LeaseReply, Refusal};
use serde::{Deserialize, Serialize};

/// How the cache decides whether to accept a set.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::cache))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum SetGuard {
    /// Last set wins, whatever it carries.
    Plain,
    /// A set older than the entry, or than a tombstone left by a versioned delete, is
    /// refused. Tombstones live `tombstone_ms`: long enough to outlast any read, short
    /// enough not to fill memory.
    Versioned { tombstone_ms: u64 },
    /// memcache leases ("Scaling Memcache at Facebook", NSDI 2013): a miss hands out a
    /// token, at most one per key per `period_ms`; a delete invalidates it; a set must
    /// carry the current token.
    Lease { period_ms: u64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub version: Version,
    /// Virtual ms at which the entry expires (`NO_TTL`: never).
    pub expires_ms: u64,
    /// How long computing the value took (XFetch's delta).
    pub delta_ms: u64,
}

/// A per-key lock (memcache `add` of a lock key, with an expiry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LockHold {
    pub holder: NodeId,
    pub until_ms: u64,
}

/// A write waiting in the write-behind queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Queued {
    pub key: Key,
    pub version: Version,
    /// The flusher has sent it to the database and waits for the answer.
    pub in_flight: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tombstone {
    pub version: Version,
    pub until_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Lease {
    pub token: u64,
    pub issued_ms: u64,
}

#[derive(Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cache {
    pub guard: SetGuard,
    pub entries: KeyMap<Key, Entry>,
    pub tombstones: KeyMap<Key, Tombstone>,
    pub leases: KeyMap<Key, Lease>,
    /// The next lease token; tokens are never reused, so an old one can never match.
    pub next_token: u64,
    pub locks: KeyMap<Key, LockHold>,
    /// The write-behind queue, oldest first; one entry per key (coalesced) unless the
    /// older one is already on its way to the database.
    pub queue: Vec<Queued>,
    /// The write-behind log on disk (durable queue): survives a crash.
    pub log: Vec<(Key, Version)>,
    /// Fixed for a run.
    #[serde(default)]
    pub settings: super::cache_node::CacheSettings,
    /// Its own random generator (the TTL jitter).
    #[serde(default)]
    pub rng: super::rng::Rng,
    /// How its write-behind queue works (`cache_behind.rs`).
    #[serde(default)]
    pub behind: super::cache_behind::QueueSettings,
    /// The versions of rows the database confirmed to it (its seed rows, its flusher's
    /// writes): a write-behind write takes the next version. A value's version names it
    /// (a real cache holds the value itself), so a crash does not forget these.
    #[serde(default)]
    pub known: KeyMap<Key, Version>,
    /// Which services read each key, to tell them of a change (`tracking.rs`).
    #[serde(default)]
    pub tracking: super::tracking::Tracking,
    /// Remote markers (Facebook's memcache, NSDI 2013 §5): keys a write from this
    /// region is changing in another region's primary. In memory.
    #[serde(default)]
    pub markers: super::keymap::KeySet<Key>,
}

clone_fields!(Cache {
    guard,
    entries,
    tombstones,
    leases,
    next_token,
    locks,
    queue,
    log,
    settings,
    rng,
    behind,
    known,
    tracking,
    markers,
});

/// What a lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lookup {
    pub hit: Option<Version>,
    pub lease: LeaseReply,
}

impl Cache {
    pub fn new(guard: SetGuard) -> Cache {
        Cache {
            settings: super::cache_node::CacheSettings::default(),
            rng: super::rng::Rng::new(0),
            guard,
            entries: KeyMap::new(),
            tombstones: KeyMap::new(),
            leases: KeyMap::new(),
            next_token: 1,
            locks: KeyMap::new(),
            queue: Vec::new(),
            log: Vec::new(),
            behind: super::cache_behind::QueueSettings::default(),
            known: KeyMap::new(),
            tracking: super::tracking::Tracking::default(),
            markers: super::keymap::KeySet::default(),
        }
    }

    /// The live entry for `key` at `now_ms`, if any (an expired entry is a miss even
    /// before its expiry timer has fired).
    pub fn live(&self, key: Key, now_ms: u64) -> Option<Entry> {
        self.entries
            .get(&key)
            .copied()
            .filter(|e| e.expires_ms > now_ms)
    }

    pub fn get(&mut self, key: Key, now_ms: u64) -> Lookup {
        if let Some(entry) = self.live(key, now_ms) {
            return Lookup {
                hit: Some(entry.version),
                lease: LeaseReply::None,
            };
        }
        let SetGuard::Lease { period_ms } = self.guard else {
            return Lookup {
                hit: None,
                lease: LeaseReply::None,
            };
        };
        let lease = match self.leases.get(&key) {
            Some(held) if now_ms < held.issued_ms + period_ms => LeaseReply::Wait,
            _ => {
                let token = self.next_token;
                self.next_token += 1;
                self.leases.insert(
                    key,
                    Lease {
                        token,
                        issued_ms: now_ms,
                    },
                );
                LeaseReply::Granted(token)
            }
        };
        Lookup { hit: None, lease }
    }

    /// Applies a set, or says why it was refused.
    pub fn set(
        &mut self,
        key: Key,
        version: Version,
        token: Option<u64>,
        expires_ms: u64,
        now_ms: u64,
    ) -> Result<(), Refusal> {
        match self.guard {
            SetGuard::Plain => {}
            SetGuard::Versioned { .. } => {
                if let Some(t) = self.tombstones.get(&key) {
                    if t.until_ms > now_ms && t.version > version {
                        return Err(Refusal::Outdated(t.version));
                    }
                }
                if let Some(e) = self.live(key, now_ms) {
                    if e.version > version {
                        return Err(Refusal::Outdated(e.version));
                    }
                }
            }
            SetGuard::Lease { .. } => {
                let current = self.leases.get(&key).map(|l| l.token);
                if token.is_none() || current != token {
                    return Err(Refusal::LeaseInvalid);
                }
                self.leases.remove(&key);
            }
        }
        self.entries.insert(
            key,
            Entry {
                version,
                expires_ms,
                delta_ms: 0,
            },
        );
        Ok(())
    }

    /// A crash: everything in memory is gone (entries, tombstones, leases, locks, the
    /// queue); only the disk log stays.
    pub fn crash(&mut self) {
        self.entries.clear();
        self.tombstones.clear();
        self.leases.clear();
        self.locks.clear();
        self.queue.clear();
        self.tracking.readers.clear();
        self.markers.clear();
    }

    /// The newest queued version of `key`, if any.
    pub fn queued(&self, key: Key) -> Option<Version> {
        self.queue
            .iter()
            .filter(|q| q.key == key)
            .map(|q| q.version)
            .max()
    }

    /// The newest version of `key` in the write-behind log on disk (durable queue), if
    /// any. The log survives a crash and is replayed on restart (`on_restart`), so a
    /// write in it is still on its way to the database while the cache is down.
    pub fn logged(&self, key: Key) -> Option<Version> {
        self.log
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .max()
    }

    /// Queues a write-behind write, coalescing with a queued write of the same key that
    /// has not left yet. Returns whether it coalesced.
    pub fn enqueue(&mut self, key: Key, version: Version, durable: bool) -> bool {
        if durable {
            self.log.push((key, version));
        }
        if let Some(q) = self.queue.iter_mut().find(|q| q.key == key && !q.in_flight) {
            q.version = q.version.max(version);
            return true;
        }
        self.queue.push(Queued {
            key,
            version,
            in_flight: false,
        });
        false
    }

    /// The flusher's answer came back: the write of `version` is in the database.
    /// Removes the flushed write from the queue and the log; whether the queue held it.
    pub fn flushed(&mut self, key: Key, version: Version) -> bool {
        let before = self.queue.len();
        self.queue
            .retain(|q| !(q.key == key && q.in_flight && q.version <= version));
        let held = self.queue.len() < before;
        self.log.retain(|(k, v)| !(*k == key && *v <= version));
        held
    }

    /// Removes the key. With versioned sets the delete leaves a tombstone; with leases
    /// it invalidates the outstanding token. Deleting is idempotent.
    pub fn delete(&mut self, key: Key, version: Option<Version>, now_ms: u64) {
        self.entries.remove(&key);
        match self.guard {
            SetGuard::Plain => {}
            SetGuard::Versioned { tombstone_ms } => {
                if let Some(version) = version {
                    let newer = self
                        .tombstones
                        .get(&key)
                        .is_some_and(|t| t.version > version);
                    if !newer {
                        self.tombstones.insert(
                            key,
                            Tombstone {
                                version,
                                until_ms: now_ms + tombstone_ms,
                            },
                        );
                    }
                }
            }
            SetGuard::Lease { .. } => {
                self.leases.remove(&key);
            }
        }
    }

    /// Drops an entry whose TTL has run out (the expiry timer's work).
    pub fn expire(&mut self, key: Key, now_ms: u64) -> bool {
        match self.entries.get(&key) {
            Some(e) if e.expires_ms <= now_ms => {
                self.entries.remove(&key);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Key = Key(1);

    #[test]
    fn plain_set_last_writer_wins() {
        let mut c = Cache::new(SetGuard::Plain);
        c.set(K, Version(2), None, 100, 0).unwrap();
        c.set(K, Version(1), None, 100, 0).unwrap();
        assert_eq!(c.live(K, 0).unwrap().version, Version(1));
    }

    #[test]
    fn entry_expires_at_its_ttl() {
        let mut c = Cache::new(SetGuard::Plain);
        c.set(K, Version(1), None, 10, 0).unwrap();
        assert!(c.live(K, 9).is_some());
        assert!(c.queued(K).is_none());
        assert!(c.live(K, 10).is_none());
        assert!(!c.expire(K, 9));
        assert!(c.expire(K, 10));
        assert!(c.entries.is_empty());
    }

    #[test]
    fn tombstone_refuses_older_set_until_it_expires() {
        let mut c = Cache::new(SetGuard::Versioned { tombstone_ms: 50 });
        c.delete(K, Some(Version(2)), 0);
        assert_eq!(
            c.set(K, Version(1), None, 1000, 10),
            Err(Refusal::Outdated(Version(2)))
        );
        assert_eq!(
            c.set(K, Version(1), None, 1000, 50),
            Ok(()),
            "tombstone gone at 50"
        );
        assert_eq!(c.set(K, Version(2), None, 1000, 60), Ok(()));
        assert_eq!(
            c.set(K, Version(1), None, 1000, 60),
            Err(Refusal::Outdated(Version(2)))
        );
    }

    #[test]
    fn lease_is_issued_once_per_period_and_killed_by_delete() {
        let mut c = Cache::new(SetGuard::Lease { period_ms: 10_000 });
        let first = c.get(K, 0);
        let LeaseReply::Granted(token) = first.lease else {
            panic!("{first:?}")
        };
        assert_eq!(c.get(K, 1).lease, LeaseReply::Wait, "second miss waits");
        c.delete(K, None, 2);
        assert_eq!(
            c.set(K, Version(1), Some(token), 1000, 3),
            Err(Refusal::LeaseInvalid)
        );
        let LeaseReply::Granted(again) = c.get(K, 4).lease else {
            panic!()
        };
        assert_ne!(again, token, "tokens are never reused");
        assert_eq!(c.set(K, Version(2), Some(again), 1000, 5), Ok(()));
        assert_eq!(c.get(K, 6).hit, Some(Version(2)));
    }

    #[test]
    fn lease_set_without_token_is_refused() {
        let mut c = Cache::new(SetGuard::Lease { period_ms: 10_000 });
        assert_eq!(
            c.set(K, Version(1), None, 1000, 0),
            Err(Refusal::LeaseInvalid)
        );
    }

    #[test]
    fn queue_coalesces_until_a_write_leaves() {
        let mut c = Cache::new(SetGuard::Plain);
        assert!(!c.enqueue(K, Version(2), true));
        assert!(c.enqueue(K, Version(3), true));
        assert_eq!(c.queue.len(), 1);
        c.queue[0].in_flight = true;
        assert!(!c.enqueue(K, Version(4), true));
        c.crash();
        assert!(c.queue.is_empty());
        assert_eq!(c.log.len(), 3, "the disk log survives the crash");
        assert!(!c.flushed(K, Version(3)), "the crash emptied the queue");
        assert_eq!(c.log, vec![(K, Version(4))]);
    }

    #[test]
    fn lease_can_be_reissued_after_its_period() {
        let mut c = Cache::new(SetGuard::Lease { period_ms: 10 });
        assert!(matches!(c.get(K, 0).lease, LeaseReply::Granted(_)));
        assert!(matches!(c.get(K, 10).lease, LeaseReply::Granted(_)));
    }
}
