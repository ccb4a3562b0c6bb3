//! The search's result: its verdict, each counterexample with what it teaches, its
//! faults and what its states show, played as a branch; and the ghost-reader slice's
//! offer and result. Split from `explore.rs` along that seam; all of it is the result
//! panel's chunk.
use super::super::session::Actions;
use super::super::{browser, judged, placed, searching, sliced, verdict};
use super::Panel;
use crate::sim::books::Invariant;
use crate::sim::codec;
use crate::sim::search::msg::{slice_fits, Counterexample, Found, MAX_STATES};
use leptos::prelude::*;

/// What the search recognised a counterexample as, in words, with a link to the
/// scenario that teaches it unless it is the one loaded.
fn teaching(c: &Counterexample, scenario: &'static str) -> Option<impl IntoView> {
    let id = c.teaches.clone()?;
    let what = if id == "cdn-purge-race" {
        // Review 30, H: the run's ending called it the stale-set race at the edge, and
        // the result named no race.
        "It is the stale-set race at a CDN edge: a response left the origin before a newer version was \
         committed and reached the edge after its purge, so the edge keeps the older one. "
    } else if id == "replica-lag-refill" {
        "It is a refill from a lagging read replica: a read missed after a newer version was committed, \
         loaded the older value from a replica that had not applied it yet, and set it in the cache, where \
         nothing deletes it again. "
    } else {
        "It is the stale-set race: a read loaded an older value, and its set reached the cache after a newer \
         version was written, so the cache keeps the older one. "
    };
    // Named by its title, as everywhere else on the page (review session 12, V10).
    let title = crate::sim::scenarios::find(&id).map_or_else(|| id.clone(), |s| s.title.to_string());
    let link = (id != scenario).then(|| {
        view! {
            <a data-testid="explore-teaches" data-scenario=id.clone() href=format!("?scenario={id}")>
                {format!("The scenario that teaches it: {title}. ")}
            </a>
        }
    });
    Some(view! { <span class="explore-teaches">{what}{link}</span> })
}

/// Plays a counterexample as its own branch, off the scenario's own run (the first
/// run, recorded to its end first), named as the search's (review session 12, V12: it
/// extended whichever run was shown, and was called "the first run").
fn play(a: Actions, c: &Counterexample) {
    a.playing.set(false);
    a.session.update(|s| {
        let events = match codec::decode(&s.run, &c.code) {
            Ok(events) => events,
            Err(e) => {
                s.notice = Some(format!("The counterexample could not be read: {e}."));
                return;
            }
        };
        // Named with the faults it includes (review session 13, W12: "drop m8").
        let with = placed::of(&s.run, &events).with();
        let origin = if c.tied {
            format!("search: a shortest break of {}{with}", c.invariant)
        } else if c.shortest {
            format!("search: the shortest break of {}{with}", c.invariant)
        } else {
            format!("search: a break of {}, {}{with}", c.invariant, verdict::deep_run(c.part))
        };
        if let Some(root) = s.run.branches().iter().find(|b| b.parent.is_none()) {
            let _ = s.run.switch(root.id);
        }
        s.run.run_to_end();
        s.run.seek(0);
        for e in events {
            if let Err(err) = s.run.fire(e) {
                s.notice = Some(format!("Not done: {err}."));
                return;
            }
        }
        let id = s.run.current_id();
        s.notice = None;
        if s.run.branches().iter().any(|b| b.current && b.parent.is_none()) {
            s.notice = Some("The search's run takes the first run's own steps: it is shown there.".into());
        } else if !s.origins.iter().any(|(b, _)| *b == id) {
            s.origins.push((id, origin));
        }
    });
    // Its last step told, where the learner reads it: the narration sits above the
    // explorer on a phone and below the fold at 1280x720 (review session 14, X10).
    browser::reveal(".narration");
}

/// The result panel. Only a learner whose search finishes needs it, so it is a split
/// point (the `split` feature; see scripts/split.sh): a wasm chunk fetched with the
/// first result.
#[cfg_attr(feature = "split", leptos::lazy)]
pub(super) async fn result_view(
    found: Found,
    faults: u8,
    scenario: &'static str,
    panel: Panel,
) -> AnyView {
    let (a, state) = (panel.a, panel.state);
    // Whether the scenario checks read-your-writes, and a fix that bets on timing (a
    // second delete or purge a fixed wait after the first: review 30, A).
    let (ryw, timed) = a.session.with_untracked(|s| {
        let ryw = s.run.scenario.invariants.contains(&Invariant::ReadYourWrites);
        let c = &s.run.world().config;
        let timed = c.second_delete_ms.map(|w| ("second delete", w)).or_else(|| {
            c.cdn.as_ref().and_then(|d| d.second_purge_ms).map(|w| ("second purge", w))
        });
        (ryw, timed.map(|(what, wait)| (what, wait, c.fault_delay_ms)))
    });
    let mut text = verdict::summary(&found, faults, MAX_STATES, ryw);
    if let (Some((what, wait, delay)), true) = (timed, found.violations.is_empty()) {
        text.push_str(&verdict::timed_fix(what, wait, delay));
    }
    // The ghost-reader slice, offered where the full model stopped at its bound with
    // no-lost-event unbroken (`sliced::offer`), and what its search found.
    let (fits, others, checked) = a.session.with_untracked(|s| {
        let others: Vec<&str> = s.run.scenario.invariants.iter().map(|i| i.name()).filter(|n| *n != sliced::SLICED).collect();
        let checked = (s.run.scenario.id, s.run.fixes.ids()) == sliced::CHECKED;
        (slice_fits(&s.run), others, checked)
    });
    let broken_above: Vec<&str> = others.iter().copied().filter(|n| found.violations.iter().any(|v| v.invariant == *n)).collect();
    let offer = sliced::offer(&found, faults, fits).map(|words| {
        view! {
            <p class="explore-slice-offer">{words}" "
                <button data-testid="explore-slice-start" disabled=move || state.with(|s| s.running)
                    on:click=move |_| panel.start(true)>
                    "Prove no-lost-event on the ghost-reader slice"
                </button>
            </p>
        }
    });
    let slice_result = move || {
        state.with(|s| s.slice.clone()).map(|f| {
            view! {
                <p data-testid="explore-slice-result" class="explore-slice"
                    data-states=f.states.to_string() data-ends=f.ends.to_string()
                    data-complete=f.complete.to_string() data-violations=f.violations.len().to_string()>
                    {sliced::summary(&f, &others, &broken_above, checked)}
                </p>
            }
        })
    };
    let rows = found
        .violations
        .iter()
        .map(|c: &Counterexample| {
            let played = c.clone();
            // The scenario's own faults told apart from the search's (review session
            // 12, V9).
            // And what the run's own states show: a break before the search's
            // faults, a TTL past the horizon (review session 14, X6 and X7).
            let (faults_note, judged) = a.session.with_untracked(|s| {
                codec::decode(&s.run, &c.code).ok().map_or((None, Vec::new()), |events| {
                    let p = placed::of(&s.run, &events);
                    (p.note(), judged::notes(&s.run, &events, &c.invariant, &p))
                })
            });
            let judged = judged
                .into_iter()
                .map(|n| view! { <span data-testid="explore-judged">{" "}{n}</span> })
                .collect_view();
            view! {
                <li data-testid="explore-counterexample" data-invariant=c.invariant.clone()
                    data-steps=c.steps.to_string() data-shortest=c.shortest.to_string()>
                    <span>{verdict::counterexample_line(c)}</span>
                    {teaching(c, scenario)}
                    {faults_note}
                    {judged}
                    " "
                    <button data-testid="explore-play" aria-label=searching::play_label(c)
                        on:click=move |_| play(a, &played)>
                        "Play it as a branch"
                    </button>
                </li>
            }
        })
        .collect_view();
    // The result and its Play whole on screen, above a phone's sticky bar (X10).
    browser::reveal(".explore-result");
    view! {
        <div data-testid="explore-result" class="explore-result"
            data-states=found.states.to_string() data-ends=found.ends.to_string()
            data-complete=found.complete.to_string() data-violations=found.violations.len().to_string()>
            <p>{text}</p>
            <ul class="explore-counterexamples">{rows}</ul>
        </div>
        {offer}
        {slice_result}
    }
    .into_any()
}
