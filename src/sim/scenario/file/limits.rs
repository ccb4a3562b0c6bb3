//! The limits a scenario file's values must keep that their types alone do not:
//! durations a run can use, updates of rows that exist, and a drawable number of
//! clients. Each refusal names the value's line, column and field.
//!
//! Why: a duration of 2^64 − 1 ms was accepted and wrapped virtual time (a message due
//! before it was sent; a debug build panics on the overflow), an UPDATE of a key that
//! is not a row inserted it, and 198 readers were drawn 3 px wide (review session 10,
//! F7–F9).
use super::ScenarioFile;
use crate::sim::codec::file::{numbers, Number, Text};
use crate::sim::codec::{error, CodecError, ErrorKind};
use crate::sim::config::{Op, NO_TTL};

/// The longest duration a file may give, in ms (about 11.6 days): far past any
/// scenario's horizon, and small enough that 500 steps of such delays cannot
/// overflow a `u64` of virtual time.
pub const MAX_DURATION_MS: u64 = 1_000_000_000;
/// The most clients a file may name: the diagram draws each in its own row.
pub const MAX_CLIENTS: usize = 8;

/// Whether the field at `path` is a duration in ms: its name ends in `_ms` (`-ms` in a
/// script's conditions), or it is the ms of a request's `slow` hop.
fn is_duration(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let name = last.split('[').next().unwrap_or(last);
    name.ends_with("_ms") || name.ends_with("-ms") || last == "slow[1]"
}

fn refuse(place: &Text, n: &Number, reason: String) -> CodecError {
    let before = &place.0[..n.start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    error(
        ErrorKind::Field,
        format!("line {line}, column {column}, field `{}`", n.path),
        reason,
    )
}

/// Checks the limits of `file`, read from `place`.
pub(super) fn check(file: &ScenarioFile, place: &Text) -> Result<(), CodecError> {
    let numbers = numbers(place.0);
    for n in &numbers {
        if !is_duration(&n.path) {
            continue;
        }
        let Ok(ms) = n.text.parse::<u64>() else {
            continue; // serde has read it as its type: not a whole number of ms here
        };
        let no_ttl = n.path.ends_with("ttl_ms") && ms == NO_TTL;
        if ms > MAX_DURATION_MS && !no_ttl {
            let hint = if n.path.ends_with("ttl_ms") {
                format!(" ({NO_TTL} means no TTL)")
            } else {
                String::new()
            };
            return Err(refuse(
                place,
                n,
                format!("{ms} ms is too long: a duration is at most {MAX_DURATION_MS} ms (about 11.6 days){hint}"),
            ));
        }
    }
    let clients = &file.settings.clients;
    if clients.len() > MAX_CLIENTS {
        return Err(error(
            ErrorKind::Field,
            place.top("settings.clients"),
            format!(
                "{} clients; a scenario has at most {MAX_CLIENTS} (the diagram draws each in its own row)",
                clients.len()
            ),
        ));
    }
    let keys = &file.settings.keys;
    for (client, requests) in clients {
        for (j, r) in requests.iter().enumerate() {
            // A read of a missing row is real (it finds nothing; negative caching caches
            // that); an update of one matches no row in any SQL database.
            if matches!(r.op, Op::Read | Op::Insert) || keys.contains(&r.key) {
                continue;
            }
            let path = format!("settings.clients.{client}[{j}].key");
            let reason = format!(
                "a {} updates a row, and {} is not one of the rows in settings.keys ({}): an \"insert\" creates a row",
                if r.op == Op::Write { "write" } else { "direct-write" },
                r.key,
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.iter()
                        .map(|k| k.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
            return Err(match numbers.iter().find(|n| n.path == path) {
                Some(n) => refuse(place, n, reason),
                None => error(ErrorKind::Field, format!("field `{path}`"), reason),
            });
        }
    }
    for (j, key) in file.settings.warm.iter().enumerate() {
        if !keys.contains(key) {
            let path = format!("settings.warm[{j}]");
            let reason =
                format!("{key} is warm in the cache but is not one of the rows in settings.keys");
            return Err(match numbers.iter().find(|n| n.path == path) {
                Some(n) => refuse(place, n, reason),
                None => error(ErrorKind::Field, format!("field `{path}`"), reason),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_their_paths() {
        let text = r#"{"a": {"b_ms": 5, "c": [1, {"d": -2}]}, "slow": ["x", 10]}"#;
        let got: Vec<(String, &str)> = numbers(text)
            .into_iter()
            .map(|n| (n.path, n.text))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.b_ms".to_string(), "5"),
                ("a.c[0]".to_string(), "1"),
                ("a.c[1].d".to_string(), "-2"),
                ("slow[1]".to_string(), "10"),
            ]
        );
        assert!(is_duration("a.b_ms") && is_duration("x.slow[1]") && !is_duration("a.c[0]"));
        assert!(is_duration("script[0].when.next-at-least-ms") && !is_duration("seed"));
    }
}
