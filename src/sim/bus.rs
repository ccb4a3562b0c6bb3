//! The event bus, with its delivery guarantee as a setting.
//!
//! At-most-once (Redis Pub/Sub): a published message is pushed to the subscribers
//! connected at that moment and kept nowhere; a consumer that is down misses it.
//! Durable (Kafka): the event is appended to a log on disk; the consumer reads it in
//! order and commits its offset after handling it. After a restart it resumes from the
//! committed offset, so it catches up, and may see an event twice: at-least-once.
//! Several subscribers of one durable log read it as Kafka's consumer groups do: the
//! log is shared, and each has its own committed offset, its own deliveries in flight
//! and its own retries; an ack commits the offset of the consumer that sent it, and a
//! consumer that restarts resumes from its own committed offset.
//! Retries of a failed event use a backoff; after the last one the event goes to the
//! dead-letter queue.
//!
//! A node in the shape of `node.rs`: its own log and settings, and the state of its
//! subscriber's connection; it answers through a `Ctx` and says what it did as
//! `BusFact`s, no text: the books and the narration observe them.
use super::config::BusConfig;
use super::ids::NodeId;
use super::msg::{BusEvent, Message, Payload};
use super::node::{Ctx, NodeStatus};
use super::parts::TimerKind;

mod fact;
mod groups;
pub use fact::BusFact;

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

/// One consumer group's state of one entry of the shared log (the first subscriber's is
/// in the `LogEntry` itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GroupEntry {
    pub state: EntryState,
    /// How many times this group's consumer failed on it.
    pub failures: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bus {
    pub durable: bool,
    /// The durable log (one partition), oldest first, each entry with its first
    /// subscriber's state of it; empty for at-most-once.
    pub log: Vec<LogEntry>,
    /// The dead-letter queue: events an operator must look at and replay.
    pub dlq: Vec<LogEntry>,
    /// Fixed for a run: `None` where the scenario has no bus.
    pub settings: Option<BusConfig>,
    /// Its subscribers (consumers, fixed for a run), each with the state of its
    /// connection: down (not subscribed), paused (connected, not reading) or up.
    /// At-most-once pushes to every connected one; a durable log is read by each as
    /// its own consumer group.
    pub subscribers: Vec<(NodeId, NodeStatus)>,
    /// Durable, the consumer groups of the subscribers after the first: `groups[i]` is
    /// `subscribers[i + 1]`'s state of each log entry, in log order (Kafka: a committed
    /// offset per group over one shared log). Empty with one subscriber.
    pub groups: Vec<Vec<GroupEntry>>,
    /// The subscribers whose subscription broke while they ran (`Fault::Disconnect`),
    /// until they subscribe again (or restart): their connection is down.
    pub cut: Vec<NodeId>,
}

impl Bus {
    /// A bus whose subscribers are `consumers`, each connected; a durable one gives
    /// each after the first a consumer group of its own.
    pub fn new(durable: bool, settings: Option<BusConfig>, consumers: &[NodeId]) -> Bus {
        let groups = if durable {
            consumers.len().saturating_sub(1)
        } else {
            0
        };
        Bus {
            durable,
            settings,
            subscribers: consumers.iter().map(|c| (*c, NodeStatus::Up)).collect(),
            groups: vec![Vec::new(); groups],
            ..Bus::default()
        }
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        on_msg(self, ctx, msg);
    }

    /// A retry's backoff or an ack timeout ends.
    pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        match kind {
            TimerKind::BusRetry { offset, consumer } => {
                retry(self, ctx, self.group_of(consumer), offset)
            }
            TimerKind::AckTimeout { offset, consumer } => {
                ack_timeout(self, ctx, self.group_of(consumer), offset)
            }
            _ => ctx.fact(BusFact::Nothing),
        }
    }

    /// After a restart: a new session for every group, and it serves its log again.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        for g in 0..self.group_count() {
            self.reset_group(g);
        }
        // Its own timers are the ack timeouts and retries of the old session.
        ctx.cancel_all_timers();
        for g in 0..self.group_count() {
            pump(self, ctx, g);
        }
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
                publish_durable(b, ctx, ev);
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
        Payload::Ack { .. } | Payload::Nack { .. } if b.cut_off(msg.from) => {
            ctx.fact(BusFact::NotSubscribed {
                payload: msg.payload,
                consumer: msg.from,
            });
        }
        Payload::Ack { ev, offset } => {
            let g = b.group_of(msg.from);
            let mut was_sent = false;
            if let Some((st, _)) = b.entry_mut(g, offset as usize) {
                if *st == EntryState::Sent {
                    *st = EntryState::Acked;
                    was_sent = true;
                }
            }
            let consumer = b.reader_id(g);
            ctx.cancel(TimerKind::AckTimeout { offset, consumer });
            let before = b.committed(g);
            let head = b.log.get(before as usize).map(|e| e.ev.id);
            // A delivery does not move the committed offset: it is known before the
            // deliveries the ack lets through.
            ctx.fact(BusFact::Acked {
                ev,
                offset,
                was_sent,
                committed: before,
                head,
                consumer,
            });
            pump(b, ctx, g);
        }
        Payload::Nack { ev, offset } => nack(b, ctx, b.group_of(msg.from), ev, offset),
        Payload::Subscribe => {
            // Its connection is up again (after a restart, the world said so already).
            let disconnected = b.cut_off(msg.from);
            b.cut.retain(|c| *c != msg.from);
            for (id, st) in &mut b.subscribers {
                if *id == msg.from {
                    *st = NodeStatus::Up;
                }
            }
            if !cfg.durable {
                ctx.fact(BusFact::Resubscribed { disconnected });
                return;
            }
            let g = b.group_of(msg.from);
            reconnect(b, ctx, g);
            let offset = b.committed(g);
            ctx.fact(BusFact::Resumed {
                offset,
                behind: b.log.len() as u32 - offset,
                consumer: b.reader_id(g),
            });
            pump(b, ctx, g);
        }
        payload => ctx.fact(BusFact::Ignored { payload }),
    }
}

/// Appends `ev` to the durable log, pending for every group, and delivers what each
/// group may take now.
fn publish_durable(b: &mut Bus, ctx: &mut Ctx, ev: BusEvent) {
    b.log.push(LogEntry {
        ev,
        state: EntryState::Pending,
        failures: 0,
    });
    for group in &mut b.groups {
        group.push(GroupEntry {
            state: EntryState::Pending,
            failures: 0,
        });
    }
    let offset = b.log.len() as u32 - 1;
    let up = |g: usize| b.reader(g).1 == NodeStatus::Up;
    let waited = (0..b.group_count()).any(|g| !up(g));
    ctx.fact(BusFact::Logged { ev, offset, waited });
    for g in 0..b.group_count() {
        if pump(b, ctx, g) > 0 {
            continue;
        }
        let head = (0..b.log.len())
            .find(|i| matches!(b.state(g, *i), EntryState::Retrying | EntryState::Sent));
        let (consumer, status) = b.reader(g);
        match head {
            Some(i) => ctx.fact(BusFact::Blocked {
                ahead: Some((b.log[i].ev.id, b.state(g, i))),
                consumer,
            }),
            None if status != NodeStatus::Up => ctx.fact(BusFact::Blocked {
                ahead: None,
                consumer,
            }),
            None => {}
        }
    }
}

fn nack(b: &mut Bus, ctx: &mut Ctx, g: usize, ev: BusEvent, offset: u32) {
    let consumer = b.reader_id(g);
    let logged = b.log.get(offset as usize).map(|e| e.ev);
    let (Some(cfg), Some(logged), Some((st, fails))) =
        (b.settings, logged, b.entry_mut(g, offset as usize))
    else {
        ctx.fact(BusFact::Stray);
        return;
    };
    *fails += 1;
    let failures = *fails;
    let policy = cfg.retry;
    if policy.max_retries.is_some_and(|max| failures > max) {
        *st = EntryState::Dead;
        b.dlq.push(LogEntry {
            ev: logged,
            state: EntryState::Dead,
            failures,
        });
        ctx.fact(BusFact::DeadLettered {
            ev,
            failures,
            consumer,
        });
        pump(b, ctx, g);
        return;
    }
    let backoff_ms = if policy.exponential {
        policy.backoff_ms << (failures - 1).min(16)
    } else {
        policy.backoff_ms
    };
    *st = EntryState::Retrying;
    let at_ms = ctx.now_ms + backoff_ms;
    ctx.set_timer(at_ms, TimerKind::BusRetry { offset, consumer });
    let waiting = (offset as usize + 1..b.log.len())
        .filter(|i| b.state(g, *i) == EntryState::Pending)
        .count();
    ctx.fact(BusFact::Retrying {
        ev,
        at_ms,
        failures,
        max_retries: policy.max_retries,
        backoff_ms,
        waiting,
        consumer,
    });
}

/// A new session of group `g`: everything delivered but not acknowledged goes back to
/// pending, and the group's ack timeouts and retries of the old session end.
fn reconnect(b: &mut Bus, ctx: &mut Ctx, g: usize) {
    b.reset_group(g);
    if b.group_count() == 1 {
        // Its own timers are all the one group's.
        ctx.cancel_all_timers();
        return;
    }
    let consumer = b.reader_id(g);
    for offset in 0..b.log.len() as u32 {
        ctx.cancel(TimerKind::BusRetry { offset, consumer });
        ctx.cancel(TimerKind::AckTimeout { offset, consumer });
    }
}

/// Delivers what the durable log may deliver now to group `g`'s consumer: in order,
/// from its committed offset, at most `prefetch` unacknowledged at once, never past a
/// retrying event. Returns how many it delivered.
fn pump(b: &mut Bus, ctx: &mut Ctx, g: usize) -> usize {
    let Some(cfg) = b.settings else {
        return 0;
    };
    // Called only while the bus runs; a consumer that is down is not subscribed.
    let (Some(reader), status) = b.reader(g) else {
        return 0;
    };
    if !cfg.durable || status == NodeStatus::Down {
        return 0;
    }
    let mut out = (0..b.log.len())
        .filter(|i| b.state(g, *i) == EntryState::Sent)
        .count() as u32;
    let mut sent = 0;
    for i in b.committed(g) as usize..b.log.len() {
        match b.state(g, i) {
            EntryState::Retrying => break,
            EntryState::Pending if out < cfg.prefetch => {
                if let Some((st, _)) = b.entry_mut(g, i) {
                    *st = EntryState::Sent;
                }
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
                    ctx.set_timer(
                        at,
                        TimerKind::AckTimeout {
                            offset,
                            consumer: reader,
                        },
                    );
                }
                ctx.fact(BusFact::Delivered {
                    ev,
                    consumer: reader,
                });
                sent += 1;
                out += 1;
            }
            EntryState::Pending => break,
            _ => {}
        }
    }
    sent
}

fn retry(b: &mut Bus, ctx: &mut Ctx, g: usize, offset: u32) {
    if let Some((st, _)) = b.entry_mut(g, offset as usize) {
        if *st == EntryState::Retrying {
            *st = EntryState::Pending;
        }
    }
    ctx.fact(BusFact::RetryDue {
        offset,
        consumer: b.reader_id(g),
    });
    pump(b, ctx, g);
}

fn ack_timeout(b: &mut Bus, ctx: &mut Ctx, g: usize, offset: u32) {
    let consumer = b.reader_id(g);
    let logged = b.log.get(offset as usize).map(|e| e.ev.id);
    let (Some(event), Some((st, _))) = (logged, b.entry_mut(g, offset as usize)) else {
        ctx.fact(BusFact::Nothing);
        return;
    };
    if *st != EntryState::Sent {
        ctx.fact(BusFact::AckInTime);
        return;
    }
    *st = EntryState::Pending;
    ctx.fact(BusFact::AckMissed { event, consumer });
    pump(b, ctx, g);
}

impl Bus {
    /// Whether `consumer` is a subscriber whose connection is down: a consumer that is
    /// up and sent this, so its subscription broke (`Fault::Disconnect`).
    pub(crate) fn cut_off(&self, consumer: NodeId) -> bool {
        self.cut.contains(&consumer)
    }

    /// `consumer`'s subscription breaks (`Fault::Disconnect`): its connection is down
    /// until it subscribes again. Pub/Sub pushes it nothing; the durable log delivers it
    /// nothing and refuses its commits.
    pub(crate) fn disconnect(&mut self, consumer: NodeId) {
        if !self.cut.contains(&consumer) {
            self.cut.push(consumer);
            self.cut.sort_unstable();
        }
        for (id, st) in &mut self.subscribers {
            if *id == consumer {
                *st = NodeStatus::Down;
            }
        }
    }
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
        // Its subscribers' connections. A restarted subscriber connects anew; one whose
        // subscription broke stays unsubscribed through a pause or a crash.
        if status == NodeStatus::Up {
            self.cut.retain(|c| *c != peer);
        }
        for (id, st) in &mut self.subscribers {
            if *id == peer && !self.cut.contains(&peer) {
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
