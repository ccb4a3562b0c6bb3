//! What the narration says before the first step (`Scenario::opening`). The summary tells
//! the scenario's story without a fix; with a fix on, the run shown is a different one
//! (stale-set-race with `lease` ends consistent), so the page must not present the
//! unfixed race as what is about to happen.
use cachescope::sim::scenario::Fixes;
use cachescope::sim::scenarios;

const BEGIN: &str = " Press Step (→) to begin.";

#[test]
fn without_a_fix_the_opening_is_the_summary() {
    for s in scenarios::ALL.iter() {
        assert_eq!(
            s.opening(&Fixes::none()),
            format!("{}{BEGIN}", s.summary()),
            "{}",
            s.id
        );
    }
}

#[test]
fn with_a_fix_the_summary_is_labelled_unfixed_and_each_fix_says_what_it_changes() {
    let mut checked = 0;
    for s in scenarios::ALL.iter() {
        for (i, f) in s.fixes.iter().enumerate() {
            let fixes = Fixes::parse(s, [f.id]).expect("the scenario's own fix");
            let text = s.opening(&fixes);
            assert!(
                text.starts_with(&format!("Without a fix: {}", s.summary())),
                "{} + {}: {text}",
                s.id,
                f.id
            );
            // The title mid-sentence: its first letter lowercased, unless it opens
            // with an acronym (review 27: "With A short near-cache TTL on").
            let mut c = f.title.chars();
            let title = match (c.next(), c.next()) {
                (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
                    a.to_lowercase().chain(f.title.chars().skip(1)).collect()
                }
                _ => f.title.to_string(),
            };
            assert!(
                text.contains(&format!(" With {title} on: {}", s.fix_what(i))),
                "{} + {}: {text}",
                s.id,
                f.id
            );
            assert!(text.ends_with(BEGIN), "{text}");
            // Only the fixes that are on are described.
            for (j, g) in s.fixes.iter().enumerate() {
                if j != i && !s.fix_what(j).is_empty() {
                    assert!(!text.contains(s.fix_what(j)), "{} + {}: {text}", s.id, g.id);
                }
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "the catalog has at least 20 fixes, saw {checked}"
    );
}

#[test]
fn stale_set_race_with_lease_does_not_open_as_the_race() {
    let s = scenarios::find("stale-set-race").expect("in the catalog");
    let text = s.opening(&Fixes::parse(s, ["lease"]).expect("lease"));
    assert!(text.starts_with("Without a fix: A reader and a writer start together."));
    assert!(text.contains("With lease (memcache) on: A miss hands out a lease token"));
}
