//! Links and run files made before the redesign of issue 8 still open at the same
//! moment. `tests/legacy/` holds links (`links.txt`) and run files (`*.json`, listed in
//! `runs.txt`) recorded from the build at commit aa90bd6, each with what that build
//! showed at its step: the cursor, the virtual time, the live cache entries, the
//! database rows, every invariant of the scenario and every metric it shows. These
//! files are a record of that build: they are never regenerated; a change to one must
//! say in its commit why the old build's moment was wrong.
//!
//! `tests/legacy/session5/` is a second record of the same kind, from the build at
//! 403e250 (end of session 5): the production chapter's scenarios with the faults that
//! build offered (a node's partition, drops, delays, duplicates, an abort), so that a
//! change to the list of faults (the run code numbers a choice by its place in it)
//! cannot silently move an old link to another moment.
use cachescope::sim::codec;
use cachescope::sim::link;
use cachescope::sim::view::View;
use cachescope::sim::Run;

/// The moment in the words of the fixtures.
fn moment(run: &Run) -> String {
    let v = View::of(run.world(), run.scenario);
    let mut out = format!("step {}\nnow {} ms\n", run.cursor(), v.now_ms);
    for c in &v.cache {
        let expires = c.expires_at.map_or("never".into(), |t| format!("{t} ms"));
        out.push_str(&format!(
            "cache {} = {} expires {expires}\n",
            c.key, c.value
        ));
    }
    for r in &v.db {
        out.push_str(&format!("db {} = {}\n", r.key, r.value));
    }
    for i in &v.invariants {
        let state = if i.ok { "holds" } else { "broken" };
        out.push_str(&format!("invariant {} {state}\n", i.name));
    }
    for m in &v.metrics {
        out.push_str(&format!("metric {} {}\n", m.name, m.value));
    }
    out
}

/// The fixture's blocks: a header line (`link …` or `file …`) and the moment below it.
fn blocks(text: &str) -> Vec<(String, String)> {
    text.split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .map(|b| {
            let (head, body) = b.trim_start().split_once('\n').expect("a header line");
            (head.to_string(), format!("{}\n", body.trim_end()))
        })
        .collect()
}

#[test]
fn old_links_open_at_the_same_moment() {
    links_open_at_their_moment(include_str!("legacy/links.txt"), 10);
}

#[test]
fn session5_links_open_at_the_same_moment() {
    links_open_at_their_moment(include_str!("legacy/session5/links.txt"), 7);
}

fn links_open_at_their_moment(text: &str, at_least: usize) {
    let fixtures = blocks(text);
    assert!(fixtures.len() >= at_least, "{} links", fixtures.len());
    let mut wrong = Vec::new();
    for (head, expected) in &fixtures {
        let query = head.strip_prefix("link ").expect("a link block");
        let loaded = link::load(query);
        assert!(loaded.errors.is_empty(), "{query}: {:?}", loaded.errors);
        let got = moment(&loaded.run);
        if &got != expected {
            wrong.push(format!("{query}\n--- then\n{expected}--- now\n{got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn old_run_files_open_at_the_same_moment() {
    run_files_open_at_their_moment(include_str!("legacy/runs.txt"), "", 5);
}

#[test]
fn session5_run_files_open_at_the_same_moment() {
    run_files_open_at_their_moment(include_str!("legacy/session5/runs.txt"), "session5/", 7);
}

fn run_files_open_at_their_moment(text: &str, dir: &str, at_least: usize) {
    let fixtures = blocks(text);
    assert!(fixtures.len() >= at_least, "{} files", fixtures.len());
    let mut wrong = Vec::new();
    for (head, expected) in &fixtures {
        let name = head.strip_prefix("file ").expect("a file block");
        let path = format!("{}/tests/legacy/{dir}{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("the run file");
        assert!(
            text.contains("\"version\": 1"),
            "{name} is a version 1 file"
        );
        let run = codec::from_json(&text)
            .and_then(|spec| spec.to_run())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = moment(&run);
        if &got != expected {
            wrong.push(format!("{name}\n--- then\n{expected}--- now\n{got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A link opened today writes back the same link: the moment is reproducible from it.
#[test]
fn old_links_write_back_unchanged() {
    let old = blocks(include_str!("legacy/links.txt"));
    let session5 = blocks(include_str!("legacy/session5/links.txt"));
    for (head, _) in old.into_iter().chain(session5) {
        let query = head.strip_prefix("link ").expect("a link block");
        assert_eq!(link::query(&link::load(query).run), query);
    }
}
