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
    // cache-aside-write's recording cut inside its window: violated now, not at the end.
    let s = scenarios::find("cache-aside-write").expect("scenario exists");
    let mut cut = Run::new(s, Fixes::none(), s.seed);
    while Invariant::CacheMatchesDb.check(cut.world()).is_ok() {
        assert!(cut.forward(), "the window comes");
    }
    let html = lists::branches(&Tree::new(cut).branches(), &[]);
    assert!(
        html.contains(">violated now<") && !html.contains("at the end"),
        "{html}"
    );
    let html = lists::branches(&Tree::new(run_to_end("stale-set-race")).branches(), &[]);
    assert!(
        html.contains(" steps<") && !html.contains("so far<"),
        "{html}"
    );
}

mod common;

/// Review 29, A: event-loss's searched run loses the push on its way to a consumer
/// that crashes after the bus pushed it (the consumer was up when it was published);
/// the ending said "the event was published while the consumer was down". The scripted
/// run's event is published while the consumer is down, and keeps that ending.
#[test]
fn event_loss_says_how_the_event_was_lost() {
    let searched = common::counterexample("event-loss", &[], 0, 1_000_000, "cache-matches-db");
    let end = searched.end_words().expect("the run ends");
    let pushed = searched.records().iter().any(|r| {
        r.narration.contains("pushes") && r.narration.contains("to the connected consumer")
    });
    assert!(
        pushed,
        "the search's shortest run pushes the event to a live consumer"
    );
    assert!(
        end.contains("the bus pushed the event to the consumer, but the consumer crashed before the push reached it"),
        "{end}"
    );
    assert!(
        !end.contains("published while the consumer was down"),
        "{end}"
    );
    let scripted = run_to_end("event-loss");
    let end = scripted.end_words().expect("the run ends");
    assert!(
        end.contains("the event was published while the consumer was down"),
        "{end}"
    );
}

/// Review 29, D: ttl-expiry's searched run stores v1 again after its TTL ran out (the
/// expired entry still in memory under lazy expiry); the chapter at the commit said
/// "older value on its way" (`overtaken`: it never lands), and it lands two steps on.
#[test]
fn an_older_value_stored_again_after_its_ttl_is_the_race() {
    let run = common::counterexample("ttl-expiry", &[], 0, 1_000_000, "cache-matches-db");
    let chapters = cachescope::ui::chapters::Ahead::of(&run).chapters;
    assert!(chapters.iter().any(|c| c.kind == "race"), "{chapters:?}");
    assert!(
        !chapters.iter().any(|c| c.kind == "overtaken"),
        "{chapters:?}"
    );
}

/// Review 29, E: cross-region-read-your-writes's cache-matches-db run is a refill from
/// a lagging read replica (its read missed after the commit and loaded v1 from the
/// replica); the result named no race. The run that breaks read-your-writes stops at
/// the stale read, before the end the race's words speak of: no race named there.
/// replica-lag-refill's own race is named, and its lease does not stop it.
#[test]
fn a_refill_from_a_lagging_replica_is_named_and_linked() {
    for (id, fixes) in [
        ("cross-region-read-your-writes", &[][..]),
        ("replica-lag-refill", &[]),
        ("replica-lag-refill", &["lease"]),
    ] {
        let s = scenarios::find(id).expect("scenario exists");
        let fx = Fixes::parse(s, fixes.iter().copied()).expect("fixes exist");
        let found = common::search(&Run::new(s, fx, s.seed), 0, 1_000_000);
        let teaches = |inv: &str| {
            found
                .violations
                .iter()
                .find(|c| c.invariant == inv)
                .map(|c| c.teaches.clone())
        };
        assert_eq!(
            teaches("cache-matches-db"),
            Some(Some("replica-lag-refill".to_string())),
            "{id} {fixes:?}"
        );
        if id == "cross-region-read-your-writes" {
            assert_eq!(teaches("read-your-writes"), Some(None));
        }
    }
}

/// Review 29, H: in event-loss's searched run the consumer crashes with the bus's push
/// on its way to it; that step said the push "will never reach it" while no-lost-event
/// still counted it as on its way (until the restart). A push to a node that is down is
/// on its way nowhere: the invariant breaks at the crash.
#[test]
fn a_push_to_a_crashed_consumer_is_not_on_its_way() {
    let run = common::counterexample("event-loss", &[], 0, 1_000_000, "cache-matches-db");
    let crash = run
        .records()
        .iter()
        .position(|r| r.narration.contains("will never reach it"))
        .expect("the crash with the push on its way")
        + 1;
    let w = run.state(crash).unwrap();
    assert!(Invariant::NoLostEvent.check(w).is_err(), "step {crash}");
    assert!(Invariant::NoLostEvent
        .check(run.state(crash - 1).unwrap())
        .is_ok());
}

/// Review 29, I: in cdn-purge-race with invalidate-origin-first the cache node is
/// emptied first and the CDN edge stays stale until its purge: the window's chapter
/// says "a copy", not "cache".
#[test]
fn a_window_says_a_copy_stale_not_the_cache() {
    let s = scenarios::find("cdn-purge-race").expect("scenario exists");
    let fx = Fixes::parse(s, ["invalidate-origin-first"]).expect("fix exists");
    let mut run = Run::new(s, fx, s.seed);
    run.run_to_end();
    let chapters = cachescope::ui::chapters::Ahead::of(&run).chapters;
    let window = chapters
        .iter()
        .find(|c| c.kind == "window")
        .unwrap_or_else(|| panic!("{chapters:?}"));
    // "a copy", not "cache": the cache node was emptied first.
    assert!(
        window.short.starts_with("a copy stale until step"),
        "{window:?}"
    );
}

/// Review 29, K: event-delay's searched run starts the reader's second read, planned
/// for 100 ms, at 246 ms; the step says when it was planned.
#[test]
fn a_start_later_than_planned_says_when_it_was_planned() {
    let run = common::counterexample("event-delay", &[], 0, 1_000_000, "cache-matches-db");
    let start = run
        .records()
        .iter()
        .find(|r| r.at_ms == 246 && r.narration.starts_with("reader asks"))
        .expect("the reader's second read starts at 246 ms");
    assert!(
        start.narration.ends_with(" (Planned for 100 ms.)"),
        "{}",
        start.narration
    );
}
