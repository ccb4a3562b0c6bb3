//! A read replica of a primary (`db`, or `db-2` …): a copy of its rows that applies its
//! commit log in commit order, from its own position, over an ordered connection
//! whose delay is the replica's lag. As MySQL and Postgres replicate by default, the
//! replication is asynchronous: the primary acknowledges a commit before any replica
//! has it, so a read of the replica can return a version the primary has replaced.
//!
//! A node in the shape of `node.rs`: it answers reads with its own rows, applies the
//! changes the primary streams to it, and after a restart (or a gap) opens a new
//! connection and asks the primary to stream again from its position (Postgres's
//! `START_REPLICATION` from an LSN, MySQL's binlog dump from a position); a change
//! from a connection it has replaced is ignored. Its rows and its position are on
//! disk: a crash loses only the changes in flight, which the primary sends again.
use super::ids::{Key, NodeId, Version};
use super::keymap::KeyMap;
use super::msg::{Message, Payload};
use super::node::Ctx;
use serde::{Deserialize, Serialize};

/// What the replica did with a message, for the books and the narration
/// (`narrate/replica.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicaFact {
    /// A row was read (a `replica-reads`), as of change `position`.
    Read {
        key: Key,
        version: Version,
        position: u32,
    },
    /// The change at `lsn` was applied.
    Applied {
        lsn: u32,
        key: Key,
        version: Version,
    },
    /// A change it has applied already (sent again after a reconnect).
    Skipped {
        lsn: u32,
        position: u32,
    },
    /// A change from a connection it has replaced.
    OldConnection {
        lsn: u32,
    },
    /// A change arrived after a gap: not applied; it reconnects from `position`.
    Gap {
        lsn: u32,
        position: u32,
    },
    /// Back after a crash: it reconnects from `position`.
    Reconnected {
        position: u32,
    },
    /// The change it just applied went on down its own log's stream to `to` (MySQL's
    /// `log_replica_updates`: a replica writes its own binlog, which a reader in its
    /// region can tail), arriving `delay_ms` later.
    PassedOn {
        lsn: u32,
        to: NodeId,
        delay_ms: u64,
    },
    /// A reader of its log asked for it after `from_lsn`: `resent` changes go again.
    Streaming {
        to: NodeId,
        from_lsn: u32,
        resent: u32,
    },
    Ignored {
        payload: Payload,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Replica {
    /// The primary whose commit log it applies (a setting: `db`, or `db-2` for a
    /// replica of the second shard).
    #[serde(default = "first_db")]
    pub primary: NodeId,
    pub rows: KeyMap<Key, Version>,
    /// The log sequence number of the last change applied.
    pub position: u32,
    /// The number of its connection to the primary: each reconnect opens a new one.
    pub conn: u32,
    /// How long a read takes to answer (a setting, fixed for a run).
    pub read_ms: u64,
    /// Its own commit log, the changes it applied, oldest first: kept while a reader
    /// (the region's `invalidator`) streams it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<super::commit_log::LogEntry>,
    /// The readers of its log, each with the number of its connection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streams: Vec<(NodeId, u32)>,
    /// How long a change of its log takes to reach a reader (a setting).
    #[serde(default)]
    pub stream_ms: u64,
}

fn first_db() -> NodeId {
    NodeId::DB
}

impl Default for Replica {
    fn default() -> Replica {
        Replica::caught_up(NodeId::DB, KeyMap::new(), 0, 0)
    }
}

impl Replica {
    /// A replica of `primary` caught up with its `rows` at `position`.
    pub fn caught_up(
        primary: NodeId,
        rows: KeyMap<Key, Version>,
        position: u32,
        read_ms: u64,
    ) -> Replica {
        Replica {
            primary,
            rows,
            position,
            conn: 0,
            read_ms,
            log: Vec::new(),
            streams: Vec::new(),
            stream_ms: 0,
        }
    }

    pub fn read(&self, key: Key) -> Version {
        self.rows.get(&key).copied().unwrap_or(Version(0))
    }

    /// A message reaches the replica.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        let position = self.position;
        let fact = match msg.payload {
            Payload::DbRead { key } => {
                let version = self.read(key);
                let reply = Payload::DbReadReply { key, version };
                ctx.send(msg.from, msg.flow, reply, self.read_ms);
                ReplicaFact::Read {
                    key,
                    version,
                    position,
                }
            }
            Payload::Change { conn, lsn, .. } if conn != self.conn => {
                ReplicaFact::OldConnection { lsn }
            }
            Payload::Change { lsn, .. } if lsn <= position => {
                ReplicaFact::Skipped { lsn, position }
            }
            Payload::Change {
                lsn, key, version, ..
            } if lsn == position + 1 => {
                self.rows.insert(key, version);
                self.position = lsn;
                ctx.fact(ReplicaFact::Applied { lsn, key, version });
                self.pass_on(ctx, super::commit_log::LogEntry { lsn, key, version });
                return;
            }
            Payload::Replicate { from_lsn, conn } => {
                let who = msg.from;
                let resent = super::commit_log::open_stream(
                    &mut self.streams,
                    &self.log,
                    ctx,
                    who,
                    from_lsn,
                    conn,
                    self.stream_ms,
                );
                ReplicaFact::Streaming {
                    to: who,
                    from_lsn,
                    resent,
                }
            }
            Payload::Change { lsn, .. } => {
                self.reconnect(ctx);
                ReplicaFact::Gap { lsn, position }
            }
            payload => ReplicaFact::Ignored { payload },
        };
        ctx.fact(fact);
    }

    /// Writes the change it applied to its own log and streams it to its readers.
    fn pass_on(&mut self, ctx: &mut Ctx, e: super::commit_log::LogEntry) {
        if self.streams.is_empty() {
            return;
        }
        self.log.push(e);
        for (to, conn) in &self.streams {
            let change = Payload::Change {
                lsn: e.lsn,
                key: e.key,
                version: e.version,
                conn: *conn,
            };
            ctx.send(*to, None, change, self.stream_ms);
            ctx.fact(ReplicaFact::PassedOn {
                lsn: e.lsn,
                to: *to,
                delay_ms: self.stream_ms,
            });
        }
    }

    /// Back after a crash: its rows and position are on disk; it reconnects and asks
    /// for the log from its position.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        self.reconnect(ctx);
        ctx.fact(ReplicaFact::Reconnected {
            position: self.position,
        });
    }

    /// Opens a new connection to the primary, asking for the log after its position.
    fn reconnect(&mut self, ctx: &mut Ctx) {
        self.conn += 1;
        let ask = Payload::Replicate {
            from_lsn: self.position,
            conn: self.conn,
        };
        ctx.send(self.primary, None, ask, 1);
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Replica {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Replica::on_msg(self, ctx, msg)
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Replica::on_restart(self, ctx)
    }
}
