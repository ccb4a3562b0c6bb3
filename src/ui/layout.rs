//! Where the diagram puts each node, for any topology a scenario can have: the flow in
//! columns (clients, the edge cache, the services, storage: the cache nodes over the
//! database and its replicas, then the write-behind flusher and the CDC invalidator,
//! then the event pipeline), each kind in the place it has in the flow, so the picture
//! of a larger topology is the picture of the classic one with more boxes. A second
//! region is a band of its own under the first, drawn as a group (`region_box`).
//! What each node shows inside its box is `inside.rs`.
//!
//! Two layouts: `Wide` puts the flow left to right; `Narrow` (a phone) puts it top to
//! bottom, so the diagram keeps a legible size on a 390 px screen instead of shrinking a
//! wide picture.
//!
//! Architecture Invariant: no Leptos here; plain functions of a `sim::view::View`.
use crate::sim::view::View;
use crate::sim::NodeId;

mod inside;
pub use inside::{fit, lines, wrap, Line, MAX_LINES};

/// How the diagram is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Narrow,
}

/// The height of a node with no state lines (its name and its note).
const HEAD_H: f64 = 42.0;
/// Each state line's height.
pub const LINE_H: f64 = 15.0;
/// The width of a character of the state lines (12 px monospace).
pub const STATE_CHAR_W: f64 = 7.3;
/// Space around the drawing.
const MARGIN: f64 = 10.0;
/// The narrow layout's width.
const NARROW_W: f64 = 400.0;
/// Space between a region's group box and the nodes in it; above them, its label.
pub const GROUP_PAD: f64 = 8.0;
pub const GROUP_LABEL_H: f64 = 16.0;
/// Space between the two regions' bands: the group box, its label, and a gap.
const BAND_GAP: f64 = GROUP_PAD * 2.0 + GROUP_LABEL_H + 12.0;

/// A node placed: its centre, its size, its region and its state lines (wrapped to
/// its width).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub id: NodeId,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub region: u8,
    pub lines: Vec<Line>,
}

impl Placed {
    /// Whether the point lies in the box, grown by `pad` on every side.
    pub fn contains(&self, x: f64, y: f64, pad: f64) -> bool {
        (x - self.x).abs() <= self.w / 2.0 + pad && (y - self.y).abs() <= self.h / 2.0 + pad
    }
}

/// How many characters of state fit a box `w` wide.
pub fn chars(w: f64) -> usize {
    ((w - 12.0) / STATE_CHAR_W) as usize
}

/// The column of a node's kind in the flow (the wide layout's column, the narrow
/// layout's row). Every kind is named: a new kind must say where it goes.
fn column(id: NodeId) -> usize {
    match id {
        NodeId::Reader(_) | NodeId::Writer(_) => 0,
        NodeId::Cdn => 1,
        NodeId::Service(_) => 2,
        NodeId::Cache(_) | NodeId::Db(_) | NodeId::Replica(_) => 3,
        // Both sit between the cache and the database: the flusher drains the cache's
        // queue into the database; the invalidator tails the database's commit log
        // and deletes from the caches.
        NodeId::Flusher(_) | NodeId::Invalidator(_) => 4,
        NodeId::Consumer(_) | NodeId::Bus(_) | NodeId::Relay(_) => 5,
    }
}
const COLUMNS: usize = 6;

/// The order within a column, top to bottom: the caches over the database and its
/// replicas; the consumer (by the cache) over the bus over the relay (by the database).
/// In the second region (no database there) a replica goes first, nearest its primary
/// above, so the replication line does not cross the region's cache.
fn rank(id: NodeId, region: u8) -> (u8, NodeId) {
    let r = match id {
        NodeId::Consumer(_) => 0,
        NodeId::Bus(_) => 1,
        NodeId::Relay(_) => 2,
        NodeId::Replica(_) if region == 2 => 2,
        _ => 3,
    };
    (r, id)
}

/// The width of a node's box in the wide layout.
fn wide_w(id: NodeId) -> f64 {
    match id {
        NodeId::Service(_) => 230.0,
        // The CDN edge holds stored responses as a cache node holds keys: the same
        // width, so `user:1 = v1 ≠ db` is one line (at 124 it wrapped).
        NodeId::Cache(_) | NodeId::Cdn | NodeId::Db(_) | NodeId::Bus(_) | NodeId::Consumer(_) => {
            160.0
        }
        NodeId::Replica(_) => 150.0,
        _ => 124.0,
    }
}

/// The nodes of each region (1, then 2 if it has any), each as its columns: empty
/// where the region has no node of those kinds.
fn bands(v: &View) -> Vec<(u8, Vec<Vec<NodeId>>)> {
    let mut out = Vec::new();
    for region in [1, 2] {
        let mut cols = vec![Vec::new(); COLUMNS];
        for n in v.nodes.iter().filter(|n| n.region.max(1) == region) {
            cols[column(n.id)].push(n.id);
        }
        for c in &mut cols {
            c.sort_by_key(|id| rank(*id, region));
        }
        if region == 1 || cols.iter().any(|c| !c.is_empty()) {
            out.push((region, cols));
        }
    }
    out
}

/// Every node placed, and the drawing's width and height.
pub fn place(v: &View, layout: Layout) -> (Vec<Placed>, f64, f64) {
    match layout {
        Layout::Wide => wide(v),
        Layout::Narrow => narrow(v),
    }
}

/// A node's box of width `w`, its lines wrapped to it, at (x, y) = (0, 0).
fn sized(v: &View, id: NodeId, w: f64, region: u8) -> Placed {
    let lines = inside::wrap(lines(v, id), chars(w));
    Placed {
        id,
        x: 0.0,
        y: 0.0,
        w,
        // Under the last state line, a margin, so its box's border shows below it
        // (review session 12, V11: `user:1 = v1 ≠ db` sat on the border).
        h: HEAD_H + LINE_H * lines.len() as f64 + if lines.is_empty() { 0.0 } else { 5.0 },
        region,
        lines,
    }
}

/// Columns left to right (a column no region uses takes no room); each region a band
/// of the same columns, the second under the first; in a band, each column spreads its
/// nodes over the band's height.
fn wide(v: &View) -> (Vec<Placed>, f64, f64) {
    const GAP: f64 = 22.0;
    const COL_GAP: f64 = 56.0;
    let bands: Vec<(u8, Vec<Vec<Placed>>)> = bands(v)
        .into_iter()
        .map(|(region, cols)| {
            let cols = cols
                .into_iter()
                .map(|c| {
                    c.into_iter()
                        .map(|id| sized(v, id, wide_w(id), region))
                        .collect()
                })
                .collect();
            (region, cols)
        })
        .collect();
    // Each column's width and left edge, over both bands.
    let mut lefts = [0.0; COLUMNS];
    let mut widths = [0.0; COLUMNS];
    let mut left = MARGIN;
    for c in 0..COLUMNS {
        let w = bands
            .iter()
            .flat_map(|(_, cols)| cols[c].iter().map(|n| n.w))
            .fold(0.0, f64::max);
        if w > 0.0 {
            lefts[c] = left;
            widths[c] = w;
            left += w + COL_GAP;
        }
    }
    let stack = |c: &Vec<Placed>| {
        c.iter().map(|n| n.h).sum::<f64>() + GAP * c.len().saturating_sub(1) as f64
    };
    let mut out = Vec::new();
    let mut top = MARGIN;
    let single = bands.len() == 1;
    for (i, (_, cols)) in bands.into_iter().enumerate() {
        // At least tall enough for the storage column to keep a visible gap; the
        // second region's band as tall as its nodes.
        let least = match (single, i) {
            (true, _) => 260.0,
            (false, 0) => 160.0,
            _ => 0.0,
        };
        let inner = cols.iter().map(stack).fold(least, f64::max);
        for (c, col) in cols.into_iter().enumerate() {
            let used: f64 = col.iter().map(|n| n.h).sum();
            let n = col.len() as f64;
            // Space between (first at the top, last at the bottom) for storage and the
            // pipeline; clients and lone nodes spread evenly around the middle.
            let (mut y, gap) = if col.len() <= 1 {
                (top + (inner - used) / 2.0, 0.0)
            } else if c == 0 {
                let gap = ((inner - used) / n).min(60.0);
                (top + (inner - used - gap * (n - 1.0)) / 2.0, gap)
            } else {
                (top, (inner - used) / (n - 1.0))
            };
            for mut p in col {
                p.x = lefts[c] + widths[c] / 2.0;
                p.y = y + p.h / 2.0;
                y += p.h + gap;
                out.push(p);
            }
        }
        top += inner + BAND_GAP;
    }
    (out, left - COL_GAP + MARGIN, top - BAND_GAP + MARGIN)
}

/// Rows top to bottom, at most three clients or two other nodes a row (a column of the
/// flow wraps); each
/// row spreads its nodes over the width; the second region's rows after the first's.
fn narrow(v: &View) -> (Vec<Placed>, f64, f64) {
    const GAP: f64 = 8.0;
    const ROW_GAP: f64 = 40.0;
    let mut out = Vec::new();
    let mut top = MARGIN;
    for (i, (region, cols)) in bands(v).into_iter().enumerate() {
        if i > 0 {
            top += BAND_GAP - ROW_GAP;
        }
        // Clients are short: three a row; other boxes hold state: two a row.
        let rows: Vec<Vec<NodeId>> = cols
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.chunks(if i == 0 { 3 } else { 2 }).map(<[NodeId]>::to_vec))
            .collect();
        for row in rows {
            let n = row.len() as f64;
            let w = ((NARROW_W - 2.0 * MARGIN - GAP * (n - 1.0)) / n).min(240.0);
            let placed: Vec<Placed> = row.into_iter().map(|id| sized(v, id, w, region)).collect();
            let row_h = placed.iter().map(|p| p.h).fold(0.0, f64::max);
            let span = w * n + GAP * (n - 1.0);
            let mut x = (NARROW_W - span) / 2.0 + w / 2.0;
            for mut p in placed {
                p.x = x;
                p.y = top + row_h / 2.0;
                x += w + GAP;
                out.push(p);
            }
            top += row_h + ROW_GAP;
        }
    }
    (out, NARROW_W, top - ROW_GAP + MARGIN)
}

/// The box drawn around the nodes of region `region` (left, top, right, bottom), its
/// label above the nodes inside it, at least `label_w` wide (grown evenly, within the
/// drawing's `width`); `None` when no node is in it.
pub fn region_box(
    nodes: &[Placed],
    region: u8,
    label_w: f64,
    width: f64,
) -> Option<(f64, f64, f64, f64)> {
    let inside: Vec<&Placed> = nodes.iter().filter(|n| n.region == region).collect();
    if inside.is_empty() {
        return None;
    }
    let l = inside
        .iter()
        .map(|n| n.x - n.w / 2.0)
        .fold(f64::MAX, f64::min);
    let t = inside
        .iter()
        .map(|n| n.y - n.h / 2.0)
        .fold(f64::MAX, f64::min);
    let r = inside
        .iter()
        .map(|n| n.x + n.w / 2.0)
        .fold(f64::MIN, f64::max);
    let b = inside
        .iter()
        .map(|n| n.y + n.h / 2.0)
        .fold(f64::MIN, f64::max);
    let grow = ((label_w - (r - l)) / 2.0).max(0.0);
    Some((
        (l - GROUP_PAD - grow).max(2.0),
        t - GROUP_PAD - GROUP_LABEL_H,
        (r + GROUP_PAD + grow).min(width - 2.0),
        b + GROUP_PAD,
    ))
}
