//! The lists of controls written as markup (src/ui/lists.rs): the runs, the fix toggles
//! and the learning path's links carry the attributes their one click handler reads
//! and the UI contract promises, the same as the state they show.
use cachescope::sim::tree::Tree;
use cachescope::sim::{scenarios, Fixes, Run};
use cachescope::ui::lists;
#[path = "common/html.rs"]
mod html;
use html::{attr, tags_where};

/// Every start tag of `name` in `html`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("{name} ");
    tags_where(html, |t| t.starts_with(&open))
}

#[test]
fn every_run_has_a_button_and_every_other_run_a_delete_button() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut t = Tree::new(Run::with_default_seed(s, Fixes::none()));
    t.run_to_end();
    t.seek(2);
    let recorded = t.all_records()[2].event;
    let other = *t
        .world()
        .enabled()
        .iter()
        .find(|e| **e != recorded)
        .unwrap();
    t.fire(other).unwrap();
    let html = lists::branches(&t.branches(), &[]);
    let buttons = tags(&html, "button");
    let runs: Vec<_> = buttons
        .iter()
        .filter(|b| attr(b, "data-testid") == Some("branch"))
        .collect();
    assert_eq!(runs.len(), 2);
    for (b, info) in runs.iter().zip(t.branches()) {
        assert_eq!(attr(b, "data-branch"), Some(info.id.to_string().as_str()));
        assert_eq!(attr(b, "data-status"), Some(info.status()));
        let current = if info.current { "true" } else { "false" };
        assert_eq!(attr(b, "aria-current"), Some(current));
    }
    // Only the run not shown (run 0) can be deleted.
    let deletes: Vec<_> = buttons
        .iter()
        .filter_map(|b| attr(b, "data-delete"))
        .collect();
    assert_eq!(deletes, ["0"]);
    assert!(html.contains(&format!("from run 0 after step 2: {other}")));
    assert!(
        html.contains("class=\"branch-item ok current\"")
            || html.contains("class=\"branch-item violated current\"")
    );
}

#[test]
fn fix_buttons_are_pressed_when_their_fix_is_on() {
    let s = scenarios::find("stale-set-race").unwrap();
    let first = s.fixes[0].id;
    let on = Fixes::parse(s, [first]).unwrap();
    for testid in ["fix-toggle", "compare-fix"] {
        let html = lists::fix_buttons(s, &on, testid);
        let buttons = tags(&html, "button");
        assert_eq!(buttons.len(), s.fixes.len());
        for (b, f) in buttons.iter().zip(s.fixes) {
            assert_eq!(attr(b, "data-testid"), Some(testid));
            assert_eq!(attr(b, "data-fix"), Some(f.id));
            let pressed = if f.id == first { "true" } else { "false" };
            assert_eq!(attr(b, "aria-pressed"), Some(pressed));
            assert_eq!(
                attr(b, "class"),
                Some(if f.id == first { "fix on" } else { "fix" })
            );
        }
    }
    // The toggles say what a fix does and mark the ones on; side by side does neither.
    let toggles = lists::fix_buttons(s, &on, "fix-toggle");
    assert!(toggles.contains(&format!("✓ {}", s.fixes[0].title)));
    assert!(!lists::fix_buttons(s, &on, "compare-fix").contains('✓'));
}

#[test]
fn the_scenario_list_links_every_scenario_in_order() {
    let html = lists::scenario_links(&scenarios::ALL);
    let links = tags(&html, "a");
    let ids: Vec<_> = links
        .iter()
        .filter_map(|a| attr(a, "data-scenario"))
        .collect();
    let want: Vec<_> = scenarios::ALL.iter().map(|s| s.id).collect();
    assert_eq!(ids, want);
    for a in links {
        let id = attr(a, "data-scenario").unwrap();
        assert_eq!(attr(a, "href"), Some(format!("?scenario={id}").as_str()));
        assert_eq!(attr(a, "data-testid"), Some("scenario-link"));
    }
}
