//! Which service and which cache a step's words mean. In the classic topology there is
//! one of each, and "the service" and "the cache" (or "the cache node") are their
//! names. Where the topology has more than one of a kind (a second instance, a pool,
//! a second region), a sentence must name the one that acted: the step's `Cast` says
//! who they are, from the nodes that recorded its facts (`fact::Acting`, noted at the
//! routing seam), then the hop and the messages it sent, and each sentence builds the
//! name in as it is written (`{cap_cache} has no {key}`: "cache-2 has no user:1").
use super::super::ids::NodeId;
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

/// The service and the cache node a step's words are about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cast {
    /// "the service", or `service-2`.
    pub service: Noun,
    /// "the cache", or `cache-2`.
    pub cache: Noun,
    /// "the cache node", or `cache-2`.
    pub cache_node: Noun,
}

impl Default for Cast {
    fn default() -> Cast {
        Cast::named(None, None)
    }
}

impl Cast {
    /// `service` and `cache` by id where given, else by their common nouns.
    pub(crate) fn named(service: Option<NodeId>, cache: Option<NodeId>) -> Cast {
        Cast {
            service: Noun {
                id: service,
                common: "the service",
            },
            cache: Noun {
                id: cache,
                common: "the cache",
            },
            cache_node: Noun {
                id: cache,
                common: "the cache node",
            },
        }
    }

    /// The cast of the step `w` just took: `actor` acted, over `hop` if a message
    /// arrived. A kind with one node keeps its common noun.
    pub(crate) fn of(w: &World, actor: NodeId, hop: Option<(NodeId, NodeId)>) -> Cast {
        let many_services = w.nodes.services().nth(1).is_some();
        let many_caches = w.nodes.caches().nth(1).is_some();
        if !many_services && !many_caches {
            return Cast::default();
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
        let origin = || {
            w.nodes
                .cdn(NodeId::Cdn)
                .map_or(NodeId::SERVICE, |c| c.settings.origin)
        };
        let service = candidates
            .iter()
            .copied()
            .find(is_service)
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
        let cache = candidates.iter().copied().find(is_cache).or_else(|| {
            // Else the cache of the service the step is about.
            service.and_then(|s| w.nodes.service(s).map(|s| s.settings.cache))
        });
        Cast::named(
            service.filter(|_| many_services),
            cache.filter(|_| many_caches),
        )
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
