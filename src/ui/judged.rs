//! Two facts of a search's counterexample that its card states beside its faults,
//! read from the run's own states, never from what the search was looking for:
//!
//! - where the faults the search placed do not make the break, that they only end the
//!   run sooner: the same events without them, then on to the end in the page's own
//!   order, end broken too (review session 14, X6: breadth first, a "shortest" run is
//!   often one whose last reply is dropped, so that it ends sooner; the card named the
//!   drop as if it made the break). A fault that only comes after the invariant turns
//!   false is not enough: a dropped reply can be the one whose delete would mend it;
//! - where a stale copy's TTL falls after the run's horizon, that the run ends before
//!   the TTL does (X7: the ending said so, the card did not).
//!
//! Native: `cargo test --test judged` checks both on real searches.
use crate::sim::books::{copies, Invariant};
use crate::sim::config::NO_TTL;
use crate::sim::{Event, Run, World};
use crate::ui::placed::Placed;

/// The end invariant named `name`; `None` for a history property or an unknown name.
fn end_invariant(name: &str) -> Option<Invariant> {
    [
        Invariant::CacheMatchesDb,
        Invariant::NoLostWrite,
        Invariant::NoLostEvent,
    ]
    .into_iter()
    .find(|i| i.name() == name)
}

/// The card's sentences for the run of `events` from the start of a run like `run`,
/// which breaks `invariant`, with its faults `placed` (`placed::of` of the same
/// events). Empty where neither fact holds. The events the run cannot fire end it, as
/// in `placed::of`.
pub fn notes(run: &Run, events: &[Event], invariant: &str, placed: &Placed) -> Vec<String> {
    let Some(inv) = end_invariant(invariant) else {
        return Vec::new();
    };
    let mut replay = run.rebuilt(run.fixes.clone(), run.seed);
    for &e in events {
        if replay.fire_untold(e).is_err() {
            break;
        }
    }
    let mut out = Vec::new();
    if !placed.search.is_empty() && inv.check(replay.world()).is_err() {
        // The same events without the faults the search placed, then on to the end
        // in the page's own order (End): does that run end broken too?
        let all = without(run, events, &placed.search_steps, placed);
        let faults: Vec<String> = placed
            .search
            .iter()
            .zip(&placed.search_steps)
            .map(|(f, s)| format!("{f} (step {s})"))
            .collect();
        match all {
            Some((w, recoveries)) if inv.check(w.world()).is_err() => {
                let one = faults.len() == 1;
                out.push(format!(
                    "The search's {} {} {} not what breaks {invariant}: without {}{}, the same steps, then on to \
                     the end, end with it broken too, after {} steps. {} only {} this run sooner.",
                    if one { "fault" } else { "faults" },
                    faults.join(" and "),
                    if one { "is" } else { "are" },
                    if one { "it" } else { "them" },
                    free_words(&recoveries),
                    w.cursor(),
                    if one { "The fault" } else { "They" },
                    if one { "ends" } else { "end" },
                ));
            }
            // Not all of them, but perhaps one (review 23, U1: a shortest run may hold a
            // fault it does not need): each left out alone.
            _ if faults.len() > 1 => {
                for (fault, &step) in faults.iter().zip(&placed.search_steps) {
                    let Some((w, recoveries)) = without(run, events, &[step], placed) else {
                        continue;
                    };
                    if inv.check(w.world()).is_err() {
                        out.push(format!(
                            "The search's fault {fault} is not needed: without it{}, the same steps, then on to \
                             the end, end with {invariant} broken too, after {} steps.",
                            free_words(&recoveries),
                            w.cursor(),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    if inv == Invariant::CacheMatchesDb {
        out.extend(past_horizon(replay.world()));
    }
    out
}

/// The run of `events` from the start of a run like `run`, without the steps `skip`
/// (as the page numbers them), then on to the end in the page's own order; with the
/// free recoveries (`Placed::free`) that could not fire without them, as words
/// (review 23, S2: a free restart is not one of the search's faults, and with its
/// fault left out it has nothing to recover from). `None` if another event could not
/// fire.
fn without(
    run: &Run,
    events: &[Event],
    skip: &[usize],
    placed: &Placed,
) -> Option<(Run, Vec<String>)> {
    let mut w = run.rebuilt(run.fixes.clone(), run.seed);
    let mut recoveries = Vec::new();
    for (step, &e) in (1..).zip(events) {
        if skip.contains(&step) {
            continue;
        }
        if w.fire_untold(e).is_err() {
            if !placed.free_steps.contains(&step) {
                return None;
            }
            recoveries.push(format!("{e} at step {step}"));
        }
    }
    w.run_to_end();
    Some((w, recoveries))
}

/// " and the free restart service at step 12, which then has nothing to recover
/// from", or nothing.
fn free_words(recoveries: &[String]) -> String {
    match recoveries {
        [] => String::new(),
        [one] => format!(" and the free {one}, which then has nothing to recover from"),
        many => format!(
            " and the free {}, which then have nothing to recover from",
            many.join(" and ")
        ),
    }
}

/// A sentence for each stale copy at the end of a run whose TTL would end it only
/// after the run's horizon.
fn past_horizon(w: &World) -> Vec<String> {
    let horizon_ms = w.config.horizon_ms;
    copies(w)
        .filter(|c| c.entry.expires_ms > w.now_ms && c.entry.version != w.expected(c.key))
        .filter(|c| c.entry.expires_ms != NO_TTL && c.entry.expires_ms > horizon_ms)
        .map(|c| {
            format!(
                "{} holds {} = {} until its TTL ends it at {} ms, after this run's horizon ({horizon_ms} ms): the \
                 run ends first, with the copy still stale.",
                capital(&c.holder_words()),
                c.key,
                c.entry.version,
                c.entry.expires_ms
            )
        })
        .collect()
}

fn capital(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
