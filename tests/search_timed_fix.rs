//! Review 30, A (session 30): the fixes that bet on timing hold in the search with no
//! extra fault, and one `delay` beats them. Searches of up to 3,000,000 states with a
//! fault: too long for an unoptimised build, so they compile to nothing under debug
//! assertions and run in the test-search tier (`cargo test --release`).
#![cfg(not(debug_assertions))]
mod common;
use cachescope::ui::verdict;

/// Review 30, A: the fixes that bet on timing (cdn-purge-race's `double-purge`,
/// stale-set-race's `delayed-double-delete`): the page's search with no extra fault
/// finds no violation, since it keeps every hop at the scenario's delay and a timer
/// waits for what is due before it. With one `delay` (a message held `fault_delay_ms`
/// longer) the search finds a run where the old value lands after the second purge or
/// delete: the heuristic's hole, which the result's words (`verdict::timed_fix`) name.
#[test]
fn a_timed_fix_holds_on_time_and_one_delay_beats_it() {
    use cachescope::sim::search::{Bounds, FaultBudget, Search, WorldModel};
    for (id, fix, second, stored) in [
        (
            "cdn-purge-race",
            "double-purge",
            "=> cdn purged again user:1",
            "=> cdn stored user:1=v1",
        ),
        (
            "stale-set-race",
            "delayed-double-delete",
            "service: second delete user:1 => del sent",
            "set user:1=v1 => stored v1",
        ),
    ] {
        let run = common::start(id, &[fix]);
        let r = Search::new(WorldModel::new(&run, FaultBudget::NONE), Bounds::default()).run();
        assert!(r.complete && r.violations.is_empty(), "{id} {fix}");
        let budget = FaultBudget {
            extra: 1,
            kinds: &["delay"],
        };
        let bounds = Bounds {
            max_states: 3_000_000,
            ..Bounds::default()
        };
        let r = Search::new(WorldModel::new(&run, budget), bounds).run();
        let v = r
            .violations
            .first()
            .expect("one delay beats the second purge");
        assert_eq!(v.name, "cache-matches-db");
        let played = run.replayed(&v.path).expect("it replays");
        let story = common::story(&played);
        let second_at = story.find(second).expect("the second purge or delete");
        let stored_at = story.rfind(stored).expect("the old value stored");
        assert!(second_at < stored_at, "{id} {fix}: {story}");
        // The words the page adds to its "no violation" are true of the config.
        let w = run.world();
        let wait = w
            .config
            .second_delete_ms
            .or_else(|| w.config.cdn.as_ref().and_then(|c| c.second_purge_ms))
            .expect("a timed fix");
        let what = if id == "cdn-purge-race" {
            "second purge"
        } else {
            "second delete"
        };
        let words = verdict::timed_fix(what, wait, w.config.fault_delay_ms);
        assert!(
            words.contains(&format!(
                "a message held {} ms longer",
                w.config.fault_delay_ms
            )),
            "{words}"
        );
    }
}
