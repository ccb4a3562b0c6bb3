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
                (true, true) if invalidation_on_its_way(w, service, key) => format!(
                    " But {the_db} has {want}: this in-process copy is out of date until {the_cache_node}'s \
                     invalidation reaches {service}, or its TTL runs out at {expires_ms} ms."
                ),
                // Tracked, with nothing on its way (review 28: the only delete came before
                // this copy, yet the page said "until the invalidation reaches" it).
                (true, true) if tracked(w, service, key) => format!(
                    " But {the_db} has {want}: this in-process copy is out of date, and no invalidation is on \
                     its way to {service}. {cap_cache_node} tracks its read of {key}, so the next change to {key} \
                     will send one; until then, or until its TTL runs out at {expires_ms} ms, reads of {key} here \
                     get {version}."
                ),
                (true, true) if closing(w, service) => format!(
                    " But {the_db} has {want}: this in-process copy is out of date. {cap_cache_node} crashed, and \
                     its tracking table with it, but the close of {service}'s connection to it is on its way: \
                     when it arrives, {service} flushes its near cache. Until then, or until its TTL runs out at \
                     {expires_ms} ms, reads of {key} here get {version}."
                ),
                (true, true) => {
                    let node = w.nodes.service(service).map(|s| s.settings.cache);
                    let crashed = node.is_some_and(|c| w.books.crashes_of(c) > 0);
                    let lost = if crashed {
                        format!(
                            "{the_cache_node} no longer tracks {service}'s read of {key}: it crashed, and its \
                             tracking table was in its memory"
                        )
                    } else {
                        format!("{the_cache_node} no longer tracks {service}'s read of {key}")
                    };
                    // A close that reached it after it kept this copy would have flushed it.
                    let flush = if crashed {
                        format!(
                            " ({service} flushes its near cache when it sees its connection to {the_cache_node} \
                             close, as Redis's client-side caching clients do, since invalidations may have been \
                             missed; no close has reached it since it kept this copy.)"
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        " But {the_db} has {want}: this in-process copy is out of date, and no invalidation will \
                         come: {lost}, so nothing will tell {service} that the row changed: the copy lives until \
                         its TTL runs out at {expires_ms} ms.{flush}"
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
        NearFact::Flushed { service, keys, .. } => super::closed::flushed(n, service, keys),
        other => said("near cache", more(n, other)),
    }
}

/// Whether an invalidation of `key` is on its way to `service`.
fn invalidation_on_its_way(w: &World, service: NodeId, key: Key) -> bool {
    w.net
        .iter()
        .any(|m| m.to == service && matches!(m.payload, Payload::Invalidate { key: k } if k == key))
}

/// Whether `service`'s cache node's tracking table holds its read of `key` (it is
/// told when the key next changes there). A crash of the node empties the table
/// (review session 14, X15).
fn tracked(w: &World, service: NodeId, key: Key) -> bool {
    w.nodes
        .service(service)
        .and_then(|s| w.nodes.cache(s.settings.cache))
        .is_some_and(|c| {
            c.tracking
                .readers
                .get(&key)
                .is_some_and(|r| r.contains(&service))
        })
}

/// Whether the close of `service`'s connection to its cache node is on its way to it.
fn closing(w: &World, service: NodeId) -> bool {
    let node = w.nodes.service(service).map(|s| s.settings.cache);
    w.net
        .iter()
        .any(|m| m.to == service && Some(m.from) == node && m.payload == Payload::Closed)
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
        // A hit and a flush are their step's own fact (`say`), never one that follows.
        NearFact::Hit { .. } | NearFact::Flushed { .. } => String::new(),
    }
}

/// What a cache node's tracking table did, appended to the cache's step.
pub(super) fn tracking(w: &World, n: &Cast, fact: TrackingFact) -> String {
    let cap_cache_node = n.cache_node.cap();
    match fact {
        TrackingFact::Told { key, first, count } => {
            let whom = match count {
                0 | 1 => first.to_string(),
                n => format!("{first} and {} more", n - 1),
            };
            format!(
                " {cap_cache_node} remembers who read {key} (Redis client tracking): it pushes an invalidation to \
                 {whom}{}",
                will_drop(w, key, first, count)
            )
        }
    }
}

/// What the told instances will do with a tracking push of `key`, as the end of the
/// sentence: drop their near copy, or, for one that holds none now (it restarted since
/// its read, its memory gone), that it holds none (review session 17, F4).
pub(super) fn will_drop(w: &World, key: Key, first: NodeId, count: u8) -> String {
    if count > 1 {
        return ", each of which drops its near copy if it holds one when the push arrives."
            .to_string();
    }
    let holds = w
        .nodes
        .service(first)
        .is_some_and(|s| s.near.entries.get(&key).is_some());
    if holds {
        ", which will drop its near copy.".to_string()
    } else {
        format!(", though {first} holds no near copy of {key} now.")
    }
}
