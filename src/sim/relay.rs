//! The outbox relay: a polling publisher. Woken after a commit that wrote an outbox
//! row (Postgres LISTEN/NOTIFY), it selects the oldest unpublished row, publishes it
//! to the bus, waits for the bus to confirm, then marks the row published, and polls
//! again until no row is left. A crash between the publish and the mark means the row
//! is published again after the restart: the outbox gives at-least-once, so the
//! consumer must tolerate a duplicate (a delete does). Debezium's outbox event router
//! instead reads the outbox by change data capture, from the database's log.
//!
//! Each request of a cycle (the poll, the publish, the mark) waits at most
//! `TIMEOUT_MS` for its answer, as a Kafka producer's `request.timeout.ms` and a JDBC
//! query timeout bound theirs: with no answer in time (a lost message, a crashed bus
//! or database) the relay starts its cycle again from the poll, so a row is never left
//! behind while the relay is up. An answer that comes after its timeout is ignored.
//!
//! A node in the shape of `node.rs`: its own state and settings, answers through a
//! `Ctx` and says what it did as a `RelayFact`, no text.
use super::ids::{EventId, Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::node::Ctx;
use super::parts::TimerKind;

/// How long the relay waits for the answer to each request of its cycle, in ms: well
/// past a round trip of the catalog's hops (a few ms), well inside a run's horizon
/// (1,000 ms by default), so that only a lost answer, never a slow one, times out.
pub const TIMEOUT_MS: u64 = 100;

/// The answer the relay waits for, so that a late answer to a request it gave up on
/// is told apart from the one it expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Awaiting {
    /// Its poll's answer: a row or "empty".
    Poll,
    /// The bus's ack of this event's publish.
    Ack(EventId),
    /// The database's answer to this event's mark.
    Mark(EventId),
}

/// How the relay works: its poll delay after a NOTIFY, the hops it uses, the primary
/// whose outbox it reads and the bus it publishes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RelaySettings {
    pub poll_ms: u64,
    pub db_read_ms: u64,
    pub db_write_ms: u64,
    pub publish_ms: u64,
    pub db: NodeId,
    pub bus: NodeId,
}

impl Default for RelaySettings {
    fn default() -> Self {
        RelaySettings {
            poll_ms: 0,
            db_read_ms: 0,
            db_write_ms: 0,
            publish_ms: 0,
            db: NodeId::DB,
            bus: NodeId::BUS,
        }
    }
}

/// What the relay did, for the narration (`narrate/db.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayFact {
    /// A commit's NOTIFY woke it: it polls at `poll_at_ms`.
    Woken { poll_at_ms: u64 },
    /// It asked the database for the oldest unpublished outbox row.
    Polled,
    /// It got outbox row `event` and publishes it.
    Publishing {
        event: EventId,
        key: Key,
        version: Version,
    },
    /// The bus confirmed `event`: it marks the row published.
    Marking { event: EventId },
    /// The row of `event` is marked: it polls for the next.
    Polling { event: EventId },
    /// No unpublished row was left when the database answered, but a commit has
    /// notified it since: it polls again.
    PollingAgain,
    /// No unpublished row is left: it sleeps.
    Idle,
    /// No answer came within `TIMEOUT_MS`: it polls again, from the start of its cycle.
    TimedOut { awaiting: Awaiting },
    /// An answer to a request it has given up on (or never made): it does nothing.
    Late { payload: Payload },
    /// A message it does not expect.
    Ignored { payload: Payload },
}

/// The outbox relay's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Relay {
    /// A poll-publish-mark cycle is under way.
    pub working: bool,
    /// The answer it waits for in that cycle (its timeout is set while it waits).
    pub awaiting: Option<Awaiting>,
    /// Its poll timer is set.
    pub poll_set: bool,
    /// A commit notified it during a cycle: the cycle's poll may have been answered
    /// before that commit, so it polls once more before it sleeps (a NOTIFY that
    /// arrives while the listener is busy waits on its connection; it is not lost).
    pub notified: bool,
    /// Fixed for a run.
    pub settings: RelaySettings,
}

impl Relay {
    pub fn new(settings: RelaySettings) -> Relay {
        Relay {
            settings,
            ..Relay::default()
        }
    }

    /// A commit NOTIFYs the relay: it schedules a poll, unless one is under way or set.
    pub(crate) fn on_notify(&mut self, ctx: &mut Ctx) {
        if self.poll_set {
            return;
        }
        if self.working {
            self.notified = true;
            return;
        }
        let at = ctx.now_ms + self.settings.poll_ms;
        self.poll_set = true;
        ctx.set_timer(at, TimerKind::RelayPoll);
        ctx.fact(RelayFact::Woken { poll_at_ms: at });
    }

    /// Its poll timer fires.
    pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx) {
        self.poll_set = false;
        self.working = true;
        self.poll(ctx);
        ctx.fact(RelayFact::Polled);
    }

    /// No answer within `TIMEOUT_MS`: the cycle starts again from the poll (the row
    /// still unmarked is found again; if the bus did log it, it is published twice).
    fn on_request_timeout(&mut self, ctx: &mut Ctx) {
        let Some(awaiting) = self.awaiting else {
            return;
        };
        self.poll(ctx);
        ctx.fact(RelayFact::TimedOut { awaiting });
    }

    /// Sends `payload` to `to` and waits for `awaiting`, at most `TIMEOUT_MS`.
    fn request(
        &mut self,
        ctx: &mut Ctx,
        to: NodeId,
        payload: Payload,
        lat_ms: u64,
        awaiting: Awaiting,
    ) {
        ctx.send(to, None, payload, lat_ms);
        self.awaiting = Some(awaiting);
        ctx.cancel(TimerKind::RelayTimeout);
        ctx.set_timer(ctx.now_ms + TIMEOUT_MS, TimerKind::RelayTimeout);
    }

    fn poll(&mut self, ctx: &mut Ctx) {
        let (db, lat) = (self.settings.db, self.settings.db_read_ms);
        self.request(ctx, db, Payload::OutboxPoll, lat, Awaiting::Poll);
    }

    /// The cycle ends: nothing is awaited, no timeout is set.
    fn done(&mut self, ctx: &mut Ctx) {
        self.working = false;
        self.awaiting = None;
        ctx.cancel(TimerKind::RelayTimeout);
    }

    /// A crash: it forgets its cycle; its timers are gone with it.
    pub(crate) fn on_crash(&mut self) {
        self.working = false;
        self.awaiting = None;
        self.poll_set = false;
        self.notified = false;
    }

    /// A restart: it polls at once, for rows a crash left unmarked.
    pub(crate) fn on_restart(&mut self, ctx: &mut Ctx) {
        self.poll_set = true;
        ctx.set_timer(ctx.now_ms, TimerKind::RelayPoll);
    }

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        let lat = self.settings;
        let expected = match (self.awaiting, msg.payload) {
            (Some(Awaiting::Poll), Payload::OutboxRow { .. } | Payload::OutboxEmpty) => true,
            (Some(Awaiting::Ack(id)), Payload::PublishAck { ev }) => ev.id == id,
            (Some(Awaiting::Mark(id)), Payload::Marked { ev }) => ev.id == id,
            _ => false,
        };
        let fact = match msg.payload {
            Payload::OutboxRow { .. }
            | Payload::OutboxEmpty
            | Payload::PublishAck { .. }
            | Payload::Marked { .. }
                if !expected =>
            {
                RelayFact::Late {
                    payload: msg.payload,
                }
            }
            Payload::OutboxRow { ev } => {
                self.request(
                    ctx,
                    lat.bus,
                    Payload::Publish { ev },
                    lat.publish_ms,
                    Awaiting::Ack(ev.id),
                );
                RelayFact::Publishing {
                    event: ev.id,
                    key: ev.key,
                    version: ev.version,
                }
            }
            Payload::PublishAck { ev } => {
                self.request(
                    ctx,
                    lat.db,
                    Payload::Mark { ev },
                    lat.db_write_ms,
                    Awaiting::Mark(ev.id),
                );
                RelayFact::Marking { event: ev.id }
            }
            Payload::Marked { ev } => {
                self.poll(ctx);
                RelayFact::Polling { event: ev.id }
            }
            Payload::OutboxEmpty if self.notified => {
                self.notified = false;
                self.poll(ctx);
                RelayFact::PollingAgain
            }
            Payload::OutboxEmpty => {
                self.done(ctx);
                RelayFact::Idle
            }
            payload => RelayFact::Ignored { payload },
        };
        ctx.fact(fact);
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Relay {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Relay::on_msg(self, ctx, msg)
    }
    fn on_call(&mut self, ctx: &mut Ctx, _from: NodeId, call: super::node::Call) {
        if call == super::node::Call::Notify {
            self.on_notify(ctx)
        }
    }
    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        match timer {
            TimerKind::RelayTimeout => self.on_request_timeout(ctx),
            _ => self.on_timeout(ctx),
        }
    }
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        Relay::on_crash(self)
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Relay::on_restart(self, ctx)
    }
}
