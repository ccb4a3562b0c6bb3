//! Review session 16, F3: last session's Y5 (event-invalidation's ending credited the
//! consumer's delete where an eviction had ended the staleness) in its neighbours. At
//! the reviewer's reproductions (event-loss with the durable bus, cdc-invalidation),
//! then over the event-driven scenarios, with no fix and with each fix, with the first
//! eviction offered injected at every step of the story and the run stepped to its end
//! (the shape of tests/review15_endings.rs): an ending credits a delete only where the
//! run's books say it removed a stale copy, and names an eviction that ended a copy's
//! staleness.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::{scenarios, Event, Fault, Fixes, Key, Run};

use common::at;
use review::ending;

/// The link's run, memory pressure evicting user:1 from the cache as the next step, then
/// stepped to its end.
fn evicted_at(query: &str) -> Run {
    let mut run = at(query);
    run.truncate_future();
    run.fire(Event::Fault(Fault::Evict {
        cache: cachescope::sim::NodeId::CACHE,
        key: Key(1),
    }))
    .unwrap();
    run.run_to_end();
    run
}

const NAMED: &str =
    "Memory pressure evicted a stale copy of user:1 in this run: that eviction ended the copy's staleness.";

#[test]
fn f3_event_loss_durable_bus_does_not_credit_a_delete_that_removed_nothing() {
    // Evicted at step 13, before the commit (the cache is never stale), and at 16, after
    // it (the eviction ends the staleness).
    for (n, stale) in [(12, false), (15, true)] {
        let run = evicted_at(&format!("scenario=event-loss&fix=durable-bus&step={n}"));
        let steps: Vec<&str> = run.records().iter().map(|r| r.narration.as_str()).collect();
        assert!(
            steps.contains(
                &"The cache deletes user:1; it was not cached, so there is nothing to remove."
            ),
            "{steps:#?}"
        );
        let w = run.world();
        assert!(!w.books.saw(Happened::StaleDeleted(Key(1))));
        assert_eq!(w.books.saw(Happened::EvictedStale(Key(1))), stale);
        let text = ending(&run);
        assert!(!text.contains("and deleted the key"), "step {n}: {text}");
        if stale {
            assert!(text.contains(NAMED), "{text}");
        } else {
            assert!(
                text.contains("Memory pressure evicted a cached copy of user:1 in this run."),
                "{text}"
            );
        }
    }
}

#[test]
fn f3_cdc_names_the_eviction_and_not_the_invalidators_delete() {
    let run = evicted_at("scenario=cdc-invalidation&step=16");
    // 21 before review 20b's F8 (the writer's reset is a step of the story).
    assert!(run.records()[22]
        .narration
        .contains("it was not cached, so there is nothing to remove"));
    let text = ending(&run);
    assert!(text.contains(NAMED), "{text}");
    assert!(!text.contains("and deleted the key"), "{text}");
    assert!(
        text.contains("read the log again from its position on disk and sent the key's delete"),
        "{text}"
    );
    // The story itself: the invalidator's delete removes the stale copy, and is said to.
    let mut story = at("scenario=cdc-invalidation&step=0");
    story.run_to_end();
    assert!(story.world().books.saw(Happened::StaleDeleted(Key(1))));
    let text = ending(&story);
    assert!(
        text.contains("read the log again from its position on disk and deleted the key"),
        "{text}"
    );
    assert!(!text.contains("Memory pressure"), "{text}");
}

/// The sentences that credit a delete (a consumer's, an invalidator's, an event's) of
/// user:1 with ending a stale copy: each is said only where a delete removed one.
const CREDITS: &[&str] = &[
    "resumed from its committed offset and deleted the key",
    "read the log again from its position on disk and deleted the key",
    "the event invalidated it within milliseconds",
    "the event took about 200 ms to reach the consumer",
    "the consumer, which deleted the key",
];

#[test]
fn f3_no_event_ending_credits_a_delete_after_an_eviction_ended_the_staleness() {
    let ids = [
        "event-invalidation",
        "event-loss",
        "cdc-invalidation",
        "outbox",
        "dual-write-crash",
        "event-duplicate-reorder",
        "hybrid",
        "event-delay",
    ];
    let (mut runs, mut named) = (0, 0);
    for id in ids {
        let s = scenarios::find(id).unwrap();
        let mut all: Vec<Vec<&str>> = vec![vec![]];
        all.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in all {
            let start = Run::new(s, Fixes::parse(s, fixes.iter().copied()).unwrap(), s.seed);
            let mut story = start.clone();
            story.run_to_end();
            for n in 0..story.records().len() {
                let mut here = start.clone();
                for _ in 0..n {
                    assert!(here.forward());
                }
                let evict = here
                    .world()
                    .faults()
                    .into_iter()
                    .filter_map(|e| e.fault())
                    .find(|f| matches!(f, Fault::Evict { .. }));
                let Some(fault @ Fault::Evict { key, .. }) = evict else {
                    continue;
                };
                let mut run = here.clone();
                run.fire(Event::Fault(fault)).unwrap();
                run.run_to_end();
                let text = ending(&run);
                let ctx = format!("{id} {fixes:?} step {n} {fault}: {text}");
                let w = run.world();
                let removed = w.books.saw(Happened::StaleDeleted(key));
                for said in CREDITS {
                    let one = w.books.saw(Happened::StaleDeleted(Key(1)));
                    assert!(!text.contains(said) || one, "{said:?}: {ctx}");
                }
                assert!(
                    !text.contains("No cached copy is stale in this run"),
                    "{ctx}"
                );
                // An eviction that ended a copy's staleness, with no delete removing a
                // stale copy, is named where the key ends with no stale copy.
                let stale_now = cachescope::sim::books::copies(w).any(|c| {
                    c.key == key
                        && c.entry.expires_ms > w.now_ms
                        && c.entry.version < w.expected(key)
                });
                if w.books.saw(Happened::EvictedStale(key)) && !removed && !stale_now {
                    let name = format!("Memory pressure evicted a stale copy of {key} in this run");
                    assert!(text.contains(&name), "{ctx}");
                    named += 1;
                }
                runs += 1;
            }
        }
    }
    // Every story step of the eight scenarios and their fixes where an eviction is
    // offered; in 120 of them the eviction ended the staleness and is named (241 and
    // 117 before review 20b's F8: the stories whose service crashes have one step more,
    // the writer's read of its connection reset; 244 before session 26: hybrid's
    // horizon, now 357 ms, comes before user:1's TTL, whose expiry was its last step).
    assert_eq!((runs, named), (243, 120));
}
