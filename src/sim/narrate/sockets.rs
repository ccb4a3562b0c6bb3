//! What a crash's dead sockets lose: the messages on their way to the crashed node
//! (said at its crash), and those still on their way at its restart, told apart by
//! when they were sent. Split from `closed.rs`.
use super::super::fact::Fact;
use super::super::ids::NodeId;
use super::super::world::World;
use super::closed::closing;

/// The messages on their way to `node`, which has just crashed, as a sentence: its
/// sockets died with it, so none of them will reach it, not even after a restart
/// (`fault::restart`).
pub(super) fn lost_inbound(w: &World, node: NodeId) -> String {
    let lost: Vec<String> = w
        .net
        .iter()
        .filter(|m| m.to == node)
        .map(|m| format!("{} ({} from {})", m.id, m.payload, m.from))
        .collect();
    match lost.as_slice() {
        [] => String::new(),
        [one] => format!(
            " The message on its way to it, {one}, will never reach it: its socket died with it, so the \
             message is lost when it arrives, or at the restart if it is still on its way then."
        ),
        many => format!(
            " The {} messages on their way to it ({}) will never reach it: its sockets died with it, so \
             each is lost when it arrives, or at the restart if it is still on its way then.",
            many.len(),
            many.join(", ")
        ),
    }
}

/// The messages still on their way to `node` when it restarted (`Fact::Lost` facts of
/// the restart's step, `fault::restart`), as a sentence: those sent before its crash
/// died with its sockets; those sent while it was down went to a process already dead
/// (review session 17b, 6: "its sockets died" was said of both).
pub(super) fn lost_at_restart(w: &World, node: NodeId) -> String {
    // The first message sent from its latest crash on (none known: all before).
    let crashed = w.books.crashed_msg.get(&node).copied().unwrap_or(u32::MAX);
    let (mut all, mut before, mut after) = (Vec::new(), Vec::new(), Vec::new());
    for f in &w.facts.0 {
        if let Fact::Lost {
            id,
            from,
            to,
            payload,
        } = f
        {
            if *to == node {
                all.push(format!("{id} ({payload} from {from})"));
                if id.0 < crashed {
                    before.push(id.to_string());
                } else {
                    after.push(id.to_string());
                }
            }
        }
    }
    let what = match all.as_slice() {
        [] => return String::new(),
        [one] => format!("The message still on its way to it, {one}, is"),
        many => format!(
            "The {} messages still on their way to it ({}) are",
            many.len(),
            many.join(", ")
        ),
    };
    // The closes the restart's host sent back to their senders (`fault::restart`).
    let reset: Vec<String> = closing(w, node).map(|p| p.to_string()).collect();
    let reset = match reset.as_slice() {
        [] => String::new(),
        [one] => format!(
            " Its host resets the connection that message came on: {one}, whose request waits on it, will see it close, \
             and that request fails."
        ),
        many => format!(
            " Its host resets the connections they came on: {}, whose requests wait on it, will each see theirs \
             close, and those requests fail.",
            many.join(" and ")
        ),
    };
    let was = |v: &[String]| if v.len() == 1 { "was" } else { "were" };
    let why = match (before.is_empty(), after.is_empty()) {
        (false, true) => format!("{node}'s sockets died with its crash, and a restarted process starts with none"),
        (true, false) => format!(
            "{} sent while {node} was down, to a process already dead, and a restarted process starts \
             with no connections",
            if after.len() == 1 { "it was" } else { "they were" }
        ),
        _ => format!(
            "{} {} on the way before the crash, and {node}'s sockets died with it; {} {} sent while it \
             was down, to a process already dead; a restarted process starts with no connections",
            before.join(", "),
            was(&before),
            after.join(", "),
            was(&after)
        ),
    };
    format!(" {what} lost: {why} (its peers connect anew).{reset}")
}
