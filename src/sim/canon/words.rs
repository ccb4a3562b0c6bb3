//! The words of the nodes with the most inside them (a cache node, a service), as the
//! rules read them: deadlines through the clock, requests and lease tokens by name.
use super::hash::{hash_of, WordHasher};
use super::{Clock, Names, Order};
use crate::sim::cache::{Cache, SetGuard};
use crate::sim::service::Service;
use std::hash::Hash;

/// A cache node's words: its leases, entries, tombstones and locks as the rules read
/// them, and the rest as is.
pub(super) fn cache_words(cache: &Cache, clock: Clock, names: &mut Names, h: &mut WordHasher) {
    // A lease is read through its end (issued + period), like every deadline.
    let period_ms = match cache.guard {
        SetGuard::Lease { period_ms } => period_ms,
        _ => 0,
    };
    h.word(cache.leases.len() as u64);
    for (key, lease) in cache.leases.iter() {
        let ends = clock.at(lease.issued_ms.saturating_add(period_ms));
        (key, names.token(lease.token), ends).hash(h);
    }
    h.word(cache.entries.len() as u64);
    for (key, e) in cache.entries.iter() {
        (
            key,
            e.version,
            clock.expiry(e.expires_ms),
            clock.xfetch_only(e.delta_ms),
        )
            .hash(h);
    }
    h.word(cache.tombstones.len() as u64);
    for (key, t) in cache.tombstones.iter() {
        (key, t.version, clock.at(t.until_ms)).hash(h);
    }
    h.word(cache.locks.len() as u64);
    for (key, l) in cache.locks.iter() {
        (key, l.holder, clock.at(l.until_ms)).hash(h);
    }
    (
        cache.guard,
        cache.rng,
        &cache.queue,
        &cache.log,
        &cache.known,
    )
        .hash(h);
    // Its tracking table (`tracking.rs`): nothing while empty, so the fingerprints of
    // worlds without near caches stand.
    if !cache.tracking.readers.is_empty() {
        cache.tracking.readers.hash(h);
    }
}

/// A service's words: its open requests (a set, in content order) and its
/// single-flight loads.
pub(super) fn service_words(
    service: &Service,
    names: &mut Names,
    order: &mut Order,
    h: &mut WordHasher,
) {
    // Open requests: a set, in content order (names not yet given sort last).
    let open = &service.flows;
    order.clear();
    order.extend(
        open.iter()
            .enumerate()
            .map(|(i, f)| (hash_of(&names.open_request(f, false)), f.id.0, i, false)),
    );
    order.sort_unstable_by_key(|(k, id, _, _)| (*k, *id));
    h.word(order.len() as u64);
    for (_, _, i, _) in order.iter() {
        names.open_request(&open[*i], true).hash(h);
    }
    h.word(service.loading.len() as u64);
    for (key, waiters) in service.loading.iter() {
        key.hash(h);
        h.word(waiters.len() as u64);
        for w in waiters {
            names.flow(*w).hash(h);
        }
    }
    service.loads_done.hash(h);
    // Its near cache (`near.rs`): nothing while empty, so the fingerprints of worlds
    // without near caches stand. An expiry as the rules read it.
    if !service.near.entries.is_empty() {
        h.word(service.near.entries.len() as u64);
        for (key, e) in service.near.entries.iter() {
            (key, e.version, names.clock.expiry(e.expires_ms)).hash(h);
        }
    }
}
