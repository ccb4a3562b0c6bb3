//! The simulation's rules that every scenario relies on: determinism, stepping back,
//! replay, and refusing a choice that is not enabled.
use cachescope::sim::run::MAX_STEPS;
use cachescope::sim::sched::{self, Replay, Seeded};
use cachescope::sim::view::View;
use cachescope::sim::world::StepError;
use cachescope::sim::{scenarios, Event, Fixes, Run};

fn all_runs() -> Vec<Run> {
    let mut out = Vec::new();
    for s in scenarios::ALL.iter() {
        out.push(Run::with_default_seed(s, Fixes::none()));
        for f in s.fixes {
            out.push(Run::with_default_seed(s, Fixes::parse(s, [f.id]).unwrap()));
        }
    }
    out
}

#[test]
fn same_inputs_give_the_same_trace_byte_for_byte() {
    for mut a in all_runs() {
        let mut b = Run::new(a.scenario, a.fixes.clone(), a.seed);
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.trace(), b.trace(), "{}", a.scenario.id);
        assert_eq!(a.world(), b.world(), "{}", a.scenario.id);
        assert!(!a.trace().is_empty());
    }
}

#[test]
fn stepping_back_restores_the_exact_earlier_state() {
    for mut run in all_runs() {
        let mut seen = vec![run.world().clone()];
        while run.forward() {
            seen.push(run.world().clone());
        }
        for i in (0..seen.len()).rev() {
            assert_eq!(run.world(), &seen[i], "{} at step {i}", run.scenario.id);
            run.back();
        }
        // And forward again replays the same steps.
        let end = seen.len() - 1;
        assert_eq!(run.seek(end), end);
        assert_eq!(run.world(), &seen[end]);
    }
}

#[test]
fn replaying_the_choices_gives_the_same_trace() {
    for s in scenarios::ALL.iter() {
        for seed in 0..50u64 {
            let mut world = s.world(&Fixes::none(), s.seed);
            let records = sched::run(&mut world, &mut Seeded::new(seed));
            assert!(records.len() <= MAX_STEPS);
            let choices: Vec<Event> = records.iter().map(|r| r.event).collect();
            let mut again = s.world(&Fixes::none(), s.seed);
            let replayed = sched::run(&mut again, &mut Replay { choices });
            assert_eq!(records, replayed, "{} seed {seed}", s.id);
            assert_eq!(world, again);
        }
    }
}

#[test]
fn a_choice_that_is_not_enabled_is_refused_and_changes_nothing() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut world = s.world(&Fixes::none(), s.seed);
    let before = world.clone();
    let bogus = Event::Deliver(cachescope::sim::ids::MsgId(999));
    assert_eq!(world.step(bogus), Err(StepError::NotEnabled(bogus)));
    assert_eq!(world, before);
    let mut run = Run::with_default_seed(s, Fixes::none());
    assert!(run.fire(bogus).is_err());
    assert_eq!(run.cursor(), 0);
}

#[test]
fn time_never_goes_back_and_the_run_stops_at_the_horizon() {
    for s in scenarios::ALL.iter() {
        for seed in 0..50u64 {
            let mut world = s.world(&Fixes::none(), s.seed);
            let mut last = 0;
            let records = sched::run(&mut world, &mut Seeded::new(seed));
            for r in &records {
                assert!(r.at_ms >= last, "{} seed {seed}: {r}", s.id);
                last = r.at_ms;
            }
            assert!(world.now_ms <= world.config.horizon_ms);
            assert!(world.enabled().is_empty() || records.len() == MAX_STEPS);
        }
    }
}

#[test]
fn the_race_needs_the_slow_read_to_straddle_the_write() {
    // Under earliest-first with the scenario's delays the race happens; serving the
    // reader's messages before the writer's (the read finishing before the write
    // starts) leaves the cache consistent: the race is an interleaving, not a bug in
    // either request alone.
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    loop {
        let enabled = run.world().enabled();
        let Some(first) = enabled.first().copied() else {
            break;
        };
        let reader_first = enabled
            .iter()
            .copied()
            .find(|e| {
                let w = run.world();
                let flow = match e {
                    Event::Deliver(id) => w.net.iter().find(|m| m.id == *id).and_then(|m| m.flow),
                    _ => None,
                };
                matches!(e, Event::Start(cachescope::sim::NodeId::Reader(_)))
                    || flow.is_some_and(|f| f.0 == 1)
            })
            .unwrap_or(first);
        run.fire(reader_first).unwrap();
    }
    assert!(!run.on_script());
    assert!(cachescope::sim::Invariant::CacheMatchesDb
        .check(run.world())
        .is_ok());
}

#[test]
fn the_view_shows_what_the_world_holds() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let v = View::of(run.world(), s);
    assert_eq!(v.cache.len(), 1);
    assert_eq!(v.cache[0].key, "user:1");
    assert_eq!(v.cache[0].value, "v1");
    assert_eq!(v.db[0].value, "v2");
    assert!(v
        .invariants
        .iter()
        .any(|i| i.name == "cache-matches-db" && !i.ok));
    assert!(v.nodes.iter().any(|n| n.id.to_string() == "reader"));
    assert!(v.in_flight.is_empty());
}
