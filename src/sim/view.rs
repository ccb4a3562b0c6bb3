//! A plain, flattened picture of a world at one moment: exactly what the page draws,
//! nothing it has to compute. The UI renders a `View`; it never digs into `World`.
//!
//! Architecture Invariant: building a view never changes the world, and the view holds
//! only owned strings and numbers, so the UI can diff it cheaply.
use super::ids::NodeId;
use super::world::Event;
pub use super::world::NodeStatus;

/// Building a view from a world (`View::of`).
mod build;
/// The primaries, buses, consumers and flushers beyond the first (`View::more`).
mod more;
/// Each storage and pipeline node's state as rows (`View::of` and `View::more`).
mod rows;

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
    /// The primary that owns the key (`db`, or `db-2`… in a sharded topology): the one
    /// a stale copy differs from.
    pub primary: NodeId,
    /// In write-behind, the latest acknowledged version when it is still queued and newer
    /// than the database's row: what a stale copy then differs from (not the database).
    pub queued: Option<u32>,
}

/// A request the service holds, in words (`reader: read user:1, loading, has v1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestView {
    /// The service that holds it (`service`, `service-2`, …).
    pub service: NodeId,
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
    /// Each consumer group's state of it, by its subscriber, where the log has more
    /// than one group (`state` is then the first group's); empty otherwise.
    pub by_group: Vec<(NodeId, &'static str)>,
}

impl BusMessageView {
    /// Its state in words: the one state, or each group's where they differ
    /// ("acked by consumer, delivered to consumer-2").
    pub fn state_words(&self) -> String {
        if self.by_group.iter().all(|(_, st)| *st == self.state) {
            return self.state.to_string();
        }
        self.by_group
            .iter()
            .map(|(id, st)| {
                let to = match *st {
                    "delivered" => "to",
                    "pending" | "retrying" => "for",
                    _ => "by",
                };
                format!("{st} {to} {id}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
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
    /// `crash`, `restart`, `drop`, `delay`, `duplicate`, `pause`, `resume`,
    /// `partition`, `heal`, `abort`, `evict`, `disconnect` or `resubscribe`.
    pub fault: &'static str,
    /// A node id, a message id, a link, or an evicted key.
    pub target: String,
    /// For an `evict`, the cache node that evicts the key (`data-cache`).
    pub cache: Option<crate::sim::ids::NodeId>,
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
    /// Its subscription to its bus is broken (a `disconnect`), until it subscribes
    /// again: it runs, but the bus sends it nothing.
    pub unsubscribed: bool,
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
    /// Violated here, but judged at the run's end and events are still to happen: this
    /// may be a window that closes, not yet a break (the timeline says which).
    pub for_now: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricView {
    pub name: &'static str,
    pub value: u64,
}

/// A cache node other than the first (`cache-2`, …), or the CDN edge (`cdn`, its
/// fresh stored responses): its keys and its guards, as `View::cache` and
/// `View::guards` are the first's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyView {
    pub id: NodeId,
    pub entries: Vec<CacheEntryView>,
    pub guards: Vec<GuardView>,
}

/// A primary, bus, consumer or flusher beyond the first of its kind (`db-2`, `bus-2`,
/// `consumer-2`, `flusher-2`): its state in the shapes the first's fields have
/// (`View::db`, `uncommitted`, `outbox`, `bus`, `dlq`, `consumer`, `queue`); the fields
/// of other kinds are empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoreView {
    pub id: NodeId,
    pub db: Vec<DbRowView>,
    pub uncommitted: Vec<String>,
    pub outbox: Vec<OutboxRowView>,
    pub bus: Vec<BusMessageView>,
    pub dlq: Vec<DlqView>,
    pub consumer: Option<ConsumerView>,
    /// A flusher's: the queue of the cache node it drains.
    pub queue: Vec<QueueItemView>,
    /// A bus's: each consumer group's committed offset, where it has several.
    pub groups: Vec<(NodeId, u32)>,
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
    /// The other cache nodes of the topology, by id.
    pub copies: Vec<CopyView>,
    /// Each service instance's near copies (its in-process cache), with its id.
    pub near: Vec<(NodeId, CacheEntryView)>,
    /// Each CDN edge's fresh stored responses, with its id.
    pub edge: Vec<(NodeId, CacheEntryView)>,
    /// More than one node may hold a cached copy (a second cache node, near caches, a
    /// CDN edge): the cache panel says whose each entry is.
    pub many_holders: bool,
    /// The routes the nodes hold: each client to its service, each service to its
    /// cache and to where its misses read, the CDN edge to its origin (the diagram's
    /// lines beyond the fixed ones).
    pub routes: Vec<(NodeId, NodeId)>,
    /// What a hop between the two regions adds (0: one region).
    pub cross_region_ms: u64,
    pub db: Vec<DbRowView>,
    /// The replica's rows (empty without one); `version` below the primary's is lag.
    pub replica: Vec<DbRowView>,
    /// Open transactions' changes, not yet rows: "writer: user:1 = v2 uncommitted".
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
    /// Each consumer group's committed offset by its subscriber, where a durable bus
    /// has more than one group (empty otherwise).
    pub bus_groups: Vec<(NodeId, u32)>,
    /// Whether the bus is durable (a log) or at-most-once (Pub/Sub); `None`: no bus.
    pub bus_durable: Option<bool>,
    /// The real system the bus behaves like ("a Kafka partition", "SQS or RabbitMQ",
    /// "Redis Pub/Sub"), when there is a bus.
    pub bus_like: Option<&'static str>,
    pub consumer: Option<ConsumerView>,
    /// Every primary, bus, consumer and flusher beyond the first of its kind, in id
    /// order within each kind.
    pub more: Vec<MoreView>,
    /// The requests the service holds, oldest first.
    pub requests: Vec<RequestView>,
}
