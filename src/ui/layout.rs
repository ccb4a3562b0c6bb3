//! Where the diagram puts each node, and what each node shows of its state: the cache's
//! keys with their values (marked when they differ from the database), the database's
//! committed rows, the requests the service holds with their leases and locks, the
//! write-behind queue, the bus's log, the consumer's memory.
//!
//! Two layouts: `Wide` puts the flow left to right (clients, service, storage, the
//! event pipeline); `Narrow` (a phone) puts it top to bottom, so the diagram keeps a
//! legible size on a 390 px screen instead of shrinking a wide picture.
//!
//! Architecture Invariant: no Leptos here; plain functions of a `sim::view::View`.
use crate::sim::view::View;
use crate::sim::NodeId;

/// How the diagram is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Narrow,
}

/// The most state lines a node shows; the rest are counted on a last line.
pub const MAX_LINES: usize = 6;
/// The height of a node with no state lines (its name and its note).
const HEAD_H: f64 = 42.0;
/// Each state line's height.
pub const LINE_H: f64 = 15.0;
/// Space around the drawing.
const MARGIN: f64 = 10.0;
/// The narrow layout's width.
const NARROW_W: f64 = 400.0;

/// A line of state drawn inside a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// `stale` (differs from the database), `guard` (lease, lock, tombstone), `more`,
    /// or empty.
    pub class: &'static str,
}

impl Line {
    fn plain(text: String) -> Line {
        Line { text, class: "" }
    }
}

/// A node placed: its centre, its size, and its state lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub id: NodeId,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub lines: Vec<Line>,
}

impl Placed {
    /// Whether the point lies in the box, grown by `pad` on every side.
    pub fn contains(&self, x: f64, y: f64, pad: f64) -> bool {
        (x - self.x).abs() <= self.w / 2.0 + pad && (y - self.y).abs() <= self.h / 2.0 + pad
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

/// What node `id` shows of its state, at most `MAX_LINES` lines.
pub fn lines(v: &View, id: NodeId) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    match id {
        NodeId::CACHE => {
            for e in &v.cache {
                out.push(if e.stale {
                    Line {
                        text: format!("{} = {} ≠ db", e.key, e.value),
                        class: "stale",
                    }
                } else {
                    Line::plain(format!("{} = {}", e.key, e.value))
                });
            }
            for g in &v.guards {
                out.push(Line {
                    text: format!("{} {}", g.key, short_guard(&g.text)),
                    class: "guard",
                });
            }
        }
        NodeId::Db => {
            for r in &v.db {
                let differs = v.cache.iter().any(|e| e.key == r.key && e.stale);
                out.push(if differs {
                    Line {
                        text: format!("{} = {} ≠ cache", r.key, r.value),
                        class: "stale",
                    }
                } else {
                    Line::plain(format!("{} = {}", r.key, r.value))
                });
            }
            for u in &v.uncommitted {
                out.push(Line {
                    text: u.clone(),
                    class: "guard",
                });
            }
            for o in v.outbox.iter().filter(|o| !o.published) {
                out.push(Line::plain(format!("outbox {} unpublished", o.event_id)));
            }
        }
        NodeId::SERVICE => {
            for r in &v.requests {
                out.push(Line::plain(r.text.clone()));
            }
        }
        NodeId::Flusher => {
            for q in &v.queue {
                let state = if q.in_flight { " (writing)" } else { "" };
                out.push(Line::plain(format!("{} = {}{state}", q.key, q.value)));
            }
        }
        NodeId::Bus => {
            for b in &v.bus {
                out.push(Line::plain(format!(
                    "{} {}={} {}",
                    b.event_id, b.key, b.value, b.state
                )));
            }
            for d in &v.dlq {
                out.push(Line {
                    text: format!("DLQ {} {}={}", d.event_id, d.key, d.value),
                    class: "guard",
                });
            }
        }
        NodeId::Consumer => {
            if let Some(c) = &v.consumer {
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
        }
        NodeId::Replica(_) => {
            for r in &v.replica {
                let primary = v.db.iter().find(|d| d.key == r.key);
                out.push(match primary {
                    Some(p) if p.version > r.version => Line {
                        text: format!("{} = {} (lag)", r.key, r.value),
                        class: "stale",
                    },
                    _ => Line::plain(format!("{} = {}", r.key, r.value)),
                });
            }
        }
        // The others show no state of their own here yet (more instances of a kind,
        // kinds the production chapter adds).
        _ => {}
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

/// The width of a node's box in the wide layout.
fn wide_w(id: NodeId) -> f64 {
    match id {
        NodeId::SERVICE => 230.0,
        NodeId::CACHE | NodeId::Db | NodeId::Bus | NodeId::Consumer => 150.0,
        _ => 124.0,
    }
}

/// The groups of nodes, in flow order: each group is a column (wide) or a row
/// (narrow), and within a group the nodes are in that order.
fn groups(v: &View) -> Vec<Vec<NodeId>> {
    let has = |id: NodeId| v.nodes.iter().any(|n| n.id == id);
    let pick =
        |ids: &[NodeId]| -> Vec<NodeId> { ids.iter().copied().filter(|i| has(*i)).collect() };
    let clients: Vec<NodeId> = v
        .nodes
        .iter()
        .map(|n| n.id)
        .filter(|i| i.is_client())
        .collect();
    let mut all = vec![
        clients,
        pick(&[NodeId::SERVICE]),
        pick(&[NodeId::CACHE, NodeId::Db, NodeId::Replica(1)]),
        pick(&[NodeId::Flusher]),
        pick(&[NodeId::Consumer, NodeId::Bus, NodeId::Relay]),
    ];
    // A node none of the groups names (a kind added later) still gets a place: a
    // column of its own at the end, so the diagram never leaves a node out.
    let placed: Vec<NodeId> = all.iter().flatten().copied().collect();
    all.push(
        v.nodes
            .iter()
            .map(|n| n.id)
            .filter(|i| !placed.contains(i))
            .collect(),
    );
    all.into_iter().filter(|g| !g.is_empty()).collect()
}

fn height(v: &View, id: NodeId) -> (f64, Vec<Line>) {
    let lines = lines(v, id);
    (HEAD_H + LINE_H * lines.len() as f64, lines)
}

/// Every node placed, and the drawing's width and height.
pub fn place(v: &View, layout: Layout) -> (Vec<Placed>, f64, f64) {
    match layout {
        Layout::Wide => wide(v),
        Layout::Narrow => narrow(v),
    }
}

/// Columns left to right; each column spreads its nodes over the drawing's height.
fn wide(v: &View) -> (Vec<Placed>, f64, f64) {
    const GAP: f64 = 22.0;
    const COL_GAP: f64 = 56.0;
    let cols: Vec<Vec<(NodeId, f64, Vec<Line>)>> = groups(v)
        .into_iter()
        .map(|g| {
            g.into_iter()
                .map(|id| {
                    let (h, lines) = height(v, id);
                    (id, h, lines)
                })
                .collect()
        })
        .collect();
    let stack = |c: &Vec<(NodeId, f64, Vec<Line>)>| {
        c.iter().map(|n| n.1).sum::<f64>() + GAP * c.len().saturating_sub(1) as f64
    };
    // At least tall enough for the storage column to keep a visible gap.
    let inner = cols.iter().map(stack).fold(260.0, f64::max);
    let total_h = inner + 2.0 * MARGIN;
    let mut out = Vec::new();
    let mut left = MARGIN;
    for col in cols {
        let w = col.iter().map(|n| wide_w(n.0)).fold(0.0, f64::max);
        let x = left + w / 2.0;
        let used: f64 = col.iter().map(|n| n.1).sum();
        let n = col.len() as f64;
        // Space between (first at the top, last at the bottom) for storage and the
        // pipeline; clients and lone nodes spread evenly around the middle.
        let (mut y, gap) = if col.len() == 1 {
            ((total_h - used) / 2.0, 0.0)
        } else if col[0].0.is_client() {
            let gap = ((inner - used) / n).min(60.0);
            let top = (total_h - used - gap * (n - 1.0)) / 2.0;
            (top, gap)
        } else {
            (MARGIN, (inner - used) / (n - 1.0))
        };
        for (id, h, lines) in col {
            out.push(Placed {
                id,
                x,
                y: y + h / 2.0,
                w: wide_w(id),
                h,
                lines,
            });
            y += h + gap;
        }
        left += w + COL_GAP;
    }
    (out, left - COL_GAP + MARGIN, total_h)
}

/// Rows top to bottom, at most three nodes a row (clients wrap); each row spreads its
/// nodes over the width.
fn narrow(v: &View) -> (Vec<Placed>, f64, f64) {
    const GAP: f64 = 8.0;
    const ROW_GAP: f64 = 40.0;
    let rows: Vec<Vec<NodeId>> = groups(v)
        .into_iter()
        .flat_map(|g| g.chunks(3).map(<[NodeId]>::to_vec).collect::<Vec<_>>())
        .collect();
    let mut out = Vec::new();
    let mut top = MARGIN;
    for row in rows {
        let n = row.len() as f64;
        let w = ((NARROW_W - 2.0 * MARGIN - GAP * (n - 1.0)) / n).min(240.0);
        let placed: Vec<(NodeId, f64, Vec<Line>)> = row
            .into_iter()
            .map(|id| {
                let (h, lines) = height(v, id);
                (id, h, lines)
            })
            .collect();
        let row_h = placed.iter().map(|p| p.1).fold(0.0, f64::max);
        let span = w * n + GAP * (n - 1.0);
        let mut x = (NARROW_W - span) / 2.0 + w / 2.0;
        for (id, h, lines) in placed {
            out.push(Placed {
                id,
                x,
                y: top + row_h / 2.0,
                w,
                h,
                lines,
            });
            x += w + GAP;
        }
        top += row_h + ROW_GAP;
    }
    (out, NARROW_W, top - ROW_GAP + MARGIN)
}
