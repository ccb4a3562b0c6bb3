//! The words of the nodes with the most inside them (a cache node, a service), as the
//! rules read them: deadlines through the clock, requests and lease tokens by name.
use super::hash::{Multiset, WordHasher};
use super::names::{Clock, Names, Order};
use crate::sim::books::Books;
use crate::sim::cache::{Cache, SetGuard};
use crate::sim::client::Client;
use crate::sim::config::Op;
use crate::sim::consumer::Consumer;
use crate::sim::nodes::Node;
use crate::sim::relay::Awaiting;
use crate::sim::service::Service;
use crate::sim::shared::Shared;
use crate::sim::world::World;
use std::hash::{Hash, Hasher};

/// A cache node's words: its leases, entries, tombstones and locks as the rules read
/// them, and the rest as is: `kept`, its word kept with the node (`node_word`).
pub(super) fn cache_words(
    cache: &Cache,
    kept: u64,
    clock: Clock,
    names: &mut Names,
    h: &mut WordHasher,
) {
    // A lease is read through its end (issued + period), like every deadline.
    let period_ms = match cache.guard {
        SetGuard::Lease { period_ms } => period_ms,
        _ => 0,
    };
    // Each item's key and its small field packed into one word, each in bits of its
    // own; a time in a word of its own.
    h.word(cache.leases.len() as u64);
    for (key, lease) in cache.leases.iter() {
        let ends = clock.at(lease.issued_ms.saturating_add(period_ms));
        h.word(u64::from(key.0) | names.token(lease.token) << 16);
        h.word(ends);
    }
    h.word(cache.entries.len() as u64);
    for (key, e) in cache.entries.iter() {
        h.word(u64::from(key.0) | u64::from(e.version.0) << 16);
        h.word(clock.expiry(e.expires_ms));
        // (A compute time only XFetch reads: fixed for a run whether it does.)
        if clock.xfetch {
            h.word(e.delta_ms);
        }
    }
    h.word(cache.tombstones.len() as u64);
    for (key, t) in cache.tombstones.iter() {
        h.word(u64::from(key.0) | u64::from(t.version.0) << 16);
        h.word(clock.at(t.until_ms));
    }
    h.word(cache.locks.len() as u64);
    for (key, l) in cache.locks.iter() {
        h.word(u64::from(key.0) | u64::from(l.holder.rank()) << 16);
        h.word(clock.at(l.until_ms));
    }
    // The rest (its settings, generator, queue, log, known versions, tracking table
    // and markers): no names, no times, one word kept with the node (`cache_kept`).
    h.word(kept);
}

/// A service's words that name no request and read no time (`service_words`): its
/// generator and its loads done, its word kept with the node (`node_word`).
fn service_kept(service: &Service, h: &mut WordHasher) {
    (service.rng, &service.loads_done).hash(h);
}

/// `node_word` of a service or a cache found without its `Held` (`World::firsts`'s
/// fallback), as `Held::word` gives it.
pub(super) fn kept_word(node: Result<&Service, &Cache>) -> u64 {
    let mut h = WordHasher::default();
    match node {
        Ok(service) => service_kept(service, &mut h),
        Err(cache) => cache_kept(cache, &mut h),
    }
    h.finish().max(1)
}

/// A cache node's words that name no request and read no time (`cache_words`): its
/// word kept with the node (`node_word`).
fn cache_kept(cache: &Cache, h: &mut WordHasher) {
    (
        cache.guard,
        cache.rng,
        &cache.queue,
        &cache.log,
        &cache.known,
    )
        .hash(h);
    // Its tracking table (`tracking.rs`): nothing while empty.
    if !cache.tracking.readers.is_empty() {
        cache.tracking.readers.hash(h);
    }
    // Its remote markers (`region.rs`): a marked key's miss reads the primary, so two
    // worlds that differ only in markers are two states. Nothing while empty; the tag
    // keeps them apart from the tracking table's words.
    if !cache.markers.is_empty() {
        h.word(MARKERS_TAG);
        cache.markers.hash(h);
    }
}

/// Marks the start of a cache's remote markers in its words ("marks" in ASCII).
const MARKERS_TAG: u64 = 0x6d_61_72_6b_73;

/// A service's words: its open requests (a set, in content order) and its
/// single-flight loads; `kept`, its word kept with the node (`node_word`: its
/// generator and its loads done).
pub(super) fn service_words(
    service: &Service,
    kept: u64,
    names: &mut Names,
    order: &mut Order,
    h: &mut WordHasher,
) {
    // Open requests: a set. A request that names only what is named already (its
    // client's, most often) hashes the same once names are given: its first hash is its
    // last. The others are given names in content order (names not yet given sort
    // last; ids are unique, so the whole tuple sorts as by hash, then id). Then the
    // set's words, a multiset hash: no sort.
    let open = &service.flows;
    let mut set = Multiset::default();
    let mut unnamed = false;
    for f in open.iter() {
        names.missing = false;
        set.add(names.open_request(f, false));
        unnamed |= names.missing;
    }
    if unnamed {
        order.clear();
        order.extend(open.iter().enumerate().map(|(i, f)| {
            names.missing = false;
            let k = names.open_request(f, false);
            (k, f.id.0, i, names.missing)
        }));
        super::sort_small(order);
        set = Multiset::default();
        for (k, _, i, missing) in order.iter() {
            set.add(if *missing {
                names.open_request(&open[*i], true)
            } else {
                *k
            });
        }
    }
    h.add_multiset(set);
    h.word(service.loading.len() as u64);
    for (key, waiters) in service.loading.iter() {
        key.hash(h);
        h.word(waiters.len() as u64);
        for w in waiters {
            names.flow(*w).hash(h);
        }
    }
    h.word(kept);
    // Its near cache (`near.rs`): nothing while empty, so the fingerprints of worlds
    // without near caches stand. An expiry as the rules read it.
    if !service.near.entries.is_empty() {
        h.word(service.near.entries.len() as u64);
        for (key, e) in service.near.entries.iter() {
            (key, e.version, names.clock.expiry(e.expires_ms)).hash(h);
        }
    }
}

/// The words of a node whose words name no request and read no time as the rules do
/// (a database, a bus, a relay, a consumer's queues, a flusher, a replica, an
/// invalidator): a function of the node alone, so kept with it (`nodes::Held`) and
/// computed again only once it has changed. A database's: its rows, outbox, open
/// transactions, commit log and its readers, row locks and retired versions; a
/// consumer's: its queues (what it is handling names a request: `consumer_busy`).
/// A service's: its generator and its loads done; a cache's: all but its leases,
/// entries, tombstones and locks (`cache_kept`). A CDN edge: the empty hash.
pub(crate) fn node_word(node: &Node) -> u64 {
    let mut h = WordHasher::default();
    match node {
        // Its open transactions and lock waits without their requests (whether each
        // names one): those are hashed by name (`db_flows`).
        Node::Db(db) => {
            (&db.rows, db.lsn, &db.outbox).hash(&mut h);
            h.word(db.txns.len() as u64);
            for t in &db.txns {
                (t.client, t.flow.is_some(), t.key, t.version).hash(&mut h);
            }
            (&db.log, &db.streams).hash(&mut h);
            h.word(db.lock_waits.len() as u64);
            for l in &db.lock_waits {
                (l.from, l.client, l.flow.is_some(), l.key).hash(&mut h);
            }
            db.rolled_back.hash(&mut h);
        }
        Node::Bus(bus) => {
            (bus.durable, &bus.log, &bus.dlq, &bus.groups).hash(&mut h);
            // Its broken subscriptions: nothing while none, so the fingerprints of
            // worlds without a disconnect stand.
            if !bus.cut.is_empty() {
                bus.cut.hash(&mut h);
            }
        }
        // Whether a cycle is under way (bit 0), whether a commit notified it meanwhile
        // (bit 1), whether its poll timer is set (bit 2), and the answer it awaits:
        // `on_msg` reads it to tell the answer it expects from a late one (a poll's
        // answer while it awaits an ack is late, and ignored), so two relays that
        // await different answers have different futures (session 24: before, two
        // worlds, one awaiting its poll's answer and one the bus's ack of event 2, one
        // state; `search::check_shift`). Its settings are fixed for a run.
        Node::Relay(r) => {
            let (tag, event) = match r.awaiting {
                None => (0, 0),
                Some(Awaiting::Poll) => (1, 0),
                Some(Awaiting::Ack(e)) => (2, e.0),
                Some(Awaiting::Mark(e)) => (3, e.0),
            };
            h.word(
                u64::from(r.working)
                    | u64::from(r.notified) << 1
                    | u64::from(r.poll_set) << 2
                    | tag << 3
                    | u64::from(event) << 8,
            )
        }
        Node::Consumer(c) => (&c.inbox, &c.processed, &c.applied).hash(&mut h),
        Node::Flusher(f) => f.planned.hash(&mut h),
        Node::Replica(r) => r.hash(&mut h),
        Node::Invalidator(i) => i.hash(&mut h),
        // The parts of a service and a cache that name no request and read no time
        // (`service_words`, `cache_words` read the rest).
        Node::Service(s) => service_kept(s, &mut h),
        Node::Cache(c) => cache_kept(c, &mut h),
        Node::Cdn(_) => {}
    }
    h.finish()
}

/// The requests a database's open transactions and lock waits belong to, by name
/// (its word, `node_word`, keeps the rest): a `COMMIT`, a rollback or a second
/// `UPDATE` finds its transaction by its request (`db.rs`), so which request each
/// is matters, and by name, as everywhere (session 24: hashed by id before, so two
/// worlds one renaming apart reached two states once a transaction opened; and a
/// transaction whose request is over could take the id of one still under way in a
/// world otherwise alike). Every primary in id order; nothing for one with none.
pub(super) fn db_flows(w: &World, names: &mut Names, h: &mut WordHasher) {
    for (id, db) in w.nodes.dbs() {
        if db.txns.is_empty() && db.lock_waits.is_empty() {
            continue;
        }
        id.hash(h);
        for t in &db.txns {
            names.flow_opt(t.flow, true).hash(h);
        }
        for l in &db.lock_waits {
            names.flow_opt(l.flow, true).hash(h);
        }
    }
}

/// What a consumer is handling: the event, its offset and its request, by name.
/// (Inlined: a word for every state, most often that it handles nothing.)
#[inline]
pub(super) fn consumer_busy(c: &Consumer, names: &mut Names, h: &mut WordHasher) {
    h.word(c.busy.is_some() as u64);
    if let Some((ev, offset, flow)) = c.busy {
        (ev, offset, names.flow(flow)).hash(h);
    }
}

/// The primaries, buses, relays, consumers, flushers, replicas and invalidators after
/// the first of each kind (a topology's `db-2`, `bus-2`, …), in id order: each id and
/// its word (`node_word`), and what a consumer is handling.
pub(super) fn more_words(w: &World, names: &mut Names, h: &mut WordHasher) {
    for (id, node, held) in w.nodes.held() {
        let more = match node {
            Node::Service(_) | Node::Cache(_) | Node::Cdn(_) => false,
            _ => !id.is_first(),
        };
        if more {
            id.hash(h);
            h.word(held.word());
            if let Node::Consumer(c) = node {
                consumer_busy(c, names, h);
            }
        }
    }
}

/// The clients' word: each client's id, its next request and its request in progress,
/// by name. Not its last answer: no step, invariant or verdict reads it (only the
/// words and the view of a run, which read the run's own states), so two states that
/// differ only there have the same futures. Names are given here first (nothing
/// is named before), so the word is a function of the clients alone (and of whether
/// XFetch reads an answer's times: not kept then), kept with them (`Shared`) while
/// they are unchanged; from a kept word the same names are given again, unhashed.
/// Its low bit (`MIXED`) says whether a client both writes and reads (its requests are
/// fixed for a run), which the fingerprint reads for every state.
pub(super) fn clients_word(clients: &Shared<Vec<Client>>, names: &mut Names) -> u64 {
    debug_assert!(names.flows.is_empty() && names.tokens.is_empty());
    let keep = !names.clock.xfetch;
    if let Some(w) = clients.kept_word().filter(|_| keep) {
        for c in clients.iter() {
            names.flow_opt(c.busy, true);
        }
        return w;
    }
    let mut h = WordHasher::default();
    for c in clients.iter() {
        c.id.hash(&mut h);
        c.next.hash(&mut h);
        names.flow_opt(c.busy, true).hash(&mut h);
    }
    let mixed = clients.iter().any(|c| {
        c.requests.iter().any(|r| r.op == Op::Read) && c.requests.iter().any(|r| r.op != Op::Read)
    });
    // Never 0 (the second bit set), the low bit `MIXED`.
    let w = (h.finish() | 2) & !MIXED | if mixed { MIXED } else { 0 };
    if keep {
        clients.keep_word(w);
    }
    w
}

/// The clients' word's bit that says a client both writes and reads (`clients_word`).
pub(super) const MIXED: u64 = 1;

/// The books' word (what the invariants read: the versions acknowledged, the changes
/// relying on an event, the events handled): no names, no times, so kept with them
/// (`Shared`) while they are unchanged.
pub(super) fn books_word(books: &Shared<Books>) -> u64 {
    if let Some(w) = books.kept_word() {
        return w;
    }
    let mut h = WordHasher::default();
    (&books.acked, &books.relied, &books.delivered).hash(&mut h);
    let w = h.finish().max(1);
    books.keep_word(w);
    w
}

/// The consumers' cache requests on the network and the events they apply
/// (`Books::applying`, which `no-lost-event` reads), a multiset, each request by the
/// name its message on the network was given (so after the messages are named).
/// Nothing when there are none.
pub(super) fn applying_words(books: &Books, names: &mut Names, h: &mut WordHasher) {
    if books.applying.is_empty() {
        return;
    }
    let mut set = Multiset::default();
    for (flow, key, version) in &books.applying {
        let mut item = WordHasher::default();
        (names.peek_flow(*flow), key, version).hash(&mut item);
        set.add(item.item());
    }
    h.add_multiset(set);
}
