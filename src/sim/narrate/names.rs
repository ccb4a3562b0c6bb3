//! Which service and which cache a step's words mean. In the classic topology there is
//! one of each, and "the service" and "the cache" (or "the cache node") are their
//! names. Where the topology has more than one of a kind (a second instance, a pool,
//! a second region), a sentence must name the one that acted: the step's `Cast` says
//! who they are, from the nodes that recorded its facts (`fact::Acting`, noted at the
//! routing seam), then the hop and the messages it sent, and each sentence builds the
//! name in as it is written (`{cap_cache} has no {key}`: "cache-2 has no user:1").
use super::super::config::topology::Shards;
use super::super::ids::{Key, NodeId};
use super::super::world::World;
use std::fmt;

/// How a sentence names one node: its id where the topology has several of its kind,
/// else the common noun (`the service`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Noun {
    pub id: Option<NodeId>,
    common: &'static str,
}

impl Noun {
    /// The name at the start of a sentence: the id, or the common noun capitalised.
    pub(crate) fn cap(self) -> Cap {
        Cap(self)
    }
}

impl fmt::Display for Noun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "{id}"),
            None => f.write_str(self.common),
        }
    }
}

/// A `Noun` that starts a sentence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cap(Noun);

impl fmt::Display for Cap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.id {
            Some(id) => write!(f, "{id}"),
            None => {
                let mut chars = self.0.common.chars();
                if let Some(first) = chars.next() {
                    write!(f, "{}", first.to_ascii_uppercase())?;
                }
                f.write_str(chars.as_str())
            }
        }
    }
}

/// A name at the start of a sentence: a common noun ("the replica") capitalised, an
/// id (`db-2`) as it is.
pub(crate) fn capital(text: &str) -> String {
    match text.strip_prefix("the ") {
        Some(rest) => format!("The {rest}"),
        None => text.to_string(),
    }
}

/// The nodes a step's words are about: the service and cache node, and the primary,
/// relay, bus, consumer and flusher of the pipelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cast {
    /// "the service", or `service-2`.
    pub service: Noun,
    /// "the cache", or `cache-2`.
    pub cache: Noun,
    /// "the cache node", or `cache-2`.
    pub cache_node: Noun,
    /// "the database", or `db-2`: the primary that acted or was sent to.
    pub db: Noun,
    /// "the relay", or `relay-2`.
    pub relay: Noun,
    /// "the bus", or `bus-2`.
    pub bus: Noun,
    /// "the consumer", or `consumer-2`.
    pub consumer: Noun,
    /// "the flusher", or `flusher-2`.
    pub flusher: Noun,
    /// Which primary owns each key, where the topology has several (`db_of`).
    shards: Option<Shards>,
}

impl Default for Cast {
    fn default() -> Cast {
        Cast::named(None, None)
    }
}

/// Each kind a step's words may name, with whether the world has several of it.
#[derive(Clone, Copy, Default)]
struct Many {
    services: bool,
    caches: bool,
    dbs: bool,
    relays: bool,
    buses: bool,
    consumers: bool,
    flushers: bool,
}

impl Many {
    /// One pass over the nodes: a kind is "many" at its second node.
    fn of(w: &World) -> Many {
        let mut seen = Many::default();
        let mut many = Many::default();
        for (id, _) in w.nodes.iter() {
            let (seen, many) = match id {
                NodeId::Service(_) => (&mut seen.services, &mut many.services),
                NodeId::Cache(_) => (&mut seen.caches, &mut many.caches),
                NodeId::Db(_) => (&mut seen.dbs, &mut many.dbs),
                NodeId::Relay(_) => (&mut seen.relays, &mut many.relays),
                NodeId::Bus(_) => (&mut seen.buses, &mut many.buses),
                NodeId::Consumer(_) => (&mut seen.consumers, &mut many.consumers),
                NodeId::Flusher(_) => (&mut seen.flushers, &mut many.flushers),
                _ => continue,
            };
            *many |= *seen;
            *seen = true;
        }
        many
    }

    fn any(self) -> bool {
        self.services
            || self.caches
            || self.dbs
            || self.relays
            || self.buses
            || self.consumers
            || self.flushers
    }
}

fn noun(id: Option<NodeId>, common: &'static str) -> Noun {
    Noun { id, common }
}

impl Cast {
    /// `service` and `cache` by id where given, else by their common nouns; the
    /// pipelines' nodes by their common nouns.
    pub(crate) fn named(service: Option<NodeId>, cache: Option<NodeId>) -> Cast {
        Cast {
            service: noun(service, "the service"),
            cache: noun(cache, "the cache"),
            cache_node: noun(cache, "the cache node"),
            db: noun(None, "the database"),
            relay: noun(None, "the relay"),
            bus: noun(None, "the bus"),
            consumer: noun(None, "the consumer"),
            flusher: noun(None, "the flusher"),
            shards: None,
        }
    }

    /// The primary that owns `key`: "the database" where there is one primary, else
    /// its id (the topology's shard map says which).
    pub(crate) fn db_of(&self, key: Key) -> Noun {
        noun(self.shards.map(|s| s.owner(key)), self.db.common)
    }

    /// The primary that owns `key` at the start of a sentence, with what makes it the
    /// one: "The database", or "db-2 (the shard that owns user:2)".
    pub(crate) fn shard(&self, key: Key) -> String {
        match self.shards {
            Some(s) => format!("{} (the shard that owns {key})", s.owner(key)),
            None => self.db_of(key).cap().to_string(),
        }
    }

    /// The cast of the step `w` just took: `actor` acted, over `hop` if a message
    /// arrived. A kind with one node keeps its common noun.
    pub(crate) fn of(w: &World, actor: NodeId, hop: Option<(NodeId, NodeId)>) -> Cast {
        let many = Many::of(w);
        if !many.any() {
            return Cast::default().replicated(w.config.replica.is_some());
        }
        let is_service = |n: &NodeId| matches!(n, NodeId::Service(_));
        let is_cache = |n: &NodeId| matches!(n, NodeId::Cache(_));
        // The nodes that recorded the step's facts (the routing seam's record), then
        // the one that acted, the sender of what arrived, and where the step sent its
        // messages.
        let recorded = w.facts.with_nodes().filter_map(|(n, _)| n);
        let (from, _) = hop.unzip();
        let sent = w
            .net
            .iter()
            .filter(|m| m.id.0 >= w.facts.1.first_msg)
            .map(|m| m.to);
        let candidates: Vec<NodeId> = recorded.chain([actor]).chain(from).chain(sent).collect();
        let find = |kind: fn(&NodeId) -> bool| candidates.iter().copied().find(kind);
        let origin = || {
            w.nodes
                .cdn(NodeId::Cdn)
                .map_or(NodeId::SERVICE, |c| c.settings.origin)
        };
        let service = find(is_service)
            .or_else(|| {
                // A client's step is about the service it sends to (through the CDN
                // edge: the edge's origin).
                actor.is_client().then(|| {
                    match w.config.route(actor).service.unwrap_or(NodeId::SERVICE) {
                        NodeId::Cdn => origin(),
                        other => other,
                    }
                })
            })
            // The CDN edge's step (a hit answered at the edge) is about its origin.
            .or_else(|| candidates.contains(&NodeId::Cdn).then(origin));
        let cache = find(is_cache).or_else(|| {
            // Else the cache of the service the step is about.
            service.and_then(|s| w.nodes.service(s).map(|s| s.settings.cache))
        });
        // The pipelines: each node the step touched, else the one its neighbour
        // names (a relay's primary and bus, a consumer's bus, a primary's relay, a
        // cache's flusher).
        let relay = find(|n| matches!(n, NodeId::Relay(_)));
        let consumer = find(|n| matches!(n, NodeId::Consumer(_)));
        let db = find(|n| matches!(n, NodeId::Db(_)))
            .or_else(|| relay.and_then(|r| w.nodes.relay(r).map(|r| r.settings.db)));
        let relay = relay.or_else(|| {
            let db = db?;
            w.nodes
                .relays()
                .find(|(_, r)| r.settings.db == db)
                .map(|(id, _)| id)
        });
        let bus = find(|n| matches!(n, NodeId::Bus(_)))
            .or_else(|| relay.and_then(|r| w.nodes.relay(r).map(|r| r.settings.bus)))
            .or_else(|| consumer.and_then(|c| w.nodes.consumer(c).map(|c| c.settings.bus)))
            .or_else(|| service.and_then(|s| w.nodes.service(s).map(|s| s.settings.bus)));
        let flusher = find(|n| matches!(n, NodeId::Flusher(_)))
            .or_else(|| cache.and_then(|c| w.nodes.cache(c).map(|c| c.behind.flusher)));
        let mut cast = Cast::named(
            service.filter(|_| many.services),
            cache.filter(|_| many.caches),
        );
        cast.db.id = db.filter(|_| many.dbs);
        cast.relay.id = relay.filter(|_| many.relays);
        cast.bus.id = bus.filter(|_| many.buses);
        cast.consumer.id = consumer.filter(|_| many.consumers);
        cast.flusher.id = flusher.filter(|_| many.flushers);
        cast.shards = many.dbs.then(|| Shards::of(&w.config.topology));
        cast.replicated(w.config.replica.is_some())
    }

    /// With a read replica, the primary is "the primary": "the database" could be
    /// either.
    fn replicated(mut self, replicas: bool) -> Cast {
        if replicas {
            self.db.common = "the primary";
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_id_where_given_and_by_common_noun_else() {
        let cast = Cast::named(Some(NodeId::Service(2)), Some(NodeId::Cache(2)));
        assert_eq!(
            format!(
                "{} has no user:1. {} must load it; {}'s copy.",
                cast.cache.cap(),
                cast.service.cap(),
                cast.cache_node
            ),
            "cache-2 has no user:1. service-2 must load it; cache-2's copy."
        );
        let one = Cast::default();
        assert_eq!(
            format!(
                "{} has it; {} asks {}.",
                one.cache.cap(),
                one.service,
                one.cache_node
            ),
            "The cache has it; the service asks the cache node."
        );
    }
}
