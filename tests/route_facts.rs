//! What the world itself finds when it routes (`src/sim/route.rs`): a client that does
//! not exist, a message for no node of this world. Each is a fact, and the narration
//! (an observer) tells it; the routing writes no text.
use cachescope::sim::ids::NodeId;
use cachescope::sim::{scenarios, Event, Fixes, Run};

/// What the world itself finds (a client that does not exist, a message for no node
/// of this world) is a fact (`route.rs`), told by the narration from it.
#[test]
fn what_no_node_handles_is_a_fact_the_narration_tells() {
    use cachescope::sim::fact::Fact;
    let s = scenarios::find("cache-aside-read").unwrap();
    let mut w = Run::new(s, Fixes::none(), s.seed).world().clone();
    let ghost = NodeId::Reader(9);
    let rec = w.step_unchecked(Event::Start(ghost)).unwrap();
    assert!(w
        .facts_by_node()
        .any(|(_, f)| *f == Fact::NoSuchClient { node: ghost }));
    assert_eq!(rec.outcome, "no such client");
    assert!(
        rec.narration
            .starts_with(&format!("{ghost} is not a client of this scenario")),
        "{}",
        rec.narration
    );
    // A message in flight, readdressed to a client this world does not have.
    let e = w.enabled()[0];
    let _ = w.step(e).unwrap();
    let msg = w.net.first_mut().expect("a message in flight");
    msg.to = ghost;
    let (id, from, payload) = (msg.id, msg.from, msg.payload);
    let rec = w.step_unchecked(Event::Deliver(id)).unwrap();
    assert!(w.facts_by_node().any(|(by, f)| by.is_none()
        && *f
            == Fact::Unrouted {
                id,
                from,
                to: ghost,
                payload
            }));
    assert_eq!(rec.outcome, "ignored");
    assert!(
        rec.narration
            .contains(&format!("is for {ghost}, which this scenario does not run")),
        "{}",
        rec.narration
    );
    assert!(!w.net.iter().any(|m| m.id == id), "the message is gone");
}
