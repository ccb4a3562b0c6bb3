//! Review 28's "confusing, true" items, made plain (session 29): the invariants panel
//! says "violated now" where a run judged at its end may still mend it (the timeline
//! calls such a window "not a break"), and the Runs panel counts a recording short of
//! the run's end as "so far" (a link's `step=18` of a run of 21).
use cachescope::sim::tree::Tree;
use cachescope::sim::view::View;
use cachescope::sim::{scenarios, Fixes, Invariant, Run};
use cachescope::ui::{lists, paint};

fn run_to_end(id: &str) -> Run {
    let s = scenarios::find(id).expect("scenario exists");
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    run
}

#[test]
fn a_window_mid_run_is_violated_now_and_the_end_is_violated() {
    // cache-aside-write: the commit comes before its delete, a window the run mends.
    let mut run = run_to_end("cache-aside-write");
    let end = run.cursor();
    let window = (1..end)
        .find(|&i| {
            Invariant::CacheMatchesDb
                .check(run.state(i).unwrap())
                .is_err()
        })
        .expect("a window between the commit and its delete");
    assert!(Invariant::CacheMatchesDb.check(run.world()).is_ok());
    run.seek(window);
    let html = paint::invariants(&View::of(run.world(), run.scenario));
    assert!(html.contains("✗ violated now"), "{html}");
    assert!(html.contains("A run is judged at its end."), "{html}");
    // stale-set-race ends broken: at its end, plainly violated.
    let race = run_to_end("stale-set-race");
    assert!(Invariant::CacheMatchesDb.check(race.world()).is_err());
    let html = paint::invariants(&View::of(race.world(), race.scenario));
    assert!(html.contains("✗ violated<"), "{html}");
    assert!(
        !html.contains("violated now") && !html.contains("judged at its end"),
        "{html}"
    );
}

#[test]
fn read_your_writes_broken_mid_run_is_broken_for_good_not_now() {
    let mut run = run_to_end("cross-region-read-your-writes");
    let at = (1..=run.cursor())
        .find(|&i| {
            Invariant::ReadYourWrites
                .check(run.state(i).unwrap())
                .is_err()
        })
        .expect("the stale read");
    run.seek(at);
    assert!(!run.world().enabled().is_empty(), "mid-run");
    let v = View::of(run.world(), run.scenario);
    let ryw = v
        .invariants
        .iter()
        .find(|i| i.name == "read-your-writes")
        .unwrap();
    assert!(!ryw.ok && !ryw.for_now, "{ryw:?}");
}

#[test]
fn a_recording_short_of_the_end_counts_its_steps_so_far() {
    let s = scenarios::find("stale-set-race").expect("scenario exists");
    let mut run = Run::new(s, Fixes::none(), s.seed);
    for _ in 0..5 {
        assert!(run.forward());
    }
    let html = lists::branches(&Tree::new(run).branches(), &[]);
    assert!(html.contains("· 5 steps so far<"), "{html}");
    let html = lists::branches(&Tree::new(run_to_end("stale-set-race")).branches(), &[]);
    assert!(
        html.contains(" steps<") && !html.contains("so far<"),
        "{html}"
    );
}
