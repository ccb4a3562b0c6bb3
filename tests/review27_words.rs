//! Review 27 (a new user auditing the page's words against its trace): sentences that
//! said more than the run shows, each checked on the run the page played.
mod common;
#[path = "common/review.rs"]
mod review;

use review::ending;

/// The narration of step `k` (1-based) of the run `query` loads.
fn step(query: &str, k: usize) -> String {
    let mut run = common::at(query);
    run.run_to_end();
    run.records()[k - 1].narration.clone()
}

/// The page's search run of write-behind-crash with the durable queue.
const WB: &str = "scenario=write-behind-crash&fix=durable-queue&run=1.AAECCB&step=21";

/// 1: at step 16 the reader gets v1 while the cache has accepted v2 (queued; its
/// writer not yet told, so not stale by the contract). It said "the current value",
/// two steps after the cache's step called v1 stale against the queued v2.
#[test]
fn a_read_behind_a_queued_write_is_not_called_current() {
    let said = step(WB, 16);
    assert!(
        said.contains("reader receives user:1 = v1. The cache has accepted v2 (it waits in the write-behind queue), but its writer has not been told yet")
            && !said.contains("the current value"),
        "{said}"
    );
}

/// 5: with the durable queue the cache acknowledges a write once its log has it on
/// disk (5 ms later), not at once.
#[test]
fn a_durable_queue_acknowledges_once_on_disk() {
    let mut run = common::start("write-behind-crash", &["durable-queue"]);
    run.run_to_end();
    let said: Vec<&str> = run
        .records()
        .iter()
        .map(|r| r.narration.as_str())
        .filter(|n| n.contains("acknowledges the write"))
        .collect();
    assert!(!said.is_empty());
    assert!(
        said.iter()
            .all(|n| n.contains("acknowledges the write once it is on disk")
                && !n.contains("at once")),
        "{said:?}"
    );
    // Without it, at once.
    let mut plain = common::start("write-behind-crash", &[]);
    plain.run_to_end();
    assert!(plain
        .records()
        .iter()
        .any(|r| r.narration.contains("acknowledges the write at once")));
}

/// 4: hybrid's batch job starts while no copy of user:2 is cached: the sentence no
/// longer speaks of "the cached key".
#[test]
fn a_batch_write_does_not_presume_a_cached_copy() {
    let mut run = common::start("hybrid", &[]);
    run.run_to_end();
    let said = run
        .records()
        .iter()
        .find(|r| r.narration.contains("a batch job, updates user:2"))
        .map(|r| r.narration.clone())
        .expect("the batch job's step");
    assert!(
        said.contains("so no cache is told of the change and no event is published")
            && !said.contains("cached key"),
        "{said}"
    );
}

/// 2: near-cache-stale with a short near TTL: the copy kept at 9 ms expired at 59 ms
/// and the write committed at 56 ms, so only a read between them would have been
/// stale; "a read within 50 ms of the write" was false (the reader's, 44 ms after the
/// commit, got v2).
#[test]
fn the_short_near_ttl_ending_says_which_reads_could_be_stale() {
    let mut run = common::start("near-cache-stale", &["short-near-ttl"]);
    run.run_to_end();
    let text = ending(&run);
    assert!(
        !text.contains("within 50 ms of the write")
            && text.contains("after the write committed and before that copy expired"),
        "{text}"
    );
}

/// 8: a fix's title inside the opening sentence is not capitalised mid-sentence;
/// an acronym stays.
#[test]
fn a_fix_title_mid_sentence_is_lowercased() {
    let s = cachescope::sim::scenarios::find("near-cache-stale").unwrap();
    let fixes = cachescope::sim::Fixes::parse(s, ["short-near-ttl"]).unwrap();
    let text = s.opening(&fixes);
    assert!(text.contains(" With a short near-cache TTL on: "), "{text}");
    let j = cachescope::sim::scenarios::find("ttl-jitter").unwrap();
    let text = j.opening(&cachescope::sim::Fixes::parse(j, ["jitter"]).unwrap());
    assert!(text.contains(" With TTL jitter on: "), "{text}");
}

/// 5: step 0 of a run that is not the first (a search's counterexample, played as a
/// branch) showed the scenario's summary, the first run's story, which that run
/// leaves. It now says where the recording leaves the scenario's own order, read from
/// the run's own record of which steps followed it; a run that follows it (a branch
/// too) still opens with the summary.
#[test]
fn step_zero_says_where_a_run_leaves_the_story() {
    use cachescope::sim::tree::Tree;
    use cachescope::ui::lists::step_zero;
    let run = common::start("stale-set-race", &[]);
    let opening = run.scenario.opening(&run.fixes);
    let mut tree = Tree::new(run);
    tree.run_to_end();
    tree.seek(0);
    assert_eq!(
        step_zero(&tree, 0, None),
        opening,
        "run 0 follows the script"
    );
    // A branch from the start: an event other than the one run 0 takes first.
    let taken = tree.choices()[0];
    let second = *tree
        .world()
        .enabled()
        .iter()
        .find(|e| **e != taken)
        .expect("another event");
    tree.fire(second).expect("a branch from the start");
    tree.seek(0);
    assert_eq!(tree.current_id(), 1);
    assert_eq!(
        step_zero(
            &tree,
            1,
            Some("search: the shortest break of cache-matches-db")
        ),
        format!(
            "Run 1 (search: the shortest break of cache-matches-db) leaves the scenario's own \
             order at step 1, with {second}. Press Step (→) to follow it."
        )
    );
    // A branch three steps in: it follows the scenario's order for three steps.
    tree.switch(0).unwrap();
    tree.seek(3);
    let recorded = tree.choices()[3];
    let other = *tree
        .world()
        .enabled()
        .iter()
        .find(|e| **e != recorded)
        .expect("another event");
    tree.fire(other).unwrap();
    tree.seek(0);
    assert_eq!(
        step_zero(&tree, 2, None),
        format!(
            "Run 2 leaves the scenario's own order at step 4, with {other}. Press Step (→) to \
             follow it."
        )
    );
    // A branch that takes the scenario's own step where run 0 did not: it follows the
    // scenario's order, and opens with the summary.
    let run = common::start("stale-set-race", &[]);
    let mut tree = Tree::new(run);
    let scripted = tree.rule_choice().expect("a first step");
    let off = *tree
        .world()
        .enabled()
        .iter()
        .find(|e| **e != scripted)
        .expect("another event");
    tree.fire(off).unwrap(); // extends run 0, off the script
    tree.seek(0);
    assert_eq!(
        step_zero(&tree, 0, None),
        format!("Run 0 leaves the scenario's own order at step 1, with {off}. Press Step (→) to follow it.")
    );
    tree.fire(scripted).unwrap();
    assert_eq!(tree.current_id(), 1);
    tree.seek(0);
    assert_eq!(step_zero(&tree, 1, None), opening);
}
