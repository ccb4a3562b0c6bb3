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
    let list = NodeRef::<leptos::html::Ol>::new();
    let items = move || {
        let markup = s.with(|s| lists::branches(&s.run.branches(), &s.origins));
        browser::keeping_focus(list.get_untracked().map(Into::into), markup)
    };
    // One handler for the list: a run's button shows it, its × deletes it.
    let act = move |ev: leptos::ev::MouseEvent| {
        let id = |attr: &str| {
            browser::closest_attr(&ev, &format!("button[{attr}]"), attr)
                .and_then(|id| id.parse::<u32>().ok())
        };
        if let Some(id) = id("data-delete") {
            a.delete_branch(id);
        } else if let Some(id) = id("data-branch") {
            a.switch_branch(id);
        }
    };
    view! {
        <section class="panel branches" aria-labelledby="branches-h">
            <h2 id="branches-h">"Runs (branches)"</h2>
            <p class="sub">
                "Go back and pick a different event: a new run branches off, and the old one stays here."
            </p>
            <ol class="branch-list" node_ref=list inner_html=items on:click=act></ol>
            {move || s.with(|s| s.notice.clone()).map(|n| view! { <p class="notice" role="status">{n}</p> })}
        </section>
    }
}
