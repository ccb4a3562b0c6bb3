//! The sequence diagram (src/sim/sequence.rs, drawn by src/ui/sequence.rs) shows every
//! message the run sent up to the cursor, each from the step that sent it to the step
//! that delivered (or dropped or lost) it, the messages still in flight as in flight, and the
//! current step highlighted; notes are escaped.
use cachescope::sim::notes::Notes;
use cachescope::sim::sequence::{End, Sequence};
use cachescope::sim::{scenarios, Event, Fault, Fixes, Run};
use cachescope::ui::sequence as draw;
#[path = "common/html.rs"]
mod html;
use html::{attr, tags_where};

fn tags<'a>(html: &'a str, needle: &str) -> Vec<&'a str> {
    tags_where(html, |t| t.contains(needle))
}

#[test]
fn every_message_runs_from_the_step_that_sent_it_to_the_step_that_ended_it() {
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        let total = run.cursor();
        for at in [0, total / 3, total / 2, total] {
            run.seek(at);
            let seq = Sequence::of(&run);
            assert_eq!(seq.now, at);
            assert_eq!(seq.steps.len(), at, "{}", s.id);
            // In flight now: exactly the world's messages.
            let mut flying: Vec<&str> = seq
                .messages
                .iter()
                .filter(|m| m.end == End::InFlight)
                .map(|m| m.id.as_str())
                .collect();
            let mut net: Vec<String> = run.world().net.iter().map(|m| m.id.to_string()).collect();
            flying.sort_unstable();
            net.sort_unstable();
            assert_eq!(flying, net, "{} step {at}", s.id);
            // Every delivery in the trace ends exactly one line, at its step.
            for (i, r) in run.records().iter().enumerate() {
                if let Event::Deliver(id) = r.event {
                    let m = seq
                        .messages
                        .iter()
                        .find(|m| m.id == id.to_string())
                        .unwrap_or_else(|| panic!("{} step {}: {id} not drawn", s.id, i + 1));
                    // A delivery to a node that is down or cut off loses the message
                    // (the trace's outcome says so): it ends in a cross, not an arrow.
                    let want = if r.outcome.starts_with("lost") {
                        End::Lost(i + 1)
                    } else {
                        End::Delivered(i + 1)
                    };
                    assert_eq!(m.end, want, "{} {id}", s.id);
                    assert!(m.sent_step <= i, "{} {id} sent after delivery", s.id);
                    assert_eq!((m.from, m.to), r.hop.unwrap(), "{} {id}", s.id);
                }
            }
            // Every lane a message uses is drawn.
            for m in &seq.messages {
                assert!(seq.lanes.contains(&m.from) && seq.lanes.contains(&m.to));
            }
        }
    }
}

#[test]
fn a_dropped_message_ends_where_the_fault_dropped_it() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.forward();
    run.forward();
    let victim = run.world().net[0].id;
    run.fire(Event::Fault(Fault::Drop(victim))).unwrap();
    let seq = Sequence::of(&run);
    let m = seq
        .messages
        .iter()
        .find(|m| m.id == victim.to_string())
        .unwrap();
    assert_eq!(m.end, End::Dropped(3));
    let html = draw::svg(
        &seq,
        &Notes::new(),
        &draw::RowMap::plain(seq.now),
        draw::Geometry::fit(seq.lanes.len(), None),
    );
    let tag = tags(&html, &format!("data-message=\"{victim}\""))[0];
    assert_eq!(attr(tag, "data-end"), Some("dropped"));
    assert_eq!(attr(tag, "data-end-step"), Some("3"));
    assert!(attr(tag, "class").unwrap().contains("current"), "{tag}");
}

#[test]
fn the_markup_has_one_seq_message_per_message_and_marks_the_current_step() {
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        let at = run.cursor() / 2;
        run.seek(at);
        let seq = Sequence::of(&run);
        let html = draw::svg(
            &seq,
            &Notes::new(),
            &draw::RowMap::plain(seq.now),
            draw::Geometry::fit(seq.lanes.len(), None),
        );
        assert!(html.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let drawn = tags(&html, "data-testid=\"seq-message\"");
        assert_eq!(drawn.len(), seq.messages.len(), "{}", s.id);
        for (tag, m) in drawn.iter().zip(&seq.messages) {
            assert_eq!(attr(tag, "data-message"), Some(m.id.as_str()));
            assert_eq!(
                attr(tag, "data-step"),
                Some(m.sent_step.to_string().as_str())
            );
            let current = seq.touched_by(at).any(|t| t.id == m.id);
            assert_eq!(attr(tag, "data-current") == Some("true"), current);
            assert_eq!(
                attr(tag, "class").unwrap().contains("current"),
                current,
                "{} {}",
                s.id,
                m.id
            );
        }
        let rows: Vec<&str> = tags(&html, "class=\"seq-step")
            .into_iter()
            .filter(|t| t.starts_with("g ") && t.contains("data-step"))
            .collect();
        assert_eq!(rows.len(), at + 1);
        let current: Vec<&&str> = rows.iter().filter(|t| t.contains("current")).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(attr(current[0], "data-step"), Some(at.to_string().as_str()));
        assert_eq!(attr(current[0], "data-current"), Some("true"));
        assert_eq!(tags(&html, "data-testid=\"seq-step\"").len(), at + 1);
        assert_eq!(tags(&html, "class=\"seq-lane\"").len(), seq.lanes.len());
        let h = attr(tags(&html, "svg xmlns")[0], "height").unwrap();
        assert_eq!(
            h,
            draw::height(&draw::RowMap::plain(at)).round().to_string()
        );
        // A step that delivered a message lights that message.
        if let Some(Event::Deliver(id)) = at.checked_sub(1).map(|i| run.records()[i].event) {
            assert!(
                seq.touched_by(at).any(|m| m.id == id.to_string()),
                "{}",
                s.id
            );
        }
    }
}

#[test]
fn notes_show_on_their_step_escaped() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.seek(4);
    let mut notes = Notes::new();
    notes.set(2, "<script>alert(1)</script> & \"q\"").unwrap();
    notes.set(9, "past the cursor: not drawn").unwrap();
    let html = draw::svg(
        &Sequence::of(&run),
        &notes,
        &draw::RowMap::plain(run.cursor()),
        draw::Geometry::fit(5, None),
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("✎ &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    let shown = tags(&html, "data-testid=\"seq-note\"");
    assert_eq!(shown.len(), 1);
    assert_eq!(attr(shown[0], "data-step"), Some("2"));
}

#[test]
fn a_folded_stretch_is_one_row_and_hides_only_its_own_messages() {
    use cachescope::sim::fold;
    let s = scenarios::find("ttl-jitter").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let now = run.cursor();
    let folds = fold::folds(&run, now, &[]);
    let f = folds[0];
    assert!(f.last < now || f.contains(now));
    let seq = Sequence::of(&run);
    // The cursor at the end is in the fold: it is shown open, under its heading.
    let open_rows = fold::rows(now, &folds, &[], now);
    let html = draw::svg(
        &seq,
        &Notes::new(),
        &draw::RowMap::new(now, &open_rows),
        draw::Geometry::fit(seq.lanes.len(), None),
    );
    assert_eq!(tags(&html, "data-testid=\"seq-step\"").len(), now + 1);
    let heading = tags(&html, "data-testid=\"seq-fold\"");
    assert_eq!(heading.len(), 1);
    assert_eq!(attr(heading[0], "aria-expanded"), Some("true"));
    // With the cursor before it, the stretch is one row.
    run.seek(f.first - 1);
    let before = fold::folds(&run, f.first - 1, &[]);
    assert!(before.iter().all(|g| g.last < f.first));
    run.seek(now);
    let rows = fold::rows(now, &folds[..1], &[], 0);
    let map = draw::RowMap::new(now, &rows);
    let html = draw::svg(
        &seq,
        &Notes::new(),
        &map,
        draw::Geometry::fit(seq.lanes.len(), None),
    );
    let row = tags(&html, "data-testid=\"seq-fold\"");
    assert_eq!(row.len(), 1);
    assert_eq!(attr(row[0], "aria-expanded"), Some("false"));
    assert_eq!(
        attr(row[0], "data-first"),
        Some(f.first.to_string().as_str())
    );
    assert_eq!(attr(row[0], "data-last"), Some(f.last.to_string().as_str()));
    assert_eq!(
        attr(row[0], "data-hits"),
        Some(f.cache_hits.to_string().as_str())
    );
    assert!(html.contains(&format!(
        "×{} cache hits, steps {}–{}",
        f.cache_hits, f.first, f.last
    )));
    assert_eq!(
        tags(&html, "data-testid=\"seq-step\"").len(),
        now + 1 - f.len(),
        "the folded steps have no rows of their own"
    );
    // Exactly the messages sent and ended inside the fold are not drawn.
    let inside = |m: &cachescope::sim::sequence::SeqMessage| {
        let end = match m.end {
            End::Delivered(e) | End::Dropped(e) | End::Lost(e) => Some(e),
            End::InFlight => None,
        };
        f.contains(m.sent_step) && end.is_some_and(|e| f.contains(e))
    };
    let hidden = seq.messages.iter().filter(|m| inside(m)).count();
    assert!(hidden > 0);
    assert_eq!(
        tags(&html, "data-testid=\"seq-message\"").len(),
        seq.messages.len() - hidden
    );
    // A row folds many steps into one: the picture is shorter.
    assert!(draw::height(&map) < draw::height(&draw::RowMap::plain(now)));
}

#[test]
fn the_drawing_fits_its_box_down_to_a_readable_width() {
    use draw::{Geometry, LANE_MIN_W, SIDE_MIN_W};
    for lanes in 1..=9 {
        // Wide boxes: exactly the box (or the full widths, when they are narrower).
        for box_w in [560.0, 640.0, 700.0, 900.0, 1100.0] {
            let g = Geometry::fit(lanes, Some(box_w));
            assert!(g.lane_w >= LANE_MIN_W && g.side_w >= SIDE_MIN_W, "{g:?}");
            let least = draw::GUTTER_W + LANE_MIN_W * lanes as f64 + SIDE_MIN_W;
            if box_w >= least {
                assert!(g.width() <= box_w + 0.01, "{lanes} lanes in {box_w}: {g:?}");
            } else {
                assert!((g.width() - least).abs() < 0.01, "{g:?}");
            }
        }
        let full = Geometry::fit(lanes, None);
        assert_eq!((full.lane_w, full.side_w), (draw::LANE_W, draw::SIDE_W));
    }
    // stale-set-race's five lanes fit the 1280x720 column (about 640 px).
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let seq = Sequence::of(&run);
    let g = Geometry::fit(seq.lanes.len(), Some(640.0));
    let html = draw::svg(&seq, &Notes::new(), &draw::RowMap::plain(seq.now), g);
    let w = attr(tags(&html, "svg xmlns")[0], "width").unwrap();
    assert!(w.parse::<f64>().unwrap() <= 640.0, "{w}");
}

#[test]
fn eight_lanes_fit_the_1280_column_and_their_names_stay_on_top() {
    let s = scenarios::find("dual-write-crash").unwrap();
    let fixes = Fixes::parse(s, ["outbox"]).unwrap();
    let mut run = Run::with_default_seed(s, fixes);
    run.run_to_end();
    let seq = Sequence::of(&run);
    assert!(seq.lanes.len() >= 8, "{:?}", seq.lanes);
    // The 1280x720 column is about 640 px wide.
    let g = draw::Geometry::fit(seq.lanes.len(), Some(640.0));
    assert!(g.width() <= 640.0, "{g:?}");
    let html = draw::svg(&seq, &Notes::new(), &draw::RowMap::plain(seq.now), g);
    // The drawing first (a picture is made of the first <svg>), then the strip of
    // names that sticks to the top of the box, hidden from screen readers.
    let svgs = tags_where(&html, |t| t.starts_with("svg "));
    assert_eq!(svgs.len(), 2);
    assert_eq!(attr(svgs[0], "class"), Some("seq-svg"));
    assert_eq!(attr(svgs[1], "class"), Some("seq-svg seq-sticky"));
    assert_eq!(attr(svgs[1], "aria-hidden"), Some("true"));
    assert_eq!(attr(svgs[1], "width"), attr(svgs[0], "width"));
    let names = tags(&html, "class=\"seq-lane-name\"");
    assert_eq!(
        names.len(),
        2 * seq.lanes.len(),
        "each name in the drawing and the strip"
    );
    // Too narrow for one row: every other name is higher, and a name never reaches
    // the next name of its row (two lanes on).
    let ys: Vec<&str> = names[..seq.lanes.len()]
        .iter()
        .map(|t| attr(t, "y").unwrap())
        .collect();
    assert_ne!(ys[0], ys[1], "{ys:?}");
    assert_eq!(ys[0], ys[2], "{ys:?}");
    for lane in &seq.lanes {
        let width = lane.to_string().chars().count() as f64 * 8.2;
        assert!(width < 2.0 * g.lane_w, "{lane} fits two lanes of {g:?}");
    }
    // Wide enough, one row.
    let wide = draw::Geometry::fit(seq.lanes.len(), None);
    let html = draw::svg(&seq, &Notes::new(), &draw::RowMap::plain(seq.now), wide);
    let names = tags(&html, "class=\"seq-lane-name\"");
    assert_eq!(attr(names[0], "y"), attr(names[1], "y"));
}

#[test]
fn two_messages_sent_together_have_their_labels_apart() {
    let mut together = 0;
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        let seq = Sequence::of(&run);
        let html = draw::svg(
            &seq,
            &Notes::new(),
            &draw::RowMap::plain(seq.now),
            draw::Geometry::fit(seq.lanes.len(), Some(640.0)),
        );
        let labels: Vec<(&str, &str)> = tags(&html, "class=\"seq-label\"")
            .iter()
            .map(|t| (attr(t, "x").unwrap(), attr(t, "y").unwrap()))
            .collect();
        for (i, l) in labels.iter().enumerate() {
            assert!(!labels[..i].contains(l), "{}: two labels at {l:?}", s.id);
        }
        together += seq
            .messages
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                seq.messages[..*i]
                    .iter()
                    .any(|o| o.sent_step == m.sent_step && o.from == m.from)
            })
            .count();
    }
    assert!(together > 0, "the catalog has messages sent together");
}

/// dual-write-crash: the commit's reply reaches a service that has crashed. The trace
/// says "lost: node down"; the diagram once drew it as delivered.
#[test]
fn a_message_to_a_crashed_node_is_lost_not_delivered() {
    let s = scenarios::find("dual-write-crash").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let lost: Vec<usize> = run
        .records()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.outcome == "lost: node down")
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!lost.is_empty(), "the story loses the commit's reply");
    let seq = Sequence::of(&run);
    for step in lost {
        assert!(
            seq.messages.iter().any(|m| m.end == End::Lost(step)),
            "step {step}"
        );
        assert!(!seq.messages.iter().any(|m| m.end == End::Delivered(step)));
    }
}
