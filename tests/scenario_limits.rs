//! The limits of a scenario file's values that their types alone do not keep, each
//! refused at the value's line and field (review session 10, F7–F8): a duration past
//! `MAX_DURATION_MS` (2^64 − 1 ms wrapped virtual time), a request for a key that is
//! not a row (an UPDATE that inserted it), more clients than the diagram draws.
use cachescope::sim::codec::ErrorKind;
use cachescope::sim::scenario::file::{self, MAX_CLIENTS, MAX_DURATION_MS};
use cachescope::sim::scenarios::FILES;

fn stale_set_race() -> String {
    FILES
        .iter()
        .find(|(n, _)| *n == "stale-set-race.json")
        .unwrap()
        .1
        .to_string()
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

/// Refused with `words`, at the line of `needle` (its first occurrence).
fn refused(text: &str, needle: &str, words: &str) {
    let e = file::from_json(text).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Field, "{e}");
    let line = line_of(text, needle);
    assert!(
        e.at.starts_with(&format!("line {line}, column ")),
        "expected line {line}: {e}"
    );
    assert!(e.to_string().contains(words), "{e}");
}

#[test]
fn a_duration_past_the_limit_is_refused_at_its_field() {
    let good = stale_set_race();
    let max = u64::MAX.to_string();
    refused(
        &good.replace(
            "\"settings\": {",
            &format!("\"settings\": {{\n    \"latency\": {{ \"db_read_ms\": {max} }},"),
        ),
        &max,
        &format!("field `settings.latency.db_read_ms`: {max} ms is too long: a duration is at most {MAX_DURATION_MS} ms"),
    );
    // The ms of a slow hop has no `_ms` name: it is a duration all the same.
    let slow = good.replacen(
        "\"db-read-reply\",\n            10",
        "\"db-read-reply\",\n            1000000001",
        1,
    );
    refused(
        &slow,
        "1000000001",
        "field `settings.clients.reader[0].slow[1]`",
    );
    refused(
        &good.replace("\"tombstone_ms\": 500", "\"tombstone_ms\": 1000000001"),
        "1000000001",
        "field `fixes[0].changes.guard.versioned.tombstone_ms`",
    );
    // At the limit it is read; and 2^64 − 1 is the one long ttl_ms: no TTL.
    let at_limit = good.replace(
        "\"tombstone_ms\": 500",
        &format!("\"tombstone_ms\": {MAX_DURATION_MS}"),
    );
    assert!(file::from_json(&at_limit).is_ok());
    let no_ttl = good.replace(
        "\"settings\": {",
        &format!("\"settings\": {{\n    \"ttl_ms\": {max},"),
    );
    assert!(file::from_json(&no_ttl).is_ok());
    let long_ttl = good.replace(
        "\"settings\": {",
        "\"settings\": {\n    \"ttl_ms\": 1000000001,",
    );
    refused(&long_ttl, "1000000001", "means no TTL");
}

#[test]
fn a_request_for_a_key_that_is_not_a_row_is_refused() {
    let good = stale_set_race();
    let writer_key = "\"op\": \"write\",\n          \"key\": 1";
    let seven = good.replace(writer_key, "\"op\": \"write\",\n          \"key\": 7");
    refused(
        &seven,
        "\"key\": 7",
        "field `settings.clients.writer[0].key`: a write updates a row, and user:7 is not one of the rows in settings.keys (user:1)",
    );
    // No rows at all: the reader's read finds nothing (as negative-cache's reads of
    // user:2 do), but the writer's update is refused.
    let none = good.replace("\"settings\": {", "\"settings\": {\n    \"keys\": [],");
    refused(
        &none,
        "\"key\": 1,\n          \"at_ms\": 0\n", // the writer's (the reader's has a slow hop)
        "settings.clients.writer[0].key`: a write updates a row, and user:1 is not one of the rows in settings.keys (none)",
    );
    // An insert creates the row: it may name a key that does not exist yet.
    let insert = good.replace(writer_key, "\"op\": \"insert\",\n          \"key\": 7");
    assert!(file::from_json(&insert).is_ok());
    // A warm key is a cached row.
    let warm = good.replace("\"settings\": {", "\"settings\": {\n    \"warm\": [1, 3],");
    refused(&warm, "3]", "field `settings.warm[1]`: user:3 is warm");
}

#[test]
fn more_clients_than_the_diagram_draws_are_refused() {
    let good = stale_set_race();
    let request = "[{ \"op\": \"read\", \"key\": 1 }]";
    let many: String = (2..MAX_CLIENTS)
        .map(|i| format!("\"reader-{i}\": {request},\n      "))
        .collect();
    let at_most = good.replacen("\"reader\": [", &format!("{many}\"reader\": ["), 1);
    assert!(
        file::from_json(&at_most).is_ok(),
        "{MAX_CLIENTS} clients are allowed"
    );
    let e = file::from_json(&good.replacen(
        "\"reader\": [",
        &format!("{many}\"reader-{MAX_CLIENTS}\": {request},\n      \"reader\": ["),
        1,
    ))
    .unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "{} clients; a scenario has at most {MAX_CLIENTS}",
            MAX_CLIENTS + 1
        )),
        "{e}"
    );
}

/// A run that reaches the step limit says it was cut there, before its ending (which
/// describes the state at the cut, F9); a run that ends says nothing of the kind.
#[test]
fn a_run_cut_at_the_step_limit_says_so() {
    use cachescope::sim::run::MAX_STEPS;
    use cachescope::sim::{Fixes, Run};
    let good = stale_set_race();
    let reads: Vec<String> = (0..200)
        .map(|i| format!("{{ \"op\": \"read\", \"key\": 1, \"at_ms\": {i} }}"))
        .collect();
    let long = good.replacen(
        "\"writer\": [",
        &format!("\"reader-2\": [{}],\n      \"writer\": [", reads.join(", ")),
        1,
    );
    let s = file::from_json(&long).unwrap().into_scenario();
    let mut r = Run::with_default_seed(s, Fixes::none());
    r.run_to_end();
    assert_eq!(r.cursor(), MAX_STEPS);
    let note = r.limit_note().expect("cut at the limit");
    assert!(
        note.starts_with(&format!(
            "The run stops at its limit of {MAX_STEPS} steps, with "
        )),
        "{note}"
    );
    let left = r.world().enabled().len();
    assert!(
        left > 0 && note.contains(&format!("{left} event")),
        "{note}"
    );
    let mut ended = Run::with_default_seed(
        cachescope::sim::scenarios::find("stale-set-race").unwrap(),
        Fixes::none(),
    );
    ended.run_to_end();
    assert!(ended.cursor() < MAX_STEPS && ended.limit_note().is_none());
}
