//! The cache entries, the database rows, the invariants, the counters, the narration
//! and the event log.
use super::session::Actions;
use crate::sim::view::View as SimView;
use leptos::prelude::*;

#[component]
pub fn Narration() -> impl IntoView {
    let a = expect_context::<Actions>();
    let text = move || {
        a.session.with(|s| {
            let run = &s.run;
            let mut text = match run.records().last() {
                Some(r) => format!("{} {}", actor_prefix(r.actor.to_string()), r.narration),
                None => format!("{} Press Step (→) to begin.", run.scenario.summary),
            };
            if run.at_end() && run.cursor() > 0 {
                text.push_str("\n\n");
                text.push_str(&(run.scenario.epilogue)(run.world(), &run.fixes));
            }
            text
        })
    };
    view! {
        <section class="narration" aria-label="What just happened">
            <p data-testid="narration" aria-live="polite">{text}</p>
        </section>
    }
}

fn actor_prefix(actor: String) -> String {
    format!("[{actor}]")
}

#[component]
pub fn CachePanel(view: Memo<SimView>) -> impl IntoView {
    let rows = move || {
        view.with(|v| {
            let now = v.now_ms;
            v.cache
                .iter()
                .map(|e| {
                    let left = e.expires_at.map_or("none".to_string(), |t| format!("{} ms", t.saturating_sub(now)));
                    view! {
                        <tr data-testid="cache-entry" data-key=e.key.clone() data-value=e.value.clone()
                            data-version=e.version.to_string() data-expires-at=e.expires_at.map(|t| t.to_string())>
                            <td>{e.key.clone()}</td>
                            <td class="value">{e.value.clone()}</td>
                            <td class="ttl">{left}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let empty = move || view.with(|v| v.cache.is_empty());
    let guards = move || {
        view.with(|v| {
            v.guards
                .iter()
                .map(|g| view! { <li class="guard">{format!("{}: {}", g.key, g.text)}</li> })
                .collect_view()
        })
    };
    view! {
        <section class="panel" aria-labelledby="cache-h">
            <h2 id="cache-h">"Cache"</h2>
            <table>
                <thead><tr><th>"key"</th><th>"value"</th><th>"TTL left"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <Show when=empty><p class="empty">"empty"</p></Show>
            <ul class="guards">{guards}</ul>
        </section>
    }
}

#[component]
pub fn DbPanel(view: Memo<SimView>) -> impl IntoView {
    let rows = move || {
        view.with(|v| {
            v.db.iter()
                .map(|r| {
                    view! {
                        <tr data-testid="db-row" data-key=r.key.clone() data-value=r.value.clone()
                            data-version=r.version.to_string()>
                            <td>{r.key.clone()}</td>
                            <td class="value">{r.value.clone()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel" aria-labelledby="db-h">
            <h2 id="db-h">"Database"</h2>
            <table>
                <thead><tr><th>"key"</th><th>"committed"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
pub fn Invariants(view: Memo<SimView>) -> impl IntoView {
    let items = move || {
        view.with(|v| {
            v.invariants
                .iter()
                .map(|i| {
                    let status = if i.ok { "ok" } else { "violated" };
                    let detail = i.why.clone().unwrap_or_else(|| i.describe.to_string());
                    view! {
                        <li data-testid="invariant" data-invariant=i.name data-status=status class=format!("inv {status}")>
                            <span class="badge">{if i.ok { "✓ ok" } else { "✗ violated" }}</span>
                            <code>{i.name}</code>
                            <span class="why">{detail}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel" aria-labelledby="inv-h">
            <h2 id="inv-h">"Invariants"</h2>
            <ul class="invariants">{items}</ul>
        </section>
    }
}

#[component]
pub fn Metrics(view: Memo<SimView>) -> impl IntoView {
    let items = move || {
        view.with(|v| {
            v.metrics
                .iter()
                .map(|m| {
                    view! {
                        <div class="metric" data-testid="metric" data-metric=m.name data-value=m.value.to_string()>
                            <dt>{m.name}</dt>
                            <dd>{m.value.to_string()}</dd>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel" aria-labelledby="metrics-h">
            <h2 id="metrics-h">"Counters"</h2>
            <dl class="metrics">{items}</dl>
        </section>
    }
}

#[component]
pub fn EventLog() -> impl IntoView {
    let a = expect_context::<Actions>();
    let entries = move || {
        a.session.with(|s| {
            s.run
                .records()
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let line = r.to_string();
                    let target = i + 1;
                    view! {
                        <li data-testid="log-entry" data-step=target.to_string()>
                            <button class="log-line" title="Go back to this step" on:click=move |_| a.seek(target)>
                                <span class="n">{format!("{target:>3}")}</span>
                                <code>{line}</code>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // Keep the newest entry in sight as the run advances.
    let list = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        a.session.with(|s| s.run.cursor());
        if let Some(el) = list.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    view! {
        <section class="panel log" aria-labelledby="log-h">
            <h2 id="log-h">"Event log"</h2>
            <ol data-testid="event-log" class="event-log" node_ref=list>{entries}</ol>
        </section>
    }
}
