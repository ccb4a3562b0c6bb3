//! The invalidation consumer: takes events from the bus one at a time, in order, and
//! deletes the key (or, when configured, writes the event's value into the cache).
//! It acknowledges an event only after the cache confirmed, so a crash in between
//! means the event comes again. It can be idempotent (remembers the ids it handled)
//! and version-aware (ignores an event older than what it applied).
//!
//! A node in the shape of `node.rs`: its own state and settings; it answers through a
//! `Ctx` and says what it did as `ConsumerFact`s, no text: the books and the narration
//! observe them.
use super::ids::{EventId, FlowId, Key, NodeId, Version};
use super::keymap::{KeyMap, KeySet};
use super::msg::{BusEvent, Message, Payload};
use super::node::Ctx;

/// How the consumer applies an event, the hops it uses, the bus it subscribes to and
/// the cache it deletes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConsumerSettings {
    pub bus: NodeId,
    pub cache: NodeId,
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

impl Default for ConsumerSettings {
    fn default() -> Self {
        ConsumerSettings {
            bus: NodeId::BUS,
            cache: NodeId::CACHE,
            update: false,
            idempotent: false,
            versioned: false,
            poison: None,
            durable_bus: false,
            bus_ms: 0,
            cache_ms: 0,
        }
    }
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

/// What the consumer did, in order, for the books and the narration
/// (`narrate/consumer.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumerFact {
    /// An event arrived while it handles `busy`: the event waits its turn.
    Buffered { ev: BusEvent, busy: EventId },
    /// An event arrived and it turns to its inbox now.
    Received { ev: BusEvent },
    /// The cache answered (`reply`) its request for `ev`.
    Confirmed { ev: BusEvent, reply: Payload },
    /// It finished with `ev` (applied, or skipped as applied); `acked`: it
    /// acknowledged it to a durable bus.
    Handled { ev: BusEvent, acked: bool },
    /// It failed on `ev`: a poison event.
    Poisoned { ev: BusEvent },
    /// An idempotent consumer skips `ev`, handled before.
    Duplicate { ev: BusEvent },
    /// A version-aware consumer skips `ev`: `applied` is newer.
    Outdated { ev: BusEvent, applied: Version },
    /// It applies `ev` to the cache: a set with `update`, else a delete, sent as
    /// request `flow`; `again`: it has handled `ev` before.
    Applying {
        ev: BusEvent,
        flow: FlowId,
        update: bool,
        again: bool,
    },
    /// A reply that is not for the request it has under way.
    Stray,
    /// A message it does not expect.
    Ignored { payload: Payload },
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
        self.subscribe(ctx);
    }

    /// It asks its bus for its subscription (after a restart, or a broken one).
    pub(crate) fn subscribe(&mut self, ctx: &mut Ctx) {
        ctx.send(
            self.settings.bus,
            None,
            Payload::Subscribe,
            self.settings.bus_ms,
        );
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        on_msg(self, ctx, msg);
    }
}

fn on_msg(c: &mut Consumer, ctx: &mut Ctx, msg: &Message) {
    match msg.payload {
        Payload::Deliver { ev, offset } => {
            c.inbox.push((ev, offset));
            if let Some((cur, _, _)) = c.busy {
                ctx.fact(ConsumerFact::Buffered { ev, busy: cur.id });
                return;
            }
            ctx.fact(ConsumerFact::Received { ev });
            next(c, ctx);
        }
        Payload::DelReply { .. } | Payload::SetReply { .. } => {
            let Some((ev, offset, _)) = c.busy.filter(|&(_, _, flow)| Some(flow) == msg.flow)
            else {
                ctx.fact(ConsumerFact::Stray);
                return;
            };
            c.busy = None;
            ctx.fact(ConsumerFact::Confirmed {
                ev,
                reply: msg.payload,
            });
            finish(c, ctx, ev, offset);
            next(c, ctx);
        }
        payload => ctx.fact(ConsumerFact::Ignored { payload }),
    }
}

/// Records the event as handled and acknowledges it to a durable bus.
fn finish(c: &mut Consumer, ctx: &mut Ctx, ev: BusEvent, offset: u32) {
    c.processed.insert(ev.id);
    let applied = c.applied.or_insert(ev.key, ev.version);
    *applied = (*applied).max(ev.version);
    let acked = c.settings.durable_bus;
    if acked {
        ctx.send(
            c.settings.bus,
            None,
            Payload::Ack { ev, offset },
            c.settings.bus_ms,
        );
    }
    ctx.fact(ConsumerFact::Handled { ev, acked });
}

/// Starts on the next event in the inbox, skipping those it must skip.
fn next(c: &mut Consumer, ctx: &mut Ctx) {
    // Bounded: each turn takes one event out of the inbox.
    while c.busy.is_none() && !c.inbox.is_empty() {
        let (ev, offset) = c.inbox.remove(0);
        let cfg = c.settings;
        if cfg.poison == Some(ev.key) {
            if cfg.durable_bus {
                ctx.send(cfg.bus, None, Payload::Nack { ev, offset }, cfg.bus_ms);
            }
            ctx.fact(ConsumerFact::Poisoned { ev });
            continue;
        }
        if cfg.idempotent && c.processed.contains(&ev.id) {
            ctx.fact(ConsumerFact::Duplicate { ev });
            finish(c, ctx, ev, offset);
            continue;
        }
        if cfg.versioned {
            if let Some(applied) = c.applied.get(&ev.key).copied().filter(|a| *a > ev.version) {
                ctx.fact(ConsumerFact::Outdated { ev, applied });
                finish(c, ctx, ev, offset);
                continue;
            }
        }
        let again = c.processed.contains(&ev.id);
        let flow = ctx.new_request();
        c.busy = Some((ev, offset, flow));
        let lat = cfg.cache_ms;
        let payload = if cfg.update {
            Payload::Set {
                key: ev.key,
                version: ev.version,
                token: None,
                loaded_at_ms: None,
            }
        } else {
            Payload::Del {
                key: ev.key,
                version: None,
            }
        };
        ctx.send(cfg.cache, Some(flow), payload, lat);
        ctx.fact(ConsumerFact::Applying {
            ev,
            flow,
            update: cfg.update,
            again,
        });
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Consumer {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Consumer::on_msg(self, ctx, msg)
    }
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        Consumer::on_crash(self)
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Consumer::on_restart(self, ctx)
    }
}
