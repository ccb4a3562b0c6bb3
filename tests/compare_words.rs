//! Side by side's words at the cursor: a run that has ended keeps its last verdict
//! (session 9's review: with the left run at step 24, the right one, which ended
//! violated at step 20, was reported "ok").
use cachescope::sim::compare;
use cachescope::sim::{scenarios, Fixes, Run};
use cachescope::ui::paint::{self, CompareText};

#[test]
fn a_run_that_ended_keeps_its_verdict_at_later_steps() {
    let s = scenarios::find("dual-write-crash").unwrap();
    let mut left = Run::with_default_seed(s, Fixes::parse(s, ["outbox"]).unwrap());
    left.run_to_end();
    let c = compare::side_by_side(&left, Fixes::none());
    let right_len = c.rows.iter().filter(|r| r.right.is_some()).count();
    assert!(
        right_len < left.cursor(),
        "the run without the outbox is shorter"
    );
    let last_right = c.rows.iter().rfind(|r| r.right.is_some()).unwrap();
    assert!(last_right.right_violated, "the dual write's run ends stale");
    let text = |cursor| {
        paint::compare(
            &c.rows,
            &CompareText {
                cursor,
                first_difference: c.first_difference,
                ends: "",
                left_label: "outbox",
                right_label: "no fix",
            },
        )
    };
    let after = text(left.cursor());
    assert!(
        after.contains(&format!(
            "right ended at step {}, violated",
            last_right.step
        )),
        "{after}"
    );
    assert!(!after.contains("right ok"), "{after}");
    // While both runs step, each has its own verdict.
    let during = text(last_right.step);
    assert!(during.contains("right violated"), "{during}");
}
