//! The diagram as SVG markup, a plain function of a `sim::view::View`: one box per
//! node, the links between them, and every message in flight drawn along its link at
//! its nominal progress. See `markup.rs` for why this is text and not `view!`.
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks the markup natively;
//! `diagram.rs` only sets it.
use super::markup::Markup;
use crate::sim::view::{InFlightView, NodeView, View};
use crate::sim::NodeId;

pub const WIDTH: f64 = 880.0;
pub const HEIGHT: f64 = 400.0;
const NODE_W: f64 = 124.0;
const NODE_H: f64 = 52.0;

/// Whole SVG units: integers print without pulling float formatting into the bundle.
pub fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Where each node sits. Clients stack in the left column.
fn position(id: NodeId, nodes: &[NodeView]) -> (f64, f64) {
    match id {
        NodeId::Reader(_) | NodeId::Writer(_) => {
            // Called for every node and message on every frame: count, do not collect.
            let clients = nodes.iter().map(|n| n.id).filter(|n| n.is_client());
            let i = clients.clone().position(|c| c == id).unwrap_or(0) as f64;
            let n = clients.count().max(1) as f64;
            let gap = ((HEIGHT - 40.0) / n).min(110.0);
            let top = HEIGHT / 2.0 - gap * (n - 1.0) / 2.0;
            (80.0, top + gap * i)
        }
        NodeId::Service => (290.0, 200.0),
        NodeId::Cache => (530.0, 80.0),
        NodeId::Db => (530.0, 320.0),
        NodeId::Flusher => (660.0, 200.0),
        NodeId::Relay => (800.0, 320.0),
        NodeId::Bus => (800.0, 200.0),
        NodeId::Consumer => (800.0, 80.0),
    }
}

/// The links drawn when both ends are in the scenario.
fn links(nodes: &[NodeView]) -> Vec<(NodeId, NodeId)> {
    let has = |id: NodeId| nodes.iter().any(|n| n.id == id);
    let mut out: Vec<(NodeId, NodeId)> = nodes
        .iter()
        .filter(|n| n.id.is_client())
        .map(|n| (n.id, NodeId::Service))
        .collect();
    let fixed = [
        (NodeId::Service, NodeId::Cache),
        (NodeId::Service, NodeId::Db),
        (NodeId::Service, NodeId::Bus),
        (NodeId::Db, NodeId::Relay),
        (NodeId::Relay, NodeId::Bus),
        (NodeId::Bus, NodeId::Consumer),
        (NodeId::Consumer, NodeId::Cache),
        (NodeId::Cache, NodeId::Flusher),
        (NodeId::Flusher, NodeId::Db),
    ];
    out.extend(fixed.into_iter().filter(|(a, b)| has(*a) && has(*b)));
    out
}

fn role(id: NodeId) -> &'static str {
    match id {
        NodeId::Reader(_) => "client",
        NodeId::Writer(_) => "client",
        NodeId::Service => "app",
        NodeId::Cache => "cache",
        NodeId::Db => "database",
        NodeId::Bus => "event bus",
        NodeId::Relay => "outbox relay",
        NodeId::Consumer => "invalidator",
        NodeId::Flusher => "write-behind",
    }
}

/// A message's place on its link: its nominal progress, kept off the boxes, and moved
/// sideways when several share a link so none hides another.
fn place(
    m: &InFlightView,
    lane: usize,
    now_ms: u64,
    nodes: &[NodeView],
) -> ((f64, f64), (f64, f64)) {
    let (x0, y0) = position(m.from, nodes);
    let (x1, y1) = position(m.to, nodes);
    let span = m.arrive_ms.saturating_sub(m.sent_ms).max(1) as f64;
    let progress = (now_ms.saturating_sub(m.sent_ms) as f64 / span).clamp(0.0, 1.0);
    let t = 0.3 + 0.4 * progress;
    let (dx, dy) = (x1 - x0, y1 - y0);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let k = lane.div_ceil(2) as f64 * 18.0;
    let side = if lane % 2 == 1 { -k } else { k };
    let (nx, ny) = (-dy / len * side, dx / len * side);
    let at = (x0 + dx * t + nx, y0 + dy * t + ny);
    let from = (x0 + dx * 0.2 + nx, y0 + dy * 0.2 + ny);
    (at, from)
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
}

/// The inside of the `<svg>`: links, then nodes, then messages (drawn on top).
pub fn svg(v: &View, marks: &Marks) -> String {
    let mut m = Markup::new();
    let nodes = &v.nodes;
    m.fixed("<g class=\"links\">");
    for (from, to) in links(nodes) {
        let (x1, y1) = position(from, nodes);
        let (x2, y2) = position(to, nodes);
        m.tag("line")
            .attr("class", "link")
            .attr("x1", &px(x1).to_string())
            .attr("y1", &px(y1).to_string())
            .attr("x2", &px(x2).to_string())
            .attr("y2", &px(y2).to_string())
            .empty();
    }
    m.fixed("</g><g class=\"nodes\">");
    for n in nodes {
        let (x, y) = position(n.id, nodes);
        let class = format!(
            "node node-{} {}{}",
            role(n.id).replace(' ', "-"),
            n.status.name(),
            if Some(n.id) == marks.actor {
                " active"
            } else {
                ""
            }
        );
        let id = n.id.to_string();
        m.tag("g")
            .attr("data-testid", "node")
            .attr("data-node", &id)
            .attr("data-status", n.status.name())
            .attr("class", &class)
            .attr("transform", &format!("translate({},{})", px(x), px(y)))
            .attr("role", "img")
            .attr(
                "aria-label",
                &format!("{}: {}, {}", n.id, role(n.id), n.note),
            )
            .body()
            .tag("rect")
            .attr("x", &px(-NODE_W / 2.0).to_string())
            .attr("y", &px(-NODE_H / 2.0).to_string())
            .attr("width", &px(NODE_W).to_string())
            .attr("height", &px(NODE_H).to_string())
            .attr("rx", "10")
            .empty()
            .tag("text")
            .attr("class", "node-name")
            .attr("y", "-4")
            .body()
            .text(&id)
            .end("text")
            .tag("text")
            .attr("class", "node-note")
            .attr("y", "14")
            .body()
            .text(&n.note)
            .end("text")
            .end("g");
    }
    m.fixed("</g><g class=\"messages\">");
    let mut lanes: Vec<((NodeId, NodeId), usize)> = Vec::new();
    for f in &v.in_flight {
        let pair = if f.from < f.to {
            (f.from, f.to)
        } else {
            (f.to, f.from)
        };
        let lane = match lanes.iter_mut().find(|(p, _)| *p == pair) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                lanes.push((pair, 0));
                0
            }
        };
        let ((x, y), (fx, fy)) = place(f, lane, v.now_ms, nodes);
        let lit = marks.hovered == Some(f.id.as_str());
        m.tag("g")
            .attr("data-testid", "in-flight")
            .attr("data-message", &f.id)
            .attr("data-from", &f.from.to_string())
            .attr("data-to", &f.to.to_string())
            .attr("data-kind", f.kind)
            .attr(
                "class",
                &format!("msg kind-{}{}", f.kind, if lit { " lit" } else { "" }),
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
        if f.seq >= marks.sent_from {
            m.attr("class", "msg-fly").attr(
                "style",
                &format!("--from-x:{}px;--from-y:{}px", px(fx - x), px(fy - y)),
            );
        }
        m.body()
            .fixed("<circle r=\"7\"/>")
            .tag("text")
            .attr("class", "msg-label")
            .attr("y", "-12")
            .body()
            .text(&f.label)
            .end("text")
            .end("g")
            .end("g");
    }
    m.fixed("</g>");
    m.finish()
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
