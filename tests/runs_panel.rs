//! The Runs panel's badge says what happened in a run (review session 12, R17): a run
//! whose writer read an older version than it wrote was "violated at the end" although
//! every copy matched at the end; read-your-writes is judged at every read, so the
//! badge names the step of the read that broke it. A window that closed stays "ok at
//! the end (violated at step N)"; a state still broken, "violated at the end".
use cachescope::sim::tree::Tree;
use cachescope::sim::{scenarios, Fixes, Invariant, Run};
use cachescope::ui::lists;

fn badge(id: &str) -> (Tree, String) {
    let s = scenarios::find(id).unwrap();
    let mut tree = Tree::new(Run::new(s, Fixes::none(), s.seed));
    tree.run_to_end();
    let html = lists::branches(&tree.branches(), &[]);
    let at = html.find("class=\"badge\">").expect("a badge") + "class=\"badge\">".len();
    let text = html[at..at + html[at..].find('<').unwrap()].to_string();
    (tree, text)
}

#[test]
fn a_read_that_broke_read_your_writes_is_named_by_its_step_not_the_end() {
    let (tree, text) = badge("cross-region-read-your-writes");
    let w = tree.current().world();
    assert!(Invariant::ReadYourWrites.check(w).is_err());
    assert!(Invariant::CacheMatchesDb.check(w).is_ok());
    let b = &tree.branches()[0];
    let at = b.ryw_at.expect("read-your-writes broke");
    // The step is the read's: the state before it holds, the state at it does not.
    let run = tree.current();
    assert!(Invariant::ReadYourWrites
        .check(run.state(at - 1).unwrap())
        .is_ok());
    assert!(Invariant::ReadYourWrites
        .check(run.state(at).unwrap())
        .is_err());
    assert!(
        run.records()[at - 1].to_string().contains("writer"),
        "{}",
        run.records()[at - 1]
    );
    assert_eq!(text, format!("read-your-writes broken at step {at}"));
    // The contract's status is still read off the end state.
    assert_eq!(b.status(), "violated");
}

#[test]
fn a_window_that_closed_and_a_state_still_broken_keep_their_words() {
    let (tree, text) = badge("event-delay");
    let b = &tree.branches()[0];
    assert!(!b.violated && b.ended);
    assert_eq!(
        text,
        format!(
            "ok at the end (violated at step {})",
            b.first_violation.unwrap()
        )
    );
    let (tree, text) = badge("stale-set-race");
    assert!(tree.branches()[0].lasting);
    assert_eq!(text, "violated at the end");
}

/// A recording cut before the run's end is "ok so far", not "ok" (review session 12,
/// V16: stale-set-race at step 8 said "ok", and its run ends violated); a branch the
/// search made is named as the search's, off the first run (V12).
#[test]
fn a_run_not_ended_is_ok_so_far_and_a_search_branch_says_so() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut tree = Tree::new(Run::new(s, Fixes::none(), s.seed));
    tree.seek(8);
    let html = lists::branches(&tree.branches(), &[]);
    assert!(html.contains(">ok so far<"), "{html}");
    assert!(html.contains("the first run · 8 steps"), "{html}");
    tree.run_to_end();
    // At step 8 two replies are in flight (m7, m8): the other one starts a branch.
    tree.seek(8);
    let taken = tree.current().all_records()[8].event;
    let other = tree
        .current()
        .world()
        .enabled()
        .into_iter()
        .find(|e| *e != taken)
        .expect("another event to branch with");
    let id = tree.fire(other).unwrap();
    let origins = [(
        id,
        "search: the shortest break of cache-matches-db".to_string(),
    )];
    let html = lists::branches(&tree.branches(), &origins);
    assert!(
        html.contains(&format!(
            "search: the shortest break of cache-matches-db; from run 0 after step 8: {other}"
        )),
        "{html}"
    );
    assert!(html.contains("the first run · "), "{html}");
}
