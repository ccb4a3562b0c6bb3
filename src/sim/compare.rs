//! Side by side: the same choices under other fixes (typically a fix off and on), for
//! two columns that step together.
//!
//! Event ids (`m7`, `t2`) are handed out as a run goes, so under other fixes the
//! "same" message can have another id, or not exist. A choice is therefore matched by
//! what it names, not by its id or its index in a list: a start by its client; a
//! message by its sender, receiver, kind of payload and the request it belongs to
//! (client, operation, key); a timer by its owner and kind; a fault by its name and its
//! target (a node, or a message matched as above). The same id is preferred when it
//! matches. Where nothing matches, the right column takes what its own rules would
//! (the scenario's order, or earliest first once off it).
//!
//! The first difference is the first step whose trace lines (time, who, what, outcome)
//! differ, or where one side has ended.
use super::config::Op;
use super::fault::Struck;
use super::ids::{Key, MsgId, NodeId};
use super::parts::timer_label;
use super::run::{Run, MAX_STEPS};
use super::scenario::Fixes;
use super::world::{Event, World};

/// What an event names, independent of ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    Start(NodeId),
    Message(MessageSig),
    Timer {
        owner: NodeId,
        kind: String,
    },
    NodeFault {
        fault: &'static str,
        node: NodeId,
    },
    MessageFault {
        fault: &'static str,
        message: MessageSig,
    },
    /// A partition or heal of a link (`partition.rs`).
    LinkFault {
        fault: &'static str,
        link: crate::sim::partition::Link,
    },
    /// An eviction of a key by a cache node.
    KeyFault {
        fault: &'static str,
        node: NodeId,
        key: crate::sim::ids::Key,
    },
    /// The event names something that is not there.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageSig {
    pub from: NodeId,
    pub to: NodeId,
    /// The payload's kind (`Payload::kind`: `get`, `set`, `db-read-reply`, …; not
    /// its `{:?}`, which the page's release build does not have: `codec::quote`).
    pub kind: String,
    /// The request it belongs to: its client, operation and key.
    pub flow: Option<(NodeId, Op, Key)>,
}

fn message_sig(w: &World, id: MsgId) -> Option<MessageSig> {
    let m = w.net.iter().find(|m| m.id == id)?;
    Some(MessageSig {
        from: m.from,
        to: m.to,
        kind: m.payload.kind().to_string(),
        flow: w.flow(m.flow).map(|f| (f.client, f.op, f.key)),
    })
}

/// What `event` names in `world`.
pub fn signature(world: &World, event: Event) -> Signature {
    let sig = match event {
        Event::Start(node) => Some(Signature::Start(node)),
        Event::Deliver(id) => message_sig(world, id).map(Signature::Message),
        Event::Fire(id) => world
            .timers
            .iter()
            .find(|t| t.id == id)
            .map(|t| Signature::Timer {
                owner: t.owner,
                kind: timer_label(&t.kind),
            }),
        Event::Fault(f) => match f.struck() {
            Struck::Node(n) => Some(Signature::NodeFault {
                fault: f.name(),
                node: n,
            }),
            Struck::Link(link) => Some(Signature::LinkFault {
                fault: f.name(),
                link,
            }),
            Struck::Key(node, key) => Some(Signature::KeyFault {
                fault: f.name(),
                node,
                key,
            }),
            Struck::Message(m) => message_sig(world, m).map(|message| Signature::MessageFault {
                fault: f.name(),
                message,
            }),
        },
    };
    sig.unwrap_or(Signature::Unknown)
}

/// The event of `world` that names what `wanted` names (preferring `same_id`), if any.
pub fn matching(world: &World, wanted: &Signature, same_id: Event) -> Option<Event> {
    if *wanted == Signature::Unknown {
        return None;
    }
    let candidates: Vec<Event> = world.enabled().into_iter().chain(world.faults()).collect();
    if candidates.contains(&same_id) && signature(world, same_id) == *wanted {
        return Some(same_id);
    }
    candidates
        .into_iter()
        .find(|e| signature(world, *e) == *wanted)
}

/// How the right column's step was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matched {
    /// An event naming the same thing as the left's choice.
    Same,
    /// Nothing matched: the right side's own rules chose.
    Rules,
    /// The right side had ended.
    Ended,
}

/// One row of the two columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Steps taken after this row (1 for the first).
    pub step: usize,
    /// The trace lines (`StepRecord`'s `Display`); `None` where a side has no step.
    pub left: Option<String>,
    pub right: Option<String>,
    pub matched: Matched,
    pub differs: bool,
    /// Whether the state after the step breaks one of the scenario's invariants.
    pub left_violated: bool,
    pub right_violated: bool,
}

#[derive(Clone, Debug)]
pub struct Comparison {
    pub left: Run,
    pub right: Run,
    pub rows: Vec<Row>,
    /// The first row (its `step`) where the two sides differ.
    pub first_difference: Option<usize>,
}

fn broken(run: &Run, step: usize) -> bool {
    run.state(step)
        .is_some_and(|w| run.scenario.invariants.iter().any(|i| i.check(w).is_err()))
}

/// Replays `left`'s recorded choices under `right_fixes` (same scenario, seed and
/// sandbox), matching each by what it names. Both runs' cursors are put at `left`'s.
pub fn side_by_side(left: &Run, right_fixes: Fixes) -> Comparison {
    let mut right = left.rebuilt(right_fixes, left.seed);
    let mut rows = Vec::new();
    let mut first_difference = None;
    for (i, rec) in left.all_records().iter().enumerate() {
        let before = left.state(i).expect("a state before every record");
        let wanted = signature(before, rec.event);
        let mut matched = Matched::Ended;
        if right.cursor() == i {
            let pick = match matching(right.world(), &wanted, rec.event) {
                Some(e) => Some((e, Matched::Same)),
                None => right.rule_choice().map(|e| (e, Matched::Rules)),
            };
            if let Some((e, how)) = pick {
                if right.fire(e).is_ok() {
                    matched = how;
                }
            }
        }
        let left_line = rec.to_string();
        let right_line = (right.cursor() == i + 1)
            .then(|| right.all_records().get(i).map(|r| r.to_string()))
            .flatten();
        let differs = right_line.as_deref() != Some(left_line.as_str());
        if differs && first_difference.is_none() {
            first_difference = Some(i + 1);
        }
        rows.push(Row {
            step: i + 1,
            left: Some(left_line),
            right_violated: right_line.is_some() && broken(&right, i + 1),
            right: right_line,
            matched,
            differs,
            left_violated: broken(left, i + 1),
        });
    }
    // When the left run has ended, the right one goes on by its own rules to its end:
    // a fix may add steps (a second delete, a retry).
    if left.total_if_ended().is_some() && right.cursor() == left.recorded() {
        while right.recorded() < MAX_STEPS {
            let i = right.recorded();
            let Some(e) = right.rule_choice() else { break };
            if right.fire(e).is_err() {
                break;
            }
            if first_difference.is_none() {
                first_difference = Some(i + 1);
            }
            rows.push(Row {
                step: i + 1,
                left: None,
                right: right.all_records().get(i).map(|r| r.to_string()),
                matched: Matched::Rules,
                differs: true,
                left_violated: broken(left, left.recorded()),
                right_violated: broken(&right, i + 1),
            });
        }
    }
    let mut cmp = Comparison {
        left: left.clone(),
        right,
        rows,
        first_difference,
    };
    cmp.seek(left.cursor());
    cmp
}

impl Comparison {
    /// Moves both cursors to `step` (each no further than it has steps). Rows past
    /// the left's end (the right went on) are reached with `step` up to `rows.len()`.
    pub fn seek(&mut self, step: usize) {
        let l = step.min(self.left.recorded());
        self.left.reset();
        self.left.seek(l);
        let r = step.min(self.right.recorded());
        self.right.reset();
        self.right.seek(r);
    }

    /// The shared cursor: the furthest of the two.
    pub fn cursor(&self) -> usize {
        self.left.cursor().max(self.right.cursor())
    }
}
