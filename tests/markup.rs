//! The display panels and the diagram, written as markup (src/ui/paint.rs and
//! src/ui/figure.rs), carry what the UI contract promises: one element per entry with
//! its data attributes, the same as the state they show, and nothing unescaped.
use cachescope::sim::view::View;
use cachescope::sim::{scenarios, Fixes, Run};
use cachescope::ui::figure::{self, Marks};
use cachescope::ui::paint;

/// Every `<... data-testid="id" ...>` start tag in `html`.
fn tags<'a>(html: &'a str, id: &str) -> Vec<&'a str> {
    let needle = format!("data-testid=\"{id}\"");
    html.split('<')
        .filter(|t| t.contains(&needle))
        .map(|t| t.split('>').next().unwrap_or(t))
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()
}

fn view_at(id: &str, step: usize) -> (Run, View) {
    let s = scenarios::find(id).unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    run.seek(step);
    let v = View::of(run.world(), s);
    (run, v)
}

#[test]
fn panels_show_every_entry_with_its_contract_attributes() {
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        for step in [0, run.recorded() / 2, run.recorded()] {
            run.seek(step);
            let v = View::of(run.world(), s);
            let cache = paint::cache(&v);
            let rows = tags(&cache, "cache-entry");
            assert_eq!(rows.len(), v.cache.len(), "{} step {step}", s.id);
            for (row, e) in rows.iter().zip(&v.cache) {
                assert_eq!(attr(row, "data-key"), Some(e.key.as_str()));
                assert_eq!(
                    attr(row, "data-version"),
                    Some(e.version.to_string().as_str())
                );
                assert_eq!(
                    attr(row, "data-expires-at"),
                    e.expires_at.map(|t| t.to_string()).as_deref()
                );
            }
            let db = paint::db(&v);
            assert_eq!(tags(&db, "db-row").len(), v.db.len());
            let inv = paint::invariants(&v);
            let items = tags(&inv, "invariant");
            assert_eq!(items.len(), v.invariants.len());
            for (item, i) in items.iter().zip(&v.invariants) {
                let status = if i.ok { "ok" } else { "violated" };
                assert_eq!(attr(item, "data-status"), Some(status), "{}", s.id);
            }
            let metrics = paint::metrics(&v);
            for (tag, m) in tags(&metrics, "metric").iter().zip(&v.metrics) {
                assert_eq!(attr(tag, "data-value"), Some(m.value.to_string().as_str()));
            }
            assert_eq!(tags(&paint::outbox(&v), "outbox-row").len(), v.outbox.len());
            assert_eq!(tags(&paint::bus(&v), "bus-message").len(), v.bus.len());
            assert_eq!(tags(&paint::bus(&v), "dlq-message").len(), v.dlq.len());
            assert_eq!(tags(&paint::queue(&v), "queue-item").len(), v.queue.len());
        }
    }
}

#[test]
fn the_diagram_draws_every_node_and_message() {
    let (_run, v) = view_at("stale-set-race", 3);
    assert!(!v.in_flight.is_empty());
    let marks = Marks {
        actor: None,
        hovered: Some(v.in_flight[0].id.as_str()),
        sent_from: 0,
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
                actor: None,
                hovered: None,
                sent_from: before.next_msg,
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

#[test]
fn text_from_the_state_is_escaped() {
    let (_run, mut v) = view_at("cache-aside-read", 0);
    v.nodes[0].note = "<img src=x onerror=alert(1)> & \"".to_string();
    v.db[0].value = "<script>".to_string();
    let marks = Marks {
        actor: None,
        hovered: None,
        sent_from: u32::MAX,
    };
    let svg = figure::svg(&v, &marks);
    assert!(!svg.contains("<img"));
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;"));
    let db = paint::db(&v);
    assert!(!db.contains("<script>"));
    assert!(db.contains("data-value=\"&lt;script&gt;\""));
}

#[test]
fn side_by_side_shows_the_steps_up_to_the_cursor_and_the_first_difference() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let lease = Fixes::parse(s, ["lease"]).unwrap();
    let c = cachescope::sim::compare::side_by_side(&run, lease);
    let first = c.first_difference.expect("the lease changes the run");
    for cursor in [1, first, run.recorded()] {
        let text = paint::CompareText {
            cursor,
            first_difference: c.first_difference,
            ends: " At the end of each run: left violated, right ok.",
            left_label: "no fix",
            right_label: "lease",
        };
        let html = paint::compare(&c.rows, &text);
        let rows = tags(&html, "compare-row");
        let expected: Vec<_> = c
            .rows
            .iter()
            .filter(|r| r.step <= cursor || r.step == first)
            .collect();
        assert_eq!(rows.len(), expected.len(), "cursor {cursor}");
        for (tag, r) in rows.iter().zip(&expected) {
            assert_eq!(attr(tag, "data-step"), Some(r.step.to_string().as_str()));
            let class = attr(tag, "class").unwrap();
            assert_eq!(class.contains("first"), r.step == first);
            assert_eq!(class.contains("here"), r.step == cursor);
        }
        let head = tags(&html, "compare-first-difference");
        assert_eq!(attr(head[0], "data-step"), Some(first.to_string().as_str()));
        assert!(html.contains("right: lease"));
    }
}

#[test]
fn fix_notes_and_cards_come_from_the_catalog() {
    let s = scenarios::find("stale-set-race").unwrap();
    let run = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
    let notes = paint::fix_notes(&run);
    assert_eq!(notes.matches("<li>").count(), 1);
    let lease = s.fixes.iter().find(|f| f.id == "lease").unwrap();
    assert!(notes.contains(lease.title));
    let card = paint::pattern_card(s);
    assert_eq!(
        card.matches("<li>").count(),
        s.flow.len() + s.pros.len() + s.cons.len()
    );
    let errors = paint::list_items(&["step \"<5>\" is not a number"]);
    assert_eq!(
        errors,
        "<li>step &quot;&lt;5&gt;&quot; is not a number</li>"
    );
}

#[test]
fn next_events_faults_and_the_log_index_what_their_handlers_fire() {
    for s in scenarios::ALL.iter() {
        let mut run = Run::with_default_seed(s, Fixes::none());
        run.run_to_end();
        let middle = run.recorded() / 2;
        run.seek(middle);
        let v = View::of(run.world(), s);
        let next = run.next_event();
        let html = paint::next_events(run.world(), &v.enabled, next);
        let buttons = tags(&html, "next-event");
        assert_eq!(buttons.len(), v.enabled.len(), "{}", s.id);
        for (i, (b, e)) in buttons.iter().zip(&v.enabled).enumerate() {
            assert_eq!(attr(b, "data-i"), Some(i.to_string().as_str()));
            let scripted = Some(*e) == next;
            assert_eq!(attr(b, "data-scripted").is_some(), scripted, "{}", s.id);
        }
        assert_eq!(
            buttons
                .iter()
                .filter(|b| b.contains("data-scripted"))
                .count(),
            usize::from(next.is_some_and(|n| v.enabled.contains(&n)))
        );
        let faults = paint::faults(&v, next);
        let fault_buttons = tags(&faults, "fault");
        assert_eq!(fault_buttons.len(), v.faults.len());
        for (b, f) in fault_buttons.iter().zip(&v.faults) {
            assert_eq!(attr(b, "data-fault"), Some(f.fault));
        }
        let log = paint::event_log(run.records());
        let entries = tags(&log, "log-entry");
        assert_eq!(entries.len(), middle);
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(attr(e, "data-step"), Some((i + 1).to_string().as_str()));
        }
    }
}
