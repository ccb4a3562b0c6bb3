//! Building a world from its `Config` and seed: every node of the topology with its
//! settings and its peers' ids (`pipeline.rs` says who is wired to whom), the clients,
//! the warm cache, and the production parts (`production.rs`).
use super::pipeline;
use super::World;
use crate::sim::behind::{Flusher, FlusherSettings};
use crate::sim::books::Metrics;
use crate::sim::bus::Bus;
use crate::sim::cache::SetGuard;
use crate::sim::cache::{Cache, Entry};
use crate::sim::cache_behind::QueueSettings;
use crate::sim::cache_node::{jitter, CacheSettings};
use crate::sim::cdn::Cdn;
use crate::sim::client::ClientSettings;
use crate::sim::config::topology::MAX_DBS;
use crate::sim::config::{Config, LoadGuard, ReadFrom, Shards};
use crate::sim::consumer::{Consumer, ConsumerSettings};
use crate::sim::db::{Db, DbLatency};
use crate::sim::ids::{Key, NodeId, Version};
use crate::sim::keymap::KeyMap;
use crate::sim::near::NearCache;
use crate::sim::nodes::{Node, Nodes};
use crate::sim::parts::{Client, Voice};
use crate::sim::relay::{Relay, RelaySettings};
use crate::sim::replica::Replica;
use crate::sim::rng::Rng;
use crate::sim::service::{Service, ServiceSettings};
use crate::sim::shared::Shared;
use std::sync::Arc;

impl World {
    pub fn new(config: Config, seed: u64) -> World {
        let shards = Shards::of(&config.topology);
        // The replicas that stream, each with its primary; a service reads a key of a
        // primary at the first of them (`ServiceSettings::replicas`).
        let replicas = pipeline::followers(&config, NodeId::REPLICA);
        let mut replica_of = [None; MAX_DBS as usize];
        for (r, db) in replicas.iter().rev() {
            if let NodeId::Db(n @ 1..=MAX_DBS) = *db {
                replica_of[usize::from(n) - 1] = Some(*r);
            }
        }
        // A replica or invalidator listed beyond the first runs with the scenario's
        // settings, or their defaults.
        let replica_cfg = config
            .replica
            .or_else(|| (!replicas.is_empty()).then(Default::default));
        let cdc_cfg = config.invalidator.or_else(|| {
            (!pipeline::followers(&config, NodeId::INVALIDATOR).is_empty()).then(Default::default)
        });
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
            replicas: replica_of,
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
            lag_ms: replica_cfg.map_or(0, |r| r.lag_ms),
            cdc_ms: cdc_cfg.map_or(0, |i| i.delay_ms),
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
        // Client tracking: each cache node knows the services whose connections track
        // their reads through it (its crash closes them).
        let tracked: Vec<(NodeId, NodeId)> = nodes
            .services()
            .filter(|(_, s)| s.near.is_on())
            .map(|(id, s)| (s.settings.cache, id))
            .collect();
        for (cache, service) in tracked {
            if let Some(c) = nodes.cache_mut(cache).filter(|c| c.tracking.on) {
                c.tracking.clients.push(service);
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
            scratch: Default::default(),
            facts: Default::default(),
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
        // Each replica starts caught up with its primary, its stream open.
        let read_ms = world.config.latency.db_read_ms;
        for (id, primary) in replicas {
            if let Some(db) = world.nodes.db_mut(primary) {
                db.streams.push((id, 0));
                let replica = Replica::caught_up(primary, db.rows.clone(), db.lsn, read_ms);
                world.nodes.insert(id, Node::Replica(replica));
            }
        }
        crate::sim::production::add(&mut world, cdc_cfg);
        world
    }
}
