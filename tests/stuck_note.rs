//! A run that ends with a client still waiting for an answer says so, and why, before
//! its ending (review session 11, R8): with the database crashed at the start, a
//! write-through run ended "The write took the database round trip and then the cache
//! round trip before the writer heard back", while the writer never heard back.
mod common;
use cachescope::sim::{scenarios, Event, Fault, Fixes, NodeId, NodeStatus, Run};

fn waiting(run: &Run) -> Vec<String> {
    run.world()
        .clients
        .iter()
        .filter(|c| c.busy.is_some())
        .map(|c| c.id.to_string())
        .collect()
}

#[test]
fn every_story_ends_with_every_client_answered_and_no_note() {
    for s in scenarios::ALL.iter().copied() {
        let mut all: Vec<Vec<&str>> = vec![vec![]];
        all.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in all {
            let mut run = Run::new(s, Fixes::parse(s, fixes.iter().copied()).unwrap(), s.seed);
            run.run_to_end();
            assert_eq!(
                run.stuck_note().is_some(),
                !waiting(&run).is_empty(),
                "{} {fixes:?}",
                s.id
            );
        }
    }
}

/// Session 19 (F6): with the database crashed at the start, the writer's UPDATE fails
/// on the closed connection and the writer is told its write failed: nobody waits, so
/// no note, and the ending does not say the write took its round trips. (Before, the
/// writer waited for ever and the note said so, which R8's test checked here.)
#[test]
fn a_crashed_database_fails_the_writers_write_and_nobody_waits() {
    let s = scenarios::find("write-through").unwrap();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.fire(Event::Fault(Fault::Crash(NodeId::DB))).unwrap();
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.status_of(NodeId::DB), NodeStatus::Down);
    assert!(waiting(&run).is_empty(), "{}", run.trace());
    assert_eq!(run.stuck_note(), None);
    assert!(run.records().iter().any(|r| r
        .narration
        .contains("writer is told its write of user:1 failed")));
    let text = run.scenario.epilogue(run.world(), &run.fixes);
    assert!(!text.contains("before the writer heard back"), "{text}");
}

#[test]
fn a_lost_delete_leaves_the_writer_waiting_with_every_node_up() {
    use cachescope::sim::msg::Payload;
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::new(s, Fixes::parse(s, ["versioned-set"]).unwrap(), s.seed);
    let del = common::step_until_sent(&mut run, |p| matches!(p, Payload::Del { .. }));
    run.fire(Event::Fault(Fault::Drop(del))).unwrap();
    run.run_to_end();
    let w = run.world();
    assert!(w.net.is_empty());
    assert!(w.nodes().iter().all(|n| w.is_up(*n)));
    assert_eq!(waiting(&run), ["writer"]);
    assert_eq!(
        run.stuck_note().as_deref(),
        Some(
            "The run ends with writer still waiting for an answer: a message its request needed was lost, \
             and nothing resends it."
        )
    );
}
