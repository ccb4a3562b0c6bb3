//! The explorer's words while a search runs and when one stops (review 23: S5, U3,
//! U4), from `ui::searching`, against the setups and messages the page has.
use cachescope::sim::search::msg::{Counterexample, DeepPart, Phase};
use cachescope::sim::{link, scenarios, Fixes, Run};
use cachescope::ui::searching::{bar_label, done_line, line, play_label, stopped};

fn setup(id: &str, fixes: &[&str], seed: Option<u64>) -> String {
    let s = scenarios::find(id).unwrap();
    let fixes = Fixes::parse(s, fixes.iter().copied()).unwrap();
    link::setup_query(&Run::new(s, fixes, seed.unwrap_or(s.seed)))
}

#[test]
fn a_search_stopped_by_a_change_says_which_not_cancelled() {
    let cdc = setup("dual-write-crash", &[], None);
    let fixed = setup("dual-write-crash", &["outbox"], None);
    let said = stopped(&cdc, &fixed);
    assert_eq!(
        said,
        "Stopped: the fixes changed, so this search no longer matches the run. Search again \
         to search the run shown."
    );
    assert!(!said.contains("Cancel"));
    assert!(stopped(&fixed, &cdc).starts_with("Stopped: the fixes changed, "));
    assert!(stopped(&cdc, &setup("stale-set-race", &[], None))
        .starts_with("Stopped: another scenario is open, "));
    assert!(stopped(&cdc, &setup("dual-write-crash", &[], Some(99)))
        .starts_with("Stopped: the seed changed, "));
}

#[test]
fn each_phase_names_itself_and_a_later_one_says_why_its_count_starts_over() {
    assert_eq!(
        line(Phase::Shifted, 0, 12_345, 1_000_000, 12, 500),
        "Breadth first: 12,345 distinct states of at most 1,000,000, depth 12, 24,690 states/s"
    );
    let again = line(Phase::Absolute, 1_000_000, 90_000, 1_000_000, 9, 1_000);
    assert!(
        again.starts_with(
            "Breadth first again, in absolute time (a new phase: states shifted in time cannot \
             be taken as one here, since the horizon falls between them, so the search started \
             over): 90,000 distinct states of at most 1,000,000, depth 9"
        ),
        "{again}"
    );
    let deep = line(Phase::Deep, 1_000_000, 3_000, 250_000, 41, 0);
    assert_eq!(
        deep,
        "Past the bound (a new phase: breadth first stopped at its bound of 1,000,000 distinct \
         states, so the search follows runs to their end): 3,000 distinct states of at most \
         250,000, depth 41"
    );
    assert_eq!(
        bar_label(Phase::Shifted, 1_000_000),
        "Distinct states found breadth first, of at most 1,000,000"
    );
    assert_eq!(
        bar_label(Phase::Deep, 250_000),
        "Distinct states found past the bound, of at most 250,000"
    );
    assert_eq!(
        done_line(30_000, 16, 1_500),
        "30,000 distinct states, depth 16, 20,000 states/s"
    );
    // No rate from a millisecond or a few (review 28: "311,000 states/s").
    assert_eq!(done_line(311, 9, 1), "311 distinct states, depth 9");
}

#[test]
fn each_play_button_is_named_for_the_run_it_plays() {
    let c = |invariant: &str, shortest| Counterexample {
        invariant: invariant.into(),
        steps: 16,
        teaches: None,
        code: String::new(),
        shortest,
        tied: false,
        part: DeepPart::DepthFirst,
    };
    let names = [
        play_label(&c("cache-matches-db", true)),
        play_label(&c("no-lost-event", true)),
        play_label(&c("no-lost-event", false)),
    ];
    assert_eq!(
        names[0],
        "Play it as a branch: the shortest run that breaks cache-matches-db"
    );
    assert_eq!(
        names[2],
        "Play it as a branch: a run found depth first that breaks no-lost-event"
    );
    // Named for the part of the depth-first phase that found it (review 27).
    let held = Counterexample {
        part: DeepPart::HeldBack,
        ..c("cache-matches-db", false)
    };
    assert_eq!(
        play_label(&held),
        "Play it as a branch: a run with one event held back that breaks cache-matches-db"
    );
    let earliest = Counterexample {
        part: DeepPart::EarliestFirst,
        ..c("cache-matches-db", false)
    };
    assert_eq!(
        play_label(&earliest),
        "Play it as a branch: a run in earliest-first order that breaks cache-matches-db"
    );
    // Each starts with the button's visible words (a voice user says them).
    assert!(names.iter().all(|n| n.starts_with("Play it as a branch")));
    assert!(names[0] != names[1] && names[1] != names[2]);
    // One shown among runs as short (session 26) is not called the shortest, on its
    // button or its card.
    let tied = Counterexample {
        tied: true,
        teaches: Some("stale-set-race".into()),
        ..c("cache-matches-db", true)
    };
    assert_eq!(
        play_label(&tied),
        "Play it as a branch: a shortest run that breaks cache-matches-db"
    );
    let line = cachescope::ui::verdict::counterexample_line(&tied);
    assert!(
        line.contains("the shortest runs that end with it broken have 16 steps")
            && line.contains("the first the search met is another")
            && !line.contains("the shortest run that"),
        "{line}"
    );
}
