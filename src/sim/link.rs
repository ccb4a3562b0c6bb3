//! The page's URL as data: parse a query string into a run (and the errors to show),
//! and write a run's exact moment back as a query string.
//!
//! `run=<code>` holds the run's choices and faults (see `codec`), encoded against the
//! scenario, fixes, seed and sandbox the same link names. `step` then counts along this
//! run: the recorded choices are replayed first, and past their end the rules go on
//! (the scenario's own order while the run follows it, else earliest first). Without
//! `step` the cursor is at 0, as the contract's default says, with the run recorded
//! ahead of it; so `query` always writes `step` when the cursor is not 0.
//! `query` writes `run=` only when the run's recorded choices differ from what the
//! rules take, and only up to the last choice that differs (the rest is reproduced by
//! the rules), so a shared link reproduces a hand-chosen interleaving exactly.
//! A bad code is reported under `run`, and the scenario's own order is loaded.
//!
//! Notes are `note=<step>:<text>` pairs, one per note (see `notes`); a bad one is
//! reported under `note` and left out.
//!
//! A sandbox is `scenario=sandbox&sb=<code>` (see `sandbox`); `sb=` alone opens it
//! too, and beside another scenario it is reported; a bad `sb` is reported and the
//! default sandbox of cache-aside is loaded. `view=` other than `explore` is reported. A scenario a learner opened from a
//! file is `scenario=<its id>&s=<code>` (see `scenario::code`): the whole scenario
//! travels in the link; a bad `s` is reported and the catalog's scenario of that id (or
//! the first) is loaded.
//!
//! Architecture Invariant: no input makes this panic. Whatever the query holds, `load`
//! returns a usable run; what it could not use is reported, naming the parameter.
use super::codec;
use super::notes::{self, Notes};
use super::run::{Run, MAX_STEPS};
use super::sandbox::{self, Pattern, SandboxSpec};
use super::scenario::code as scenario_code;
use super::scenario::{Fixes, Scenario};
use super::scenarios;
use std::fmt;

/// A query longer than this is not read past it (a pasted novel is not a link).
/// (A scenario of the learner's own, `s=`, takes a few kilobytes of it.)
pub const MAX_QUERY_LEN: usize = 64 * 1024;

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
    /// The learner's notes on the run's steps (`note=`).
    pub notes: Notes,
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

/// The parameters `load` reads that take one value (`fix=` is a list and may repeat).
const SINGLE_VALUED: [&str; 7] = ["scenario", "s", "sb", "view", "seed", "run", "step"];

/// Builds the run a query describes: the scenario, its fixes and seed, and the cursor.
pub fn load(query: &str) -> Loaded {
    load_with(query, &scenario_code::decode_scenario, &SandboxSpec::parse)
}

/// The scenario code of a query (`s=`), if it has one.
pub fn scenario_code_of(query: &str) -> Option<String> {
    pairs(query)
        .into_iter()
        .find(|(k, _)| k == "s")
        .map(|(_, v)| v)
}

/// The sandbox code of a query (`sb=`), if it has one.
pub fn sandbox_code_of(query: &str) -> Option<String> {
    pairs(query)
        .into_iter()
        .find(|(k, _)| k == "sb")
        .map(|(_, v)| v)
}

/// `load`, with the scenario of an `s=` code found by `scenario` and the spec of an
/// `sb=` code by `sandbox`: the page reads the codes beforehand, in wasm chunks (the
/// JSON reader's; `SandboxSpec::parse`'s), and passes what it got
/// (`src/ui/session.rs`), so that its first download has neither reader.
pub fn load_with(
    query: &str,
    scenario: &dyn Fn(&str) -> Result<&'static Scenario, codec::CodecError>,
    sandbox: &dyn Fn(&str) -> Result<SandboxSpec, sandbox::SpecError>,
) -> Loaded {
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
    let mut spec: Option<SandboxSpec> = None;
    // `sb=` only ever means the sandbox: without `scenario=`, it opens it.
    let asked = get("scenario").or(get("sb").map(|_| sandbox::ID));
    // A scenario of the learner's own travels whole in `s=`. When its code is bad, one
    // message says what is shown instead (and the scenario named is not reported again).
    let custom: Option<&'static Scenario> = get("s").and_then(|code| match scenario(code) {
        Ok(scenario) => Some(scenario),
        Err(e) => {
            let instead = match asked {
                Some(id) if id == sandbox::ID || scenarios::find(id).is_some() => {
                    format!("showing {id} instead")
                }
                Some(id) => format!(
                    "{} is not in the catalog either; showing {} instead",
                    shown(id),
                    default.id
                ),
                None => format!("showing {} instead", default.id),
            };
            error("s", code, format!("{e}; {instead}"));
            None
        }
    });
    let scenario: &'static Scenario = match asked {
        _ if custom.is_some() => custom.unwrap_or(default),
        None => default,
        Some(sandbox::ID) => {
            let s = match get("sb") {
                None => SandboxSpec::new(Pattern::CacheAside),
                Some(code) => sandbox(code).unwrap_or_else(|e| {
                    error(
                        "sb",
                        code,
                        format!("{e}; showing the cache-aside sandbox instead"),
                    );
                    SandboxSpec::new(Pattern::CacheAside)
                }),
            };
            let scenario = s.scenario();
            spec = Some(s);
            scenario
        }
        Some(id) => scenarios::find(id).unwrap_or_else(|| {
            if get("s").is_none() {
                error(
                    "scenario",
                    id,
                    format!("no such scenario; showing {} instead", default.id),
                );
            }
            default
        }),
    };
    if let (Some(code), None) = (get("sb"), &spec) {
        error(
            "sb",
            code,
            format!(
                "a sandbox code, read only with scenario=sandbox; showing {}",
                scenario.id
            ),
        );
    }
    if let Some(v) = get("view").filter(|v| *v != "explore") {
        error(
            "view",
            v,
            "unknown view (the one there is: explore); showing the scenario".into(),
        );
    }

    // A parameter given twice: `fix=` is a list, so its values join; any other one this
    // reader takes keeps its first value and says so (a hand-joined link would
    // otherwise run another experiment than the one written, without a word).
    for name in SINGLE_VALUED {
        let mut values = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        if let (Some(first), Some(again)) = (values.next(), values.next()) {
            error(
                name,
                again,
                format!(
                    "{name} given more than once; using the first, {}",
                    shown(first)
                ),
            );
        }
    }
    let fix_list: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "fix")
        .map(|(_, v)| v.as_str())
        .collect();
    let fix_list = (!fix_list.is_empty()).then(|| fix_list.join(","));

    let mut fixes = Fixes::none();
    if let Some(list) = fix_list.as_deref() {
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

    let mut run = match spec {
        Some(spec) => Run::new_sandbox(spec, fixes, seed),
        None => Run::new(scenario, fixes, seed),
    };
    if let Some(code) = get("run") {
        match codec::decode(&run, code) {
            Ok(choices) => {
                for e in choices {
                    if run.fire(e).is_err() {
                        break;
                    }
                }
                run.reset();
            }
            Err(e) => error("run", code, format!("{e}; using the scenario's own order")),
        }
    }
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
    let notes = load_notes(&pairs, &run, &mut error);
    Loaded { run, errors, notes }
}

/// The `note` pairs, each checked; notes past the run's end are reported and left out.
fn load_notes(
    pairs: &[(String, String)],
    run: &Run,
    error: &mut impl FnMut(&'static str, &str, String),
) -> Notes {
    let mut notes = Notes::new();
    for (_, value) in pairs.iter().filter(|(k, _)| k == "note") {
        match notes::parse_param(value) {
            Ok((step, _)) if notes.get(step).is_some() => error(
                "note",
                value,
                format!("step {step} already has a note; keeping the first"),
            ),
            Ok((step, text)) => {
                if let Err(reason) = notes.set(step, &text) {
                    error("note", value, reason);
                }
            }
            Err(reason) => error("note", value, reason),
        }
    }
    let (reached, dropped) = notes.bind(run);
    for step in dropped {
        let value = format!("{step}:…");
        error(
            "note",
            &value,
            format!("the run ends after {reached} steps, so step {step} cannot have a note"),
        );
    }
    notes
}

/// The query string for the moment `run` shows.
pub fn query(run: &Run) -> String {
    let mut q = setup_query(run);
    let significant = codec::significant_len(run);
    if significant > 0 {
        q.push_str("&run=");
        q.push_str(&codec::encode_recorded(run, significant));
    }
    if run.cursor() > 0 {
        q.push_str(&format!("&step={}", run.cursor()));
    }
    q
}

/// The query string for the moment `run` shows, with the learner's notes.
pub fn query_with_notes(run: &Run, notes: &Notes) -> String {
    let mut q = query(run);
    q.push_str(&notes.on_path(run).query());
    q
}

/// The query string for the run's setup alone (scenario, sandbox, fixes, seed), with
/// no choices and no cursor: the history entry a scenario's load pushes (the page then
/// replaces it with `query_with_notes` as the moment shown moves).
pub fn setup_query(run: &Run) -> String {
    let mut q = format!("scenario={}", run.scenario.id);
    if run.sandbox.is_none() && !run.scenario.is_catalog() {
        q.push_str("&s=");
        q.push_str(&scenario_code::encode(run.scenario));
    }
    if let Some(spec) = &run.sandbox {
        q.push_str("&sb=");
        q.push_str(&spec.code());
    }
    if !run.fixes.ids().is_empty() {
        q.push_str("&fix=");
        q.push_str(&run.fixes.ids().join(","));
    }
    if run.seed != run.scenario.seed {
        q.push_str(&format!("&seed={}", run.seed));
    }
    q
}
