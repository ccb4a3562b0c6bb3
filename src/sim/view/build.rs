//! `View::of`: a world read into the flat picture the page draws (the types are in
//! `view.rs`). Every node of the topology is read by its id: each cache node's keys,
//! each service's requests, and the lines between them (each client's service, each
//! service's cache and where its misses read).
use super::rows::{bus, consumer, dlq, outbox, queue, rows, uncommitted};
use super::*;
use crate::sim::books::{Invariant, Metric};
use crate::sim::cache::Cache;
use crate::sim::config::{Shards, NO_TTL};
use crate::sim::ids::{Key, Version};
use crate::sim::scenario::Scenario;
use crate::sim::world::World;

impl View {
    pub fn of(world: &World, scenario: &Scenario) -> View {
        let now = world.now_ms;
        let nodes: Vec<NodeView> = world
            .nodes()
            .into_iter()
            .map(|id| NodeView {
                id,
                status: world.status_of(id),
                note: note(world, id),
                region: world.config.region_of(id),
            })
            .collect();

        let in_flight = world
            .net
            .iter()
            .map(|m| InFlightView {
                id: m.id.to_string(),
                seq: m.id.0,
                from: m.from,
                to: m.to,
                kind: m.payload.kind(),
                label: m.payload.to_string(),
                sent_ms: m.sent_ms,
                arrive_ms: m.arrive_ms,
            })
            .collect();
        let (cache, guards) = cache_state(world, world.cache());
        let copies = world
            .nodes
            .caches()
            .filter(|(id, _)| *id != NodeId::CACHE)
            .map(|(id, c)| {
                let (entries, guards) = cache_state(world, c);
                CopyView {
                    id,
                    entries,
                    guards,
                }
            })
            .chain(world.nodes.cdns().map(|(id, cdn)| CopyView {
                id,
                entries: edge_entries(world, cdn),
                guards: Vec::new(),
            }))
            .collect();
        let db = rows(world.db());
        let replica = if world.config.replica.is_some() {
            replica_rows(world.replica())
        } else {
            Vec::new()
        };
        let timers = world
            .timers
            .iter()
            .map(|t| TimerView {
                id: t.id.to_string(),
                owner: t.owner,
                at_ms: t.at_ms,
                label: crate::sim::world::timer_label(&t.kind),
            })
            .collect();
        let enabled = world.enabled();
        let more = !enabled.is_empty();
        let invariants = scenario
            .invariants
            .iter()
            .map(|inv: &Invariant| {
                let result = inv.check(world);
                InvariantView {
                    name: inv.name(),
                    describe: inv.describe(),
                    ok: result.is_ok(),
                    for_now: result.is_err() && !inv.at_any_point() && more,
                    why: result.err(),
                }
            })
            .collect();
        // `evictions` where the scenario lists it, and once a key was evicted.
        let evicted = (world.metrics.evictions > 0
            && !scenario.metrics.contains(&Metric::Evictions))
        .then_some(&Metric::Evictions);
        let metrics = scenario
            .metrics
            .iter()
            .chain(evicted)
            .map(|m: &Metric| MetricView {
                name: m.name(),
                value: m.value(&world.metrics),
            })
            .collect();
        View {
            now_ms: now,
            nodes,
            in_flight,
            cache,
            guards,
            copies,
            near: near(world),
            edge: edge(world),
            many_holders: world.nodes.caches().nth(1).is_some()
                || world.config.near.is_some()
                || world.nodes.cdns().next().is_some(),
            routes: routes(world),
            cross_region_ms: world.config.latency.cross_region_ms,
            db,
            replica,
            uncommitted: uncommitted(world.db()),
            timers,
            invariants,
            metrics,
            enabled,
            outbox: outbox(world.db()),
            bus: bus(world.bus()),
            dlq: dlq(world.bus()),
            queue: queue(world.cache()),
            faults: world
                .faults()
                .into_iter()
                .filter_map(|e| {
                    e.fault().map(|f| FaultView {
                        fault: f.name(),
                        target: f.target(),
                        cache: f.cache_node(),
                        event: e,
                    })
                })
                .collect(),
            bus_offset: world
                .config
                .bus
                .filter(|b| b.durable)
                .map(|_| world.bus().offset()),
            bus_groups: super::rows::groups(world.bus()),
            bus_durable: world.config.bus.map(|b| b.durable),
            bus_like: world
                .config
                .bus
                .map(|b| crate::sim::narrate::behaves_like(&b)),
            consumer: world.config.bus.map(|_| {
                let c = world.consumer();
                let cut = world
                    .nodes
                    .bus(c.settings.bus)
                    .is_some_and(|b| b.cut_off(NodeId::CONSUMER));
                consumer(c, cut)
            }),
            more: super::more::more(world),
            requests: requests(world),
        }
    }
}

/// One cached copy of `key` (a cache node's, a near cache's, the CDN edge's) as the
/// panels show it, marked stale when it is not the version the database has committed.
/// `expires_at` is `None` for an entry with no TTL.
fn entry_view(
    world: &World,
    key: Key,
    version: Version,
    expires_ms: u64,
    expires_at: Option<u64>,
) -> CacheEntryView {
    CacheEntryView {
        key: key.to_string(),
        value: version.to_string(),
        version: version.0,
        expires_ms,
        expires_at,
        // Stale only while it is live: an entry drawn at its expiry instant is a miss
        // already, which cache-matches-db does not judge (`held`).
        stale: version != world.expected(key) && expires_ms > world.now_ms,
        primary: Shards::of(&world.config.topology).owner(key),
        queued: Some(world.expected(key))
            .filter(|q| *q != world.committed(key))
            .map(|q| q.0),
    }
}

/// Whether a cache node still holds `e`: live, or expiring at this very instant with
/// its expiry timer still to fire (the step that says the cache drops it: until then
/// the view keeps it, review session 14, W5; with lazy expiry no timer comes).
fn held(world: &World, e: &crate::sim::cache::Entry) -> bool {
    e.expires_ms > world.now_ms || e.expires_ms == world.now_ms && !world.config.lazy_expiry
}

/// A cache node's keys (each marked when it is not the value the database has
/// committed) and its guards: tombstones, leases and locks.
fn cache_state(world: &World, c: &Cache) -> (Vec<CacheEntryView>, Vec<GuardView>) {
    let now = world.now_ms;
    let entries = c
        .entries
        .iter()
        .filter(|(_, e)| held(world, e))
        .map(|(k, e)| {
            let expires_at = (e.expires_ms != NO_TTL).then_some(e.expires_ms);
            entry_view(world, *k, e.version, e.expires_ms, expires_at)
        })
        .collect();
    let mut guards: Vec<GuardView> = c
        .tombstones
        .iter()
        .filter(|(_, t)| t.until_ms > now)
        .map(|(k, t)| GuardView {
            key: k.to_string(),
            text: format!("tombstone {} until {} ms", t.version, t.until_ms),
        })
        .collect();
    guards.extend(c.leases.iter().map(|(k, l)| GuardView {
        key: k.to_string(),
        text: format!("lease #{} issued at {} ms", l.token, l.issued_ms),
    }));
    guards.extend(
        c.locks
            .iter()
            .filter(|(_, l)| l.until_ms > now)
            .map(|(k, l)| GuardView {
                key: k.to_string(),
                text: format!("locked by {} until {} ms", l.holder, l.until_ms),
            }),
    );
    (entries, guards)
}

/// The CDN edge's fresh stored responses, each marked when it is not the value the
/// database has committed.
fn edge_entries(world: &World, cdn: &crate::sim::cdn::Cdn) -> Vec<CacheEntryView> {
    cdn.entries
        .iter()
        .filter(|(_, e)| e.expires_ms > world.now_ms)
        .map(|(k, e)| entry_view(world, *k, e.version, e.expires_ms, Some(e.expires_ms)))
        .collect()
}

/// Every service instance's live near copies, each marked when it is not the value
/// the database has committed.
fn near(world: &World) -> Vec<(NodeId, CacheEntryView)> {
    let now = world.now_ms;
    let mut out = Vec::new();
    for (id, s) in world.nodes.services() {
        for (k, e) in s.near.entries.iter().filter(|(_, e)| e.expires_ms > now) {
            out.push((
                id,
                entry_view(world, *k, e.version, e.expires_ms, Some(e.expires_ms)),
            ));
        }
    }
    out
}

/// Every CDN edge's fresh stored responses, each marked when it is not the value the
/// database has committed.
fn edge(world: &World) -> Vec<(NodeId, CacheEntryView)> {
    world
        .nodes
        .cdns()
        .flat_map(|(id, cdn)| edge_entries(world, cdn).into_iter().map(move |e| (id, e)))
        .collect()
}

/// The routes of the topology, as the nodes hold them: each client to its service,
/// each service to its cache and to where its misses read, the CDN edge to its origin,
/// the invalidator from the log it tails to the caches it deletes from.
fn routes(world: &World) -> Vec<(NodeId, NodeId)> {
    let mut out: Vec<(NodeId, NodeId)> = world
        .clients
        .iter()
        .map(|c| (c.id, c.settings.service))
        .collect();
    for (id, s) in world.nodes.services() {
        out.push((id, s.settings.cache));
        out.push((id, s.settings.reads));
    }
    // The CDN edge to its origin, where it forwards what it cannot answer.
    if let Some(cdn) = world.nodes.cdn(NodeId::Cdn) {
        out.push((NodeId::Cdn, cdn.settings.origin));
    }
    // What a topology routes by id beyond the first of each kind (`db-2`, `relay-2`,
    // `consumer-2`, `flusher-2`; the diagram draws the first's links itself).
    for (id, n) in world.nodes.iter() {
        use crate::sim::nodes::Node;
        match n {
            Node::Db(_) if id != NodeId::DB => {
                out.extend(world.nodes.services().map(|(s, _)| (s, id)));
            }
            Node::Relay(r) if id != NodeId::RELAY => {
                out.extend([(r.settings.db, id), (id, r.settings.bus)]);
            }
            Node::Consumer(c) if id != NodeId::CONSUMER => {
                out.extend([(c.settings.bus, id), (id, c.settings.cache)]);
            }
            Node::Flusher(f) if id != NodeId::FLUSHER => out.push((f.settings.cache, id)),
            // A replica of another primary: its replication line, and the services
            // whose misses of that primary's keys read it.
            Node::Replica(r) if id != NodeId::REPLICA || r.primary != NodeId::DB => {
                out.push((r.primary, id));
                out.extend(
                    world
                        .nodes
                        .services()
                        .filter(|(_, s)| {
                            s.settings.reads != s.settings.db
                                && s.settings.replicas.contains(&Some(id))
                        })
                        .map(|(s, _)| (s, id)),
                );
            }
            _ => {}
        }
    }
    // Each invalidator: the commit log it tails, and the caches it deletes from.
    for (id, inv) in world.nodes.invalidators() {
        out.push((inv.settings.source, id));
        out.extend(inv.settings.caches.iter().map(|c| (id, *c)));
    }
    out
}

/// The services' open requests, each in words: who asked, for what, at which stage,
/// and what it holds (a loaded or committed version, a lease token, the lock).
fn requests(world: &World) -> Vec<RequestView> {
    use crate::sim::config::Op;
    use crate::sim::parts::Stage;
    world
        .nodes
        .services()
        .flat_map(|(service, s)| s.flows.iter().map(move |f| (service, f)))
        .map(|(service, f)| {
            let op = match f.op {
                Op::Read => "read",
                Op::Write => "write",
                Op::DirectWrite => "direct write",
                Op::Insert => "insert",
            };
            let stage = match f.stage {
                Stage::Lookup => "looking up",
                Stage::Marking => "setting a remote marker",
                Stage::WaitLease => "waiting for the lease",
                Stage::WaitLock => "waiting for the lock",
                Stage::Load => "loading",
                Stage::Fill => "filling",
                Stage::PreDelete => "deleting first",
                Stage::Commit => "committing",
                Stage::Invalidate => "invalidating",
                Stage::Through => "setting through",
                Stage::Behind => "queued behind",
                Stage::WaitLoad => "waiting for a load",
                Stage::Locking => "locking",
                Stage::Recheck => "looking again",
                Stage::TxUpdate => "updating in a transaction",
                Stage::TxHook => "cache step inside the transaction",
                Stage::TxSevered => "cache step, its session closed",
                Stage::TxCommit => "committing",
            };
            let mut text = format!("{}: {op} {}, {stage}", f.client, f.key);
            if let Some(v) = f.loaded {
                text.push_str(&format!(", has {v}"));
            }
            if let Some(v) = f.committed {
                text.push_str(&format!(", committed {v}"));
            }
            if let Some(t) = f.token {
                text.push_str(&format!(", lease #{t}"));
            }
            if f.locked {
                text.push_str(", holds the lock");
            }
            if f.background {
                text.push_str(" (background)");
            }
            RequestView {
                service,
                client: f.client,
                text,
            }
        })
        .collect()
}

/// A durable bus's note, short enough for its box: its log's length and the first
/// consumer's committed offset ("log of 2, offset 2"); with several consumer groups,
/// how many ("log of 2, 2 groups"), each group's offset a line inside the box.
/// A queue with an ack per event (SQS, RabbitMQ) has no offsets: its note is how many
/// events are still in it ("2 in queue"), acknowledged ones removed.
fn offsets_note(b: &crate::sim::bus::Bus) -> String {
    let per_ack = b
        .settings
        .is_some_and(|c| c.durable && c.ack_timeout_ms.is_some());
    match super::rows::groups(b).len() {
        0 if per_ack => {
            let gone = |e: &&crate::sim::bus::LogEntry| {
                use crate::sim::bus::EntryState;
                matches!(e.state, EntryState::Acked | EntryState::Dead)
            };
            format!("{} in queue", b.log.iter().filter(|e| !gone(e)).count())
        }
        0 => format!("log of {}, offset {}", b.log.len(), b.offset()),
        n => format!("log of {}, {n} groups", b.log.len()),
    }
}

/// One short line on what a node is doing.
fn note(world: &World, id: NodeId) -> String {
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let status = world.status_of(id);
    if status != NodeStatus::Up {
        return status.name().to_string();
    }
    match id {
        NodeId::Reader(_) | NodeId::Writer(_) => {
            let Some(c) = world.clients.iter().find(|c| c.id == id) else {
                return String::new();
            };
            match (&c.busy, &c.last_answer) {
                (Some(_), _) => "waiting".to_string(),
                // Its request failed with a connection reset (review 20b, F8).
                (None, Some(crate::sim::msg::Payload::Closed)) => "failed: reset".to_string(),
                (None, Some(answer)) => format!("got {answer}"),
                (None, None) if c.next < c.requests.len() => "idle".to_string(),
                (None, None) => "done".to_string(),
            }
        }
        NodeId::Service(_) => world
            .nodes
            .service(id)
            .map_or(String::new(), |s| plural(s.flows.len(), "open request")),
        NodeId::Cache(_) => {
            let Some(cache) = world.nodes.cache(id) else {
                return String::new();
            };
            let keys = cache.entries.values().filter(|e| held(world, e)).count();
            let markers: Vec<String> = cache.markers.iter().map(|k| k.to_string()).collect();
            if world.config.write_mode == crate::sim::config::WriteMode::Behind {
                format!("{}, {} queued", plural(keys, "key"), cache.queue.len())
            } else if !markers.is_empty() {
                format!("{}, marker {}", plural(keys, "key"), markers.join(", "))
            } else {
                plural(keys, "key")
            }
        }
        // The CDN edge: its fresh stored responses, as a cache node's keys.
        NodeId::Cdn => world.nodes.cdn(id).map_or(String::new(), |c| {
            plural(edge_entries(world, c).len(), "stored response")
        }),
        // Every primary, bus, consumer and relay alike (`db-2` as `db`).
        NodeId::Db(_) => world.nodes.db(id).map_or(String::new(), |db| {
            let rows = plural(db.rows.len(), "row");
            // Short enough for its box; an outbox with nothing left to publish is not said.
            match db.outbox.iter().filter(|r| !r.published).count() {
                0 => rows,
                unpublished => format!("{rows}, {unpublished} unpublished"),
            }
        }),
        NodeId::Bus(_) => match world.nodes.bus(id) {
            Some(b) if b.durable => offsets_note(b),
            Some(_) => "pub/sub, keeps nothing".to_string(),
            None => String::new(),
        },
        NodeId::Consumer(_) => match world.nodes.consumer(id).and_then(|c| c.busy) {
            Some((ev, _, _)) => format!("handling {}", ev.id),
            None => "idle".to_string(),
        },
        // What its cycle waits on (review 29: "publishing" while it polled).
        NodeId::Relay(_) => match world.nodes.relay(id) {
            Some(r) if r.working => match r.awaiting {
                Some(crate::sim::relay::Awaiting::Poll) => "polling".to_string(),
                Some(crate::sim::relay::Awaiting::Ack(e)) => format!("publishing {e}"),
                Some(crate::sim::relay::Awaiting::Mark(e)) => format!("marking {e}"),
                None => "working".to_string(),
            },
            _ => "idle".to_string(),
        },
        NodeId::Replica(_) => world.nodes.replica(id).map_or(String::new(), |r| {
            format!("{}, at pos {}", plural(r.rows.len(), "row"), r.position)
        }),
        NodeId::Invalidator(_) => match world.nodes.invalidator(id) {
            Some(i) => match i.queue.first() {
                // Short enough for its box (the change's lsn is on its message).
                Some(e) => format!("deleting {}", e.key),
                None => format!("at pos {}", i.position),
            },
            None => String::new(),
        },
        NodeId::Flusher(_) => {
            let planned = world
                .timers
                .iter()
                .find(|t| t.kind == crate::sim::world::TimerKind::Flush && t.owner == id);
            // A put on its way to the database is the flusher's work under way (review
            // 29: "idle" beside "user:1 = v2 (writing)").
            let writing = world
                .nodes
                .caches()
                .flat_map(|(_, c)| c.queue.iter())
                .filter(|q| q.in_flight)
                .count();
            // Short enough for its box: the work under way first.
            match (planned, writing) {
                (_, n @ 1..) => format!("writing {}", plural(n, "key")),
                // A flush whose time has passed waits while events due after it go
                // first (review 30, I: "flush at 202 ms" at 304 ms). Short enough for
                // its box ("flush late, due 202 ms" was cut before its number).
                (Some(t), _) if t.at_ms < world.now_ms => {
                    format!("flush {} ms late", world.now_ms - t.at_ms)
                }
                (Some(t), _) => format!("flush at {} ms", t.at_ms),
                (None, _) => "idle".to_string(),
            }
        }
    }
}

/// A replica's rows, for its box.
pub(super) fn replica_rows(r: &crate::sim::replica::Replica) -> Vec<DbRowView> {
    r.rows
        .iter()
        .map(|(k, v)| DbRowView {
            key: k.to_string(),
            value: v.to_string(),
            version: v.0,
        })
        .collect()
}
