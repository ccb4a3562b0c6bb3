//! Events in words, for the "what can happen next" panel: what each enabled event would
//! do if the learner picked it now.
use super::ids::NodeId;
use super::world::{Event, World};

/// A choice as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub event: Event,
    /// `start`, `deliver`, `fire` or a fault's name.
    pub kind: &'static str,
    /// For a message: its id, sender and receiver.
    pub message: Option<(String, NodeId, NodeId)>,
    pub text: String,
    /// Nominal time, virtual ms.
    pub at_ms: Option<u64>,
}

/// Describes one event of `world`.
pub fn choice(world: &World, event: Event) -> Choice {
    let at_ms = world.nominal_ms(event);
    let (message, text) = match event {
        Event::Start(node) => {
            let what = world
                .clients
                .iter()
                .find(|c| c.id == node)
                .and_then(|c| c.requests.get(c.next))
                .map(|r| {
                    let op = match r.op {
                        super::config::Op::Read => "read",
                        super::config::Op::Write => "write",
                        super::config::Op::DirectWrite => "direct write",
                        super::config::Op::Insert => "insert",
                    };
                    format!("{op} {}", r.key)
                })
                .unwrap_or_default();
            (None, format!("{node} starts its next request: {what}"))
        }
        Event::Deliver(id) => match world.net.iter().find(|m| m.id == id) {
            Some(m) => (
                Some((m.id.to_string(), m.from, m.to)),
                format!(
                    "{} arrives at {} from {}: {}",
                    m.id, m.to, m.from, m.payload
                ),
            ),
            None => (None, format!("deliver {id}")),
        },
        Event::Fire(id) => match world.timers.iter().find(|t| t.id == id) {
            Some(t) => (
                None,
                format!(
                    "{}'s timer: {}",
                    t.owner,
                    super::world::timer_label(&t.kind)
                ),
            ),
            None => (None, format!("timer {id}")),
        },
        Event::Fault(f) => (None, f.to_string()),
    };
    Choice {
        event,
        kind: event.kind(),
        message,
        text,
        at_ms,
    }
}

/// Every enabled event at `world`, described, earliest first.
pub fn choices(world: &World) -> Vec<Choice> {
    world
        .enabled()
        .into_iter()
        .map(|e| choice(world, e))
        .collect()
}

/// `n` with its noun, singular for one: `count(1, "read", "reads")` is "1 read",
/// `count(2, …)` "2 reads". Narration never prints "read(s)".
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
