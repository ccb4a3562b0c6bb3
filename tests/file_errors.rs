//! A scenario or run file's errors name where they are (review session 12, R12): a bad
//! `topology` entry was reported at the end of the list, not at its own line and field;
//! a file saved as UTF-16 (as the page's reader decodes it, UTF-8 with replacement
//! characters) was told as an unexpected character.
mod common;
use cachescope::sim::codec;
use cachescope::sim::scenario::file;
use cachescope::sim::scenarios;

/// cache-aside-write's file with `topology` as its first setting, and the line the
/// entry `needle` is on (from 1).
fn with_topology(topology: &str, needle: &str) -> (String, usize) {
    let s = scenarios::find("cache-aside-write").unwrap();
    let text = file::to_json(s);
    let at = text.find("\"settings\": {").unwrap() + "\"settings\": {".len();
    let text = format!(
        "{}\n    \"topology\": {topology},{}",
        &text[..at],
        &text[at..]
    );
    let line = text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    (text, line)
}

#[test]
fn a_bad_topology_entry_is_reported_at_its_line_and_field() {
    let topology = "[\n      {\"id\": \"cache-2\"},\n      {\"id\": \"service-2\",\n       \"cache\": \"db\"}\n    ]";
    let (text, line) = with_topology(topology, "\"cache\": \"db\"");
    let e = file::from_json(&text).unwrap_err();
    let column = text.lines().nth(line - 1).unwrap().find("\"db\"").unwrap() + 1;
    assert_eq!(
        e.at,
        format!("line {line}, column {column}, field `settings.topology[1].cache`"),
        "{e}"
    );
    assert!(
        e.reason
            .starts_with("topology[1] (service-2): \"cache\" is the cache a service fills"),
        "{e}"
    );
    // A region out of range: its own line and field.
    let (text, line) = with_topology(
        "[\n      {\"id\": \"writer\"},\n      {\"id\": \"reader\", \"region\": 3}\n    ]",
        "\"region\": 3",
    );
    let e = file::from_json(&text).unwrap_err();
    assert!(e.at.starts_with(&format!("line {line}, ")), "{e}");
    assert!(e.at.ends_with("field `settings.topology[1].region`"), "{e}");
    assert_eq!(e.reason, "topology[1] (reader): \"region\" is 1 or 2");
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let s = scenarios::find("cache-aside-write").unwrap();
    let text = file::to_json(s);
    // UTF-16 LE with its byte-order mark, as the page's reader (UTF-8) decodes it.
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let read = String::from_utf8_lossy(&bytes).into_owned();
    let e = file::from_json(&read).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1, column 1: this file is UTF-16; save it as UTF-8"
    );
    let e = codec::from_json(&read).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1, column 1: this file is UTF-16; save it as UTF-8"
    );
    // Big-endian, and with no byte-order mark: the NULs give it away.
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let e = file::from_json(&String::from_utf8_lossy(&be)).unwrap_err();
    assert!(e.reason.contains("UTF-16"), "{e}");
    // A UTF-8 byte-order mark is read past.
    let bom = format!("\u{FEFF}{text}");
    assert!(file::from_json(&bom).is_ok());
}
