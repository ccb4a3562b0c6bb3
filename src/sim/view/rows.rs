//! Each storage and pipeline node's state read into the view's rows: a primary's
//! committed rows, its open transactions and outbox, the bus's log and dead letters,
//! the write-behind queue, the consumer's memory. `View::of` reads the first of each
//! kind with them, `View::more` the ones beyond the first.
use super::*;
use crate::sim::bus::Bus;
use crate::sim::cache::Cache;
use crate::sim::consumer::Consumer;
use crate::sim::db::Db;

/// A primary's committed rows.
pub(super) fn rows(db: &Db) -> Vec<DbRowView> {
    db.rows
        .iter()
        .map(|(k, v)| DbRowView {
            key: k.to_string(),
            value: v.to_string(),
            version: v.0,
        })
        .collect()
}

/// A primary's open transactions' changes.
pub(super) fn uncommitted(db: &Db) -> Vec<String> {
    db.txns
        .iter()
        .map(|t| format!("{}: {} = {} uncommitted", t.client, t.key, t.version))
        .collect()
}

/// A bus's dead-letter queue.
pub(super) fn dlq(bus: &Bus) -> Vec<DlqView> {
    bus.dlq
        .iter()
        .map(|e| DlqView {
            event_id: e.ev.id.to_string(),
            key: e.ev.key.to_string(),
            value: e.ev.version.to_string(),
            version: e.ev.version.0,
            failures: e.failures,
        })
        .collect()
}

/// A cache node's write-behind queue.
pub(super) fn queue(cache: &Cache) -> Vec<QueueItemView> {
    cache
        .queue
        .iter()
        .map(|q| QueueItemView {
            key: q.key.to_string(),
            value: q.version.to_string(),
            version: q.version.0,
            in_flight: q.in_flight,
            durable: cache.log.contains(&(q.key, q.version)),
        })
        .collect()
}

/// A consumer's memory.
/// `unsubscribed`: its subscription to its bus is broken (`Fault::Disconnect`).
pub(super) fn consumer(c: &Consumer, unsubscribed: bool) -> ConsumerView {
    ConsumerView {
        unsubscribed,
        inbox: c.inbox.iter().map(|(ev, _)| ev.id.to_string()).collect(),
        handling: c.busy.map(|(ev, _, _)| ev.id.to_string()),
        // Only the memory the consumer really keeps: an idempotent consumer its
        // processed ids, a version-aware one the newest version applied per key. A
        // plain consumer remembers neither, so neither is shown.
        processed: c
            .processed
            .iter()
            .filter(|_| c.settings.idempotent)
            .map(|id| id.to_string())
            .collect(),
        applied: c
            .applied
            .iter()
            .filter(|_| c.settings.versioned)
            .map(|(k, v)| format!("{k}={v}"))
            .collect(),
    }
}

pub(super) fn outbox(db: &Db) -> Vec<OutboxRowView> {
    db.outbox
        .iter()
        .map(|r| OutboxRowView {
            event_id: r.id(),
            aggregate_type: r.aggregate_type().to_string(),
            aggregate_id: r.aggregate_id(),
            kind: r.kind().to_string(),
            payload: r.payload(),
            published: r.published,
        })
        .collect()
}

pub(super) fn bus(bus: &Bus) -> Vec<BusMessageView> {
    let offset = bus.offset();
    // Each group's subscriber, in group order, where there are several.
    let readers: Vec<super::NodeId> = groups(bus).into_iter().map(|(id, _)| id).collect();
    bus.log
        .iter()
        .enumerate()
        .map(|(i, e)| BusMessageView {
            event_id: e.ev.id.to_string(),
            key: e.ev.key.to_string(),
            value: e.ev.version.to_string(),
            version: e.ev.version.0,
            offset: i as u32,
            state: e.state.name(),
            failures: e.failures,
            committed: (i as u32) < offset,
            by_group: readers
                .iter()
                .enumerate()
                .map(|(g, id)| (*id, bus.entry(g, i).map_or("acked", |(st, _)| st.name())))
                .collect(),
        })
        .collect()
}

/// Each consumer group's committed offset by its subscriber, where a durable log has
/// more than one group (the bus's box draws one line each); none otherwise.
pub(super) fn groups(bus: &crate::sim::bus::Bus) -> Vec<(super::NodeId, u32)> {
    let all: Vec<(super::NodeId, u32)> = bus.offsets().collect();
    if bus.durable && all.len() > 1 {
        all
    } else {
        Vec::new()
    }
}
