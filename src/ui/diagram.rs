//! The SVG diagram: one box per node, the links between them, and every message in
//! flight drawn along its link at its nominal progress. A new message glides out of its
//! sender (CSS animation, off under `prefers-reduced-motion`); the state never waits
//! for the animation.
use super::session::Actions;
use crate::sim::view::{InFlightView, NodeView, View as SimView};
use crate::sim::NodeId;
use leptos::prelude::*;

const WIDTH: f64 = 880.0;
const HEIGHT: f64 = 400.0;
const NODE_W: f64 = 124.0;
const NODE_H: f64 = 52.0;

/// Whole SVG units: integers print without pulling float formatting into the bundle.
fn px(v: f64) -> i32 {
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

#[component]
pub fn Diagram(view: Memo<SimView>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let actor = move || a.session.with(|s| s.run.records().last().map(|r| r.actor));
    let nodes = move || view.with(|v| v.nodes.clone());
    let edge_views = move || {
        let nodes = nodes();
        links(&nodes)
            .into_iter()
            .map(|(from, to)| {
                let (x1, y1) = position(from, &nodes);
                let (x2, y2) = position(to, &nodes);
                view! { <line class="link" x1=px(x1) y1=px(y1) x2=px(x2) y2=px(y2) /> }
            })
            .collect_view()
    };
    let node_views = move || {
        let nodes = nodes();
        let last = actor();
        nodes
            .iter()
            .map(|n| {
                let (x, y) = position(n.id, &nodes);
                let class = format!(
                    "node node-{} {}{}",
                    role(n.id).replace(' ', "-"),
                    n.status.name(),
                    if Some(n.id) == last { " active" } else { "" }
                );
                let label = format!("{}: {}, {}", n.id, role(n.id), n.note);
                view! {
                    <g data-testid="node" data-node=n.id.to_string() data-status=n.status.name() class=class
                        transform=format!("translate({},{})", px(x), px(y)) role="img" aria-label=label>
                        <rect x=px(-NODE_W / 2.0) y=px(-NODE_H / 2.0) width=px(NODE_W) height=px(NODE_H) rx="10" />
                        <text class="node-name" y="-4">{n.id.to_string()}</text>
                        <text class="node-note" y="14">{n.note.clone()}</text>
                    </g>
                }
            })
            .collect_view()
    };
    let message_views = move || {
        view.with(|v| {
            let mut lanes: Vec<((NodeId, NodeId), usize)> = Vec::new();
            v.in_flight
                .iter()
                .map(|m| {
                    let pair = if m.from < m.to { (m.from, m.to) } else { (m.to, m.from) };
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
                    let ((x, y), (fx, fy)) = place(m, lane, v.now_ms, &v.nodes);
                    let style = format!("--from-x:{}px;--from-y:{}px", px(fx - x), px(fy - y));
                    let lit = a.hovered.with(|h| h.as_deref() == Some(m.id.as_str()));
                    let title = format!("{} {} → {}: {} (due {} ms)", m.id, m.from, m.to, m.label, m.arrive_ms);
                    view! {
                        <g data-testid="in-flight" data-message=m.id.clone() data-from=m.from.to_string()
                            data-to=m.to.to_string() data-kind=m.kind
                            class=format!("msg kind-{}{}", m.kind, if lit { " lit" } else { "" })
                            transform=format!("translate({},{})", px(x), px(y))>
                            <title>{title}</title>
                            <g class="msg-fly" style=style>
                                <circle r="7" />
                                <text class="msg-label" y="-12">{m.label.clone()}</text>
                            </g>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="diagram">
            <svg viewBox=format!("0 0 {} {}", px(WIDTH), px(HEIGHT)) role="group" aria-label="Diagram of the nodes and the messages in flight">
                <g class="links">{edge_views}</g>
                <g class="nodes">{node_views}</g>
                <g class="messages">{message_views}</g>
            </svg>
            <figcaption>
                {move || view.with(|v| {
                    let n = v.in_flight.len();
                    format!("t = {} ms · {} message{} in flight", v.now_ms, n, if n == 1 { "" } else { "s" })
                })}
                {move || view.with(|v| {
                    v.timers
                        .iter()
                        .map(|t| view! { <span class="timer">{format!("timer: {} at {} ms", t.label, t.at_ms)}</span> })
                        .collect_view()
                })}
            </figcaption>
        </figure>
    }
}
