//! The scenario list (the learning path), the loaded scenario's title and fixes, and
//! its pattern card: flow, pros and cons, and the way on.
use super::paint;
use super::session::Actions;
use crate::sim::scenarios;
use leptos::prelude::*;

#[component]
pub fn ScenarioList() -> impl IntoView {
    let a = expect_context::<Actions>();
    let current = move || a.session.with(|s| s.run.scenario.id);
    let links = scenarios::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = s.id;
            let is_current = move || current() == id;
            view! {
                <li>
                    <a data-testid="scenario-link" data-scenario=id href=format!("?scenario={id}")
                        class:current=is_current
                        aria-current=move || if is_current() { "page" } else { "false" }
                        on:click=move |ev| {
                            ev.prevent_default();
                            a.load_scenario(id);
                        }>
                        <span class="n">{i + 1}</span>
                        <span>{s.title}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="scenarios" aria-label="Scenarios, in learning order">
            <h2>"Learning path"</h2>
            <ol>{links}</ol>
        </nav>
    }
}

#[component]
pub fn Title() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    view! {
        <div class="title">
            <h2 data-testid="scenario-title" data-scenario=move || s.with(|s| s.run.scenario.id)>
                {move || s.with(|s| s.run.scenario.title)}
            </h2>
        </div>
    }
}

#[component]
pub fn FixToggles() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let fixes = move || s.with(|s| s.run.scenario.fixes);
    view! {
        <Show when=move || !fixes().is_empty()>
            <div class="fixes" role="group" aria-label="Fixes">
                <span class="fixes-label">"Fixes:"</span>
                // Redrawn whenever the run changes, so each button's state is a plain value.
                {move || s.with(|s| {
                    s.run
                        .scenario
                        .fixes
                        .iter()
                        .map(|f| {
                            let id = f.id;
                            let on = s.run.fixes.has(id);
                            view! {
                                <button data-testid="fix-toggle" data-fix=id class="fix" class:on=on
                                    aria-pressed=if on { "true" } else { "false" }
                                    title=f.what
                                    on:click=move |_| a.toggle_fix(id)>
                                    {if on { "✓ " } else { "" }}
                                    {f.title}
                                </button>
                            }
                        })
                        .collect_view()
                })}
            </div>
        </Show>
    }
}

/// What each fix switched on does and costs (beside the diagram's details).
#[component]
pub fn FixNotes() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    view! {
        <ul class="fix-notes" inner_html=move || s.with(|s| paint::fix_notes(&s.run))></ul>
    }
}

#[component]
pub fn Learn() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    // A sandbox run borrows the card of the catalog scenario that shows its pattern.
    let scenario = move || {
        s.with(|s| {
            let lead = s.run.sandbox.as_ref().and_then(|sb| match sb.pattern.id() {
                "cache-aside" => scenarios::find("cache-aside-read"),
                other => scenarios::find(other),
            });
            lead.unwrap_or(s.run.scenario)
        })
    };
    view! {
        <section class="panel learn" aria-labelledby="learn-h">
            <h2 id="learn-h">"The pattern"</h2>
            {move || {
                let sc = scenario();
                let next = scenarios::next_after(sc.id);
                view! {
                    <div class="cards" inner_html=paint::pattern_card(sc)></div>
                    {next.map(|n| {
                        let id = n.id;
                        view! {
                            <p class="next">
                                "Next on the path: "
                                <a href=format!("?scenario={id}") data-testid="next-scenario"
                                    on:click=move |ev| { ev.prevent_default(); a.load_scenario(id); }>
                                    {n.title}" →"
                                </a>
                            </p>
                        }
                    })}
                }
            }}
        </section>
    }
}
