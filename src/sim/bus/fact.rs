//! What the bus did, as data (`BusFact`): the books and the narration observe it.
use super::EntryState;
use crate::sim::ids::{EventId, NodeId};
use crate::sim::msg::{BusEvent, Payload};

/// What the bus did, in order, for the books and the narration (`narrate/bus.rs`).
/// `consumer` names the subscriber whose consumer group a fact is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BusFact {
    /// A message reached a scenario's bus that has no settings: there is no bus.
    Absent,
    /// Durable: `ev` appended to the log at `offset`; `waited`: a subscriber was not
    /// up.
    Logged {
        ev: BusEvent,
        offset: u32,
        waited: bool,
    },
    /// Durable, nothing delivered at once to `consumer` (`None`: the bus has no
    /// subscriber): its log waits behind `ahead` (being retried, or delivered and not
    /// acknowledged), or for its consumer (`None`).
    Blocked {
        ahead: Option<(EventId, EntryState)>,
        consumer: Option<NodeId>,
    },
    /// At-most-once: no subscriber was connected, so `ev` is gone.
    Dropped { ev: BusEvent },
    /// At-most-once: pushed to the connected consumer.
    Pushed { ev: BusEvent },
    /// Durable: delivered `ev` to `consumer`.
    Delivered { ev: BusEvent, consumer: NodeId },
    /// `consumer` acknowledged `ev` at `offset`; `was_sent`: it was out for delivery
    /// to it; `committed`: its committed offset after; `head`: the event at that
    /// offset.
    Acked {
        ev: BusEvent,
        offset: u32,
        was_sent: bool,
        committed: u32,
        head: Option<EventId>,
        consumer: NodeId,
    },
    /// `ev` failed `consumer`'s last retry and went to the dead-letter queue.
    DeadLettered {
        ev: BusEvent,
        failures: u32,
        consumer: NodeId,
    },
    /// `ev` failed and is redelivered to `consumer` at `at_ms`; `waiting`: pending
    /// events behind it in its group.
    Retrying {
        ev: BusEvent,
        at_ms: u64,
        failures: u32,
        max_retries: Option<u32>,
        backoff_ms: u64,
        waiting: usize,
        consumer: NodeId,
    },
    /// At-most-once: the consumer subscribed again, to new messages only;
    /// `disconnected`: it was up all along, its subscription had broken (a `disconnect`).
    Resubscribed { disconnected: bool },
    /// Durable: an ack or nack from `consumer`, whose subscription broke (a
    /// `disconnect`): its session is over, so its commit is refused (Kafka's
    /// `CommitFailedException` after the group rebalanced).
    NotSubscribed {
        payload: super::super::msg::Payload,
        consumer: NodeId,
    },
    /// Durable: `consumer` reconnected; its group resumes at `offset`, `behind`
    /// events to catch up on.
    Resumed {
        offset: u32,
        behind: u32,
        consumer: NodeId,
    },
    /// The backoff of `consumer`'s `offset` is over.
    RetryDue { offset: u32, consumer: NodeId },
    /// No ack for `event` came from `consumer` in time: it goes out again.
    AckMissed { event: EventId, consumer: NodeId },
    /// An ack timeout fired after the ack had come.
    AckInTime,
    /// A timer that finds nothing to do.
    Nothing,
    /// A nack for an offset its log does not have.
    Stray,
    /// A message it does not handle.
    Ignored { payload: Payload },
}
