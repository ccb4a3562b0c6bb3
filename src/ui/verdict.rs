//! What a finished exhaustive search found, in words derived from its counts (the
//! explorer's result panel, `explore-result`). Native, so `cargo test` checks the
//! words against real searches.
use crate::sim::search::msg::{Counterexample, Found};

/// `n` with its digits grouped by thousands: `1,000,000` (a projector's reader counts
/// no zeros).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` end states, in the singular for one (review session 14: "1 end states").
fn ends(n: usize) -> String {
    format!("{} end state{}", grouped(n), if n == 1 { "" } else { "s" })
}

/// "{n} of them end states", or "1 of them an end state".
fn of_them(n: usize) -> String {
    let what = if n == 1 { "an end state" } else { "end states" };
    format!("{} of them {what}", grouped(n))
}

/// A search's time: milliseconds under a second, else seconds to the nearest tenth
/// (`29.5 s`).
pub fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        let tenths = (ms + 50) / 100;
        format!("{}.{} s", grouped((tenths / 10) as usize), tenths % 10)
    }
}

/// The panel's opening sentence, true of the search shown: before a search, what it
/// will do (a depth-first phase only if a bound stops breadth first before it finds a
/// break); after one, what it did: breadth first, the shortest run per broken
/// invariant, or, when the depth-first phase ran, a run not known to be the shortest.
pub fn intro(found: Option<&Found>) -> String {
    // Short on purpose: the panel sits above the diagram, and one more line pushes the
    // invariants below a 1280x720 projector's fold (tests/e2e topology.test.mjs).
    // Not "at their modelled delays" (review 23, S4): the search delivers any message in
    // flight whatever its delay, so one can wait while later ones arrive (held back past
    // its delay, as late as the horizon), and a timer fires once due or once nothing is
    // due before it, so later events can go first (it fires late); `World::enabled`. A
    // heuristic that bets on timing (a delayed second delete) can lose here.
    let what =
        "Every order of this run's events, any message or due timer late (and up to the faults \
                you choose, placed anywhere), breadth first, each distinct state once";
    let tail = match found {
        None => {
            ": for each invariant a run breaks, the shortest such run; if a bound stops it before \
                 it finds one, a run found depth first, not known to be the shortest."
        }
        Some(f) if f.deep_states > 0 => {
            // Why the depth-first phase ran: one sentence for both cases.
            let why = if f.ends == 0 {
                "before any run ended"
            } else {
                "with no run it ended broken"
            };
            return format!(
                "{what}, until the search stopped at its bound {why}; then depth first, the earliest \
                 event first: a run found that way is not known to be the shortest."
            );
        }
        Some(_) => ": for each invariant a run breaks, the shortest such run.",
    };
    format!("{what}{tail}")
}

/// One counterexample's line: the shortest run found breadth first, or a run the
/// depth-first phase found, which is never called the shortest.
pub fn counterexample_line(c: &Counterexample) -> String {
    if c.shortest {
        format!(
            "{}: the shortest run that breaks it has {} steps. ",
            c.invariant, c.steps
        )
    } else {
        format!(
            "{}: a run found depth first breaks it in {} steps (not known to be the shortest). ",
            c.invariant, c.steps
        )
    }
}

/// What a finished search found, in words derived from its counts.
pub fn summary(found: &Found, faults: u8, max_states: usize) -> String {
    let placed = match faults {
        0 => "no faults but the scenario's own".to_string(),
        1 => "up to 1 fault placed anywhere".to_string(),
        n => format!("up to {n} faults placed anywhere"),
    };
    let scope = if found.complete {
        format!(
            "Searched every interleaving ({placed}): {} distinct states, {}, in {}.",
            grouped(found.states),
            of_them(found.ends),
            duration(found.elapsed_ms)
        )
    } else {
        // The bound that stopped it, named (review session 12, V7): the page's bound on
        // states, or else the one on a run's length.
        let bound = if found.states >= max_states {
            " (the state bound)"
        } else {
            ""
        };
        // Past the bound, a depth-first phase (if it ran) followed some runs.
        let beyond = if found.deep_states > 0 {
            " breadth first"
        } else {
            ""
        };
        format!(
            "Stopped at a bound ({placed}): {}{bound} distinct states searched, {}, to depth {}, in {}; \
             interleavings beyond the bound were not searched{beyond}.",
            grouped(found.states),
            ends(found.ends),
            found.depth,
            duration(found.elapsed_ms)
        )
    };
    // Every invariant but read-your-writes is judged at a run's end (the catalog's
    // rules): with no end state reached, those were never judged, and the page must
    // not call them unbroken.
    let names: Vec<&str> = found
        .violations
        .iter()
        .filter(|v| v.shortest)
        .map(|v| v.invariant.as_str())
        .collect();
    // How many end states break it is not in the result; what is (review session 12,
    // V8): a complete search with one end state has every run end there.
    // How many end states break each is not in the result; what is (review session
    // 12, V8): a complete search with one end state has every run end there, and an
    // invariant judged at the end (all but read-your-writes) broken there is broken in
    // every interleaving.
    let every = found.complete && found.ends == 1 && !names.contains(&"read-your-writes");
    let broken = if names.is_empty() {
        String::new()
    } else if every {
        format!(
            " Broken in every interleaving: every run ends in that one end state, which breaks {}.",
            names.join(", ")
        )
    } else if found.ends == 1 {
        format!(
            " Broken in the only end state reached: {}.",
            names.join(", ")
        )
    } else {
        format!(
            " Broken in at least 1 of the {}: {}.",
            ends(found.ends),
            names.join(", ")
        )
    };
    if found.deep_states > 0 {
        return scope + &broken + &deep_words(found);
    }
    let verdict = if found.ends == 0 {
        format!(
            "{broken} No end state was reached, so the invariants judged at a run's end (every one but \
             read-your-writes) were never judged: the search says nothing of them."
        )
    } else if names.is_empty() && found.complete {
        // The catalog's rule judges a run at its end: a window that closes before the run
        // ends (a commit before its delete) is not a break (session 12's review, V4), and
        // a state part-way through a run may show one (review 23, S3): said so.
        // read-your-writes is judged at every step, and stays broken once it is.
        format!(
            " No violation in {} states: no run ends with an invariant broken ({} judged). A run is \
             judged at its end (read-your-writes at every step): a window that closes before the \
             end, as the one between a commit and its delete, is not a break.",
            grouped(found.states),
            ends(found.ends)
        )
    } else if names.is_empty() {
        // Stopped at a bound: only the runs that ended within it were judged.
        format!(
            " No violation in the {} reached; runs that end past the bound were not judged, so \
             this proves nothing about them.",
            ends(found.ends)
        )
    } else {
        broken
    };
    scope + &verdict
}

/// The depth-first phase's words: it ran because the breadth-first search stopped at
/// its bound with no end state reached, or with none broken; it takes states that
/// differ only in their times as one (a visited set blind to time, `search::deep`);
/// what it found is a run, not the shortest, and what it did not find is not proven.
fn deep_words(found: &Found) -> String {
    let deep: Vec<&str> = found
        .violations
        .iter()
        .filter(|v| !v.shortest)
        .map(|v| v.invariant.as_str())
        .collect();
    let why = if found.ends == 0 {
        " No end state was reached breadth first, so".to_string()
    } else {
        // The phase runs only when breadth first found no break (`search::job`).
        format!(
            " No violation in the {} reached breadth first, but runs that end past \
             the bound were not judged, so",
            ends(found.ends)
        )
    };
    let reached = format!(
        "{why} a depth-first search, earliest event first, then visited {} states (one for all \
         that differ only in times before the horizon), {}.",
        grouped(found.deep_states),
        of_them(found.deep_ends)
    );
    let what = if !deep.is_empty() {
        format!(
            " It found a run that breaks {} (not known to be the shortest).",
            deep.join(", ")
        )
    } else if found.deep_ends == 0 && found.ends == 0 {
        " It reached no end state either: the invariants judged at a run's end (every one \
         but read-your-writes) were never judged."
            .to_string()
    } else if found.deep_ends == 0 {
        " It reached no end state: no run past the bound was judged, so this proves nothing \
         about them."
            .to_string()
    } else {
        " It found no violation in the runs it followed; the runs it did not follow were \
         not judged, so this proves nothing."
            .to_string()
    };
    reached + &what
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::search::job::Job;
    use crate::sim::search::msg::{Request, MAX_STATES};
    use crate::sim::{link, scenarios, Fixes, Run};

    /// A real search of `run`'s setup with up to `faults` placed, within
    /// `max_states`, as the page reads the worker's result.
    fn search_run(run: &Run, faults: u8, max_states: usize) -> Found {
        let request = Request {
            link: link::setup_query(run),
            faults,
            max_states,
            slice: false,
        };
        let mut job = Job::new(&request).expect("the page's own setup");
        // Bounded: max_states / 500 slices of 500 states at most breadth first, then
        // slices of 500 transitions depth first (a quarter of the states, each with a few
        // transitions): it ends well within ten times as many.
        job.found_at_end(500, 10 * (max_states / 500 + 1) + 1, 1)
            .expect("the search ends with a result")
    }

    /// The same for scenario `id` with no fix and no fault placed.
    fn search(id: &str, max_states: usize) -> Found {
        let run = Run::with_default_seed(scenarios::find(id).unwrap(), Fixes::none());
        search_run(&run, 0, max_states)
    }

    /// hybrid's runs end past depth 40, so a search stopped at 120 states reaches no
    /// end state, and its depth-first phase (30 states, a quarter: 300 and a tenth before
    /// review 20b) none either: it must not call the invariants judged at a run's end
    /// unbroken.
    #[test]
    fn a_search_with_no_end_state_says_the_end_invariants_were_not_judged() {
        let found = search("hybrid", 120);
        assert!(!found.complete);
        assert_eq!((found.ends, found.deep_ends), (0, 0));
        assert_eq!(found.deep_states, 30);
        let text = summary(&found, 0, 120);
        assert!(!text.contains("No violation"), "{text}");
        assert!(text.contains("were never judged"), "{text}");
    }

    /// hybrid stopped breadth first at 20,000 states (depth 15 or so, no end state):
    /// the depth-first phase finds a race (a fill against a batch write), a run it never calls the
    /// shortest, which replays through the ordinary replay to the same violation.
    #[test]
    fn a_run_found_depth_first_is_never_called_the_shortest_and_replays() {
        let run = Run::with_default_seed(scenarios::find("hybrid").unwrap(), Fixes::none());
        let found = search_run(&run, 0, 20_000);
        assert!(!found.complete && found.ends == 0);
        assert!(found.deep_states > 0 && found.deep_states <= 2_000);
        assert_eq!(found.violations.len(), 1);
        let c = &found.violations[0];
        assert!(!c.shortest);
        assert_eq!(c.invariant, "cache-matches-db");
        // A read of user:2 loads v1 while writer-2's batch job commits v2 behind the
        // cache's back, and its set lands after: no invalidation came in between, so it
        // is not the stale-set race (search::race).
        assert_eq!(c.teaches, None);
        let line = counterexample_line(c);
        assert!(line.contains("not known to be the shortest"), "{line}");
        assert!(!line.contains("the shortest run"), "{line}");
        let text = summary(&found, 0, 20_000);
        assert!(text.contains("a depth-first search"), "{text}");
        assert!(
            text.contains("breaks cache-matches-db (not known to be the shortest)"),
            "{text}"
        );
        assert!(!text.contains("Broken in"), "{text}");
        let events = crate::sim::codec::decode(&run, &c.code).expect("its run code reads");
        assert_eq!(events.len(), c.steps);
        let played = run.replayed(&events).expect("it replays");
        assert!(played.at_end(), "the run ends");
        let broken = crate::sim::Invariant::CacheMatchesDb.check(played.world());
        assert!(broken.is_err());
    }

    /// The panel's opening never calls a depth-first run the shortest, and says the
    /// shortest only of a search that stayed breadth first.
    #[test]
    fn the_intro_is_true_of_the_search_shown() {
        let before = intro(None);
        assert!(before.contains("not known to be the shortest"), "{before}");
        let plain = search("stale-set-race", 100_000);
        let text = intro(Some(&plain));
        assert!(
            text.contains("the shortest such run") && !text.contains("depth first"),
            "{text}"
        );
        let deep = search("hybrid", 300);
        assert!(deep.deep_states > 0);
        let text = intro(Some(&deep));
        assert!(
            text.contains("depth first") && !text.contains("the shortest such run"),
            "{text}"
        );
        assert!(text.contains("not known to be the shortest"), "{text}");
    }

    /// A search stopped at its bound after reaching some end states, none broken: it
    /// judged only those runs (session 9's review: it said "No violation in 1000000
    /// states" for dual-write-crash with outbox, whose runs are 48 steps long). Its
    /// depth-first phase then follows runs past the bound (325 states breadth first, 1
    /// end state; 81 depth first, 1 end state; 330, 2, 82 and 2 before session 22 left
    /// each client's last answer out of the canonical state; 33 and 1 depth first when
    /// that phase had a tenth of the bound, before review 20b): with the lease none
    /// breaks, and that proves nothing.
    #[test]
    fn a_search_stopped_at_a_bound_judges_only_the_runs_it_ended() {
        let s = scenarios::find("stale-set-race").unwrap();
        let run = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
        let whole = search_run(&run, 0, 100_000);
        assert!(whole.complete && whole.violations.is_empty());
        let cut = search_run(&run, 0, whole.states - 1);
        assert!(!cut.complete);
        assert!(cut.ends > 0, "some runs ended within the bound");
        let text = summary(&cut, 0, whole.states - 1);
        assert!(
            !text.contains(&format!("No violation in {} states", grouped(cut.states))),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "No violation in the {} end state reached",
                grouped(cut.ends)
            )),
            "{text}"
        );
        assert_eq!(
            [cut.states, cut.ends, cut.deep_states, cut.deep_ends],
            [325, 1, 81, 1]
        );
        assert!(cut.violations.is_empty());
        assert!(
            text.contains(
                "No violation in the 1 end state reached breadth first, but runs that end past \
                 the bound were not judged, so a depth-first search, earliest event first, then \
                 visited 81 states (one for all that differ only in times before the horizon), \
                 1 of them an end state. It found no violation in the runs it followed; the runs it \
                 did not follow were not judged, so this proves nothing."
            ),
            "{text}"
        );
        assert!(
            text.contains("interleavings beyond the bound were not searched breadth first."),
            "{text}"
        );
        assert!(!text.contains("No end state was reached"), "{text}");
        let intro = intro(Some(&cut));
        assert!(
            intro.contains("stopped at its bound with no run it ended broken"),
            "{intro}"
        );
    }

    /// write-behind-crash with the durable queue stopped at 40,000 states breadth
    /// first (depth 17, 1 end state, not broken; depth 16 before the page's job explored
    /// the clients' answers alone, `ample.rs`). Session 19 (F6) moved the bound from
    /// 10,000: a request on its way to the crashed cache fails now and its client goes
    /// on, where it hung and ended the run, so no run ends within depth 13 any more
    /// (0 end states at 10,000, and its 1,000 depth-first states found no break). The
    /// depth-first phase, its visited set blind to time, finds the stale-set race (which
    /// the durable queue does not claim to close) in 22 steps within 1,938 states (2,279
    /// before the clients' answers were explored alone, 2,480 before session 22 left
    /// each client's last answer out of the canonical state); the
    /// page never calls it the shortest, links it to the race, and it replays to the
    /// same break.
    #[test]
    fn past_a_bound_with_no_break_a_run_found_depth_first_is_shown() {
        let s = scenarios::find("write-behind-crash").unwrap();
        let run = Run::with_default_seed(s, Fixes::parse(s, ["durable-queue"]).unwrap());
        let found = search_run(&run, 0, 40_000);
        assert!(!found.complete);
        assert_eq!(
            [
                found.states,
                found.ends,
                found.depth,
                found.deep_states,
                found.deep_ends
            ],
            [40_000, 1, 17, 1_938, 11]
        );
        assert_eq!(found.violations.len(), 1);
        let c = &found.violations[0];
        assert_eq!(
            (
                c.invariant.as_str(),
                c.steps,
                c.shortest,
                c.teaches.as_deref()
            ),
            ("cache-matches-db", 22, false, Some("stale-set-race"))
        );
        let text = summary(&found, 0, 40_000);
        assert!(
            text.contains(
                "No violation in the 1 end state reached breadth first, but runs that end past \
                 the bound were not judged, so a depth-first search, earliest event first, then \
                 visited 1,938 states (one for all that differ only in times before the horizon), \
                 11 of them end states. It found a run that breaks cache-matches-db (not known to \
                 be the shortest)."
            ),
            "{text}"
        );
        assert!(!text.contains("Broken in"), "{text}");
        assert!(!text.contains("proves nothing"), "{text}");
        let line = counterexample_line(c);
        assert!(line.contains("not known to be the shortest"), "{line}");
        let events = crate::sim::codec::decode(&run, &c.code).expect("its run code reads");
        assert_eq!(events.len(), 22);
        let played = run.replayed(&events).expect("it replays");
        assert!(played.at_end(), "the run ends");
        assert!(crate::sim::Invariant::CacheMatchesDb
            .check(played.world())
            .is_err());
    }

    /// A complete search with end states and no violation says so, with its count.
    #[test]
    fn a_complete_search_with_no_violation_gives_its_state_count() {
        let found = search("cache-aside-read", 100_000);
        assert!(found.complete && found.violations.is_empty());
        // One end state, said in the singular (review session 14: "(1 end states)").
        assert_eq!(found.ends, 1);
        let text = summary(&found, 0, MAX_STATES);
        assert!(
            text.contains(&format!(
                "{} distinct states, 1 of them an end state, in ",
                grouped(found.states)
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "No violation in {} states: no run ends with an invariant broken (1 end state \
                 judged). A run is judged at its end (read-your-writes at every step): a window \
                 that closes before the end, as the one between a commit and its delete, is not \
                 a break.",
                grouped(found.states)
            )),
            "{text}"
        );
    }

    /// stale-set-race with the lease, one fault placed: the search breaks it only by
    /// a fault (the lease holds against timing alone), and the counterexample names it.
    #[test]
    fn a_counterexample_that_needs_a_fault_names_it() {
        let s = scenarios::find("stale-set-race").unwrap();
        let fixes = Fixes::parse(s, ["lease"]).unwrap();
        let run = Run::with_default_seed(s, fixes);
        let found = search_run(&run, 1, 100_000);
        assert!(found.complete);
        let c = found.violations.first().expect("a fault breaks the lease");
        let events = crate::sim::codec::decode(&run, &c.code).expect("its run code reads");
        let note = crate::ui::placed::of(&run, &events)
            .note()
            .expect("the run has a fault");
        assert!(note.contains("the search placed"), "{note}");
        // The dropped reply means no delete ever reaches the cache between the read's
        // miss and its set: a lost invalidation, not the stale-set race the lease stops
        // (session 9's review found the page calling it that).
        assert_eq!(c.teaches, None, "{:?}", c.code);
    }

    /// Numbers a projector's reader can count, and a time in seconds past one second
    /// (review session 12, V7).
    #[test]
    fn numbers_are_grouped_and_times_read_in_seconds() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (717_064, "717,064"),
        ];
        for (n, text) in cases {
            assert_eq!(grouped(n), text);
        }
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(duration(2), "2 ms");
        assert_eq!(duration(999), "999 ms");
        assert_eq!(duration(29_495), "29.5 s");
        assert_eq!(duration(61_000), "61.0 s");
    }

    /// A search stopped by the state bound names it; one whose bound was not reached
    /// (a smaller search's own) does not claim it.
    #[test]
    fn a_search_stopped_by_the_state_bound_names_it() {
        let s = scenarios::find("stale-set-race").unwrap();
        let run = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
        let cut = search_run(&run, 0, 200);
        assert!(!cut.complete);
        assert_eq!(cut.states, 200);
        let text = summary(&cut, 0, 200);
        assert!(
            text.contains("200 (the state bound) distinct states searched"),
            "{text}"
        );
        let whole = search_run(&run, 0, 100_000);
        let text = summary(&whole, 0, 100_000);
        assert!(!text.contains("the state bound"), "{text}");
    }

    /// poison-event: every order ends in one end state, which breaks cache-matches-db:
    /// the page says every interleaving breaks it, not "some" (review session 12, V8).
    /// stale-set-race has many end states, and the race breaks only some: the page
    /// gives their number and claims only one.
    #[test]
    fn a_break_says_how_many_end_states_it_is_known_in() {
        let found = search("poison-event", 100_000);
        assert!(found.complete);
        assert_eq!(found.ends, 1);
        assert_eq!(found.violations.len(), 1);
        let text = summary(&found, 0, MAX_STATES);
        assert!(text.contains("1 of them an end state"), "{text}");
        assert!(
            text.contains("Broken in every interleaving: every run ends in that one end state, which breaks cache-matches-db."),
            "{text}"
        );
        let race = search("stale-set-race", 100_000);
        assert!(race.complete && race.ends > 1);
        let text = summary(&race, 0, MAX_STATES);
        assert!(
            text.contains(&format!(
                "Broken in at least 1 of the {} end states: cache-matches-db.",
                race.ends
            )),
            "{text}"
        );
        assert!(!text.contains("every interleaving:"), "{text}");
    }
}
