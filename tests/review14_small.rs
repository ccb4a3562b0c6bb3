//! The session-14 review's smaller findings, each read at the reviewer's own link or
//! setup: X12 the explorer's faults field says what it did with what was typed; the
//! run file's errors count list items as JSON does, name the cursor's line, and a file
//! with no choices is taken with a note; a sentence after a colon goes on in lower
//! case; an ignored duplicate event says its ack once (W8); and hybrid draws user:1
//! until the step that drops it (W5).
mod common;
use cachescope::sim::codec::{self, CodecError};
use cachescope::sim::search::msg::{read_faults, MAX_FAULTS};
use cachescope::sim::view::View;
use cachescope::sim::{Event, Fault, Fixes, NodeId, Run};

/// X12: 9 or 1.5 became 3, -1 or `e` became 0, silently. Now each says what the
/// search will use; a whole number in range says nothing.
#[test]
fn the_faults_field_says_what_it_did_with_what_was_typed() {
    assert_eq!(MAX_FAULTS, 3);
    for n in 0..=3u8 {
        assert_eq!(read_faults(&n.to_string(), 0), (n, None));
    }
    let said = |text: &str, previous: u8| read_faults(text, previous);
    assert_eq!(
        said("9", 0),
        (
            3,
            Some("9 faults: the search places a whole number from 0 to 3, so it uses 3.".into())
        )
    );
    assert_eq!(
        said("1.5", 3),
        (
            1,
            Some("1.5 faults: the search places a whole number from 0 to 3, so it uses 1.".into())
        )
    );
    assert_eq!(
        said("-1", 2),
        (
            0,
            Some("-1 faults: the search places a whole number from 0 to 3, so it uses 0.".into())
        )
    );
    assert_eq!(said("99999999999999999999999", 1).0, 3);
    // A number field gives "" for `e`: the number before it stays.
    assert_eq!(
        said("", 2),
        (
            2,
            Some("Not a whole number from 0 to 3: the search still places 2.".into())
        )
    );
    assert_eq!(said("two", 1).0, 1);
}

fn run_file(choices: Option<&str>, cursor: u64) -> String {
    let choices = choices.map_or(String::new(), |c| format!(",\n  \"choices\": [{c}]"));
    format!(
        "{{\n  \"format\": \"cachescope-run\",\n  \"version\": 1,\n  \"scenario\": \"stale-set-race\",\n  \
         \"fixes\": [],\n  \"cursor\": {cursor}{choices}\n}}\n"
    )
}

fn error(text: &str) -> CodecError {
    match codec::run_from_json(text) {
        Err(e) => e,
        Ok(_) => panic!("{text} reads"),
    }
}

/// The third choice is `choices[2]` to anyone reading JSON; the cursor's error has its
/// line like every other field's.
#[test]
fn run_file_errors_count_as_json_does_and_name_the_cursor_line() {
    let mut run = common::start("stale-set-race", &[]);
    run.forward();
    run.forward();
    let ok: Vec<String> = run
        .records()
        .iter()
        .map(|r| format!("\"{}\"", r.event))
        .collect();
    let text = run_file(Some(&format!("{}, \"deliver m99\"", ok.join(", "))), 0);
    let e = error(&text);
    assert!(
        e.to_string().contains("field `choices[2]`: choice 3 "),
        "{e}"
    );

    let text = run_file(Some(&ok.join(", ")), 99);
    let e = error(&text);
    assert!(e.to_string().starts_with("line 6, column "), "{e}");
    assert!(
        e.to_string()
            .contains("field `cursor`: the cursor is at step 99"),
        "{e}"
    );

    let text =
        "{\"format\": \"cachescope-run\", \"version\": 1, \"scenario\": \"stale-set-race\", \
                \"fixes\": [], \"choices\": [], \"notes\": [{\"step\": \"x\", \"text\": \"a\"}]}";
    let e = error(text);
    assert!(e.to_string().contains("field `notes[0]`"), "{e}");
}

/// A run file with no `choices` field opens as the scenario's own order, and says so.
#[test]
fn a_run_file_with_no_choices_is_taken_with_a_note() {
    let (run, _, note) = codec::run_from_json(&run_file(None, 3)).expect("it reads");
    assert_eq!(run.cursor(), 3);
    assert_eq!(
        note.as_deref(),
        Some("The file has no `choices` field, so its run is the scenario's own order")
    );
    let (_, _, note) = codec::run_from_json(&run_file(Some(""), 0)).expect("it reads");
    assert_eq!(note, None, "an empty list is the file's own word");
}

/// cdn-purge-race with the origin cache down: the invalidator's retry went on in upper
/// case after a colon ("in time: The invalidator sends it again").
#[test]
fn a_retried_delete_goes_on_in_lower_case_after_its_colon() {
    let mut run = common::start("cdn-purge-race", &[]);
    run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    run.run_to_end();
    let said = common::said_at(&run, "del sent again");
    assert!(
        said.starts_with(
            "No answer to the delete of user:1 in time: the invalidator sends it again"
        ),
        "{said}"
    );
}

/// W8: the idempotent consumer's ignored duplicate said "acknowledges" twice; so did the
/// version-aware consumer's ignored older event.
#[test]
fn an_ignored_event_says_its_ack_once() {
    for (query, what) in [
        (
            "scenario=event-duplicate-reorder&fix=idempotent-consumer&step=22",
            "so it does nothing. It acknowledges e2 so the bus can remove it from the queue.",
        ),
        (
            "scenario=event-duplicate-reorder&fix=versioned-events&step=22",
            "ignores it. It acknowledges e2 so the bus can remove it from the queue.",
        ),
    ] {
        let run = at(query);
        let said = &run.records()[21].narration;
        assert!(said.contains(what), "{query}: {said}");
        assert_eq!(said.matches("acknowledges").count(), 1, "{query}: {said}");
    }
}

use common::at;

/// `hybrid` as catalogued before session 26: its last read at 400 ms and its horizon at
/// 500 ms (now 320 and 357 ms, so that the stale-set race's copy outlives the run and
/// its search shows that race): its story lets user:1's TTL run out.
fn hybrid_to_500_ms() -> Run {
    let s = cachescope::sim::scenarios::find("hybrid").unwrap();
    let text = cachescope::sim::scenario::file::to_json(s)
        .replace("\"id\": \"hybrid\"", "\"id\": \"hybrid-to-500-ms\"")
        .replacen("\"at_ms\": 320", "\"at_ms\": 400", 1)
        .replacen("\"horizon_ms\": 357", "\"horizon_ms\": 500", 1);
    let s = cachescope::sim::scenario::file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .into_scenario();
    assert_eq!(s.config(&Fixes::none()).horizon_ms, 500, "{text}");
    Run::new(s, Fixes::none(), s.seed)
}

/// W5: at step 52 of hybrid to 500 ms (t = 408 ms, the set of user:2) user:1's TTL has
/// run out but its expiry timer fires at step 53, which says the cache drops it: the
/// view keeps it until then (a miss already, so not judged stale), in the panel and
/// the node.
#[test]
fn hybrid_draws_user_1_until_the_step_that_drops_it() {
    let mut story = hybrid_to_500_ms();
    story.run_to_end();
    let keys = |step: usize| {
        let w = story.state(step).unwrap();
        let v = View::of(w, story.scenario);
        let note = v
            .nodes
            .iter()
            .find(|n| n.id == NodeId::CACHE)
            .unwrap()
            .note
            .clone();
        let held: Vec<(String, u64, bool)> = v
            .cache
            .iter()
            .map(|e| (e.key.clone(), e.expires_ms, e.stale))
            .collect();
        (w.now_ms, held, note)
    };
    let (now, held, note) = keys(52);
    assert_eq!(now, 408);
    assert!(
        held.iter()
            .any(|(k, at, stale)| k == "user:1" && *at == 408 && !stale),
        "{held:?}"
    );
    assert!(note.starts_with("2 keys"), "{note}");
    assert!(story.records()[52]
        .narration
        .contains("user:1's TTL ran out"));
    let (_, held, note) = keys(53);
    assert!(!held.iter().any(|(k, ..)| k == "user:1"), "{held:?}");
    assert!(note.starts_with("1 key"), "{note}");
}
