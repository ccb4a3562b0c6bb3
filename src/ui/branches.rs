//! Time travel: the scrubber over every step of the run shown (run ahead to its end),
//! its chapters (the moments that matter, a button each), and the tree of runs
//! the learner has made. Every branch is kept; each says whether it breaks an
//! invariant, and where.
use super::session::Actions;
use super::{browser, lists};
use leptos::prelude::*;

#[component]
pub fn Timeline() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    // The whole run, known by running ahead: not only the steps taken.
    let len = move || a.ahead.with(|x| x.total.max(1));
    let chapters = move || {
        let cursor = s.with(|s| s.run.cursor());
        a.ahead.with(|x| lists::chapters(&x.chapters, cursor))
    };
    let ticks = move || a.ahead.with(|x| lists::ticks(&x.chapters, x.total));
    let jump = move |ev: leptos::ev::MouseEvent| {
        let step = browser::closest_attr(&ev, "button[data-step]", "data-step");
        if let Some(step) = step.and_then(|s| s.parse::<usize>().ok()) {
            a.seek(step);
        }
    };
    view! {
        <div class="timeline">
            <label class="scrub">
                <span>"Timeline"</span>
                <span class="track">
                <span class="ticks" aria-hidden="true" inner_html=ticks></span>
                <input data-testid="scrubber" type="range" min="0" step="1"
                    max=move || len().to_string()
                    prop:value=move || s.with(|s| s.run.cursor().to_string())
                    aria-label="Timeline: every step of this run"
                    aria-valuetext=move || s.with(|s| format!("step {} of {}", s.run.cursor(), len()))
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                            a.seek(n);
                        }
                    } />
                </span>
            </label>
            <ol class="chapters" aria-label="Chapters: the moments that matter" inner_html=chapters on:click=jump></ol>
        </div>
    }
}

#[component]
pub fn Branches() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let items = move || {
        s.with(|s| {
            s.run
                .branches()
                .into_iter()
                .map(|b| {
                    let id = b.id;
                    let current = b.current;
                    let origin = match b.parent {
                        None => "the first run".to_string(),
                        Some(p) => format!("from run {p} after step {}: {}", b.fork, b.label),
                    };
                    let verdict = match (b.violated, b.first_violation) {
                        (true, _) => "violated at the end".to_string(),
                        (false, Some(at)) => format!("ok at the end (violated at step {at})"),
                        (false, None) => "ok".to_string(),
                    };
                    let steps = format!("{} step{}", b.len, if b.len == 1 { "" } else { "s" });
                    view! {
                        <li class=format!("branch-item {}", b.status()) class:current=current>
                            <button data-testid="branch" data-branch=id.to_string() data-status=b.status()
                                aria-current=if current { "true" } else { "false" }
                                class="branch" on:click=move |_| a.switch_branch(id)>
                                <strong>{format!("Run {id}")}</strong>
                                <span class="badge">{verdict}</span>
                                <span class="origin">{format!("{origin} · {steps}")}</span>
                            </button>
                            {(!current).then(|| view! {
                                <button class="ghost del" aria-label=format!("Delete run {id}")
                                    title="Delete this run" on:click=move |_| a.delete_branch(id)>"×"</button>
                            })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel branches" aria-labelledby="branches-h">
            <h2 id="branches-h">"Runs (branches)"</h2>
            <p class="sub">
                "Go back and pick a different event: a new run branches off, and the old one stays here."
            </p>
            <ol class="branch-list">{items}</ol>
            {move || s.with(|s| s.notice.clone()).map(|n| view! { <p class="notice" role="status">{n}</p> })}
        </section>
    }
}
