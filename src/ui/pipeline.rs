//! The event pipeline's panels: the outbox table, the bus's log, the dead-letter queue,
//! the write-behind queue and the consumer's memory. Each shows only when the scenario
//! has that part.
use crate::sim::view::View as SimView;
use crate::sim::NodeId;
use leptos::prelude::*;

fn has(view: Memo<SimView>, id: NodeId) -> impl Fn() -> bool + Copy {
    move || view.with(|v| v.nodes.iter().any(|n| n.id == id))
}

#[component]
pub fn Pipeline(view: Memo<SimView>) -> impl IntoView {
    view! {
        <Show when=has(view, NodeId::Relay)><OutboxPanel view=view /></Show>
        <Show when=has(view, NodeId::Bus)><BusPanel view=view /></Show>
        <Show when=has(view, NodeId::Flusher)><QueuePanel view=view /></Show>
    }
}

#[component]
fn OutboxPanel(view: Memo<SimView>) -> impl IntoView {
    let rows = move || {
        view.with(|v| {
            v.outbox
                .iter()
                .map(|r| {
                    let published = if r.published { "true" } else { "false" };
                    view! {
                        <tr data-testid="outbox-row" data-event-id=r.event_id.clone() data-published=published>
                            <td>{r.event_id.clone()}</td>
                            <td>{r.aggregate_type.clone()}</td>
                            <td>{r.aggregate_id.clone()}</td>
                            <td>{r.kind.clone()}</td>
                            <td class="payload"><code>{r.payload.clone()}</code></td>
                            <td class=if r.published { "yes" } else { "no" }>{if r.published { "published" } else { "pending" }}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel wide" aria-labelledby="outbox-h">
            <h2 id="outbox-h">"Outbox table (in the database)"</h2>
            <table>
                <thead><tr>
                    <th>"id"</th><th>"aggregatetype"</th><th>"aggregateid"</th><th>"type"</th><th>"payload"</th><th>"state"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <Show when=move || view.with(|v| v.outbox.is_empty())><p class="empty">"no rows yet"</p></Show>
        </section>
    }
}

#[component]
fn BusPanel(view: Memo<SimView>) -> impl IntoView {
    let kind = move || {
        view.with(|v| match v.bus_durable {
            Some(true) => {
                let offset = v
                    .bus_offset
                    .map(|o| format!(", consumer offset {o}"))
                    .unwrap_or_default();
                format!("durable log, at-least-once (like Kafka){offset}")
            }
            Some(false) => "at-most-once (like Redis Pub/Sub): nothing is kept".to_string(),
            None => String::new(),
        })
    };
    let messages = move || {
        view.with(|v| {
            v.bus
                .iter()
                .map(|m| {
                    view! {
                        <tr data-testid="bus-message" data-event-id=m.event_id.clone() data-key=m.key.clone()
                            data-version=m.version.to_string() class=format!("bus-{}", m.state)>
                            <td>{m.offset.to_string()}</td>
                            <td>{m.event_id.clone()}</td>
                            <td>{format!("{} → {}", m.key, m.value)}</td>
                            <td>{m.state}{(m.failures > 0).then(|| format!(" ({} failures)", m.failures))}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let dlq = move || {
        view.with(|v| {
            v.dlq
                .iter()
                .map(|d| {
                    view! {
                        <li data-testid="dlq-message" data-event-id=d.event_id.clone()>
                            {format!("{}: {} → {} after {} failures", d.event_id, d.key, d.value, d.failures)}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let consumer = move || {
        view.with(|v| {
            v.consumer.as_ref().map(|c| {
                let mut parts = Vec::new();
                if let Some(h) = &c.handling {
                    parts.push(format!("handling {h}"));
                }
                if !c.inbox.is_empty() {
                    parts.push(format!("inbox: {}", c.inbox.join(", ")));
                }
                if !c.processed.is_empty() {
                    parts.push(format!("processed ids: {}", c.processed.join(", ")));
                }
                if !c.applied.is_empty() {
                    parts.push(format!("applied: {}", c.applied.join(", ")));
                }
                if parts.is_empty() {
                    parts.push("idle".to_string());
                }
                format!("Consumer: {}", parts.join(" · "))
            })
        })
    };
    view! {
        <section class="panel wide" aria-labelledby="bus-h">
            <h2 id="bus-h">"Event bus"</h2>
            <p class="sub">{kind}</p>
            <table>
                <thead><tr><th>"offset"</th><th>"event"</th><th>"change"</th><th>"state"</th></tr></thead>
                <tbody>{messages}</tbody>
            </table>
            <p class="sub">{consumer}</p>
            <h3 class="sub-h">"Dead-letter queue"</h3>
            <ul class="dlq">{dlq}</ul>
            <Show when=move || view.with(|v| v.dlq.is_empty())><p class="empty">"empty"</p></Show>
        </section>
    }
}

#[component]
fn QueuePanel(view: Memo<SimView>) -> impl IntoView {
    let items = move || {
        view.with(|v| {
            v.queue
                .iter()
                .map(|q| {
                    let mut note = String::new();
                    if q.in_flight {
                        note.push_str("being flushed");
                    }
                    if q.durable {
                        if !note.is_empty() {
                            note.push_str(", ");
                        }
                        note.push_str("on disk");
                    }
                    view! {
                        <tr data-testid="queue-item" data-key=q.key.clone() data-value=q.value.clone()>
                            <td>{q.key.clone()}</td>
                            <td class="value">{q.value.clone()}</td>
                            <td>{note}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel" aria-labelledby="queue-h">
            <h2 id="queue-h">"Write-behind queue"</h2>
            <table>
                <thead><tr><th>"key"</th><th>"value"</th><th>""</th></tr></thead>
                <tbody>{items}</tbody>
            </table>
            <Show when=move || view.with(|v| v.queue.is_empty())><p class="empty">"empty"</p></Show>
        </section>
    }
}
