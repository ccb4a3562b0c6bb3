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
use super::config::Op;
use super::ids::{FlowId, Key, NodeId, Version};
use super::keymap::KeyMap;
use super::load;
use super::msg::{LeaseReply, Message, Payload};
use super::near::{NearCache, NearDrop, NearFact};
use super::node::Ctx;
use super::parts::TimerKind;
use super::rng::Rng;

mod closed;
mod fact;
mod pending;
mod settings;
mod write;
pub use fact::{ConnLoss, Draw, ReadFact, ReadSource, ServiceFact, XFetch};
pub use pending::Pending;
pub use settings::ServiceSettings;

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
    /// A write in a transaction (`txn.rs`): `BEGIN; UPDATE` sent.
    TxUpdate,
    /// A remote marker for the key is being set before the write (`region.rs`).
    Marking,
    /// The cache step running inside the open transaction.
    TxHook,
    /// `COMMIT` sent.
    TxCommit,
    /// Mutex: the per-key lock is taken; it asks the cache again later (a lease that
    /// says wait parks it in `WaitLease`). Last, so the other stages hash as before.
    WaitLock,
    /// The cache step inside the transaction, whose database session closed under it
    /// (the database crashed): its COMMIT will fail (`service/closed.rs`).
    TxSevered,
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
    /// Its miss found a remote marker: it reads the primary (`region.rs`).
    pub marked: bool,
}

/// The service's state: its open requests and what single-flight shares.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Service {
    pub flows: Vec<Flow>,
    /// Single-flight: the keys being loaded, and the requests waiting for each load.
    pub loading: KeyMap<Key, Vec<FlowId>>,
    /// Single-flight: how many loads of each key have finished.
    pub loads_done: KeyMap<Key, u32>,
    /// Its own generator (XFetch's draws).
    pub rng: Rng,
    pub settings: ServiceSettings,
    /// Its in-process near cache (`near.rs`), off unless the scenario has one.
    pub near: NearCache,
}

clone_fields!(Service {
    flows,
    loading,
    loads_done,
    rng,
    settings,
    near,
});

impl Service {
    pub fn new(settings: ServiceSettings, rng: Rng) -> Service {
        Service {
            flows: Vec::new(),
            loading: KeyMap::new(),
            loads_done: KeyMap::new(),
            rng,
            settings,
            near: NearCache::default(),
        }
    }

    pub(crate) fn flow(&self, id: Option<FlowId>) -> Option<&Flow> {
        self.flows.iter().find(|f| Some(f.id) == id)
    }

    pub(crate) fn flow_mut(&mut self, id: Option<FlowId>) -> Option<&mut Flow> {
        self.flows.iter_mut().find(|f| Some(f.id) == id)
    }

    /// It crashes: its open requests and single-flight loads are gone. Its operating
    /// system closes its sockets: a database with which it had a transaction under way
    /// (`BEGIN` sent, `COMMIT` not answered) sees that connection close
    /// (`Payload::Closed`), after whatever it had sent on it. Its other connections
    /// (to the cache, an idle database session) hold nothing that the close changes.
    pub(crate) fn on_crash(&mut self, ctx: &mut Ctx) {
        let mut closed: Vec<NodeId> = Vec::new();
        for f in &self.flows {
            if matches!(f.stage, Stage::TxUpdate | Stage::TxHook | Stage::TxCommit) {
                let db = self.db_of(&Payload::TxUpdate {
                    key: f.key,
                    client: f.client,
                });
                if !closed.contains(&db) {
                    closed.push(db);
                    ctx.send(db, None, Payload::Closed, self.settings.db_read_ms);
                }
            }
        }
        self.flows.clear();
        self.loading.clear();
        self.near.crash();
    }

    /// One of its timers fires: a delayed second delete, or a wait that is over.
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        let fact = match kind {
            TimerKind::SecondDelete { flow, key, version } => {
                self.to_cache(ctx, Some(flow), Payload::Del { key, version });
                let delay_ms = self.settings.second_delete_ms.unwrap_or(0);
                ServiceFact::SecondDelete { key, delay_ms }
            }
            TimerKind::RetryGet { flow } => match self.flow(Some(flow)).map(|f| f.key) {
                None => ServiceFact::NothingToRetry,
                Some(key) => {
                    self.set_stage(flow, Stage::Lookup);
                    self.to_cache(ctx, Some(flow), Payload::Get { key });
                    ServiceFact::Retrying { key }
                }
            },
            _ => ServiceFact::Stray,
        };
        ctx.fact(fact);
    }

    /// A message reaches the service: a client's request, or a reply on one of its open
    /// requests.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        if let Payload::Invalidate { key } = msg.payload {
            // The cache node says the key changed: its near copy goes.
            let held = self.near.drop_key(key);
            ctx.fact(ServiceFact::Near(NearFact::Dropped {
                service: ctx.me,
                key,
                held,
                why: NearDrop::Invalidated,
            }));
            return;
        }
        if msg.payload == Payload::Closed {
            // Its connection to the cache node that tracked its reads closed (the node
            // crashed): invalidations may have been missed, so it flushes its whole
            // near cache, as Redis's client-side caching clients do (redis/redis#13082).
            let tracked =
                msg.from == self.settings.cache && self.near.settings.is_some_and(|c| c.tracking);
            if tracked {
                let keys = u8::try_from(self.near.entries.len()).unwrap_or(u8::MAX);
                self.near.crash();
                ctx.fact(ServiceFact::Near(NearFact::Flushed {
                    service: ctx.me,
                    cache: msg.from,
                    keys,
                }));
            }
            // What was pending on that connection fails (`service/closed.rs`).
            if !self.conn_closed(ctx, msg.from) && !tracked {
                ctx.fact(ServiceFact::ConnIdle { peer: msg.from });
            }
            return;
        }
        if let Payload::Read { key } | Payload::Write { key } | Payload::Insert { key } =
            msg.payload
        {
            let Some(id) = msg.flow else {
                ctx.fact(ServiceFact::Stray);
                return;
            };
            let op = match msg.payload {
                Payload::Read { .. } => Op::Read,
                Payload::Insert { .. } => Op::Insert,
                _ => Op::Write,
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
                    marked: false,
                });
            }
        }
        let Some(flow) = self.flow(msg.flow).cloned() else {
            let fact = match msg.payload {
                Payload::UnlockReply { key } => ServiceFact::UnlockConfirmed { key },
                Payload::DelReply { key } => ServiceFact::DeleteConfirmed { key },
                payload => ServiceFact::NoRequest {
                    service: ctx.me,
                    payload,
                },
            };
            ctx.fact(fact);
            return;
        };
        self.handle(ctx, msg, &flow);
        if let Payload::Write { key } = msg.payload {
            // It writes the key: its own near copy is out of date from now on.
            if let Some(held) = self.near.drop_key(key) {
                ctx.fact(ServiceFact::Near(NearFact::Dropped {
                    service: ctx.me,
                    key,
                    held: Some(held),
                    why: NearDrop::OwnWrite,
                }));
            }
        }
    }

    /// A message on the open request `flow`.
    fn handle(&mut self, ctx: &mut Ctx, msg: &Message, flow: &Flow) {
        let key = flow.key;
        let client = flow.client;
        let fact = match (msg.payload, flow.stage) {
            (Payload::Read { .. }, _) => return load::lookup(self, ctx, flow),
            (Payload::Write { .. }, Stage::Lookup) if self.settings.remote_marker => {
                return super::region::mark(self, ctx, flow)
            }
            (Payload::Write { .. }, Stage::Marking) => ServiceFact::Unexpected {
                payload: msg.payload,
            },
            (Payload::MarkerSet { .. }, Stage::Marking) => {
                return super::region::marked(self, ctx, flow)
            }
            (Payload::Write { .. }, _) if super::txn::applies(self) => {
                return super::txn::begin(self, ctx, flow)
            }
            (Payload::Write { .. }, _) => return self.write(ctx, flow),
            (Payload::Insert { .. }, _) => return super::negative::insert(self, ctx, flow),
            (Payload::TxRolledBack { .. }, Stage::Commit) if flow.op == Op::Insert => {
                return super::negative::refused(self, ctx, flow)
            }
            (_, Stage::TxUpdate | Stage::TxHook | Stage::TxCommit | Stage::TxSevered) => {
                return super::txn::on_reply(self, ctx, msg, flow)
            }
            (
                Payload::GetReply {
                    hit: Some(v),
                    expires_ms,
                    delta_ms,
                    ..
                },
                _,
            ) => return load::on_hit(self, ctx, flow, v, expires_ms, delta_ms),
            (
                Payload::GetReply {
                    lease: LeaseReply::Wait,
                    ..
                },
                _,
            ) => ServiceFact::LeaseWait {
                at_ms: self.wait_and_retry(ctx, flow.id, Stage::WaitLease),
            },
            (Payload::GetReply { lease, marked, .. }, _) => {
                let mut flow = flow.clone();
                flow.marked = marked;
                if let Some(f) = self.flow_mut(Some(flow.id)) {
                    f.marked = marked;
                }
                return load::on_miss(self, ctx, &flow, lease);
            }
            (Payload::LockReply { granted, .. }, _) => {
                return load::on_lock(self, ctx, flow, granted)
            }
            (Payload::DbReadReply { version, .. }, _)
                if super::negative::skips_fill(self, version) =>
            {
                return super::negative::not_found(self, ctx, flow)
            }
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
                ServiceFact::FillSent {
                    version,
                    token,
                    from: msg.from,
                }
            }
            (Payload::SetReply { refused, .. }, Stage::Through) => {
                let version = flow.committed.unwrap_or(Version(0));
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                ServiceFact::ThroughAcked {
                    key,
                    version,
                    refused,
                    client,
                    cache: msg.from,
                }
            }
            (Payload::SetReply { refused, .. }, _) => {
                return load::on_filled(self, ctx, flow, refused.is_some())
            }
            (Payload::WbAck { version, .. }, _) => {
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                ServiceFact::BehindAcked {
                    key,
                    version,
                    client,
                }
            }
            (Payload::DbWriteReply { version, event, .. }, _) => {
                return self.committed(ctx, flow, version, event)
            }
            (Payload::DelReply { .. }, Stage::PreDelete) => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, msg.flow, Payload::DbWrite { key, outbox: false });
                ServiceFact::PreDeleted { key }
            }
            (Payload::DelReply { .. }, _) => {
                let version = flow.committed.unwrap_or(Version(0));
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                let second = match self.settings.second_delete_ms {
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
                        Some((at, delay_ms))
                    }
                    _ => None,
                };
                ServiceFact::Invalidated {
                    version,
                    client,
                    second,
                }
            }
            (payload, _) => ServiceFact::Unexpected { payload },
        };
        ctx.fact(fact);
    }

    /// Parks the flow in `stage` (told to wait by a lease, or finding the lock taken)
    /// until it asks the cache again, `lease_retry_ms` from now; returns when that is.
    pub(crate) fn wait_and_retry(&mut self, ctx: &mut Ctx, flow: FlowId, stage: Stage) -> u64 {
        self.set_stage(flow, stage);
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
            Payload::DbWrite { .. } | Payload::DbInsert { .. } => self.settings.db_write_ms,
            _ => self.settings.db_read_ms,
        };
        ctx.send(self.db_of(&payload), flow, payload, lat);
    }

    /// The primary that owns the row `payload` names (`settings.db` for one primary).
    pub(crate) fn db_of(&self, payload: &Payload) -> NodeId {
        match payload.key_opt() {
            Some(key) if self.settings.shards.owner(key) != NodeId::DB => {
                self.settings.shards.owner(key)
            }
            _ => self.settings.db,
        }
    }

    /// Where a miss of the row `payload` names reads: where this service reads
    /// replicas, the replica of the primary that owns the row, if it has one; else
    /// that primary.
    pub(crate) fn reads_of(&self, payload: &Payload) -> NodeId {
        let s = &self.settings;
        match self.db_of(payload) {
            db @ NodeId::Db(n) if s.reads != s.db => s
                .replicas
                .get(usize::from(n).wrapping_sub(1))
                .copied()
                .flatten()
                .unwrap_or(db),
            db => db,
        }
    }

    /// Sends a miss's read where the scenario routes it: a replica or the primary.
    /// Returns where.
    pub(crate) fn to_reads(&self, ctx: &mut Ctx, flow: Option<FlowId>, payload: Payload) -> NodeId {
        let to = self.reads_of(&payload);
        ctx.send(to, flow, payload, self.settings.db_read_ms);
        to
    }

    /// Sends the answer and forgets the flow: the request is over for the service.
    pub(crate) fn answer(&mut self, ctx: &mut Ctx, id: FlowId, client: NodeId, payload: Payload) {
        self.flows.retain(|f| f.id != id);
        ctx.send(client, Some(id), payload, self.settings.client_ms);
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Service {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Service::on_msg(self, ctx, msg);
    }
    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        Service::on_timer(self, ctx, timer);
    }
    fn on_crash(&mut self, ctx: &mut Ctx) {
        Service::on_crash(self, ctx)
    }
    fn awaits(&self, peer: NodeId) -> Option<u64> {
        Service::awaits(self, peer)
    }
}
