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
//! More primaries and the event and write-behind pipelines, routed by id: `db-2` owns
//! the keys it lists (a second shard: every service and flusher writes and reads a key
//! at the primary that owns it; `db` owns the rest), `relay-2` reads one primary's
//! outbox and publishes to one bus, `consumer-2` subscribes to one bus and deletes in
//! one cache, `flusher-2` drains one cache's write-behind queue:
//!
//! ```json
//! "topology": [
//!   {"id": "db-2", "keys": [2]},
//!   {"id": "relay-2", "db": "db-2", "bus": "bus"},
//!   {"id": "cache-2"},
//!   {"id": "consumer-2", "bus": "bus", "cache": "cache-2"}
//! ]
//! ```
//!
//! A replica or an invalidator follows one primary (`db` unless it names another):
//! `{"id": "replica-2", "db": "db-2"}` applies db-2's commit log, and a service that
//! reads replicas reads a key of db-2 there; `{"id": "invalidator-2", "db": "db-2"}`
//! tails db-2's log (or its replica's, when the invalidator tails a replica).
//!
//! Ids are the fixed ids of `shared/spec/scenarios.md` (and `db-2`, `bus-2`, …, see
//! `docs/scenarios.md`). A node not listed keeps the classic routes (clients →
//! `service` → `cache` and `db`; `relay` reads `db` and publishes to `bus`; `consumer`
//! subscribes to `bus` and deletes in `cache`; `flusher` drains `cache`) and region 1.
use crate::sim::ids::{Key, NodeId};
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
    /// The primary whose outbox a relay reads, whose commit log a replica applies or
    /// an invalidator tails (`db`, `db-2`, …; `db` if none).
    #[serde(default, with = "opt_node_id", skip_serializing_if = "Option::is_none")]
    pub db: Option<NodeId>,
    /// The bus a relay publishes to, a consumer subscribes to, or a service publishes
    /// its events to.
    #[serde(default, with = "opt_node_id", skip_serializing_if = "Option::is_none")]
    pub bus: Option<NodeId>,
    /// The keys a second primary (`db-2`, …) owns: their rows live there, not in `db`.
    #[serde(default, with = "key_list", skip_serializing_if = "Option::is_none")]
    pub keys: Option<KeySet64>,
}

impl NodeSpec {
    /// `id` with no routes of its own (the classic ones) in region 1.
    pub fn at(id: NodeId) -> NodeSpec {
        NodeSpec {
            id,
            service: None,
            cache: None,
            reads: None,
            region: None,
            db: None,
            bus: None,
            keys: None,
        }
    }
}

/// At most this many primaries (`db` … `db-4`).
pub const MAX_DBS: u8 = 4;

/// A set of keys `user:1` … `user:64`, as bits (a topology's entry stays `Copy`).
#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::config))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeySet64(pub u64);

impl KeySet64 {
    pub fn contains(self, key: Key) -> bool {
        (1..=64).contains(&key.0) && self.0 & (1 << (key.0 - 1)) != 0
    }

    pub fn keys(self) -> impl Iterator<Item = Key> {
        (1..=64u16).map(Key).filter(move |k| self.contains(*k))
    }
}

/// Which primary owns each key: `db` owns every key no other primary lists. Held by
/// the nodes that write or read rows (services, clients, flushers) as a setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Shards {
    /// The keys of `db-2`, `db-3`, `db-4`.
    pub more: [KeySet64; MAX_DBS as usize - 1],
}

impl Shards {
    /// The shards a topology lists.
    pub fn of(nodes: &[NodeSpec]) -> Shards {
        let mut out = Shards::default();
        for n in nodes {
            if let (NodeId::Db(i @ 2..=MAX_DBS), Some(keys)) = (n.id, n.keys) {
                out.more[usize::from(i) - 2] = keys;
            }
        }
        out
    }

    /// The primary that owns `key`.
    pub fn owner(&self, key: Key) -> NodeId {
        self.more
            .iter()
            .position(|k| k.contains(key))
            .map_or(NodeId::DB, |i| NodeId::Db(i as u8 + 2))
    }
}

/// Whether `id` is one of the kinds a topology can add or route (clients, services,
/// caches, primaries, buses, relays, consumers, flushers), or place in a region (the
/// replica and the invalidator, which their own settings add).
fn addable(id: NodeId) -> bool {
    matches!(
        id,
        NodeId::Reader(_)
            | NodeId::Writer(_)
            | NodeId::Service(_)
            | NodeId::Cache(_)
            | NodeId::Replica(_)
            | NodeId::Invalidator(_)
            | NodeId::Cdn
            | NodeId::Bus(_)
            | NodeId::Relay(_)
            | NodeId::Consumer(_)
            | NodeId::Flusher(_)
    ) || matches!(id, NodeId::Db(1..=MAX_DBS))
}

/// What is wrong with a topology, if anything: an entry of a kind it cannot hold, a
/// route to a node of the wrong kind or to a node not in it, an id twice, a region
/// other than 1 or 2.
pub fn check(nodes: &[NodeSpec]) -> Result<(), String> {
    if nodes.len() > MAX_NODES {
        return Err(format!("at most {MAX_NODES} nodes"));
    }
    // Every world has the first of each kind.
    let listed = |id: NodeId| {
        [
            NodeId::SERVICE,
            NodeId::CACHE,
            NodeId::DB,
            NodeId::BUS,
            NodeId::RELAY,
            NodeId::CONSUMER,
            NodeId::FLUSHER,
        ]
        .contains(&id)
            || nodes.iter().any(|n| n.id == id)
    };
    for (i, n) in nodes.iter().enumerate() {
        let at = format!("topology[{i}] ({})", n.id);
        if !addable(n.id) {
            return Err(format!(
                "{at}: a topology lists clients, services, caches, the CDN edge, primaries (db-2 … db-{MAX_DBS}), \
                 buses, relays, consumers, flushers, replicas and invalidators"
            ));
        }
        if let Some(wrong) = pipeline(n, &listed) {
            return Err(format!("{at}: {wrong}"));
        }
        let placed_only = matches!(n.id, NodeId::Replica(_) | NodeId::Invalidator(_));
        if placed_only && (n.service.is_some() || n.cache.is_some() || n.reads.is_some()) {
            return Err(format!(
                "{at}: a replica or an invalidator takes only a \"region\" and a \"db\" here (its other \
                 settings are the scenario's \"replica\" or \"invalidator\")"
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
            let takes = matches!(
                n.id,
                NodeId::Service(_) | NodeId::Consumer(_) | NodeId::Flusher(_)
            );
            if !takes || !matches!(c, NodeId::Cache(_)) || !listed(c) {
                return Err(format!(
                    "{at}: \"cache\" is the cache a service fills, a consumer deletes in or a flusher drains"
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
    // A key has one owner.
    for (i, n) in nodes.iter().enumerate() {
        let Some(keys) = n.keys else { continue };
        if let Some(m) = nodes[..i]
            .iter()
            .find(|m| m.keys.is_some_and(|k| k.0 & keys.0 != 0))
        {
            return Err(format!(
                "topology[{i}] ({}): \"keys\": a key {} owns already",
                n.id, m.id
            ));
        }
    }
    Ok(())
}

/// What is wrong with the event and write-behind routes of entry `n`, if anything:
/// `db` only on a relay, a replica or an invalidator, naming a listed primary; `bus` on a relay, a consumer or a service,
/// naming a bus; `keys` on a second primary, and only there.
fn pipeline(n: &NodeSpec, listed: &dyn Fn(NodeId) -> bool) -> Option<&'static str> {
    let follows = matches!(
        n.id,
        NodeId::Relay(_) | NodeId::Replica(_) | NodeId::Invalidator(_)
    );
    let db_ok = |db: NodeId| follows && matches!(db, NodeId::Db(_)) && listed(db);
    let bus_ok = |bus: NodeId| {
        matches!(
            n.id,
            NodeId::Relay(_) | NodeId::Consumer(_) | NodeId::Service(_)
        ) && matches!(bus, NodeId::Bus(_))
            && listed(bus)
    };
    if !n.db.is_none_or(db_ok) {
        return Some(
            "\"db\" is a primary of the topology (db, db-2, …): the one whose outbox a relay reads, whose \
             commit log a replica applies or an invalidator tails",
        );
    }
    if !n.bus.is_none_or(bus_ok) {
        return Some("\"bus\" is the bus a relay or service publishes to, or a consumer reads (bus, bus-2, …)");
    }
    let second = matches!(n.id, NodeId::Db(2..));
    match n.keys {
        None if second => Some("a second primary lists the keys it owns: \"keys\": [2]"),
        Some(k) if second && k.0 == 0 => Some("\"keys\" lists at least one key"),
        Some(_) if !second => Some("\"keys\" is what a second primary (db-2, …) owns"),
        _ => None,
    }
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
                "{} is not a node id (reader, writer-2, service-2, cache-2, db, replica, …)",
                crate::sim::codec::quote::text(&text)
            ))
        })
    }
}

/// A list of keys by number (`[2, 3]`: `user:2`, `user:3`), each 1 to 64.
mod key_list {
    use super::{Key, KeySet64};
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(keys: &Option<KeySet64>, s: S) -> Result<S::Ok, S::Error> {
        // Written as the settings' `keys` are.
        let list: Vec<Key> = keys.map_or_else(Vec::new, |k| k.keys().collect());
        list.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<KeySet64>, D::Error> {
        // Read as the settings' `keys` are (one reader in the page for both).
        let list = Vec::<Key>::deserialize(d)?;
        let mut set = 0u64;
        for Key(k) in list {
            if !(1..=64).contains(&k) {
                return Err(de::Error::custom("a key here is 1 (user:1) to 64"));
            }
            set |= 1 << (k - 1);
        }
        Ok(Some(KeySet64(set)))
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

/// What is wrong in the "more nodes" form's "owns keys" field (`db-2-keys`), in the
/// form's own words, for a sandbox of `keys` keys: a word that is not a key number, or
/// a key the sandbox does not have (db-2 would own no row). `None` when it is fine or
/// db-2 is not chosen. (The file the form writes is one the learner never sees, so its
/// line and column would point nowhere.)
pub fn form_problem(fields: &[(String, String)], keys: u16) -> Option<String> {
    let on = fields.iter().any(|(n, v)| n == "db-2" && v == "on");
    let text = fields.iter().find(|(n, _)| n == "db-2-keys")?.1.as_str();
    let bad = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|k| !k.is_empty())
        .take(64)
        .find(|k| !k.parse::<u16>().is_ok_and(|n| (1..=keys).contains(&n)))?;
    on.then(|| format!("owns keys: `{bad}` is not a key of this sandbox (1 to {keys})"))
}

/// The sandbox builder's "more nodes" form as topology entries in the scenario file's
/// format (`{"id": "db-2", "keys": [2]}`, …), for the builder to add to the file it
/// writes. `fields` holds each checked box as `(name, "on")` and each text field as
/// `(name, text)`. Names: `db-2` with `db-2-keys` (the keys it owns, by number: "2 3");
/// `bus-2`; `relay-2` (it reads `db-2`'s outbox when `db-2` is chosen, else `db`'s)
/// with `relay-2-bus-2` (it publishes to `bus-2`, else to `bus`); `consumer-2` with
/// `consumer-2-bus-2`; `flusher-2`. A consumer or flusher of `cache-2` brings
/// `cache-2` and `service-2`, which fills it. What is wrong (a key that is not a
/// number, a route to a bus the topology lacks) is left for the scenario file's reader
/// to say, naming the entry and the field, as it does for a file.
pub fn form_entries(fields: &[(String, String)]) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let on = |name: &str| fields.iter().any(|(n, v)| n == name && v == "on");
    let bus = |name: &str| if on(name) { "bus-2" } else { "bus" };
    let mut out = Vec::new();
    if on("db-2") {
        let text = fields
            .iter()
            .find(|(n, _)| n == "db-2-keys")
            .map_or("", |(_, v)| v.as_str());
        // Each key by number; a word that is not one goes as it is, for the reader.
        let keys: Vec<Value> = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|k| !k.is_empty())
            .take(64)
            .map(|k| k.parse::<u16>().map_or(json!(k), |n| json!(n)))
            .collect();
        out.push(json!({ "id": "db-2", "keys": keys }));
    }
    if on("bus-2") {
        out.push(json!({ "id": "bus-2" }));
    }
    if on("relay-2") {
        let db = if on("db-2") { "db-2" } else { "db" };
        out.push(json!({ "id": "relay-2", "db": db, "bus": bus("relay-2-bus-2") }));
    }
    if on("consumer-2") || on("flusher-2") {
        out.push(json!({ "id": "cache-2" }));
        out.push(json!({ "id": "service-2", "cache": "cache-2" }));
    }
    if on("consumer-2") {
        out.push(json!({ "id": "consumer-2", "bus": bus("consumer-2-bus-2"), "cache": "cache-2" }));
    }
    if on("flusher-2") {
        out.push(json!({ "id": "flusher-2", "cache": "cache-2" }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str) -> NodeSpec {
        NodeSpec::at(NodeId::parse(id).unwrap())
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
        assert!(check(&[cdn]).unwrap_err().contains("topology[0] (cdn)"));
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
