//! The endings' words about a client: `{answered CLIENT}`, its last answered read, and
//! `{reset CLIENT}`, its request that failed with a connection reset. Split from
//! `text.rs`.
use crate::sim::ids::NodeId;
use crate::sim::world::World;

/// `{answered CLIENT}`: "the reader's last answered read got v1" (or "got nothing", a
/// "not found"), or "the reader has had no answer to a read" when no read of it was
/// answered.
pub(super) fn answered(w: &World, client: NodeId) -> Option<String> {
    let c = w.clients.iter().find(|c| c.id == client)?;
    Some(match c.last_answer {
        Some(crate::sim::msg::Payload::ReadOk { value, .. }) => format!(
            "{client}'s last answered read got {}",
            value.map_or("nothing".into(), |v| v.to_string())
        ),
        // A CDN edge answers a read its origin's crash failed with an error (review 21,
        // F8's leftover: it was told as a query's connection).
        Some(crate::sim::msg::Payload::ReadFailed { .. })
            if c.latest().is_some_and(|(_, peer)| peer == NodeId::Cdn) =>
        {
            format!(
                "{client}'s last read failed: the CDN edge answered it with an error (a 502), its origin having \
                 crashed while it forwarded the read"
            )
        }
        Some(crate::sim::msg::Payload::ReadFailed { .. }) => {
            format!("{client}'s last read failed: its query's connection closed")
        }
        // Its latest read was reset: an earlier read's answer is not erased (review 22,
        // U2); the client keeps only its last answer, so it is not named.
        Some(crate::sim::msg::Payload::Closed)
            if c.latest()
                .is_some_and(|(r, _)| r.op == crate::sim::config::Op::Read) =>
        {
            let earlier = c.requests[..c.next.saturating_sub(1)]
                .iter()
                .any(|r| r.op == crate::sim::config::Op::Read);
            if earlier {
                format!("{client}'s latest read failed with a connection reset")
            } else {
                format!("{client}'s only read failed with a connection reset: it has had no answer to a read")
            }
        }
        _ => format!("{client} has had no answer to a read"),
    })
}

/// `{reset CLIENT}`: ": its connection to service was reset, so it cannot tell whether
/// its write committed" when the client's latest request failed with a connection reset
/// (a read: "it got no value"), else nothing.
pub(super) fn reset(w: &World, client: NodeId) -> Option<String> {
    let c = w.clients.iter().find(|c| c.id == client)?;
    let (request, peer) = c.latest()?;
    if c.busy.is_some() || c.last_answer != Some(crate::sim::msg::Payload::Closed) {
        return Some(String::new());
    }
    let what = if request.op == crate::sim::config::Op::Read {
        "it got no value"
    } else {
        "it cannot tell whether its write committed"
    };
    Some(format!(": its connection to {peer} was reset, so {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Fixes;
    use crate::sim::{scenarios, Run};

    /// `{answered reader}` of a reader whose first read was reset (the service crashed
    /// under it) says it has had no answer (review 22, U2; a reset read after an
    /// answered one: tests/review22_words.rs).
    #[test]
    fn a_reset_read_is_told_by_whether_an_earlier_read_came_before() {
        use crate::sim::{Event, Fault};
        let s = scenarios::find("cache-aside-read").unwrap();
        let mut run = Run::new(s, Fixes::none(), s.seed);
        for _ in 0..2 {
            assert!(run.forward());
        }
        run.truncate_future();
        run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
            .unwrap();
        let reader = NodeId::parse("reader").unwrap();
        while run
            .world()
            .clients
            .iter()
            .any(|c| c.id == reader && c.busy.is_some())
        {
            assert!(run.forward());
        }
        assert_eq!(
            answered(run.world(), reader).unwrap(),
            "reader's only read failed with a connection reset: it has had no answer to a read"
        );
    }
}
