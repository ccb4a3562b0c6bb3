//! Notes on a run's steps: set and read, written into a link and a run file and read
//! back, every bad note reported under `note` (or its field) without a panic, and old
//! run files (no `notes`) still load.
use cachescope::sim::codec::{self, ErrorKind, RunSpec};
use cachescope::sim::link;
use cachescope::sim::notes::{self, Notes, MAX_NOTES, MAX_NOTE_CHARS};
use cachescope::sim::rng::Rng;
use cachescope::sim::run::MAX_STEPS;
use cachescope::sim::{scenarios, Fixes, Run};

fn texts(n: &Notes) -> Vec<(usize, String)> {
    n.iter().map(|(s, t)| (s, t.to_string())).collect()
}

fn race() -> Run {
    let s = scenarios::find("stale-set-race").unwrap();
    Run::new(s, Fixes::none(), s.seed)
}

#[test]
fn set_get_replace_and_remove() {
    let mut n = Notes::new();
    n.set(9, "  later  ").unwrap();
    n.set(4, "the race\nhere").unwrap();
    assert_eq!(n.get(4), Some("the race here"));
    assert_eq!(n.get(9), Some("later"));
    assert_eq!(n.iter().map(|(s, _)| s).collect::<Vec<_>>(), vec![4, 9]);
    n.set(4, "replaced").unwrap();
    assert_eq!(n.get(4), Some("replaced"));
    n.set(4, "   ").unwrap();
    assert_eq!(n.get(4), None);
    assert_eq!(n.len(), 1);
    assert!(n.set(MAX_STEPS + 1, "x").is_err());
    let long = "é".repeat(MAX_NOTE_CHARS + 10);
    n.set(1, &long).unwrap();
    assert_eq!(n.get(1).unwrap().chars().count(), MAX_NOTE_CHARS);
    let mut full = Notes::new();
    for i in 0..MAX_NOTES {
        full.set(i, "n").unwrap();
    }
    assert!(full.set(MAX_NOTES, "one too many").is_err());
    full.set(0, "replacing is still fine").unwrap();
}

#[test]
fn notes_travel_in_a_link() {
    let mut run = race();
    run.seek(6);
    let mut n = Notes::new();
    n.set(4, "the race: v1 & v2 = \"both\" 100% 🙂").unwrap();
    n.set(6, "stale for good").unwrap();
    let q = link::query_with_notes(&run, &n);
    assert!(q.ends_with("&step=6&note=4:the%20race%3A%20v1%20%26%20v2%20%3D%20%22both%22%20100%25%20%F0%9F%99%82&note=6:stale%20for%20good"), "{q}");
    let l = link::load(&q);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(texts(&l.notes), texts(&n));
    assert_eq!(l.run.cursor(), 6);
    assert_eq!(link::query_with_notes(&l.run, &l.notes), q);
    // A link without notes has none, and writes none.
    let plain = link::load("scenario=stale-set-race&step=2");
    assert!(plain.notes.is_empty());
    assert_eq!(
        link::query_with_notes(&plain.run, &plain.notes),
        link::query(&plain.run)
    );
}

#[test]
fn bad_notes_in_a_link_are_reported_under_note_and_left_out() {
    let cases: &[(&str, &str)] = &[
        ("note=the%20race", "<step>:<text>"),
        ("note=x:the%20race", "not a step number"),
        ("note=-1:hi", "not a step number"),
        ("note=501:hi", "past the longest run"),
        ("note=99999999999999999999999:hi", "not a step number"),
        ("note=3:", "empty"),
        ("note=3:%20%20", "empty"),
        ("note=3:a&note=3:b", "already has a note"),
        ("note=400:far", "the run ends after"),
    ];
    for (bad, says) in cases {
        let l = link::load(&format!("scenario=stale-set-race&{bad}"));
        assert_eq!(l.errors.len(), 1, "{bad}: {:?}", l.errors);
        let e = &l.errors[0];
        assert_eq!(e.param, "note", "{bad}");
        assert!(e.reason.contains(says), "{bad}: {e}");
        assert_eq!(l.run.scenario.id, "stale-set-race");
    }
    let long = format!("note=2:{}", "a".repeat(MAX_NOTE_CHARS + 1));
    let l = link::load(&format!("scenario=stale-set-race&{long}"));
    assert!(l.errors[0].reason.contains("at most 280"), "{:?}", l.errors);
    // The good note beside a bad one is kept.
    let l = link::load("scenario=stale-set-race&note=x:1&note=2:kept");
    assert_eq!(l.notes.get(2), Some("kept"));
    assert_eq!(l.errors.len(), 1);
}

#[test]
fn the_note_parser_takes_any_text_without_panicking() {
    let mut rng = Rng::new(11);
    let alphabet: Vec<char> = "0123456789:%+&=aZ .\u{0}\n🙂é-".chars().collect();
    for _ in 0..100_000 {
        let len = rng.below(24) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        if let Ok((step, text)) = notes::parse_param(&s) {
            assert!(step <= MAX_STEPS, "{s:?}");
            assert!(!text.is_empty() && text.chars().count() <= MAX_NOTE_CHARS);
            assert!(!text.chars().any(char::is_control), "{s:?}");
        }
        let decoded = link::decode(&s);
        let _ = notes::parse_param(&decoded);
        // Writing a note and reading it back gives the note.
        let mut n = Notes::new();
        if n.set(3, &decoded).is_ok() {
            if let Some(t) = n.get(3) {
                let back = link::decode(&notes::encode_component(t));
                assert_eq!(back, t, "{s:?}");
            }
        }
    }
}

#[test]
fn notes_travel_in_a_run_file_and_old_files_still_load() {
    let mut run = race();
    run.seek(5);
    let mut n = Notes::new();
    n.set(0, "before anything").unwrap();
    n.set(5, "quote \" backslash \\ tab\tend").unwrap();
    let json = codec::to_json(&RunSpec::of(&run).with_notes(&n));
    assert!(json.contains("\"notes\": ["), "{json}");
    assert!(json.contains("\"text\": \"before anything\""), "{json}");
    let spec = codec::from_json(&json).unwrap();
    assert_eq!(texts(&spec.notes), texts(&n));
    assert_eq!(spec.to_run().unwrap().world(), run.world());
    // A file written before notes existed has no `notes` field.
    let old = codec::to_json(&RunSpec::of(&run));
    assert!(!old.contains("notes"));
    assert!(codec::from_json(&old).unwrap().notes.is_empty());
}

#[test]
fn bad_notes_in_a_run_file_name_the_item() {
    let run = race();
    let good = codec::to_json(&RunSpec::of(&run));
    let with = |notes: &str| {
        good.replacen(
            "\"cursor\"",
            &format!("\"notes\": {notes},\n  \"cursor\""),
            1,
        )
    };
    let cases: &[(&str, &str, &str)] = &[
        ("{}", "field `notes`", "expected a list"),
        (
            "[3]",
            "field `notes[0]`",
            "expected a note {\"step\": 4, \"text\": \"…\"}",
        ),
        (
            "[{\"text\": \"x\"}]",
            "field `notes[0]`",
            "missing field `step`",
        ),
        (
            "[{\"step\": -2, \"text\": \"x\"}]",
            "field `notes[0]`",
            "-2",
        ),
        (
            "[{\"step\": 2}]",
            "field `notes[0]`",
            "missing field `text`",
        ),
        (
            "[{\"step\": 2, \"text\": \"a\"}, {\"step\": 2, \"text\": \"b\"}]",
            "field `notes[1]`",
            "step 2 already has a note",
        ),
        (
            "[{\"step\": 900, \"text\": \"a\"}]",
            "field `notes[0]`",
            "past the longest run",
        ),
    ];
    for (notes, at, says) in cases {
        let e = codec::from_json(&with(notes)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Field, "{notes}: {e}");
        assert!(e.at.starts_with("line "), "{notes}: {e}");
        assert!(e.at.contains(at), "{notes}: {e}");
        assert!(e.reason.contains(says), "{notes}: {e}");
    }
    let too_long = format!(
        "[{{\"step\": 1, \"text\": \"{}\"}}]",
        "a".repeat(MAX_NOTE_CHARS + 1)
    );
    let e = codec::from_json(&with(&too_long)).unwrap_err();
    assert!(e.reason.contains("more than 280 characters"), "{e}");
    let items: Vec<String> = (0..=MAX_NOTES)
        .map(|i| format!("{{\"step\": {i}, \"text\": \"n\"}}"))
        .collect();
    let e = codec::from_json(&with(&format!("[{}]", items.join(",")))).unwrap_err();
    assert!(
        e.at.contains(&format!("field `notes[{}]`", MAX_NOTES)),
        "{e}"
    );
    assert!(e.reason.contains("at most 64 notes"), "{e}");
}

#[test]
fn a_note_stays_on_its_branch() {
    use cachescope::sim::tree::Tree;
    let mut tree = Tree::new(race());
    tree.seek(5);
    let mut n = Notes::new();
    n.put(&tree, 5, "the reader's late set").unwrap();
    n.put(&tree, 2, "before the fork").unwrap();
    assert_eq!(n.at(&tree, 5), Some("the reader's late set"));
    let first = tree.current_id();
    // Back to step 3 and another choice there: a new branch, whose step 5 is another
    // moment.
    tree.seek(3);
    let scripted = tree.next_event().unwrap();
    let other = *tree
        .world()
        .enabled()
        .iter()
        .find(|e| **e != scripted)
        .expect("another event is enabled at step 3");
    let second = tree.fire(other).unwrap();
    assert_ne!(second, first);
    tree.seek(5);
    assert_eq!(tree.cursor(), 5);
    assert_eq!(
        n.at(&tree, 5),
        None,
        "the note on step 5 belongs to the first branch"
    );
    assert_eq!(
        n.at(&tree, 2),
        Some("before the fork"),
        "shared steps share their notes"
    );
    // The second branch's link and file carry only its own notes.
    let q = link::query_with_notes(&tree, &n);
    assert!(q.contains("&note=2:"), "{q}");
    assert!(!q.contains("&note=5:"), "{q}");
    assert_eq!(
        texts(&n.on_path(&tree)),
        vec![(2, "before the fork".to_string())]
    );
    // A note on step 5 of the second branch is another note.
    n.put(&tree, 5, "here the writer went first").unwrap();
    assert_eq!(n.len(), 3);
    tree.switch(first).unwrap();
    tree.seek(5);
    assert_eq!(n.at(&tree, 5), Some("the reader's late set"));
    // Its link reads back with the note where it was.
    let l = link::load(&link::query_with_notes(&tree, &n));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.notes.at(&l.run, 5), Some("the reader's late set"));
    // An old link's notes (no path in it) lie on the path its run takes, also past
    // the step it opens at.
    let old = link::load("scenario=stale-set-race&step=2&note=6:later");
    assert!(old.errors.is_empty(), "{:?}", old.errors);
    let mut run = old.run.clone();
    run.seek(6);
    assert_eq!(old.notes.at(&run, 6), Some("later"));
    let q = link::query_with_notes(&old.run, &old.notes);
    assert_eq!(q, format!("{}&note=6:later", link::query(&old.run)));
}
