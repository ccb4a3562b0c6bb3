//! The primaries, buses, consumers and flushers beyond the first of each kind (a
//! topology's `db-2`, `bus-2`, `consumer-2`, `flusher-2`): each one's state, built by
//! the same functions as the first's (`build.rs`), so the page draws them alike.
use super::build::{bus, consumer, dlq, outbox, queue, rows, uncommitted};
use super::{MoreView, NodeId};
use crate::sim::world::World;

fn blank(id: NodeId) -> MoreView {
    MoreView {
        id,
        db: Vec::new(),
        uncommitted: Vec::new(),
        outbox: Vec::new(),
        bus: Vec::new(),
        dlq: Vec::new(),
        consumer: None,
        queue: Vec::new(),
    }
}

/// Every primary, bus, consumer and flusher but the first of its kind.
pub(super) fn more(world: &World) -> Vec<MoreView> {
    let n = &world.nodes;
    let first =
        |id: &NodeId| [NodeId::DB, NodeId::BUS, NodeId::CONSUMER, NodeId::FLUSHER].contains(id);
    let dbs = n.dbs().map(|(id, d)| MoreView {
        db: rows(d),
        uncommitted: uncommitted(d),
        outbox: outbox(d),
        ..blank(id)
    });
    let buses = n.buses().map(|(id, b)| MoreView {
        bus: bus(b),
        dlq: dlq(b),
        ..blank(id)
    });
    let consumers = n.consumers().map(|(id, c)| MoreView {
        consumer: Some(consumer(c)),
        ..blank(id)
    });
    // A flusher's queue is the one of the cache node it drains.
    let flushers = n.flushers().map(|(id, f)| MoreView {
        queue: n.cache(f.settings.cache).map(queue).unwrap_or_default(),
        ..blank(id)
    });
    dbs.chain(buses)
        .chain(consumers)
        .chain(flushers)
        .filter(|m| !first(&m.id))
        .collect()
}
