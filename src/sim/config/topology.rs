//! A scenario's topology beyond its first service, cache and database: more service
//! instances and cache nodes, where each service reads and fills, which service each
//! client talks to, and which region each node is in (`data-region`). In a file, the
//! `topology` list of `settings`:
//!
//! ```json
//! "topology": [
//!   {"id": "cache-2", "region": 2},
//!   {"id": "service-2", "cache": "cache-2", "reads": "replica", "region": 2},
//!   {"id": "writer", "service": "service-2", "region": 2}
//! ]
//! ```
//!
//! Ids are the fixed ids of `shared/spec/scenarios.md`. A node not listed keeps the
//! classic routes (clients → `service` → `cache` and `db`) and region 1.
use crate::sim::ids::NodeId;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// At most this many entries: a topology is a diagram a learner reads.
pub const MAX_NODES: usize = 32;

/// One node's place in the topology.
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    #[serde(with = "node_id")]
    pub id: NodeId,
    /// A client's service (`service`, `service-2`, …, or the CDN edge `cdn` in front
    /// of one); the CDN edge's origin service.
    #[serde(default, with = "opt_node_id", skip_serializing_if = "Option::is_none")]
    pub service: Option<NodeId>,
    /// A service's cache node.
    #[serde(default, with = "opt_node_id", skip_serializing_if = "Option::is_none")]
    pub cache: Option<NodeId>,
    /// Where a service's misses read the row: `db` or a replica.
    #[serde(default, with = "opt_node_id", skip_serializing_if = "Option::is_none")]
    pub reads: Option<NodeId>,
    /// Its region: 1 (the primary's, the default) or 2 (a second region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<u8>,
}

/// Whether `id` is one of the kinds a topology can add or route (clients, services,
/// caches), or place in a region (the replica and the invalidator, which their own
/// settings add).
fn addable(id: NodeId) -> bool {
    matches!(
        id,
        NodeId::Reader(_)
            | NodeId::Writer(_)
            | NodeId::Service(_)
            | NodeId::Cache(_)
            | NodeId::Replica(1)
            | NodeId::Invalidator
            | NodeId::Cdn
    )
}

/// What is wrong with a topology, if anything: an entry of a kind it cannot hold, a
/// route to a node of the wrong kind or to a node not in it, an id twice, a region
/// other than 1 or 2.
pub fn check(nodes: &[NodeSpec]) -> Result<(), String> {
    if nodes.len() > MAX_NODES {
        return Err(format!("at most {MAX_NODES} nodes"));
    }
    let listed = |id: NodeId| {
        id == NodeId::SERVICE || id == NodeId::CACHE || nodes.iter().any(|n| n.id == id)
    };
    for (i, n) in nodes.iter().enumerate() {
        let at = format!("topology[{}] ({})", i + 1, n.id);
        if !addable(n.id) {
            return Err(format!(
                "{at}: a topology lists clients, services, caches and the CDN edge (reader, service-2, cache-2, \
                 cdn, …), and the region of the replica and the invalidator"
            ));
        }
        let placed_only = matches!(n.id, NodeId::Replica(_) | NodeId::Invalidator);
        if placed_only && (n.service.is_some() || n.cache.is_some() || n.reads.is_some()) {
            return Err(format!(
                "{at}: the replica and the invalidator take only a \"region\" here (their routes are their \
                 own settings)"
            ));
        }
        if nodes[..i].iter().any(|m| m.id == n.id) {
            return Err(format!("{at}: the node appears twice"));
        }
        if let Some(s) = n.service {
            // A client's service may be the CDN edge in front of one; the edge's is
            // its origin.
            let edge = n.id.is_client() && s == NodeId::Cdn && listed(s);
            let service = (n.id.is_client() || n.id == NodeId::Cdn)
                && matches!(s, NodeId::Service(_))
                && listed(s);
            if !(edge || service) {
                return Err(format!(
                    "{at}: \"service\" is a client's service (one of the topology's services, or cdn), or the \
                     cdn's origin service"
                ));
            }
        }
        if let Some(c) = n.cache {
            if !matches!(n.id, NodeId::Service(_)) || !matches!(c, NodeId::Cache(_)) || !listed(c) {
                return Err(format!(
                    "{at}: \"cache\" is a service's cache node, one of the topology's caches"
                ));
            }
        }
        if let Some(r) = n.reads {
            if !matches!(n.id, NodeId::Service(_)) || !matches!(r, NodeId::DB | NodeId::Replica(1))
            {
                return Err(format!(
                    "{at}: \"reads\" is where a service's misses read: db or replica"
                ));
            }
        }
        if n.region.is_some_and(|r| !(1..=2).contains(&r)) {
            return Err(format!("{at}: \"region\" is 1 or 2"));
        }
    }
    Ok(())
}

/// The list, read and checked (`check`): its error names the entry.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NodeSpec>, D::Error> {
    let nodes = Vec::<NodeSpec>::deserialize(d)?;
    check(&nodes).map_err(de::Error::custom)?;
    Ok(nodes)
}

pub fn serialize<S: Serializer>(nodes: &[NodeSpec], s: S) -> Result<S::Ok, S::Error> {
    nodes.serialize(s)
}

/// A node id as the contract spells it (`service-2`).
mod node_id {
    use crate::sim::ids::NodeId;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &NodeId, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&id.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        let text = String::deserialize(d)?;
        NodeId::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "{text:?} is not a node id (reader, writer-2, service-2, cache-2, db, replica, …)"
            ))
        })
    }
}

/// An optional node id, spelled as the contract does.
mod opt_node_id {
    use crate::sim::ids::NodeId;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &Option<NodeId>, s: S) -> Result<S::Ok, S::Error> {
        match id {
            Some(id) => super::node_id::serialize(id, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NodeId>, D::Error> {
        super::node_id::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str) -> NodeSpec {
        NodeSpec {
            id: NodeId::parse(id).unwrap(),
            service: None,
            cache: None,
            reads: None,
            region: None,
        }
    }

    #[test]
    fn a_topology_routes_only_to_nodes_it_has() {
        let mut s2 = spec("service-2");
        s2.cache = NodeId::parse("cache-2");
        let mut w = spec("writer");
        w.service = NodeId::parse("service-2");
        assert_eq!(check(&[spec("cache-2"), s2, w]), Ok(()));
        // cache-2 is not listed.
        assert!(check(&[s2, w]).unwrap_err().contains("\"cache\""));
        // A cache has no service.
        let mut c = spec("cache-2");
        c.service = NodeId::parse("service");
        assert!(check(&[c]).is_err());
        let mut cdn = spec("cdn");
        cdn.cache = NodeId::parse("cache");
        assert!(check(&[cdn]).unwrap_err().contains("topology[1] (cdn)"));
        // A client reaches the CDN edge only when the topology has one.
        let mut r = spec("reader");
        r.service = NodeId::parse("cdn");
        assert!(check(&[r]).is_err());
        let mut edge = spec("cdn");
        edge.service = NodeId::parse("service");
        assert_eq!(check(&[edge, r]), Ok(()));
        assert!(check(&[spec("cache-2"), spec("cache-2")]).is_err());
    }
}
