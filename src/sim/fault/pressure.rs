//! `evict`: memory pressure makes a cache node drop one key to make room, as Redis does
//! under `maxmemory` with an `allkeys-lru` (or `-lfu`, `-random`) policy and memcached's
//! LRU does when a slab is full. The key's entry goes (and its expiry timer); the
//! services that track it are told, as Redis tells them of an evicted key. A guard the
//! cache keeps for the key (a version tombstone, a memcache lease) is not the value
//! and stays. A later read misses and loads from the database again; the `evictions`
//! metric counts them. An instance's near cache (a bounded in-process map, Caffeine's
//! `maximumSize`) and the CDN edge (its storage full, an LRU) evict the same way.
use super::{Fault, FaultFact};
use crate::sim::ids::{Key, NodeId};
use crate::sim::node::{Ctx, Out};
use crate::sim::world::World;

/// An eviction of each key each cache node that is up holds, in node then key order;
/// then of each key in a near cache of a service that is up, then of each response the
/// CDN edge stores (each a copy a learner sees as a `cache-entry`).
pub(super) fn offered_into(w: &World, push: &mut impl FnMut(Fault)) {
    for (cache, c) in w.nodes.caches() {
        if !w.is_up(cache) {
            continue;
        }
        for (key, _) in c.entries.iter() {
            push(Fault::Evict { cache, key: *key });
        }
    }
    for (service, s) in w.nodes.services() {
        if w.is_up(service) {
            for (key, _) in s.near.entries.iter() {
                push(Fault::Evict {
                    cache: service,
                    key: *key,
                });
            }
        }
    }
    for (cdn, c) in w.nodes.cdns() {
        if w.is_up(cdn) {
            for (key, _) in c.entries.iter() {
                push(Fault::Evict {
                    cache: cdn,
                    key: *key,
                });
            }
        }
    }
}

/// `cache` evicts `key`: the fact first, then what the eviction made the node do
/// (tell the services that track the key).
pub(super) fn evict(w: &mut World, cache: NodeId, key: Key) {
    let now_ms = w.now_ms;
    let mut out = Out::default();
    let (version, tombstone, lease) = match cache {
        NodeId::Cache(_) => match w.nodes.cache_mut(cache) {
            Some(c) => {
                let version = c.evict(&mut Ctx::new(cache, now_ms, &mut out), key);
                let tombstone = c.tombstones.get(&key).map(|t| t.version);
                (version, tombstone, c.leases.get(&key).map(|l| l.token))
            }
            None => (None, None, None),
        },
        // An instance's near cache: a bounded in-process map (Caffeine's maximumSize).
        NodeId::Service(_) => (
            w.nodes
                .service_mut(cache)
                .and_then(|s| s.near.drop_key(key)),
            None,
            None,
        ),
        // The CDN edge's stored response.
        NodeId::Cdn => (
            w.nodes
                .cdn_mut(cache)
                .and_then(|c| c.entries.remove(&key))
                .map(|e| e.version),
            None,
            None,
        ),
        _ => (None, None, None),
    };
    let fact = match version {
        Some(version) => FaultFact::Evicted {
            node: cache,
            key,
            version,
            tombstone,
            lease,
        },
        None => FaultFact::Missed {
            fault: Fault::Evict { cache, key },
        },
    };
    w.facts.0.push(fact.into());
    w.apply(cache, out);
}
