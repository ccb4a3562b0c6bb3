//! The database: one row per key, each with its committed version, and the outbox
//! table that the outbox pattern writes in the same transaction as the row.
//!
//! A node in the shape of `node.rs`: it handles a message with its own state and
//! answers through a `Ctx` (the replies, a NOTIFY to the relay after an outbox
//! commit), and says what it did as a `DbFact`, no text: the books count it and the
//! narration (`narrate/db.rs`) tells it.
use super::ids::{EventId, FlowId, Key, NodeId, Version};
use super::keymap::KeyMap;
use super::msg::{BusEvent, Message, Payload};
use super::node::{Call, Ctx};
use serde::{Deserialize, Serialize};

mod fact;
mod session;
use super::commit_log::open_stream;
pub use super::commit_log::LogEntry;
pub use fact::DbFact;

/// A row of the outbox table, with the columns of Debezium's outbox event router:
/// `id`, `aggregatetype`, `aggregateid`, `type`, `payload`; and the `published` flag a
/// polling relay sets once it has published the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OutboxRow {
    pub ev: BusEvent,
    pub published: bool,
}

impl OutboxRow {
    pub fn id(&self) -> String {
        self.ev.id.to_string()
    }
    pub fn aggregate_type(&self) -> &'static str {
        "user"
    }
    pub fn aggregate_id(&self) -> String {
        self.ev.key.0.to_string()
    }
    pub fn kind(&self) -> &'static str {
        "UserUpdated"
    }
    pub fn payload(&self) -> String {
        format!(
            "{{\"id\":{},\"version\":\"{}\"}}",
            self.ev.key.0, self.ev.version
        )
    }
}

/// How long the database takes to answer: a read, and a write (which waits for its
/// log flush).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DbLatency {
    pub read_ms: u64,
    pub write_ms: u64,
    /// The delay of a replication stream: how far behind a replica applies a change.
    #[serde(default)]
    pub lag_ms: u64,
    /// The delay of the change-data-capture stream to the `invalidator`.
    #[serde(default)]
    pub cdc_ms: u64,
}

impl DbLatency {
    /// How long a change of the log takes to reach `to`: a replica's lag, or the
    /// invalidator's delay.
    pub fn stream_ms(&self, to: NodeId) -> u64 {
        match to {
            NodeId::Invalidator(_) => self.cdc_ms,
            _ => self.lag_ms,
        }
    }
}

/// An open transaction: `client`'s update of `key`, not yet visible to anyone else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Txn {
    pub client: NodeId,
    pub flow: Option<FlowId>,
    pub key: Key,
    /// The version the row has inside the transaction.
    pub version: Version,
    /// The service whose connection (session) it is open on: its close rolls it back.
    #[serde(default = "first_service")]
    pub from: NodeId,
}

fn first_service() -> NodeId {
    NodeId::SERVICE
}

/// Hashed as before `from` was kept: a client's requests all go through its one
/// service (the topology's route), so `from` follows from `client`, and the
/// fingerprints of states with an open transaction stand (`canon/words.rs`).
impl std::hash::Hash for Txn {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.client, self.flow, self.key, self.version).hash(h);
    }
}

/// A transaction's `UPDATE` waiting for the row lock another open transaction holds
/// on its row (as Postgres and InnoDB make a second writer of a row wait): it runs
/// when that one commits or rolls back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LockWait {
    /// The service that sent the `UPDATE`, to answer.
    pub from: NodeId,
    pub client: NodeId,
    pub flow: Option<FlowId>,
    pub key: Key,
}

#[derive(Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Db {
    /// Its settings, not its data: fixed for a run.
    #[serde(default)]
    pub latency: DbLatency,
    pub rows: KeyMap<Key, Version>,
    /// The log sequence number of the last change (the seed rows take 1..n).
    pub lsn: u32,
    pub outbox: Vec<OutboxRow>,
    /// Open transactions, oldest first: their changes are not rows yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub txns: Vec<Txn>,
    /// The commit log, oldest first, kept while a replica streams it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<LogEntry>,
    /// The replicas the primary streams its commit log to, each with the number of
    /// its connection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streams: Vec<(NodeId, u32)>,
    /// `UPDATE`s waiting for a row lock, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lock_waits: Vec<LockWait>,
    /// Per key, the highest version a rolled-back transaction had: never given again,
    /// so a copy of the rolled-back value is never mistaken for a later commit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rolled_back: Vec<(Key, Version)>,
    /// The relay that LISTENs for its commits' NOTIFY (a setting, fixed for a run;
    /// `None`: no relay reads its outbox).
    #[serde(skip, default = "first_relay")]
    pub relay: Option<NodeId>,
}

clone_fields!(Db {
    latency,
    rows,
    lsn,
    outbox,
    txns,
    log,
    streams,
    lock_waits,
    rolled_back,
    relay,
});

fn first_relay() -> Option<NodeId> {
    Some(NodeId::RELAY)
}

impl Db {
    /// Every key starts at `v1`.
    pub fn with_keys(keys: impl IntoIterator<Item = Key>) -> Db {
        let rows: KeyMap<Key, Version> = keys.into_iter().map(|k| (k, Version(1))).collect();
        let lsn = rows.len() as u32;
        Db {
            latency: DbLatency::default(),
            rows,
            lsn,
            outbox: Vec::new(),
            txns: Vec::new(),
            log: Vec::new(),
            streams: Vec::new(),
            lock_waits: Vec::new(),
            rolled_back: Vec::new(),
            relay: first_relay(),
        }
    }

    /// The same, its log sequence numbers starting after `base` (a second primary's:
    /// `world/pipeline.rs`).
    pub fn numbered_from(mut self, base: u32) -> Db {
        self.lsn += base;
        self
    }

    /// Opens `client`'s transaction on `key` (its `UPDATE` holds the row lock) and
    /// answers `from` with the version the row has inside it.
    fn open_txn(
        &mut self,
        ctx: &mut Ctx,
        from: NodeId,
        flow: Option<FlowId>,
        key: Key,
        client: NodeId,
    ) -> DbFact {
        let committed = self.read(key);
        let version = self.next_version(key);
        self.txns.push(Txn {
            client,
            flow,
            key,
            version,
            from,
        });
        let reply = Payload::TxUpdated { key, version };
        ctx.send(from, flow, reply, self.latency.write_ms);
        DbFact::TxUpdated {
            client,
            key,
            version,
            committed,
        }
    }

    /// The row lock on `key` is free (its transaction committed or rolled back): the
    /// oldest `UPDATE` waiting for it runs now. Returns its client, if one waited.
    pub(crate) fn grant(&mut self, ctx: &mut Ctx, key: Key) -> Option<NodeId> {
        if self.txns.iter().any(|t| t.key == key) {
            return None;
        }
        let at = self.lock_waits.iter().position(|w| w.key == key)?;
        let w = self.lock_waits.remove(at);
        let fact = self.open_txn(ctx, w.from, w.flow, key, w.client);
        ctx.fact(fact);
        Some(w.client)
    }

    /// Rolls back `client`'s open transaction: its change is discarded, as if it had
    /// never been made. Returns it.
    pub fn abort(&mut self, client: NodeId) -> Option<Txn> {
        let at = self.txns.iter().position(|t| t.client == client)?;
        let t = self.txns.remove(at);
        self.burn(t);
        Some(t)
    }

    /// Remembers a rolled-back transaction's version, so it is not given again.
    pub(super) fn burn(&mut self, t: Txn) {
        match self.rolled_back.iter_mut().find(|(k, _)| *k == t.key) {
            Some((_, v)) => *v = (*v).max(t.version),
            None => self.rolled_back.push((t.key, t.version)),
        }
    }

    /// The version the next change of `key` gets: after the committed one, and after
    /// any a rolled-back transaction had.
    fn next_version(&self, key: Key) -> Version {
        let burned = self
            .rolled_back
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(Version(0), |(_, v)| *v);
        Version(self.read(key).max(burned).0 + 1)
    }

    /// Keeps the change just committed in the log, if a replica streams it, and
    /// sends it down every stream (asynchronous: the commit does not wait).
    fn stream(&mut self, ctx: &mut Ctx, key: Key, version: Version) {
        if self.streams.is_empty() {
            return;
        }
        let lsn = self.lsn;
        self.log.push(LogEntry { lsn, key, version });
        for (to, conn) in &self.streams {
            let lag_ms = self.latency.stream_ms(*to);
            let change = Payload::Change {
                lsn,
                key,
                version,
                conn: *conn,
            };
            ctx.send(*to, None, change, lag_ms);
            ctx.fact(DbFact::Streamed {
                lsn,
                to: *to,
                lag_ms,
            });
        }
    }

    pub fn read(&self, key: Key) -> Version {
        self.rows.get(&key).copied().unwrap_or(Version(0))
    }

    /// Commits the next version of the row and returns it, with the change's id.
    pub fn commit(&mut self, key: Key) -> (Version, EventId) {
        let next = self.next_version(key);
        self.rows.insert(key, next);
        self.lsn += 1;
        (next, EventId(self.lsn))
    }

    /// Commits the row and its outbox row in one transaction: both or neither.
    pub fn commit_with_outbox(&mut self, key: Key) -> BusEvent {
        let (version, id) = self.commit(key);
        let ev = BusEvent { id, key, version };
        self.outbox.push(OutboxRow {
            ev,
            published: false,
        });
        ev
    }

    /// A write-behind flush: stores `version` unless the row already has a newer one
    /// (a conditional update). Returns whether it wrote.
    pub fn put(&mut self, key: Key, version: Version) -> bool {
        if self.read(key) >= version {
            return false;
        }
        self.rows.insert(key, version);
        self.lsn += 1;
        true
    }
}

impl Db {
    /// A message reaches the database.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        let lat = self.latency;
        let to = msg.from;
        let fact = match msg.payload {
            Payload::DbRead { key } => {
                let version = self.read(key);
                let reply = Payload::DbReadReply { key, version };
                ctx.send(to, msg.flow, reply, lat.read_ms);
                DbFact::Read { key, version }
            }
            // The row exists: the INSERT breaks its primary key's unique constraint, and
            // the statement's transaction is rolled back (Postgres' `unique_violation`,
            // MySQL's `ER_DUP_ENTRY`): nothing commits, the sender gets the error.
            Payload::DbInsert { key } if self.read(key) > Version(0) => {
                ctx.send(to, msg.flow, Payload::TxRolledBack { key }, lat.write_ms);
                DbFact::DuplicateKey {
                    key,
                    existing: self.read(key),
                }
            }
            Payload::DbWrite { key, .. } | Payload::DbInsert { key } => {
                let outbox = matches!(msg.payload, Payload::DbWrite { outbox: true, .. });
                let (version, event) = if outbox {
                    let ev = self.commit_with_outbox(key);
                    (ev.version, ev.id)
                } else {
                    self.commit(key)
                };
                let reply = Payload::DbWriteReply {
                    key,
                    version,
                    event,
                };
                ctx.send(to, msg.flow, reply, lat.write_ms);
                if outbox {
                    // The commit NOTIFYs the relay over its LISTEN connection.
                    if let Some(relay) = self.relay {
                        ctx.call(relay, Call::Notify);
                    }
                }
                ctx.fact(DbFact::Committed {
                    key,
                    version,
                    event,
                    outbox,
                    insert: matches!(msg.payload, Payload::DbInsert { .. }),
                });
                self.stream(ctx, key, version);
                return;
            }
            Payload::DbPut { key, version } => {
                let wrote = self.put(key, version);
                ctx.send(
                    to,
                    msg.flow,
                    Payload::DbPutReply { key, version },
                    lat.write_ms,
                );
                ctx.fact(DbFact::Put {
                    key,
                    version,
                    wrote,
                });
                if wrote {
                    self.stream(ctx, key, version);
                }
                return;
            }
            Payload::OutboxPoll => match self.outbox.iter().find(|r| !r.published).copied() {
                Some(row) => {
                    ctx.send(to, None, Payload::OutboxRow { ev: row.ev }, lat.read_ms);
                    DbFact::OutboxRow { row }
                }
                None => {
                    ctx.send(to, None, Payload::OutboxEmpty, lat.read_ms);
                    DbFact::OutboxEmpty
                }
            },
            Payload::Mark { ev } => {
                if let Some(row) = self.outbox.iter_mut().find(|r| r.ev.id == ev.id) {
                    row.published = true;
                }
                ctx.send(to, None, Payload::Marked { ev }, lat.write_ms);
                DbFact::Marked { event: ev.id }
            }
            Payload::TxUpdate { key, client } => {
                match self.txns.iter().find(|t| t.key == key).map(|t| t.client) {
                    Some(holder) => {
                        self.lock_waits.push(LockWait {
                            from: to,
                            client,
                            flow: msg.flow,
                            key,
                        });
                        DbFact::TxWaits {
                            client,
                            key,
                            holder,
                        }
                    }
                    None => self.open_txn(ctx, to, msg.flow, key, client),
                }
            }
            Payload::TxCommit { key } => {
                let Some(at) = self.txns.iter().position(|t| t.flow == msg.flow) else {
                    ctx.send(to, msg.flow, Payload::TxRolledBack { key }, lat.write_ms);
                    ctx.fact(DbFact::TxGone {
                        key,
                        committed: self.read(key),
                    });
                    return;
                };
                self.txns.remove(at);
                let (version, event) = self.commit(key);
                let reply = Payload::DbWriteReply {
                    key,
                    version,
                    event,
                };
                ctx.send(to, msg.flow, reply, lat.write_ms);
                ctx.fact(DbFact::TxCommitted {
                    key,
                    version,
                    event,
                });
                self.stream(ctx, key, version);
                self.grant(ctx, key);
                return;
            }
            Payload::Closed => return self.session_ended(ctx, msg.from),
            Payload::Replicate { from_lsn, conn } => {
                let who = msg.from;
                let delay_ms = lat.stream_ms(who);
                let resent = open_stream(
                    &mut self.streams,
                    &self.log,
                    ctx,
                    who,
                    from_lsn,
                    conn,
                    delay_ms,
                );
                DbFact::Streaming {
                    to: who,
                    from_lsn,
                    resent,
                }
            }
            payload => DbFact::Ignored { payload },
        };
        ctx.fact(fact);
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Db {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Db::on_msg(self, ctx, msg)
    }
    // A crash loses nothing committed (it is on disk); an open transaction rolls back.
    // The `UPDATE`s waiting for a row lock are lost with their connections.
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        for t in std::mem::take(&mut self.txns) {
            self.burn(t);
        }
        self.lock_waits.clear();
    }
}
