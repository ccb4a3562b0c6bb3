//! The cache entries, the database rows, the invariants and the counters (their markup
//! is `paint.rs`), the narration and the event log (its entries too, with one click
//! handler for the list).
use super::browser;
use super::session::Actions;
use super::{lists, paint};
use crate::sim::view::View as SimView;
use leptos::prelude::*;

#[component]
pub fn Narration() -> impl IntoView {
    let a = expect_context::<Actions>();
    let text = move || {
        a.words.track(); // the summary and the endings' words
        a.session.with(|s| {
            let run = &s.run;
            let mut text = match run.records().last() {
                Some(r) => format!("{} {}", actor_prefix(r.who()), r.narration),
                None => {
                    let id = run.current_id();
                    let origin = s.origins.iter().find(|(i, _)| *i == id);
                    lists::step_zero(run, id, origin.map(|(_, o)| o.as_str()))
                }
            };
            // At the end: the notes and the ending, each once.
            if let Some(end) = run.end_words() {
                text.push_str("\n\n");
                text.push_str(&end);
            }
            text
        })
    };
    // Focusable (tabindex 0): a long step scrolls inside its box on a wide screen, and a
    // region that scrolls must be reachable by keyboard (WCAG 2.1.1; axe's
    // scrollable-region-focusable, seen on dual-write-crash's reset step).
    view! {
        <section class="narration" aria-label="What just happened">
            <p data-testid="narration" aria-live="polite" tabindex="0">{text}</p>
        </section>
    }
}

fn actor_prefix(actor: String) -> String {
    format!("[{actor}]")
}

#[component]
pub fn CachePanel(view: Memo<SimView>) -> impl IntoView {
    view! { <section class="panel" aria-labelledby="cache-h" inner_html=move || view.with(paint::cache)></section> }
}

#[component]
pub fn DbPanel(view: Memo<SimView>) -> impl IntoView {
    view! { <section class="panel" aria-labelledby="db-h" inner_html=move || view.with(paint::db)></section> }
}

#[component]
pub fn Invariants(view: Memo<SimView>) -> impl IntoView {
    let a = expect_context::<Actions>();
    // What changed since the step before, read out by screen readers (aria-live).
    let news = move || {
        a.session.with(|s| {
            let run = &s.run;
            let before = run.cursor().checked_sub(1).and_then(|i| run.state(i));
            before.map_or(String::new(), |b| {
                paint::invariant_news(run.scenario.invariants, b, run.world(), run.cursor())
            })
        })
    };
    view! {
        <section class="panel invariants-panel" aria-labelledby="inv-h" inner_html=move || view.with(paint::invariants)></section>
        <p class="sr-only" data-testid="invariant-news" role="status" aria-live="polite">{news}</p>
    }
}

#[component]
pub fn Metrics(view: Memo<SimView>) -> impl IntoView {
    view! { <section class="panel" aria-labelledby="metrics-h" inner_html=move || view.with(paint::metrics)></section> }
}

#[component]
pub fn EventLog() -> impl IntoView {
    let a = expect_context::<Actions>();
    let list = NodeRef::<leptos::html::Ol>::new();
    // The folded stretches the learner opened (`sim::fold`), by their first step.
    let open = RwSignal::new(Vec::<usize>::new());
    let entries = move || {
        let now = a.session.with(|s| s.run.cursor());
        let folds = a.ahead.with(|p| p.folds_upto(now));
        let rows = open.with(|o| crate::sim::fold::rows(now, &folds, o, now));
        let markup = a.session.with(|s| lists::event_log(s.run.records(), &rows));
        browser::keeping_focus(list.get_untracked().map(Into::into), markup)
    };
    // One handler for the list: an entry's button goes back to its step; a fold's
    // shows or hides its steps.
    let go_back = move |ev: leptos::ev::MouseEvent| {
        let step = browser::closest_attr(&ev, "button[data-step]", "data-step");
        if let Some(step) = step.and_then(|s| s.parse::<usize>().ok()) {
            a.seek(step);
        }
        let fold = browser::closest_attr(&ev, "button[data-fold]", "data-fold");
        if let Some(first) = fold.and_then(|s| s.parse::<usize>().ok()) {
            open.update(|o| match o.iter().position(|f| *f == first) {
                Some(i) => {
                    o.remove(i);
                }
                None => o.push(first),
            });
        }
    };
    // Keep the newest entry in sight as the run advances.
    Effect::new(move |_| {
        a.session.with(|s| s.run.cursor());
        if let Some(el) = list.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    view! {
        <section class="panel log" aria-labelledby="log-h">
            <h2 id="log-h">"Event log"</h2>
            <ol data-testid="event-log" class="event-log" node_ref=list inner_html=entries on:click=go_back></ol>
        </section>
    }
}
