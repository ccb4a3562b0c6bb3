//! The parts of a world: the clients, the service's open requests (flows) and their
//! stages, the timers, and what one step records.
use super::ids::{FlowId, Key, NodeId, TimerId, Version};
use super::world::Event;
use std::fmt;

pub use super::client::Client;
pub use super::service::{Flow, Stage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimerKind {
    /// The cache's active expiry of a key whose TTL ran out.
    Expire { key: Key },
    /// The delayed second delete of a write.
    SecondDelete {
        flow: FlowId,
        key: Key,
        version: Option<Version>,
    },
    /// A reader told to wait by a lease asks again.
    RetryGet { flow: FlowId },
    /// A crashed node's supervisor restarts it.
    Restart { node: NodeId },
    /// The write-behind flusher's next run.
    Flush,
    /// The outbox relay's next poll.
    RelayPoll,
    /// The outbox relay has waited `relay::TIMEOUT_MS` for an answer: it polls again.
    RelayTimeout,
    /// The bus redelivers a failed event to `consumer` (its consumer group) after its
    /// backoff.
    BusRetry { offset: u32, consumer: NodeId },
    /// The bus has had no ack from `consumer` for a delivered event: it redelivers it.
    AckTimeout { offset: u32, consumer: NodeId },
    /// The invalidator's delete had no answer in time: it sends it again.
    InvalidateRetry,
    /// The CDN edge's delayed second purge of a key (`cdn.rs`).
    SecondPurge { key: Key },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timer {
    pub id: TimerId,
    pub at_ms: u64,
    pub owner: NodeId,
    pub kind: TimerKind,
}

/// What one step did, as data: the cheap record a quiet step returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    pub event: Event,
    pub at_ms: u64,
    /// The node that acted (a message's destination, a timer's owner, a client).
    pub actor: NodeId,
    /// `Some((from, to))` for a delivered message.
    pub hop: Option<(NodeId, NodeId)>,
}

/// Whether the step under way builds its text. Not part of a world's state: every
/// voice equals every other and hashes as nothing, so it never splits a state.
#[derive(Clone, Copy, Debug, Default)]
pub enum Voice {
    #[default]
    Narrated,
    Quiet,
}

impl Voice {
    pub fn is_quiet(self) -> bool {
        matches!(self, Voice::Quiet)
    }
}

impl PartialEq for Voice {
    fn eq(&self, _: &Voice) -> bool {
        true
    }
}

impl Eq for Voice {}

impl std::hash::Hash for Voice {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// What one step did: the one-line trace and the narration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StepRecord {
    pub event: Event,
    pub at_ms: u64,
    /// The node that acted (a message's destination, a timer's owner, a client).
    pub actor: NodeId,
    /// `Some((from, to))` for a delivered message.
    pub hop: Option<(NodeId, NodeId)>,
    pub label: String,
    pub outcome: String,
    pub narration: String,
    /// Whether `outcome` and `narration` are the step's own words: false for a step the
    /// page's split build took before it loaded the narration (`World::step_untold`).
    pub narrated: bool,
}

impl StepRecord {
    /// The node that acted, or `None` for the network's own act (`Fault::by_network`:
    /// a message dropped, delayed or duplicated), which no node does.
    pub fn acting(&self) -> Option<NodeId> {
        match self.event.fault() {
            Some(f) if f.by_network() => None,
            _ => Some(self.actor),
        }
    }

    /// Who acted, as the trace and the page's narration tag it: a node, or `network`.
    pub fn who(&self) -> String {
        self.acting()
            .map_or_else(|| "network".to_string(), |n| n.to_string())
    }
}

impl fmt::Display for StepRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = match self.hop {
            Some((from, to)) => format!("{from}->{to}"),
            None => self.who(),
        };
        write!(
            f,
            "{:>6}ms {who}: {} => {}",
            self.at_ms, self.label, self.outcome
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The event is not enabled in this state (a bad replay, a stale choice).
    NotEnabled(Event),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NotEnabled(e) => write!(f, "`{e}` is not enabled at this step"),
        }
    }
}

pub(crate) fn timer_label(kind: &TimerKind) -> String {
    match kind {
        TimerKind::Expire { key } => format!("ttl {key}"),
        TimerKind::SecondDelete { key, .. } => format!("second delete {key}"),
        TimerKind::RetryGet { .. } => "retry get".to_string(),
        TimerKind::Restart { node } => format!("restart {node}"),
        TimerKind::Flush => "flush".to_string(),
        TimerKind::RelayPoll => "poll outbox".to_string(),
        TimerKind::RelayTimeout => "relay timeout".to_string(),
        TimerKind::BusRetry { offset, consumer } => {
            format!("retry offset {offset}{}", group_label(*consumer))
        }
        TimerKind::AckTimeout { offset, consumer } => {
            format!("ack timeout offset {offset}{}", group_label(*consumer))
        }
        TimerKind::InvalidateRetry => "retry delete".to_string(),
        TimerKind::SecondPurge { key } => format!("second purge {key}"),
    }
}

/// Whose consumer group a bus timer is for, where it is not the first consumer's.
fn group_label(consumer: NodeId) -> String {
    if consumer == NodeId::CONSUMER {
        String::new()
    } else {
        format!(" for {consumer}")
    }
}

/// What a handler says about the step it performed.
pub(crate) struct Said {
    pub outcome: String,
    pub narration: String,
}

pub(crate) fn said(outcome: impl Into<String>, narration: impl Into<String>) -> Said {
    Said {
        outcome: outcome.into(),
        narration: narration.into(),
    }
}

impl From<(String, String)> for Said {
    /// The (outcome, narration) a node gave (`Ctx::say`).
    fn from((outcome, narration): (String, String)) -> Said {
        Said { outcome, narration }
    }
}

impl Said {
    /// This, then `more`: the first outcome that says something, and both narrations.
    pub(crate) fn and(mut self, more: Said) -> Said {
        if self.outcome.is_empty() {
            self.outcome = more.outcome;
        }
        self.narration.push_str(&more.narration);
        self
    }

    /// What a quiet step says: nothing (empty strings do not allocate).
    pub(crate) fn silent() -> Said {
        Said {
            outcome: String::new(),
            narration: String::new(),
        }
    }
}
