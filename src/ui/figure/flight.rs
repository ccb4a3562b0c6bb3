//! The messages in flight, drawn on the diagram: each a pill with its id (the id a
//! fault names: `drop m13`) on its link at its nominal progress, moved sideways when
//! several share a link, gliding from where it was before the step just taken, and
//! labelled with what it carries where there is room: a label never covers a node, a
//! pill or another label (`label_spot`).
//!
//! Architecture Invariant: no Leptos here; part of `figure.rs`.
use super::{category, px, Marks, CHAR_W};
use crate::sim::view::{InFlightView, View};
use crate::sim::NodeId;
use crate::ui::layout::Placed;
use crate::ui::markup::Markup;

/// The message marker: a pill holding the message's id.
const PILL_H: f64 = 18.0;

/// How far from a box's centre, along (dx, dy), its edge is (as a fraction of the
/// vector).
fn exit(n: &Placed, dx: f64, dy: f64) -> f64 {
    let tx = if dx.abs() > 1e-9 {
        n.w / 2.0 / dx.abs()
    } else {
        f64::MAX
    };
    let ty = if dy.abs() > 1e-9 {
        n.h / 2.0 / dy.abs()
    } else {
        f64::MAX
    };
    tx.min(ty).min(0.5)
}

/// Where a message sits on its link at virtual time `at_ms`: its progress along the
/// part of the link between the two boxes, moved sideways when several share a link.
fn spot(m: &InFlightView, lane: usize, at_ms: u64, nodes: &[Placed]) -> Option<(f64, f64)> {
    let a = nodes.iter().find(|n| n.id == m.from)?;
    let b = nodes.iter().find(|n| n.id == m.to)?;
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (t0, t1) = (exit(a, dx, dy), 1.0 - exit(b, dx, dy));
    let span = m.arrive_ms.saturating_sub(m.sent_ms).max(1) as f64;
    let progress = (at_ms.saturating_sub(m.sent_ms) as f64 / span).clamp(0.0, 1.0);
    // Keep the pill off the boxes: from a fifth to four fifths of the open stretch.
    let t = t0 + (t1 - t0) * (0.2 + 0.6 * progress);
    let k = lane.div_ceil(2) as f64 * (PILL_H + 3.0);
    let side = if lane % 2 == 1 { -k } else { k };
    let (nx, ny) = (-dy / len * side, dx / len * side);
    Some((a.x + dx * t + nx, a.y + dy * t + ny))
}

/// A rectangle, for keeping labels apart: (left, top, right, bottom).
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The lane of each message: its index among the messages on the same link.
fn lanes(v: &View) -> Vec<usize> {
    let mut seen: Vec<((NodeId, NodeId), usize)> = Vec::new();
    v.in_flight
        .iter()
        .map(|f| {
            let pair = if f.from < f.to {
                (f.from, f.to)
            } else {
                (f.to, f.from)
            };
            match seen.iter_mut().find(|(p, _)| *p == pair) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((pair, 0));
                    0
                }
            }
        })
        .collect()
}

/// `size`: the drawing's width and height (a label past them is cut off).
pub(super) fn messages(
    m: &mut Markup,
    v: &View,
    nodes: &[Placed],
    marks: &Marks,
    size: (f64, f64),
) {
    let lanes = lanes(v);
    let spots: Vec<Option<(f64, f64)>> = v
        .in_flight
        .iter()
        .zip(&lanes)
        .map(|(f, lane)| spot(f, *lane, v.now_ms, nodes))
        .collect();
    // Taken space: the boxes and every pill; labels are added as they are placed.
    let mut taken: Vec<Rect> = nodes
        .iter()
        .map(|n| {
            (
                n.x - n.w / 2.0,
                n.y - n.h / 2.0,
                n.x + n.w / 2.0,
                n.y + n.h / 2.0,
            )
        })
        .collect();
    // Past the right and the bottom edge counts as taken: a label there would be cut
    // off (review 28: labels clipped at the diagram's right edge).
    let (width, height) = size;
    taken.push((width, f64::MIN, f64::MAX, f64::MAX));
    taken.push((f64::MIN, height, f64::MAX, f64::MAX));
    for (f, s) in v.in_flight.iter().zip(&spots) {
        if let Some((x, y)) = s {
            let w = pill_w(&f.id);
            taken.push((x - w / 2.0, y - PILL_H / 2.0, x + w / 2.0, y + PILL_H / 2.0));
        }
    }
    for ((f, lane), s) in v.in_flight.iter().zip(&lanes).zip(&spots) {
        let Some((x, y)) = *s else { continue };
        let lit = marks.hovered == Some(f.id.as_str());
        m.tag("g")
            .attr_if("data-testid", marks.test_ids.then_some("in-flight"))
            .attr("data-message", &f.id)
            .attr("data-from", &f.from.to_string())
            .attr("data-to", &f.to.to_string())
            .attr("data-kind", f.kind)
            .attr(
                "class",
                &format!(
                    "msg kind-{} cat-{}{}",
                    f.kind,
                    category(f.kind),
                    if lit { " lit" } else { "" }
                ),
            )
            .attr("transform", &format!("translate({},{})", px(x), px(y)))
            .body()
            .tag("title")
            .body()
            .text(&format!(
                "{} {} → {}: {} (due {} ms)",
                f.id, f.from, f.to, f.label, f.arrive_ms
            ))
            .end("title")
            .tag("g");
        // Where it glides from: out of its sender if the step just taken sent it,
        // else from where it was before that step.
        let from = if f.seq >= marks.sent_from {
            Some((
                "msg-fly",
                spot(f, *lane, f.sent_ms.saturating_sub(1), nodes),
            ))
        } else {
            marks
                .before_ms
                .filter(|b| *b < v.now_ms)
                .map(|b| ("msg-move", spot(f, *lane, b, nodes)))
        };
        if let Some((class, Some((fx, fy)))) = from {
            m.attr("class", class).attr(
                "style",
                &format!(
                    "--from-x:{}px;--from-y:{}px;--glide:{}ms",
                    px(fx - x),
                    px(fy - y),
                    marks.glide_ms
                ),
            );
        }
        let w = pill_w(&f.id);
        m.body()
            .tag("rect")
            .attr("class", "pill")
            .attr("x", &px(-w / 2.0).to_string())
            .attr("y", &px(-PILL_H / 2.0).to_string())
            .attr("width", &px(w).to_string())
            .attr("height", &px(PILL_H).to_string())
            .attr("rx", "9")
            .empty()
            .tag("text")
            .attr("class", "msg-id")
            .attr("y", "4")
            .body()
            .text(&f.id)
            .end("text");
        if let Some((lx, ly, anchor)) = label_spot(&f.label, x, y, w, &mut taken) {
            m.tag("text")
                .attr("class", &format!("msg-label {anchor}"))
                .attr("x", &px(lx).to_string())
                .attr("y", &px(ly).to_string())
                .body()
                .text(&f.label)
                .end("text");
        }
        m.end("g").end("g");
    }
}

fn pill_w(id: &str) -> f64 {
    id.chars().count() as f64 * CHAR_W + 12.0
}

/// A free place for a message's label next to its pill (above, below, right, left),
/// relative to the pill's centre, or `None` when every place would cover something.
fn label_spot(
    label: &str,
    x: f64,
    y: f64,
    pill_w: f64,
    taken: &mut Vec<Rect>,
) -> Option<(f64, f64, &'static str)> {
    let w = label.chars().count() as f64 * CHAR_W + 4.0;
    let half = pill_w / 2.0 + 3.0;
    // (dx, dy of the text's baseline, anchor, left and right relative to the centre);
    // the text spans from 10 above its baseline to 4 below.
    let tries: [(f64, f64, &'static str, f64, f64); 4] = [
        (0.0, -13.0, "mid", -w / 2.0, w / 2.0),
        (0.0, 24.0, "mid", -w / 2.0, w / 2.0),
        (half, 4.0, "start", half, half + w),
        (-half, 4.0, "end", -half - w, -half),
    ];
    for (dx, dy, anchor, l, r) in tries {
        // One unit of room each side: positions are rounded to whole units.
        let abs = (x + l - 1.0, y + dy - 11.0, x + r + 1.0, y + dy + 5.0);
        if abs.0 < 0.0 || abs.1 < 0.0 {
            continue;
        }
        if taken.iter().all(|t| !overlaps(*t, abs)) {
            taken.push(abs);
            return Some((dx, dy, anchor));
        }
    }
    None
}
