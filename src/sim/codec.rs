//! A run as data: `RunSpec` (scenario, fixes, seed, sandbox, choices, cursor), the
//! compact code of its choices for the URL (`run=`), and its JSON file.
//!
//! ## The run code (`run=`)
//!
//! `1.` (the format's version) then one number per choice, each relative to the world
//! at its step: the choice's index in `options(step)`, which lists what the rules
//! would take at that step first (the scenario's own order, or earliest first once the
//! run left it), then the other enabled events (`World::enabled`), then the faults
//! (`World::faults`). A run that mostly follows the rules is mostly zeros. Each number
//! is written in base64url digits, 5 bits per digit, least significant first; a digit
//! of 32 or more means another digit follows. So a choice among the first 32 options
//! is one character, and a 30-step run is about 30 characters.
//!
//! Decoding replays the run step by step, so it needs the scenario, fixes, seed and
//! sandbox the code was made for; a number past the options at its step is reported as
//! "choice N is not enabled at step N".
//!
//! ## The JSON file
//!
//! `{"format": "cachescope-run", "version": 1, "scenario": …, "sandbox": …, "fixes":
//! […], "seed": …, "cursor": …, "choices": ["start reader", "deliver m7", "crash
//! relay", …], "notes": [{"step": 4, "text": "the race"}]}`: choices in the words of
//! the trace (`Event`'s `Display`), matched back against the events possible at each
//! step; `notes` (optional, so older files load) are the learner's notes (`notes`).
//!
//! Architecture Invariant: no input panics a decoder; inputs are capped in length
//! (`MAX_CODE_LEN`, `MAX_JSON_LEN`) and choices at `MAX_STEPS`; every error says what is
//! wrong and where (which character, field, or choice).
use super::notes::Notes;
use super::run::{Run, MAX_STEPS};
use super::sandbox::{self, SandboxSpec};
use super::scenario::{Fixes, Scenario};
use super::scenarios;
use super::world::Event;
use std::fmt;

pub const FORMAT: &str = "cachescope-run";
pub const VERSION: u64 = 1;
/// The run code's version prefix (before the `.`).
pub const CODE_VERSION: &str = "1";
/// A run code longer than this is refused.
pub const MAX_CODE_LEN: usize = 4 * 1024;
/// A JSON file longer than this is refused.
pub const MAX_JSON_LEN: usize = 1024 * 1024;
/// At most this many base64url digits per number (25 bits).
const MAX_DIGITS: usize = 5;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A run, as data: what a link or a file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSpec {
    /// A catalog id, or `sandbox` (then `sandbox` is `Some`).
    pub scenario: String,
    pub fixes: Vec<String>,
    pub seed: u64,
    pub sandbox: Option<SandboxSpec>,
    /// Every choice, faults included, from the start.
    pub choices: Vec<Event>,
    /// Steps shown; may be past `choices` (the rest follows the rules).
    pub cursor: usize,
    /// The learner's notes on the run's steps.
    pub notes: Notes,
    /// A scenario of the learner's own (opened from a file or a link), which the run
    /// file carries whole (`scenario_file`); `None` for the catalog and the sandbox.
    pub custom: Option<Custom>,
}

/// A scenario that is not in the catalog. Two are equal when they are the same one.
#[derive(Clone, Copy, Debug)]
pub struct Custom(pub &'static Scenario);

impl PartialEq for Custom {
    fn eq(&self, other: &Custom) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Custom {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is longer than its cap.
    TooLong,
    /// Another format, or a version this one does not read.
    Version,
    /// Not well formed: a bad character, a truncated number, broken JSON.
    Syntax,
    /// A field is missing or has the wrong type or an unknown value.
    Field,
    /// More choices than a run has steps.
    TooManyChoices,
    /// A choice is not possible at its step.
    NotEnabled,
    /// The cursor is past the end of the run.
    Cursor,
}

/// What is wrong, and where: `at` names the character, the field or the choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecError {
    pub kind: ErrorKind,
    pub at: String,
    pub reason: String,
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reason.starts_with(&self.at) {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.at, self.reason)
        }
    }
}

impl std::error::Error for CodecError {}

pub(crate) fn error(
    kind: ErrorKind,
    at: impl Into<String>,
    reason: impl Into<String>,
) -> CodecError {
    CodecError {
        kind,
        at: at.into(),
        reason: reason.into(),
    }
}

/// Appends one number to a run code.
fn push_number(out: &mut String, mut n: usize) {
    loop {
        let digit = n & 31;
        n >>= 5;
        let more = if n > 0 { 32 } else { 0 };
        out.push(ALPHABET[digit | more] as char);
        if n == 0 {
            break;
        }
    }
}

/// The code of the first `len` recorded choices of `run`, read off its recorded
/// states (no replay): what `link::query` writes.
pub fn encode_recorded(run: &Run, len: usize) -> String {
    let mut out = format!("{CODE_VERSION}.");
    let mut on_script = true;
    for (i, r) in run.all_records().iter().take(len).enumerate() {
        let Some(world) = run.state(i) else { break };
        let options = options_at(run.scenario, world, i, on_script);
        let Some(n) = options.iter().position(|o| *o == r.event) else {
            break;
        };
        push_number(&mut out, n);
        on_script = on_script && run.step_on_script(i);
    }
    out
}

/// How many of the run's recorded choices matter: past this, every choice is what the
/// rules would take anyway, so `forward` reproduces it. 0 when the whole recording is
/// the scenario's own order.
pub fn significant_len(run: &Run) -> usize {
    let mut last = 0;
    let mut on_script = true;
    for (i, r) in run.all_records().iter().enumerate() {
        let Some(world) = run.state(i) else { break };
        if rule_at(run.scenario, world, i, on_script) != Some(r.event) {
            last = i + 1;
        }
        on_script = on_script && run.step_on_script(i);
    }
    last
}

/// The run code of `choices`, replayed from the start of `run` (its scenario, fixes,
/// seed and sandbox; its own recording is ignored). Stops at the first choice that is
/// not possible.
pub fn encode(run: &Run, choices: &[Event]) -> String {
    let mut out = format!("{CODE_VERSION}.");
    let mut r = Replayer::of(run);
    for e in choices {
        let Some(n) = r.options().iter().position(|o| o == e) else {
            break;
        };
        push_number(&mut out, n);
        if r.fire(*e).is_err() {
            break;
        }
    }
    out
}

/// The code of every recorded choice of `run`.
pub fn encode_run(run: &Run) -> String {
    encode(run, &run.choices())
}

fn digit_value(b: u8) -> Option<usize> {
    ALPHABET.iter().position(|a| *a == b)
}

/// A name for the exported file: `cachescope-<scenario>-step-<n>.json`.
pub fn file_name(run: &Run) -> String {
    format!("cachescope-{}-step-{}.json", run.scenario.id, run.cursor())
}

/// Reads a run code against the start of `run` (its scenario, fixes, seed, sandbox),
/// returning the choices.
pub fn decode(run: &Run, code: &str) -> Result<Vec<Event>, CodecError> {
    if code.len() > MAX_CODE_LEN {
        return Err(error(
            ErrorKind::TooLong,
            "run code",
            format!(
                "{} characters; a run code has at most {MAX_CODE_LEN}",
                code.len()
            ),
        ));
    }
    let Some((version, body)) = code.split_once('.') else {
        return Err(error(
            ErrorKind::Version,
            "run code",
            "no format version: a run code starts with \"1.\"",
        ));
    };
    if version != CODE_VERSION {
        let shown = file::quote(&version.chars().take(12).collect::<String>());
        return Err(error(
            ErrorKind::Version,
            "run code",
            format!("format version {shown} is not known; this page reads version {CODE_VERSION}"),
        ));
    }
    let offset = version.len() + 1;
    let bytes = body.as_bytes();
    let mut numbers: Vec<(usize, usize)> = Vec::new();
    let (mut n, mut shift, mut digits, mut start) = (0usize, 0u32, 0usize, 0usize);
    for (i, b) in bytes.iter().enumerate() {
        let Some(v) = digit_value(*b) else {
            let ch = body[i..].chars().next().unwrap_or('?');
            return Err(error(
                ErrorKind::Syntax,
                format!("run code, character {}", offset + i + 1),
                format!(
                    "'{}' is not a run-code character (A-Z, a-z, 0-9, - and _)",
                    ch.escape_default()
                ),
            ));
        };
        if digits == 0 {
            start = i;
        }
        digits += 1;
        if digits > MAX_DIGITS {
            return Err(error(
                ErrorKind::Syntax,
                format!("run code, character {}", offset + i + 1),
                "a number runs on too long",
            ));
        }
        n |= (v & 31) << shift;
        shift += 5;
        if v < 32 {
            numbers.push((n, offset + start + 1));
            if numbers.len() > MAX_STEPS {
                return Err(error(
                    ErrorKind::TooManyChoices,
                    format!("run code, character {}", offset + start + 1),
                    format!("more than {MAX_STEPS} choices; a run has at most {MAX_STEPS} steps"),
                ));
            }
            (n, shift, digits) = (0, 0, 0);
        }
    }
    if digits > 0 {
        return Err(error(
            ErrorKind::Syntax,
            format!("run code, character {}", offset + bytes.len()),
            "the code ends in the middle of a choice (it was cut short)",
        ));
    }
    let mut r = Replayer::of(run);
    let mut choices = Vec::with_capacity(numbers.len());
    for (i, (n, at)) in numbers.into_iter().enumerate() {
        let options = r.options();
        let Some(e) = options.get(n).copied() else {
            return Err(not_enabled(
                i,
                format!(
                    "(character {at}) the code asks for option {} but only {} event(s) are possible there",
                    n + 1,
                    options.len()
                ),
            ));
        };
        r.fire(e)
            .map_err(|err| not_enabled(i, format!("(character {at}) {err}")))?;
        choices.push(e);
    }
    Ok(choices)
}

/// Matches choices written in words (`deliver m7`, `crash relay`) against the events
/// possible at each step of a replay from the start of `run`.
pub fn decode_choice_words(run: &Run, words: &[&str]) -> Result<Vec<Event>, CodecError> {
    if words.len() > MAX_STEPS {
        return Err(error(
            ErrorKind::TooManyChoices,
            "field `choices`",
            format!(
                "{} choices; a run has at most {MAX_STEPS} steps",
                words.len()
            ),
        ));
    }
    let mut r = Replayer::of(run);
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let want = normalize(word);
        let options = r.options();
        let Some(e) = options.iter().copied().find(|o| o.to_string() == want) else {
            const SHOWN: usize = 8;
            let mut possible: Vec<String> =
                options.iter().take(SHOWN).map(|e| e.to_string()).collect();
            if options.len() > SHOWN {
                possible.push(format!("and {} more", options.len() - SHOWN));
            }
            let possible = if possible.is_empty() {
                "nothing is possible there".to_string()
            } else {
                format!("possible there: {}", possible.join(", "))
            };
            let shown = file::quote(&word.chars().take(40).collect::<String>());
            return Err(error(
                ErrorKind::NotEnabled,
                format!("field `choices`, choice {}", i + 1),
                format!(
                    "choice {} ({shown}) is not enabled at step {}; {possible}",
                    i + 1,
                    i + 1
                ),
            ));
        };
        r.fire(e).map_err(|err| not_enabled(i, err.to_string()))?;
        out.push(e);
    }
    Ok(out)
}

/// Lower case, single spaces, no padding.
fn normalize(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn not_enabled(i: usize, detail: String) -> CodecError {
    error(
        ErrorKind::NotEnabled,
        format!("choice {}", i + 1),
        format!(
            "choice {} is not enabled at step {}: {detail}",
            i + 1,
            i + 1
        ),
    )
}

/// The scenario a spec names: a catalog id, or `sandbox` with its spec.
pub fn resolve(id: &str, sandbox: Option<&SandboxSpec>) -> Result<&'static Scenario, CodecError> {
    if id == sandbox::ID {
        return match sandbox {
            Some(spec) => Ok(spec.scenario()),
            None => Err(error(
                ErrorKind::Field,
                "field `sandbox`",
                "the scenario is the sandbox, but the sandbox's parts are missing",
            )),
        };
    }
    scenarios::find(id).ok_or_else(|| {
        let shown = file::quote(&id.chars().take(60).collect::<String>());
        error(
            ErrorKind::Field,
            "field `scenario`",
            format!("no scenario {shown}"),
        )
    })
}

impl RunSpec {
    /// The spec of `run`: every recorded choice, and its cursor.
    pub fn of(run: &Run) -> RunSpec {
        RunSpec {
            scenario: run.scenario.id.to_string(),
            fixes: run.fixes.ids().iter().map(|s| s.to_string()).collect(),
            seed: run.seed,
            sandbox: run.sandbox.clone(),
            choices: run.choices(),
            cursor: run.cursor(),
            notes: Notes::new(),
            custom: (run.sandbox.is_none() && !run.scenario.is_catalog())
                .then_some(Custom(run.scenario)),
        }
    }

    /// The spec of `run` with the learner's `notes`.
    pub fn with_notes(mut self, notes: &Notes) -> RunSpec {
        self.notes = notes.clone();
        self
    }

    /// A fresh run (nothing recorded) of the spec's scenario, fixes, seed and sandbox.
    pub fn start(&self) -> Result<Run, CodecError> {
        let scenario = match self.custom {
            Some(c) => c.0,
            None => resolve(&self.scenario, self.sandbox.as_ref())?,
        };
        let fixes =
            Fixes::parse(scenario, self.fixes.iter().map(String::as_str)).map_err(|bad| {
                let shown = file::quote(&bad.chars().take(60).collect::<String>());
                error(
                    ErrorKind::Field,
                    "field `fixes`",
                    format!("{} has no fix {shown}", self.scenario),
                )
            })?;
        Ok(match &self.sandbox {
            Some(spec) if self.scenario == sandbox::ID => {
                Run::new_sandbox(spec.clone(), fixes, self.seed)
            }
            _ => Run::new(scenario, fixes, self.seed),
        })
    }

    /// The run this spec describes, its choices recorded and the cursor placed.
    pub fn to_run(&self) -> Result<Run, CodecError> {
        if self.choices.len() > MAX_STEPS {
            return Err(error(
                ErrorKind::TooManyChoices,
                "field `choices`",
                format!(
                    "{} choices; a run has at most {MAX_STEPS} steps",
                    self.choices.len()
                ),
            ));
        }
        let start = self.start()?;
        let mut run = start
            .replayed(&self.choices)
            .map_err(|(i, err)| not_enabled(i, err.to_string()))?;
        run.reset();
        let reached = run.seek(self.cursor);
        if reached < self.cursor {
            return Err(error(
                ErrorKind::Cursor,
                "field `cursor`",
                format!(
                    "the cursor is at step {} but the run ends after {reached} steps",
                    self.cursor
                ),
            ));
        }
        Ok(run)
    }

    /// The run code of the choices (see the module doc).
    pub fn code(&self) -> Result<String, CodecError> {
        Ok(encode(&self.start()?, &self.choices))
    }

    /// The spec with its choices read from a run code.
    pub fn with_code(mut self, code: &str) -> Result<RunSpec, CodecError> {
        self.choices = decode(&self.start()?, code)?;
        Ok(self)
    }
}

pub mod file;
mod json;
pub mod quote;
mod replay;
pub use json::{from_json, run_from_json, to_json};
pub use replay::Replayer;
use replay::{options_at, rule_at};
