//! The page's URL as data: parse a query string into a run (and the errors to show),
//! and write a run's exact moment back as a query string.
//!
//! Architecture Invariant: no input makes this panic. Whatever the query holds, `load`
//! returns a usable run; what it could not use is reported, naming the parameter.
use super::run::{Run, MAX_STEPS};
use super::scenario::{Fixes, Scenario};
use super::scenarios;
use std::fmt;

/// A query longer than this is not read past it (a pasted novel is not a link).
pub const MAX_QUERY_LEN: usize = 8 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub param: &'static str,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}: {}", self.param, self.value, self.reason)
    }
}

pub struct Loaded {
    pub run: Run,
    pub errors: Vec<LoadError>,
}

/// Decodes `%XX` and `+`; invalid escapes are kept as written.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query's pairs, decoded, in order. A leading `?` is ignored.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    let mut end = query.len().min(MAX_QUERY_LEN);
    while !query.is_char_boundary(end) {
        end -= 1;
    }
    query[..end]
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn shown(value: &str) -> String {
    const MAX_SHOWN_CHARS: usize = 60;
    let mut s: String = value.chars().take(MAX_SHOWN_CHARS).collect();
    if value.chars().count() > MAX_SHOWN_CHARS {
        s.push('…');
    }
    s
}

/// Builds the run a query describes: the scenario, its fixes and seed, and the cursor.
pub fn load(query: &str) -> Loaded {
    let pairs = pairs(query);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut errors = Vec::new();
    let mut error = |param: &'static str, value: &str, reason: String| {
        errors.push(LoadError {
            param,
            value: shown(value),
            reason,
        });
    };

    let default = scenarios::ALL[0];
    let scenario: &'static Scenario = match get("scenario") {
        None => default,
        Some(id) => scenarios::find(id).unwrap_or_else(|| {
            error(
                "scenario",
                id,
                format!("no such scenario; showing {} instead", default.id),
            );
            default
        }),
    };

    let mut fixes = Fixes::none();
    if let Some(list) = get("fix") {
        let ids: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let known: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| scenario.fix(id).is_some())
            .collect();
        for bad in ids.iter().filter(|id| scenario.fix(id).is_none()) {
            let offered = if scenario.fixes.is_empty() {
                "it has none".to_string()
            } else {
                format!(
                    "it has {}",
                    scenario
                        .fixes
                        .iter()
                        .map(|f| f.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            error(
                "fix",
                bad,
                format!("{} has no such fix ({offered})", scenario.id),
            );
        }
        fixes = Fixes::parse(scenario, known).unwrap_or_default();
    }

    let seed = match get("seed") {
        None => scenario.seed,
        Some(text) => text.parse::<u64>().unwrap_or_else(|_| {
            error(
                "seed",
                text,
                format!(
                    "not a whole number from 0 to {}; using {}",
                    u64::MAX,
                    scenario.seed
                ),
            );
            scenario.seed
        }),
    };

    if let Some(code) = get("run") {
        error(
            "run",
            code,
            "recorded runs are not supported by this version; using the scenario's own order"
                .into(),
        );
    }

    let mut run = Run::new(scenario, fixes, seed);
    if let Some(text) = get("step") {
        match text.parse::<usize>() {
            Ok(n) if n <= MAX_STEPS => {
                let reached = run.seek(n);
                if reached < n {
                    error(
                        "step",
                        text,
                        format!("the run ends after {reached} steps; showing step {reached}"),
                    );
                }
            }
            Ok(_) => {
                run.run_to_end();
                let reached = run.cursor();
                error(
                    "step",
                    text,
                    format!("the run ends after {reached} steps; showing step {reached}"),
                );
            }
            Err(_) => error(
                "step",
                text,
                "not a whole number of steps (0 or more); showing step 0".into(),
            ),
        }
    }
    Loaded { run, errors }
}

/// The query string for the moment `run` shows.
pub fn query(run: &Run) -> String {
    let mut q = format!("scenario={}", run.scenario.id);
    if !run.fixes.ids().is_empty() {
        q.push_str("&fix=");
        q.push_str(&run.fixes.ids().join(","));
    }
    if run.seed != run.scenario.seed {
        q.push_str(&format!("&seed={}", run.seed));
    }
    if run.cursor() > 0 {
        q.push_str(&format!("&step={}", run.cursor()));
    }
    q
}
