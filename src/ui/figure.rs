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
use crate::sim::view::View;
use crate::sim::NodeId;

mod flight;

/// Whole SVG units: integers print without pulling float formatting into the bundle.
pub fn px(v: f64) -> i32 {
    v.round() as i32
}

/// The width of a character of the monospace labels (11 px), for laying them out.
const CHAR_W: f64 = 6.7;

/// The links drawn, each once: the routes the nodes hold (each client to its service,
/// each service to its cache and to where its misses read, the CDN edge to its origin,
/// the invalidator from the
/// commit log it tails to the caches it deletes from), every service to the database
/// it writes, and the fixed paths of the event pipeline, the write-behind queue and
/// replication, where both ends are drawn.
fn links(v: &View, nodes: &[Placed]) -> Vec<(NodeId, NodeId)> {
    let has = |id: NodeId| nodes.iter().any(|n| n.id == id);
    let of = |pick: fn(NodeId) -> bool| nodes.iter().map(|n| n.id).filter(move |id| pick(*id));
    let mut all: Vec<(NodeId, NodeId)> = v.routes.clone();
    all.extend(of(|id| matches!(id, NodeId::Service(_))).map(|s| (s, NodeId::DB)));
    // The first replica's line to db, unless it follows another primary: then, as
    // every other replica's, its line is a route (`View::routes`).
    let routed = v
        .routes
        .iter()
        .any(|(a, b)| *b == NodeId::REPLICA && matches!(a, NodeId::Db(_)));
    all.extend(
        of(|id| id == NodeId::REPLICA)
            .filter(|_| !routed)
            .map(|r| (NodeId::DB, r)),
    );
    all.extend([
        (NodeId::SERVICE, NodeId::BUS),
        (NodeId::DB, NodeId::RELAY),
        (NodeId::RELAY, NodeId::BUS),
        (NodeId::BUS, NodeId::CONSUMER),
        (NodeId::CONSUMER, NodeId::CACHE),
        (NodeId::CACHE, NodeId::FLUSHER),
        (NodeId::FLUSHER, NodeId::DB),
    ]);
    let mut out: Vec<(NodeId, NodeId)> = Vec::new();
    for (a, b) in all {
        if has(a) && has(b) && !out.contains(&(a, b)) && !out.contains(&(b, a)) {
            out.push((a, b));
        }
    }
    out
}

fn role(id: NodeId) -> &'static str {
    match id {
        NodeId::Reader(_) => "client",
        NodeId::Writer(_) => "client",
        NodeId::Service(_) => "app",
        NodeId::Cache(_) => "cache",
        NodeId::Cdn => "edge cache",
        NodeId::Db(_) => "database",
        NodeId::Replica(_) => "read replica",
        NodeId::Invalidator(_) => "CDC invalidator",
        NodeId::Bus(_) => "event bus",
        NodeId::Relay(_) => "outbox relay",
        NodeId::Consumer(_) => "invalidator",
        NodeId::Flusher(_) => "write-behind",
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
    // In words, each line whole (not as wrapped to the box).
    for l in &layout::lines(v, n.id) {
        label.push_str(". ");
        label.push_str(&l.text);
    }
    let top = -n.h / 2.0;
    m.tag("g")
        .attr_if("data-testid", marks.test_ids.then_some("node"))
        .attr("data-node", &id)
        .attr("data-status", nv.status.name())
        .attr_if("data-region", (n.region == 2).then_some("2"))
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
    // A note a little too long for its box is drawn narrower (up to a quarter), so that
    // its last word, often the number that matters, is not cut; a longer one is cut.
    let room = ((n.w - 12.0) / CHAR_W) as usize;
    let len = nv.note.chars().count();
    let squeeze = (len > room && len * 4 <= room * 5).then(|| px(n.w - 12.0).to_string());
    m.tag("text")
        .attr("class", "node-note")
        .attr("y", &px(top + 33.0).to_string())
        .attr_if("textLength", squeeze.as_deref())
        .attr_if("lengthAdjust", squeeze.as_ref().map(|_| "spacingAndGlyphs"))
        .body()
        .text(&layout::fit(
            &nv.note,
            if squeeze.is_some() { len } else { room },
        ))
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
            .text(&l.text)
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
    // The second region: a group around its nodes, named, with what a hop to the
    // first costs.
    let label = if v.cross_region_ms > 0 {
        format!("region 2 · +{} ms to region 1", v.cross_region_ms)
    } else {
        "region 2".to_string()
    };
    let label_w = label.chars().count() as f64 * 7.3 + 20.0;
    if let Some((l, t, r, b)) = layout::region_box(&nodes, 2, label_w, width) {
        m.fixed("<g class=\"region\" data-region=\"2\">");
        m.tag("rect")
            .attr("x", &px(l).to_string())
            .attr("y", &px(t).to_string())
            .attr("width", &px(r - l).to_string())
            .attr("height", &px(b - t).to_string())
            .attr("rx", "12")
            .empty();
        m.tag("text")
            .attr("x", &px(l + 10.0).to_string())
            .attr("y", &px(t + layout::GROUP_LABEL_H - 2.0).to_string())
            .body()
            .text(&label)
            .end("text");
        m.fixed("</g>");
    }
    m.fixed("<g class=\"links\">");
    for (from, to) in links(v, &nodes) {
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
    flight::messages(&mut m, v, &nodes, marks, (width, height));
    m.fixed("</g></svg>");
    m
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

/// The legend: what the colours and marks of the diagram mean. Each mark and its words
/// are one item of the wrapping row, so a narrow screen never puts a mark at the end of
/// one line and its meaning on the next (review 31, at 360 px).
pub fn legend() -> &'static str {
    "<span><span class=\"key cat-req\">m1</span> request</span> \
     <span><span class=\"key cat-reply\">m2</span> answer</span> \
     <span><span class=\"key cat-inval\">m3</span> delete or event</span> \
     <span><span class=\"key stale\">≠</span> differs from what follows it (the database, or an acked write)</span> \
     <span><span class=\"key actor\"></span> acted last · a message's id is what a fault names</span>"
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
                &match v.in_flight.len() {
                    1 => format!("{side}: 1 message in flight"),
                    n => format!("{side}: {n} messages in flight"),
                },
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
