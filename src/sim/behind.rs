//! Write-behind's flusher as a node: a worker beside the cache that writes the cache's
//! queue to the database later, in batches, one database write per key however many
//! writes the key had (the cache coalesces them). The queue is in the cache's memory
//! (`cache_behind.rs`): the flusher reads it over a local connection within the step
//! (`Call`), takes a batch, writes it, and tells the cache what the database has. Its
//! own state is only whether a run is planned: a crash loses nothing but its schedule.
use super::ids::NodeId;
use super::msg::{Message, Payload};
use super::node::{Call, Ctx};
use super::parts::{Said, TimerKind};

/// How the flusher works and whom it talks to: fixed for a run. Times in virtual ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlusherSettings {
    /// The cache whose queue it flushes.
    pub cache: NodeId,
    /// The database it writes.
    pub db: NodeId,
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
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) -> Said {
        if kind != TimerKind::Flush {
            return said!(ctx, "ignored", "");
        }
        self.planned = false;
        let max = self.settings.batch_size;
        ctx.call(self.settings.cache, Call::TakeBatch { max });
        Said::silent()
    }

    /// The database's answer to one of its writes.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> Said {
        match msg.payload {
            Payload::DbPutReply { key, version } => {
                ctx.call(self.settings.cache, Call::Flushed { key, version });
                said!(ctx,
                    text!(ctx, "flushed {version}"),
                    text!(ctx, "{key} = {version} is in the database: the flusher removes it from the queue."),
                )
            }
            other => said!(
                ctx,
                "ignored",
                text!(ctx, "The flusher does not expect {other}.")
            ),
        }
    }

    /// The cache answers over their connection: work to plan, or a batch to write.
    pub(crate) fn on_call(&mut self, ctx: &mut Ctx, from: NodeId, call: Call) -> Said {
        match call {
            Call::QueueWork if !self.planned => {
                let at = ctx.now_ms + self.settings.flush_delay_ms;
                ctx.set_timer(at, TimerKind::Flush);
                self.planned = true;
                said!(ctx, "", text!(ctx, " The flusher will run at {at} ms."))
            }
            Call::Batch { items, left } => self.write_batch(ctx, &items, left),
            Call::Unreachable => {
                // The queue is out of reach (its cache is down or paused): try later.
                let at = ctx.now_ms + self.settings.flush_delay_ms;
                ctx.set_timer(at, TimerKind::Flush);
                self.planned = true;
                said!(ctx,
                    "queue unreachable",
                    text!(ctx, "The flusher cannot reach the queue: {from} is not running. It tries again at {at} ms."),
                )
            }
            _ => Said::silent(),
        }
    }

    /// Writes the batch the cache handed it, one database write per key.
    fn write_batch(
        &mut self,
        ctx: &mut Ctx,
        items: &[(super::ids::Key, super::ids::Version)],
        left: usize,
    ) -> Said {
        if items.is_empty() {
            return said!(
                ctx,
                "nothing to flush",
                "The flusher finds the queue empty: nothing to write.",
            );
        }
        let mut sent = Vec::new();
        for &(key, version) in items {
            ctx.send(
                self.settings.db,
                None,
                Payload::DbPut { key, version },
                self.settings.db_write_ms,
            );
            sent.push(text!(ctx, "{key}={version}"));
        }
        let batch = self.settings.batch_size;
        let more = if left > 0 {
            text!(
                ctx,
                " {left} more {} for the next batch.",
                if left == 1 { "waits" } else { "wait" }
            )
        } else {
            String::new()
        };
        said!(ctx,
            text!(ctx, "flush {}", sent.len()),
            text!(ctx,
                "The flusher takes a batch of {} (at most {batch}) from the queue and writes it to the database: {}.{more}",
                sent.len(),
                sent.join(", ")
            ),
        )
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
