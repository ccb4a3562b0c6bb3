//! Quiet mode: stepping with no text built reaches the same states as narrated
//! stepping, byte for byte, in every catalog scenario with and without each fix.
use cachescope::sim::sched::{self, Seeded};
use cachescope::sim::{scenarios, Fixes};

#[test]
fn quiet_and_narrated_runs_reach_the_same_states() {
    for &s in scenarios::ALL.iter() {
        let mut variants = vec![Fixes::none()];
        variants.extend(s.fixes.iter().filter_map(|f| Fixes::parse(s, [f.id]).ok()));
        for fixes in variants {
            for seed in 0..20 {
                let mut narrated = s.world(&fixes, s.seed);
                let mut quiet = narrated.clone();
                let records = sched::run(&mut narrated, &mut Seeded::new(seed));
                let steps = sched::run_quiet(&mut quiet, &mut Seeded::new(seed));
                assert_eq!(steps, records.len(), "{} seed {seed}", s.id);
                assert_eq!(quiet, narrated, "{} seed {seed}", s.id);
                assert_eq!(quiet.fingerprint(), narrated.fingerprint());
                assert!(records.iter().all(|r| !r.label.is_empty()));
            }
        }
    }
}

#[test]
fn a_quiet_step_records_what_a_narrated_one_does_but_the_text() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut narrated = s.world(&Fixes::none(), s.seed);
    let mut quiet = narrated.clone();
    for _ in 0..cachescope::sim::run::MAX_STEPS {
        let Some(event) = narrated.earliest() else {
            break;
        };
        let record = narrated.step(event).unwrap();
        let step = quiet.step_quiet(event).unwrap();
        assert_eq!(
            (step.event, step.at_ms, step.actor, step.hop),
            (record.event, record.at_ms, record.actor, record.hop)
        );
        assert!(!record.narration.is_empty());
        assert_eq!(quiet, narrated);
    }
    assert!(narrated.enabled().is_empty(), "the run ended");
}

/// The facts a step records (what the narration and the books observe) are the same
/// in a quiet step and a narrated one: a quiet step skips only the words.
#[test]
fn quiet_and_narrated_steps_record_the_same_facts() {
    let mut facts = 0;
    for &s in scenarios::ALL.iter() {
        let mut narrated = s.world(&Fixes::none(), s.seed);
        let mut quiet = narrated.clone();
        for _ in 0..cachescope::sim::run::MAX_STEPS {
            let Some(event) = narrated.earliest() else {
                break;
            };
            narrated.step(event).unwrap();
            quiet.step_quiet(event).unwrap();
            assert_eq!(quiet.facts(), narrated.facts(), "{} at {event}", s.id);
            facts += narrated.facts().len();
        }
    }
    assert!(facts > 100, "only {facts} facts: do the nodes record them?");
}
