//! The event bus, with its delivery guarantee as a setting.
//!
//! At-most-once (Redis Pub/Sub): a published message is pushed to the subscribers
//! connected at that moment and kept nowhere; a consumer that is down misses it.
//! Durable (Kafka): the event is appended to a log on disk; the consumer reads it in
//! order and commits its offset after handling it. After a restart it resumes from the
//! committed offset, so it catches up, and may see an event twice: at-least-once.
//! Retries of a failed event use a backoff; after the last one the event goes to the
//! dead-letter queue.
use super::msg::{BusEvent, Message, Payload};
use super::world::{Said, TimerKind, World};

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
}

impl Bus {
    /// The consumer's committed offset: the first event not yet handled (or given up).
    pub fn offset(&self) -> u32 {
        self.log
            .iter()
            .position(|e| !matches!(e.state, EntryState::Acked | EntryState::Dead))
            .unwrap_or(self.log.len()) as u32
    }
}

pub(crate) fn bus_message(w: &mut World, msg: &Message) -> Said {
    let Some(cfg) = w.config.bus else {
        return said!(w, "ignored", "There is no bus in this scenario.");
    };
    match msg.payload {
        Payload::Publish { ev } => {
            w.metrics.events_published += 1;
            if msg.from == super::ids::NodeId::Relay {
                w.send(
                    super::ids::NodeId::Bus,
                    msg.from,
                    None,
                    Payload::PublishAck { ev },
                    cfg.publish_ms,
                );
            }
            if cfg.durable {
                w.bus.log.push(LogEntry {
                    ev,
                    state: EntryState::Pending,
                    failures: 0,
                });
                let at = w.bus.log.len() - 1;
                if !w.is_up(super::ids::NodeId::Consumer) {
                    w.books
                        .happened
                        .insert(super::books::Happened::EventWaited(ev.key));
                }
                let mut sent = pump(w);
                if sent.is_empty() {
                    let head = w
                        .bus
                        .log
                        .iter()
                        .find(|e| matches!(e.state, EntryState::Retrying | EntryState::Sent));
                    sent = match head {
                        Some(h) if h.state == EntryState::Retrying => text!(w,
                            " It must wait: {} ahead of it is being retried, and the log is delivered in order.",
                            h.ev.id
                        ),
                        Some(h) => text!(w, " It waits its turn behind {}.", h.ev.id),
                        None if !w.is_up(super::ids::NodeId::Consumer) => {
                            " The consumer is down: the event waits in the log.".to_string()
                        }
                        None => String::new(),
                    };
                }
                return said!(w,
                    text!(w, "logged {} at {at}", ev.id),
                    text!(w,
                        "The bus appends {ev} to its log at offset {at}, on disk ({}): it stays there until the \
                         consumer has acknowledged it.{sent}",
                        durable_kind(&cfg)
                    ),
                );
            }
            if w.status_of(super::ids::NodeId::Consumer) == super::world::NodeStatus::Down {
                w.metrics.events_dropped += 1;
                return said!(w,
                    text!(w, "dropped {}", ev.id),
                    text!(w,
                        "The bus pushes {ev} to the subscribers connected right now, and the consumer is not one of \
                         them: it is down. The bus keeps nothing (at-most-once, like Redis Pub/Sub), so {} is gone \
                         for good.",
                        ev.id
                    ),
                );
            }
            w.send(
                super::ids::NodeId::Bus,
                super::ids::NodeId::Consumer,
                None,
                Payload::Deliver { ev, offset: 0 },
                cfg.deliver_ms,
            );
            said!(w,
                text!(w, "pushed {}", ev.id),
                text!(w,
                    "The bus pushes {ev} to the connected consumer and keeps no copy (at-most-once, like Redis \
                     Pub/Sub): fast and simple, but a subscriber that is not listening misses it."
                ),
            )
        }
        Payload::Ack { ev, offset } => {
            let mut was_sent = false;
            if let Some(e) = w.bus.log.get_mut(offset as usize) {
                if e.state == EntryState::Sent {
                    e.state = EntryState::Acked;
                    was_sent = true;
                }
            }
            w.timers
                .retain(|t| t.kind != TimerKind::AckTimeout { offset });
            let before = w.bus.offset();
            let sent = pump(w);
            let now = w.bus.offset();
            let what = if !was_sent {
                text!(w,
                    "the bus was not waiting for this ack ({} is not out for delivery now), so it changes nothing; \
                     the committed offset is {now}.",
                    ev.id
                )
            } else if now > offset {
                text!(
                    w,
                    "the bus commits the consumer's offset, now {now}. Only now is {} done with.",
                    ev.id
                )
            } else {
                let head = w
                    .bus
                    .log
                    .get(before as usize)
                    .map(|e| e.ev.id.to_string())
                    .unwrap_or_default();
                text!(w,
                    "the bus marks {} done, but the committed offset stays at {now}: {head} ahead of it has no ack \
                     yet. Each event is acknowledged on its own (as in SQS or RabbitMQ), not by a cumulative offset as \
                     in Kafka.",
                    ev.id
                )
            };
            said!(
                w,
                text!(w, "committed {now}"),
                text!(w, "The consumer acknowledged {}: {what}{sent}", ev.id),
            )
        }
        Payload::Nack { ev, offset } => nack(w, ev, offset),
        Payload::Subscribe => {
            if !cfg.durable {
                return said!(w,
                    "subscribed",
                    "The consumer subscribes again. Pub/Sub keeps no history: whatever was published while it was \
                     down is lost, and it will only see new messages.",
                );
            }
            reconnect(w);
            let behind = w.bus.log.len() as u32 - w.bus.offset();
            let sent = pump(w);
            said!(w,
                text!(w, "resume at {}", w.bus.offset()),
                text!(w,
                    "The consumer reconnects; the bus resumes from its committed offset {}, with {} to catch up on \
                     (an event handled but not acknowledged comes again: at-least-once).{sent}",
                    w.bus.offset(),
                    super::describe::count(u64::from(behind), "event", "events")
                ),
            )
        }
        other => said!(w, "ignored", text!(w, "The bus does not handle {other}.")),
    }
}

fn nack(w: &mut World, ev: BusEvent, offset: u32) -> Said {
    let Some(cfg) = w.config.bus else {
        return said!(w, "ignored", "");
    };
    let Some(e) = w.bus.log.get_mut(offset as usize) else {
        return said!(w, "ignored", "");
    };
    e.failures += 1;
    let failures = e.failures;
    let policy = cfg.retry;
    if policy.max_retries.is_some_and(|max| failures > max) {
        e.state = EntryState::Dead;
        let entry = *e;
        w.bus.dlq.push(entry);
        let sent = pump(w);
        return said!(w,
            text!(w, "{} to the DLQ", ev.id),
            text!(w,
                "{} failed {failures} times, its last retry included: the bus moves it to the dead-letter queue, for an \
                 operator to inspect and replay, and commits past it. The events behind it are no longer blocked.{sent}",
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
    let at = w.now_ms + backoff;
    w.add_timer(super::ids::NodeId::Bus, at, TimerKind::BusRetry { offset });
    let waiting_n = w
        .bus
        .log
        .iter()
        .skip(offset as usize + 1)
        .filter(|e| e.state == EntryState::Pending)
        .count();
    let limit = match policy.max_retries {
        Some(max) => text!(w, "retry {failures} of {max}"),
        None => "it retries for ever".to_string(),
    };
    let waiting = match waiting_n {
        0 => "any event published behind it will have to wait".to_string(),
        1 => "the event behind it waits".to_string(),
        n => text!(w, "the {n} events behind it wait"),
    };
    said!(w,
        text!(w, "retry at {at}"),
        text!(w,
            "The consumer failed on {}. The bus will redeliver it at {at} ms ({limit}, backoff {backoff} ms). The log is \
             ordered, so {waiting}: head-of-line blocking.",
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
pub(crate) fn reconnect(w: &mut World) {
    for e in &mut w.bus.log {
        if matches!(e.state, EntryState::Sent | EntryState::Retrying) {
            e.state = EntryState::Pending;
        }
    }
    w.timers.retain(|t| {
        !matches!(
            t.kind,
            TimerKind::AckTimeout { .. } | TimerKind::BusRetry { .. }
        )
    });
}

/// Delivers what the durable log may deliver now: in order, from the committed
/// offset, at most `prefetch` unacknowledged at once, never past a retrying event.
/// Returns a sentence for the narration.
pub(crate) fn pump(w: &mut World) -> String {
    let Some(cfg) = w.config.bus else {
        return String::new();
    };
    if !cfg.durable
        || w.status_of(super::ids::NodeId::Consumer) == super::world::NodeStatus::Down
        || !w.is_up(super::ids::NodeId::Bus)
    {
        return String::new();
    }
    let mut out = w
        .bus
        .log
        .iter()
        .filter(|e| e.state == EntryState::Sent)
        .count() as u32;
    let mut sent = Vec::new();
    for i in w.bus.offset() as usize..w.bus.log.len() {
        match w.bus.log[i].state {
            EntryState::Retrying => break,
            EntryState::Pending if out < cfg.prefetch => {
                w.bus.log[i].state = EntryState::Sent;
                let ev = w.bus.log[i].ev;
                let offset = i as u32;
                w.send(
                    super::ids::NodeId::Bus,
                    super::ids::NodeId::Consumer,
                    None,
                    Payload::Deliver { ev, offset },
                    cfg.deliver_ms,
                );
                if let Some(timeout) = cfg.ack_timeout_ms {
                    let at = w.now_ms + cfg.deliver_ms + timeout;
                    w.add_timer(
                        super::ids::NodeId::Bus,
                        at,
                        TimerKind::AckTimeout { offset },
                    );
                }
                if !w.voice.is_quiet() {
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
        text!(w, " It delivers {} to the consumer.", sent.join(", "))
    }
}

pub(crate) fn retry(w: &mut World, offset: u32) -> Said {
    if let Some(e) = w.bus.log.get_mut(offset as usize) {
        if e.state == EntryState::Retrying {
            e.state = EntryState::Pending;
        }
    }
    let sent = pump(w);
    said!(
        w,
        "redeliver",
        text!(
            w,
            "The backoff of offset {offset} is over: the bus tries again.{sent}"
        ),
    )
}

pub(crate) fn ack_timeout(w: &mut World, offset: u32) -> Said {
    let Some(e) = w.bus.log.get_mut(offset as usize) else {
        return said!(w, "nothing", "");
    };
    if e.state != EntryState::Sent {
        return said!(w, "nothing", "The ack came in time.");
    }
    e.state = EntryState::Pending;
    let id = e.ev.id;
    let sent = pump(w);
    said!(w,
        text!(w, "redeliver {id}"),
        text!(w,
            "No ack for {id} came back in time. The bus cannot tell a lost ack from a lost event, so it delivers {id} \
             again: at-least-once means the consumer may see an event twice.{sent}"
        ),
    )
}
