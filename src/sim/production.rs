//! The production chapter's nodes, built into a new world from its settings: the
//! `invalidator` (change data capture) on the log it tails, with its stream open and
//! its position at the log's end, deleting from the caches of its region.
use super::cache::SetGuard;
use super::config::ReadFrom;
use super::ids::NodeId;
use super::invalidator::{Invalidator, InvalidatorSettings};
use super::nodes::Node;
use super::world::World;

/// Adds the invalidator, if the scenario has one.
pub(crate) fn add(w: &mut World) {
    let Some(cfg) = w.config.invalidator else {
        return;
    };
    let region = w.config.region_of(NodeId::Invalidator);
    let caches: Vec<NodeId> = w
        .nodes
        .caches()
        .map(|(id, _)| id)
        .filter(|id| w.config.region_of(*id) == region)
        .collect();
    let (source, position) = match cfg.tails {
        ReadFrom::Replica if w.config.replica.is_some() => {
            let Some(r) = w.nodes.replica_mut(NodeId::Replica(1)) else {
                return;
            };
            r.streams.push((NodeId::Invalidator, 0));
            r.stream_ms = cfg.delay_ms;
            (NodeId::Replica(1), r.position)
        }
        _ => {
            let Some(db) = w.nodes.db_mut(NodeId::DB) else {
                return;
            };
            db.streams.push((NodeId::Invalidator, 0));
            (NodeId::DB, db.lsn)
        }
    };
    let settings = InvalidatorSettings {
        source,
        caches,
        cache_ms: w.config.latency.cache_ms,
        retry_ms: cfg.retry_ms,
        versioned: matches!(w.config.guard, SetGuard::Versioned { .. }),
    };
    w.nodes.insert(
        NodeId::Invalidator,
        Node::Invalidator(Invalidator::new(position, settings)),
    );
}
