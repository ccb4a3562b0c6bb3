//! What the page says before the ending when a run ends with a client still waiting
//! (`Run::stuck_note`): who waits, and why, from the state. In the words chunk with the
//! rest of the narration, so its code is not in the page's first download.
use crate::sim::fault::NodeStatus;
use crate::sim::ids::NodeId;
use crate::sim::world::{TimerKind, World};

/// Who waits and why, at a run's end (`None` if no client waits); `w`: the world at
/// the end, which the caller checked is an end before the step limit.
pub(crate) fn stuck(w: &World) -> Option<String> {
    let waiting: Vec<String> = w
        .clients
        .iter()
        .filter(|c| c.busy.is_some())
        .map(|c| c.id.to_string())
        .collect();
    if waiting.is_empty() {
        return None;
    }
    let stopped: Vec<String> = w
        .nodes()
        .into_iter()
        .filter(|n| !n.is_client())
        .filter_map(|n| match w.status_of(n) {
            NodeStatus::Up => None,
            NodeStatus::Paused => Some(format!("{n} is paused")),
            NodeStatus::Partitioned => Some(format!("{n} is cut off")),
            NodeStatus::Down => {
                let coming = w
                    .timers
                    .iter()
                    .any(|t| t.kind == TimerKind::Restart { node: n });
                Some(if coming {
                    format!("{n} is down")
                } else {
                    format!("{n} is down, with no restart coming")
                })
            }
        })
        .collect();
    // The service of each waiting client that crashed and holds no open request of
    // it: the request was lost with the crash (or sent to it while it was down).
    let lost_to_crash: Vec<Option<NodeId>> = w
        .clients
        .iter()
        .filter(|c| c.busy.is_some())
        .map(|c| {
            let s = c.settings.service;
            (w.books.crashes_of(s) > 0 && w.flow(c.busy).is_none()).then_some(s)
        })
        .collect();
    let who = waiting.join(" and ");
    Some(if !stopped.is_empty() {
        format!(
            "The run ends with {who} still waiting for an answer, while {}.",
            stopped.join(" and ")
        )
    } else if w.net.is_empty() && lost_to_crash.iter().any(|l| l.is_some()) {
        // A crashed service lost the request itself, not a message of it (review
        // session 16, F6).
        let one = waiting.len() == 1;
        let why: Vec<String> = waiting
            .iter()
            .zip(&lost_to_crash)
            .map(|(c, lost)| {
                let whose = if one {
                    "its".to_string()
                } else {
                    format!("{c}'s")
                };
                match lost {
                    Some(s) => format!("{whose} request was lost to {s}'s crash"),
                    None => format!("a message {whose} request needed was lost"),
                }
            })
            .collect();
        format!(
            "The run ends with {who} still waiting for an answer: {}, and nothing resends it.",
            why.join("; ")
        )
    } else if w.net.is_empty() {
        format!(
            "The run ends with {who} still waiting for an answer: a message {} request needed was \
             lost, and nothing resends it.",
            if waiting.len() == 1 { "its" } else { "their" }
        )
    } else {
        format!("The run ends with {who} still waiting for an answer.")
    })
}
