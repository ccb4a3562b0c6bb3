//! What each node shows of its state, as lines of text: the cache nodes' keys with
//! their values (marked when they differ from the database), the database's committed
//! rows and its open transactions' changes, a replica's rows (marked when behind), the
//! requests each service holds with their leases and locks, the write-behind queue,
//! the bus's log, the consumer's memory. A line too long for its box wraps (`wrap`).
//!
//! Architecture Invariant: no Leptos here; plain functions of a `sim::view::View`.
use crate::sim::view::{
    BusMessageView, CacheEntryView, ConsumerView, DbRowView, DlqView, GuardView, OutboxRowView,
    QueueItemView, View,
};
use crate::sim::NodeId;

/// The most lines of state a node shows; the rest are counted on a last line.
pub const MAX_LINES: usize = 6;

/// A line of state drawn inside a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// `stale` (differs from the database), `guard` (lease, lock, tombstone, an
    /// uncommitted change), `more`, or empty.
    pub class: &'static str,
}

impl Line {
    fn plain(text: String) -> Line {
        Line { text, class: "" }
    }
}

/// The short form of a guard's text: "lease #1", "tombstone v2", "locked by reader".
fn short_guard(text: &str) -> &str {
    [" until ", " issued "]
        .iter()
        .filter_map(|cut| text.find(cut))
        .min()
        .map_or(text, |at| &text[..at])
}

/// A cache node's keys and guards.
fn cache_lines(out: &mut Vec<Line>, entries: &[CacheEntryView], guards: &[GuardView]) {
    for e in entries {
        out.push(if e.stale {
            Line {
                text: format!("{} = {} ≠ {}", e.key, e.value, differs_from(e)),
                class: "stale",
            }
        } else {
            Line::plain(format!("{} = {}", e.key, e.value))
        });
    }
    for g in guards {
        out.push(Line {
            text: format!("{} {}", g.key, short_guard(&g.text)),
            class: "guard",
        });
    }
}

/// What a stale copy differs from: the key's primary (`db`), or in write-behind the
/// acknowledged version still queued (`acked v3`) while the database has the copy's
/// value (review session 13, W4: `v1 ≠ db` beside a db holding v1).
fn differs_from(e: &CacheEntryView) -> String {
    match e.queued {
        Some(q) => format!("acked v{q}"),
        None => e.primary.to_string(),
    }
}

/// The holders of the copies of `key` that differ from its row, as the diagram names
/// them: `cache`, another cache node (`cache-2`), the CDN edge (`cdn`), a service's
/// near cache (`service-2's near`).
fn differing(v: &View, key: &str, row: &str) -> Vec<String> {
    // A copy behind only a queued write-behind version can equal the row.
    let stale = |e: &CacheEntryView| e.key == key && e.stale && e.value != row;
    let mut out = Vec::new();
    if v.cache.iter().any(stale) {
        out.push(NodeId::CACHE.to_string());
    }
    for c in &v.copies {
        if c.entries.iter().any(stale) {
            out.push(c.id.to_string());
        }
    }
    for (service, _) in v.near.iter().filter(|(_, e)| stale(e)) {
        let name = format!("{service}'s near");
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A primary's rows (marked where a cached copy differs, naming its holders), its open transactions'
/// changes and its unpublished outbox rows.
fn db_lines(
    out: &mut Vec<Line>,
    v: &View,
    rows: &[DbRowView],
    uncommitted: &[String],
    outbox: &[OutboxRowView],
) {
    for r in rows {
        let holders = differing(v, &r.key, &r.value);
        out.push(if holders.is_empty() {
            Line::plain(format!("{} = {}", r.key, r.value))
        } else {
            Line {
                text: format!("{} = {} ≠ {}", r.key, r.value, holders.join(", ")),
                class: "stale",
            }
        });
    }
    for u in uncommitted {
        out.push(Line {
            text: u.clone(),
            class: "guard",
        });
    }
    for o in outbox.iter().filter(|o| !o.published) {
        out.push(Line::plain(format!("outbox {} unpublished", o.event_id)));
    }
}

/// A write-behind queue, as its flusher drains it.
fn queue_lines(out: &mut Vec<Line>, queue: &[QueueItemView]) {
    for q in queue {
        let state = if q.in_flight { " (writing)" } else { "" };
        out.push(Line::plain(format!("{} = {}{state}", q.key, q.value)));
    }
}

/// A bus's log and its dead-letter queue.
fn bus_lines(
    out: &mut Vec<Line>,
    bus: &[BusMessageView],
    dlq: &[DlqView],
    groups: &[(NodeId, u32)],
) {
    // Each consumer group's committed offset, where there are several.
    for (id, offset) in groups {
        out.push(Line::plain(format!("{id}: offset {offset}")));
    }
    for b in bus {
        out.push(Line::plain(format!(
            "{} {}={} {}",
            b.event_id,
            b.key,
            b.value,
            b.state_words()
        )));
    }
    for d in dlq {
        out.push(Line {
            text: format!("DLQ {} {}={}", d.event_id, d.key, d.value),
            class: "guard",
        });
    }
}

/// A consumer's memory: its inbox, what it applied, the ids it remembers.
fn consumer_lines(out: &mut Vec<Line>, c: Option<&ConsumerView>) {
    let Some(c) = c else { return };
    if c.unsubscribed {
        out.push(Line {
            text: "not subscribed".to_string(),
            class: "stale",
        });
    }
    if !c.inbox.is_empty() {
        out.push(Line::plain(format!("inbox {}", c.inbox.join(" "))));
    }
    for a in &c.applied {
        out.push(Line::plain(format!("applied {a}")));
    }
    if !c.processed.is_empty() {
        out.push(Line::plain(format!("seen {}", c.processed.join(" "))));
    }
}

/// What node `id` shows of its state, at most `MAX_LINES` lines (before wrapping).
pub fn lines(v: &View, id: NodeId) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    match id {
        NodeId::CACHE => cache_lines(&mut out, &v.cache, &v.guards),
        // Another cache node, or the CDN edge's stored responses.
        NodeId::Cache(_) | NodeId::Cdn => {
            if let Some(c) = v.copies.iter().find(|c| c.id == id) {
                cache_lines(&mut out, &c.entries, &c.guards);
            }
        }
        NodeId::DB => db_lines(&mut out, v, &v.db, &v.uncommitted, &v.outbox),
        NodeId::Service(_) => {
            // Its near cache first (a copy like the cache node's), then its requests.
            for (_, e) in v.near.iter().filter(|(s, _)| *s == id) {
                out.push(if e.stale {
                    Line {
                        text: format!("near {} = {} ≠ {}", e.key, e.value, differs_from(e)),
                        class: "stale",
                    }
                } else {
                    Line::plain(format!("near {} = {}", e.key, e.value))
                });
            }
            for r in v.requests.iter().filter(|r| r.service == id) {
                out.push(Line::plain(r.text.clone()));
            }
        }
        NodeId::FLUSHER => queue_lines(&mut out, &v.queue),
        NodeId::BUS => bus_lines(&mut out, &v.bus, &v.dlq, &v.bus_groups),
        NodeId::CONSUMER => consumer_lines(&mut out, v.consumer.as_ref()),
        // The first replica's rows are the view's own, another's in `View::more`; each
        // against its primary's (its replication line's other end).
        NodeId::Replica(_) => {
            let more = |of: NodeId| v.more.iter().find(|m| m.id == of).map(|m| &m.db);
            let primary = v
                .routes
                .iter()
                .find(|(a, b)| *b == id && matches!(a, NodeId::Db(_)))
                .map_or(NodeId::DB, |(a, _)| *a);
            let rows = match id {
                NodeId::REPLICA => Some(&v.replica),
                _ => more(id),
            };
            let primary_rows = match primary {
                NodeId::DB => Some(&v.db),
                _ => more(primary),
            };
            for r in rows.into_iter().flatten() {
                let primary = primary_rows.into_iter().flatten().find(|d| d.key == r.key);
                out.push(match primary {
                    Some(p) if p.version > r.version => Line {
                        text: format!("{} = {} (lag)", r.key, r.value),
                        class: "stale",
                    },
                    _ => Line::plain(format!("{} = {}", r.key, r.value)),
                });
            }
        }
        // The clients say what they got in their note; the relay and the CDC
        // invalidator show no state of their own here.
        NodeId::Reader(_) | NodeId::Writer(_) | NodeId::Relay(_) | NodeId::Invalidator(_) => {}
        // A second node of these kinds (a topology's `db-2`, `bus-2`, …): its state
        // in `View::more`, drawn as the first's.
        NodeId::Db(_) | NodeId::Bus(_) | NodeId::Consumer(_) | NodeId::Flusher(_) => {
            if let Some(m) = v.more.iter().find(|m| m.id == id) {
                db_lines(&mut out, v, &m.db, &m.uncommitted, &m.outbox);
                bus_lines(&mut out, &m.bus, &m.dlq, &m.groups);
                consumer_lines(&mut out, m.consumer.as_ref());
                queue_lines(&mut out, &m.queue);
            }
        }
    }
    if out.len() > MAX_LINES {
        let more = out.len() - (MAX_LINES - 1);
        out.truncate(MAX_LINES - 1);
        out.push(Line {
            text: format!("+{more} more"),
            class: "more",
        });
    }
    out
}

/// `lines` for a box `chars` characters wide: a line too long goes on to the next,
/// indented, broken after a comma (a request's parts) or else at a space; a line takes
/// at most `PIECES` lines, and what still does not fit is cut with an ellipsis.
pub fn wrap(lines: Vec<Line>, chars: usize) -> Vec<Line> {
    const PIECES: usize = 3;
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let mut rest = l.text.as_str();
        // Bounded: one piece a turn, at most PIECES.
        for piece in 0..PIECES {
            let indent = if piece == 0 { "" } else { "  " };
            let room = chars.saturating_sub(indent.len()).max(1);
            if rest.chars().count() <= room || piece == PIECES - 1 {
                out.push(Line {
                    text: fit(&format!("{indent}{rest}"), chars),
                    class: l.class,
                });
                break;
            }
            // The byte offset after the last break that keeps this piece within `room`.
            let limit = rest
                .char_indices()
                .nth(room)
                .map_or(rest.len(), |(at, _)| at);
            let head = &rest[..limit];
            let cut = head
                .rfind(", ")
                .map(|at| at + 1)
                .or_else(|| head.rfind(' '))
                .filter(|at| *at > 0)
                .unwrap_or(limit);
            out.push(Line {
                text: format!("{indent}{}", rest[..cut].trim_end()),
                class: l.class,
            });
            rest = rest[cut..].trim_start();
        }
    }
    out
}

/// Cuts `text` to `max` characters, with an ellipsis when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}
