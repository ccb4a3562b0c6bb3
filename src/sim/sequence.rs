//! The run so far as a sequence diagram: one lane per node, one line per message from
//! the step that sent it to the step that delivered it (or dropped it, or to now when
//! it is still in flight), and the steps in order down the page. A plain function of
//! the run's recorded states, like `view`: the page draws it (`ui::sequence`).
//!
//! Step `n` is the moment after `n` events, as on the step counter: a message sent by
//! the 3rd event has `sent_step` 3.
use super::ids::NodeId;
use super::run::Run;
use super::world::{Event, World};
use super::Fault;

/// How a message's line ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Delivered by the event of this step.
    Delivered(usize),
    /// Dropped by a fault at this step.
    Dropped(usize),
    /// Gone at this step without being delivered (its sender or receiver crashed).
    Lost(usize),
    /// Still in flight at the cursor.
    InFlight,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeqMessage {
    pub id: String,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: &'static str,
    pub label: String,
    /// The step whose event sent it (0: in flight at the start).
    pub sent_step: usize,
    pub end: End,
}

/// One step of the run: what happened, at what virtual time, and who acted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeqStep {
    pub step: usize,
    pub at_ms: u64,
    pub actor: NodeId,
    /// The event in the trace's words (`deliver m7`, `crash cache`).
    pub event: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// The nodes, left to right.
    pub lanes: Vec<NodeId>,
    /// The steps taken, 1 to the cursor.
    pub steps: Vec<SeqStep>,
    /// Every message sent up to the cursor, in the order sent.
    pub messages: Vec<SeqMessage>,
    /// The cursor: the step shown.
    pub now: usize,
}

fn message(w: &World, i: usize, sent_step: usize) -> SeqMessage {
    let m = &w.net[i];
    SeqMessage {
        id: m.id.to_string(),
        from: m.from,
        to: m.to,
        kind: m.payload.kind(),
        label: m.payload.to_string(),
        sent_step,
        end: End::InFlight,
    }
}

impl Sequence {
    /// The sequence of `run` from the start to its cursor. Bounded by the run's length
    /// (at most `MAX_STEPS` steps), each step comparing the messages in flight.
    pub fn of(run: &Run) -> Sequence {
        let now = run.cursor();
        let Some(start) = run.state(0) else {
            return Sequence {
                lanes: Vec::new(),
                steps: Vec::new(),
                messages: Vec::new(),
                now: 0,
            };
        };
        let mut lanes = start.nodes();
        let mut messages: Vec<SeqMessage> =
            (0..start.net.len()).map(|i| message(start, i, 0)).collect();
        let mut steps = Vec::with_capacity(now);
        for (i, record) in run.records().iter().enumerate() {
            let (Some(before), Some(after)) = (run.state(i), run.state(i + 1)) else {
                break;
            };
            let step = i + 1;
            steps.push(SeqStep {
                step,
                at_ms: record.at_ms,
                actor: record.actor,
                event: record.event.to_string(),
            });
            for n in after.nodes() {
                if !lanes.contains(&n) {
                    lanes.push(n);
                }
            }
            for gone in before
                .net
                .iter()
                .filter(|m| !after.net.iter().any(|a| a.id == m.id))
            {
                let end = match record.event {
                    // Delivered to a node that is down or cut off: lost, not delivered.
                    Event::Deliver(id) if id == gone.id && before.reaches(gone) => {
                        End::Delivered(step)
                    }
                    Event::Fault(Fault::Drop(id)) if id == gone.id => End::Dropped(step),
                    _ => End::Lost(step),
                };
                let id = gone.id.to_string();
                if let Some(m) = messages.iter_mut().rev().find(|m| m.id == id) {
                    m.end = end;
                }
            }
            for (j, m) in after.net.iter().enumerate() {
                if !before.net.iter().any(|b| b.id == m.id) {
                    messages.push(message(after, j, step));
                }
            }
        }
        Sequence {
            lanes,
            steps,
            messages,
            now,
        }
    }

    /// The messages the step `step` sent or ended.
    pub fn touched_by(&self, step: usize) -> impl Iterator<Item = &SeqMessage> {
        self.messages.iter().filter(move |m| {
            m.sent_step == step
                || matches!(m.end, End::Delivered(s) | End::Dropped(s) | End::Lost(s) if s == step)
        })
    }
}
