//! Side by side: the same choices under other fixes, matched by the event they name.
use cachescope::sim::compare::{self, Matched};
use cachescope::sim::rng::Rng;
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fault, Fixes, Invariant, Run, Scenario};

fn random_run(s: &'static Scenario, fixes: Fixes, seed: u64, max: usize) -> Run {
    let mut rng = Rng::new(seed);
    let mut r = Run::with_default_seed(s, fixes);
    while r.cursor() < max {
        let w = r.world();
        let (enabled, faults) = (w.enabled(), w.faults());
        let e = if !faults.is_empty() && rng.below(12) == 0 {
            faults[rng.below(faults.len() as u64) as usize]
        } else if enabled.is_empty() {
            break;
        } else {
            enabled[rng.below(enabled.len() as u64) as usize]
        };
        r.fire(e).unwrap();
    }
    r
}

#[test]
fn the_same_fixes_give_the_same_run() {
    for (i, s) in scenarios::ALL.iter().enumerate() {
        for seed in 0..3 {
            let mut run = random_run(s, Fixes::none(), i as u64 * 7 + seed, 60);
            run.seek(run.recorded() / 2);
            let c = compare::side_by_side(&run, run.fixes.clone());
            assert_eq!(c.first_difference, None, "{}", s.id);
            assert_eq!(c.right.choices(), run.choices(), "{}", s.id);
            assert!(c
                .rows
                .iter()
                .all(|r| r.matched == Matched::Same && !r.differs));
            assert_eq!(c.cursor(), run.cursor());
            assert_eq!(c.right.world(), run.world());
        }
    }
}

#[test]
fn a_fix_off_and_on_differ_where_the_fix_acts() {
    let s = scenarios::find("stale-set-race").unwrap();
    for fix in ["lease", "versioned-set", "delayed-double-delete"] {
        let mut off = Run::with_default_seed(s, Fixes::none());
        off.run_to_end();
        let c = compare::side_by_side(&off, Fixes::parse(s, [fix]).unwrap());
        let d = c.first_difference.expect("the fix changes something");
        assert!(d > 1, "{fix}: the start is the same");
        let row = &c.rows[d - 1];
        assert!(row.differs);
        assert!(c.rows[..d - 1].iter().all(|r| !r.differs), "{fix}");
        // the left breaks the invariant at its end, the right does not
        assert!(c.rows.last().unwrap().left_violated, "{fix}");
        assert!(Invariant::CacheMatchesDb.check(off.world()).is_err());
        let mut right = c.right.clone();
        right.run_to_end();
        assert!(
            Invariant::CacheMatchesDb.check(right.world()).is_ok(),
            "{fix}: {}",
            right.trace()
        );
        assert_eq!(c.left.cursor(), off.recorded());
    }
}

#[test]
fn choices_are_matched_by_what_they_name_not_by_id() {
    // With a lease, the service sends different messages, so ids shift; a fault on a
    // message must still find the same message on the right.
    let s = scenarios::find("stampede").unwrap();
    let mut left = Run::with_default_seed(s, Fixes::none());
    left.seek(12);
    let victim = left.world().net.last().expect("a message in flight").id;
    left.fire(Event::Fault(Fault::Delay(victim))).unwrap();
    left.run_to_end();
    let on = Fixes::parse(s, ["single-flight"]).unwrap();
    let c = compare::side_by_side(&left, on);
    let row = &c.rows[12];
    assert!(row.left.as_deref().unwrap().contains("delay"));
    assert_eq!(row.matched, Matched::Same, "{row:?}");
    assert!(row.right.as_deref().unwrap().contains("delay"), "{row:?}");
    assert!(c.rows.len() >= left.recorded());
    // stepping together
    let mut c = c;
    c.seek(5);
    assert_eq!((c.left.cursor(), c.right.cursor()), (5, 5));
}

#[test]
fn ids_shift_under_a_fix_and_matching_still_finds_the_event() {
    let s = scenarios::find("stampede").unwrap();
    let mut shifted = 0;
    for seed in 0..10 {
        let left = random_run(s, Fixes::none(), seed, 80);
        let c = compare::side_by_side(&left, Fixes::parse(s, ["lease"]).unwrap());
        for (i, row) in c.rows.iter().enumerate() {
            if row.matched == Matched::Same && i < left.recorded() {
                let (l, r) = (left.all_records()[i].event, c.right.all_records()[i].event);
                if l != r {
                    shifted += 1;
                    assert_eq!(l.kind(), r.kind());
                }
            }
        }
    }
    assert!(shifted > 0, "some matched events have other ids");
}
