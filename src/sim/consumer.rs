//! The invalidation consumer: takes events from the bus one at a time, in order, and
//! deletes the key (or, when configured, writes the event's value into the cache).
//! It acknowledges an event only after the cache confirmed, so a crash in between
//! means the event comes again. It can be idempotent (remembers the ids it handled)
//! and version-aware (ignores an event older than what it applied).
use super::ids::{FlowId, NodeId};
use super::msg::{BusEvent, Message, Payload};
use super::world::{Said, World};

pub(crate) fn consumer_message(w: &mut World, msg: &Message) -> Said {
    match msg.payload {
        Payload::Deliver { ev, offset } => {
            w.metrics.events_delivered += 1;
            w.consumer.inbox.push((ev, offset));
            if let Some((cur, _, _)) = w.consumer.busy {
                return said!(w,
                    text!(w, "buffered {}", ev.id),
                    text!(w, "The consumer receives {ev}; it is still handling {}, so {} waits its turn.", cur.id, ev.id),
                );
            }
            let what = next(w);
            said!(
                w,
                text!(w, "received {}", ev.id),
                text!(w, "The consumer receives {ev}. {what}").trim_end(),
            )
        }
        Payload::DelReply { .. } | Payload::SetReply { .. } => {
            let Some((ev, offset, flow)) = w.consumer.busy else {
                return said!(w, "ignored", "");
            };
            if Some(flow) != msg.flow {
                return said!(w, "ignored", "");
            }
            w.consumer.busy = None;
            let done = finish(w, ev, offset);
            let then = next(w);
            let what = match msg.payload {
                Payload::SetReply {
                    refused: Some(_), ..
                } => "refused the consumer's set",
                Payload::SetReply { .. } => "confirms the consumer's set",
                _ => "confirms the consumer's delete",
            };
            let text = text!(w, "The cache {what}: {} is handled. {done}{then}", ev.id);
            said!(w, text!(w, "handled {}", ev.id), text.trim_end())
        }
        other => said!(
            w,
            "ignored",
            text!(w, "The consumer does not expect {other}.")
        ),
    }
}

/// Records the event as handled and acknowledges it to a durable bus.
fn finish(w: &mut World, ev: BusEvent, offset: u32) -> String {
    w.consumer.processed.insert(ev.id);
    let applied = w.consumer.applied.or_insert(ev.key, ev.version);
    *applied = (*applied).max(ev.version);
    let handled = w.books.delivered.or_insert(ev.key, ev.version);
    *handled = (*handled).max(ev.version);
    match w.config.bus {
        Some(cfg) if cfg.durable => {
            w.send(
                NodeId::Consumer,
                NodeId::Bus,
                None,
                Payload::Ack { ev, offset },
                cfg.deliver_ms,
            );
            text!(
                w,
                "It acknowledges {} so the bus can commit the offset. ",
                ev.id
            )
        }
        _ => String::new(),
    }
}

/// Starts on the next event in the inbox, skipping those it must skip. Returns what
/// it did, for the narration.
fn next(w: &mut World) -> String {
    let mut said = String::new();
    while w.consumer.busy.is_none() && !w.consumer.inbox.is_empty() {
        let (ev, offset) = w.consumer.inbox.remove(0);
        let cfg = w.config.consumer;
        if w.config.poison == Some(ev.key) {
            if let Some(bus) = w.config.bus.filter(|b| b.durable) {
                w.send(
                    NodeId::Consumer,
                    NodeId::Bus,
                    None,
                    Payload::Nack { ev, offset },
                    bus.deliver_ms,
                );
            }
            said.push_str(&text!(w,
                "It fails on {}: the payload does not parse (a poison event, a bug in the consumer); every attempt \
                 will fail the same way. It reports the failure to the bus. ",
                ev.id
            ));
            continue;
        }
        if cfg.idempotent && w.consumer.processed.contains(&ev.id) {
            said.push_str(&text!(w,
                "It has handled {} before (idempotent consumer: it remembers processed event ids), so it does \
                 nothing and acknowledges. ",
                ev.id
            ));
            said.push_str(&finish(w, ev, offset));
            continue;
        }
        if cfg.versioned {
            if let Some(applied) = w
                .consumer
                .applied
                .get(&ev.key)
                .copied()
                .filter(|a| *a > ev.version)
            {
                said.push_str(&text!(w,
                    "{} carries {} but {applied} is already applied to {} (version-aware consumer): it is older, \
                     so the consumer ignores it and acknowledges. ",
                    ev.id, ev.version, ev.key
                ));
                said.push_str(&finish(w, ev, offset));
                continue;
            }
        }
        let again = w.consumer.processed.contains(&ev.id);
        let flow = FlowId(w.next_flow);
        w.next_flow += 1;
        w.consumer.busy = Some((ev, offset, flow));
        let lat = w.config.latency.cache_ms;
        if cfg.update {
            let set = Payload::Set {
                key: ev.key,
                version: ev.version,
                token: None,
            };
            w.send(NodeId::Consumer, NodeId::Cache, Some(flow), set, lat);
            if again {
                said.push_str(&text!(w,
                    "It has handled {} before, but it keeps no record of event ids, so it applies it again. ",
                    ev.id
                ));
            }
            said.push_str(&text!(w,
                "It writes the event's value into the cache: set {} = {} (an update, not a delete).",
                ev.key, ev.version
            ));
        } else {
            w.send(
                NodeId::Consumer,
                NodeId::Cache,
                Some(flow),
                Payload::Del {
                    key: ev.key,
                    version: None,
                },
                lat,
            );
            if again {
                said.push_str(&text!(w,
                    "It has handled {} before and deletes {} again: harmless, because a delete is idempotent.",
                    ev.id, ev.key
                ));
            } else {
                said.push_str(&text!(
                    w,
                    "It deletes {} from the cache, so that the next read loads {} or newer.",
                    ev.key,
                    ev.version
                ));
            }
        }
    }
    said
}
