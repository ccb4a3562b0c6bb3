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
    for s in scenarios::ALL {
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
    let all_new = |_: &str| true;
    let marks = Marks {
        actor: None,
        hovered: Some(v.in_flight[0].id.as_str()),
        is_new: &all_new,
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
    // Every message is new here, so every one glides in.
    assert_eq!(svg.matches("class=\"msg-fly\"").count(), v.in_flight.len());
}

#[test]
fn only_messages_new_on_screen_glide_in() {
    let (_run, v) = view_at("stale-set-race", 3);
    let first = v.in_flight[0].id.clone();
    let only_first = |id: &str| id == first;
    let marks = Marks {
        actor: None,
        hovered: None,
        is_new: &only_first,
    };
    let svg = figure::svg(&v, &marks);
    assert_eq!(svg.matches("class=\"msg-fly\"").count(), 1);
    assert!(!svg.contains(" lit\""));
}

#[test]
fn text_from_the_state_is_escaped() {
    let (_run, mut v) = view_at("cache-aside-read", 0);
    v.nodes[0].note = "<img src=x onerror=alert(1)> & \"".to_string();
    v.db[0].value = "<script>".to_string();
    let none = |_: &str| false;
    let marks = Marks {
        actor: None,
        hovered: None,
        is_new: &none,
    };
    let svg = figure::svg(&v, &marks);
    assert!(!svg.contains("<img"));
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;"));
    let db = paint::db(&v);
    assert!(!db.contains("<script>"));
    assert!(db.contains("data-value=\"&lt;script&gt;\""));
}
