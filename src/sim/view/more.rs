//! The primaries, buses, consumers, flushers and replicas beyond the first of each
//! kind (a topology's `db-2`, `bus-2`, `consumer-2`, `flusher-2`, `replica-2`): each one's state, built by
//! the same functions as the first's (`build.rs`), so the page draws them alike.
use super::rows::{bus, consumer, dlq, groups, outbox, queue, rows, uncommitted};
use super::{MoreView, NodeId};
use crate::sim::nodes::Node;
use crate::sim::world::World;

/// Every primary, bus, consumer and flusher but the first of its kind, in the order
/// the world holds its nodes.
pub(super) fn more(world: &World) -> Vec<MoreView> {
    let mut out = Vec::new();
    for (id, node) in world.nodes.iter() {
        if [
            NodeId::DB,
            NodeId::BUS,
            NodeId::CONSUMER,
            NodeId::FLUSHER,
            NodeId::REPLICA,
        ]
        .contains(&id)
        {
            continue;
        }
        let mut m = MoreView {
            id,
            db: Vec::new(),
            uncommitted: Vec::new(),
            outbox: Vec::new(),
            bus: Vec::new(),
            dlq: Vec::new(),
            consumer: None,
            queue: Vec::new(),
            groups: Vec::new(),
        };
        match node {
            Node::Db(d) => {
                m.db = rows(d);
                m.uncommitted = uncommitted(d);
                m.outbox = outbox(d);
            }
            Node::Bus(b) => {
                m.bus = bus(b);
                m.groups = groups(b);
                m.dlq = dlq(b);
            }
            Node::Consumer(c) => {
                let cut = world
                    .nodes
                    .bus(c.settings.bus)
                    .is_some_and(|b| b.cut_off(id));
                m.consumer = Some(consumer(c, cut));
            }
            // A replica's rows, as the first replica's (`View::replica`).
            Node::Replica(r) => m.db = super::build::replica_rows(r),
            // A flusher's queue is the one of the cache node it drains.
            Node::Flusher(f) => {
                m.queue = world
                    .nodes
                    .cache(f.settings.cache)
                    .map(queue)
                    .unwrap_or_default()
            }
            _ => continue,
        }
        out.push(m);
    }
    out
}
