//! The lists of buttons written as markup: what can happen next, the faults, the
//! event log and the chapters of the timeline. Each list has one click handler that
//! reads the entry's `data-` attribute (see `markup.rs`).
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks the markup natively.
use super::chapters::Chapter;
use super::markup::Markup;
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
            .attr_if("data-scripted", scripted.then_some("true"))
            .attr("class", if scripted { "fault scripted" } else { "fault" })
            .body()
            .text(&format!("{} {}", f.fault, f.target));
        if scripted {
            m.leaf("span", "tag", " next by script");
        }
        m.end("button").fixed("</li>");
    }
    m.finish()
}

/// The event log: one entry per step taken, a button that goes back to it
/// (`data-step`, which the list's one click handler reads).
pub fn event_log(records: &[crate::sim::world::StepRecord]) -> String {
    let mut m = Markup::new();
    for (i, r) in records.iter().enumerate() {
        let step = (i + 1).to_string();
        m.tag("li")
            .attr("data-testid", "log-entry")
            .attr("data-step", &step)
            .body()
            .tag("button")
            .attr("class", "log-line")
            .attr("title", "Go back to this step")
            .attr("data-step", &step)
            .body()
            .leaf("span", "n", &format!("{:>3}", i + 1))
            .leaf("code", "", &r.to_string())
            .end("button")
            .end("li");
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
