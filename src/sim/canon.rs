//! The canonical state of a world and its 64-bit fingerprint, for a search that must
//! see two equal situations as one state.
//!
//! What is in it: everything a later step or an invariant can read. `now`, the
//! nodes' state (cache, database, bus, consumer, relay, the service's open requests,
//! the clients' progress), node status, the random generator, the
//! books the invariants read (acknowledged versions, the changes relying on an event,
//! the events delivered, the event each consumer's cache request in flight applies),
//! the timers and the messages in flight.
//!
//! What is not: the `Config` (fixed for a run: compare fingerprints of worlds of one
//! scenario, fixes and seed only), the counters no invariant reads (`metrics`, the
//! read-peak window, crash counts, which only scripts read), the id counters, a
//! message's `sent_ms` (only the page draws it and the books' words read it), a
//! client's last answer (only the words and the view read it, from the run's own
//! states: no step, no invariant), and the books kept for the words and the endings:
//! what has happened (`happened`), each key's last commit and purge time, each node's
//! last crash (its time and first message), each write's commit and each read's floor
//! (`Books`). Those times are absolute (`committed_ms`, `crashed_ms`), but only the
//! narration and the endings compare them, never a step, an invariant or the search's
//! verdict (checked by `search::check_shift`, session 24: every world the page's search
//! merges has the futures of the first with its fingerprint).
//!
//! Renumbering. Message and timer ids are left out; the ids of requests (flows) and
//! of memcache lease tokens are renamed in order of first appearance along a fixed
//! walk of the state (clients, leases, open requests sorted by content, timers and
//! messages sorted by content), so a renaming depends only on content, and on the
//! original ids only between two items equal in everything else. The network is the
//! multiset of messages, with first-in-first-out order kept only on an ordered
//! connection (to or from the bus, a replication stream), the only place the rules
//! read it.
//!
//! Time. By the rules at the top of `scenarios.md`, `now` decides which timers are
//! enabled, an entry's expiry is judged against it (`cache-matches-db` skips expired
//! entries) and nominal times decide which timer may fire before a message; and the
//! horizon is absolute, so two states that differ only by a shift of every time are not
//! equal. So `now`, every nominal time (message arrivals, timers, expiries, tombstones,
//! leases, locks) is in the canonical state, as is. (`fingerprint_shifted` reads them as
//! offsets from `now`, sound where the horizon cuts nothing; `fingerprint_time_blind`
//! not at all, which is no reduction: only for a search that proves nothing.)
//!
//! The hash is our own, so it is the same natively and in wasm32 (std's `DefaultHasher`
//! is not promised to be stable, and `RandomState` is random): every value is fed as
//! 64-bit words (lengths and enum discriminants too), each word mixed in by the block
//! step of MurmurHash64A (the word scrambled by two multiplications, then xored into
//! the state and multiplied once: one multiplication on the state's chain, where
//! SplitMix64's finalizer put two, so about twice as fast), and the state finished by
//! SplitMix64's finalizer, a bijection with full avalanche.
//!
//! Cost. A fingerprint allocates nothing once its lists have grown (they are kept per
//! thread between calls), and an item (timer, message) that names only requests and
//! leases already named is hashed once: its hash before names are given is its hash
//! after. An item's words go straight into the hasher, renamed as they go
//! (`names.rs`): no renamed copy is built. The nodes whose words name no request and read no time (the database
//! but the requests of its open transactions and lock waits, `db_flows`, the bus, the
//! relay, the consumer's queues, the flusher, the replica, the invalidator) are one
//! word each (`node_word`), kept with the node (`nodes::Held`) and computed
//! again only for a node a step changed: the others are shared with the state before.
//! So are the books and the clients (`books_word`, `clients_word`: the clients give the
//! first names, so their word is a function of them alone), kept with them
//! (`shared::Shared`). Ids, and a message's and an open request's small fields, are
//! packed into as few words as keep each field apart. A multiset (a service's open
//! requests, the timers, the messages on unordered connections) is hashed as its count
//! and the sum of its items' mixed words (`WordHasher::multiset`), the same in any
//! order: sorted only where names must be given in content order.
use super::cache::Cache;
use super::config::LoadGuard;
use super::consumer::Consumer;
use super::ids::{FlowId, NodeId};
use super::msg::Payload;
use super::nodes::{Held, Node};
use super::service::Service;
use super::world::World;
use std::hash::{Hash, Hasher};

mod hash;
mod names;
mod pack;
mod sort;
mod words;
use hash::Multiset;
pub use hash::WordHasher;
use names::{Clock, Names, Order, Time};
pub(crate) use sort::sort_small;
pub(crate) use words::node_word;
use words::{
    applying_words, books_word, cache_words, clients_word, consumer_busy, db_flows, kept_word,
    more_words, service_words, MIXED,
};

/// The lists a fingerprint works in, kept between fingerprints so that taking one
/// allocates nothing once they have grown to a state's size.
#[derive(Default)]
struct Scratch {
    flows: Vec<FlowId>,
    tokens: Vec<u64>,
    order: Order,
    finals: Vec<u64>,
    /// Each timer's word, in the timers' order (`World::item_words`).
    timer_finals: Vec<u64>,
    links: Vec<(NodeId, NodeId, usize, u64)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Whether messages on this connection keep their order (to or from the bus, and a
/// replication stream): `timing::ordered` as a table, a row per sender's kind (its
/// rank's index) and a bit per receiver's, one look-up for the chain of tests there
/// (checked against it for every pair of kinds: the test below). The search's
/// `enabled` reads it too (`timing.rs`, not in the page's own build).
pub(crate) fn ordered(from: NodeId, to: NodeId) -> bool {
    const BUS: u16 = 1 << 7;
    const DB: u16 = 1 << 5;
    const REPLICA: u16 = 1 << 6;
    const INVALIDATOR: u16 = 1 << 11;
    const ROWS: [u16; 12] = [
        BUS,
        BUS,
        BUS,
        BUS,
        BUS,
        BUS | REPLICA | INVALIDATOR,
        BUS | DB | INVALIDATOR,
        0xfff,
        BUS,
        BUS,
        BUS,
        BUS | DB | REPLICA,
    ];
    let (f, t) = (from.rank() >> 8, to.rank() >> 8);
    ROWS.get(usize::from(f))
        .is_some_and(|row| row >> t & 1 == 1)
}

impl World {
    /// The fingerprint of the canonical state: equal for two worlds of one scenario,
    /// fixes and seed that differ only in message, timer, request or lease numbering
    /// and in the order of messages on unordered connections. See the module's doc.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint_with(Time::Absolute)
    }

    /// The fingerprint of the canonical state with every time read as an offset from
    /// `now` (and `now` left out): equal for two worlds that differ only by a shift of
    /// every time as well. Every rule but the horizon and the clients' start times
    /// compares two times, so two such worlds have the same futures, shifted, as long
    /// as the horizon cuts nothing (which the search checks: `search::Clock`); a
    /// client's requests still to start are read as offsets too. Not for XFetch,
    /// whose draw adds a real number to `now`: `None` there.
    pub fn fingerprint_shifted(&self) -> Option<u64> {
        let xfetch = matches!(self.config.load_guard, LoadGuard::XFetch { .. });
        (!xfetch).then(|| self.fingerprint_with(Time::Shifted))
    }

    /// The fingerprint of the canonical state blind to time: every time read only as
    /// before or past the horizon, and `now` left out (an expiry under XFetch stays
    /// exact). Two worlds with one such fingerprint may have different futures (which
    /// of two messages is due first), so it is **not** a reduction a search may prove
    /// anything with: only a search that proves nothing (the depth-first phase, which
    /// looks for a run and follows only real steps) may prune with it.
    pub fn fingerprint_time_blind(&self) -> u64 {
        self.fingerprint_with(Time::Blind)
    }

    /// The fingerprint (shifted in time if `shifted`, as `fingerprint_shifted`, which
    /// is `None` under XFetch), with each message's word in `msgs` (in the network's
    /// order) and each timer's in `timers` (in the timers' order): what the
    /// fingerprint hashes of each, its ids renamed as the whole world's are, so two
    /// worlds with one fingerprint have the same words, item for item under the
    /// renaming that makes them one (items with one word are alike but for their ids).
    /// For the slice's side-by-side check, which names its pairing of two worlds'
    /// items by their words (`slice_check.rs`).
    pub fn item_words(
        &self,
        shifted: bool,
        msgs: &mut Vec<u64>,
        timers: &mut Vec<u64>,
    ) -> Option<u64> {
        let xfetch = matches!(self.config.load_guard, LoadGuard::XFetch { .. });
        if shifted && xfetch {
            return None;
        }
        let time = if shifted {
            Time::Shifted
        } else {
            Time::Absolute
        };
        let mut words = |scratch: &mut Scratch| {
            let fingerprint = self.fingerprint_in(scratch, time);
            msgs.clear();
            msgs.extend_from_slice(&scratch.finals);
            timers.clear();
            timers.extend_from_slice(&scratch.timer_finals);
            fingerprint
        };
        Some(SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => words(&mut scratch),
            Err(_) => words(&mut Scratch::default()),
        }))
    }

    fn fingerprint_with(&self, time: Time) -> u64 {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.fingerprint_in(&mut scratch, time),
            // Not reached (a fingerprint takes no other): lists of its own then.
            Err(_) => self.fingerprint_in(&mut Scratch::default(), time),
        })
    }

    fn fingerprint_in(&self, scratch: &mut Scratch, time: Time) -> u64 {
        let Scratch {
            flows: flow_names,
            tokens,
            order,
            finals,
            timer_finals,
            links,
        } = scratch;
        flow_names.clear();
        tokens.clear();
        let firsts = self.firsts();
        let (kept_service, kept_cache) = (firsts.words.service, firsts.words.cache);
        let mut h = WordHasher::default();
        let clock = Clock {
            now_ms: self.now_ms,
            horizon_ms: self.config.horizon_ms,
            xfetch: matches!(self.config.load_guard, LoadGuard::XFetch { .. }),
            time,
        };
        let mut names = Names {
            flows: flow_names,
            tokens,
            clock,
            missing: false,
        };
        if time != Time::Absolute {
            // A start moves `now` to the request's nominal start, fixed by the
            // scenario: how long until each request still to start (blind: whether
            // before the horizon).
            for c in &self.clients {
                for r in c.requests.iter().skip(c.next) {
                    h.word(clock.at(r.at_ms));
                }
            }
        } else {
            h.word(self.now_ms);
        }
        // The clients, with the first names: one word, kept with them while they are
        // unchanged (`clients_word`).
        let clients = clients_word(&self.clients, &mut names);
        h.word(clients);
        consumer_busy(firsts.consumer, &mut names, &mut h);
        cache_words(firsts.cache, kept_cache, clock, &mut names, &mut h);
        // The nodes whose words name no request and read no time (the database but
        // its transactions' requests, the bus, the relay, the consumer's queues, the
        // flusher, the replica and the invalidator): one word each, kept with the node while it is unchanged
        // (`node_word`, `nodes::Held`); the books likewise (`books_word`). All of them
        // one word here (`kept_sum`).
        let kept = &firsts.words;
        h.word(kept_sum([
            kept.flusher,
            kept.db,
            kept.replica,
            kept.invalidator,
            books_word(&self.books),
            kept.bus,
            kept.consumer,
            kept.relay,
        ]));
        // read-your-writes is a property of each client's history: with a client that
        // both writes and reads, what it was told it wrote and whether it broke.
        // (Whether a client both writes and reads: the clients' word's low bit, kept
        // with it, `clients_word`.)
        if clients & MIXED != 0 {
            (&self.books.acked_to, &self.books.ryw_broken).hash(&mut h);
        }
        self.status.hash(&mut h);
        // Cut links: nothing when there are none.
        if !self.cuts.is_empty() {
            self.cuts.hash(&mut h);
        }
        service_words(firsts.service, kept_service, &mut names, order, &mut h);
        // The nodes of a topology beyond one of each kind, and a CDN edge: none in
        // most worlds, whose walks below `firsts` has already spared.
        if firsts.others {
            // Every other service and cache node (`topology`), in id order: nothing for a
            // world of one of each, so the classic scenarios' fingerprints stand.
            for (id, node, held) in self.nodes.held() {
                match node {
                    Node::Service(service) if id != NodeId::SERVICE => {
                        id.hash(&mut h);
                        service_words(service, held.word(), &mut names, order, &mut h);
                    }
                    _ => {}
                }
            }
            for (id, node, held) in self.nodes.held() {
                match node {
                    Node::Cache(cache) if id != NodeId::CACHE => {
                        id.hash(&mut h);
                        cache_words(cache, held.word(), clock, &mut names, &mut h);
                    }
                    _ => {}
                }
            }
            // The CDN edge, when the topology has one: its stored responses (when each
            // stops being fresh, as the rules read a time) and the requests it forwards.
            for (id, cdn) in self.nodes.cdns() {
                id.hash(&mut h);
                h.word(cdn.entries.len() as u64);
                for (key, e) in cdn.entries.iter() {
                    (key, e.version, clock.at(e.expires_ms)).hash(&mut h);
                }
                h.word(cdn.forwarded.len() as u64);
                for f in &cdn.forwarded {
                    (names.flow(f.flow), f.client, f.key).hash(&mut h);
                }
            }
            // Every other primary, bus, relay, consumer and flusher (`topology`), in id
            // order: nothing for a world of one of each, so pinned values stand.
            more_words(self, &mut names, &mut h);
        }
        // The requests of the databases' open transactions and lock waits, by name
        // (after the services' open requests have named theirs).
        db_flows(self, &mut names, &mut h);
        // Timers: a multiset. An item that names only what is named already hashes
        // the same once names are given: its first hash is its last.
        let mut unnamed = false;
        timer_finals.clear();
        for t in self.timers.iter() {
            names.missing = false;
            let k = names.timer(t, false);
            unnamed |= names.missing;
            timer_finals.push(k);
        }
        if unnamed {
            // Names are given in content order (by hash, then id: ids are unique, so
            // the whole tuple sorts the same). (Which items name something not yet
            // named: looked up again, which gives no names.)
            order.clear();
            for (i, t) in self.timers.iter().enumerate() {
                names.missing = false;
                let k = names.timer(t, false);
                order.push((k, t.id.0, i, names.missing));
            }
            sort_small(order);
            for (_, _, i, missing) in order.iter() {
                if *missing {
                    timer_finals[*i] = names.timer(&self.timers[*i], true);
                }
            }
        }
        // (Else every first hash is the last: no order to give names in.)
        h.multiset(timer_finals.iter().copied());
        // Messages: names are given in content order; then a multiset of the unordered
        // ones and, per ordered connection, a sequence. Each message's first hash goes
        // straight to its side (the multiset, `links`); a message that names something
        // not yet named, or a closed connection in the network, sorts them out again
        // below.
        let mut unnamed = false;
        let mut closing = false;
        let mut unordered = Multiset::default();
        finals.clear();
        links.clear();
        for (i, m) in self.net.iter().enumerate() {
            names.missing = false;
            let k = names.message(m, false);
            unnamed |= names.missing;
            // A link with a closed connection on it keeps its order (`timing.rs`).
            closing |= matches!(m.payload, Payload::Closed);
            finals.push(k);
            if ordered(m.from, m.to) {
                links.push((m.from, m.to, i, k));
            } else {
                unordered.add(k);
            }
        }
        if unnamed || closing {
            if unnamed {
                // (As the timers' above.)
                order.clear();
                for (i, m) in self.net.iter().enumerate() {
                    names.missing = false;
                    let k = names.message(m, false);
                    order.push((k, m.id.0, i, names.missing));
                }
                sort_small(order);
                for (_, _, i, missing) in order.iter() {
                    if *missing {
                        finals[*i] = names.message(&self.net[*i], true);
                    }
                }
            }
            unordered = Multiset::default();
            links.clear();
            let closes = |m: &super::msg::Message| {
                closing
                    && self.net.iter().any(|o| {
                        (o.from, o.to) == (m.from, m.to) && matches!(o.payload, Payload::Closed)
                    })
            };
            for (i, m) in self.net.iter().enumerate() {
                if ordered(m.from, m.to) || closes(m) {
                    links.push((m.from, m.to, i, finals[i]));
                } else {
                    unordered.add(finals[i]);
                }
            }
        }
        h.add_multiset(unordered);
        // Sorted by connection, and within one by position in the network (send order).
        // (Positions are unique, so the whole tuple sorts the same.)
        sort_small(links);
        h.word(links.len() as u64);
        for (from, to, _, w) in links.iter() {
            // The connection's two ranks packed into one word (as `names.rs` does).
            h.word(u64::from(from.rank()) | u64::from(to.rank()) << 16);
            h.word(*w);
        }
        // The consumers' cache requests on the network and the events they apply.
        applying_words(&self.books, &mut names, &mut h);
        h.finish()
    }
}

/// Kept words (each a finished hash, `node_word`, `books_word`; 0 for a kind the world
/// has none of) as one: their sum, each times an odd number of its own place. A
/// change in any one word changes the sum (an odd factor is invertible), and two words
/// cannot trade places unseen; two changes cancel only where two products of
/// well-mixed words meet. Two multiplications and an addition a word, where feeding
/// each to the hasher took three multiplications.
fn kept_sum(words: [u64; 8]) -> u64 {
    const ODD: [u64; 8] = [
        0x9E37_79B9_7F4A_7C15,
        0xBF58_476D_1CE4_E5B9,
        0x94D0_49BB_1331_11EB,
        0xC6A4_A793_5BD1_E995,
        0xD6E8_FEB8_6659_FD93,
        0xFF51_AFD7_ED55_8CCD,
        0xC4CE_B9FE_1A85_EC53,
        0x2545_F491_4F6C_DD1D,
    ];
    words
        .iter()
        .zip(ODD)
        .fold(0u64, |sum, (w, odd)| sum.wrapping_add(w.wrapping_mul(odd)))
}

/// The words of the first node of each kind that `node_word` reads.
#[derive(Default)]
struct Words {
    db: u64,
    bus: u64,
    consumer: u64,
    relay: u64,
    flusher: u64,
    replica: u64,
    invalidator: u64,
    /// The service's and the cache's (their parts that name no request and read no
    /// time).
    service: u64,
    cache: u64,
}

struct Firsts<'a> {
    service: &'a Service,
    cache: &'a Cache,
    consumer: &'a Consumer,
    /// The words of the first of each kind that `node_word` reads (0 for a kind the
    /// world has none of).
    words: Words,
    /// A second service, cache, primary, bus, relay, consumer or flusher, or a CDN.
    others: bool,
}

impl World {
    /// The first of each kind and their words: one index each (`Nodes::first`).
    fn firsts(&self) -> Firsts<'_> {
        let nodes = &self.nodes;
        let word = |kind| nodes.first(kind).map_or(0, Held::word);
        let node = |kind| nodes.first(kind).map(|held| (held.node(), held.word()));
        // Every world has a service, a cache and a consumer (`World::new`): the
        // look-ups say so if not.
        let (service, service_word) = match node(Node::SERVICE) {
            Some((Node::Service(n), w)) => (n, w),
            _ => (self.service(), kept_word(Ok(self.service()))),
        };
        let (cache, cache_word) = match node(Node::CACHE) {
            Some((Node::Cache(n), w)) => (n, w),
            _ => (self.cache(), kept_word(Err(self.cache()))),
        };
        let words = Words {
            db: word(Node::DB),
            bus: word(Node::BUS),
            consumer: word(Node::CONSUMER),
            relay: word(Node::RELAY),
            flusher: word(Node::FLUSHER),
            replica: word(Node::REPLICA),
            invalidator: word(Node::INVALIDATOR),
            service: service_word,
            cache: cache_word,
        };
        Firsts {
            service,
            cache,
            consumer: match nodes.first(Node::CONSUMER).map(Held::node) {
                Some(Node::Consumer(n)) => n,
                _ => self.consumer(),
            },
            words,
            others: nodes.has_others(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hash::hash_of;
    use crate::sim::ids::NodeId;

    #[test]
    fn the_ordered_table_is_timings_rule() {
        let ids: Vec<NodeId> = (0u16..12)
            .flat_map(|kind| [1u16, 2].map(|n| NodeId::from_rank(kind << 8 | n)))
            .collect();
        for from in &ids {
            for to in &ids {
                assert_eq!(
                    super::ordered(*from, *to),
                    crate::sim::timing::ordered(*from, *to),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn the_hash_is_pinned_so_native_and_wasm_agree() {
        // Lengths and discriminants are fed as 64-bit words: a fixed value hashes to a
        // fixed number on every platform.
        let value = (
            1u8,
            2u16,
            3u32,
            4u64,
            5usize,
            "ab",
            Some(7u32),
            vec![1u64, 2],
        );
        assert_eq!(hash_of(&value), 18_343_907_182_854_267_739);
        assert_ne!(hash_of(&(1u32, 2u32)), hash_of(&(2u32, 1u32)));
    }
}
