//! Write-behind: the cache takes a write, queues it and acknowledges at once; the
//! flusher, a worker beside the cache, writes the queue to the database later, in
//! batches, one database write per key however many writes the key had (coalescing).
//! The queue is in the cache's memory: a crash loses it, unless it is durable, which
//! costs a disk write before every ack and is replayed after a restart.
use super::ids::{NodeId, Version};
use super::msg::{Message, Payload};
use super::world::{Said, TimerKind, World};

/// The cache takes a write-behind write.
pub(crate) fn cache_write(w: &mut World, msg: &Message) -> Said {
    let key = msg.payload.key();
    let now = w.now_ms;
    let current = [
        w.cache.live(key, now).map(|e| e.version),
        w.cache.queued(key),
        Some(w.db.read(key)),
    ];
    let version = Version(current.iter().flatten().max().map_or(1, |v| v.0 + 1));
    let expires = w.fill_expiry();
    w.cache.entries.insert(
        key,
        super::cache::Entry {
            version,
            expires_ms: expires,
            delta_ms: 0,
        },
    );
    w.schedule_expiry(key, expires);
    let cfg = w.config.behind;
    let coalesced = w.cache.enqueue(key, version, cfg.durable);
    let lat = w.config.latency.cache_ms + if cfg.durable { cfg.disk_ms } else { 0 };
    w.send(
        NodeId::Cache,
        msg.from,
        msg.flow,
        Payload::WbAck { key, version },
        lat,
    );
    let queued = if coalesced {
        text!(
            w,
            " {key} was already queued: the queue now holds only {version} for it (coalescing)."
        )
    } else {
        text!(w, " It queues {key} = {version} for the flusher.")
    };
    let disk = if cfg.durable {
        text!(w, " Before the ack it appends the write to its log on disk ({} ms): the ack now survives a crash.", cfg.disk_ms)
    } else {
        text!(
            w,
            " The queue is only in memory: until it is flushed, the write exists nowhere else."
        )
    };
    let wake = wake_flusher(w);
    said!(w,
        text!(w, "queued {version}"),
        text!(w, "The cache stores {key} = {version} and acknowledges the write at once.{queued}{disk}{wake}"),
    )
}

/// Schedules the flusher if the queue has work and no flush is planned.
pub(crate) fn wake_flusher(w: &mut World) -> String {
    let waiting = w.cache.queue.iter().any(|q| !q.in_flight);
    let planned = w.timers.iter().any(|t| t.kind == TimerKind::Flush);
    if !waiting || planned || !w.is_up(NodeId::Flusher) {
        return String::new();
    }
    let at = w.now_ms + w.config.behind.flush_delay_ms;
    w.add_timer(NodeId::Flusher, at, TimerKind::Flush);
    text!(w, " The flusher will run at {at} ms.")
}

pub(crate) fn flush(w: &mut World) -> Said {
    let batch = w.config.behind.batch_size;
    let lat = w.config.latency.db_write_ms;
    let mut sent = Vec::new();
    for i in 0..w.cache.queue.len() {
        if sent.len() >= batch {
            break;
        }
        if w.cache.queue[i].in_flight {
            continue;
        }
        w.cache.queue[i].in_flight = true;
        let (key, version) = (w.cache.queue[i].key, w.cache.queue[i].version);
        w.send(
            NodeId::Flusher,
            NodeId::Db,
            None,
            Payload::DbPut { key, version },
            lat,
        );
        sent.push(text!(w, "{key}={version}"));
    }
    if sent.is_empty() {
        return said!(
            w,
            "nothing to flush",
            "The flusher finds the queue empty: nothing to write.",
        );
    }
    let left = w.cache.queue.iter().filter(|q| !q.in_flight).count();
    let more = if left > 0 {
        text!(
            w,
            " {left} more {} for the next batch.",
            if left == 1 { "waits" } else { "wait" }
        )
    } else {
        String::new()
    };
    said!(w,
        text!(w, "flush {}", sent.len()),
        text!(w,
            "The flusher takes a batch of {} (at most {batch}) from the queue and writes it to the database: {}.{more}",
            sent.len(),
            sent.join(", ")
        ),
    )
}

pub(crate) fn flusher_message(w: &mut World, msg: &Message) -> Said {
    match msg.payload {
        Payload::DbPutReply { key, version } => {
            w.cache.flushed(key, version);
            let wake = wake_flusher(w);
            said!(w,
                text!(w, "flushed {version}"),
                text!(w, "{key} = {version} is in the database: the flusher removes it from the queue.{wake}"),
            )
        }
        other => said!(
            w,
            "ignored",
            text!(w, "The flusher does not expect {other}.")
        ),
    }
}
