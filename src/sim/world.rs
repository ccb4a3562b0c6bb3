//! The whole state of a run, and `step`: fire one enabled event.
//!
//! Architecture Invariant: `World` is plain data (`Clone + Eq + Hash`), with no clock,
//! no global randomness and no I/O. The same world and the same event give the same
//! next world and the same record, byte for byte.
use super::behind::{Flusher, FlusherSettings};
use super::books::{Books, Metrics};
use super::bus::Bus;
use super::cache::SetGuard;
use super::cache::{Cache, Entry};
use super::cache_behind::QueueSettings;
use super::cache_node::{jitter, CacheSettings};
use super::cdn::Cdn;
use super::client::ClientSettings;
use super::config::{Config, LoadGuard, ReadFrom, Shards, SlowHop, WriteMode, NO_TTL};
use super::consumer::{Consumer, ConsumerSettings};
use super::db::{Db, DbLatency};
use super::fact::{Fact, Facts};
pub use super::fault::Fault;
use super::ids::{FlowId, Key, NodeId, Version};
use super::keymap::KeyMap;
use super::msg::Message;
use super::near::NearCache;
pub use super::node::NodeStatus;
use super::node::Scratch;
use super::nodes::{Node, Nodes};
pub(crate) use super::parts::timer_label;
mod copy;
mod pipeline;
pub use super::parts::{Client, Flow, Stage, Step, StepError, StepRecord, Timer, TimerKind, Voice};
use super::relay::{Relay, RelaySettings};
use super::replica::Replica;
use super::rng::Rng;
use super::service::{Service, ServiceSettings};
pub use super::shared::Shared;
pub use super::timing::Event;
use std::sync::Arc;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct World {
    /// Fixed for a run: shared by every world of the run (cloning a world, as a
    /// search does for every state, copies a pointer, not the scenario).
    pub config: Arc<Config>,
    pub now_ms: u64,
    /// The clients, shared between copies of a world until a step changes one
    /// (`shared.rs`).
    pub clients: Shared<Vec<Client>>,
    /// Every other node, by id (`nodes.rs`).
    pub nodes: Nodes,
    /// Messages in flight, in send order.
    pub net: Vec<Message>,
    pub timers: Vec<Timer>,
    pub next_msg: u32,
    pub next_flow: u32,
    pub next_timer: u32,
    pub metrics: Metrics,
    /// Shared between copies of a world until a step changes them (`shared.rs`).
    pub books: Shared<Books>,
    /// Nodes not up (down or paused); every other node is up.
    pub status: KeyMap<NodeId, NodeStatus>,
    /// Links the network has cut (`partition.rs`), in order.
    pub cuts: Vec<super::partition::Link>,
    /// Whether the step under way writes its narration. Not state: it compares and
    /// hashes as nothing, and is `Narrated` between steps.
    pub voice: Voice,
    /// The buffer a node answers into (not state).
    pub(crate) scratch: Scratch,
    /// What happened in the step under way, or the last one (not state): the
    /// observers read it.
    pub(crate) facts: Facts,
}

impl World {
    pub fn new(config: Config, seed: u64) -> World {
        let shards = Shards::of(&config.topology);
        let clients: Vec<Client> = config
            .clients
            .iter()
            .map(|(id, requests)| {
                let hops = ClientSettings {
                    service: config.route(*id).service.unwrap_or(NodeId::SERVICE),
                    service_ms: config.latency.client_ms,
                    db_write_ms: config.latency.db_write_ms,
                    shards,
                };
                Client::new(*id, requests.as_slice().into(), hops)
            })
            .collect();
        let config_bus_durable = config.bus.is_some_and(|b| b.durable);
        // The service's generator (XFetch) and the cache's (TTL jitter), each seeded
        // by the run's seed: a scenario draws from one of them, so the draws are those
        // of the one generator the world had before the nodes had their own.
        let service = ServiceSettings {
            cache: NodeId::CACHE,
            db: NodeId::DB,
            shards,
            reads: match config.replica {
                Some(r) if r.miss_reads == ReadFrom::Replica => NodeId::Replica(1),
                _ => NodeId::DB,
            },
            has_replica: config.replica.is_some(),
            bus: NodeId::BUS,
            cache_ms: config.latency.cache_ms,
            db_read_ms: config.latency.db_read_ms,
            db_write_ms: config.latency.db_write_ms,
            client_ms: config.latency.client_ms,
            publish_ms: config.bus.map_or(1, |b| b.publish_ms),
            write_mode: config.write_mode,
            write_order: config.write_order,
            load_guard: config.load_guard,
            versioned_deletes: matches!(config.guard, SetGuard::Versioned { .. }),
            second_delete_ms: config.second_delete_ms,
            lease_retry_ms: config.lease_retry_ms,
            txn: config.txn,
            negative: config.negative,
            remote_marker: false,
        };
        let mut service = Service::new(service, Rng::new(seed));
        service.near = NearCache::new(config.near);
        let mut cache = Cache::new(config.guard);
        cache.tracking.on = config.near.is_some_and(|n| n.tracking);
        cache.rng = Rng::new(seed);
        cache.settings = CacheSettings {
            reply_ms: config.latency.cache_ms,
            ttl_ms: config.ttl_ms,
            jitter_ms: config.jitter_ms,
            lazy_expiry: config.lazy_expiry,
            lock_ms: match config.load_guard {
                LoadGuard::Mutex { lock_ms } => lock_ms,
                _ => 1_000,
            },
            negative_ttl_ms: config.negative.map(|n| n.ttl_ms),
        };
        cache.behind = QueueSettings {
            durable: config.behind.durable,
            disk_ms: config.behind.disk_ms,
            flusher: NodeId::FLUSHER,
        };
        for key in &config.keys {
            cache.known.insert(*key, Version(1));
        }
        let (cache_settings, queue_settings, known) =
            (cache.settings, cache.behind, cache.known.clone());
        for key in &config.warm {
            let base = config.warm_expires_ms.unwrap_or(config.ttl_ms);
            let expires_ms = base.saturating_add(jitter(&mut cache.rng, config.jitter_ms));
            cache.entries.insert(
                *key,
                Entry {
                    version: Version(1),
                    expires_ms,
                    delta_ms: config.warm_delta_ms,
                },
            );
        }
        let bus_settings = config.bus;
        let relay = RelaySettings {
            poll_ms: config.relay_poll_ms,
            db_read_ms: config.latency.db_read_ms,
            db_write_ms: config.latency.db_write_ms,
            publish_ms: config.bus.map_or(1, |b| b.publish_ms),
            db: NodeId::DB,
            bus: NodeId::BUS,
        };
        let consumer = ConsumerSettings {
            bus: NodeId::BUS,
            cache: NodeId::CACHE,
            update: config.consumer.update,
            idempotent: config.consumer.idempotent,
            versioned: config.consumer.versioned,
            poison: config.poison,
            durable_bus: config_bus_durable,
            bus_ms: config.bus.map_or(1, |b| b.deliver_ms),
            cache_ms: config.latency.cache_ms,
        };
        let flusher = FlusherSettings {
            cache: NodeId::CACHE,
            db: NodeId::DB,
            shards,
            flush_delay_ms: config.behind.flush_delay_ms,
            batch_size: config.behind.batch_size,
            db_write_ms: config.latency.db_write_ms,
        };
        let mut nodes = Nodes::default();
        nodes.insert(NodeId::CACHE, Node::Cache(cache));
        let latency = DbLatency {
            read_ms: config.latency.db_read_ms,
            write_ms: config.latency.db_write_ms,
            lag_ms: config.replica.map_or(0, |r| r.lag_ms),
            cdc_ms: config.invalidator.map_or(0, |i| i.delay_ms),
        };
        // Each primary with the keys it owns (`db`: every key no other lists).
        for db in pipeline::ids(&config, NodeId::DB) {
            let keys = config.keys.iter().copied();
            nodes.insert(
                db,
                Node::Db(Db {
                    latency,
                    ..Db::with_keys(keys.filter(|k| shards.owner(*k) == db))
                        .numbered_from(pipeline::lsn_base(db))
                }),
            );
        }
        // More services and caches (`config.topology`): each like the first, with
        // its own routes and its own generator, seeded from the run's seed and its id.
        for spec in &config.topology {
            match spec.id {
                NodeId::Service(n) => {
                    let mut s = service.clone();
                    s.rng = Rng::new(seed.wrapping_add(u64::from(n) - 1));
                    nodes.insert(spec.id, Node::Service(s));
                }
                NodeId::Cache(n) if n > 1 => {
                    let mut c = Cache::new(config.guard);
                    c.rng = Rng::new(seed.wrapping_add(u64::from(n) - 1));
                    c.settings = cache_settings;
                    c.behind = queue_settings;
                    c.known = known.clone();
                    c.tracking.on = config.near.is_some_and(|n| n.tracking);
                    nodes.insert(spec.id, Node::Cache(c));
                }
                _ => {}
            }
        }
        if !nodes.contains(NodeId::SERVICE) {
            nodes.insert(NodeId::SERVICE, Node::Service(service));
        }
        for spec in &config.topology {
            if let Some(s) = nodes.service_mut(spec.id) {
                s.settings.cache = spec.cache.unwrap_or(s.settings.cache);
                s.settings.bus = spec.bus.unwrap_or(s.settings.bus);
                s.settings.reads = spec.reads.unwrap_or(s.settings.reads);
                s.settings.remote_marker = config.remote_marker
                    && config.region_of(spec.id) != config.region_of(NodeId::DB);
            }
        }
        // The event and write-behind pipelines: every node of each kind the topology
        // lists (and the first of each), each holding its peers' ids as settings.
        let p = pipeline::routes(&config);
        for (id, bus) in &p.consumers {
            let route = config.route(*id);
            let settings = ConsumerSettings {
                bus: *bus,
                cache: route.cache.unwrap_or(NodeId::CACHE),
                ..consumer
            };
            nodes.insert(*id, Node::Consumer(Consumer::new(settings)));
        }
        for bus in pipeline::ids(&config, NodeId::BUS) {
            let subscribers: Vec<NodeId> = p
                .consumers
                .iter()
                .filter(|(_, b)| *b == bus)
                .map(|(c, _)| *c)
                .collect();
            let b = Bus::new(config_bus_durable, bus_settings, &subscribers);
            nodes.insert(bus, Node::Bus(b));
        }
        for (id, db, bus) in &p.relays {
            let settings = RelaySettings {
                db: *db,
                bus: *bus,
                ..relay
            };
            nodes.insert(*id, Node::Relay(Relay::new(settings)));
        }
        for (db, relay) in p.listeners() {
            if let Some(db) = nodes.db_mut(db) {
                db.relay = relay;
            }
        }
        for (id, cache) in &p.flushers {
            let settings = FlusherSettings {
                cache: *cache,
                ..flusher
            };
            nodes.insert(*id, Node::Flusher(Flusher::new(settings)));
            if let Some(c) = nodes.cache_mut(*cache) {
                c.behind.flusher = *id;
            }
        }
        nodes.insert(NodeId::Replica(1), Node::Replica(Replica::default()));
        // The CDN edge, when the topology has one, in front of its origin service.
        if let Some(cdn) = Cdn::of(&config) {
            nodes.insert(NodeId::Cdn, Node::Cdn(cdn));
        }
        let mut world = World {
            nodes,
            clients: Shared::new(clients),
            config: Arc::new(config),
            now_ms: 0,
            net: Vec::new(),
            timers: Vec::new(),
            next_msg: 1,
            next_flow: 1,
            next_timer: 1,
            metrics: Metrics::default(),
            books: Shared::default(),
            status: KeyMap::new(),
            cuts: Vec::new(),
            voice: Voice::Narrated,
            scratch: Scratch::default(),
            facts: Facts::default(),
        };
        let warm: Vec<(Key, u64)> = world
            .cache()
            .entries
            .iter()
            .map(|(k, e)| (*k, e.expires_ms))
            .collect();
        for (key, expires_ms) in warm {
            world.schedule_expiry(key, expires_ms);
        }
        if world.config.replica.is_some() {
            // The replica starts caught up, its stream open.
            let read_ms = world.config.latency.db_read_ms;
            if let Some(db) = world.nodes.db_mut(NodeId::DB) {
                db.streams.push((NodeId::Replica(1), 0));
                let replica = Replica::caught_up(db.rows.clone(), db.lsn, read_ms);
                world
                    .nodes
                    .insert(NodeId::Replica(1), Node::Replica(replica));
            }
        }
        super::production::add(&mut world);
        world
    }

    /// The nodes this scenario uses, in id order.
    pub fn nodes(&self) -> Vec<NodeId> {
        let mut nodes: Vec<NodeId> = self.clients.iter().map(|c| c.id).collect();
        nodes.extend([NodeId::SERVICE, NodeId::CACHE, NodeId::DB]);
        nodes.extend(
            self.config
                .topology
                .iter()
                .map(|n| n.id)
                .filter(|id| !id.is_client()),
        );
        if self.config.bus.is_some() {
            nodes.extend([NodeId::BUS, NodeId::CONSUMER]);
        }
        if self.config.replica.is_some() {
            nodes.push(NodeId::Replica(1));
        }
        if self.config.invalidator.is_some() {
            nodes.push(NodeId::Invalidator);
        }
        match self.config.write_mode {
            WriteMode::Outbox => nodes.push(NodeId::RELAY),
            WriteMode::Behind => nodes.push(NodeId::FLUSHER),
            _ => {}
        }
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// A node goes down, pauses or comes back. Its connections say so: every other
    /// node learns it as the state of its connection to that node
    /// (`Actor::on_peer`), as a TCP peer would (the bus, whether its subscriber is
    /// connected); a node that holds no connection to it does nothing.
    pub(crate) fn set_status(&mut self, node: NodeId, status: NodeStatus) {
        if status == NodeStatus::Up {
            self.status.remove(&node);
        } else {
            self.status.insert(node, status);
        }
        // Only the nodes connected to it are lent (a node copied on write is copied
        // only when it changes).
        let peers: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(id, n)| *id != node && n.as_actor().watches(node))
            .map(|(id, _)| id)
            .collect();
        for peer in peers {
            let out = self.act(peer, |a, ctx| a.on_peer(ctx, node, status));
            self.apply(peer, out);
        }
    }

    pub fn status_of(&self, node: NodeId) -> NodeStatus {
        // Most states have every node up: no lookup then.
        if self.status.is_empty() {
            return NodeStatus::Up;
        }
        self.status.get(&node).copied().unwrap_or(NodeStatus::Up)
    }

    pub fn is_up(&self, node: NodeId) -> bool {
        self.status_of(node) == NodeStatus::Up
    }

    /// (Re)schedules the cache's active expiry of `key`.
    pub(crate) fn schedule_expiry(&mut self, key: Key, expires_ms: u64) {
        self.timers.retain(|t| t.kind != TimerKind::Expire { key });
        if expires_ms != NO_TTL && !self.config.lazy_expiry {
            self.add_timer(NodeId::CACHE, expires_ms, TimerKind::Expire { key });
        }
    }

    /// Fires one enabled event.
    pub fn step(&mut self, event: Event) -> Result<StepRecord, StepError> {
        if !self.is_enabled(event) {
            return Err(StepError::NotEnabled(event));
        }
        self.step_unchecked(event)
    }

    /// Fires `event` without asking whether it is enabled: for a caller that took it
    /// from `enabled()` (or `faults()`) of this very state, like a search or a run
    /// loop, so the enabled list is not computed twice. An event that is not enabled
    /// gives an error if its message or timer is gone, and otherwise fires as if it
    /// were (it breaks the rules of time: don't).
    pub fn step_unchecked(&mut self, event: Event) -> Result<StepRecord, StepError> {
        self.voice = Voice::Narrated;
        let label = self.label(event);
        let step = self.transition(event)?;
        // The narration observes the step last, after the books.
        let s = super::narrate::step(self, step.actor, step.hop);
        Ok(StepRecord {
            event,
            at_ms: step.at_ms,
            actor: step.actor,
            hop: step.hop,
            label,
            outcome: s.outcome,
            narration: s.narration,
        })
    }

    /// Fires `event`, unchecked like `step_unchecked`, in quiet mode: no label, outcome
    /// or narration is built, only the structured `Step`. The state after is the same
    /// as `step`'s, byte for byte: the search and the benchmark run this way.
    pub fn step_quiet(&mut self, event: Event) -> Result<Step, StepError> {
        self.voice = Voice::Quiet;
        let result = self.transition(event);
        self.voice = Voice::Narrated;
        result
    }

    /// The trace's label of `event`, read from the state before it fires: the message's
    /// payload, the timer's kind, the fault.
    pub fn label(&self, event: Event) -> String {
        match event {
            Event::Start(_) => "start".to_string(),
            Event::Deliver(id) => self
                .net
                .iter()
                .find(|m| m.id == id)
                .map_or_else(String::new, |m| m.payload.to_string()),
            Event::Fire(id) => self
                .timers
                .iter()
                .find(|t| t.id == id)
                .map_or_else(String::new, |t| timer_label(&t.kind)),
            Event::Fault(fault) => fault.to_string(),
        }
    }

    /// What happened in the last step, as data, in order (`fact.rs`).
    pub fn facts(&self) -> &[Fact] {
        &self.facts.0
    }

    /// The last step's facts with the node that recorded each (`None`: the world's
    /// own: the network's, the books', a fault's).
    pub fn facts_by_node(&self) -> impl Iterator<Item = (Option<NodeId>, &Fact)> + '_ {
        self.facts.with_nodes()
    }

    /// One event's transition: the state changes and its facts are recorded; then the
    /// books (`books/observe.rs`) read them with the state after. The narration
    /// observes after it (`step_unchecked`; not in quiet mode). It returns only the
    /// small `Step`: a quiet step moves no text around.
    fn transition(&mut self, event: Event) -> Result<Step, StepError> {
        self.facts.begin(self.next_msg);
        // The message that arrives, if one does: the books read it after the step.
        let mut arrived = None;
        let (actor, hop) = match event {
            Event::Start(node) => {
                let at = self.nominal_ms(event).unwrap_or(self.now_ms);
                self.now_ms = self.now_ms.max(at);
                self.start_client(node);
                (node, None)
            }
            Event::Deliver(id) => {
                let pos = self
                    .net
                    .iter()
                    .position(|m| m.id == id)
                    .ok_or(StepError::NotEnabled(event))?;
                // Copied out once, then the rest of the network moves up over it
                // (`Vec::remove` would copy it three times).
                let msg = arrived.insert(self.net[pos]);
                self.net.copy_within(pos + 1.., pos);
                self.net.truncate(self.net.len() - 1);
                self.now_ms = self.now_ms.max(msg.arrive_ms);
                let hop = Some((msg.from, msg.to));
                // A partition loses what crosses it, either way.
                let cut = self.status_of(msg.from) == NodeStatus::Partitioned
                    || (!self.cuts.is_empty() && super::partition::is_cut(self, msg.from, msg.to));
                if self.is_up(msg.to) && !cut {
                    self.deliver(msg);
                } else {
                    self.lost(msg);
                }
                (msg.to, hop)
            }
            Event::Fault(fault) => {
                // A fault happens now: time does not move.
                let actor = fault.actor(self).unwrap_or(NodeId::SERVICE);
                super::fault::inject(self, fault);
                (actor, None)
            }
            Event::Fire(id) => {
                let pos = self
                    .timers
                    .iter()
                    .position(|t| t.id == id)
                    .ok_or(StepError::NotEnabled(event))?;
                let timer = self.timers.remove(pos);
                self.now_ms = self.now_ms.max(timer.at_ms);
                self.fire(&timer);
                (timer.owner, None)
            }
        };
        // The first observer: the books (in a quiet step too).
        super::books::observe(self, arrived.as_ref());
        Ok(Step {
            event,
            at_ms: self.now_ms,
            actor,
            hop,
        })
    }

    /// The open request `id`, in whichever service has it (request ids are the
    /// network's, unique across services).
    pub(crate) fn flow(&self, id: Option<FlowId>) -> Option<&Flow> {
        let id = id?;
        self.nodes.services().find_map(|(_, s)| s.flow(Some(id)))
    }

    /// The network's slow hop for the request `id`, if its scenario makes one slow (a
    /// pause, a busy link): read from the request the client has in progress, so it
    /// lasts as long as the client waits for that request.
    pub(crate) fn slow_of(&self, id: Option<FlowId>) -> Option<(SlowHop, u64)> {
        let id = id?;
        let c = self.clients.iter().find(|c| c.busy == Some(id))?;
        c.requests.get(c.next.checked_sub(1)?)?.slow
    }

    /// The primary that owns `key`: `db`, unless a second primary (`db-2`, …) lists
    /// it in the topology.
    pub fn primary_of(&self, key: Key) -> &Db {
        let owner = Shards::of(&self.config.topology).owner(key);
        self.nodes.db(owner).unwrap_or_else(|| self.db())
    }

    /// The version of `key` committed in the primary that owns it.
    pub fn committed(&self, key: Key) -> Version {
        self.primary_of(key).read(key)
    }

    /// The value `cache-matches-db` expects every copy of a key to have: what the
    /// database has committed, or the latest acknowledged write still in a
    /// write-behind queue (of any cache node).
    pub fn expected(&self, key: Key) -> Version {
        let db = self.committed(key);
        self.nodes
            .caches()
            .filter_map(|(_, c)| c.queued(key))
            .fold(db, Version::max)
    }
}
