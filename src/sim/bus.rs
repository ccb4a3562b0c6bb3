//! The event bus, with its delivery guarantee as a setting.
//!
//! At-most-once (Redis Pub/Sub): a published message is pushed to the subscribers
//! connected at that moment and kept nowhere; a consumer that is down misses it.
//! Durable (Kafka): the event is appended to a log on disk; the consumer reads it in
//! order and commits its offset after handling it. After a restart it resumes from the
//! committed offset, so it catches up, and may see an event twice: at-least-once.
//! Retries of a failed event use a backoff; after the last one the event goes to the
//! dead-letter queue.
//!
//! A node in the shape of `node.rs`: its own log and settings, and the state of its
//! subscriber's connection; it answers through a `Ctx` and says what it did as
//! `BusFacts` for the books.
use super::config::BusConfig;
use super::ids::{Key, NodeId};
use super::msg::{BusEvent, Message, Payload};
use super::node::{Ctx, NodeStatus};
use super::parts::{Said, TimerKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryState {
    /// Waiting to be delivered.
    Pending,
    /// Delivered, not yet acknowledged.
    Sent,
    /// Failed; waiting for its backoff to end. Everything behind it waits too.
    Retrying,
    /// Handled and acknowledged: the committed offset has passed it.
    Acked,
    /// Given up on: moved to the dead-letter queue.
    Dead,
}

impl EntryState {
    pub fn name(self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Sent => "delivered",
            EntryState::Retrying => "retrying",
            EntryState::Acked => "acked",
            EntryState::Dead => "dead-lettered",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LogEntry {
    pub ev: BusEvent,
    pub state: EntryState,
    /// How many times the consumer failed on it.
    pub failures: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bus {
    pub durable: bool,
    /// The durable log (one partition), oldest first; empty for at-most-once.
    pub log: Vec<LogEntry>,
    /// The dead-letter queue: events an operator must look at and replay.
    pub dlq: Vec<LogEntry>,
    /// Fixed for a run: `None` where the scenario has no bus.
    pub settings: Option<BusConfig>,
    /// Its subscriber's connection: down (not subscribed), paused (connected, not
    /// reading) or up.
    pub subscriber: NodeStatus,
}

/// What the bus did with a message, for the books.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BusFacts {
    /// An event was published to it.
    pub published: bool,
    /// At-most-once: the event reached no subscriber and is gone.
    pub dropped: bool,
    /// A durable log kept an event while its consumer was not up.
    pub waited: Option<Key>,
}

impl Bus {
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> (Said, BusFacts) {
        let mut facts = BusFacts::default();
        let s = on_msg(self, ctx, msg, &mut facts);
        (s, facts)
    }

    /// A retry's backoff or an ack timeout ends.
    pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx, kind: TimerKind) -> Said {
        match kind {
            TimerKind::BusRetry { offset } => retry(self, ctx, offset),
            TimerKind::AckTimeout { offset } => ack_timeout(self, ctx, offset),
            _ => said!(ctx, "nothing", ""),
        }
    }

    /// After a restart: a new session, and it serves its log again.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        reconnect(self, ctx);
        pump(self, ctx);
    }

    /// The consumer's committed offset: the first event not yet handled (or given up).
    pub fn offset(&self) -> u32 {
        self.log
            .iter()
            .position(|e| !matches!(e.state, EntryState::Acked | EntryState::Dead))
            .unwrap_or(self.log.len()) as u32
    }
}

fn on_msg(b: &mut Bus, ctx: &mut Ctx, msg: &Message, facts: &mut BusFacts) -> Said {
    let Some(cfg) = b.settings else {
        return said!(ctx, "ignored", "There is no bus in this scenario.");
    };
    match msg.payload {
        Payload::Publish { ev } => {
            facts.published = true;
            if msg.from == NodeId::Relay {
                ctx.send(msg.from, None, Payload::PublishAck { ev }, cfg.publish_ms);
            }
            if cfg.durable {
                b.log.push(LogEntry {
                    ev,
                    state: EntryState::Pending,
                    failures: 0,
                });
                let at = b.log.len() - 1;
                if b.subscriber != NodeStatus::Up {
                    facts.waited = Some(ev.key);
                }
                let mut sent = pump(b, ctx);
                if sent.is_empty() {
                    let head = b
                        .log
                        .iter()
                        .find(|e| matches!(e.state, EntryState::Retrying | EntryState::Sent));
                    sent = match head {
                        Some(h) if h.state == EntryState::Retrying => text!(ctx,
                            " It must wait: {} ahead of it is being retried, and the log is delivered in order.",
                            h.ev.id
                        ),
                        Some(h) => text!(ctx, " It waits its turn behind {}.", h.ev.id),
                        None if b.subscriber != NodeStatus::Up => {
                            " The consumer is down: the event waits in the log.".to_string()
                        }
                        None => String::new(),
                    };
                }
                return said!(ctx,
                    text!(ctx, "logged {} at {at}", ev.id),
                    text!(ctx,
                        "The bus appends {ev} to its log at offset {at}, on disk ({}): it stays there until the \
                         consumer has acknowledged it.{sent}",
                        durable_kind(&cfg)
                    ),
                );
            }
            if b.subscriber == NodeStatus::Down {
                facts.dropped = true;
                return said!(ctx,
                    text!(ctx, "dropped {}", ev.id),
                    text!(ctx,
                        "The bus pushes {ev} to the subscribers connected right now, and the consumer is not one of \
                         them: it is down. The bus keeps nothing (at-most-once, like Redis Pub/Sub), so {} is gone \
                         for good.",
                        ev.id
                    ),
                );
            }
            ctx.send(
                NodeId::Consumer,
                None,
                Payload::Deliver { ev, offset: 0 },
                cfg.deliver_ms,
            );
            said!(ctx,
                text!(ctx, "pushed {}", ev.id),
                text!(ctx,
                    "The bus pushes {ev} to the connected consumer and keeps no copy (at-most-once, like Redis \
                     Pub/Sub): fast and simple, but a subscriber that is not listening misses it."
                ),
            )
        }
        Payload::Ack { ev, offset } => {
            let mut was_sent = false;
            if let Some(e) = b.log.get_mut(offset as usize) {
                if e.state == EntryState::Sent {
                    e.state = EntryState::Acked;
                    was_sent = true;
                }
            }
            ctx.cancel(TimerKind::AckTimeout { offset });
            let before = b.offset();
            let sent = pump(b, ctx);
            let now = b.offset();
            let what = if !was_sent {
                text!(ctx,
                    "the bus was not waiting for this ack ({} is not out for delivery now), so it changes nothing; \
                     the committed offset is {now}.",
                    ev.id
                )
            } else if now > offset {
                text!(
                    ctx,
                    "the bus commits the consumer's offset, now {now}. Only now is {} done with.",
                    ev.id
                )
            } else {
                let head = b
                    .log
                    .get(before as usize)
                    .map(|e| e.ev.id.to_string())
                    .unwrap_or_default();
                text!(ctx,
                    "the bus marks {} done, but the committed offset stays at {now}: {head} ahead of it has no ack \
                     yet. Each event is acknowledged on its own (as in SQS or RabbitMQ), not by a cumulative offset as \
                     in Kafka.",
                    ev.id
                )
            };
            said!(
                ctx,
                text!(ctx, "committed {now}"),
                text!(ctx, "The consumer acknowledged {}: {what}{sent}", ev.id),
            )
        }
        Payload::Nack { ev, offset } => nack(b, ctx, ev, offset),
        Payload::Subscribe => {
            if !cfg.durable {
                return said!(ctx,
                    "subscribed",
                    "The consumer subscribes again. Pub/Sub keeps no history: whatever was published while it was \
                     down is lost, and it will only see new messages.",
                );
            }
            reconnect(b, ctx);
            let behind = b.log.len() as u32 - b.offset();
            let sent = pump(b, ctx);
            said!(ctx,
                text!(ctx, "resume at {}", b.offset()),
                text!(ctx,
                    "The consumer reconnects; the bus resumes from its committed offset {}, with {} to catch up on \
                     (an event handled but not acknowledged comes again: at-least-once).{sent}",
                    b.offset(),
                    super::describe::count(u64::from(behind), "event", "events")
                ),
            )
        }
        other => said!(
            ctx,
            "ignored",
            text!(ctx, "The bus does not handle {other}.")
        ),
    }
}

fn nack(b: &mut Bus, ctx: &mut Ctx, ev: BusEvent, offset: u32) -> Said {
    let Some(cfg) = b.settings else {
        return said!(ctx, "ignored", "");
    };
    let Some(e) = b.log.get_mut(offset as usize) else {
        return said!(ctx, "ignored", "");
    };
    e.failures += 1;
    let failures = e.failures;
    let policy = cfg.retry;
    if policy.max_retries.is_some_and(|max| failures > max) {
        e.state = EntryState::Dead;
        let entry = *e;
        b.dlq.push(entry);
        let sent = pump(b, ctx);
        let kafka = if cfg.ack_timeout_ms.is_none() {
            " (With Kafka the consumer's error handler does this: it publishes the event to a dead-letter topic and \
             commits past it.)"
        } else {
            ""
        };
        return said!(ctx,
            text!(ctx, "{} to the DLQ", ev.id),
            text!(ctx,
                "{} failed {failures} times, its last retry included: the bus moves it to the dead-letter queue, for an \
                 operator to inspect and replay, and commits past it.{kafka} The events behind it are no longer \
                 blocked.{sent}",
                ev.id
            ),
        );
    }
    let backoff = if policy.exponential {
        policy.backoff_ms << (failures - 1).min(16)
    } else {
        policy.backoff_ms
    };
    e.state = EntryState::Retrying;
    let at = ctx.now_ms + backoff;
    ctx.set_timer(at, TimerKind::BusRetry { offset });
    let waiting_n = b
        .log
        .iter()
        .skip(offset as usize + 1)
        .filter(|e| e.state == EntryState::Pending)
        .count();
    let limit = match policy.max_retries {
        Some(max) => text!(ctx, "retry {failures} of {max}"),
        None => "it retries for ever".to_string(),
    };
    let waiting = match waiting_n {
        0 => "any event published behind it will have to wait".to_string(),
        1 => "the event behind it waits".to_string(),
        n => text!(ctx, "the {n} events behind it wait"),
    };
    let kafka = if cfg.ack_timeout_ms.is_none() && failures == 1 {
        " (With Kafka it is the consumer's error handler that retries, as Spring Kafka's does: it seeks back to the \
         failed offset and polls it again after the backoff.)"
    } else {
        ""
    };
    said!(ctx,
        text!(ctx, "retry at {at}"),
        text!(ctx,
            "The consumer failed on {}. The bus will redeliver it at {at} ms ({limit}, backoff {backoff} ms).{kafka} The \
             log is ordered, so {waiting}: head-of-line blocking.",
            ev.id
        ),
    )
}

/// The real system the durable bus behaves like, for the narration. With an ack
/// timeout each event is acknowledged on its own and one left unacknowledged is
/// redelivered alone, after later ones were acknowledged: SQS's visibility timeout or
/// RabbitMQ's unacknowledged messages, not Kafka, whose consumer commits one offset
/// cumulatively and replays in order.
fn durable_kind(cfg: &super::config::BusConfig) -> String {
    if cfg.ack_timeout_ms.is_some() {
        format!(
            "a durable queue with an ack per event and an ack timeout, like {}",
            behaves_like(cfg)
        )
    } else {
        format!("a durable log, like {}", behaves_like(cfg))
    }
}

/// The real system a bus with `cfg` behaves like, for the page's words.
pub fn behaves_like(cfg: &super::config::BusConfig) -> &'static str {
    match (cfg.durable, cfg.ack_timeout_ms) {
        (false, _) => "Redis Pub/Sub",
        (true, Some(_)) => "SQS or RabbitMQ",
        (true, None) => "a Kafka partition",
    }
}

/// Everything delivered but not acknowledged goes back to pending (a new session).
fn reconnect(b: &mut Bus, ctx: &mut Ctx) {
    for e in &mut b.log {
        if matches!(e.state, EntryState::Sent | EntryState::Retrying) {
            e.state = EntryState::Pending;
        }
    }
    // Its own timers are the ack timeouts and retries of the old session.
    ctx.cancel_all_timers();
}

/// Delivers what the durable log may deliver now: in order, from the committed
/// offset, at most `prefetch` unacknowledged at once, never past a retrying event.
/// Returns a sentence for the narration.
fn pump(b: &mut Bus, ctx: &mut Ctx) -> String {
    let Some(cfg) = b.settings else {
        return String::new();
    };
    // Called only while the bus runs; a consumer that is down is not subscribed.
    if !cfg.durable || b.subscriber == NodeStatus::Down {
        return String::new();
    }
    let mut out = b.log.iter().filter(|e| e.state == EntryState::Sent).count() as u32;
    let mut sent = Vec::new();
    for i in b.offset() as usize..b.log.len() {
        match b.log[i].state {
            EntryState::Retrying => break,
            EntryState::Pending if out < cfg.prefetch => {
                b.log[i].state = EntryState::Sent;
                let ev = b.log[i].ev;
                let offset = i as u32;
                ctx.send(
                    NodeId::Consumer,
                    None,
                    Payload::Deliver { ev, offset },
                    cfg.deliver_ms,
                );
                if let Some(timeout) = cfg.ack_timeout_ms {
                    let at = ctx.now_ms + cfg.deliver_ms + timeout;
                    ctx.set_timer(at, TimerKind::AckTimeout { offset });
                }
                if !ctx.voice.is_quiet() {
                    sent.push(ev.id.to_string());
                }
                out += 1;
            }
            EntryState::Pending => break,
            _ => {}
        }
    }
    if sent.is_empty() {
        String::new()
    } else {
        text!(ctx, " It delivers {} to the consumer.", sent.join(", "))
    }
}

fn retry(b: &mut Bus, ctx: &mut Ctx, offset: u32) -> Said {
    if let Some(e) = b.log.get_mut(offset as usize) {
        if e.state == EntryState::Retrying {
            e.state = EntryState::Pending;
        }
    }
    let sent = pump(b, ctx);
    said!(
        ctx,
        "redeliver",
        text!(
            ctx,
            "The backoff of offset {offset} is over: the bus tries again.{sent}"
        ),
    )
}

fn ack_timeout(b: &mut Bus, ctx: &mut Ctx, offset: u32) -> Said {
    let Some(e) = b.log.get_mut(offset as usize) else {
        return said!(ctx, "nothing", "");
    };
    if e.state != EntryState::Sent {
        return said!(ctx, "nothing", "The ack came in time.");
    }
    e.state = EntryState::Pending;
    let id = e.ev.id;
    let sent = pump(b, ctx);
    said!(ctx,
        text!(ctx, "redeliver {id}"),
        text!(ctx,
            "No ack for {id} came back in time. The bus cannot tell a lost ack from a lost event, so it delivers {id} \
             again: at-least-once means the consumer may see an event twice.{sent}"
        ),
    )
}
