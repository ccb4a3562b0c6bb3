//! Who is wired to whom beyond the services: the primaries, the buses, the relays, the
//! consumers and the flushers a topology lists (`config/topology.rs`), each with the
//! peers it names, or the classic ones (`relay` reads `db` and publishes to `bus`,
//! `consumer` subscribes to `bus` and deletes in `cache`, `flusher` drains `cache`).
//! `World::new` hands each node its peers' ids as settings.
use crate::sim::config::Config;
use crate::sim::ids::NodeId;

/// Every node of `first`'s kind the world has: `first` and each one the topology
/// lists, in id order.
pub(super) fn ids(config: &Config, first: NodeId) -> Vec<NodeId> {
    let kind = std::mem::discriminant(&first);
    let mut out = vec![first];
    out.extend(
        config
            .topology
            .iter()
            .map(|n| n.id)
            .filter(|id| std::mem::discriminant(id) == kind && *id != first),
    );
    out.sort_unstable();
    out
}

/// Where a primary's log sequence numbers start: `db` at 0, `db-2` at 1000, … so an
/// event's id (its change's number) names one change across the primaries, as a
/// source and a position do in change data capture.
pub(super) fn lsn_base(db: NodeId) -> u32 {
    match db {
        NodeId::Db(n) => (u32::from(n).max(1) - 1) * 1000,
        _ => 0,
    }
}

/// The pipelines' routes, by id.
pub(super) struct Routes {
    /// Each consumer and the bus it subscribes to.
    pub consumers: Vec<(NodeId, NodeId)>,
    /// Each relay, the primary whose outbox it reads, and the bus it publishes to.
    pub relays: Vec<(NodeId, NodeId, NodeId)>,
    /// Each flusher and the cache whose queue it drains.
    pub flushers: Vec<(NodeId, NodeId)>,
    /// Every primary.
    pub dbs: Vec<NodeId>,
}

pub(super) fn routes(config: &Config) -> Routes {
    let consumers = ids(config, NodeId::CONSUMER)
        .into_iter()
        .map(|c| (c, config.route(c).bus.unwrap_or(NodeId::BUS)))
        .collect();
    let relays = ids(config, NodeId::RELAY)
        .into_iter()
        .map(|r| {
            let route = config.route(r);
            (
                r,
                route.db.unwrap_or(NodeId::DB),
                route.bus.unwrap_or(NodeId::BUS),
            )
        })
        .collect();
    let flushers = ids(config, NodeId::FLUSHER)
        .into_iter()
        .map(|f| (f, config.route(f).cache.unwrap_or(NodeId::CACHE)))
        .collect();
    Routes {
        consumers,
        relays,
        flushers,
        dbs: ids(config, NodeId::DB),
    }
}

impl Routes {
    /// Each primary and the relay that LISTENs for its commits (the first that reads
    /// its outbox; `None`: no relay does).
    pub fn listeners(&self) -> Vec<(NodeId, Option<NodeId>)> {
        self.dbs
            .iter()
            .map(|db| {
                let relay = self.relays.iter().find(|(_, d, _)| d == db);
                (*db, relay.map(|(r, _, _)| *r))
            })
            .collect()
    }
}

/// The log readers that run, each with the primary it follows (its entry's `db`, else
/// `db`): `replica` when the scenario has `replica` settings, and every other replica
/// the topology lists; `invalidator` when it has `invalidator` settings, and every other
/// one listed. In id order.
pub(crate) fn followers(config: &Config, first: NodeId) -> Vec<(NodeId, NodeId)> {
    let first_runs = match first {
        NodeId::Replica(_) => config.replica.is_some(),
        _ => config.invalidator.is_some(),
    };
    ids(config, first)
        .into_iter()
        .filter(|id| *id != first || first_runs)
        .map(|id| (id, config.route(id).db.unwrap_or(NodeId::DB)))
        .collect()
}
