//! Every catalog scenario's scripted endings after the faults `evict` and
//! `disconnect` (review session 15, Y2, Y4 to Y6, Y8): each scenario, with no fix and
//! with each fix, has one of those faults injected at several steps of its story (the
//! first eviction offered then, or the consumer's disconnect), then runs to its end;
//! each ending sentence that tells a fact of the run is said only where the run's
//! books and state show that fact.
use cachescope::sim::books::Happened;
use cachescope::sim::{scenarios, Event, Fault, Fixes, Key, NodeId, Run};

/// The sentences of the catalog's endings that a fault can make untrue, each with
/// what must hold of the run's end for it to be said.
fn claims(run: &Run) -> Vec<(&'static str, bool)> {
    let w = run.world();
    let saw = |h| w.books.saw(h);
    let k = Key(1);
    let consumer_crashed = w.books.crashes_of(NodeId::CONSUMER) > 0;
    vec![
        // event-loss (Y2).
        ("published while the consumer was down", consumer_crashed),
        (
            "waited in the log while the consumer was down",
            consumer_crashed,
        ),
        // event-invalidation (Y5): the consumer's delete removed a stale copy.
        (
            "the cache was stale: event-driven",
            saw(Happened::StaleDeleted(k)),
        ),
        // near-cache-stale with client tracking (Y4).
        (
            "when the writer's delete reached it",
            !saw(Happened::Evicted(k)),
        ),
        // event-duplicate-reorder (Y6).
        ("did no harm", !saw(Happened::StaleStored(k))),
        // stale-set-race, delete-before-update-race, cdn-purge-race (Y8).
        ("something removed it", !saw(Happened::EvictedStale(k))),
        (
            "no stale response is left at the edge",
            !saw(Happened::EvictedStale(k)),
        ),
        // Every named eviction took place.
        ("memory pressure evicted", saw(Happened::EvictedStale(k))),
        ("Memory pressure also evicted", saw(Happened::Evicted(k))),
    ]
}

/// The faults injected at step `n`: the first eviction offered, and each consumer's
/// disconnect.
fn faults_at(run: &Run) -> Vec<Fault> {
    let offered: Vec<Fault> = run
        .world()
        .faults()
        .into_iter()
        .filter_map(|e| e.fault())
        .collect();
    let evict = offered
        .iter()
        .copied()
        .find(|f| matches!(f, Fault::Evict { .. }));
    evict
        .into_iter()
        .chain(
            offered
                .iter()
                .copied()
                .filter(|f| matches!(f, Fault::Disconnect(_))),
        )
        .collect()
}

#[test]
fn no_scripted_ending_survives_an_eviction_or_a_disconnect_that_made_it_untrue() {
    let (mut runs, mut other_path) = (0, 0);
    for s in scenarios::ALL.iter().copied() {
        let mut all: Vec<Vec<&str>> = vec![vec![]];
        all.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in all {
            let start = Run::new(s, Fixes::parse(s, fixes.iter().copied()).unwrap(), s.seed);
            let mut story = start.clone();
            story.run_to_end();
            let len = story.records().len();
            for n in (0..len).step_by(2) {
                let mut at = start.clone();
                for _ in 0..n {
                    assert!(at.forward());
                }
                for fault in faults_at(&at) {
                    let mut run = at.clone();
                    run.fire(Event::Fault(fault)).unwrap();
                    run.run_to_end();
                    let text = run.scenario.epilogue(run.world(), &run.fixes);
                    let ctx = format!("{} {fixes:?} step {n} {fault}: {text}", s.id);
                    for (said, true_of) in claims(&run) {
                        assert!(!text.contains(said) || true_of, "{said:?}: {ctx}");
                    }
                    // A consumer still unsubscribed at the end of a run that left the
                    // script is named, with what it holds back.
                    let cut = run.world().any_unsubscribed();
                    if text.contains("another path") {
                        other_path += 1;
                        assert!(!cut || text.contains("has not subscribed again"), "{ctx}");
                    }
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 1000, "{runs}");
    assert!(other_path > 100, "{other_path}");
}
