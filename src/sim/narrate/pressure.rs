//! The sentences of `evict` and of `disconnect` and `resubscribe` (`fault/pressure.rs`,
//! `fault/subscription.rs`): what the real systems do, read from the fact and the state
//! after.
use super::super::describe::count;
use super::super::fact::Fact;
use super::super::fault::FaultFact;
use super::super::ids::{Key, NodeId, Version};
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::tracking::TrackingFact;
use super::super::world::World;

pub(super) fn say(w: &World, fact: FaultFact) -> Said {
    match fact {
        FaultFact::Evicted {
            node,
            key,
            version,
            tombstone,
            lease,
        } => {
            let what = if version == Version(0) {
                format!("its cached \"not found\" of {key}")
            } else {
                format!("{key} = {version}")
            };
            let queued = w
                .nodes
                .cache(node)
                .and_then(|c| c.queued(key))
                .map_or(String::new(), |v| {
                    format!(" Its write of {v} is still in the write-behind queue, on its way to the database.")
                });
            let guard = match (tombstone, lease) {
                (Some(t), _) => format!(
                    " Its tombstone for {key} (at {t}) is not the value and stays: a set older than {t} is \
                     still refused."
                ),
                (None, Some(t)) => format!(" The lease #{t} on {key} is not the value and stays."),
                (None, None) => String::new(),
            };
            let words = match node {
                NodeId::Service(_) => format!(
                    "Memory pressure: {node}'s in-process near cache is at its size bound and evicts {what} to \
                     make room (an LRU, as Caffeine's maximumSize does). {node}'s next read of {key} misses its \
                     near cache and asks the cache node."
                ),
                NodeId::Cdn => {
                    let origin = w
                        .nodes
                        .cdn(node)
                        .map_or(NodeId::SERVICE, |c| c.settings.origin);
                    format!(
                        "Storage pressure: the CDN edge {node} evicts its stored response for {what} to make room \
                         (an edge's LRU, as Varnish's nuking does). The next request for {key} through {node} goes \
                         to its origin, {origin}."
                    )
                }
                _ => {
                    // A set of the key already on its way to the node refills it, and a
                    // read after that hits (review session 15, Y3).
                    let sets: Vec<String> = w
                        .net
                        .iter()
                        .filter_map(|m| match m.payload {
                            Payload::Set { key: k, version, .. } if m.to == node && k == key => {
                                Some(version.to_string())
                            }
                            _ => None,
                        })
                        .collect();
                    let next = if sets.is_empty() {
                        format!("The next read of {key} from {node} misses and goes to the database.")
                    } else {
                        format!(
                            "A set of {key} = {} is already on its way to {node}: a read before it lands misses and \
                             goes to the database; one after it lands hits, if {node} takes the set.",
                            sets.join(" and ")
                        )
                    };
                    format!(
                        "Memory pressure: {node} is at its memory limit and evicts {what} to make room, as Redis \
                         does under maxmemory with an allkeys-lru policy, or memcached's LRU when its slab is full. \
                         {next}{guard}{queued}{}",
                        tracked(w, key)
                    )
                }
            };
            said(format!("evicted {key}"), words)
        }
        FaultFact::Disconnected {
            consumer,
            bus,
            durable,
            lost,
            ..
        } => {
            let lost = if lost == 0 {
                String::new()
            } else {
                format!(
                    " {} on that connection {} lost with it.",
                    count(u64::from(lost), "message", "messages"),
                    if lost == 1 { "is" } else { "are" }
                )
            };
            let per_ack = w
                .nodes
                .bus(bus)
                .and_then(|b| b.settings)
                .is_some_and(|c| c.ack_timeout_ms.is_some());
            let then = if durable && per_ack {
                format!(
                    "{bus} keeps its queue (like SQS or RabbitMQ): it delivers {consumer} nothing and refuses its \
                     acks until it subscribes again; then what was delivered and not acknowledged is delivered \
                     again (RabbitMQ requeues a closed channel's unacknowledged messages): it misses nothing, and \
                     may see an event twice."
                )
            } else if durable {
                format!(
                    "Kafka keeps the log: {bus} delivers {consumer} nothing and refuses its commits until it \
                     subscribes again, then it resumes from its group's committed offset: it misses nothing, and \
                     an event it handled without a commit comes again."
                )
            } else {
                format!(
                    "Redis Pub/Sub keeps no history: whatever {bus} publishes until {consumer} subscribes again is \
                     not pushed to it, and is lost for it for good."
                )
            };
            said(
                "disconnected",
                format!(
                    "{consumer}'s subscription to {bus} breaks (a network blip closes its connection, or the \
                     broker drops it): {consumer} keeps running and keeps its memory, but it is no longer \
                     subscribed.{lost} {then}"
                ),
            )
        }
        FaultFact::Resubscribing {
            consumer,
            bus,
            durable,
        } => {
            let per_ack = w
                .nodes
                .bus(bus)
                .and_then(|b| b.settings)
                .is_some_and(|c| c.ack_timeout_ms.is_some());
            said(
                "resubscribe",
                format!(
                    "{consumer} subscribes to {bus} again{}; {bus} takes it back when the request arrives.",
                    if durable && !per_ack {
                        ", rejoining its consumer group"
                    } else {
                        ""
                    }
                ),
            )
        }
        _ => Said::silent(),
    }
}

/// The tracking push the eviction of `key` made, read from the step's facts: Redis
/// tells the clients that track a key of its eviction as of any change (review session
/// 15, Y4). Empty where it told no one.
fn tracked(w: &World, key: Key) -> String {
    w.facts
        .0
        .iter()
        .find_map(|f| match f {
            Fact::Tracking(TrackingFact::Told { key: k, first, count }) if *k == key => {
                let whom = match count {
                    0 | 1 => first.to_string(),
                    n => format!("{first} and {} more", n - 1),
                };
                Some(format!(
                    " With client tracking, an eviction is a change like a delete: the cache node pushes an \
                     invalidation of {key} to {whom}, which read it{}",
                    super::near::will_drop(w, key, *first, *count)
                ))
            }
            _ => None,
        })
        .unwrap_or_default()
}
