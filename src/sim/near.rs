//! A service instance's near cache: an in-process map in front of the cache node
//! (Caffeine or Guava in front of Redis), part of the service node's own state. A read
//! that finds its key there is answered at once, with no network hop; what the
//! service's reads get from the cache node or the database is kept there for
//! `ttl_ms`. Its copies are checked like every other (`books::copies`).
//!
//! What removes a copy: its TTL (judged when it is read, as Caffeine does), the
//! instance's own write of the key, an invalidation from the cache node when the
//! scenario turns tracking on (`tracking.rs`: Redis's `CLIENT TRACKING`), the close of
//! its connection to that node (it crashed: the whole near cache is flushed), and a
//! crash of the instance (the map is in its memory). Another instance's write reaches it
//! only through tracking: without it, a stale copy lives out its TTL.
use super::config::NearConfig;
use super::ids::{Key, NodeId, Version};
use super::keymap::KeyMap;

/// The near cache of one service instance: off unless the scenario has `near`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NearCache {
    /// Fixed for a run; `None`: the instance keeps no near cache.
    pub settings: Option<NearConfig>,
    pub entries: KeyMap<Key, NearEntry>,
}

/// One near copy: a value and when it expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NearEntry {
    pub version: Version,
    pub expires_ms: u64,
}

/// What the near cache did, for the observers (`narrate/service.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearFact {
    /// A read found `version`, live until `expires_ms`: answered in-process.
    Hit {
        service: NodeId,
        key: Key,
        version: Version,
        expires_ms: u64,
    },
    /// A read's answer `version` is kept until `expires_ms`.
    Kept {
        service: NodeId,
        key: Key,
        version: Version,
        expires_ms: u64,
    },
    /// Its copy of `key` (`held`, if it had one) is dropped: `why`.
    Dropped {
        service: NodeId,
        key: Key,
        held: Option<Version>,
        why: NearDrop,
    },
    /// Its connection to `cache`, the node that tracked its reads, closed (the node
    /// crashed): it flushed its whole near cache, `keys` copies.
    Flushed {
        service: NodeId,
        cache: NodeId,
        keys: u8,
    },
}

/// Why a near copy is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearDrop {
    /// The instance writes the key itself.
    OwnWrite,
    /// The cache node told it the key changed (tracking).
    Invalidated,
}

impl NearCache {
    pub fn new(settings: Option<NearConfig>) -> NearCache {
        NearCache {
            settings,
            entries: KeyMap::new(),
        }
    }

    pub fn is_on(&self) -> bool {
        self.settings.is_some()
    }

    /// The live copy of `key` at `now_ms`: an expired one is a miss, and is dropped.
    pub fn get(&mut self, key: Key, now_ms: u64) -> Option<NearEntry> {
        let e = self.entries.get(&key).copied()?;
        if e.expires_ms > now_ms {
            return Some(e);
        }
        self.entries.remove(&key);
        None
    }

    /// Keeps `version` of `key` for its TTL; returns until when (`None`: no near
    /// cache).
    pub fn keep(&mut self, key: Key, version: Version, now_ms: u64) -> Option<u64> {
        let ttl_ms = self.settings?.ttl_ms;
        let expires_ms = now_ms.saturating_add(ttl_ms);
        self.entries.insert(
            key,
            NearEntry {
                version,
                expires_ms,
            },
        );
        Some(expires_ms)
    }

    /// Drops the copy of `key`; returns what it held.
    pub fn drop_key(&mut self, key: Key) -> Option<Version> {
        self.entries.remove(&key).map(|e| e.version)
    }

    /// A crash of its instance: the map was in its memory.
    pub fn crash(&mut self) {
        self.entries.clear();
    }
}
