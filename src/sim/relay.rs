//! The outbox relay: a polling publisher. Woken after a commit that wrote an outbox
//! row (Postgres LISTEN/NOTIFY), it selects the oldest unpublished row, publishes it
//! to the bus, waits for the bus to confirm, then marks the row published, and polls
//! again until no row is left. A crash between the publish and the mark means the row
//! is published again after the restart: the outbox gives at-least-once, so the
//! consumer must tolerate a duplicate (a delete does). Debezium's outbox event router
//! instead reads the outbox by change data capture, from the database's log.
//!
//! A node in the shape of `node.rs`: its own state and settings, answers through a
//! `Ctx` and says what it did as a `RelayFact`, no text.
use super::ids::{EventId, Key, NodeId, Version};
use super::msg::{Message, Payload};
use super::node::Ctx;
use super::parts::TimerKind;

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
    /// A message it does not expect.
    Ignored { payload: Payload },
}

/// The outbox relay's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Relay {
    /// A poll-publish-mark cycle is under way.
    pub working: bool,
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
        let lat = self.settings.db_read_ms;
        ctx.send(self.settings.db, None, Payload::OutboxPoll, lat);
        ctx.fact(RelayFact::Polled);
    }

    /// A crash: it forgets its cycle; its timer is gone with it.
    pub(crate) fn on_crash(&mut self) {
        self.working = false;
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
        let fact = match msg.payload {
            Payload::OutboxRow { ev } => {
                ctx.send(lat.bus, None, Payload::Publish { ev }, lat.publish_ms);
                RelayFact::Publishing {
                    event: ev.id,
                    key: ev.key,
                    version: ev.version,
                }
            }
            Payload::PublishAck { ev } => {
                ctx.send(lat.db, None, Payload::Mark { ev }, lat.db_write_ms);
                RelayFact::Marking { event: ev.id }
            }
            Payload::Marked { ev } => {
                ctx.send(lat.db, None, Payload::OutboxPoll, lat.db_read_ms);
                RelayFact::Polling { event: ev.id }
            }
            Payload::OutboxEmpty if self.notified => {
                self.notified = false;
                ctx.send(lat.db, None, Payload::OutboxPoll, lat.db_read_ms);
                RelayFact::PollingAgain
            }
            Payload::OutboxEmpty => {
                self.working = false;
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
    fn on_timer(&mut self, ctx: &mut Ctx, _timer: TimerKind) {
        self.on_timeout(ctx)
    }
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        Relay::on_crash(self)
    }
    fn on_restart(&mut self, ctx: &mut Ctx) {
        Relay::on_restart(self, ctx)
    }
}
