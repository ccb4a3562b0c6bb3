//! The diagram as markup (src/ui/figure.rs, src/ui/layout.rs): every node and message
//! drawn, the state inside the nodes, labels that never overlap, messages that glide,
//! and a layout that fits a phone. Part of `tests/markup.rs` (its helpers are there).
use super::*;
use cachescope::ui::layout;

#[test]
fn the_diagram_draws_every_node_and_message() {
    let (_run, v) = view_at("stale-set-race", 3);
    assert!(!v.in_flight.is_empty());
    let marks = Marks {
        hovered: Some(v.in_flight[0].id.as_str()),
        sent_from: 0,
        ..Marks::none(Layout::Wide)
    };
    let svg = figure::svg(&v, &marks);
    let nodes = tags(&svg, "node");
    assert_eq!(nodes.len(), v.nodes.len());
    for (tag, n) in nodes.iter().zip(&v.nodes) {
        assert_eq!(attr(tag, "data-node"), Some(n.id.to_string().as_str()));
        assert_eq!(attr(tag, "data-status"), Some(n.status.name()));
    }
    let msgs = tags(&svg, "in-flight");
    assert_eq!(msgs.len(), v.in_flight.len());
    assert!(attr(msgs[0], "class").unwrap().ends_with(" lit"));
    assert!(msgs[1..]
        .iter()
        .all(|m| !attr(m, "class").unwrap().contains("lit")));
    // Numbered from 0 on, every message is new here, so every one glides in.
    assert_eq!(svg.matches("class=\"msg-fly\"").count(), v.in_flight.len());
}

/// Whether the in-flight message `id` is drawn with the glide (its `<g>` holds the
/// `msg-fly` group).
fn glides(svg: &str, id: &str) -> bool {
    let Some(at) = svg.find(&format!("data-message=\"{id}\"")) else {
        return false;
    };
    let message = &svg[at..];
    let end = message.find("</g></g>").unwrap_or(message.len());
    message[..end].contains("class=\"msg-fly\"")
}

#[test]
fn the_messages_a_step_sent_glide_in_and_no_others() {
    // Every step of every scenario: the gliding messages are exactly those in flight
    // after the step that were not in flight before it.
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        for step in 1..=run.recorded() {
            let before = run.state(step - 1).unwrap();
            let was: Vec<String> = View::of(before, s)
                .in_flight
                .into_iter()
                .map(|m| m.id)
                .collect();
            let v = View::of(run.state(step).unwrap(), s);
            let marks = Marks {
                sent_from: before.next_msg,
                ..Marks::none(Layout::Wide)
            };
            let svg = figure::svg(&v, &marks);
            let gliding: Vec<_> = v
                .in_flight
                .iter()
                .map(|m| m.id.clone())
                .filter(|id| glides(&svg, id))
                .collect();
            let sent: Vec<_> = v
                .in_flight
                .iter()
                .map(|m| m.id.clone())
                .filter(|id| !was.contains(id))
                .collect();
            assert_eq!(gliding, sent, "{} step {step}", s.id);
            assert!(!svg.contains(" lit\""), "nothing pointed at, nothing lit");
        }
    }
}

/// The text of the `<g data-testid="node" data-node="id">` element.
pub(super) fn node_markup<'a>(svg: &'a str, id: &str) -> &'a str {
    let at = svg
        .find(&format!("data-testid=\"node\" data-node=\"{id}\""))
        .unwrap_or_else(|| panic!("no node {id}"));
    let rest = &svg[at..];
    // Nodes hold no nested <g>: the node ends at its first </g>.
    &rest[..rest.find("</g>").unwrap()]
}

#[test]
fn the_diagram_shows_the_state_inside_its_nodes_and_marks_what_differs() {
    let mut stale_seen = 0;
    every_drawing(|s, step, v, layout, svg| {
        let svg = svg.to_string();
        // The drawing uses no test id of the panels: nothing is counted twice.
        for id in ["cache-entry", "db-row", "invariant"] {
            assert!(tags(&svg, id).is_empty(), "{} draws {id}", s.id);
        }
        if v.cache.len() + v.guards.len() <= layout::MAX_LINES {
            let cache = node_markup(&svg, "cache");
            for e in &v.cache {
                let line = format!("{} = {}", e.key, e.value);
                assert!(cache.contains(&line), "{} step {step}: {line}", s.id);
                // A copy that disagrees: a colour and a symbol, not colour alone.
                assert_eq!(cache.contains(&format!("{line} ≠ db")), e.stale);
            }
            assert_eq!(
                cache.contains("state stale"),
                v.cache.iter().any(|e| e.stale)
            );
        }
        if v.db.len() <= layout::MAX_LINES && v.outbox.is_empty() {
            let db = node_markup(&svg, "db");
            for r in &v.db {
                // Any cached copy of the key that differs (every cache node).
                let differs = v
                    .cache
                    .iter()
                    .chain(v.copies.iter().flat_map(|c| &c.entries))
                    .chain(v.near.iter().map(|(_, e)| e))
                    .any(|e| e.key == r.key && e.stale);
                assert!(db.contains(&format!("{} = {}", r.key, r.value)));
                let row = format!("{} = {} ≠", r.key, r.value);
                assert_eq!(db.contains(&row), differs, "{} step {step}", s.id);
                // It names the first cache only where that copy is the one that differs
                // (review session 11, F6: it said "≠ cache" for any copy).
                let first = v.cache.iter().any(|e| e.key == r.key && e.stale);
                let named = [format!("{row} cache<"), format!("{row} cache,")]
                    .iter()
                    .any(|m| db.contains(m.as_str()));
                assert_eq!(named, first, "{} step {step}: {db}", s.id);
            }
        }
        if layout == Layout::Wide {
            stale_seen += v.cache.iter().filter(|e| e.stale).count();
        }
    });
    assert!(stale_seen > 0, "some scenario shows a stale copy");
}

#[test]
fn the_service_shows_the_requests_it_holds_with_their_leases() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
    run.run_to_end();
    let step = (0..=run.recorded())
        .find(|i| {
            run.seek(*i);
            View::of(run.world(), s)
                .requests
                .iter()
                .any(|r| r.text.contains("lease #1"))
        })
        .expect("a request holds the lease");
    run.seek(step);
    let v = View::of(run.world(), s);
    let svg = figure::svg(&v, &Marks::none(Layout::Wide));
    let service = node_markup(&svg, "service");
    assert!(service.contains("lease #1"), "{service}");
    assert!(node_markup(&svg, "cache").contains("user:1 lease #1"));
}

/// (left, top, right, bottom) of every node box and every message label, from the
/// markup: nodes from their transform, width and height; labels from their text,
/// anchor and place (11 px monospace, `figure`'s character width).
pub(super) type Rect = (f64, f64, f64, f64);

pub(super) fn boxes(svg: &str) -> (Vec<Rect>, Vec<Rect>, usize) {
    let num = |t: &str, name: &str| -> f64 { attr(t, name).unwrap().parse().unwrap() };
    let translate = |t: &str| -> (f64, f64) {
        let tr = attr(t, "transform").unwrap();
        let inner = &tr["translate(".len()..tr.len() - 1];
        let (x, y) = inner.split_once(',').unwrap();
        (x.parse().unwrap(), y.parse().unwrap())
    };
    let mut nodes = Vec::new();
    for part in svg.split("data-testid=\"node\"").skip(1) {
        let (x, y) = translate(part);
        let rect = &part[part.find("<rect").unwrap()..];
        let (w, h) = (num(rect, "width"), num(rect, "height"));
        nodes.push((x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0));
    }
    let mut labels = Vec::new();
    let mut messages = 0;
    for part in svg.split("data-testid=\"in-flight\"").skip(1) {
        messages += 1;
        let (x, y) = translate(part);
        let Some(at) = part.find("<text class=\"msg-label") else {
            continue;
        };
        let tag = &part[at..];
        let text = &tag[tag.find('>').unwrap() + 1..tag.find("</text>").unwrap()];
        let w = text.chars().count() as f64 * 6.7 + 4.0;
        let (lx, ly) = (x + num(tag, "x"), y + num(tag, "y"));
        let class = attr(tag, "class").unwrap();
        let left = if class.ends_with("start") {
            lx
        } else if class.ends_with("end") {
            lx - w
        } else {
            lx - w / 2.0
        };
        labels.push((left, ly - 10.0, left + w, ly + 4.0));
    }
    (nodes, labels, messages)
}

pub(super) fn apart(a: Rect, b: Rect) -> bool {
    // One unit of slack for the rounding to whole units.
    a.2 <= b.0 + 1.0 || b.2 <= a.0 + 1.0 || a.3 <= b.1 + 1.0 || b.3 <= a.1 + 1.0
}

#[test]
fn labels_never_overlap_each_other_or_a_node_and_every_message_shows_its_id() {
    let mut shown = 0;
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        for step in 0..=run.recorded().min(120) {
            run.seek(step);
            let v = View::of(run.world(), s);
            for layout in [Layout::Wide, Layout::Narrow] {
                let svg = figure::svg(&v, &Marks::none(layout));
                let (nodes, labels, messages) = boxes(&svg);
                assert_eq!(messages, v.in_flight.len());
                for (i, a) in nodes.iter().enumerate() {
                    for b in &nodes[i + 1..] {
                        assert!(
                            apart(*a, *b),
                            "{} step {step} {layout:?}: nodes overlap",
                            s.id
                        );
                    }
                }
                // Inside the drawing: none cut off at its right or bottom edge (review
                // 28: labels clipped at the diagram's right edge).
                let (w, h) = {
                    let vb = attr(&svg, "viewBox").unwrap();
                    let mut it = vb.split(' ').skip(2).map(|n| n.parse::<f64>().unwrap());
                    (it.next().unwrap(), it.next().unwrap())
                };
                for l in &labels {
                    assert!(
                        l.0 >= -1.0 && l.2 <= w + 1.0 && l.3 <= h + 1.0,
                        "{} step {step} {layout:?}: a label {l:?} past the drawing's {w}x{h}",
                        s.id
                    );
                }
                for (i, l) in labels.iter().enumerate() {
                    for other in labels[i + 1..].iter().chain(&nodes) {
                        assert!(
                            apart(*l, *other),
                            "{} step {step} {layout:?}: a label {l:?} overlaps {other:?}",
                            s.id
                        );
                    }
                }
                for m in &v.in_flight {
                    // The id a fault names is written on the message itself.
                    assert!(
                        svg.contains(&format!("<text class=\"msg-id\" y=\"4\">{}</text>", m.id))
                    );
                }
                shown += labels.len();
            }
        }
    }
    assert!(shown > 100, "most labels find a place ({shown})");
}

#[test]
fn the_narrow_layout_fits_a_phone_width() {
    for s in scenarios::ALL.iter() {
        let run = Run::with_default_seed(s, Fixes::none());
        let v = View::of(run.world(), s);
        let (placed, w, h) = layout::place(&v, Layout::Narrow);
        assert_eq!(w, 400.0);
        for n in &placed {
            assert!(
                n.x - n.w / 2.0 >= 0.0 && n.x + n.w / 2.0 <= w,
                "{} {}",
                s.id,
                n.id
            );
            assert!(n.y + n.h / 2.0 <= h);
            assert!(n.w >= 110.0, "{}: {} is too narrow to read", s.id, n.id);
        }
    }
}

#[test]
fn a_long_state_line_wraps_at_its_parts_and_is_cut_only_past_three_lines() {
    let line = |text: &str| layout::Line {
        text: text.to_string(),
        class: "guard",
    };
    let wrapped = layout::wrap(vec![line("reader: read user:1, filling, has v1")], 29);
    let texts: Vec<&str> = wrapped.iter().map(|l| l.text.as_str()).collect();
    // Broken after a comma, the rest indented; nothing lost, the class kept.
    assert_eq!(texts, ["reader: read user:1,", "  filling, has v1"]);
    assert!(wrapped.iter().all(|l| l.class == "guard"));
    let short = layout::wrap(vec![line("user:1 = v1")], 29);
    assert_eq!(short, vec![line("user:1 = v1")]);
    // Too long for three lines: the third is cut with an ellipsis, within the width.
    let long = layout::wrap(vec![line(&"word ".repeat(30))], 12);
    assert_eq!(long.len(), 3);
    assert!(
        long.iter().all(|l| l.text.chars().count() <= 12),
        "{long:?}"
    );
    assert!(long[2].text.ends_with('…'));
    // In the diagram, the stale-set race's service says what its request holds.
    let (mut run, _) = view_at("stale-set-race", 0);
    let mut shown = 0;
    for step in 0..=run.recorded() {
        run.seek(step);
        let v = View::of(run.world(), run.scenario);
        if v.requests.iter().any(|r| r.text.ends_with("has v1")) {
            let svg = figure::svg(&v, &Marks::none(Layout::Wide));
            let service = node_markup(&svg, "service");
            assert!(service.contains("has v1"), "step {step}: {service}");
            // Screen readers get the request in one piece.
            assert!(
                attr(service, "aria-label")
                    .unwrap()
                    .contains("filling, has v1"),
                "{service}"
            );
            shown += 1;
        }
    }
    assert!(shown > 0, "the reader's request holds v1 at some step");
}

/// No node's note is cut in any catalog scenario at any step, in either layout: a note a
/// little too long is drawn narrower (`textLength`), so the number it ends with is kept
/// ("next flush at 2…", "at lsn 1, delet…" were cut: session 9's review, F6).
#[test]
fn node_notes_are_never_cut() {
    every_drawing(|s, step, v, _, svg| {
        for n in &v.nodes {
            let g = node_markup(svg, &n.id.to_string());
            let at = g.find("class=\"node-note\"").unwrap();
            let text = &g[at..];
            let text = &text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()];
            assert!(
                !text.ends_with('…'),
                "{} step {step} {}: {text}",
                s.id,
                n.id
            );
        }
    });
}

/// Every catalog scenario's drawing at every step of its run to the end, in both
/// layouts: `f(scenario, step, view, layout, svg)`.
fn every_drawing(mut f: impl FnMut(&cachescope::sim::Scenario, usize, &View, Layout, &str)) {
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        for step in 0..=run.recorded() {
            run.seek(step);
            let v = View::of(run.world(), s);
            for layout in [Layout::Wide, Layout::Narrow] {
                f(s, step, &v, layout, &figure::svg(&v, &Marks::none(layout)));
            }
        }
    }
}
