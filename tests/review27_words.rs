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
/// leaves. It now says which run it is and where it departs, from the tree itself.
#[test]
fn step_zero_of_a_branch_says_where_it_leaves_the_story() {
    use cachescope::sim::tree::Tree;
    use cachescope::ui::lists::branch_opening;
    let run = common::start("stale-set-race", &[]);
    let mut tree = Tree::new(run);
    tree.run_to_end();
    tree.seek(0);
    // A branch from the start: an event other than the one run 0 takes first.
    let taken = tree.choices()[0];
    let second = *tree
        .world()
        .enabled()
        .iter()
        .find(|e| **e != taken)
        .expect("another event");
    tree.fire(second).expect("a branch from the start");
    let b = tree.branches().into_iter().find(|b| b.current).unwrap();
    assert_eq!((b.parent, b.fork), (Some(0), 0));
    let text = branch_opening(&b, Some("search: the shortest break of cache-matches-db"));
    assert_eq!(
        text,
        format!(
            "Run 1 (search: the shortest break of cache-matches-db) is not the scenario's own run: \
             it leaves run 0 after step 0, with {second}. Press Step (→) to follow it."
        )
    );
    // A branch three steps in: it shares run 0's first three steps.
    tree.switch(0).unwrap();
    tree.seek(3);
    let enabled = tree.world().enabled();
    let recorded = tree.choices()[3];
    let other = *enabled
        .iter()
        .find(|e| **e != recorded)
        .expect("another event");
    tree.fire(other).unwrap();
    let b = tree.branches().into_iter().find(|b| b.current).unwrap();
    assert_eq!((b.parent, b.fork), (Some(0), 3));
    assert_eq!(
        branch_opening(&b, None),
        format!(
            "Run 2 is not the scenario's own run: it leaves run 0 after step 3, with {other}. Press \
             Step (→) to follow it."
        )
    );
}
