//! The display panels and the diagram, written as markup (src/ui/paint.rs and
//! src/ui/figure.rs), carry what the UI contract promises: one element per entry with
//! its data attributes, the same as the state they show, and nothing unescaped.
use cachescope::sim::view::View;
use cachescope::sim::{scenarios, Fixes, Run};
use cachescope::ui::chapters::Ahead;
use cachescope::ui::figure::{self, Marks};
use cachescope::ui::layout::Layout;
use cachescope::ui::{lists, paint};
#[path = "common/html.rs"]
mod html;
use html::{attr, tags_where};

#[path = "markup/diagram.rs"]
mod diagram;
#[path = "markup/topology.rs"]
mod topology;

/// Every `<... data-testid="id" ...>` start tag in `html`.
fn tags<'a>(html: &'a str, id: &str) -> Vec<&'a str> {
    let needle = format!("data-testid=\"{id}\"");
    tags_where(html, |t| t.contains(&needle))
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
            // Every copy once: the first cache node's, then the other nodes' and a
            // CDN edge's (`copies`; `edge` lists the edge's again), the near caches',
            // each with the node that holds it.
            let copies = v.copies.iter().map(|c| c.entries.len()).sum::<usize>();
            assert_eq!(
                rows.len(),
                v.cache.len() + copies + v.near.len(),
                "{} step {step}",
                s.id
            );
            let edge_rows = rows
                .iter()
                .filter(|r| attr(r, "data-cache").is_some_and(|c| c.starts_with("cdn")))
                .count();
            assert_eq!(edge_rows, v.edge.len(), "{} step {step}", s.id);
            let mut held: Vec<_> = rows
                .iter()
                .map(|r| (attr(r, "data-cache"), attr(r, "data-key")))
                .collect();
            let all = held.len();
            held.sort();
            held.dedup();
            assert_eq!(held.len(), all, "a copy listed twice: {} step {step}", s.id);
            let first: Vec<_> = rows
                .iter()
                .filter(|r| attr(r, "data-cache") == Some("cache"))
                .collect();
            assert_eq!(first.len(), v.cache.len(), "{} step {step}", s.id);
            for (row, e) in first.iter().zip(&v.cache) {
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
            // One row per committed row per database node: the primary's, then a
            // replica's, each named by `data-db` when there is a replica.
            let db_rows = tags(&db, "db-row");
            assert_eq!(db_rows.len(), v.db.len() + v.replica.len());
            if !v.replica.is_empty() {
                let on = |n: &str| {
                    db_rows
                        .iter()
                        .filter(|r| attr(r, "data-db") == Some(n))
                        .count()
                };
                assert_eq!((on("db"), on("replica")), (v.db.len(), v.replica.len()));
            }
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
fn text_from_the_state_is_escaped() {
    let (_run, mut v) = view_at("cache-aside-read", 0);
    v.nodes[0].note = "<img src=x onerror=alert(1)> & \"".to_string();
    v.db[0].value = "<script>".to_string();
    let marks = Marks::none(Layout::Wide);
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
        s.flow().len() + s.pros().len() + s.cons().len()
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
        let html = lists::next_events(run.world(), &v.enabled, next, run.on_script());
        let buttons = tags(&html, "next-event");
        assert_eq!(buttons.len(), v.enabled.len(), "{}", s.id);
        for (b, e) in buttons.iter().zip(&v.enabled) {
            // Named by the event, never by its position in the list.
            assert_eq!(attr(b, "data-event"), Some(e.to_string().as_str()));
            assert!(attr(b, "data-i").is_none());
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
        let faults = lists::faults(&v, next);
        let fault_buttons = tags(&faults, "fault");
        assert_eq!(fault_buttons.len(), v.faults.len());
        for (b, f) in fault_buttons.iter().zip(&v.faults) {
            assert_eq!(attr(b, "data-fault"), Some(f.fault));
            assert_eq!(attr(b, "data-event"), Some(f.event.to_string().as_str()));
        }
        let plain: Vec<cachescope::sim::fold::Row> =
            (1..=middle).map(cachescope::sim::fold::Row::Step).collect();
        let log = lists::event_log(run.records(), &plain);
        let entries = tags(&log, "log-entry");
        assert_eq!(entries.len(), middle);
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(attr(e, "data-step"), Some((i + 1).to_string().as_str()));
        }
    }
}

/// replica-lag-refill: the replica answers v1 after the primary committed v2. That
/// answer was old when it was sent; no commit overtook a value on its way, so no step is
/// titled "the race: … while an older value is on its way" (session 9's review).
#[test]
fn an_answer_sent_already_old_is_not_a_race_chapter() {
    let s = scenarios::find("replica-lag-refill").unwrap();
    let run = Run::with_default_seed(s, Fixes::none());
    let ahead = Ahead::of(&run);
    let mut end = run.clone();
    end.run_to_end();
    for c in ahead.chapters.iter().filter(|c| c.kind == "race") {
        let rec = &end.all_records()[c.step - 1];
        assert!(
            rec.outcome.starts_with("committed"),
            "{}: {}",
            c.text,
            rec.outcome
        );
    }
    let stale_answer = end
        .all_records()
        .iter()
        .position(|r| r.actor == cachescope::sim::NodeId::Replica(1) && r.outcome == "row v1")
        .expect("the replica answers v1");
    assert!(!ahead
        .chapters
        .iter()
        .any(|c| c.kind == "race" && c.step == stale_answer + 1));
}

#[test]
fn chapters_mark_the_race_the_violation_and_the_fix_and_the_end_is_known() {
    let s = scenarios::find("stale-set-race").unwrap();
    let run = Run::with_default_seed(s, Fixes::none());
    let ahead = Ahead::of(&run);
    let mut end = run.clone();
    end.run_to_end();
    assert_eq!(ahead.total, end.recorded());
    assert_eq!(run.cursor(), 0, "running ahead leaves the run as it was");
    let race = ahead
        .chapters
        .iter()
        .find(|c| c.kind == "race")
        .expect("a race");
    // The race: the commit of v2 while the read's v1 is on its way back.
    let rec = &end.all_records()[race.step - 1];
    assert_eq!(rec.outcome, "committed v2");
    let broken = ahead
        .chapters
        .iter()
        .find(|c| c.kind == "violated")
        .unwrap();
    let before = end.state(broken.step - 1).unwrap();
    let after = end.state(broken.step).unwrap();
    assert!(s
        .invariants
        .iter()
        .any(|i| i.check(before).is_ok() && i.check(after).is_err()));
    assert!(race.step < broken.step);
    let html = lists::chapters(&ahead.chapters, race.step);
    let buttons = tags(&html, "chapter");
    assert_eq!(buttons.len(), ahead.chapters.len());
    assert_eq!(
        buttons
            .iter()
            .filter(|b| attr(b, "aria-current").is_some())
            .count(),
        ahead
            .chapters
            .iter()
            .filter(|c| c.step == race.step)
            .count()
    );
    // Stepping along the copy's path keeps it; a fix is another run.
    let mut stepped = run.clone();
    stepped.forward();
    assert!(ahead.still_fits(&stepped));
    let mut lease = Run::with_default_seed(s, Fixes::parse(s, ["lease"]).unwrap());
    let with_lease = Ahead::of(&lease);
    lease.run_to_end();
    assert_ne!(Ahead::setup_of(&lease), ahead.setup);
    let fix = with_lease
        .chapters
        .iter()
        .find(|c| c.kind == "fix")
        .expect("the fix acts");
    assert_eq!(
        Some(fix.step),
        cachescope::sim::compare::side_by_side(&lease, Fixes::none()).first_difference
    );
    assert!(!with_lease.chapters.iter().any(|c| c.kind == "violated"));
}

/// A commit's stale window that the delete on its way closes is no break: its chapter
/// is a neutral `window` that says until when and by what; a violation that lasts to
/// the end stays `violated`, and so does one a new write mends (review session 12, V6).
#[test]
fn a_window_that_a_delete_on_its_way_closes_is_not_called_broken() {
    let chapters = |id: &str, fixes: &[&str]| {
        let s = scenarios::find(id).unwrap();
        let run = Run::with_default_seed(s, Fixes::parse(s, fixes.iter().copied()).unwrap());
        let mut end = run.clone();
        end.run_to_end();
        (Ahead::of(&run).chapters, end)
    };
    let (happy, end) = chapters("event-invalidation", &[]);
    assert!(!happy.iter().any(|c| c.kind == "violated"), "{happy:?}");
    let window = happy
        .iter()
        .find(|c| c.kind == "window")
        .expect("the window");
    let restored = happy
        .iter()
        .find(|c| c.kind == "restored")
        .expect("it closes");
    // Read from the states: broken after the window's step, holding at the mend, which
    // is the delete's arrival.
    let inv = cachescope::sim::Invariant::CacheMatchesDb;
    assert!(inv.check(end.state(window.step - 1).unwrap()).is_ok());
    assert!(inv.check(end.state(window.step).unwrap()).is_err());
    assert!(inv.check(end.state(restored.step).unwrap()).is_ok());
    let by = &end.all_records()[restored.step - 1];
    assert_eq!(by.outcome, "deleted");
    assert_eq!(
        window.short,
        format!("a copy stale until step {}", restored.step)
    );
    assert_eq!(
        window.text,
        format!(
            "a copy stale until step {} ({}): a window, not a break",
            restored.step, by.label
        )
    );
    assert!(by.label.starts_with("del user:1"), "{}", by.label);
    // A TTL that ends it: its timer's step.
    let (ttl, end) = chapters("ttl-expiry", &[]);
    let w = ttl
        .iter()
        .find(|c| c.kind == "window")
        .expect("the TTL's window");
    let mended = ttl
        .iter()
        .find(|c| c.kind == "restored" && c.step > w.step)
        .expect("mended");
    assert_eq!(end.all_records()[mended.step - 1].label, "ttl user:1");
    assert!(w.text.contains("(ttl user:1)"), "{}", w.text);
    // To the end: broken.
    let (race, _) = chapters("stale-set-race", &[]);
    assert!(race
        .iter()
        .any(|c| c.kind == "violated" && c.short == "✗ cache-matches-db"));
    assert!(!race.iter().any(|c| c.kind == "window"));
    // Mended only after a new write started (hybrid: writer-2's write of user:2 makes
    // the next stale copy before the first is deleted): broken.
    let (hybrid, end) = chapters("hybrid", &[]);
    let broken = hybrid
        .iter()
        .find(|c| c.kind == "violated")
        .expect("broken");
    let mended = hybrid
        .iter()
        .find(|c| c.kind == "restored" && c.step > broken.step)
        .expect("mended later");
    assert!(end.all_records()[broken.step..mended.step]
        .iter()
        .any(|r| r.to_string().contains("writer-2: start")));
}

#[test]
fn a_change_of_an_invariant_is_put_in_words_for_screen_readers() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let mut said = 0;
    for step in 1..=run.recorded() {
        let (b, w) = (run.state(step - 1).unwrap(), run.state(step).unwrap());
        let news = paint::invariant_news(s.invariants, b, w, step);
        let changed = s
            .invariants
            .iter()
            .any(|i| i.check(b).is_ok() != i.check(w).is_ok());
        assert_eq!(!news.is_empty(), changed, "step {step}");
        if changed {
            assert!(news.contains("cache-matches-db is now violated"), "{news}");
            said += 1;
        }
    }
    assert_eq!(said, 1);
}

#[test]
fn side_by_side_draws_two_diagrams_and_marks_the_nodes_that_differ() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let c = cachescope::sim::compare::side_by_side(&run, Fixes::parse(s, ["lease"]).unwrap());
    let step = run.recorded();
    let left = View::of(run.state(step).unwrap(), s);
    let right = View::of(c.right.state(step.min(c.right.recorded())).unwrap(), s);
    let differs = figure::differing(&left, &right);
    // Without a fix the cache ends stale; with the lease it holds nothing.
    assert!(
        differs.contains(&cachescope::sim::NodeId::CACHE),
        "{differs:?}"
    );
    // The writer was answered the same on both sides.
    assert!(!differs.contains(&cachescope::sim::NodeId::Writer(1)));
    let html = figure::pair(&left, &right, Layout::Wide);
    assert_eq!(html.matches("<svg").count(), 2);
    // The pictures carry no contract test ids: the page's own diagram has them.
    assert!(tags(&html, "node").is_empty() && tags(&html, "in-flight").is_empty());
    assert_eq!(
        html.matches("data-node=\"cache\" data-status=\"up\" class=\"node node-cache up")
            .count(),
        2
    );
    assert!(html.contains(" differs\""));
    // Each caption counts its side's messages in words that agree with the number.
    for (side, v) in [("left", &left), ("right", &right)] {
        let caption = match v.in_flight.len() {
            1 => format!("{side}: 1 message in flight"),
            n => format!("{side}: {n} messages in flight"),
        };
        assert!(html.contains(&caption), "{caption}");
    }
    assert!(!html.contains("message(s)"));
}

#[test]
fn the_setup_of_a_run_ahead_tells_fixes_seeds_and_sandboxes_apart() {
    use cachescope::sim::sandbox::{Pattern, SandboxSpec};
    let s = scenarios::find("event-duplicate-reorder").unwrap();
    let plain = Run::with_default_seed(s, Fixes::none());
    let fixed = Run::with_default_seed(s, Fixes::parse(s, ["versioned-events"]).unwrap());
    assert_ne!(Ahead::setup_of(&plain), Ahead::setup_of(&fixed));
    assert_ne!(
        Ahead::setup_of(&plain),
        Ahead::setup_of(&plain.rebuilt(Fixes::none(), 99))
    );
    let mut one = SandboxSpec::new(Pattern::CacheAside);
    let a = Run::new_sandbox(one.clone(), Fixes::none(), 1);
    one.readers = 3;
    let b = Run::new_sandbox(one, Fixes::none(), 1);
    assert_ne!(Ahead::setup_of(&a), Ahead::setup_of(&b));
}

#[test]
fn the_event_log_folds_a_stretch_of_cache_hits_into_one_entry() {
    use cachescope::sim::fold;
    let s = scenarios::find("stampede").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let end = run.recorded();
    let folds = fold::folds(&run, end, &[]);
    let f = folds[0];
    // Past the stretch, it is one entry; every other step keeps its own.
    let log = lists::event_log(run.records(), &fold::rows(end, &folds, &[], end));
    let entries = tags(&log, "log-entry");
    assert_eq!(entries.len(), end - f.len());
    assert!(entries.iter().all(|e| {
        let step: usize = attr(e, "data-step").unwrap().parse().unwrap();
        !f.contains(step)
    }));
    let fold_entry = tags(&log, "log-fold");
    assert_eq!(fold_entry.len(), 1);
    assert_eq!(
        attr(fold_entry[0], "data-first"),
        Some(f.first.to_string().as_str())
    );
    assert_eq!(
        attr(fold_entry[0], "data-hits"),
        Some(f.cache_hits.to_string().as_str())
    );
    assert!(log.contains(&f.summary()));
    assert!(
        log.contains("data-fold=\"1\" aria-expanded=\"false\""),
        "{log}"
    );
    // Opened: a heading, then every step.
    let log = lists::event_log(run.records(), &fold::rows(end, &folds, &[f.first], end));
    assert_eq!(tags(&log, "log-entry").len(), end);
    assert!(log.contains("aria-expanded=\"true\""));
}

#[test]
fn off_the_script_the_marked_entry_no_longer_says_script() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    let tag = |run: &Run| {
        let v = View::of(run.world(), s);
        lists::next_events(run.world(), &v.enabled, run.next_event(), run.on_script())
    };
    assert!(tag(&run).contains("next by script"));
    // Another event than the script's: the run has left its script.
    let other = run
        .world()
        .enabled()
        .into_iter()
        .find(|e| Some(*e) != run.next_event())
        .expect("stale-set-race starts with two clients");
    run.fire(other).unwrap();
    assert!(!run.on_script());
    let html = tag(&run);
    assert!(!html.contains("next by script"), "{html}");
    assert!(html.contains("Step takes this (earliest)"), "{html}");
}

/// The cache panel lists every cached copy, each with the node that holds it: in the
/// second region, `cache-2`'s stale copy as the race leaves it; with near caches, the
/// instance's near copy; a column names the holder for the eye and for screen readers.
#[test]
fn the_cache_panel_lists_every_copy_with_its_holder() {
    let s = scenarios::find("cross-region-read-your-writes").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    // After the stale set into cache-2 (and before the invalidator deletes it).
    let at = run
        .records()
        .iter()
        .position(|r| r.outcome == "stored v1")
        .expect("the story stores v1")
        + 1;
    run.seek(at);
    let v = View::of(run.world(), s);
    let cache = paint::cache(&v);
    let rows = tags(&cache, "cache-entry");
    let held: Vec<(Option<&str>, Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| {
            (
                attr(r, "data-cache"),
                attr(r, "data-key"),
                attr(r, "data-value"),
            )
        })
        .collect();
    assert!(
        held.contains(&(Some("cache-2"), Some("user:1"), Some("v1"))),
        "{held:?}"
    );
    assert!(cache.contains("<th>held by</th>"), "{cache}");
    assert!(cache.contains("cache-2</td>"), "{cache}");
    // The classic topology keeps its three columns.
    let (_, classic) = view_at("cache-aside-read", 6);
    assert!(!paint::cache(&classic).contains("held by"));
}
