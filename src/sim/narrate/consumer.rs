//! The consumer's steps in words: what arrived from the bus, then what it did with its
//! inbox (split from `bus.rs`, the bus's own steps).
use super::super::consumer::ConsumerFact;
use super::super::fact::Fact;
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::names::Cast;

/// A step of the consumer: what arrived, then what it did with its inbox.
pub(super) fn say(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    let (the_cache, cap_cache) = (n.cache, n.cache.cap());
    let (the_consumer, cap_consumer) = (n.consumer, n.consumer.cap());
    let mut head = None;
    let mut then = String::new();
    for fact in facts {
        let Fact::Consumer(f) = fact else { continue };
        match *f {
            ConsumerFact::Buffered { ev, busy } => {
                return said(
                    format!("buffered {}", ev.id),
                    format!(
                        "{cap_consumer} receives {ev}; it is still handling {busy}, so {} waits its turn.",
                        ev.id
                    ),
                )
            }
            ConsumerFact::Received { ev } => {
                head = Some((
                    format!("received {}", ev.id),
                    format!("{cap_consumer} receives {ev}. "),
                ))
            }
            ConsumerFact::Confirmed { ev, reply } => {
                let what = match reply {
                    Payload::SetReply {
                        refused: Some(_), ..
                    } => "refused",
                    Payload::SetReply { .. } => "confirms",
                    _ => "confirms",
                };
                let op = match reply {
                    Payload::SetReply { .. } => "set",
                    _ => "delete",
                };
                let whose = match the_consumer.id {
                    Some(id) => format!("{id}'s"),
                    None => "the consumer's".to_string(),
                };
                head = Some((
                    format!("handled {}", ev.id),
                    format!("{cap_cache} {what} {whose} {op}: {} is handled. ", ev.id),
                ))
            }
            // A queue with an ack per event (SQS, RabbitMQ) removes what is acknowledged;
            // a log has offsets to commit (review session 13, W8).
            ConsumerFact::Handled { ev, acked: true } => then.push_str(&format!(
                "It acknowledges {} so the bus can {}. ",
                ev.id,
                if w.bus().settings.is_some_and(|c| c.durable && c.ack_timeout_ms.is_some()) {
                    "remove it from the queue"
                } else {
                    "commit the offset"
                }
            )),
            ConsumerFact::Handled { acked: false, .. } => {}
            ConsumerFact::Poisoned { ev } => then.push_str(&format!(
                "It fails on {}: the payload does not parse (a poison event, a bug in the consumer); every \
                 attempt will fail the same way. It reports the failure to the bus. ",
                ev.id
            )),
            ConsumerFact::Duplicate { ev } => then.push_str(&format!(
                "It has handled {} before (idempotent consumer: it remembers processed event ids), so it does \
                 nothing. ",
                ev.id
            )),
            ConsumerFact::Outdated { ev, applied } => then.push_str(&format!(
                "{} carries {} but {applied} is already applied to {} (version-aware consumer): it is older, so \
                 {the_consumer} ignores it. ",
                ev.id, ev.version, ev.key
            )),
            ConsumerFact::Applying {
                ev,
                update: true,
                again,
                ..
            } => {
                if again {
                    then.push_str(&format!(
                        "It has handled {} before, but it keeps no record of event ids, so it applies it again. ",
                        ev.id
                    ));
                }
                then.push_str(&format!(
                    "It writes the event's value into {the_cache}: set {} = {} (an update, not a delete).",
                    ev.key, ev.version
                ));
            }
            ConsumerFact::Applying {
                ev,
                update: false,
                again: true,
                ..
            } => then.push_str(&format!(
                "It has handled {} before and deletes {} again: harmless, because a delete is idempotent.",
                ev.id, ev.key
            )),
            ConsumerFact::Applying { ev, .. } => then.push_str(&format!(
                "It deletes {} from {the_cache}, so that the next read loads {} or newer.",
                ev.key, ev.version
            )),
            ConsumerFact::Stray => return said("ignored", ""),
            ConsumerFact::Ignored { payload } => {
                return said(
                    "ignored",
                    format!("{cap_consumer} does not expect {payload}."),
                )
            }
        }
    }
    match head {
        Some((outcome, narration)) => said(outcome, (narration + &then).trim_end()),
        None => Said::silent(),
    }
}
