//! The page's split build loads the narration after its first paint, with the
//! catalog's words: a step taken before it is there is recorded untold
//! (`Run::fire_untold`, what `Run::fire` does then), and `Run::narrate_pending` tells
//! it once the narration is loaded. The told record must be the very one `fire` makes
//! at once: same outcome, same narration, same trace line, for every catalog scenario,
//! under each of its fixes, with a fault on the way.
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fixes, Run};

/// The choices of a run of `run`'s setup to its end by the rules, with the first fault
/// the world offers injected after two steps (a fault's words are its own).
fn choices(run: &Run) -> Vec<Event> {
    let mut r = run.clone();
    let mut out = Vec::new();
    while let Some(e) = r.next_event() {
        let e = match r.world().faults().first() {
            Some(f) if out.len() == 2 => *f,
            _ => e,
        };
        r.fire(e).expect("a choice the run offers is enabled");
        out.push(e);
    }
    out
}

#[test]
fn a_step_taken_before_the_narration_is_told_as_fire_tells_it() {
    let mut checked = 0;
    for s in scenarios::ALL.iter() {
        let mut setups = vec![Fixes::none()];
        setups.extend(s.fixes.iter().map(|f| Fixes::none().toggled(s, f.id)));
        for fixes in setups {
            let told_run = Run::with_default_seed(s, fixes.clone());
            let path = choices(&told_run);
            let mut told = told_run.clone();
            let mut untold = told_run;
            for e in &path {
                told.fire(*e).unwrap();
                let r = untold.fire_untold(*e).unwrap();
                assert!(!r.narrated, "{}: {e} is recorded untold", s.id);
                assert!(r.outcome.is_empty(), "{}: {e} has no outcome yet", s.id);
                assert_eq!(r.narration, "Loading the narration…");
            }
            // The state is the one a told run reaches: only the words wait.
            assert_eq!(untold.world(), told.world(), "{} ({:?})", s.id, fixes.ids());
            assert_eq!(untold.narrate_pending(), !path.is_empty());
            assert_eq!(
                untold.all_records(),
                told.all_records(),
                "{} ({:?})",
                s.id,
                fixes.ids()
            );
            assert!(untold.all_records().iter().all(|r| r.narrated));
            assert_eq!(untold.trace(), told.trace());
            // Told once: nothing is pending any more.
            assert!(!untold.narrate_pending());
            checked += path.len();
        }
    }
    assert!(checked > 400, "the catalog's runs have {checked} steps");
}

#[test]
fn a_run_told_at_once_has_nothing_pending() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    assert!(run.recorded() > 0);
    assert!(run
        .all_records()
        .iter()
        .all(|r| r.narrated && !r.narration.is_empty()));
    assert!(!run.narrate_pending());
}
