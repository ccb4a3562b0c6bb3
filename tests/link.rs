//! The URL contract: what a link loads, what it reports, and that nothing in it can
//! panic the page.
use cachescope::sim::link::{self, load};
use cachescope::sim::rng::Rng;
use cachescope::sim::Run;

#[test]
fn no_query_loads_the_first_scenario() {
    let l = load("");
    assert_eq!(l.run.scenario.id, "cache-aside-read");
    assert!(l.errors.is_empty());
    assert_eq!(l.run.cursor(), 0);
}

#[test]
fn a_link_to_step_n_equals_n_steps_forward() {
    let l = load("?scenario=stale-set-race&step=4");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let mut by_hand = Run::with_default_seed(l.run.scenario, l.run.fixes.clone());
    for _ in 0..4 {
        assert!(by_hand.forward());
    }
    assert_eq!(l.run.world(), by_hand.world());
    assert_eq!(l.run.trace(), by_hand.trace());
}

#[test]
fn fixes_and_seed_are_read() {
    let l = load("scenario=stale-set-race&fix=lease%2Cversioned-set&seed=42");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.fixes.ids(), &["versioned-set", "lease"]);
    assert_eq!(l.run.seed, 42);
}

#[test]
fn bad_values_are_named_and_the_rest_still_loads() {
    let cases = [
        ("scenario=nope", "scenario", "nope"),
        ("scenario=stale-set-race&step=-1", "step", "-1"),
        ("scenario=stale-set-race&step=abc", "step", "abc"),
        ("scenario=stale-set-race&fix=mutex", "fix", "mutex"),
        ("scenario=stale-set-race&seed=x", "seed", "x"),
        ("scenario=stale-set-race&step=9999", "step", "9999"),
        ("scenario=stale-set-race&step=17", "step", "17"),
    ];
    for (query, param, value) in cases {
        let l = load(query);
        assert_eq!(l.errors.len(), 1, "{query}: {:?}", l.errors);
        assert_eq!(l.errors[0].param, param, "{query}");
        assert_eq!(l.errors[0].value, value, "{query}");
        assert!(l.errors[0]
            .to_string()
            .contains(&format!("{param}={value}")));
    }
    assert_eq!(load("scenario=nope").run.scenario.id, "cache-aside-read");
    // A step past the end shows the last valid step.
    let past = load("scenario=stale-set-race&step=9999");
    assert_eq!(past.run.cursor(), 16);
    assert!(past.run.at_end());
}

/// Session 9's review, F12: the links that loaded something without a word.
#[test]
fn a_sandbox_code_alone_opens_the_sandbox() {
    let l = load("?sb=1.a111mn.r20.n300d");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert!(l.run.sandbox.is_some());
    let same = load("?scenario=sandbox&sb=1.a111mn.r20.n300d");
    assert_eq!(l.run.sandbox, same.run.sandbox);
    assert_eq!(l.run.trace(), same.run.trace());
    // Beside another scenario it is not read, and the page says so.
    let beside = load("?scenario=stale-set-race&sb=1.a111mn.r20.n300d");
    assert_eq!(beside.run.scenario.id, "stale-set-race");
    assert!(beside.run.sandbox.is_none());
    assert_eq!(beside.errors.len(), 1, "{:?}", beside.errors);
    assert_eq!(beside.errors[0].param, "sb");
    assert!(beside.errors[0].reason.contains("scenario=sandbox"));
}

/// A parameter given twice (review session 11, R20): `fix=` values join, as one list;
/// any other keeps its first value and says so under its name.
#[test]
fn a_parameter_given_twice_is_not_dropped_silently() {
    let l = load("?scenario=stale-set-race&fix=lease&fix=versioned-set");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.fixes.ids(), &["versioned-set", "lease"]);
    let l = load("?scenario=stale-set-race&step=3&step=5");
    assert_eq!(l.run.cursor(), 3);
    assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
    assert_eq!(
        (l.errors[0].param, l.errors[0].value.as_str()),
        ("step", "5")
    );
    assert!(
        l.errors[0]
            .reason
            .contains("more than once; using the first, 3"),
        "{}",
        l.errors[0].reason
    );
}

#[test]
fn an_unknown_view_is_named() {
    assert!(load("?scenario=stale-set-race&view=explore")
        .errors
        .is_empty());
    let l = load("?scenario=stale-set-race&view=nope");
    assert_eq!(l.run.scenario.id, "stale-set-race");
    assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
    assert_eq!(
        (l.errors[0].param, l.errors[0].value.as_str()),
        ("view", "nope")
    );
    assert!(l.errors[0].reason.contains("unknown view"));
}

#[test]
fn a_bad_scenario_code_gets_one_message_saying_what_is_shown() {
    let l = load("?scenario=x&s=garbage");
    assert_eq!(l.run.scenario.id, "cache-aside-read");
    assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
    assert_eq!(l.errors[0].param, "s");
    let said = l.errors[0].to_string();
    assert!(
        said.ends_with("x is not in the catalog either; showing cache-aside-read instead"),
        "{said}"
    );
    // A catalog id beside a bad code: that scenario, said once.
    let l = load("?scenario=stale-set-race&s=garbage");
    assert_eq!(l.run.scenario.id, "stale-set-race");
    assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
    assert!(l.errors[0]
        .to_string()
        .ends_with("showing stale-set-race instead"));
}

#[test]
fn query_round_trips_the_moment() {
    for q in [
        "scenario=stale-set-race&fix=lease&step=7",
        "scenario=cache-aside-write&seed=9&step=3",
    ] {
        let l = load(q);
        assert!(l.errors.is_empty());
        assert_eq!(link::query(&l.run), q);
        let again = load(&link::query(&l.run));
        assert_eq!(again.run.world(), l.run.world());
    }
}

#[test]
fn arbitrary_input_never_panics() {
    // Generated queries: random bytes, random mixes of the real parameter names and
    // values, broken escapes, huge numbers. Every one must load something usable.
    let alphabet: Vec<char> = "scenario=fix&step,seed%run=+-0123456789abcxyz-_éΩ\u{0}?"
        .chars()
        .collect();
    let words = [
        "scenario=",
        "fix=",
        "step=",
        "seed=",
        "run=",
        "stale-set-race",
        "lease",
        "%",
        "%2",
        "%zz",
        "&",
        "=",
        "18446744073709551616",
        "-1",
        "cache-aside-read",
        "versioned-set,lease,,",
        "%E2%82",
        "\u{FFFF}",
    ];
    let mut rng = Rng::new(2026);
    for i in 0..20_000u32 {
        let mut q = String::new();
        let parts = rng.below(12);
        for _ in 0..parts {
            if rng.below(2) == 0 {
                q.push_str(words[rng.below(words.len() as u64) as usize]);
            } else {
                q.push(alphabet[rng.below(alphabet.len() as u64) as usize]);
            }
        }
        let l = load(&q);
        assert!(
            l.run.cursor() <= cachescope::sim::run::MAX_STEPS,
            "case {i}: {q:?}"
        );
        let _ = link::query(&l.run);
    }
    let long = "step=".to_string() + &"9".repeat(100_000);
    let l = load(&long);
    assert_eq!(l.errors.len(), 1);
}
