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
//! `BusFact`s, no text: the books and the narration observe them.
use super::config::BusConfig;
use super::ids::{EventId, NodeId};
use super::msg::{BusEvent, Message, Payload};
use super::node::{Ctx, NodeStatus};
use super::parts::TimerKind;

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
    /// Its subscribers (consumers, fixed for a run), each with the state of its
    /// connection: down (not subscribed), paused (connected, not reading) or up.
    /// At-most-once pushes to every connected one; a durable log has one committed
    /// offset, so one subscriber reads it (the topology's check says so).
    pub subscribers: Vec<(NodeId, NodeStatus)>,
}

/// What the bus did, in order, for the books and the narration (`narrate/bus.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BusFact {
    /// A message reached a scenario's bus that has no settings: there is no bus.
    Absent,
    /// Durable: `ev` appended to the log at `offset`; `waited`: its consumer was not
    /// up.
    Logged {
        ev: BusEvent,
        offset: u32,
        waited: bool,
    },
    /// Durable, nothing delivered at once: the log waits behind `ahead` (being
    /// retried, or delivered and not acknowledged), or for its consumer (`None`).
    Blocked {
        ahead: Option<(EventId, EntryState)>,
    },
    /// At-most-once: no subscriber was connected, so `ev` is gone.
    Dropped { ev: BusEvent },
    /// At-most-once: pushed to the connected consumer.
    Pushed { ev: BusEvent },
    /// Durable: delivered `ev` to the consumer.
    Delivered { ev: BusEvent },
    /// The consumer acknowledged `ev` at `offset`; `was_sent`: it was out for
    /// delivery; `committed`: the committed offset after; `head`: the event at the
    /// committed offset before.
    Acked {
        ev: BusEvent,
        offset: u32,
        was_sent: bool,
        committed: u32,
        head: Option<EventId>,
    },
    /// `ev` failed its last retry and went to the dead-letter queue.
    DeadLettered { ev: BusEvent, failures: u32 },
    /// `ev` failed and is redelivered at `at_ms`; `waiting`: pending events behind it.
    Retrying {
        ev: BusEvent,
        at_ms: u64,
        failures: u32,
        max_retries: Option<u32>,
        backoff_ms: u64,
        waiting: usize,
    },
    /// At-most-once: the consumer subscribed again, to new messages only.
    Resubscribed,
    /// Durable: the consumer reconnected; the log resumes at `offset`, `behind`
    /// events to catch up on.
    Resumed { offset: u32, behind: u32 },
    /// The backoff of `offset` is over.
    RetryDue { offset: u32 },
    /// No ack for `event` came in time: it goes out again.
    AckMissed { event: EventId },
    /// An ack timeout fired after the ack had come.
    AckInTime,
    /// A timer that finds nothing to do.
    Nothing,
    /// A nack for an offset its log does not have.
    Stray,
    /// A message it does not handle.
    Ignored { payload: Payload },
}

impl Bus {
    /// A bus whose subscribers are `consumers`, each connected.
    pub fn new(durable: bool, settings: Option<BusConfig>, consumers: &[NodeId]) -> Bus {
        Bus {
            durable,
            settings,
            subscribers: consumers.iter().map(|c| (*c, NodeStatus::Up)).collect(),
            ..Bus::default()
        }
    }

    /// The subscriber that reads the durable log, and its connection (`Down`: none).
    fn reader(&self) -> (Option<NodeId>, NodeStatus) {
        self.subscribers
            .first()
            .map_or((None, NodeStatus::Down), |(id, st)| (Some(*id), *st))
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        on_msg(self, ctx, msg);
    }

    /// A retry's backoff or an ack timeout ends.
    pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        match kind {
            TimerKind::BusRetry { offset } => retry(self, ctx, offset),
            TimerKind::AckTimeout { offset } => ack_timeout(self, ctx, offset),
            _ => ctx.fact(BusFact::Nothing),
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

fn on_msg(b: &mut Bus, ctx: &mut Ctx, msg: &Message) {
    let Some(cfg) = b.settings else {
        ctx.fact(BusFact::Absent);
        return;
    };
    match msg.payload {
        Payload::Publish { ev } => {
            if matches!(msg.from, NodeId::Relay(_)) {
                ctx.send(msg.from, None, Payload::PublishAck { ev }, cfg.publish_ms);
            }
            if cfg.durable {
                b.log.push(LogEntry {
                    ev,
                    state: EntryState::Pending,
                    failures: 0,
                });
                let offset = b.log.len() as u32 - 1;
                let waited = b.reader().1 != NodeStatus::Up;
                ctx.fact(BusFact::Logged { ev, offset, waited });
                if pump(b, ctx) == 0 {
                    let head = b
                        .log
                        .iter()
                        .find(|e| matches!(e.state, EntryState::Retrying | EntryState::Sent));
                    match head {
                        Some(h) => ctx.fact(BusFact::Blocked {
                            ahead: Some((h.ev.id, h.state)),
                        }),
                        None if waited => ctx.fact(BusFact::Blocked { ahead: None }),
                        None => {}
                    }
                }
                return;
            }
            // Pushed to every subscriber connected now; none: it is gone.
            let mut pushed = false;
            for (to, _) in b
                .subscribers
                .iter()
                .filter(|(_, st)| *st != NodeStatus::Down)
            {
                ctx.send(
                    *to,
                    None,
                    Payload::Deliver { ev, offset: 0 },
                    cfg.deliver_ms,
                );
                ctx.fact(BusFact::Pushed { ev });
                pushed = true;
            }
            if !pushed {
                ctx.fact(BusFact::Dropped { ev });
            }
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
            let head = b.log.get(before as usize).map(|e| e.ev.id);
            // A delivery does not move the committed offset: it is known before the
            // deliveries the ack lets through.
            ctx.fact(BusFact::Acked {
                ev,
                offset,
                was_sent,
                committed: before,
                head,
            });
            pump(b, ctx);
        }
        Payload::Nack { ev, offset } => nack(b, ctx, ev, offset),
        Payload::Subscribe => {
            if !cfg.durable {
                ctx.fact(BusFact::Resubscribed);
                return;
            }
            reconnect(b, ctx);
            let behind = b.log.len() as u32 - b.offset();
            ctx.fact(BusFact::Resumed {
                offset: b.offset(),
                behind,
            });
            pump(b, ctx);
        }
        payload => ctx.fact(BusFact::Ignored { payload }),
    }
}

fn nack(b: &mut Bus, ctx: &mut Ctx, ev: BusEvent, offset: u32) {
    let (Some(cfg), Some(e)) = (b.settings, b.log.get_mut(offset as usize)) else {
        ctx.fact(BusFact::Stray);
        return;
    };
    e.failures += 1;
    let failures = e.failures;
    let policy = cfg.retry;
    if policy.max_retries.is_some_and(|max| failures > max) {
        e.state = EntryState::Dead;
        let entry = *e;
        b.dlq.push(entry);
        ctx.fact(BusFact::DeadLettered { ev, failures });
        pump(b, ctx);
        return;
    }
    let backoff_ms = if policy.exponential {
        policy.backoff_ms << (failures - 1).min(16)
    } else {
        policy.backoff_ms
    };
    e.state = EntryState::Retrying;
    let at_ms = ctx.now_ms + backoff_ms;
    ctx.set_timer(at_ms, TimerKind::BusRetry { offset });
    let waiting = b
        .log
        .iter()
        .skip(offset as usize + 1)
        .filter(|e| e.state == EntryState::Pending)
        .count();
    ctx.fact(BusFact::Retrying {
        ev,
        at_ms,
        failures,
        max_retries: policy.max_retries,
        backoff_ms,
        waiting,
    });
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
/// Returns how many it delivered.
fn pump(b: &mut Bus, ctx: &mut Ctx) -> usize {
    let Some(cfg) = b.settings else {
        return 0;
    };
    // Called only while the bus runs; a consumer that is down is not subscribed.
    let (Some(reader), status) = b.reader() else {
        return 0;
    };
    if !cfg.durable || status == NodeStatus::Down {
        return 0;
    }
    let mut out = b.log.iter().filter(|e| e.state == EntryState::Sent).count() as u32;
    let mut sent = 0;
    for i in b.offset() as usize..b.log.len() {
        match b.log[i].state {
            EntryState::Retrying => break,
            EntryState::Pending if out < cfg.prefetch => {
                b.log[i].state = EntryState::Sent;
                let ev = b.log[i].ev;
                let offset = i as u32;
                ctx.send(
                    reader,
                    None,
                    Payload::Deliver { ev, offset },
                    cfg.deliver_ms,
                );
                if let Some(timeout) = cfg.ack_timeout_ms {
                    let at = ctx.now_ms + cfg.deliver_ms + timeout;
                    ctx.set_timer(at, TimerKind::AckTimeout { offset });
                }
                ctx.fact(BusFact::Delivered { ev });
                sent += 1;
                out += 1;
            }
            EntryState::Pending => break,
            _ => {}
        }
    }
    sent
}

fn retry(b: &mut Bus, ctx: &mut Ctx, offset: u32) {
    if let Some(e) = b.log.get_mut(offset as usize) {
        if e.state == EntryState::Retrying {
            e.state = EntryState::Pending;
        }
    }
    ctx.fact(BusFact::RetryDue { offset });
    pump(b, ctx);
}

fn ack_timeout(b: &mut Bus, ctx: &mut Ctx, offset: u32) {
    let Some(e) = b.log.get_mut(offset as usize) else {
        ctx.fact(BusFact::Nothing);
        return;
    };
    if e.state != EntryState::Sent {
        ctx.fact(BusFact::AckInTime);
        return;
    }
    e.state = EntryState::Pending;
    ctx.fact(BusFact::AckMissed { event: e.ev.id });
    pump(b, ctx);
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Bus {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Bus::on_msg(self, ctx, msg)
    }
    fn watches(&self, peer: NodeId) -> bool {
        // Its subscribers' connections.
        self.subscribers.iter().any(|(id, _)| *id == peer)
    }
    fn on_peer(&mut self, _ctx: &mut Ctx, peer: NodeId, status: super::node::NodeStatus) {
        // Its subscribers' connections.
        for (id, st) in &mut self.subscribers {
            if *id == peer {
                *st = status;
            }
        }
    }
    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        self.on_timeout(ctx, timer)
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Bus::on_restart(self, ctx)
    }
}
