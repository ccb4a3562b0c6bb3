//! The lists of buttons written as markup: what can happen next, the faults, the
//! event log and the chapters of the timeline. Each list has one click handler that
//! reads the entry's `data-` attribute (see `markup.rs`).
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks the markup natively.
use super::chapters::Chapter;
use super::markup::Markup;
use crate::sim::fold::Row;
use crate::sim::view::View;

/// "What can happen next": a button per enabled event, in the view's order;
/// `data-event` names the event (`deliver m7`), which the list's one click handler
/// looks up among the enabled events: never by position, so a redraw during play
/// cannot fire another event than the one read. The one Step takes next is marked.
pub fn next_events(
    world: &crate::sim::World,
    enabled: &[crate::sim::Event],
    next: Option<crate::sim::Event>,
    on_script: bool,
) -> String {
    let mut m = Markup::new();
    for &event in enabled {
        let c = crate::sim::describe::choice(world, event);
        let scripted = Some(event) == next;
        let (message, from, to) = match &c.message {
            Some((id, from, to)) => (
                Some(id.as_str()),
                Some(from.to_string()),
                Some(to.to_string()),
            ),
            None => (None, None, None),
        };
        // The node that acts, for starts and timers too.
        let node = world.actor(event).map(|n| n.to_string());
        let at = c.at_ms.map(|t| format!("{t} ms")).unwrap_or_default();
        m.fixed("<li>")
            .tag("button")
            .attr("data-testid", "next-event")
            .attr("data-event", &event.to_string())
            .attr("data-kind", c.kind)
            .attr_if("data-node", node.as_deref())
            .attr_if("data-message", message)
            .attr_if("data-from", from.as_deref())
            .attr_if("data-to", to.as_deref())
            .attr_if("data-scripted", scripted.then_some("true"))
            .attr(
                "class",
                if scripted {
                    "choice scripted"
                } else {
                    "choice"
                },
            )
            .body()
            .leaf("span", "at", &at)
            .leaf("span", "", &c.text);
        if scripted {
            // Off the script, Step takes the earliest event: say that, not "script".
            let tag = if on_script {
                "next by script"
            } else {
                "Step takes this (earliest)"
            };
            m.leaf("span", "tag", tag);
        }
        m.end("button").fixed("</li>");
    }
    m.finish()
}

/// The faults that can be injected here, a button each; `data-event` names the event
/// (never its position, so a redraw cannot make a click fire another).
pub fn faults(v: &View, next: Option<crate::sim::Event>) -> String {
    let mut m = Markup::new();
    for f in &v.faults {
        let scripted = Some(f.event) == next;
        m.fixed("<li>")
            .tag("button")
            .attr("data-testid", "fault")
            .attr("data-event", &f.event.to_string())
            .attr("data-fault", f.fault)
            .attr("data-target", &f.target)
            .attr_if("data-cache", f.cache.map(|c| c.to_string()).as_deref())
            .attr_if("data-scripted", scripted.then_some("true"))
            .attr("class", if scripted { "fault scripted" } else { "fault" })
            .body()
            .text(&f.event.to_string());
        if scripted {
            m.leaf("span", "tag", " next by script");
        }
        m.end("button").fixed("</li>");
    }
    m.finish()
}

/// The event log: one entry per step taken, a button that goes back to it
/// (`data-step`, which the list's one click handler reads). A folded stretch of cache
/// hits (`sim::fold`, in `rows`) is one entry whose button (`data-fold`) shows its
/// steps; an open one has a heading that folds them again.
pub fn event_log(records: &[crate::sim::world::StepRecord], rows: &[Row]) -> String {
    let mut m = Markup::new();
    for row in rows {
        match row {
            Row::Step(s) => {
                let Some(r) = s.checked_sub(1).and_then(|i| records.get(i)) else {
                    continue;
                };
                let step = s.to_string();
                m.tag("li")
                    .attr("data-testid", "log-entry")
                    .attr("data-step", &step)
                    .body()
                    .tag("button")
                    .attr("class", "log-line")
                    .attr("title", "Go back to this step")
                    .attr("data-step", &step)
                    .body()
                    .leaf("span", "n", &format!("{s:>3}"))
                    .leaf("code", "", &r.to_string())
                    .end("button")
                    .end("li");
            }
            Row::Folded(f) | Row::Unfolded(f) => {
                let folded = matches!(row, Row::Folded(_));
                let first = f.first.to_string();
                m.tag("li")
                    .attr("data-testid", "log-fold")
                    .attr("data-first", &first)
                    .attr("data-last", &f.last.to_string())
                    .attr("data-hits", &f.cache_hits.to_string())
                    .body()
                    .tag("button")
                    .attr("class", "log-line log-fold")
                    .attr("data-fold", &first)
                    .attr("aria-expanded", if folded { "false" } else { "true" })
                    .attr(
                        "title",
                        if folded {
                            "Show these steps"
                        } else {
                            "Fold these steps into one entry"
                        },
                    )
                    .body()
                    .leaf("span", "n", if folded { "  ▸" } else { "  ▾" })
                    .leaf("span", "", &f.summary())
                    .end("button")
                    .end("li");
            }
        }
    }
    m.finish()
}

/// The chapters of the run as buttons in step order, each saying its step and a few
/// words (the whole sentence is its title): one handler on the list seeks
/// to `data-step`. The one the cursor is at is marked `aria-current`.
pub fn chapters(chapters: &[Chapter], cursor: usize) -> String {
    let mut m = Markup::new();
    for c in chapters {
        let step = c.step.to_string();
        m.fixed("<li>")
            .tag("button")
            .attr("data-testid", "chapter")
            .attr("data-step", &step)
            .attr("data-kind", c.kind)
            .attr("class", &format!("chapter ch-{}", c.kind))
            .attr_if("aria-current", (c.step == cursor).then_some("step"))
            .attr("title", &format!("Step {step}: {}", c.text))
            .body()
            .leaf("span", "ch-step", &step)
            .leaf("span", "ch-text", &c.short)
            .end("button")
            .fixed("</li>");
    }
    m.finish()
}

/// Tick marks for the chapters, to scale on the timeline's track (decorative: the
/// buttons carry the same moments).
pub fn ticks(chapters: &[Chapter], total: usize) -> String {
    let mut m = Markup::new();
    for c in chapters {
        // Per mille of the run, so no float formatting is needed.
        let at = c.step * 1000 / total.max(1);
        m.tag("span")
            .attr("class", &format!("tick ch-{}", c.kind))
            .attr("style", &format!("left:calc({at}% / 10)"))
            .body()
            .end("span");
    }
    m.finish()
}

/// What the narration says before the first step of run `id` (`origin`: a search's
/// name for it): the scenario's opening (its summary, which tells the scenario's own
/// run) while the recording follows the scenario's own order; else where it leaves
/// that order (review 27: a search's run showed the summary of a story it leaves).
pub fn step_zero(run: &crate::sim::Run, id: u32, origin: Option<&str>) -> String {
    let choices = run.choices();
    let Some(k) = (0..choices.len()).find(|i| !run.step_on_script(*i)) else {
        return run.scenario.opening(&run.fixes);
    };
    let named = origin.map_or(String::new(), |o| format!(" ({o})"));
    format!(
        "Run {id}{named} leaves the scenario's own order at step {}, with {}. Press Step (→) to \
         follow it.",
        k + 1,
        choices[k]
    )
}

/// The runs (branches), a button each that shows it (`data-branch`), and beside every
/// run but the one shown a button that deletes it (`data-delete`): the list's one
/// click handler reads which. `origins` names the branches the learner did not make by
/// a choice (a search's counterexample, by branch id).
pub fn branches(branches: &[crate::sim::tree::BranchInfo], origins: &[(u32, String)]) -> String {
    let mut m = Markup::new();
    for b in branches {
        let id = b.id.to_string();
        let mut origin = match b.parent {
            None => "the first run".to_string(),
            Some(p) => format!("from run {p} after step {}: {}", b.fork, b.label),
        };
        if let Some((_, o)) = origins.iter().find(|(i, _)| *i == b.id) {
            origin = format!("{o}; {origin}");
        }
        // What happened, not only the last state's verdict (review session 12, R17):
        // read-your-writes is broken for good by one read, at its step; a state that
        // broke an invariant and then mended is a window that closed.
        // "at the end" also of a recording not run to its end, as before: a longer
        // badge wraps and pushes the invariants off a 1280x720 screen.
        let end = "at the end";
        let verdict = match (b.lasting, b.ryw_at, b.first_violation) {
            // A recording short of the run's end: its last state, not the end
            // (review 29: "violated at the end" beside "12 steps so far").
            (true, _, _) if !b.ended => "violated now".to_string(),
            (true, _, _) => format!("violated {end}"),
            (false, Some(at), _) => format!("read-your-writes broken at step {at}"),
            (false, None, Some(at)) => format!("ok {end} (violated at step {at})"),
            // A recording that stops before the run ends says nothing of its end
            // (review session 12, V16: "ok" at step 8 of a run that ends violated).
            (false, None, None) if b.ended => "ok".to_string(),
            (false, None, None) => "ok so far".to_string(),
        };
        // A recording short of the run's end (a link's `step=18` of a run of 21) counts
        // only what it holds (review session 28: "18 steps" beside "step 18 of 21").
        let steps = format!(
            "{} step{}{}",
            b.len,
            if b.len == 1 { "" } else { "s" },
            if b.ended { "" } else { " so far" }
        );
        let class = if b.current {
            format!("branch-item {} current", b.status())
        } else {
            format!("branch-item {}", b.status())
        };
        m.tag("li")
            .attr("class", &class)
            .body()
            .tag("button")
            .attr("data-testid", "branch")
            .attr("data-branch", &id)
            .attr("data-status", b.status())
            .attr("aria-current", if b.current { "true" } else { "false" })
            .attr("class", "branch")
            .body()
            .leaf("strong", "", &format!("Run {id}"))
            .leaf("span", "badge", &verdict)
            .leaf("span", "origin", &format!("{origin} · {steps}"))
            .end("button");
        if !b.current {
            m.tag("button")
                .attr("class", "ghost del")
                .attr("aria-label", &format!("Delete run {id}"))
                .attr("title", "Delete this run")
                .attr("data-delete", &id)
                .body()
                .text("×")
                .end("button");
        }
        m.end("li");
    }
    m.finish()
}

/// A scenario's fixes as toggle buttons (`data-fix`), pressed when on: the fix toggles
/// (`data-testid` "fix-toggle": a check mark when on, what the fix does as its
/// title) or side by side's right column ("compare-fix").
pub fn fix_buttons(
    sc: &crate::sim::Scenario,
    on: &crate::sim::Fixes,
    testid: &'static str,
) -> String {
    let toggles = testid == "fix-toggle";
    let mut m = Markup::new();
    for (i, f) in sc.fixes.iter().enumerate() {
        let pressed = on.has(f.id);
        m.tag("button")
            .attr("data-testid", testid)
            .attr("data-fix", f.id)
            .attr("class", if pressed { "fix on" } else { "fix" })
            .attr("aria-pressed", if pressed { "true" } else { "false" })
            .attr_if("title", toggles.then(|| sc.fix_what(i)))
            .body();
        if toggles && pressed {
            m.text("✓ ");
        }
        m.text(f.title).end("button");
    }
    m.finish()
}

/// The learning path's list of scenarios, a link each (`data-scenario`); the one shown
/// is marked by `mark_current` (in place, so the focus stays on the link clicked).
pub fn scenario_links(scenarios: &[&crate::sim::Scenario]) -> String {
    let mut m = Markup::new();
    for (i, s) in scenarios.iter().enumerate() {
        m.fixed("<li>")
            .tag("a")
            .attr("data-testid", "scenario-link")
            .attr("data-scenario", s.id)
            .attr("href", &format!("?scenario={}", s.id))
            .attr("aria-current", "false")
            .body()
            .leaf("span", "n", &(i + 1).to_string())
            .leaf("span", "", s.title)
            .end("a")
            .fixed("</li>");
    }
    m.finish()
}
