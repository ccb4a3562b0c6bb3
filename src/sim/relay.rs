//! The outbox relay: a polling publisher. Woken after a commit that wrote an outbox
//! row (Postgres LISTEN/NOTIFY), it selects the oldest unpublished row, publishes it
//! to the bus, waits for the bus to confirm, then marks the row published, and polls
//! again until no row is left. A crash between the publish and the mark means the row
//! is published again after the restart: the outbox gives at-least-once, so the
//! consumer must tolerate a duplicate (a delete does). Debezium's outbox event router
//! instead reads the outbox by change data capture, from the database's log.
use super::ids::NodeId;
use super::msg::{Message, Payload};
use super::world::{Said, TimerKind, World};

/// Schedules a poll after a commit that wrote an outbox row.
pub(crate) fn wake(w: &mut World) -> String {
    let pending = w.timers.iter().any(|t| t.kind == TimerKind::RelayPoll);
    if !w.is_up(NodeId::Relay) || w.relay.working || pending {
        return String::new();
    }
    let at = w.now_ms + w.config.relay_poll_ms;
    w.add_timer(NodeId::Relay, at, TimerKind::RelayPoll);
    text!(
        w,
        " The commit notifies the relay (LISTEN/NOTIFY); it will poll the outbox at {at} ms."
    )
}

pub(crate) fn poll(w: &mut World) -> Said {
    w.relay.working = true;
    let lat = w.config.latency.db_read_ms;
    w.send(NodeId::Relay, NodeId::Db, None, Payload::OutboxPoll, lat);
    said!(
        w,
        "poll sent",
        "The relay asks the database for the oldest outbox row not yet marked published.",
    )
}

pub(crate) fn relay_message(w: &mut World, msg: &Message) -> Said {
    let lat = w.config.latency;
    match msg.payload {
        Payload::OutboxRow { ev } => {
            super::service::publish(w, NodeId::Relay, ev);
            said!(
                w,
                text!(w, "publish {}", ev.id),
                text!(
                    w,
                    "The relay got outbox row {} ({} = {}) and publishes it to the bus.",
                    ev.id,
                    ev.key,
                    ev.version
                ),
            )
        }
        Payload::PublishAck { ev } => {
            w.send(
                NodeId::Relay,
                NodeId::Db,
                None,
                Payload::Mark { ev },
                lat.db_write_ms,
            );
            said!(w,
                text!(w, "mark {}", ev.id),
                text!(w,
                    "The bus has {}. Only now does the relay mark the row published: were it to crash before the \
                     mark lands, it would publish the row again after its restart.",
                    ev.id
                ),
            )
        }
        Payload::Marked { ev } => {
            w.send(
                NodeId::Relay,
                NodeId::Db,
                None,
                Payload::OutboxPoll,
                lat.db_read_ms,
            );
            said!(
                w,
                "poll sent",
                text!(
                    w,
                    "{} is marked published. The relay polls for the next row.",
                    ev.id
                ),
            )
        }
        Payload::OutboxEmpty => {
            w.relay.working = false;
            said!(
                w,
                "idle",
                "No unpublished row is left: the relay sleeps until the next commit wakes it.",
            )
        }
        other => said!(w, "ignored", text!(w, "The relay does not expect {other}.")),
    }
}
