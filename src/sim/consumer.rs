//! The invalidation consumer: takes events from the bus one at a time, in order, and
//! deletes the key (or, when configured, writes the event's value into the cache).
//! It acknowledges an event only after the cache confirmed, so a crash in between
//! means the event comes again. It can be idempotent (remembers the ids it handled)
//! and version-aware (ignores an event older than what it applied).
//!
//! A node in the shape of `node.rs`: its own state and settings; it answers through a
//! `Ctx` and says which events it handled, for the books.
use super::ids::{EventId, FlowId, Key, NodeId, Version};
use super::keymap::{KeyMap, KeySet};
use super::msg::{BusEvent, Message, Payload};
use super::node::Ctx;
use super::parts::Said;

/// How the consumer applies an event, and the hops it uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ConsumerSettings {
    /// Writes the event's value into the cache instead of deleting the key.
    pub update: bool,
    /// Remembers the ids of handled events and skips a redelivery.
    pub idempotent: bool,
    /// Ignores an event older than the version it applied.
    pub versioned: bool,
    /// A key whose events it fails on, every time (a poison event).
    pub poison: Option<Key>,
    /// Whether the bus is a durable log that wants acks and nacks, and its hop.
    pub durable_bus: bool,
    pub bus_ms: u64,
    pub cache_ms: u64,
}

/// The invalidation consumer's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Consumer {
    /// Events received and not yet handled, in order (with their log offsets).
    pub inbox: Vec<(BusEvent, u32)>,
    /// The event being handled, its offset, and the id of its cache request.
    pub busy: Option<(BusEvent, u32, FlowId)>,
    /// Idempotent consumer: the ids of the events it has handled (kept in its own
    /// store, so they survive a restart).
    pub processed: KeySet<EventId>,
    /// Version-aware consumer: the newest version applied per key.
    pub applied: KeyMap<Key, Version>,
    /// Fixed for a run.
    pub settings: ConsumerSettings,
}

/// What the consumer did with a message, for the books.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerFacts {
    /// An event arrived from the bus.
    pub received: bool,
    /// The events it finished with (applied, or skipped as already applied).
    pub handled: Vec<BusEvent>,
    /// Keys of events a version-aware consumer ignored as older than what it applied.
    pub ignored_old: Vec<Key>,
    /// Keys of events an idempotent consumer ignored as handled before.
    pub ignored_duplicate: Vec<Key>,
}

impl Consumer {
    pub fn new(settings: ConsumerSettings) -> Consumer {
        Consumer {
            settings,
            ..Consumer::default()
        }
    }

    /// A crash loses the events in its hands; the processed ids are in its store.
    pub(crate) fn on_crash(&mut self) {
        self.inbox.clear();
        self.busy = None;
    }

    /// After a restart it subscribes to the bus again.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        ctx.send(NodeId::Bus, None, Payload::Subscribe, self.settings.bus_ms);
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> (Said, ConsumerFacts) {
        let mut facts = ConsumerFacts::default();
        let s = on_msg(self, ctx, msg, &mut facts);
        (s, facts)
    }
}

fn on_msg(c: &mut Consumer, ctx: &mut Ctx, msg: &Message, facts: &mut ConsumerFacts) -> Said {
    match msg.payload {
        Payload::Deliver { ev, offset } => {
            facts.received = true;
            c.inbox.push((ev, offset));
            if let Some((cur, _, _)) = c.busy {
                return said!(ctx,
                    text!(ctx, "buffered {}", ev.id),
                    text!(ctx, "The consumer receives {ev}; it is still handling {}, so {} waits its turn.", cur.id, ev.id),
                );
            }
            let what = next(c, ctx, facts);
            said!(
                ctx,
                text!(ctx, "received {}", ev.id),
                text!(ctx, "The consumer receives {ev}. {what}").trim_end(),
            )
        }
        Payload::DelReply { .. } | Payload::SetReply { .. } => {
            let Some((ev, offset, flow)) = c.busy else {
                return said!(ctx, "ignored", "");
            };
            if Some(flow) != msg.flow {
                return said!(ctx, "ignored", "");
            }
            c.busy = None;
            let done = finish(c, ctx, ev, offset, facts);
            let then = next(c, ctx, facts);
            let what = match msg.payload {
                Payload::SetReply {
                    refused: Some(_), ..
                } => "refused the consumer's set",
                Payload::SetReply { .. } => "confirms the consumer's set",
                _ => "confirms the consumer's delete",
            };
            let text = text!(ctx, "The cache {what}: {} is handled. {done}{then}", ev.id);
            said!(ctx, text!(ctx, "handled {}", ev.id), text.trim_end())
        }
        other => said!(
            ctx,
            "ignored",
            text!(ctx, "The consumer does not expect {other}.")
        ),
    }
}

/// Records the event as handled and acknowledges it to a durable bus.
fn finish(
    c: &mut Consumer,
    ctx: &mut Ctx,
    ev: BusEvent,
    offset: u32,
    facts: &mut ConsumerFacts,
) -> String {
    c.processed.insert(ev.id);
    let applied = c.applied.or_insert(ev.key, ev.version);
    *applied = (*applied).max(ev.version);
    facts.handled.push(ev);
    match c.settings.durable_bus {
        true => {
            ctx.send(
                NodeId::Bus,
                None,
                Payload::Ack { ev, offset },
                c.settings.bus_ms,
            );
            text!(
                ctx,
                "It acknowledges {} so the bus can commit the offset. ",
                ev.id
            )
        }
        false => String::new(),
    }
}

/// Starts on the next event in the inbox, skipping those it must skip. Returns what
/// it did, for the narration.
fn next(c: &mut Consumer, ctx: &mut Ctx, facts: &mut ConsumerFacts) -> String {
    let mut said = String::new();
    // Bounded: each turn takes one event out of the inbox.
    while c.busy.is_none() && !c.inbox.is_empty() {
        let (ev, offset) = c.inbox.remove(0);
        let cfg = c.settings;
        if cfg.poison == Some(ev.key) {
            if cfg.durable_bus {
                ctx.send(NodeId::Bus, None, Payload::Nack { ev, offset }, cfg.bus_ms);
            }
            said.push_str(&text!(ctx,
                "It fails on {}: the payload does not parse (a poison event, a bug in the consumer); every attempt \
                 will fail the same way. It reports the failure to the bus. ",
                ev.id
            ));
            continue;
        }
        if cfg.idempotent && c.processed.contains(&ev.id) {
            facts.ignored_duplicate.push(ev.key);
            said.push_str(&text!(ctx,
                "It has handled {} before (idempotent consumer: it remembers processed event ids), so it does \
                 nothing and acknowledges. ",
                ev.id
            ));
            said.push_str(&finish(c, ctx, ev, offset, facts));
            continue;
        }
        if cfg.versioned {
            if let Some(applied) = c.applied.get(&ev.key).copied().filter(|a| *a > ev.version) {
                facts.ignored_old.push(ev.key);
                said.push_str(&text!(ctx,
                    "{} carries {} but {applied} is already applied to {} (version-aware consumer): it is older, \
                     so the consumer ignores it and acknowledges. ",
                    ev.id, ev.version, ev.key
                ));
                said.push_str(&finish(c, ctx, ev, offset, facts));
                continue;
            }
        }
        let again = c.processed.contains(&ev.id);
        let flow = ctx.new_request();
        c.busy = Some((ev, offset, flow));
        let lat = cfg.cache_ms;
        if cfg.update {
            let set = Payload::Set {
                key: ev.key,
                version: ev.version,
                token: None,
                loaded_at_ms: None,
            };
            ctx.send(NodeId::Cache, Some(flow), set, lat);
            if again {
                said.push_str(&text!(ctx,
                    "It has handled {} before, but it keeps no record of event ids, so it applies it again. ",
                    ev.id
                ));
            }
            said.push_str(&text!(ctx,
                "It writes the event's value into the cache: set {} = {} (an update, not a delete).",
                ev.key, ev.version
            ));
        } else {
            ctx.send(
                NodeId::Cache,
                Some(flow),
                Payload::Del {
                    key: ev.key,
                    version: None,
                },
                lat,
            );
            if again {
                said.push_str(&text!(ctx,
                    "It has handled {} before and deletes {} again: harmless, because a delete is idempotent.",
                    ev.id, ev.key
                ));
            } else {
                said.push_str(&text!(
                    ctx,
                    "It deletes {} from the cache, so that the next read loads {} or newer.",
                    ev.key,
                    ev.version
                ));
            }
        }
    }
    said
}
