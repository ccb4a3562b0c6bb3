//! Which service and which cache a step's words mean. The sentences say "the service"
//! and "the cache" (or "the cache node"): in the classic topology there is one of each,
//! and those are their names. Where the topology has more than one of a kind (a second
//! instance, a pool, a second region), a sentence must name the one that acted, so the
//! step's `Cast` says who they are (from the nodes that recorded its facts, the hop and
//! the messages it sent) and `Cast::name` writes their ids in place of the common
//! nouns: "cache-2 has no user:1", "service-2 updates user:1".
use super::super::ids::NodeId;
use super::super::world::World;

/// The service and the cache node a step's words are about, where the topology has
/// more than one of that kind (`None`: the common noun is the name).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cast {
    pub service: Option<NodeId>,
    pub cache: Option<NodeId>,
}

impl Cast {
    /// The cast of the step `w` just took: `actor` acted, over `hop` if a message
    /// arrived.
    pub(crate) fn of(w: &World, actor: NodeId, hop: Option<(NodeId, NodeId)>) -> Cast {
        let many_services = w.nodes.services().nth(1).is_some();
        let many_caches = w.nodes.caches().nth(1).is_some();
        if !many_services && !many_caches {
            return Cast::default();
        }
        let is_service = |n: &NodeId| matches!(n, NodeId::Service(_));
        let is_cache = |n: &NodeId| matches!(n, NodeId::Cache(_));
        // The nodes that recorded the step's facts, then the one that acted, the
        // sender of what arrived, and where the step sent its messages.
        let recorded = w.facts.with_nodes().filter_map(|(n, _)| n);
        let (from, _) = hop.unzip();
        let sent = w
            .net
            .iter()
            .filter(|m| m.id.0 >= w.facts.1.first_msg)
            .map(|m| m.to);
        let candidates: Vec<NodeId> = recorded.chain([actor]).chain(from).chain(sent).collect();
        let service = candidates.iter().copied().find(is_service).or_else(|| {
            // A client's step is about the service it sends to.
            actor
                .is_client()
                .then(|| w.config.route(actor).service.unwrap_or(NodeId::SERVICE))
        });
        let cache = candidates.iter().copied().find(is_cache).or_else(|| {
            // Else the cache of the service the step is about.
            service.and_then(|s| w.nodes.service(s).map(|s| s.settings.cache))
        });
        Cast {
            service: service.filter(|_| many_services),
            cache: cache.filter(|_| many_caches),
        }
    }

    /// `text` with "the service" and "the cache" (and "the cache node") written as the
    /// ids of the cast's nodes, at the start of a sentence or within one. "The cache
    /// step" (a service's step on the cache) and "cached" are not the node.
    pub(crate) fn name(&self, text: &str) -> String {
        let mut out = text.to_string();
        if let Some(cache) = self.cache {
            let id = cache.to_string();
            for noun in ["The cache node", "the cache node"] {
                out = replace_word(&out, noun, &id, &[]);
            }
            for noun in ["The cache", "the cache"] {
                out = replace_word(&out, noun, &id, &[" step"]);
            }
        }
        if let Some(service) = self.service {
            let id = service.to_string();
            for noun in ["The service", "the service"] {
                out = replace_word(&out, noun, &id, &[]);
            }
        }
        out
    }
}

/// `text` with each `noun` that ends a word (the next character is not a letter, a
/// digit or `-`) and is not followed by one of `unless` replaced by `id`.
fn replace_word(text: &str, noun: &str, id: &str, unless: &[&str]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find(noun) {
        let after = &rest[at + noun.len()..];
        let ends_word = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '-');
        let starts_word = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        let kept = unless.iter().any(|u| after.starts_with(u));
        out.push_str(&rest[..at]);
        if ends_word && starts_word && !kept {
            out.push_str(id);
        } else {
            out.push_str(noun);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_cast_and_keeps_what_is_not_the_node() {
        let cast = Cast {
            service: Some(NodeId::Service(2)),
            cache: Some(NodeId::Cache(2)),
        };
        assert_eq!(
            cast.name(
                "The cache has no user:1. The service must load it; the cache's copy, the cached key, \
                 the cache step, the cache node said so, the service's request."
            ),
            "cache-2 has no user:1. service-2 must load it; cache-2's copy, the cached key, the cache \
             step, cache-2 said so, service-2's request."
        );
        let one = Cast::default();
        assert_eq!(one.name("The cache has it."), "The cache has it.");
    }
}
