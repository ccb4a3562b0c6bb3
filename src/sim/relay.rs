//! The outbox relay: a polling publisher. Woken after a commit that wrote an outbox
//! row (Postgres LISTEN/NOTIFY), it selects the oldest unpublished row, publishes it
//! to the bus, waits for the bus to confirm, then marks the row published, and polls
//! again until no row is left. A crash between the publish and the mark means the row
//! is published again after the restart: the outbox gives at-least-once, so the
//! consumer must tolerate a duplicate (a delete does). Debezium's outbox event router
//! instead reads the outbox by change data capture, from the database's log.
//!
//! A node in the shape of `node.rs`: its own state and settings, answers through a
//! `Ctx`.
use super::ids::NodeId;
use super::msg::{Message, Payload};
use super::node::Ctx;
use super::parts::{Said, TimerKind};

/// How the relay works: its poll delay after a NOTIFY, and the hops it uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RelaySettings {
    pub poll_ms: u64,
    pub db_read_ms: u64,
    pub db_write_ms: u64,
    pub publish_ms: u64,
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
    pub(crate) fn on_notify(&mut self, ctx: &mut Ctx) -> String {
        if self.poll_set {
            return String::new();
        }
        if self.working {
            self.notified = true;
            return String::new();
        }
        let at = ctx.now_ms + self.settings.poll_ms;
        self.poll_set = true;
        ctx.set_timer(at, TimerKind::RelayPoll);
        text!(
            ctx,
            " The commit notifies the relay (LISTEN/NOTIFY); it will poll the outbox at {at} ms."
        )
    }

    /// Its poll timer fires.
    pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx) -> Said {
        self.poll_set = false;
        self.working = true;
        let lat = self.settings.db_read_ms;
        ctx.send(NodeId::Db, None, Payload::OutboxPoll, lat);
        said!(
            ctx,
            "poll sent",
            "The relay asks the database for the oldest outbox row not yet marked published.",
        )
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

    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> Said {
        let lat = self.settings;
        match msg.payload {
            Payload::OutboxRow { ev } => {
                ctx.send(NodeId::Bus, None, Payload::Publish { ev }, lat.publish_ms);
                said!(
                    ctx,
                    text!(ctx, "publish {}", ev.id),
                    text!(
                        ctx,
                        "The relay got outbox row {} ({} = {}) and publishes it to the bus.",
                        ev.id,
                        ev.key,
                        ev.version
                    ),
                )
            }
            Payload::PublishAck { ev } => {
                ctx.send(NodeId::Db, None, Payload::Mark { ev }, lat.db_write_ms);
                said!(ctx,
                    text!(ctx, "mark {}", ev.id),
                    text!(ctx,
                        "The bus has {}. Only now does the relay mark the row published: were it to crash before the \
                         mark lands, it would publish the row again after its restart.",
                        ev.id
                    ),
                )
            }
            Payload::Marked { ev } => {
                ctx.send(NodeId::Db, None, Payload::OutboxPoll, lat.db_read_ms);
                said!(
                    ctx,
                    "poll sent",
                    text!(
                        ctx,
                        "{} is marked published. The relay polls for the next row.",
                        ev.id
                    ),
                )
            }
            Payload::OutboxEmpty if self.notified => {
                self.notified = false;
                ctx.send(NodeId::Db, None, Payload::OutboxPoll, lat.db_read_ms);
                said!(
                    ctx,
                    "poll sent",
                    "No unpublished row was left when the database answered, but a commit has notified the relay \
                     since: it polls again, so that commit's row is not left behind.",
                )
            }
            Payload::OutboxEmpty => {
                self.working = false;
                said!(
                    ctx,
                    "idle",
                    "No unpublished row is left: the relay sleeps until the next commit wakes it.",
                )
            }
            other => said!(
                ctx,
                "ignored",
                text!(ctx, "The relay does not expect {other}.")
            ),
        }
    }
}
