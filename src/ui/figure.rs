//! The diagram as SVG markup, a plain function of a `sim::view::View`: one box per
//! node with the state it holds written inside (see `layout.rs`), the links between
//! them, and every message in flight drawn along its link at its nominal progress,
//! labelled with its id (the id a fault names: `drop m13`) and, where there is room,
//! what it carries. See `markup.rs` for why this is text and not `view!`.
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks the markup natively;
//! `diagram.rs` only sets it.
use super::layout::{self, Layout, Placed, LINE_H};
use super::markup::Markup;
use crate::sim::view::{InFlightView, View};
use crate::sim::NodeId;

/// Whole SVG units: integers print without pulling float formatting into the bundle.
pub fn px(v: f64) -> i32 {
    v.round() as i32
}

/// The width of a character of the monospace labels (11 px), for laying them out.
const CHAR_W: f64 = 6.7;
/// The message marker: a pill holding the message's id.
const PILL_H: f64 = 18.0;

/// The links drawn when both ends are in the scenario.
fn links(nodes: &[Placed]) -> Vec<(NodeId, NodeId)> {
    let has = |id: NodeId| nodes.iter().any(|n| n.id == id);
    let mut out: Vec<(NodeId, NodeId)> = nodes
        .iter()
        .filter(|n| n.id.is_client())
        .map(|n| (n.id, NodeId::SERVICE))
        .collect();
    let fixed = [
        (NodeId::SERVICE, NodeId::CACHE),
        (NodeId::SERVICE, NodeId::Db),
        (NodeId::SERVICE, NodeId::Bus),
        (NodeId::Db, NodeId::Relay),
        (NodeId::Relay, NodeId::Bus),
        (NodeId::Bus, NodeId::Consumer),
        (NodeId::Consumer, NodeId::CACHE),
        (NodeId::CACHE, NodeId::Flusher),
        (NodeId::Flusher, NodeId::Db),
        (NodeId::Db, NodeId::Replica(1)),
        (NodeId::SERVICE, NodeId::Replica(1)),
    ];
    out.extend(fixed.into_iter().filter(|(a, b)| has(*a) && has(*b)));
    out
}

fn role(id: NodeId) -> &'static str {
    match id {
        NodeId::Reader(_) => "client",
        NodeId::Writer(_) => "client",
        NodeId::Service(_) => "app",
        NodeId::Cache(_) => "cache",
        NodeId::Cdn => "edge cache",
        NodeId::Db => "database",
        NodeId::Replica(_) => "read replica",
        NodeId::Invalidator => "CDC invalidator",
        NodeId::Bus => "event bus",
        NodeId::Relay => "outbox relay",
        NodeId::Consumer => "invalidator",
        NodeId::Flusher => "write-behind",
    }
}

/// What a message kind is, for its colour and the legend: a request, an answer, or
/// an invalidation (a delete or an event).
pub fn category(kind: &str) -> &'static str {
    if kind == "del" || kind == "event" {
        "inval"
    } else if kind.ends_with("-reply")
        || kind.ends_with("-ok")
        || kind.ends_with("ack")
        || matches!(kind, "marked" | "outbox-row" | "outbox-empty" | "nack")
    {
        "reply"
    } else {
        "req"
    }
}

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

/// What the diagram marks beyond the state itself.
pub struct Marks<'a> {
    /// The node that acted in the last step.
    pub actor: Option<NodeId>,
    /// The message a "what can happen next" entry points at.
    pub hovered: Option<&'a str>,
    /// The messages numbered from this on were sent by the step just taken: they glide
    /// out of their sender (0 at the start: everything is new).
    pub sent_from: u32,
    /// The virtual time of the state before the step just taken: the messages still
    /// in flight glide from where they were then. `None`: they do not move.
    pub before_ms: Option<u64>,
    /// How long a glide takes (the time between two steps while playing).
    pub glide_ms: u32,
    pub layout: Layout,
    /// Nodes drawn as differing from another run (side by side).
    pub differs: &'a [NodeId],
    /// Whether nodes and messages carry the contract's test ids (not on the pictures
    /// of side by side, so nothing is counted twice).
    pub test_ids: bool,
}

impl Marks<'_> {
    /// No marks: nothing acted, nothing new, nothing moves.
    pub fn none(layout: Layout) -> Marks<'static> {
        Marks {
            actor: None,
            hovered: None,
            sent_from: u32::MAX,
            before_ms: None,
            glide_ms: 450,
            layout,
            differs: &[],
            test_ids: true,
        }
    }
}

/// A rectangle, for keeping labels apart: (left, top, right, bottom).
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Cuts `text` to `max` characters, with an ellipsis when cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn node(m: &mut Markup, n: &Placed, v: &View, marks: &Marks) {
    let Some(nv) = v.nodes.iter().find(|x| x.id == n.id) else {
        return;
    };
    let stale = n.lines.iter().any(|l| l.class == "stale");
    let class = format!(
        "node node-{} {}{}{}{}",
        role(n.id).replace(' ', "-"),
        nv.status.name(),
        if Some(n.id) == marks.actor {
            " active"
        } else {
            ""
        },
        if stale { " has-stale" } else { "" },
        if marks.differs.contains(&n.id) {
            " differs"
        } else {
            ""
        },
    );
    let id = n.id.to_string();
    let mut label = format!("{id}: {}, {}", role(n.id), nv.note);
    for l in &n.lines {
        label.push_str(". ");
        label.push_str(&l.text);
    }
    let top = -n.h / 2.0;
    m.tag("g")
        .attr_if("data-testid", marks.test_ids.then_some("node"))
        .attr("data-node", &id)
        .attr("data-status", nv.status.name())
        .attr("class", &class)
        .attr("transform", &format!("translate({},{})", px(n.x), px(n.y)))
        .attr("role", "img")
        .attr("aria-label", &label)
        .body()
        .tag("rect")
        .attr("x", &px(-n.w / 2.0).to_string())
        .attr("y", &px(top).to_string())
        .attr("width", &px(n.w).to_string())
        .attr("height", &px(n.h).to_string())
        .attr("rx", "10")
        .empty()
        .tag("text")
        .attr("class", "node-name")
        .attr("y", &px(top + 17.0).to_string())
        .body()
        .text(&id)
        .end("text");
    let chars = ((n.w - 12.0) / CHAR_W) as usize;
    m.tag("text")
        .attr("class", "node-note")
        .attr("y", &px(top + 33.0).to_string())
        .body()
        .text(&fit(&nv.note, chars))
        .end("text");
    let left = px(-n.w / 2.0 + 6.0).to_string();
    for (i, l) in n.lines.iter().enumerate() {
        let y = top + 42.0 + LINE_H * i as f64;
        if l.class == "stale" {
            m.tag("rect")
                .attr("class", "stale-bg")
                .attr("x", &px(-n.w / 2.0 + 3.0).to_string())
                .attr("y", &px(y).to_string())
                .attr("width", &px(n.w - 6.0).to_string())
                .attr("height", &px(LINE_H).to_string())
                .attr("rx", "3")
                .empty();
        }
        m.tag("text")
            .attr("class", &format!("state {}", l.class))
            .attr("x", &left)
            .attr("y", &px(y + 11.5).to_string())
            .body()
            .text(&fit(&l.text, chars))
            .end("text");
    }
    m.end("g");
}

/// The whole `<svg>`: links, then nodes, then messages (drawn on top).
pub fn svg(v: &View, marks: &Marks) -> String {
    svg_markup(v, marks).finish()
}

fn svg_markup(v: &View, marks: &Marks) -> Markup {
    let (nodes, width, height) = layout::place(v, marks.layout);
    let mut m = Markup::new();
    m.tag("svg")
        .attr("viewBox", &format!("0 0 {} {}", px(width), px(height)))
        .attr(
            "class",
            if marks.layout == Layout::Narrow {
                "narrow"
            } else {
                "wide"
            },
        )
        .attr("role", "group")
        .attr(
            "aria-label",
            "Diagram of the nodes, the state they hold, and the messages in flight",
        )
        .body();
    m.fixed("<g class=\"links\">");
    for (from, to) in links(&nodes) {
        let (Some(a), Some(b)) = (
            nodes.iter().find(|n| n.id == from),
            nodes.iter().find(|n| n.id == to),
        ) else {
            continue;
        };
        m.tag("line")
            .attr("class", "link")
            .attr("x1", &px(a.x).to_string())
            .attr("y1", &px(a.y).to_string())
            .attr("x2", &px(b.x).to_string())
            .attr("y2", &px(b.y).to_string())
            .empty();
    }
    m.fixed("</g><g class=\"nodes\">");
    for n in &nodes {
        node(&mut m, n, v, marks);
    }
    m.fixed("</g><g class=\"messages\">");
    messages(&mut m, v, &nodes, marks);
    m.fixed("</g></svg>");
    m
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

fn messages(m: &mut Markup, v: &View, nodes: &[Placed], marks: &Marks) {
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

/// The caption under the diagram: the virtual time, the messages in flight, the timers.
pub fn caption(v: &View) -> String {
    let mut m = Markup::new();
    let n = v.in_flight.len();
    m.text(&format!(
        "t = {} ms · {} message{} in flight",
        v.now_ms,
        n,
        if n == 1 { "" } else { "s" }
    ));
    for t in &v.timers {
        m.leaf(
            "span",
            "timer",
            &format!("timer: {} at {} ms", t.label, t.at_ms),
        );
    }
    m.finish()
}

/// The legend: what the colours and marks of the diagram mean.
pub fn legend() -> &'static str {
    "<span class=\"key cat-req\">m1</span> request \
     <span class=\"key cat-reply\">m2</span> answer \
     <span class=\"key cat-inval\">m3</span> delete or event \
     <span class=\"key stale\">≠</span> differs from the database \
     <span class=\"key actor\"></span> acted last · a message's id is what a fault names"
}

/// The nodes whose drawn state (status, note or lines) differs between two views.
pub fn differing(left: &View, right: &View) -> Vec<NodeId> {
    left.nodes
        .iter()
        .filter(|n| {
            let other = right.nodes.iter().find(|o| o.id == n.id);
            other.is_none_or(|o| {
                o.status != n.status
                    || o.note != n.note
                    || layout::lines(left, n.id) != layout::lines(right, n.id)
            })
        })
        .map(|n| n.id)
        .collect()
}

/// Two diagrams side by side (left: the run shown; right: the same choices with other
/// fixes), the nodes that differ marked on both. Test ids are only on the page's own
/// diagram, so these are plain pictures with a caption each.
pub fn pair(left: &View, right: &View, layout: Layout) -> String {
    let differs = differing(left, right);
    let marks = Marks {
        differs: &differs,
        test_ids: false,
        ..Marks::none(layout)
    };
    let mut m = Markup::new();
    for (side, v) in [("left", left), ("right", right)] {
        let drawn = svg_markup(v, &marks);
        m.tag("figure")
            .attr("class", &format!("side {side}"))
            .attr("data-side", side)
            .body()
            .leaf(
                "figcaption",
                "",
                &format!("{side}: {} message(s) in flight", v.in_flight.len()),
            );
        m.append(drawn);
        m.end("figure");
    }
    if !differs.is_empty() {
        let names: Vec<String> = differs.iter().map(|n| n.to_string()).collect();
        m.leaf(
            "p",
            "sub differs-note",
            &format!(
                "Marked (dashed): {} {} here.",
                names.join(", "),
                if names.len() == 1 {
                    "differs"
                } else {
                    "differ"
                }
            ),
        );
    }
    m.finish()
}
