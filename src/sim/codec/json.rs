//! The run's JSON file, read and written with `serde_json` (see `file`): every error
//! names the line, the column and the field.
use super::file::{self, quote, At, Loose, Text};
use super::{
    decode_choice_words, error, CodecError, ErrorKind, RunSpec, FORMAT, MAX_JSON_LEN, VERSION,
};
use crate::sim::notes::{Notes, MAX_NOTE_CHARS};
use crate::sim::run::MAX_STEPS;
use crate::sim::sandbox::{self, SandboxSpec};
use crate::sim::scenario::file::{self as scenario_file, ScenarioFile};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The file as written: its fields in this order.
#[derive(Serialize)]
struct RunFileOut<'a> {
    format: &'a str,
    version: u64,
    scenario: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sandbox: Option<String>,
    fixes: &'a [String],
    seed: u64,
    cursor: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<NoteOut<'a>>,
    choices: Vec<String>,
    /// A scenario of the learner's own, whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario_file: Option<ScenarioFile>,
}

/// A note as written: `{"step": 4, "text": "the race"}`.
#[derive(Serialize)]
struct NoteOut<'a> {
    step: usize,
    text: &'a str,
}

/// A note as read.
#[derive(Deserialize)]
#[serde(expecting = "a note {\"step\": 4, \"text\": \"…\"}")]
struct NoteIn {
    step: u64,
    text: String,
}

/// What is read first, to tell another kind of file (or another version) from a
/// broken run file.
#[derive(Deserialize)]
struct Head {
    format: Option<At<Loose>>,
    version: Option<At<Loose>>,
}

/// The file as read. Unknown fields are ignored (a later version may add some).
#[derive(Deserialize)]
struct RunFileIn<'a> {
    /// A scenario of the learner's own, read with the scenario file's reader.
    #[serde(default, borrow)]
    scenario_file: Option<&'a RawValue>,
    scenario: At<String>,
    #[serde(default)]
    sandbox: Option<At<String>>,
    #[serde(default)]
    fixes: Vec<At<String>>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    cursor: Option<At<u64>>,
    /// `None` when the file has no `choices` field (then the run is the scenario's
    /// own order, and the page says so).
    #[serde(default)]
    choices: Option<Vec<At<String>>>,
    /// Optional: files written before notes existed have none.
    #[serde(default)]
    notes: Vec<At<NoteIn>>,
}

/// The spec as a JSON document (pretty, one choice per line).
pub fn to_json(spec: &RunSpec) -> String {
    let out = RunFileOut {
        format: FORMAT,
        version: VERSION,
        scenario: &spec.scenario,
        sandbox: spec.sandbox.as_ref().map(|sb| sb.code()),
        fixes: &spec.fixes,
        seed: spec.seed,
        cursor: spec.cursor,
        notes: spec
            .notes
            .iter()
            .map(|(step, text)| NoteOut { step, text })
            .collect(),
        choices: spec.choices.iter().map(|e| e.to_string()).collect(),
        scenario_file: spec.custom.map(|c| ScenarioFile::of(c.0)),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// The notes, each checked: a step within the longest run, one note per step, a text
/// within `MAX_NOTE_CHARS`, at most `MAX_NOTES`.
fn notes(items: &[At<NoteIn>], place: &Text) -> Result<Notes, CodecError> {
    let mut notes = Notes::new();
    for (i, item) in items.iter().enumerate() {
        let at = place.at(item, &format!("notes[{i}]"));
        let fail = |reason: String| Err(error(ErrorKind::Field, at.clone(), reason));
        let note = &item.value;
        let Ok(step) = usize::try_from(note.step) else {
            return fail(format!(
                "step {} is past the longest run ({MAX_STEPS} steps)",
                note.step
            ));
        };
        if note.text.chars().count() > MAX_NOTE_CHARS {
            return fail(format!(
                "the note has more than {MAX_NOTE_CHARS} characters"
            ));
        }
        if notes.get(step).is_some() {
            return fail(format!("step {step} already has a note"));
        }
        if let Err(reason) = notes.set(step, &note.text) {
            return fail(reason);
        }
    }
    Ok(notes)
}

fn version_error(at: String, reason: String) -> CodecError {
    error(ErrorKind::Version, at, reason)
}

/// Reads a run file. The format and version are checked first, then the fields, then
/// the scenario, fixes and seed, then the choices, step by step, against what is
/// possible at each step.
pub fn from_json(text: &str) -> Result<RunSpec, CodecError> {
    read(text).map(|read| read.spec)
}

/// A run file read as the page opens it: its run, placed at its cursor (a cursor past
/// the run's end named by its line, as every other field is), its notes, and a note for
/// the page when the file leaves out its choices (review session 14: such a file was
/// taken silently as the scenario's own order).
pub fn run_from_json(text: &str) -> Result<(crate::sim::Run, Notes, Option<String>), CodecError> {
    let Read {
        spec,
        cursor_at,
        has_choices,
    } = read(text)?;
    let run = spec.to_run().map_err(|mut e| {
        if let (ErrorKind::Cursor, Some(at)) = (e.kind, cursor_at) {
            e.at = at;
        }
        e
    })?;
    let note = (!has_choices).then(|| {
        "The file has no `choices` field, so its run is the scenario's own order".to_string()
    });
    Ok((run, spec.notes, note))
}

/// A run file's spec, with where its cursor is written and whether it lists choices.
struct Read {
    spec: RunSpec,
    cursor_at: Option<String>,
    has_choices: bool,
}

fn read(text: &str) -> Result<Read, CodecError> {
    if text.len() > MAX_JSON_LEN {
        return Err(error(
            ErrorKind::TooLong,
            "file",
            format!(
                "{} bytes; a run file has at most {MAX_JSON_LEN}",
                text.len()
            ),
        ));
    }
    let place = Text(text);
    let head: Head = file::read(text, "a run file")?;
    match &head.format {
        Some(At {
            value: Loose::Str(f),
            ..
        }) if f == FORMAT => {}
        Some(f) => {
            return Err(version_error(
                place.at(f, "format"),
                format!(
                    "{} is not a Cachescope run (expected {})",
                    f.value.words(),
                    quote(FORMAT)
                ),
            ))
        }
        None => {
            return Err(version_error(
                place.top("format"),
                format!("missing: a run file has \"format\": {}", quote(FORMAT)),
            ))
        }
    }
    match &head.version {
        Some(At {
            value: Loose::Number(n),
            ..
        }) if n.parse::<u64>() == Ok(VERSION) => {}
        Some(v) => {
            return Err(version_error(
                place.at(v, "version"),
                format!(
                    "version {} is not known; this page reads version {VERSION}",
                    v.value.words()
                ),
            ))
        }
        None => {
            return Err(version_error(
                place.top("version"),
                format!("missing: a run file has \"version\": {VERSION}"),
            ))
        }
    }
    let doc: RunFileIn = file::read(text, "a run file")?;
    let field = |at: String, reason: String| error(ErrorKind::Field, at, reason);
    let sandbox = match &doc.sandbox {
        Some(code) => Some(
            SandboxSpec::parse(&code.value)
                .map_err(|e| field(place.at(code, "sandbox"), format!("{e}")))?,
        ),
        None => None,
    };
    // The sandbox's parts only mean something for the sandbox.
    let scenario = doc.scenario.value.clone();
    let sandbox = sandbox.filter(|_| scenario == sandbox::ID);
    if scenario == sandbox::ID && sandbox.is_none() {
        return Err(field(
            place.at(&doc.scenario, "sandbox"),
            "missing: the sandbox's parts (e.g. \"1.a211mn\")".into(),
        ));
    }
    let cursor = doc.cursor.as_ref().map_or(0, |c| c.value);
    let mut spec = RunSpec {
        scenario,
        fixes: doc.fixes.iter().map(|f| f.value.clone()).collect(),
        seed: 0,
        sandbox,
        choices: Vec::new(),
        cursor: usize::try_from(cursor).unwrap_or(usize::MAX),
        notes: notes(&doc.notes, &place)?,
        custom: None,
    };
    if let Some(raw) = doc.scenario_file {
        let inner = scenario_file::from_json(raw.get())
            .map_err(|e| place.shifted(raw.get(), e, "scenario_file"))?;
        spec.custom = Some(super::Custom(inner.into_scenario()));
    }
    let start_scenario = match spec.custom {
        Some(c) => c.0,
        None => super::resolve(&spec.scenario, spec.sandbox.as_ref())
            .map_err(|e| field(place.at(&doc.scenario, "scenario"), e.reason))?,
    };
    spec.seed = doc.seed.unwrap_or(start_scenario.seed);
    let start = spec.start().map_err(|e| {
        // The only field `start` checks past `resolve` is a fix.
        let bad = doc
            .fixes
            .iter()
            .find(|f| start_scenario.fix(&f.value).is_none());
        match bad {
            Some(f) => field(place.at(f, "fixes"), e.reason),
            None => e,
        }
    })?;
    let choices = doc.choices.as_deref().unwrap_or_default();
    let words: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
    spec.choices = decode_choice_words(&start, &words).map_err(|mut e| {
        // Point at the choice by its line.
        if e.kind == ErrorKind::TooManyChoices {
            e.at = match choices.first() {
                Some(c) => place.at(c, "choices"),
                None => place.top("choices"),
            };
        } else if let Some(n) =
            e.at.rsplit("choice ")
                .next()
                .and_then(|n| n.parse::<usize>().ok())
        {
            // "choice 3" counts as a reader does; the path as JSON does: `choices[2]`.
            if let Some(i) = n.checked_sub(1) {
                if let Some(c) = choices.get(i) {
                    e.at = place.at(c, &format!("choices[{i}]"));
                }
            }
        }
        e
    })?;
    let cursor_at = doc.cursor.as_ref().map(|c| place.at(c, "cursor"));
    if spec.cursor > MAX_STEPS {
        return Err(field(
            cursor_at.unwrap_or_else(|| "field `cursor`".into()),
            format!("{cursor} is past the longest run ({MAX_STEPS} steps)"),
        ));
    }
    Ok(Read {
        spec,
        cursor_at,
        has_choices: doc.choices.is_some(),
    })
}
