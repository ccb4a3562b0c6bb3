//! What a finished exhaustive search found, in words derived from its counts (the
//! explorer's result panel, `explore-result`). Native, so `cargo test` checks the
//! words against real searches.
use crate::sim::search::msg::{Counterexample, DeepPart, Found};

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
    // Plain words (review 27: "any message or due timer late" read as jargon). Not
    // "any message late": a timer is enabled only once the clock can reach it, so a
    // message is held past a later timer only when another event moves the clock.
    let what = "Every order of this run's events, any message or timer overtaken by later ones \
                (and up to the faults you choose, placed anywhere), breadth first, each distinct \
                state once";
    let tail = match found {
        // Not "depth first": past a bound, held runs go first (review 27). Short: one
        // more line pushes the invariants below a 1280x720 fold (e2e topology.test.mjs).
        None => {
            ": for each invariant a run breaks, a shortest such run; if a bound stops it first, a \
                 break found past the bound is not known to be the shortest."
        }
        Some(f) if f.deep_states > 0 => {
            // Why the depth-first phase ran: one sentence for both cases.
            let why = if f.ends == 0 {
                "before any run ended"
            } else {
                "with no run it ended broken"
            };
            // Only the parts that ran (review 27: a run the held part found was said to
            // be found by a depth-first search that never ran).
            let held = "runs in earliest-first order, each with at most one event held back until \
                        no other is enabled";
            let dfs = "depth first, the earliest event first";
            let how = match (f.deep_held, f.deep_dfs) {
                (true, true) => format!("{held}, and {dfs}"),
                (true, false) => held.to_string(),
                _ => dfs.to_string(),
            };
            return format!(
                "{what}, until the search stopped at its bound {why}; then {how}: a run found that \
                 way is not known to be the shortest."
            );
        }
        Some(_) => ": for each invariant a run breaks, a shortest such run.",
    };
    format!("{what}{tail}")
}

/// Said after "no violation" where a fix bets on timing, a second delete or purge
/// `wait_ms` after the first (review 30, A: the search keeps every hop at the delay
/// the scenario sets, and a timer waits for what is due before it unless other events
/// move the clock, so the fix's hole, a response slower than the wait, is not in the
/// runs searched); `delay_ms`: what a `delay` fault adds (`Config::fault_delay_ms`).
/// One delay lets the old value land after the second delete or purge
/// (`tests/review30_words.rs`, both catalog fixes of this kind).
pub fn timed_fix(what: &str, wait_ms: u64, delay_ms: u64) -> String {
    format!(
        " The {what}, {wait_ms} ms after the first, bets on timing: here each hop takes the delay the \
         scenario sets, and a message waits only while other events go first, so a network slower \
         than that wait was not searched. One delay fault (a message held {delay_ms} ms longer) lets \
         the old value land after the {what}."
    )
}

/// One counterexample's line: the shortest run found breadth first, or a run the
/// depth-first phase found, which is never called the shortest. "Ends with it broken",
/// not "breaks it": the run shown may break it part-way and mend it, and only its end
/// counts (review 27: a learner read hybrid's 45 steps beside a ✗ at step 17).
pub fn counterexample_line(c: &Counterexample) -> String {
    if c.tied {
        format!(
            "{}: the shortest runs that end with it broken have {} steps. Shown: one of them that the \
             catalog teaches (the first the search met is another). ",
            c.invariant, c.steps
        )
    } else if c.shortest {
        format!(
            "{}: the shortest run that ends with it broken has {} steps. ",
            c.invariant, c.steps
        )
    } else {
        format!(
            "{}: {} ends with it broken after {} steps (not known to be the shortest). ",
            c.invariant,
            deep_run(c.part),
            c.steps
        )
    }
}

/// A run the depth-first phase found, named for the part that found it (review 27: the
/// held runs' race was said to be "found depth first", by a search that never ran).
pub fn deep_run(part: DeepPart) -> &'static str {
    match part {
        DeepPart::DepthFirst => "a run found depth first",
        // "A run", not "the earliest-first run": for read-your-writes, judged at every
        // step, the run shown is that run's first steps (review of session 28).
        DeepPart::EarliestFirst => "a run in earliest-first order",
        DeepPart::HeldBack => "a run with one event held back",
    }
}

/// What a finished search found, in words derived from its counts.
/// `ryw`: whether the scenario checks read-your-writes (the one invariant judged at every
/// step: named only where it is checked, review 30, C).
pub fn summary(found: &Found, faults: u8, max_states: usize, ryw: bool) -> String {
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
    // How many end states break each (`Found::broken_ends`). A complete search has every
    // run end in one of its end states, so an invariant every end state breaks is
    // broken in every interleaving; with one end state, said as before (review session
    // 12, V8). read-your-writes, judged at every step, is broken at an end state when
    // the run to it broke it.
    let count = |name: &str| {
        found
            .broken_ends
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, c)| *c)
    };
    let every = found.complete && found.ends > 0 && names.iter().all(|n| count(n) == found.ends);
    let broken = if names.is_empty() {
        String::new()
    } else if every && found.ends == 1 && !names.contains(&"read-your-writes") {
        format!(
            " Broken in every interleaving: every run ends in that one end state, which breaks {}.",
            names.join(", ")
        )
    } else if every {
        format!(
            " Broken in every interleaving: every run ends in one of the {}, and each breaks {}.",
            ends(found.ends),
            names.join(", ")
        )
    } else if found.ends == 1 {
        format!(
            " Broken in the only end state reached: {}.",
            names.join(", ")
        )
    } else {
        format!(
            " Of the {}, {}.",
            ends(found.ends),
            how_many_break(&names, count)
        )
    };
    if found.deep_states > 0 {
        return scope + &broken + &deep_words(found);
    }
    let verdict = if found.ends == 0 {
        let which = if ryw {
            "the invariants judged at a run's end (every one but read-your-writes)"
        } else {
            "the invariants, judged at a run's end,"
        };
        format!("{broken} No end state was reached, so {which} were never judged: the search says nothing of them.")
    } else if names.is_empty() && found.complete {
        // The catalog's rule judges a run at its end: a window that closes before the run
        // ends (a commit before its delete) is not a break (session 12's review, V4), and
        // a state part-way through a run may show one (review 23, S3): said so.
        // read-your-writes is judged at every step, and stays broken once it is.
        // Not "as the one between a commit and its delete" (review 30, C: said where no
        // delete exists, a consumer that sets values).
        let ryw = if ryw {
            " (read-your-writes at every step)"
        } else {
            ""
        };
        format!(
            " No violation in {} states: no run ends with an invariant broken ({} judged). A run is \
             judged at its end{ryw}: a window that closes before the end (a copy stale for a while, \
             then put right) is not a break.",
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

/// How many end states break each of `names` ("12 break cache-matches-db, 3
/// read-your-writes"); an invariant broken part-way in a run that ended past the
/// bound (read-your-writes) breaks none of them.
fn how_many_break(names: &[&str], count: impl Fn(&str) -> usize) -> String {
    let each: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let n = count(name);
            let verb = match (i, n) {
                (0, 1) => " breaks ",
                (0, _) => " break ",
                _ => " ",
            };
            let n = if n == 0 {
                "none".to_string()
            } else {
                grouped(n)
            };
            format!("{n}{verb}{name}")
        })
        .collect();
    each.join(", ")
}

/// The depth-first phase's words: it ran because the breadth-first search stopped at
/// its bound with no end state reached, or with none broken; first runs that hold one
/// event back (`search::held`), then depth first; it takes states that
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
    let how = match (found.deep_held, found.deep_dfs) {
        (true, true) => {
            "runs in earliest-first order, each with at most one event held back until no other is \
             enabled, then a depth-first search, earliest event first,"
        }
        (true, false) => {
            "runs in earliest-first order, each with at most one event held back until no other is \
             enabled,"
        }
        _ => "a depth-first search, earliest event first, then",
    };
    let reached = format!(
        "{why} {how} visited {} states (one for all that differ only in times before the \
         horizon, the time by which every run ends), {}.",
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
        // Not "no violation" where breadth first found some: the phase does not look
        // for those again, and its runs may break them too.
        let other = if found.violations.is_empty() {
            ""
        } else {
            " of another invariant"
        };
        format!(
            " It found no violation{other} in the runs it followed; the runs it did not follow \
             were not judged, so this proves nothing."
        )
    };
    reached + &what
}

#[cfg(test)]
mod tests;
