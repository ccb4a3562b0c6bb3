//! What the page says before the ending when a run ends with a client still waiting
//! (`Run::stuck_note`): who waits, and why, from the state. In the words chunk with the
//! rest of the narration, so its code is not in the page's first download.
use crate::sim::fault::NodeStatus;
use crate::sim::world::World;

/// Who waits and why, at a run's end (`None` if no client waits and no consumer is
/// stuck on an event); `w`: the world at the end, which the caller checked is an end
/// before the step limit.
pub(crate) fn stuck(w: &World) -> Option<String> {
    let consumers: Vec<String> = w
        .nodes
        .consumers()
        .filter_map(|(id, c)| {
            let (ev, _, flow) = c.busy?;
            (!w.net.iter().any(|m| m.flow == Some(flow)))
                .then(|| format!("{id} still handling {}", ev.id))
        })
        .collect();
    let clients = clients(w);
    if consumers.is_empty() {
        return clients;
    }
    // A consumer's cache command lost, with no close and no timeout to end its wait
    // (review session 20, F9: it stayed "handling e2" without a word).
    let stuck = format!(
        "The run ends with {}: a message its cache command needed was lost, and a consumer in this model reads no \
         closed connection and has no timeout, so it waits for an answer that will not come and takes no other \
         event.",
        consumers.join(" and ")
    );
    Some(clients.map_or(stuck.clone(), |c| format!("{c} {stuck}")))
}

/// The clients still waiting for an answer, by name: a client whose request failed (a
/// connection reset, review 20b, F8) waits no more. The stuck note's and `{done}`'s
/// list (review 20b, D2).
pub(crate) fn waiting(w: &World) -> Vec<String> {
    w.clients
        .iter()
        .filter(|c| c.busy.is_some())
        .map(|c| c.id.to_string())
        .collect()
}

/// The clients still waiting, and why (`None` if none).
fn clients(w: &World) -> Option<String> {
    let waiting = waiting(w);
    if waiting.is_empty() {
        return None;
    }
    // A paused or cut-off node holds what is on its way to it: the run waits on it. A
    // down node does not (what reaches it is lost), and the page can still restart
    // it, so it is said as a fact of the end, "has not restarted", not as what the
    // clients wait for (review 17b, 7: "no restart coming" while a restart was
    // offered, and after it a second ending that gave another reason for the same
    // wait).
    let mut held: Vec<String> = Vec::new();
    let mut down: Vec<String> = Vec::new();
    for n in w.nodes().into_iter().filter(|n| !n.is_client()) {
        match w.status_of(n) {
            NodeStatus::Up => {}
            NodeStatus::Paused => held.push(format!("{n} is paused")),
            NodeStatus::Partitioned => held.push(format!("{n} is cut off")),
            NodeStatus::Down => down.push(n.to_string()),
        }
    }
    let who = waiting.join(" and ");
    if !held.is_empty() {
        held.extend(down.iter().map(|n| format!("{n} is down")));
        return Some(format!(
            "The run ends with {who} still waiting for an answer, while {}.",
            held.join(" and ")
        ));
    }
    let down = match down.as_slice() {
        [] => String::new(),
        [one] => format!(" {one} is down and has not restarted."),
        many => format!(" {} are down and have not restarted.", many.join(" and ")),
    };
    if !w.net.is_empty() {
        return Some(format!(
            "The run ends with {who} still waiting for an answer.{down}"
        ));
    }
    // A crash no longer leaves a client waiting: its connection's close fails the
    // request (review 20b, F8). What is left is a lost message.
    let why = if waiting.len() == 1 {
        "a message its request needed was lost, and nothing resends it"
    } else {
        "a message each of their requests needed was lost, and nothing resends them"
    };
    Some(format!(
        "The run ends with {who} still waiting for an answer: {why}.{down}"
    ))
}
