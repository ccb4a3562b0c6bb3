//! Folding a run's quiet stretches for its views: which steps fold (checked against
//! the views of the states, independently of how `fold` finds them), that folding
//! leaves the run as it was, and that the rows cover every step exactly once.
use cachescope::sim::fold::{self, Fold, Row, MIN_FOLD_HITS, MIN_FOLD_STEPS};
use cachescope::sim::view::View;
use cachescope::sim::{scenarios, Event, Fault, Fixes, NodeId, Run};

fn ended(id: &str, fixes: &[&str]) -> Run {
    let s = scenarios::find(id).unwrap();
    let mut run = Run::new(s, Fixes::parse(s, fixes.iter().copied()).unwrap(), s.seed);
    run.run_to_end();
    run
}

fn view(run: &Run, step: usize) -> View {
    View::of(run.state(step).unwrap(), run.scenario)
}

fn metric(v: &View, name: &str) -> u64 {
    v.metrics
        .iter()
        .find(|m| m.name == name)
        .map_or(0, |m| m.value)
}

/// Everything a fold promises about its stretch.
fn assert_quiet(run: &Run, f: &Fold) {
    assert!(
        f.len() >= MIN_FOLD_STEPS && f.cache_hits >= MIN_FOLD_HITS,
        "{f:?}"
    );
    let before = view(run, f.first - 1);
    for step in f.first..=f.last {
        let v = view(run, step);
        let what = format!("{} step {step} in {f:?}", run.scenario.id);
        assert!(
            !matches!(run.all_records()[step - 1].event, Event::Fault(_)),
            "{what}"
        );
        assert_eq!(v.cache, before.cache, "{what}: the cache");
        assert_eq!(v.db, before.db, "{what}: the rows");
        assert_eq!(v.guards, before.guards, "{what}");
        let ok = |v: &View| v.invariants.iter().map(|i| i.ok).collect::<Vec<_>>();
        assert_eq!(ok(&v), ok(&before), "{what}: the invariants");
        for m in &before.metrics {
            if m.name != "cache-hits" {
                assert_eq!(metric(&v, m.name), m.value, "{what}: {}", m.name);
            }
        }
    }
    let hits = metric(&view(run, f.last), "cache-hits") - metric(&before, "cache-hits");
    assert_eq!(hits, f.cache_hits, "{f:?}");
    assert!(f
        .summary()
        .starts_with(&format!("×{hits} cache hits, steps {}–{}", f.first, f.last)));
}

#[test]
fn long_stretches_of_cache_hits_fold_and_nothing_else_does() {
    let mut folded = Vec::new();
    for s in scenarios::ALL.iter() {
        let mut sets = vec![Vec::new()];
        sets.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in sets {
            let run = ended(s.id, &fixes);
            let trace = run.trace();
            let folds = fold::folds(&run, run.recorded(), &[]);
            assert_eq!(run.trace(), trace, "folding leaves the run as it was");
            for (i, f) in folds.iter().enumerate() {
                assert_quiet(&run, f);
                if let Some(next) = folds.get(i + 1) {
                    assert!(f.last < next.first, "in order, apart");
                }
            }
            if fixes.is_empty() && !folds.is_empty() {
                folded.push(s.id);
            }
        }
    }
    // The steady reads of ttl-jitter after the burst, and the stampede's hits before
    // its key expires; a scenario that tells a race has no such stretch.
    assert_eq!(folded, vec!["ttl-jitter", "stampede"]);
}

#[test]
fn a_kept_step_or_a_fault_breaks_a_fold() {
    let run = ended("stampede", &[]);
    let all = fold::folds(&run, run.recorded(), &[]);
    let f = all[0];
    assert_eq!(f.first, 1);
    // A chapter in the middle: what is left on each side folds only if long enough.
    let mid = (f.first + f.last) / 2;
    for g in fold::folds(&run, run.recorded(), &[mid]) {
        assert!(!g.contains(mid), "{g:?}");
        assert_quiet(&run, &g);
    }
    // Only the steps taken so far fold.
    let part = fold::folds(&run, 10, &[]);
    assert!(part.iter().all(|g| g.last <= 10), "{part:?}");
    // A fault is never folded: pause the cache in the middle of the stretch.
    let s = run.scenario;
    let mut faulty = Run::new(s, Fixes::none(), s.seed);
    faulty.seek(mid);
    faulty
        .fire(Event::Fault(Fault::Pause(NodeId::Cache(1))))
        .unwrap();
    faulty
        .fire(Event::Fault(Fault::Resume(NodeId::Cache(1))))
        .unwrap();
    faulty.run_to_end();
    for g in fold::folds(&faulty, faulty.recorded(), &[]) {
        assert!(!g.contains(mid + 1) && !g.contains(mid + 2), "{g:?}");
        assert_quiet(&faulty, &g);
    }
}

#[test]
fn the_rows_cover_every_step_once_and_the_cursor_is_never_folded() {
    let run = ended("ttl-jitter", &[]);
    let upto = run.recorded();
    let folds = fold::folds(&run, upto, &[]);
    assert!(!folds.is_empty());
    let steps = |rows: &[Row]| -> Vec<usize> {
        rows.iter()
            .flat_map(|r| match r {
                Row::Step(s) => *s..=*s,
                Row::Folded(f) => f.first..=f.last,
                #[allow(clippy::reversed_empty_ranges)]
                Row::Unfolded(_) => 1..=0,
            })
            .collect()
    };
    let every: Vec<usize> = (1..=upto).collect();
    for cursor in [0, folds[0].first, folds[0].last, upto] {
        for open in [vec![], vec![folds[0].first]] {
            let rows = fold::rows(upto, &folds, &open, cursor);
            assert_eq!(steps(&rows), every, "cursor {cursor}, open {open:?}");
            for (i, r) in rows.iter().enumerate() {
                match r {
                    Row::Folded(f) => {
                        assert!(!f.contains(cursor), "the step shown is a row of its own");
                        assert!(!open.contains(&f.first), "an open fold shows its steps");
                    }
                    Row::Unfolded(f) => {
                        assert!(open.contains(&f.first) || f.contains(cursor));
                        assert_eq!(rows[i + 1], Row::Step(f.first), "its steps follow it");
                    }
                    Row::Step(_) => {}
                }
            }
        }
    }
    let closed = fold::rows(upto, &folds, &[], 0);
    assert_eq!(
        closed.len(),
        upto - folds.iter().map(|f| f.len() - 1).sum::<usize>()
    );
}

#[test]
fn a_fold_cut_at_the_cursor_is_the_fold_of_the_steps_so_far() {
    for id in ["ttl-jitter", "stampede"] {
        let run = ended(id, &[]);
        let all = fold::folds(&run, run.recorded(), &[]);
        let hits = fold::cache_hits(&run);
        assert_eq!(hits.len(), run.recorded() + 1);
        let mut at: Vec<usize> = (0..=run.recorded()).step_by(11).collect();
        for f in &all {
            at.extend([
                f.first - 1,
                f.first,
                f.first + MIN_FOLD_STEPS - 1,
                f.last,
                f.last + 1,
            ]);
        }
        for upto in at.into_iter().filter(|u| *u <= run.recorded()) {
            assert_eq!(
                fold::clip(&all, upto, &hits),
                fold::folds(&run, upto, &[]),
                "{id} up to step {upto}"
            );
        }
    }
}
