//! The explorer's second search in words: `no-lost-event` on the ghost-reader slice
//! (`sim::search::Slice::with_ghost_readers`, run by the worker on request), offered
//! when the full model's search stopped at its bound without breaking it. Native, so
//! `cargo test` checks the words against real searches; the page loads them in the
//! result panel's split chunk.
use super::verdict::{duration, grouped};
use crate::sim::search::msg::{Found, SLICE_MAX_STATES};

/// The invariant the slice judges.
pub const SLICED: &str = "no-lost-event";

/// Why the slice is offered beside the full model's `found` (searched with `faults`
/// placed), or `None` where it is not: faults were placed (the slice places only the
/// scenario's own, so it would answer another question than the search above), the
/// full search is complete, or it broke `no-lost-event` already, or the slice does not
/// fit the scenario (`fits`: `msg::slice_fits`).
pub fn offer(found: &Found, faults: u8, fits: Result<(), &str>) -> Option<String> {
    let broken = found.violations.iter().any(|v| v.invariant == SLICED);
    if faults > 0 || found.complete || broken || fits.is_err() {
        return None;
    }
    Some(format!(
        "The full model is too large for the page's bound, but {SLICED} alone can be searched on a \
         smaller one, the ghost-reader slice: every client that only reads is kept only as the \
         moments its reads start, and timers may fire a little early, by as much as the readers' \
         messages could move the clock on (its bound: {} states).",
        grouped(SLICE_MAX_STATES)
    ))
}

/// The one run whose slice's soundness the native tests check
/// (`tests/search_ghost_large.rs`): the catalog scenario and its fixes.
pub const CHECKED: (&str, &[&str]) = ("dual-write-crash", &["outbox"]);

/// What the slice's search found, in words derived from its figures; `others` are the
/// scenario's other invariants, which the slice does not judge, and `broken_above` the
/// ones the full model's search (which stopped at its bound, or no slice is offered)
/// found a run that breaks; `checked`: the run is `CHECKED`.
pub fn summary(found: &Found, others: &[&str], broken_above: &[&str], checked: bool) -> String {
    let slack = found.slack_ms.unwrap_or(0);
    let readers = match found.readers {
        0 => "No client only reads, so the slice keeps every client".to_string(),
        1 => "The slice keeps the reader only as the moments its reads start (a reader \
              commits nothing)"
            .to_string(),
        n => format!(
            "The slice keeps the {n} readers only as the moments their reads start (a reader \
             commits nothing)"
        ),
    };
    let how = format!(
        "{readers}, and lets every timer fire up to {slack} ms early, for what the readers' \
         messages could move the clock on by; that is sound if a reader's requests change nothing \
         {SLICED} depends on, the nodes read the clock only to stamp what they send and set, and \
         no cached copy expires within the horizon. The full model is too large to pair each of \
         its runs with one of the slice's, so that is argued{}",
        if checked {
            ", and checked by the project's tests on every run of at most 20 steps and on 20,000 \
             random runs of up to 58 steps (not on every run)."
        } else {
            "."
        }
    );
    let steps = found.violations.iter().find(|v| v.invariant == SLICED);
    let head = if let Some(v) = steps {
        format!(
            "{SLICED}: the ghost-reader slice has a run that breaks it in {} steps ({} states \
             searched, in {}). The slice allows more than the full model (its timers up to {slack} \
             ms early, its readers' messages left out), so that run may be none of the full \
             model's: it is not offered to play.",
            v.steps,
            grouped(found.states),
            duration(found.elapsed_ms)
        )
    } else if found.complete {
        format!(
            "{SLICED}: no violation in {} states of the ghost-reader slice (complete: {}, depth {}, \
             in {}), judged in every state, with no faults but the scenario's own. {how}",
            grouped(found.states),
            ends(found.ends),
            found.depth,
            duration(found.elapsed_ms)
        )
    } else {
        let bound = if found.states >= SLICE_MAX_STATES {
            " (the state bound)"
        } else {
            ""
        };
        format!(
            "{SLICED}: no violation in the {}{bound} states of the ghost-reader slice searched, \
             to depth {}, in {}; it stopped at a bound, so this proves nothing of the runs past it.",
            grouped(found.states),
            found.depth,
            duration(found.elapsed_ms)
        )
    };
    if others.is_empty() {
        return head;
    }
    let (broken, open): (Vec<&str>, Vec<&str>) =
        others.iter().partition(|n| broken_above.contains(n));
    let above = match (broken.is_empty(), open.is_empty()) {
        (true, _) => "stopped at its bound".to_string(),
        (false, true) => format!("found a run that breaks {}", broken.join(", ")),
        (false, false) => format!(
            "found a run that breaks {}, and stopped at its bound with {} unbroken",
            broken.join(", "),
            open.join(", ")
        ),
    };
    format!(
        "{head} It says nothing of {}: the slice judges {SLICED} only, and the full model's search \
         above {above}.",
        others.join(", ")
    )
}

fn ends(n: usize) -> String {
    format!("{} end state{}", grouped(n), if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::search::job::Job;
    use crate::sim::search::msg::{slice_fits, Request, MAX_STATES};
    use crate::sim::{link, scenarios, Fixes, Run};

    fn run(id: &str, fix: Option<&str>) -> Run {
        let s = scenarios::find(id).unwrap();
        let fixes = fix.map_or_else(Fixes::none, |f| Fixes::parse(s, [f]).unwrap());
        Run::new(s, fixes, s.seed)
    }

    /// The page's search of `run` (the slice's if `slice`), within `max_states`.
    fn search(run: &Run, slice: bool, max_states: usize) -> Found {
        let request = Request {
            link: link::setup_query(run),
            faults: 0,
            max_states,
            slice,
        };
        let mut job = Job::new(&request).expect("the page's own setup");
        // Bounded by `max_states` (and a tenth more depth first).
        job.found_at_end(2_000, 10 * (max_states / 2_000 + 1), 1_234)
            .expect("the search ends with a result")
    }

    /// event-loss with the durable bus: the full search cut at 2,000 states breaks
    /// nothing breadth first, so the slice is offered; its search is complete with
    /// no violation, and says what it proved, under which assumption, and that it
    /// says nothing of cache-matches-db.
    #[test]
    fn a_slice_offered_past_the_bound_says_what_it_proved_and_how() {
        let r = run("event-loss", Some("durable-bus"));
        let cut = search(&r, false, 2_000);
        assert!(!cut.complete);
        assert!(!cut.violations.iter().any(|v| v.invariant == SLICED));
        let words = offer(&cut, 0, slice_fits(&r)).expect("offered");
        assert!(words.contains("its bound: 6,000,000 states"), "{words}");
        assert_eq!(
            offer(&cut, 1, slice_fits(&r)),
            None,
            "no slice beside a search with faults placed (review 18, 4)"
        );
        let whole = search(&r, false, MAX_STATES);
        assert!(whole.complete);
        assert_eq!(
            offer(&whole, 0, slice_fits(&r)),
            None,
            "a complete search needs no slice"
        );

        let found = search(&r, true, SLICE_MAX_STATES);
        let text = summary(&found, &["cache-matches-db"], &[], false);
        assert_eq!(
            text,
            "no-lost-event: no violation in 414 states of the ghost-reader slice (complete: 12 end \
             states, depth 17, in 1.2 s), judged in every state, with no faults but the scenario's \
             own. The slice keeps the reader only as the moments its reads start (a reader commits \
             nothing), and lets every timer fire up to 21 ms early, for what the readers' messages \
             could move the clock on by; that is sound if a reader's requests change nothing \
             no-lost-event depends on, the nodes read the clock only to stamp what they send and \
             set, and no cached copy expires within the horizon. The full model is too large to \
             pair each of its runs with one of the slice's, so that is argued. It says \
             nothing of cache-matches-db: the \
             slice judges no-lost-event only, and the full model's search above stopped at its \
             bound."
        );
        // With the full search's break of cache-matches-db on screen, it names it
        // (review 18, 3), and says which others it left undecided.
        let named = summary(&found, &["cache-matches-db"], &["cache-matches-db"], false);
        assert!(
            named.ends_with(
                "It says nothing of cache-matches-db: the slice judges no-lost-event only, and the \
                 full model's search above found a run that breaks cache-matches-db."
            ),
            "{named}"
        );
        // The run the native tests check (tests/search_ghost_large.rs) says how.
        let target = summary(&found, &["cache-matches-db"], &[], true);
        assert!(
            target.contains(
                "so that is argued, and checked by the project's tests on every run of at most 20 \
                 steps and on 20,000 random runs of up to 58 steps (not on every run). It says \
                 nothing"
            ),
            "{target}"
        );
        let both = summary(
            &found,
            &["cache-matches-db", "x"],
            &["cache-matches-db"],
            false,
        );
        assert!(
            both.ends_with(
                "above found a run that breaks cache-matches-db, and stopped at its bound with x \
                 unbroken."
            ),
            "{both}"
        );
        assert!(!text.to_lowercase().contains("correct"));
    }

    /// dual-write-crash with no fix: the full search breaks no-lost-event, so no slice
    /// is offered; the slice's own run that breaks it is never offered to play.
    #[test]
    fn a_slice_run_that_breaks_it_is_not_offered_to_play() {
        // 2,000 states before review 20b's F8 (its clients' closes are steps now).
        let r = run("dual-write-crash", None);
        let cut = search(&r, false, 8_000);
        assert!(cut.violations.iter().any(|v| v.invariant == SLICED));
        assert_eq!(offer(&cut, 0, slice_fits(&r)), None);
        let found = search(&r, true, SLICE_MAX_STATES);
        let text = summary(&found, &[], &[], false);
        assert!(
            text.starts_with(
                "no-lost-event: the ghost-reader slice has a run that breaks it in 4 steps (367 \
                 states searched, in 1.2 s)."
            ),
            "{text}"
        );
        assert!(text.contains("it is not offered to play"), "{text}");
        assert!(!text.contains("It says nothing of"), "{text}");
        // A scenario that does not check no-lost-event is offered no slice.
        let s = run("stale-set-race", Some("lease"));
        let cut = search(&s, false, 200);
        assert_eq!(offer(&cut, 0, slice_fits(&s)), None);
    }

    /// A slice stopped at its bound claims nothing past it.
    #[test]
    fn a_slice_stopped_at_its_bound_proves_nothing_past_it() {
        let found = search(&run("event-loss", Some("durable-bus")), true, 100);
        assert!(!found.complete);
        let text = summary(&found, &["cache-matches-db"], &[], false);
        assert!(
            text.starts_with("no-lost-event: no violation in the 100 states of the ghost-reader slice searched, to depth"),
            "{text}"
        );
        assert!(
            text.contains("so this proves nothing of the runs past it"),
            "{text}"
        );
    }
}
