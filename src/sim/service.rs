//! The application service as a node: the program each client request runs, written
//! as a state machine over `Stage` so that every hop of it is a separate, schedulable
//! message. It sees its own open requests, its settings (where its cache, database and
//! bus are, their hops, the write mode) and its own random generator (XFetch), and
//! answers through a `Ctx`; it names other nodes only by id.
//!
//! Read (cache-aside): get → on a hit, answer; on a miss, select from the database,
//! set the cache (with the lease token, when leases are on), answer. The stampede
//! guards (mutex, single-flight, XFetch) live in `load.rs`.
//! Write, by the scenario's write mode: update the database, then delete the key (or
//! the reverse, when the scenario teaches why that order is wrong); write-through
//! (update, then set the cache); write-behind (the cache queues it); or update and
//! publish an event, directly or through the outbox.
use super::config::{LoadGuard, Op, WriteMode, WriteOrder};
use super::ids::{FlowId, Key, NodeId, Version};
use super::keymap::KeyMap;
use super::load;
use super::msg::{LeaseReply, Message, Payload, Refusal};
use super::node::Ctx;
use super::parts::{Said, TimerKind};
use super::rng::Rng;

/// Where a request is in the service's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    Lookup,
    WaitLease,
    Load,
    Fill,
    PreDelete,
    Commit,
    Invalidate,
    /// Write-through: the committed value is being set in the cache.
    Through,
    /// Write-behind: the cache has the write and will answer.
    Behind,
    /// Single-flight: waiting for another request's load of the same key.
    WaitLoad,
    /// Mutex: asking for the per-key lock.
    Locking,
    /// Holding the lock (or after a single-flight load finished): looking again
    /// before loading, in case another request filled the key meanwhile.
    Recheck,
}

/// A client request in the service.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    pub id: FlowId,
    pub client: NodeId,
    pub op: Op,
    pub key: Key,
    pub stage: Stage,
    pub token: Option<u64>,
    pub loaded: Option<Version>,
    pub committed: Option<Version>,
    /// An XFetch early recomputation: nobody waits for it.
    pub background: bool,
    /// When the database read of this request was sent (XFetch's delta).
    pub load_sent_ms: Option<u64>,
    /// Holds the per-key lock.
    pub locked: bool,
    /// How many single-flight loads of the key had finished when this request looked
    /// the key up: if more have since, it looks again before loading.
    pub seen_loads: u32,
}

/// How the service works and whom it talks to: fixed for a run. Hops in virtual ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceSettings {
    /// The cache node it reads and fills.
    pub cache: NodeId,
    /// The database it reads and writes.
    pub db: NodeId,
    /// Where a cache miss reads the row: the database, or its read replica.
    pub reads: NodeId,
    /// Whether the database has a replica (for the words of a miss).
    pub has_replica: bool,
    /// The bus it publishes to (event mode).
    pub bus: NodeId,
    pub cache_ms: u64,
    pub db_read_ms: u64,
    /// A write's hop: longer, the commit waits for its log flush.
    pub db_write_ms: u64,
    pub client_ms: u64,
    pub publish_ms: u64,
    pub write_mode: WriteMode,
    pub write_order: WriteOrder,
    pub load_guard: LoadGuard,
    /// Deletes carry the committed version (the cache keeps tombstones).
    pub versioned_deletes: bool,
    /// Delayed double delete: the second delete's delay.
    pub second_delete_ms: Option<u64>,
    /// How long a request told to wait (lease, lock) waits before asking again.
    pub lease_retry_ms: u64,
}

/// The service's state: its open requests and what single-flight shares.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Service {
    pub flows: Vec<Flow>,
    /// Single-flight: the keys being loaded, and the requests waiting for each load.
    pub loading: KeyMap<Key, Vec<FlowId>>,
    /// Single-flight: how many loads of each key have finished.
    pub loads_done: KeyMap<Key, u32>,
    /// Its own generator (XFetch's draws).
    pub rng: Rng,
    pub settings: ServiceSettings,
}

/// What the service did, for the world's observers (the narration of what the cache
/// holds, of a request it no longer has).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceFact {
    /// A message for a request it does not have (answered already, or lost in a crash).
    NoRequest { payload: Payload },
    /// A write-through's cache set was answered (refused or not) and the writer told.
    ThroughAcked {
        key: Key,
        version: Version,
        refused: Option<Refusal>,
    },
}

impl Service {
    pub fn new(settings: ServiceSettings, rng: Rng) -> Service {
        Service {
            flows: Vec::new(),
            loading: KeyMap::new(),
            loads_done: KeyMap::new(),
            rng,
            settings,
        }
    }

    pub(crate) fn flow(&self, id: Option<FlowId>) -> Option<&Flow> {
        self.flows.iter().find(|f| Some(f.id) == id)
    }

    pub(crate) fn flow_mut(&mut self, id: Option<FlowId>) -> Option<&mut Flow> {
        self.flows.iter_mut().find(|f| Some(f.id) == id)
    }

    /// It crashes: its open requests and single-flight loads are gone.
    pub(crate) fn on_crash(&mut self) {
        self.flows.clear();
        self.loading.clear();
    }

    /// One of its timers fires: a delayed second delete, or a wait that is over.
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) -> Said {
        match kind {
            TimerKind::SecondDelete { flow, key, version } => {
                self.to_cache(ctx, Some(flow), Payload::Del { key, version });
                let delay = self.settings.second_delete_ms.unwrap_or(0);
                said!(ctx,
                    "del sent",
                    text!(ctx,
                        "{delay} ms after the first delete, the service deletes {key} again, to catch a stale fill that \
                         landed in between. A fill that lands later still stays until its TTL."
                    ),
                )
            }
            TimerKind::RetryGet { flow } => {
                let Some(key) = self.flow(Some(flow)).map(|f| f.key) else {
                    return said!(ctx, "nothing to retry", "");
                };
                self.set_stage(flow, Stage::Lookup);
                self.to_cache(ctx, Some(flow), Payload::Get { key });
                said!(
                    ctx,
                    "get sent",
                    text!(
                        ctx,
                        "The wait is over; the service asks the cache for {} again.",
                        key
                    ),
                )
            }
            _ => said!(ctx, "ignored", ""),
        }
    }

    /// A message reaches the service: a client's request, or a reply on one of its open
    /// requests.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> Said {
        match msg.payload {
            Payload::Read { key } | Payload::Write { key } => {
                let Some(id) = msg.flow else {
                    return said!(ctx, "ignored", "");
                };
                let op = if matches!(msg.payload, Payload::Read { .. }) {
                    Op::Read
                } else {
                    Op::Write
                };
                // A request opens here; a copy of one (a duplicated message) finds it open.
                if self.flow(Some(id)).is_none() {
                    self.flows.push(Flow {
                        id,
                        client: msg.from,
                        op,
                        key,
                        stage: Stage::Lookup,
                        token: None,
                        loaded: None,
                        committed: None,
                        background: false,
                        load_sent_ms: None,
                        locked: false,
                        seen_loads: 0,
                    });
                }
            }
            _ => {}
        }
        let Some(flow) = self.flow(msg.flow).cloned() else {
            let s = match msg.payload {
                Payload::UnlockReply { key } => said!(
                    ctx,
                    "done",
                    text!(ctx, "The cache confirms: the lock on {key} is released."),
                ),
                Payload::DelReply { key } => {
                    said!(
                        ctx,
                        "done",
                        text!(ctx, "The cache confirms: {key} is gone.")
                    )
                }
                payload => {
                    ctx.fact(ServiceFact::NoRequest { payload });
                    return said!(ctx, "ignored", "");
                }
            };
            return s;
        };
        if let (Payload::SetReply { key, refused }, Stage::Through) = (msg.payload, flow.stage) {
            ctx.fact(ServiceFact::ThroughAcked {
                key,
                version: flow.committed.unwrap_or(Version(0)),
                refused,
            });
        }
        self.handle(ctx, msg, &flow)
    }

    /// A message on the open request `flow`.
    fn handle(&mut self, ctx: &mut Ctx, msg: &Message, flow: &Flow) -> Said {
        let key = flow.key;
        let client = flow.client;
        match (msg.payload, flow.stage) {
            (Payload::Read { .. }, _) => load::lookup(self, ctx, flow),
            (Payload::Write { .. }, _) => self.write(ctx, flow),
            (
                Payload::GetReply {
                    hit: Some(v),
                    expires_ms,
                    delta_ms,
                    ..
                },
                _,
            ) => load::on_hit(self, ctx, flow, v, expires_ms, delta_ms),
            (
                Payload::GetReply {
                    lease: LeaseReply::Wait,
                    ..
                },
                _,
            ) => {
                let at = self.wait_and_retry(ctx, flow.id);
                said!(ctx,
                    "wait",
                    text!(ctx,
                        "Told to wait, the service does not query the database: it will ask the cache again at {at} ms, \
                         when the lease holder has probably filled the key. Readers wait; the database is spared."
                    ),
                )
            }
            (Payload::GetReply { lease, .. }, _) => load::on_miss(self, ctx, flow, lease),
            (Payload::LockReply { granted, .. }, _) => load::on_lock(self, ctx, flow, granted),
            (Payload::DbReadReply { version, .. }, _) => {
                if let Some(f) = self.flow_mut(msg.flow) {
                    f.stage = Stage::Fill;
                    f.loaded = Some(version);
                }
                let token = flow.token;
                let set = Payload::Set {
                    key,
                    version,
                    token,
                    loaded_at_ms: flow.load_sent_ms,
                };
                self.to_cache(ctx, msg.flow, set);
                let with = token
                    .map(|t| text!(ctx, ", carrying lease #{t}"))
                    .unwrap_or_default();
                let source = match msg.from {
                    NodeId::Replica(_) => "replica",
                    _ => "database",
                };
                said!(ctx,
                    "set sent",
                    text!(ctx, "The service got {version} from the {source} and sets it in the cache{with}, so that later reads can hit."),
                )
            }
            (Payload::SetReply { .. }, Stage::Through) => {
                // What the cache holds now is for the world's observer to say (it
                // prefixes this sentence).
                let version = flow.committed.unwrap_or(Version(0));
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                said!(ctx,
                    "ack",
                    text!(ctx,
                        ": only now, after both the database and the cache have answered, does the service tell \
                         {client} the write succeeded. The writer paid both latencies."
                    ),
                )
            }
            (Payload::SetReply { refused, .. }, _) => {
                load::on_filled(self, ctx, flow, refused.is_some())
            }
            (Payload::WbAck { version, .. }, _) => {
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                said!(ctx,
                    "ack",
                    text!(ctx,
                        "The cache has queued {key} = {version}: the service tells {client} the write succeeded, though the \
                         database does not have it yet."
                    ),
                )
            }
            (Payload::DbWriteReply { version, event, .. }, _) => {
                self.committed(ctx, flow, version, event)
            }
            (Payload::DelReply { .. }, Stage::PreDelete) => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, msg.flow, Payload::DbWrite { key, outbox: false });
                said!(ctx, "update sent", text!(ctx, "The key is gone from the cache; now the service updates {key} in the database."))
            }
            (Payload::DelReply { .. }, _) => {
                let version = flow.committed.unwrap_or(Version(0));
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                let later = match self.settings.second_delete_ms {
                    Some(delay_ms) if flow.op == Op::Write => {
                        let at = ctx.now_ms + delay_ms;
                        let tagged = self.settings.versioned_deletes.then_some(version);
                        ctx.set_timer(
                            at,
                            TimerKind::SecondDelete {
                                flow: flow.id,
                                key,
                                version: tagged,
                            },
                        );
                        text!(ctx,
                            " It also schedules a second delete at {at} ms (delayed double delete), to remove a stale value \
                             that a slow reader may set after the first delete. It is a heuristic: a reader slower than \
                             {delay_ms} ms still wins the race."
                        )
                    }
                    _ => String::new(),
                };
                said!(ctx, "ack", text!(ctx, "The delete is done; the service tells {client} the write of {version} succeeded.{later}"))
            }
            (other, _) => said!(
                ctx,
                "ignored",
                text!(ctx, "The service does not expect {other} now."),
            ),
        }
    }

    /// A write request arrives: the first hop of the write mode's program.
    fn write(&mut self, ctx: &mut Ctx, flow: &Flow) -> Said {
        let key = flow.key;
        let id = Some(flow.id);
        match self.settings.write_mode {
            WriteMode::Invalidate => match self.settings.write_order {
                WriteOrder::UpdateThenDelete => {
                    self.set_stage(flow.id, Stage::Commit);
                    self.to_db(ctx, id, Payload::DbWrite { key, outbox: false });
                    said!(ctx,
                        "update sent",
                        text!(ctx, "The service updates {key} in the database first; it will invalidate the cache after."),
                    )
                }
                WriteOrder::DeleteThenUpdate => {
                    self.set_stage(flow.id, Stage::PreDelete);
                    self.to_cache(ctx, id, Payload::Del { key, version: None });
                    said!(ctx,
                        "del sent",
                        text!(ctx,
                            "The service deletes {key} from the cache before it updates the database. A reader that \
                             misses in between will load the old row and cache it."
                        ),
                    )
                }
            },
            WriteMode::Through => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, id, Payload::DbWrite { key, outbox: false });
                said!(ctx,
                    "update sent",
                    text!(ctx, "Write-through: the service updates {key} in the database, and will then set the cache itself."),
                )
            }
            WriteMode::Behind => {
                self.set_stage(flow.id, Stage::Behind);
                self.to_cache(ctx, id, Payload::WbWrite { key });
                said!(ctx,
                    "write sent",
                    text!(ctx, "Write-behind: the service hands the write of {key} to the cache, not to the database."),
                )
            }
            WriteMode::Event => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, id, Payload::DbWrite { key, outbox: false });
                said!(ctx,
                    "update sent",
                    text!(ctx,
                        "The service updates {key} in the database. It does not touch the cache: once the commit is done it \
                         will publish a change event, and the consumer will invalidate."
                    ),
                )
            }
            WriteMode::Outbox => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, id, Payload::DbWrite { key, outbox: true });
                said!(ctx,
                    "update sent",
                    text!(ctx,
                        "The service updates {key} and inserts an outbox row describing the change, in one transaction: \
                         it never talks to the bus itself."
                    ),
                )
            }
        }
    }

    /// The database committed the write.
    fn committed(
        &mut self,
        ctx: &mut Ctx,
        flow: &Flow,
        version: Version,
        event: super::ids::EventId,
    ) -> Said {
        let key = flow.key;
        let client = flow.client;
        if let Some(f) = self.flow_mut(Some(flow.id)) {
            f.committed = Some(version);
        }
        match self.settings.write_mode {
            WriteMode::Through => {
                self.set_stage(flow.id, Stage::Through);
                let set = Payload::Set {
                    key,
                    version,
                    token: None,
                    loaded_at_ms: None,
                };
                // A slow link on the way is the network's: the world adds it, and
                // says so.
                self.to_cache(ctx, Some(flow.id), set);
                said!(ctx, "set sent", text!(ctx, "{version} is committed; the service now sets {key} = {version} in the cache."))
            }
            WriteMode::Event => {
                let ev = super::msg::BusEvent {
                    id: event,
                    key,
                    version,
                };
                ctx.send(
                    self.settings.bus,
                    None,
                    Payload::Publish { ev },
                    self.settings.publish_ms,
                );
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                said!(ctx,
                    text!(ctx, "publish {}", ev.id),
                    text!(ctx,
                        "{version} is committed. The service publishes {ev} to the bus and tells {client} the write \
                         succeeded. Two writes, to the database and to the bus, with nothing tying them together: a dual \
                         write."
                    ),
                )
            }
            WriteMode::Outbox => {
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                said!(ctx,
                    "ack",
                    text!(ctx,
                        "{version} and its outbox row {event} are committed together. The service tells {client} the write \
                         succeeded; the relay will publish the event."
                    ),
                )
            }
            WriteMode::Invalidate | WriteMode::Behind => match self.settings.write_order {
                WriteOrder::UpdateThenDelete => {
                    self.set_stage(flow.id, Stage::Invalidate);
                    let tagged = self.settings.versioned_deletes.then_some(version);
                    self.to_cache(
                        ctx,
                        Some(flow.id),
                        Payload::Del {
                            key,
                            version: tagged,
                        },
                    );
                    let tag = tagged
                        .map(|v| text!(ctx, " The delete carries {v}, for the cache's tombstone."))
                        .unwrap_or_default();
                    said!(ctx,
                        "del sent",
                        text!(ctx, "{version} is committed; the service deletes {key} from the cache so the next read loads it.{tag}"),
                    )
                }
                WriteOrder::DeleteThenUpdate => {
                    self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                    said!(ctx, "ack", text!(ctx, "{version} is committed; the service tells {client} the write succeeded."))
                }
            },
        }
    }

    /// Parks the flow (told to wait by a lease, or finding the lock taken) until it
    /// asks the cache again, `lease_retry_ms` from now; returns when that is.
    pub(crate) fn wait_and_retry(&mut self, ctx: &mut Ctx, flow: FlowId) -> u64 {
        self.set_stage(flow, Stage::WaitLease);
        let at = ctx.now_ms + self.settings.lease_retry_ms;
        ctx.set_timer(at, TimerKind::RetryGet { flow });
        at
    }

    pub(crate) fn set_stage(&mut self, id: FlowId, stage: Stage) {
        if let Some(f) = self.flow_mut(Some(id)) {
            f.stage = stage;
        }
    }

    /// Sends to its cache: one cache hop.
    pub(crate) fn to_cache(&self, ctx: &mut Ctx, flow: Option<FlowId>, payload: Payload) {
        ctx.send(self.settings.cache, flow, payload, self.settings.cache_ms);
    }

    /// Sends to its database: a write takes the longer hop (the commit waits for its
    /// log flush), anything else the read hop.
    pub(crate) fn to_db(&self, ctx: &mut Ctx, flow: Option<FlowId>, payload: Payload) {
        let lat = match payload {
            Payload::DbWrite { .. } => self.settings.db_write_ms,
            _ => self.settings.db_read_ms,
        };
        ctx.send(self.settings.db, flow, payload, lat);
    }

    /// Sends a miss's read where the scenario routes it: the replica or the primary.
    pub(crate) fn to_reads(&self, ctx: &mut Ctx, flow: Option<FlowId>, payload: Payload) {
        ctx.send(self.settings.reads, flow, payload, self.settings.db_read_ms);
    }

    /// Sends the answer and forgets the flow: the request is over for the service.
    pub(crate) fn answer(&mut self, ctx: &mut Ctx, id: FlowId, client: NodeId, payload: Payload) {
        self.flows.retain(|f| f.id != id);
        ctx.send(client, Some(id), payload, self.settings.client_ms);
    }
}
