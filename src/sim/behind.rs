//! Write-behind's flusher as a node: a worker beside the cache that writes the cache's
//! queue to the database later, in batches, one database write per key however many
//! writes the key had (the cache coalesces them). The queue is in the cache's memory
//! (`cache_behind.rs`): the flusher reads it over a local connection within the step
//! (`Call`), takes a batch, writes it, and tells the cache what the database has. Its
//! own state is only whether a run is planned: a crash loses nothing but its schedule.
use super::ids::{Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::node::{Call, Ctx};
use super::parts::TimerKind;

/// What the flusher did, for the narration (`narrate/behind.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlusherFact {
    /// A timer that is not its flush.
    Stray,
    /// Told the queue has work, it plans a run at `at_ms`.
    Planned { at_ms: u64 },
    /// `cache` is not running: it tries again at `at_ms`.
    Unreachable { cache: NodeId, at_ms: u64 },
    /// The batch it got was empty.
    Empty,
    /// One write of its batch, sent to the database.
    Putting { key: Key, version: Version },
    /// Its batch is sent (the `Putting` facts before it); `left` wait for the next.
    BatchSent { left: usize, batch_size: usize },
    /// The database has `key` = `version`: it tells the cache.
    Flushed { key: Key, version: Version },
    /// A message it does not expect.
    Ignored { payload: Payload },
}

/// How the flusher works and whom it talks to: fixed for a run. Times in virtual ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlusherSettings {
    /// The cache whose queue it flushes.
    pub cache: NodeId,
    /// The database it writes.
    pub db: NodeId,
    /// Which primary owns each key: a key of another primary (a second shard) is put
    /// there.
    pub shards: super::config::Shards,
    /// It runs this long after it is told the queue has work.
    pub flush_delay_ms: u64,
    /// At most this many keys per run.
    pub batch_size: usize,
    pub db_write_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flusher {
    /// A run is planned (its `Flush` timer is set).
    pub planned: bool,
    pub settings: FlusherSettings,
}

impl Flusher {
    pub fn new(settings: FlusherSettings) -> Flusher {
        Flusher {
            planned: false,
            settings,
        }
    }

    /// Its timer fires: it asks the cache for a batch (the answer, `Call::Batch`, is
    /// where it says what it did).
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        if kind != TimerKind::Flush {
            ctx.fact(FlusherFact::Stray);
            return;
        }
        self.planned = false;
        let max = self.settings.batch_size;
        ctx.call(self.settings.cache, Call::TakeBatch { max });
    }

    /// The database's answer to one of its writes.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        match msg.payload {
            Payload::DbPutReply { key, version } => {
                ctx.call(self.settings.cache, Call::Flushed { key, version });
                ctx.fact(FlusherFact::Flushed { key, version });
            }
            payload => ctx.fact(FlusherFact::Ignored { payload }),
        }
    }

    /// The cache answers over their connection: work to plan, or a batch to write.
    pub(crate) fn on_call(&mut self, ctx: &mut Ctx, from: NodeId, call: Call) {
        match call {
            Call::QueueWork if !self.planned => {
                let at_ms = ctx.now_ms + self.settings.flush_delay_ms;
                ctx.set_timer(at_ms, TimerKind::Flush);
                self.planned = true;
                ctx.fact(FlusherFact::Planned { at_ms });
            }
            Call::Batch { items, left } => self.write_batch(ctx, &items, left),
            Call::Unreachable => {
                // The queue is out of reach (its cache is down or paused): try later.
                let at_ms = ctx.now_ms + self.settings.flush_delay_ms;
                ctx.set_timer(at_ms, TimerKind::Flush);
                self.planned = true;
                ctx.fact(FlusherFact::Unreachable { cache: from, at_ms });
            }
            _ => {}
        }
    }

    /// Writes the batch the cache handed it, one database write per key.
    fn write_batch(&mut self, ctx: &mut Ctx, items: &[(Key, Version)], left: usize) {
        if items.is_empty() {
            ctx.fact(FlusherFact::Empty);
            return;
        }
        for &(key, version) in items {
            let db = match self.settings.shards.owner(key) {
                NodeId::DB => self.settings.db,
                other => other,
            };
            ctx.send(
                db,
                None,
                Payload::DbPut { key, version },
                self.settings.db_write_ms,
            );
            ctx.fact(FlusherFact::Putting { key, version });
        }
        ctx.fact(FlusherFact::BatchSent {
            left,
            batch_size: self.settings.batch_size,
        });
    }

    /// It crashes: it keeps nothing (the queue is the cache's), so it loses only its
    /// plan.
    pub(crate) fn on_crash(&mut self) {
        self.planned = false;
    }

    /// It restarts: writes it had taken but not finished go back to the queue.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        ctx.call(self.settings.cache, Call::Requeue);
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Flusher {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Flusher::on_msg(self, ctx, msg)
    }
    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        Flusher::on_timer(self, ctx, timer)
    }
    fn on_call(&mut self, ctx: &mut Ctx, from: NodeId, call: super::node::Call) {
        Flusher::on_call(self, ctx, from, call)
    }
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        Flusher::on_crash(self)
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Flusher::on_restart(self, ctx)
    }
}
