//! The `invalidator`: change data capture that tails one database's commit log (a
//! primary's, or its replica's in a second region) and deletes each changed key from the
//! cache nodes of its region, in commit order, as Debezium reads MySQL's binlog and as
//! Facebook's McSqueal turns it into memcache deletes ("Scaling Memcache at Facebook",
//! NSDI 2013).
//!
//! A node in the shape of `node.rs`. It reads the log from its own position over an
//! ordered connection and handles one change at a time: it sends the key's delete to
//! every cache of its region, and only when each has answered does it record the
//! change's lsn as its position, on disk (Debezium commits its offset after the
//! record is handled). So a crash loses only what it held in memory (the changes
//! received and not yet done); after its restart it asks for the log again from its
//! position, and a change whose delete was under way is deleted again (a delete is
//! idempotent): none is missed. A delete not answered within `retry_ms` is sent again.
//! Its sentences are in `narrate/invalidator.rs`.
use super::commit_log::LogEntry;
use super::ids::{Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::node::{Actor, Ctx};
use super::parts::TimerKind;
use serde::{Deserialize, Serialize};

/// Whom it reads and deletes from, and its hops: fixed for a run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvalidatorSettings {
    /// The database whose commit log it tails (`db`, or a replica).
    pub source: NodeId,
    /// The primary whose changes it reads (`source` or the primary `source` follows).
    pub primary: NodeId,
    /// The cache nodes of its region, each sent every delete.
    pub caches: Vec<NodeId>,
    pub cache_ms: u64,
    pub retry_ms: u64,
    /// Deletes carry the change's version (the caches keep tombstones).
    pub versioned: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Invalidator {
    /// The lsn of the last change whose deletes every cache acknowledged: on disk.
    pub position: u32,
    /// The lsn of the last change it received on its current connection (memory).
    pub received: u32,
    /// The number of its connection to the log: each reconnect opens a new one.
    pub conn: u32,
    /// Changes received and not yet done, oldest first; the first is being deleted.
    pub queue: Vec<LogEntry>,
    /// The caches whose answer to the first change's delete it still waits for.
    pub waiting: Vec<NodeId>,
    pub settings: InvalidatorSettings,
}

/// What the invalidator did, for the books and the narration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidatorFact {
    /// The change at `lsn` arrived and its delete went to `caches` caches.
    Deleting {
        lsn: u32,
        key: Key,
        version: Version,
        caches: usize,
    },
    /// The change at `lsn` arrived while an earlier one is under way: it waits its
    /// turn (`ahead` changes before it).
    Queued {
        lsn: u32,
        key: Key,
        ahead: usize,
    },
    /// A cache answered the delete of `key`; `left` caches still to answer.
    Acked {
        key: Key,
        from: NodeId,
        left: usize,
    },
    /// Every cache answered: `lsn` is its position now, on disk. `next`: the delete
    /// of the next queued change went out.
    Done {
        lsn: u32,
        key: Key,
        next: Option<(u32, Key)>,
    },
    /// A change it had received already (sent again after a reconnect).
    Skipped {
        lsn: u32,
        received: u32,
    },
    /// A change from a connection it has replaced.
    OldConnection {
        lsn: u32,
    },
    /// A change after a gap: it reconnects from `received`.
    Gap {
        lsn: u32,
        received: u32,
    },
    /// A delete had no answer in time: sent again to `caches` caches.
    Retried {
        key: Key,
        caches: usize,
    },
    /// Back after a crash: it asks for the log from `position`.
    Reconnected {
        position: u32,
        source: NodeId,
    },
    /// Its retry timer found nothing under way.
    Idle,
    Ignored {
        payload: Payload,
    },
}

impl Invalidator {
    /// At `position` in `settings.source`'s log, its connection open.
    pub fn new(position: u32, settings: InvalidatorSettings) -> Invalidator {
        Invalidator {
            position,
            received: position,
            conn: 0,
            queue: Vec::new(),
            waiting: Vec::new(),
            settings,
        }
    }

    /// Sends the first queued change's delete to every cache of its region.
    fn start(&mut self, ctx: &mut Ctx) -> Option<LogEntry> {
        let e = *self.queue.first()?;
        self.waiting = self.settings.caches.clone();
        self.send_deletes(ctx, e);
        Some(e)
    }

    fn send_deletes(&self, ctx: &mut Ctx, e: LogEntry) {
        let version = self.settings.versioned.then_some(e.version);
        for cache in &self.waiting {
            let del = Payload::Del {
                key: e.key,
                version,
            };
            ctx.send(*cache, None, del, self.settings.cache_ms);
        }
        ctx.cancel(TimerKind::InvalidateRetry);
        ctx.set_timer(
            ctx.now_ms + self.settings.retry_ms,
            TimerKind::InvalidateRetry,
        );
    }

    /// Opens a new connection to its source, asking for the log after `from_lsn`.
    fn reconnect(&mut self, ctx: &mut Ctx, from_lsn: u32) {
        self.conn += 1;
        let ask = Payload::Replicate {
            from_lsn,
            conn: self.conn,
        };
        ctx.send(self.settings.source, None, ask, 1);
    }

    fn change(&mut self, ctx: &mut Ctx, e: LogEntry) -> InvalidatorFact {
        let LogEntry { lsn, key, version } = e;
        self.received = lsn;
        self.queue.push(e);
        if self.queue.len() == 1 {
            self.start(ctx);
            InvalidatorFact::Deleting {
                lsn,
                key,
                version,
                caches: self.waiting.len(),
            }
        } else {
            InvalidatorFact::Queued {
                lsn,
                key,
                ahead: self.queue.len() - 1,
            }
        }
    }

    fn del_reply(&mut self, ctx: &mut Ctx, key: Key, from: NodeId) -> InvalidatorFact {
        let current = self.queue.first().copied();
        let Some(e) = current.filter(|e| e.key == key && self.waiting.contains(&from)) else {
            return InvalidatorFact::Ignored {
                payload: Payload::DelReply { key },
            };
        };
        self.waiting.retain(|c| *c != from);
        if !self.waiting.is_empty() {
            return InvalidatorFact::Acked {
                key,
                from,
                left: self.waiting.len(),
            };
        }
        ctx.cancel(TimerKind::InvalidateRetry);
        self.position = e.lsn;
        self.queue.remove(0);
        let next = self.start(ctx).map(|n| (n.lsn, n.key));
        InvalidatorFact::Done {
            lsn: e.lsn,
            key,
            next,
        }
    }
}

impl Actor for Invalidator {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        let received = self.received;
        let fact = match msg.payload {
            Payload::Change { conn, lsn, .. } if conn != self.conn => {
                InvalidatorFact::OldConnection { lsn }
            }
            Payload::Change { lsn, .. } if lsn <= received => {
                InvalidatorFact::Skipped { lsn, received }
            }
            Payload::Change {
                lsn, key, version, ..
            } if lsn == received + 1 => self.change(ctx, LogEntry { lsn, key, version }),
            Payload::Change { lsn, .. } => {
                self.reconnect(ctx, received);
                InvalidatorFact::Gap { lsn, received }
            }
            Payload::DelReply { key } => self.del_reply(ctx, key, msg.from),
            payload => InvalidatorFact::Ignored { payload },
        };
        ctx.fact(fact);
    }

    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        if timer != TimerKind::InvalidateRetry {
            return;
        }
        match self.queue.first().copied() {
            Some(e) => {
                self.send_deletes(ctx, e);
                ctx.fact(InvalidatorFact::Retried {
                    key: e.key,
                    caches: self.waiting.len(),
                });
            }
            None => ctx.fact(InvalidatorFact::Idle),
        }
    }

    /// Its memory is gone: the changes received and not done. Its position is on disk.
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        self.queue.clear();
        self.waiting.clear();
        self.received = self.position;
    }

    fn on_restart(&mut self, ctx: &mut Ctx) {
        self.reconnect(ctx, self.position);
        ctx.fact(InvalidatorFact::Reconnected {
            position: self.position,
            source: self.settings.source,
        });
    }
}
