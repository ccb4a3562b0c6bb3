//! A plain, flattened picture of a world at one moment: exactly what the page draws,
//! nothing it has to compute. The UI renders a `View`; it never digs into `World`.
//!
//! Architecture Invariant: building a view never changes the world, and the view holds
//! only owned strings and numbers, so the UI can diff it cheaply.
use super::books::{Invariant, Metric};
use super::config::NO_TTL;
use super::ids::NodeId;
use super::scenario::Scenario;
pub use super::world::NodeStatus;
use super::world::{Event, World};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: NodeId,
    pub status: NodeStatus,
    /// One short line on what the node is doing (a client's last answer, the
    /// service's open requests).
    pub note: String,
    /// Its region (`data-region`): 1, the primary's, or 2 (`config.topology`).
    pub region: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlightView {
    pub id: String,
    /// Messages are numbered in the order they are sent (`m7` is 7), so the ones a
    /// step sent are those numbered from the world's `next_msg` before it.
    pub seq: u32,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: &'static str,
    pub label: String,
    pub sent_ms: u64,
    pub arrive_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheEntryView {
    pub key: String,
    pub value: String,
    pub version: u32,
    /// `u64::MAX` when the entry has no TTL; prefer `expires_at`.
    pub expires_ms: u64,
    /// When the entry expires (virtual ms), `None` when it has no TTL.
    pub expires_at: Option<u64>,
    /// The entry is not the value the database has committed (in write-behind: the
    /// latest acknowledged write): what `cache-matches-db` judges.
    pub stale: bool,
}

/// A request the service holds, in words (`reader: read user:1, loading, has v1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestView {
    pub client: NodeId,
    pub text: String,
}

/// A row of the outbox table (Debezium's outbox columns, and whether the relay has
/// marked it published).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRowView {
    /// `id`, e.g. "e2".
    pub event_id: String,
    pub aggregate_type: String,
    pub aggregate_id: String,
    /// `type`, e.g. "UserUpdated".
    pub kind: String,
    /// `payload`, a JSON text.
    pub payload: String,
    pub published: bool,
}

/// An event held by the bus: an entry of its durable log. An at-most-once bus holds
/// nothing, so it has none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusMessageView {
    pub event_id: String,
    /// e.g. "user:1"
    pub key: String,
    /// e.g. "v2"
    pub value: String,
    pub version: u32,
    pub offset: u32,
    /// "pending", "delivered", "retrying", "acked" or "dead-lettered".
    pub state: &'static str,
    /// How many times the consumer failed on it.
    pub failures: u32,
    /// Whether the consumer's committed offset has passed it.
    pub committed: bool,
}

/// An event in the dead-letter queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DlqView {
    pub event_id: String,
    pub key: String,
    pub value: String,
    pub version: u32,
    pub failures: u32,
}

/// A write waiting in the write-behind queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItemView {
    pub key: String,
    pub value: String,
    pub version: u32,
    /// The flusher has sent it to the database and waits for the answer.
    pub in_flight: bool,
    /// Also in the disk log (durable queue).
    pub durable: bool,
}

/// A fault the learner can inject now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultView {
    /// `crash`, `restart`, `drop`, `delay`, `duplicate`, `pause` or `resume`.
    pub fault: &'static str,
    /// A node id or a message id.
    pub target: String,
    /// The event to fire for it.
    pub event: Event,
}

/// The consumer's memory, as shown beside it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerView {
    /// Event ids received and waiting (in order), and the one being handled.
    pub inbox: Vec<String>,
    pub handling: Option<String>,
    /// Idempotent consumer: the ids it remembers.
    pub processed: Vec<String>,
    /// Version-aware consumer: the newest version applied per key, "user:1=v3".
    pub applied: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbRowView {
    pub key: String,
    pub value: String,
    pub version: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvariantView {
    pub name: &'static str,
    pub describe: &'static str,
    pub ok: bool,
    /// The violation in words, when violated.
    pub why: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricView {
    pub name: &'static str,
    pub value: u64,
}

/// A side note shown with the cache: tombstones and leases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardView {
    pub key: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimerView {
    pub id: String,
    pub owner: NodeId,
    pub at_ms: u64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub now_ms: u64,
    pub nodes: Vec<NodeView>,
    pub in_flight: Vec<InFlightView>,
    pub cache: Vec<CacheEntryView>,
    pub guards: Vec<GuardView>,
    pub db: Vec<DbRowView>,
    /// The replica's rows (empty without one); `version` below the primary's is lag.
    pub replica: Vec<DbRowView>,
    /// Open transactions' changes, not yet rows: "user:1 = v2 (writer, uncommitted)".
    pub uncommitted: Vec<String>,
    pub timers: Vec<TimerView>,
    pub invariants: Vec<InvariantView>,
    pub metrics: Vec<MetricView>,
    pub enabled: Vec<Event>,
    pub outbox: Vec<OutboxRowView>,
    pub bus: Vec<BusMessageView>,
    pub dlq: Vec<DlqView>,
    pub queue: Vec<QueueItemView>,
    /// The faults that can be injected at this moment.
    pub faults: Vec<FaultView>,
    /// The consumer's committed offset in the bus's log, when the bus is durable.
    pub bus_offset: Option<u32>,
    /// Whether the bus is durable (a log) or at-most-once (Pub/Sub); `None`: no bus.
    pub bus_durable: Option<bool>,
    /// The real system the bus behaves like ("a Kafka partition", "SQS or RabbitMQ",
    /// "Redis Pub/Sub"), when there is a bus.
    pub bus_like: Option<&'static str>,
    pub consumer: Option<ConsumerView>,
    /// The requests the service holds, oldest first.
    pub requests: Vec<RequestView>,
}

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
        let cache = world
            .cache()
            .entries
            .iter()
            .filter(|(_, e)| e.expires_ms > now)
            .map(|(k, e)| CacheEntryView {
                key: k.to_string(),
                value: e.version.to_string(),
                version: e.version.0,
                expires_ms: e.expires_ms,
                expires_at: (e.expires_ms != NO_TTL).then_some(e.expires_ms),
                stale: e.version != world.expected(*k),
            })
            .collect();
        let mut guards: Vec<GuardView> = world
            .cache()
            .tombstones
            .iter()
            .filter(|(_, t)| t.until_ms > now)
            .map(|(k, t)| GuardView {
                key: k.to_string(),
                text: format!("tombstone {} until {} ms", t.version, t.until_ms),
            })
            .collect();
        guards.extend(world.cache().leases.iter().map(|(k, l)| GuardView {
            key: k.to_string(),
            text: format!("lease #{} issued at {} ms", l.token, l.issued_ms),
        }));
        guards.extend(
            world
                .cache()
                .locks
                .iter()
                .filter(|(_, l)| l.until_ms > now)
                .map(|(k, l)| GuardView {
                    key: k.to_string(),
                    text: format!("locked by {} until {} ms", l.holder, l.until_ms),
                }),
        );
        let db = world
            .db()
            .rows
            .iter()
            .map(|(k, v)| DbRowView {
                key: k.to_string(),
                value: v.to_string(),
                version: v.0,
            })
            .collect();
        let replica = if world.config.replica.is_some() {
            let rows = &world.replica().rows;
            rows.iter()
                .map(|(k, v)| DbRowView {
                    key: k.to_string(),
                    value: v.to_string(),
                    version: v.0,
                })
                .collect()
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
                label: super::world::timer_label(&t.kind),
            })
            .collect();
        let invariants = scenario
            .invariants
            .iter()
            .map(|inv: &Invariant| {
                let result = inv.check(world);
                InvariantView {
                    name: inv.name(),
                    describe: inv.describe(),
                    ok: result.is_ok(),
                    why: result.err(),
                }
            })
            .collect();
        let metrics = scenario
            .metrics
            .iter()
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
            db,
            replica,
            uncommitted: world
                .db()
                .txns
                .iter()
                .map(|t| format!("{} = {} ({}, uncommitted)", t.key, t.version, t.client))
                .collect(),
            timers,
            invariants,
            metrics,
            enabled: world.enabled(),
            outbox: outbox(world),
            bus: bus(world),
            dlq: world
                .bus()
                .dlq
                .iter()
                .map(|e| DlqView {
                    event_id: e.ev.id.to_string(),
                    key: e.ev.key.to_string(),
                    value: e.ev.version.to_string(),
                    version: e.ev.version.0,
                    failures: e.failures,
                })
                .collect(),
            queue: world
                .cache()
                .queue
                .iter()
                .map(|q| QueueItemView {
                    key: q.key.to_string(),
                    value: q.version.to_string(),
                    version: q.version.0,
                    in_flight: q.in_flight,
                    durable: world.cache().log.contains(&(q.key, q.version)),
                })
                .collect(),
            faults: world
                .faults()
                .into_iter()
                .filter_map(|e| {
                    e.fault().map(|f| FaultView {
                        fault: f.name(),
                        target: f.target(),
                        event: e,
                    })
                })
                .collect(),
            bus_offset: world
                .config
                .bus
                .filter(|b| b.durable)
                .map(|_| world.bus().offset()),
            bus_durable: world.config.bus.map(|b| b.durable),
            bus_like: world.config.bus.map(|b| super::narrate::behaves_like(&b)),
            consumer: world.config.bus.map(|_| ConsumerView {
                inbox: world
                    .consumer()
                    .inbox
                    .iter()
                    .map(|(ev, _)| ev.id.to_string())
                    .collect(),
                handling: world.consumer().busy.map(|(ev, _, _)| ev.id.to_string()),
                // Only the memory the consumer really keeps: an idempotent consumer
                // its processed ids, a version-aware one the newest version applied per
                // key. A plain consumer remembers neither, so neither is shown.
                processed: world
                    .consumer()
                    .processed
                    .iter()
                    .filter(|_| world.config.consumer.idempotent)
                    .map(|id| id.to_string())
                    .collect(),
                applied: world
                    .consumer()
                    .applied
                    .iter()
                    .filter(|_| world.config.consumer.versioned)
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect(),
            }),
            requests: requests(world),
        }
    }
}

/// The service's open requests, each in words: who asked, for what, at which stage,
/// and what it holds (a loaded or committed version, a lease token, the lock).
fn requests(world: &World) -> Vec<RequestView> {
    use super::config::Op;
    use super::parts::Stage;
    world
        .service()
        .flows
        .iter()
        .map(|f| {
            let op = match f.op {
                Op::Read => "read",
                Op::Write => "write",
                Op::DirectWrite => "direct write",
            };
            let stage = match f.stage {
                Stage::Lookup => "looking up",
                Stage::WaitLease => "waiting for the lease",
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
                client: f.client,
                text,
            }
        })
        .collect()
}

fn outbox(world: &World) -> Vec<OutboxRowView> {
    world
        .db()
        .outbox
        .iter()
        .map(|r| OutboxRowView {
            event_id: r.id(),
            aggregate_type: r.aggregate_type().to_string(),
            aggregate_id: r.aggregate_id(),
            kind: r.kind().to_string(),
            payload: r.payload(),
            published: r.published,
        })
        .collect()
}

fn bus(world: &World) -> Vec<BusMessageView> {
    let offset = world.bus().offset();
    world
        .bus()
        .log
        .iter()
        .enumerate()
        .map(|(i, e)| BusMessageView {
            event_id: e.ev.id.to_string(),
            key: e.ev.key.to_string(),
            value: e.ev.version.to_string(),
            version: e.ev.version.0,
            offset: i as u32,
            state: e.state.name(),
            failures: e.failures,
            committed: (i as u32) < offset,
        })
        .collect()
}

/// One short line on what a node is doing.
fn note(world: &World, id: NodeId) -> String {
    let now = world.now_ms;
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
                (None, Some(answer)) => format!("got {answer}"),
                (None, None) if c.next < c.requests.len() => "idle".to_string(),
                (None, None) => "done".to_string(),
            }
        }
        NodeId::SERVICE => plural(world.service().flows.len(), "open request"),
        NodeId::CACHE => {
            let keys = world
                .cache()
                .entries
                .values()
                .filter(|e| e.expires_ms > now)
                .count();
            let queued = world.cache().queue.len();
            if world.config.write_mode == super::config::WriteMode::Behind {
                format!("{}, {} queued", plural(keys, "key"), queued)
            } else {
                plural(keys, "key")
            }
        }
        NodeId::Db => {
            let rows = plural(world.db().rows.len(), "row");
            if world.db().outbox.is_empty() {
                rows
            } else {
                let unpublished = world.db().outbox.iter().filter(|r| !r.published).count();
                format!("{rows}, {unpublished} unpublished outbox")
            }
        }
        NodeId::Bus => match world.config.bus {
            Some(b) if b.durable => format!(
                "log of {}, offset {}",
                world.bus().log.len(),
                world.bus().offset()
            ),
            _ => "pub/sub, keeps nothing".to_string(),
        },
        NodeId::Consumer => match world.consumer().busy {
            Some((ev, _, _)) => format!("handling {}", ev.id),
            None => "idle".to_string(),
        },
        NodeId::Relay => if world.relay().working {
            "publishing"
        } else {
            "idle"
        }
        .to_string(),
        NodeId::Replica(_) => format!(
            "{}, at lsn {}",
            plural(world.replica().rows.len(), "row"),
            world.replica().position
        ),
        NodeId::Flusher => {
            let planned = world
                .timers
                .iter()
                .find(|t| t.kind == super::world::TimerKind::Flush);
            planned.map_or("idle".to_string(), |t| {
                format!("next flush at {} ms", t.at_ms)
            })
        }
        _ => String::new(),
    }
}
