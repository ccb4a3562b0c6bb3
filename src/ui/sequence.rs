//! The sequence diagram as SVG markup, a plain function of a `sim::sequence::Sequence`:
//! a lane per node, a row per step (time goes down), a line per message from the row
//! that sent it to the row that delivered it, and the current step highlighted. See
//! `markup.rs` for why this is text and not `view!`.
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks the markup natively
//! (tests/sequence_markup.rs); `seqview.rs` only sets it.
use super::figure::px;
use super::markup::Markup;
use crate::sim::fold::Row;
use crate::sim::notes::Notes;
use crate::sim::sequence::{End, SeqMessage, Sequence};

/// The left gutter with the step numbers.
pub const GUTTER_W: f64 = 44.0;
pub const LANE_W: f64 = 112.0;
/// The column right of the lanes: each step's event and its note.
pub const SIDE_W: f64 = 300.0;
pub const HEAD_H: f64 = 44.0;
pub const ROW_H: f64 = 26.0;

/// The narrowest a lane gets to fit its box: eight lanes fit the 1280×720 column. Below
/// `NAME_W` the lane names take two rows, so each has the width of two lanes.
pub const LANE_MIN_W: f64 = 52.0;
/// The narrowest the events column gets (`123 ms · deliver m17` fits).
pub const SIDE_MIN_W: f64 = 170.0;
/// The width of a character of the lane names (13 px, bold monospace).
const NAME_CHAR_W: f64 = 8.2;

/// The widths of the drawing's columns: as wide as the box it is drawn in (lanes
/// narrower down to `LANE_MIN_W`, the events column down to `SIDE_MIN_W`); in a
/// narrower box (a phone) it keeps those widths and its box scrolls sideways, never
/// the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub lane_w: f64,
    pub side_w: f64,
    pub lanes: usize,
}

impl Geometry {
    /// For `lanes` lanes in a box `box_w` px wide (`None`: not measured yet, the full
    /// widths).
    pub fn fit(lanes: usize, box_w: Option<f64>) -> Geometry {
        let n = lanes.max(1);
        let Some(avail) = box_w.filter(|w| w.is_finite() && *w > 0.0) else {
            return Geometry {
                lane_w: LANE_W,
                side_w: SIDE_W,
                lanes: n,
            };
        };
        let lane_w = ((avail - GUTTER_W - SIDE_MIN_W) / n as f64).clamp(LANE_MIN_W, LANE_W);
        let side_w = (avail - GUTTER_W - lane_w * n as f64).clamp(SIDE_MIN_W, SIDE_W);
        Geometry {
            lane_w,
            side_w,
            lanes: n,
        }
    }

    pub fn width(&self) -> f64 {
        GUTTER_W + self.lane_w * self.lanes as f64 + self.side_w
    }

    /// The x of a lane's line.
    fn lane_x(&self, i: usize) -> f64 {
        GUTTER_W + self.lane_w * (i as f64 + 0.5)
    }

    /// Where the events column starts.
    fn side_x(&self) -> f64 {
        GUTTER_W + self.lane_w * self.lanes as f64 + 10.0
    }

    /// Whether the lane names take two rows (every other name higher), because one
    /// of `names` is wider than its lane.
    fn staggered(&self, names: &[String]) -> bool {
        names
            .iter()
            .any(|n| n.chars().count() as f64 * NAME_CHAR_W + 6.0 > self.lane_w)
    }
}

/// The y of the middle of the `i`th row (row 0 is step 0, the start).
pub fn row_y(i: usize) -> f64 {
    HEAD_H + ROW_H * (i as f64 + 0.5)
}

/// Which row each step is drawn on, given the view's rows for steps `1..=now`
/// (`sim::fold::rows`): step 0 is row 0; a folded stretch shares one row.
pub struct RowMap {
    /// `of_step[s]`: the row of step `s`.
    of_step: Vec<usize>,
    /// The rows after row 0.
    rows: Vec<Row>,
}

impl RowMap {
    pub fn new(now: usize, rows: &[Row]) -> RowMap {
        let mut of_step = vec![0; now + 1];
        for (i, r) in rows.iter().enumerate() {
            match r {
                Row::Step(s) if *s <= now => of_step[*s] = i + 1,
                Row::Folded(f) => {
                    let last = f.last.min(now);
                    if f.first <= last {
                        of_step[f.first..=last].fill(i + 1);
                    }
                }
                _ => {}
            }
        }
        RowMap {
            of_step,
            rows: rows.to_vec(),
        }
    }

    /// Every step a row of its own.
    pub fn plain(now: usize) -> RowMap {
        let rows: Vec<Row> = (1..=now).map(Row::Step).collect();
        RowMap::new(now, &rows)
    }

    /// The y of the row that shows `step`.
    pub fn y(&self, step: usize) -> f64 {
        row_y(self.of_step.get(step).copied().unwrap_or(self.rows.len()))
    }

    fn count(&self) -> usize {
        self.rows.len() + 1
    }
}

/// The rows, and one more for the messages still in flight.
pub fn height(map: &RowMap) -> f64 {
    HEAD_H + ROW_H * (map.count() as f64 + 1.0)
}

fn end_step(m: &SeqMessage) -> Option<usize> {
    match m.end {
        End::Delivered(s) | End::Dropped(s) | End::Lost(s) => Some(s),
        End::InFlight => None,
    }
}

fn end_name(m: &SeqMessage) -> &'static str {
    match m.end {
        End::Delivered(_) => "delivered",
        End::Dropped(_) => "dropped",
        End::Lost(_) => "lost",
        End::InFlight => "in-flight",
    }
}

/// A small arrowhead at `(x1, y1)`, pointing along the line from `(x0, y0)`.
fn arrowhead(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x1 - ux * 9.0, y1 - uy * 9.0);
    let (nx, ny) = (-uy * 4.5, ux * 4.5);
    format!(
        "{},{} {},{} {},{}",
        px(x1),
        px(y1),
        px(bx + nx),
        px(by + ny),
        px(bx - nx),
        px(by - ny)
    )
}

/// The whole `<svg>` element: lanes, step rows (a folded stretch is one row, see
/// `sim::fold`), then messages on top. A message sent and ended within one folded row
/// is not drawn: the row counts it.
pub fn svg(seq: &Sequence, notes: &Notes, map: &RowMap, geo: Geometry) -> String {
    let (w, h) = (geo.width(), height(map));
    let mut m = Markup::new();
    m.tag("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("class", "seq-svg")
        .attr("width", &px(w).to_string())
        .attr("height", &px(h).to_string())
        .attr("viewBox", &format!("0 0 {} {}", px(w), px(h)))
        .attr("role", "img")
        .attr(
            "aria-label",
            &format!(
                "Sequence diagram: {} step{}, {} message{}",
                seq.now,
                if seq.now == 1 { "" } else { "s" },
                seq.messages.len(),
                if seq.messages.len() == 1 { "" } else { "s" }
            ),
        )
        .body();
    m.tag("rect")
        .attr("class", "seq-bg")
        .attr("width", &px(w).to_string())
        .attr("height", &px(h).to_string())
        .empty();

    // The rows: the step number, the band of the current step, the event and its note.
    m.fixed("<g class=\"seq-steps\">");
    let side_x = geo.side_x();
    let step_row = |m: &mut Markup, step: usize, y: f64| {
        let current = step == seq.now;
        m.tag("g")
            .attr(
                "class",
                if current {
                    "seq-step current"
                } else {
                    "seq-step"
                },
            )
            .attr("data-testid", "seq-step")
            .attr_if("data-current", current.then_some("true"))
            .attr("data-step", &step.to_string())
            .body();
        m.tag("rect")
            .attr("class", "seq-band")
            .attr("x", "0")
            .attr("y", &px(y - ROW_H / 2.0).to_string())
            .attr("width", &px(w).to_string())
            .attr("height", &px(ROW_H).to_string())
            .empty();
        m.tag("text")
            .attr("class", "seq-step-no")
            .attr("x", &px(GUTTER_W - 8.0).to_string())
            .attr("y", &px(y + 4.0).to_string())
            .attr("text-anchor", "end")
            .body()
            .text(&step.to_string())
            .end("text");
        let event = match step.checked_sub(1).and_then(|i| seq.steps.get(i)) {
            Some(s) => format!("{} ms · {}", s.at_ms, s.event),
            None => "start".to_string(),
        };
        m.tag("text")
            .attr("class", "seq-event")
            .attr("x", &px(side_x).to_string())
            .attr("y", &px(y + 4.0).to_string())
            .body()
            .text(&event);
        if let Some(note) = notes.get(step) {
            m.tag("tspan")
                .attr("class", "seq-note")
                .attr("data-testid", "seq-note")
                .attr("data-step", &step.to_string())
                .body()
                .text(&format!("  ✎ {note}"))
                .end("tspan");
        }
        m.end("text").end("g");
    };
    step_row(&mut m, 0, row_y(0));
    for (i, row) in map.rows.iter().enumerate() {
        let y = row_y(i + 1);
        match row {
            Row::Step(step) => step_row(&mut m, *step, y),
            Row::Folded(f) | Row::Unfolded(f) => {
                let folded = matches!(row, Row::Folded(_));
                let hidden = seq
                    .messages
                    .iter()
                    .filter(|msg| {
                        f.contains(msg.sent_step) && end_step(msg).is_some_and(|e| f.contains(e))
                    })
                    .count();
                let (first, last) = (f.first.to_string(), f.last.to_string());
                m.tag("g")
                    .attr("class", if folded { "seq-fold" } else { "seq-fold open" })
                    .attr("data-testid", "seq-fold")
                    .attr("data-fold", &first)
                    .attr("data-first", &first)
                    .attr("data-last", &last)
                    .attr("data-hits", &f.cache_hits.to_string())
                    .attr("role", "button")
                    .attr("tabindex", "0")
                    .attr("aria-expanded", if folded { "false" } else { "true" })
                    .body()
                    .tag("title")
                    .body()
                    .text(&if folded {
                        format!("{}; {hidden} messages. Show these steps.", f.summary())
                    } else {
                        format!("{}. Fold these steps into one row.", f.summary())
                    })
                    .end("title")
                    .tag("rect")
                    .attr("class", "seq-band")
                    .attr("x", "0")
                    .attr("y", &px(y - ROW_H / 2.0).to_string())
                    .attr("width", &px(w).to_string())
                    .attr("height", &px(ROW_H).to_string())
                    .empty()
                    .tag("text")
                    .attr("class", "seq-step-no")
                    .attr("x", &px(GUTTER_W - 8.0).to_string())
                    .attr("y", &px(y + 4.0).to_string())
                    .attr("text-anchor", "end")
                    .body()
                    .text(if folded { "▸" } else { "▾" })
                    .end("text")
                    .tag("text")
                    .attr("class", "seq-event seq-fold-text")
                    .attr("x", &px(GUTTER_W + 4.0).to_string())
                    .attr("y", &px(y + 4.0).to_string())
                    .body()
                    .text(&f.summary())
                    .end("text")
                    .end("g");
            }
        }
    }
    m.fixed("</g>");

    // The lanes: a line down (their names are drawn by `lane_names`, last, on top).
    m.fixed("<g class=\"seq-lanes\">");
    for (i, lane) in seq.lanes.iter().enumerate() {
        let x = px(geo.lane_x(i)).to_string();
        m.tag("line")
            .attr("class", "seq-lane")
            .attr("data-node", &lane.to_string())
            .attr("x1", &x)
            .attr("y1", &px(HEAD_H - 6.0).to_string())
            .attr("x2", &x)
            .attr("y2", &px(h).to_string())
            .empty();
    }
    m.fixed("</g>");

    // The messages.
    m.fixed("<g class=\"seq-messages\">");
    let lane_of = |id| seq.lanes.iter().position(|l| *l == id).unwrap_or(0);
    for (i, msg) in seq.messages.iter().enumerate() {
        // Messages one node sent in one step start at one point: the first's label
        // goes above its line, the second's below, so they do not cover each other.
        let sibling = seq.messages[..i]
            .iter()
            .filter(|o| o.sent_step == msg.sent_step && o.from == msg.from)
            .count();
        let folded_away = map
            .rows
            .iter()
            .any(|r| matches!(r, Row::Folded(f) if f.contains(msg.sent_step) && end_step(msg).is_some_and(|e| f.contains(e))));
        if folded_away {
            continue;
        }
        let (x0, y0) = (geo.lane_x(lane_of(msg.from)), map.y(msg.sent_step));
        let x_to = geo.lane_x(lane_of(msg.to));
        let (x1, y1) = match (msg.end, end_step(msg)) {
            (End::Delivered(_), Some(s)) => (x_to, map.y(s)),
            // A line that never arrives stops short of the receiver.
            (_, Some(s)) => (x0 + (x_to - x0) * 0.6, map.y(s)),
            (_, None) => (x0 + (x_to - x0) * 0.6, map.y(seq.now) + ROW_H * 0.8),
        };
        let current = msg.sent_step == seq.now || end_step(msg) == Some(seq.now);
        let class = format!(
            "seq-msg kind-{} {}{}",
            msg.kind,
            end_name(msg),
            if current { " current" } else { "" }
        );
        let ended = end_step(msg).map(|s| s.to_string());
        m.tag("g")
            .attr("data-testid", "seq-message")
            .attr("data-message", &msg.id)
            .attr("data-step", &msg.sent_step.to_string())
            .attr_if("data-end-step", ended.as_deref())
            .attr("data-end", end_name(msg))
            .attr("data-kind", msg.kind)
            .attr_if("data-current", current.then_some("true"))
            .attr("class", &class)
            .body()
            .tag("title")
            .body()
            .text(&format!(
                "{} {} → {}: {} (sent at step {}, {})",
                msg.id,
                msg.from,
                msg.to,
                msg.label,
                msg.sent_step,
                match msg.end {
                    End::Delivered(s) => format!("delivered at step {s}"),
                    End::Dropped(s) => format!("dropped at step {s}"),
                    End::Lost(s) => format!("lost at step {s}"),
                    End::InFlight => "still in flight".to_string(),
                }
            ))
            .end("title")
            .tag("line")
            .attr("x1", &px(x0).to_string())
            .attr("y1", &px(y0).to_string())
            .attr("x2", &px(x1).to_string())
            .attr("y2", &px(y1).to_string())
            .empty();
        match msg.end {
            End::Delivered(_) => {
                m.tag("polygon")
                    .attr("class", "seq-head")
                    .attr("points", &arrowhead(x0, y0, x1, y1))
                    .empty();
            }
            End::Dropped(_) | End::Lost(_) => {
                m.tag("text")
                    .attr("class", "seq-cross")
                    .attr("x", &px(x1).to_string())
                    .attr("y", &px(y1 + 5.0).to_string())
                    .attr("text-anchor", "middle")
                    .body()
                    .text("✕")
                    .end("text");
            }
            End::InFlight => {}
        }
        // The label sits at the start of the line, on the side it leaves towards.
        let right = x1 >= x0;
        let label_y = match sibling {
            0 => y0 - 4.0,
            n => y0 + 1.0 + 11.0 * n as f64,
        };
        m.tag("text")
            .attr("class", "seq-label")
            .attr("x", &px(x0 + if right { 6.0 } else { -6.0 }).to_string())
            .attr("y", &px(label_y).to_string())
            .attr("text-anchor", if right { "start" } else { "end" })
            .body()
            .text(&format!("{} {}", msg.id, msg.label))
            .end("text")
            .end("g");
    }
    m.fixed("</g>");
    lane_names(&mut m, seq, geo);
    m.fixed("</svg>");
    // The same names again, in a strip that stays at the top of the scrolled box
    // (style.css, the teaching tools: `position: sticky`), so a long run keeps its lanes named. It comes
    // after the drawing, so that the drawing is the box's first `<svg>` (the one a
    // picture is made of), and is hidden from screen readers (the names are above).
    m.tag("svg")
        .attr("class", "seq-svg seq-sticky")
        .attr("width", &px(w).to_string())
        .attr("height", &px(HEAD_H).to_string())
        .attr("viewBox", &format!("0 0 {} {}", px(w), px(HEAD_H)))
        .attr(
            "style",
            &format!("--seq-w:{};--seq-head:{}", px(w), px(HEAD_H)),
        )
        .attr("aria-hidden", "true")
        .body();
    m.tag("rect")
        .attr("class", "seq-bg")
        .attr("width", &px(w).to_string())
        .attr("height", &px(HEAD_H - 4.0).to_string())
        .empty();
    lane_names(&mut m, seq, geo);
    m.fixed("</svg>");
    m.finish()
}

/// The lanes' names over their lines: on one row, or on two (every other name higher)
/// when a name is wider than its lane.
fn lane_names(m: &mut Markup, seq: &Sequence, geo: Geometry) {
    let names: Vec<String> = seq.lanes.iter().map(|l| l.to_string()).collect();
    let two_rows = geo.staggered(&names);
    m.fixed("<g class=\"seq-lane-names\">");
    for (i, name) in names.iter().enumerate() {
        let y = if two_rows && i % 2 == 0 {
            HEAD_H - 28.0
        } else {
            HEAD_H - 12.0
        };
        m.tag("text")
            .attr("class", "seq-lane-name")
            .attr("data-node", name)
            .attr("x", &px(geo.lane_x(i)).to_string())
            .attr("y", &px(y).to_string())
            .attr("text-anchor", "middle")
            .body()
            .text(name)
            .end("text");
    }
    m.fixed("</g>");
}
