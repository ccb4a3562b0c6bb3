//! The words of the nodes with the most inside them (a cache node, a service), as the
//! rules read them: deadlines through the clock, requests and lease tokens by name.
use super::hash::{hash_of, WordHasher};
use super::names::{Clock, Names, Order};
use crate::sim::cache::{Cache, SetGuard};
use crate::sim::ids::NodeId;
use crate::sim::service::Service;
use crate::sim::world::World;
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
    order.extend(open.iter().enumerate().map(|(i, f)| {
        names.missing = false;
        let k = hash_of(&names.open_request(f, false));
        (k, f.id.0, i, names.missing)
    }));
    // (Ids are unique, so the whole tuple sorts as by hash, then id.)
    super::sort_small(order);
    h.word(order.len() as u64);
    // A request that names only what is named already (its client's, most often)
    // hashes the same once names are given: its first hash is its last.
    for (k, _, i, missing) in order.iter() {
        let k = if *missing {
            hash_of(&names.open_request(&open[*i], true))
        } else {
            *k
        };
        h.word(k);
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

/// The primaries, buses, relays, consumers and flushers after the first of each kind
/// (a topology's `db-2`, `bus-2`, …): each id and what its first's words hold.
pub(super) fn more_words(w: &World, names: &mut Names, h: &mut WordHasher) {
    for (id, db) in w.nodes.dbs().filter(|(id, _)| *id != NodeId::DB) {
        (id, &db.rows, db.lsn, &db.outbox, &db.txns).hash(h);
        (&db.lock_waits, &db.rolled_back).hash(h);
        // Its commit log and its readers, while a replica or an invalidator follows it.
        if !db.streams.is_empty() {
            (&db.log, &db.streams).hash(h);
        }
    }
    for (id, r) in w.nodes.replicas().filter(|(id, _)| *id != NodeId::REPLICA) {
        (id, r).hash(h);
    }
    for (id, i) in w
        .nodes
        .invalidators()
        .filter(|(id, _)| *id != NodeId::INVALIDATOR)
    {
        (id, i).hash(h);
    }
    for (id, bus) in w.nodes.buses().filter(|(id, _)| *id != NodeId::BUS) {
        (id, bus.durable, &bus.log, &bus.dlq).hash(h);
        if !bus.groups.is_empty() {
            bus.groups.hash(h);
        }
    }
    for (id, r) in w.nodes.relays().filter(|(id, _)| *id != NodeId::RELAY) {
        id.hash(h);
        h.word(u64::from(r.working) | u64::from(r.notified) << 1);
    }
    for (id, c) in w
        .nodes
        .consumers()
        .filter(|(id, _)| *id != NodeId::CONSUMER)
    {
        id.hash(h);
        h.word(c.busy.is_some() as u64);
        if let Some((ev, offset, flow)) = c.busy {
            (ev, offset, names.flow(flow)).hash(h);
        }
        (&c.inbox, &c.processed, &c.applied).hash(h);
    }
    for (id, f) in w.nodes.flushers().filter(|(id, _)| *id != NodeId::FLUSHER) {
        (id, f.planned).hash(h);
    }
}
