//! Time travel with branches: stepping back restores the exact earlier state, a
//! different choice at an earlier step starts a branch and keeps the old one, and
//! switching brings a branch back exactly as it was.
use cachescope::sim::rng::Rng;
use cachescope::sim::tree::{Tree, TreeError, MAX_BRANCHES};
use cachescope::sim::world::{Event, World};
use cachescope::sim::{scenarios, Fault, Fixes, NodeId, Run, Scenario};

fn run(id: &str) -> Run {
    let s = scenarios::find(id).unwrap();
    Run::with_default_seed(s, Fixes::none())
}

/// A random choice at the cursor: an enabled event, now and then a fault.
fn random_choice(rng: &mut Rng, w: &World) -> Option<Event> {
    let enabled = w.enabled();
    let faults = w.faults();
    if !faults.is_empty() && (enabled.is_empty() || rng.below(10) == 0) {
        if enabled.is_empty() && rng.below(2) == 0 {
            return None;
        }
        return Some(faults[rng.below(faults.len() as u64) as usize]);
    }
    (!enabled.is_empty()).then(|| enabled[rng.below(enabled.len() as u64) as usize])
}

fn random_run(s: &'static Scenario, seed: u64, max: usize) -> Run {
    let mut rng = Rng::new(seed);
    let mut r = Run::with_default_seed(s, Fixes::none());
    while r.cursor() < max {
        let Some(e) = random_choice(&mut rng, r.world()) else {
            break;
        };
        r.fire(e).unwrap();
    }
    r
}

#[test]
fn step_back_then_forward_returns_the_same_state() {
    for (i, s) in scenarios::ALL.iter().enumerate() {
        for seed in 0..3 {
            let mut r = random_run(s, i as u64 * 10 + seed, 80);
            let worlds: Vec<World> = (0..=r.cursor())
                .map(|k| r.state(k).unwrap().clone())
                .collect();
            let trace = r.trace();
            while r.back() {
                assert_eq!(r.world(), &worlds[r.cursor()], "{}", s.id);
            }
            let mut k = 0;
            while r.cursor() < worlds.len() - 1 && r.forward() {
                k += 1;
                assert_eq!(r.world(), &worlds[k], "{} step {k}", s.id);
            }
            assert_eq!(r.trace(), trace, "{}", s.id);
            // and a replay of its choices from scratch is the same run
            let again = r.replayed(&r.choices()).unwrap();
            assert_eq!(again.trace(), r.trace(), "{}", s.id);
            assert_eq!(again.world(), r.world(), "{}", s.id);
        }
    }
}

#[test]
fn a_different_choice_starts_a_branch_and_keeps_the_old_one() {
    let mut t = Tree::new(run("stale-set-race"));
    t.run_to_end();
    let end = t.world().clone();
    let old_trace = t.trace();
    assert_eq!(t.branches().len(), 1);
    assert_eq!(t.branches()[0].status(), "violated");
    // back to step 2 and take another event there
    t.seek(2);
    let recorded = t.all_records()[2].event;
    let other = *t
        .world()
        .enabled()
        .iter()
        .find(|e| **e != recorded)
        .unwrap();
    let id = t.fire(other).unwrap();
    assert_eq!(id, 1);
    assert_eq!(t.cursor(), 3);
    let b = t.branches();
    assert_eq!(b.len(), 2);
    assert_eq!((b[1].parent, b[1].fork), (Some(0), 2));
    assert!(b[1].current && !b[0].current);
    assert_eq!(b[1].label, other.to_string());
    assert_eq!(b[0].len, end_len(&old_trace));
    // the first branch is intact
    t.switch(0).unwrap();
    assert_eq!(t.cursor(), 2, "its cursor stayed at the fork");
    t.run_to_end();
    assert_eq!(t.world(), &end);
    assert_eq!(t.trace(), old_trace);
    // firing the branch's event again switches to it instead of making a third
    t.seek(2);
    assert_eq!(t.fire(other).unwrap(), 1);
    assert_eq!(t.branches().len(), 2);
    assert_eq!(t.current_id(), 1);
    // firing the recorded event just steps along
    t.seek(0);
    let next = t.all_records()[0].event;
    assert_eq!(t.fire(next).unwrap(), 1);
    assert_eq!(t.branches().len(), 2);
}

fn end_len(trace: &str) -> usize {
    trace.lines().count()
}

#[test]
fn branches_know_where_they_break_an_invariant() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut t = Tree::new(Run::with_default_seed(s, Fixes::none()));
    t.run_to_end();
    let first = t.branches()[0].clone();
    assert!(first.violated && first.ended);
    let at = first.first_violation.unwrap();
    assert!(at > 0 && at <= first.len);
    // a branch where the network loses the stale set ends ok
    t.seek(at - 1);
    let set = t
        .world()
        .net
        .iter()
        .find(|m| m.to == NodeId::CACHE && m.payload.to_string().starts_with("set"))
        .unwrap()
        .id;
    t.fire(Event::Fault(Fault::Drop(set))).unwrap();
    t.run_to_end();
    let b = t.branches();
    assert_eq!(b.len(), 2);
    assert!(!b[1].violated, "{:?}\n{}", b[1], t.trace());
    assert_eq!(b[1].status(), "ok");
    assert_eq!(b[0].status(), "violated");
}

#[test]
fn at_most_64_branches_then_a_clear_refusal() {
    let mut t = Tree::new(run("stampede"));
    t.run_to_end();
    let mut rng = Rng::new(5);
    let mut refused = false;
    for _ in 0..400 {
        let at = rng.below(t.recorded() as u64 + 1) as usize;
        t.switch(t.branches()[rng.below(t.branches().len() as u64) as usize].id)
            .unwrap();
        t.seek(at.min(t.recorded()));
        let Some(e) = random_choice(&mut rng, t.world()) else {
            continue;
        };
        let before = t.branches().len();
        let world = t.world().clone();
        match t.fire(e) {
            Ok(_) => {}
            Err(TreeError::Full { limit }) => {
                assert_eq!(limit, MAX_BRANCHES);
                assert_eq!(t.branches().len(), before);
                assert_eq!(t.world(), &world, "nothing changes");
                assert!(TreeError::Full { limit }.to_string().contains("64"));
                refused = true;
            }
            Err(e) => panic!("{e}"),
        }
        assert!(t.branches().len() <= MAX_BRANCHES);
    }
    assert!(refused);
    // every branch comes back as it was recorded
    for b in t.branches() {
        let choices = t.choices_of(b.id).unwrap();
        t.switch(b.id).unwrap();
        assert_eq!(t.cursor(), b.cursor);
        assert_eq!(t.choices(), choices);
        assert_eq!(t.current_id(), b.id);
    }
    // deleting one makes room; the shown one cannot be deleted
    let shown = t.current_id();
    assert_eq!(t.delete(shown), Err(TreeError::Current(shown)));
    let other = t.branches().iter().find(|b| !b.current).unwrap().id;
    t.delete(other).unwrap();
    assert_eq!(t.branches().len(), MAX_BRANCHES - 1);
    for b in t.branches() {
        if let Some(p) = b.parent {
            assert!(t.branches().iter().any(|x| x.id == p), "parents exist");
        }
    }
}

#[test]
fn a_choice_that_is_not_enabled_changes_nothing() {
    let mut t = Tree::new(run("cache-aside-read"));
    t.run_to_end();
    t.seek(1);
    let err = t
        .fire(Event::Fault(Fault::Restart(NodeId::CACHE)))
        .unwrap_err();
    assert!(matches!(err, TreeError::Step(_)));
    assert_eq!(t.branches().len(), 1);
    assert_eq!(t.cursor(), 1);
}

#[test]
fn every_catalog_race_is_reproduced_by_hand_shared_and_stepped_back() {
    use cachescope::sim::link;
    for s in scenarios::ALL.iter() {
        // the scenario's own run, fired event by event as a learner would click
        let mut own = Run::with_default_seed(s, Fixes::none());
        own.run_to_end();
        let mut t = Tree::new(Run::with_default_seed(s, Fixes::none()));
        for e in own.choices() {
            t.fire(e).unwrap();
        }
        assert_eq!(t.trace(), own.trace(), "{}", s.id);
        assert_eq!(t.branches().len(), 1);
        // shared, loaded in a fresh page, stepped back to the start and forward again
        let l = link::load(&link::query(&t));
        assert!(l.errors.is_empty(), "{}: {:?}", s.id, l.errors);
        assert_eq!(l.run.world(), t.world(), "{}", s.id);
        let mut fresh = Tree::new(l.run);
        while fresh.back() {}
        fresh.run_to_end();
        assert_eq!(fresh.world(), own.world(), "{}", s.id);
    }
    // and a race found off the script, by a hand-chosen order, travels the same way
    let s = scenarios::find("stale-set-race").unwrap();
    let found = (0..500).find_map(|seed| {
        let r = random_run(s, seed, 200);
        let off = (0..r.recorded()).any(|i| !r.step_on_script(i));
        let broken = cachescope::sim::Invariant::CacheMatchesDb
            .check(r.world())
            .is_err();
        (off && broken && r.at_end()).then_some(r)
    });
    let r = found.expect("some hand-chosen order breaks stale-set-race");
    let q = link::query(&r);
    assert!(q.contains("run=1."), "{q}");
    let l = link::load(&q);
    assert_eq!(l.run.world(), r.world());
    assert_eq!(l.run.trace(), r.trace());
}
