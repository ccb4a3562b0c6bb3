//! The sentences of near caches (`near.rs`) and of a cache node's tracking table
//! (`tracking.rs`): what an instance answered from its own memory, kept or dropped, and
//! whom the cache node told of a change.
use super::super::ids::{Key, NodeId};
use super::super::msg::Payload;
use super::super::near::{NearDrop, NearFact};
use super::super::parts::{said, Said};
use super::super::tracking::TrackingFact;
use super::super::world::World;
use super::names::Cast;

/// A near cache's fact as the step's own (a hit, an invalidation arriving).
pub(super) fn say(w: &World, n: &Cast, fact: NearFact) -> Said {
    let (the_cache_node, cap_cache_node) = (n.cache_node, n.cache_node.cap());
    match fact {
        NearFact::Hit {
            service,
            key,
            version,
            expires_ms,
        } => {
            let want = w.expected(key);
            let the_db = n.db_of(key);
            let tracking = w.config.near.is_some_and(|n| n.tracking);
            let behind = match (version < want, tracking) {
                (false, _) => String::new(),
                (true, true) if invalidation_can_come(w, service, key) => format!(
                    " But {the_db} has {want}: this in-process copy is out of date until {the_cache_node}'s \
                     invalidation reaches {service}, or its TTL runs out at {expires_ms} ms."
                ),
                (true, true) => {
                    let node = w.nodes.service(service).map(|s| s.settings.cache);
                    let lost = match node {
                        Some(c) if w.books.crashes_of(c) > 0 => format!(
                            "{the_cache_node} no longer tracks {service}'s read of {key}: it crashed, and its \
                             tracking table was in its memory"
                        ),
                        _ => format!("{the_cache_node} no longer tracks {service}'s read of {key}"),
                    };
                    format!(
                        " But {the_db} has {want}: this in-process copy is out of date, and no invalidation will \
                         come: {lost}, so nothing will tell {service} that the row changed: the copy lives until \
                         its TTL runs out at {expires_ms} ms. (For this reason Redis's client-side caching has a \
                         client flush its local cache when its connection to the server drops; {service} here \
                         keeps its copy.)"
                    )
                }
                (true, false) => format!(
                    " But {the_db} has {want}: this in-process copy is out of date, and nothing tells \
                     {service} that the row changed: the copy lives until its TTL runs out at {expires_ms} ms."
                ),
            };
            said(
                format!("near hit {version}"),
                format!(
                    "{service} finds {key} = {version} in its own near cache (kept until {expires_ms} ms) and \
                     answers at once, with no network hop: neither {the_cache_node} nor {the_db} is asked.{behind}"
                ),
            )
        }
        NearFact::Dropped {
            service,
            key,
            held,
            why: NearDrop::Invalidated,
        } => match held {
            Some(v) => said(
                "near copy dropped",
                format!(
                    "{cap_cache_node}'s invalidation of {key} reaches {service} (Redis client tracking): it drops \
                     its near copy ({v}); its next read of {key} asks {the_cache_node} again."
                ),
            ),
            None => said(
                "nothing to drop",
                format!(
                    "{cap_cache_node}'s invalidation of {key} reaches {service}, which holds no near copy of {key} \
                     any more: nothing changes."
                ),
            ),
        },
        other => said("near cache", more(n, other)),
    }
}

/// Whether an invalidation of `key` can still reach `service`: one is on its way to
/// it, or its cache node's tracking table still holds its read of `key` (it is told
/// when the key next changes there). A crash of the node empties the table (review
/// session 14, X15).
fn invalidation_can_come(w: &World, service: NodeId, key: Key) -> bool {
    let on_its_way = w.net.iter().any(|m| {
        m.to == service && matches!(m.payload, Payload::Invalidate { key: k } if k == key)
    });
    let tracked = w
        .nodes
        .service(service)
        .and_then(|s| w.nodes.cache(s.settings.cache))
        .is_some_and(|c| {
            c.tracking
                .readers
                .get(&key)
                .is_some_and(|r| r.contains(&service))
        });
    on_its_way || tracked
}

/// A near cache's fact that follows the step's own, as a sentence to append.
pub(super) fn more(n: &Cast, fact: NearFact) -> String {
    let the_cache_node = n.cache_node;
    match fact {
        NearFact::Kept {
            service,
            key,
            version,
            expires_ms,
        } => format!(" {service} keeps {key} = {version} in its near cache until {expires_ms} ms."),
        NearFact::Dropped {
            service,
            key,
            held,
            why,
        } => {
            let held = held.map_or(String::new(), |v| format!(" ({v})"));
            match why {
                NearDrop::OwnWrite => format!(
                    " {service} drops its own near copy of {key}{held}: it is writing the key. Other instances' \
                     copies are not its to drop."
                ),
                NearDrop::Invalidated => {
                    format!(" {service} drops its near copy of {key}{held}: {the_cache_node} said it changed.")
                }
            }
        }
        // A hit is its step's own fact (`say`), never one that follows.
        NearFact::Hit { .. } => String::new(),
    }
}

/// What a cache node's tracking table did, appended to the cache's step.
pub(super) fn tracking(n: &Cast, fact: TrackingFact) -> String {
    let cap_cache_node = n.cache_node.cap();
    match fact {
        TrackingFact::Told { key, first, count } => {
            let whom = match count {
                0 | 1 => first.to_string(),
                n => format!("{first} and {} more", n - 1),
            };
            format!(
                " {cap_cache_node} remembers who read {key} (Redis client tracking): it pushes an invalidation to \
                 {whom}, which will drop its near copy."
            )
        }
    }
}
