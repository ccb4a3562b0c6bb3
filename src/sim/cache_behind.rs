//! The cache's side of write-behind: it takes a write, stores it, queues it and
//! acknowledges at once; its flusher (`behind.rs`) reads the queue over a local
//! connection (`Call`) and tells it what the database has. The queue is in the cache's
//! memory: a crash loses it, unless it is durable, which costs a disk write before
//! every ack and is replayed after a restart.
use super::cache::{Cache, Entry};
use super::cache_node::CacheFact;
use super::config::NO_TTL;
use super::ids::{Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::node::{Call, Ctx};
use serde::{Deserialize, Serialize};

/// How the cache's write-behind queue works: fixed for a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QueueSettings {
    /// Each write goes to a log on disk before the ack.
    pub durable: bool,
    /// What that disk write costs, in ms, added to the ack.
    pub disk_ms: u64,
    /// Its flusher.
    pub flusher: NodeId,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            durable: false,
            disk_ms: 0,
            flusher: NodeId::FLUSHER,
        }
    }
}

impl Cache {
    /// The newest version of `key` the cache knows of: its entry, its queue, and what
    /// the database confirmed (a value's version names it: a new write takes the next).
    fn newest_known(&self, key: Key, now_ms: u64) -> Version {
        let current = [
            self.live(key, now_ms).map(|e| e.version),
            self.queued(key),
            self.known.get(&key).copied(),
        ];
        current.into_iter().flatten().max().unwrap_or(Version(0))
    }

    /// A write-behind write arrives: store it, queue it, acknowledge it.
    pub(crate) fn on_wb_write(&mut self, ctx: &mut Ctx, msg: &Message) {
        let key = msg.payload.key();
        let version = Version(self.newest_known(key, ctx.now_ms).0 + 1);
        let expires = self.fill_expiry(ctx.now_ms);
        self.entries.insert(
            key,
            Entry {
                version,
                expires_ms: expires,
                delta_ms: 0,
            },
        );
        self.schedule_expiry(ctx, key, expires);
        let q = self.behind;
        let coalesced = self.enqueue(key, version, q.durable);
        let lat = self.settings.reply_ms + if q.durable { q.disk_ms } else { 0 };
        ctx.send(msg.from, msg.flow, Payload::WbAck { key, version }, lat);
        let fact = CacheFact::WbQueued {
            key,
            version,
            coalesced,
            durable: q.durable,
            disk_ms: q.disk_ms,
        };
        ctx.fact(fact);
        self.track(ctx, msg.from, fact);
        ctx.call(q.flusher, Call::QueueWork);
    }

    /// Its flusher asks over their connection: a batch, a write done, a restart.
    pub(crate) fn on_call(&mut self, ctx: &mut Ctx, from: NodeId, call: Call) {
        match call {
            Call::TakeBatch { max } => {
                let mut items = Vec::new();
                for q in self.queue.iter_mut() {
                    if items.len() >= max {
                        break;
                    }
                    if !q.in_flight {
                        q.in_flight = true;
                        items.push((q.key, q.version));
                    }
                }
                let left = self.queue.iter().filter(|q| !q.in_flight).count();
                ctx.call(from, Call::Batch { items, left });
            }
            Call::Flushed { key, version } => {
                let again = self.known.get(&key).is_some_and(|k| *k >= version);
                if !self.flushed(key, version) {
                    ctx.fact(CacheFact::WbGone {
                        key,
                        version,
                        again,
                    });
                }
                let known = self.known.or_insert(key, version);
                *known = (*known).max(version);
                self.wake(ctx);
            }
            Call::Requeue => {
                for q in &mut self.queue {
                    q.in_flight = false;
                }
                self.wake(ctx);
            }
            _ => {}
        }
    }

    /// Tells the flusher when the queue has writes waiting.
    fn wake(&self, ctx: &mut Ctx) {
        if self.queue.iter().any(|q| !q.in_flight) {
            ctx.call(self.behind.flusher, Call::QueueWork);
        }
    }

    /// It restarts with what its disk kept: the write-behind log is replayed into the
    /// cache and the queue.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        let log = self.log.clone();
        for (key, version) in &log {
            let expires = self.fill_expiry(ctx.now_ms);
            self.entries.insert(
                *key,
                Entry {
                    version: *version,
                    expires_ms: expires,
                    delta_ms: 0,
                },
            );
            if expires != NO_TTL {
                self.schedule_expiry(ctx, *key, expires);
            }
            self.enqueue(*key, *version, false);
        }
        self.wake(ctx);
    }
}
