//! The production chapter's nodes, built into a new world from its settings: each
//! `invalidator` (change data capture) on the log it tails (its primary's, or that
//! primary's replica's), with its stream open and its position at the log's end,
//! deleting from the caches of its region.
use super::cache::SetGuard;
use super::config::{InvalidatorConfig, ReadFrom};
use super::ids::NodeId;
use super::invalidator::{Invalidator, InvalidatorSettings};
use super::nodes::Node;
use super::world::World;

/// Adds the invalidators, if the scenario has any (`cfg`: their settings).
pub(crate) fn add(w: &mut World, cfg: Option<InvalidatorConfig>) {
    let Some(cfg) = cfg else {
        return;
    };
    for (id, primary) in super::world::pipeline::followers(&w.config, NodeId::INVALIDATOR) {
        let region = w.config.region_of(id);
        let caches: Vec<NodeId> = w
            .nodes
            .caches()
            .map(|(c, _)| c)
            .filter(|c| w.config.region_of(*c) == region)
            .collect();
        // Tailing a replica: the first replica of its primary, if it has one.
        let replica = w
            .nodes
            .replicas()
            .find(|(r, n)| {
                n.primary == primary && (*r != NodeId::REPLICA || w.config.replica.is_some())
            })
            .map(|(r, _)| r)
            .filter(|_| cfg.tails == ReadFrom::Replica);
        let (source, position) = match replica.and_then(|r| w.nodes.replica_mut(r)) {
            Some(r) => {
                r.streams.push((id, 0));
                r.stream_ms = cfg.delay_ms;
                (replica.unwrap_or(NodeId::REPLICA), r.position)
            }
            None => {
                let Some(db) = w.nodes.db_mut(primary) else {
                    continue;
                };
                db.streams.push((id, 0));
                (primary, db.lsn)
            }
        };
        let settings = InvalidatorSettings {
            source,
            primary,
            caches,
            cache_ms: w.config.latency.cache_ms,
            retry_ms: cfg.retry_ms,
            versioned: matches!(w.config.guard, SetGuard::Versioned { .. }),
        };
        w.nodes
            .insert(id, Node::Invalidator(Invalidator::new(position, settings)));
    }
}
