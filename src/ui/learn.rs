//! The scenario list (the learning path), the loaded scenario's title and fixes, and
//! its pattern card: flow, pros and cons, and the way on.
use super::{browser, lists, paint};
use super::session::Actions;
use crate::sim::scenarios;
use leptos::prelude::*;

#[component]
pub fn ScenarioList() -> impl IntoView {
    let a = expect_context::<Actions>();
    let list = NodeRef::<leptos::html::Ol>::new();
    // Written once; the scenario shown is marked in place (the focus stays on the link).
    Effect::new(move |_| {
        let current = a.session.with(|s| s.run.scenario.id);
        if let Some(list) = list.get() {
            browser::mark_current(&list, "a[data-scenario]", "data-scenario", current, "page");
        }
    });
    let open = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = browser::closest_attr(&ev, "a[data-scenario]", "data-scenario") {
            ev.prevent_default();
            a.load_scenario(&id);
        }
    };
    view! {
        <nav class="scenarios" aria-label="Scenarios, in learning order">
            <h2>"Learning path"</h2>
            <ol node_ref=list inner_html=lists::scenario_links(&scenarios::ALL) on:click=open></ol>
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
    let group = NodeRef::<leptos::html::Div>::new();
    view! {
        <Show when=move || !fixes().is_empty()>
            // Redrawn whenever the run changes; one handler for the buttons.
            <div class="fixes" role="group" aria-label="Fixes" node_ref=group
                inner_html=move || {
                    a.words.track(); // what each fix does, as its title
                    let markup = s.with(|s| {
                        let buttons = lists::fix_buttons(s.run.scenario, &s.run.fixes, "fix-toggle");
                        format!("<span class=\"fixes-label\">Fixes:</span>{buttons}")
                    });
                    browser::keeping_focus(group.get_untracked().map(Into::into), markup)
                }
                on:click=move |ev| {
                    if let Some(id) = browser::closest_attr(&ev, "button[data-fix]", "data-fix") {
                        a.toggle_fix(&id);
                    }
                }></div>
        </Show>
    }
}

/// What each fix switched on does and costs (beside the diagram's details).
#[component]
pub fn FixNotes() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    view! {
        <ul class="fix-notes" inner_html=move || {
            a.words.track();
            s.with(|s| paint::fix_notes(&s.run))
        }></ul>
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
                a.words.track();
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
