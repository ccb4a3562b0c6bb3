//! The nodes of a world, held by id: any number of each kind (`service`, `service-2`,
//! `cache`, `cache-2`, …), as the scenario's topology says. A node is one variant of
//! `Node`; the world finds it by id and lends it a `Ctx` (`node.rs`), so a handler
//! holds `&mut` to its own node only: reaching another node's state does not compile.
//!
//! A new node kind: its module (its state, settings and handlers, and its `Actor`
//! impl), a variant here, and its accessors in `kinds!` below; no other node changes.
use super::behind::Flusher;
use super::bus::Bus;
use super::cache::Cache;
use super::cdn::Cdn;
use super::consumer::Consumer;
use super::db::Db;
use super::ids::NodeId;
use super::invalidator::Invalidator;
use super::node::Actor;
use super::relay::Relay;
use super::replica::Replica;
use super::service::Service;
use super::world::World;
use layout::Layout;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

mod layout;

/// One node, of any kind but a client (clients are the world's list of users).
#[derive(Debug, PartialEq, Eq, Hash)]
pub enum Node {
    Service(Service),
    Cache(Cache),
    Db(Db),
    Bus(Bus),
    Relay(Relay),
    Consumer(Consumer),
    Flusher(Flusher),
    Replica(Replica),
    Invalidator(Invalidator),
    /// The CDN edge (`cdn.rs`).
    Cdn(Cdn),
}

/// The nodes by id, in id order (at most a few dozen: a lookup walks the list).
///
/// Each node is shared between copies of a world until one of them changes it (copy on
/// write, `Arc::make_mut`): a step changes one or two nodes, and the search copies the
/// world for every state, so a copy costs a pointer per node instead of the node.
///
/// A node that no other copy shares, when a copy drops it (`clone_from`, drop), goes
/// to a small pool of the thread's (`SPARE`) with its buffers; the next change to a
/// shared node of its kind copies into one (`Node::clone_from`) instead of allocating
/// a copy. Not state: which buffers a node lives in changes no value.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct Nodes(Vec<(NodeId, Arc<Held>)>, Layout);

/// At most this many dropped nodes of each kind are kept to copy into.
const SPARES: usize = 8;

thread_local! {
    /// Dropped nodes no copy shared, by kind (`Node::kind`; `Nodes`). A pool per kind:
    /// one pool for all, by id, filled up with the kinds a step gives back more often
    /// than it changes them, and the others were then copied anew (and dropped), 55,000
    /// times in the fixed benchmark.
    static SPARE: std::cell::RefCell<[Vec<Arc<Held>>; layout::KINDS]> =
        const { std::cell::RefCell::new([const { Vec::new() }; layout::KINDS]) };
}

/// Whether this build keeps pools of dropped copies: the search's builds do (native,
/// the worker); the page's own build (the `split` feature, index.html) does not. The
/// page copies a world per step, not per state, and the pools' code would weigh on its
/// first download (250 KB budget) for no gain.
pub(super) const POOLS: bool = !cfg!(feature = "split");

/// Keeps `node` in its kind's pool if no copy shares it and there is room; else drops
/// it.
fn give(mut node: Arc<Held>) {
    if !POOLS || Arc::get_mut(&mut node).is_none() {
        return;
    }
    let _ = SPARE.try_with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            if let Some(pool) = spare.get_mut(node.node.kind()) {
                if pool.len() < SPARES {
                    pool.push(node);
                }
            }
        }
    });
}

/// A node of the pool of the kind `kind` (`Node::kind`), if any (no other copy shares
/// it).
fn take(kind: usize) -> Option<Arc<Held>> {
    if !POOLS {
        return None;
    }
    SPARE
        .try_with(|spare| spare.try_borrow_mut().ok()?.get_mut(kind)?.pop())
        .ok()
        .flatten()
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for (_, node) in self.0.drain(..) {
            give(node);
        }
    }
}

/// A node, and its word in the fingerprint (`canon.rs`, `canon::node_word`: for the
/// kinds whose words name no request nor time) once computed: a step changes one or
/// two nodes and the others are shared with the state before, so their words are
/// computed once, not for every state. Not state: it compares, hashes and prints as
/// the node, and `Nodes::get_mut` forgets the word before the node changes.
pub struct Held {
    node: Node,
    /// 0 while not computed (a computed word is never 0).
    word: AtomicU64,
}

impl Held {
    fn new(node: Node) -> Held {
        Held {
            node,
            word: AtomicU64::new(0),
        }
    }

    /// The node.
    pub(crate) fn node(&self) -> &Node {
        &self.node
    }

    /// `canon::node_word` of the node, computed on first use. (Any thread computes
    /// the same value from the same node, so a relaxed store is enough.) Inlined: a
    /// fingerprint asks each node for it (eight calls a state), and most have it.
    #[inline]
    pub(crate) fn word(&self) -> u64 {
        match self.word.load(Ordering::Relaxed) {
            0 => self.compute_word(),
            w => w,
        }
    }

    /// `word`'s first use: computed and kept.
    #[cold]
    #[inline(never)]
    fn compute_word(&self) -> u64 {
        let w = super::canon::node_word(&self.node).max(1);
        self.word.store(w, Ordering::Relaxed);
        w
    }
}

impl Clone for Held {
    fn clone(&self) -> Held {
        Held {
            node: self.node.clone(),
            word: AtomicU64::new(self.word.load(Ordering::Relaxed)),
        }
    }
}

impl PartialEq for Held {
    fn eq(&self, other: &Held) -> bool {
        self.node == other.node
    }
}

impl Eq for Held {}

impl std::hash::Hash for Held {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.node.hash(state);
    }
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.node.fmt(f)
    }
}

impl Clone for Nodes {
    fn clone(&self) -> Nodes {
        Nodes(self.0.clone(), self.1)
    }

    /// Into this table's own buffer; a node of its own that the source's replaces goes
    /// to the pool (see `Nodes`).
    fn clone_from(&mut self, source: &Nodes) {
        let same_ids =
            self.0.len() == source.0.len() && self.0.iter().zip(&source.0).all(|(a, b)| a.0 == b.0);
        if !same_ids {
            for (_, node) in self.0.drain(..) {
                give(node);
            }
            self.0.extend(source.0.iter().cloned());
            self.1 = source.1;
            return;
        }
        for (slot, (_, node)) in self.0.iter_mut().zip(&source.0) {
            if !Arc::ptr_eq(&slot.1, node) {
                give(std::mem::replace(&mut slot.1, Arc::clone(node)));
            }
        }
    }
}

/// A node's copy, and a copy into a node of the same kind's own buffers (each kind's
/// `Clone` copies field by field: `clone_fields!`).
impl Clone for Node {
    fn clone(&self) -> Node {
        match self {
            Node::Service(n) => Node::Service(n.clone()),
            Node::Cache(n) => Node::Cache(n.clone()),
            Node::Db(n) => Node::Db(n.clone()),
            Node::Bus(n) => Node::Bus(n.clone()),
            Node::Relay(n) => Node::Relay(n.clone()),
            Node::Consumer(n) => Node::Consumer(n.clone()),
            Node::Flusher(n) => Node::Flusher(n.clone()),
            Node::Replica(n) => Node::Replica(n.clone()),
            Node::Invalidator(n) => Node::Invalidator(n.clone()),
            Node::Cdn(n) => Node::Cdn(n.clone()),
        }
    }

    fn clone_from(&mut self, source: &Node) {
        match (self, source) {
            (Node::Service(n), Node::Service(s)) => n.clone_from(s),
            (Node::Cache(n), Node::Cache(s)) => n.clone_from(s),
            (Node::Db(n), Node::Db(s)) => n.clone_from(s),
            (Node::Bus(n), Node::Bus(s)) => n.clone_from(s),
            (Node::Relay(n), Node::Relay(s)) => n.clone_from(s),
            (Node::Consumer(n), Node::Consumer(s)) => n.clone_from(s),
            (Node::Flusher(n), Node::Flusher(s)) => n.clone_from(s),
            (Node::Replica(n), Node::Replica(s)) => n.clone_from(s),
            (Node::Invalidator(n), Node::Invalidator(s)) => n.clone_from(s),
            (Node::Cdn(n), Node::Cdn(s)) => n.clone_from(s),
            (this, source) => *this = source.clone(),
        }
    }
}

impl Nodes {
    /// Adds `node` as `id`, or replaces the node that had that id.
    pub fn insert(&mut self, id: NodeId, node: Node) {
        match self.0.binary_search_by_key(&id, |(i, _)| *i) {
            Ok(at) => self.0[at].1 = Arc::new(Held::new(node)),
            Err(at) => self.0.insert(at, (id, Arc::new(Held::new(node)))),
        }
        // Kept in the search's builds only (the page's never fingerprints: `layout`).
        if POOLS {
            self.1 = Layout::of(&self.0);
        }
    }

    /// The table's layout: kept (`insert`) in the search's builds, found by a walk in
    /// the page's own, which never fingerprints a world and so carries no code for it
    /// at each insert (250 KB budget).
    fn layout(&self) -> Layout {
        if POOLS {
            self.1
        } else {
            Layout::of(&self.0)
        }
    }

    /// The first node of the kind `kind` (`Node::kind`; number 1: `db`, `cache`) with
    /// its word, if the table has one: one index, no walk (`Layout`).
    #[inline]
    pub(crate) fn first(&self, kind: usize) -> Option<&Held> {
        let at = *self.layout().first.get(kind)?;
        self.0.get(usize::from(at)).map(|(_, n)| &**n)
    }

    /// Whether the table has a node besides the first of each kind (a second service,
    /// cache, primary, …, or a CDN edge).
    pub(crate) fn has_others(&self) -> bool {
        self.layout().others
    }

    /// (Ids compare by rank: one integer, where comparing the enums is a call each.)
    pub fn get(&self, id: NodeId) -> Option<&Node> {
        let rank = id.rank();
        self.0
            .iter()
            .find(|(i, _)| i.rank() == rank)
            .map(|(_, n)| &n.node)
    }

    /// The node to change: copied first if another world shares it.
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        let rank = id.rank();
        let (_, n) = self.0.iter_mut().find(|(i, _)| i.rank() == rank)?;
        if Arc::get_mut(n).is_none() {
            // Shared: copied into a dropped node's buffers, when its kind's pool has
            // one.
            if let Some(mut spare) = take(n.node.kind()) {
                if let Some(held) = Arc::get_mut(&mut spare) {
                    held.node.clone_from(&n.node);
                    *n = spare;
                }
            }
        }
        // The node is about to change: its word is forgotten.
        let held = Arc::make_mut(n);
        *held.word.get_mut() = 0;
        Some(&mut held.node)
    }

    /// The id of the node at position `at` of `iter`'s order (the run's nodes, fixed).
    pub(crate) fn id_at(&self, at: usize) -> Option<NodeId> {
        self.0.get(at).map(|(i, _)| *i)
    }

    /// Every node with its id, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.0.iter().map(|(i, n)| (*i, &n.node))
    }

    /// Every node with its id and its word (`Held`), in id order.
    pub(crate) fn held(&self) -> impl Iterator<Item = (NodeId, &Node, &Held)> {
        self.0.iter().map(|(i, n)| (*i, &n.node, &**n))
    }

    pub fn contains(&self, id: NodeId) -> bool {
        self.get(id).is_some()
    }
}

/// For each kind: `Nodes::<kind>(id)`, `<kind>_mut(id)` and `<kinds>()` (every node of
/// the kind with its id).
macro_rules! kinds {
    ($($variant:ident: $ty:ty, $get:ident, $get_mut:ident, $all:ident;)*) => {
        impl Nodes {
            $(
                pub fn $get(&self, id: NodeId) -> Option<&$ty> {
                    match self.get(id) {
                        Some(Node::$variant(n)) => Some(n),
                        _ => None,
                    }
                }

                pub fn $get_mut(&mut self, id: NodeId) -> Option<&mut $ty> {
                    match self.get_mut(id) {
                        Some(Node::$variant(n)) => Some(n),
                        _ => None,
                    }
                }

                pub fn $all(&self) -> impl Iterator<Item = (NodeId, &$ty)> {
                    self.iter().filter_map(|(id, n)| match n {
                        Node::$variant(n) => Some((id, n)),
                        _ => None,
                    })
                }
            )*
        }
    };
}

kinds! {
    Service: Service, service, service_mut, services;
    Cache: Cache, cache, cache_mut, caches;
    Db: Db, db, db_mut, dbs;
    Bus: Bus, bus, bus_mut, buses;
    Relay: Relay, relay, relay_mut, relays;
    Consumer: Consumer, consumer, consumer_mut, consumers;
    Flusher: Flusher, flusher, flusher_mut, flushers;
    Replica: Replica, replica, replica_mut, replicas;
    Invalidator: Invalidator, invalidator, invalidator_mut, invalidators;
    Cdn: Cdn, cdn, cdn_mut, cdns;
}

impl Node {
    /// The kind's index (the variant's, in declaration order; below `KINDS`): what
    /// `Nodes::first` takes (`Node::SERVICE`, …).
    pub(crate) fn kind(&self) -> usize {
        match self {
            Node::Service(_) => Node::SERVICE,
            Node::Cache(_) => Node::CACHE,
            Node::Db(_) => Node::DB,
            Node::Bus(_) => Node::BUS,
            Node::Relay(_) => Node::RELAY,
            Node::Consumer(_) => Node::CONSUMER,
            Node::Flusher(_) => Node::FLUSHER,
            Node::Replica(_) => Node::REPLICA,
            Node::Invalidator(_) => Node::INVALIDATOR,
            Node::Cdn(_) => Node::CDN,
        }
    }

    pub(crate) const SERVICE: usize = 0;
    pub(crate) const CACHE: usize = 1;
    pub(crate) const DB: usize = 2;
    pub(crate) const BUS: usize = 3;
    pub(crate) const RELAY: usize = 4;
    pub(crate) const CONSUMER: usize = 5;
    pub(crate) const FLUSHER: usize = 6;
    pub(crate) const REPLICA: usize = 7;
    pub(crate) const INVALIDATOR: usize = 8;
    pub(crate) const CDN: usize = 9;

    /// The node as a state machine, to read.
    pub(crate) fn as_actor(&self) -> &dyn Actor {
        match self {
            Node::Service(n) => n,
            Node::Cache(n) => n,
            Node::Db(n) => n,
            Node::Bus(n) => n,
            Node::Relay(n) => n,
            Node::Consumer(n) => n,
            Node::Flusher(n) => n,
            Node::Replica(n) => n,
            Node::Invalidator(n) => n,
            Node::Cdn(n) => n,
        }
    }

    /// The node as a state machine.
    pub(crate) fn actor(&mut self) -> &mut dyn Actor {
        match self {
            Node::Service(n) => n,
            Node::Cache(n) => n,
            Node::Db(n) => n,
            Node::Bus(n) => n,
            Node::Relay(n) => n,
            Node::Consumer(n) => n,
            Node::Flusher(n) => n,
            Node::Replica(n) => n,
            Node::Invalidator(n) => n,
            Node::Cdn(n) => n,
        }
    }
}

/// The world's node of each kind that every world has (its first, for the numbered
/// kinds): what the page and the scripts read. The invariants and books read every
/// node of a kind (`Nodes::caches`, …), not only these.
impl World {
    /// The first read replica, `replica` (every world has one; a scenario without
    /// `replica` settings does not use it).
    pub fn replica(&self) -> &Replica {
        self.nodes
            .replica(NodeId::Replica(1))
            .expect("World::new makes a replica")
    }

    /// The first cache node, `cache` (every world has one).
    pub fn cache(&self) -> &Cache {
        self.nodes
            .cache(NodeId::CACHE)
            .expect("World::new makes a cache")
    }

    /// The database, `db`: the primary (every world has one).
    pub fn db(&self) -> &Db {
        self.nodes.db(NodeId::DB).expect("World::new makes a db")
    }

    /// The first service, `service` (every world has one).
    pub fn service(&self) -> &Service {
        self.nodes
            .service(NodeId::SERVICE)
            .expect("World::new makes a service")
    }

    /// The bus (every world has one; a scenario without events does not use it).
    pub fn bus(&self) -> &Bus {
        self.nodes.bus(NodeId::BUS).expect("World::new makes a bus")
    }

    /// The invalidation consumer (every world has one; used with a bus).
    pub fn consumer(&self) -> &Consumer {
        self.nodes
            .consumer(NodeId::CONSUMER)
            .expect("World::new makes a consumer")
    }

    /// The outbox relay (every world has one; used in outbox mode).
    pub fn relay(&self) -> &Relay {
        self.nodes
            .relay(NodeId::RELAY)
            .expect("World::new makes a relay")
    }

    /// The write-behind flusher (every world has one; used in write-behind mode).
    pub fn flusher(&self) -> &Flusher {
        self.nodes
            .flusher(NodeId::FLUSHER)
            .expect("World::new makes a flusher")
    }
}
