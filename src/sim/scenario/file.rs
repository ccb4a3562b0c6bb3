//! A scenario as a JSON file: the format every catalog scenario is written in
//! (`src/sim/scenarios/*.json`, embedded in the build) and a learner opens, edits and
//! shares. `docs/scenarios.md` teaches it.
//!
//! JSON, read with `serde_json`: one parser for run files and scenario files (the
//! smallest addition to the page's download), and errors that name the line, the
//! column and the field (`codec::file`). A name that means nothing (a node, a key, a
//! metric, an invariant, a placeholder in an ending, a fix an ending names) is an error
//! at its own line.
use super::{Ending, FixInfo, Rule, Scenario};
use crate::sim::books::{Invariant, Metric};
use crate::sim::codec::file::{self as reader, quote, At, Loose, Text};
use crate::sim::codec::{CodecError, ErrorKind, MAX_JSON_LEN};
use crate::sim::config::{Config, ConfigPatch};
use crate::sim::scenario::rules::{InvariantName, MetricName};
use crate::sim::scenarios::Words;
use serde::{Deserialize, Serialize};

mod limits;
pub use limits::{MAX_CLIENTS, MAX_DURATION_MS};

pub const FORMAT: &str = "cachescope-scenario";
pub const VERSION: u64 = 1;
/// A scenario's id: at most this many characters of a-z, 0-9 and '-'.
pub const MAX_ID_LEN: usize = 40;

fn seed_one() -> u64 {
    1
}

/// A fix in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    pub id: At<String>,
    pub title: String,
    pub what: String,
    pub cost: String,
    #[serde(default)]
    pub changes: ConfigPatch,
}

/// A scenario file, field by field, in the order it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub format: String,
    pub version: u64,
    pub id: At<String>,
    pub title: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub story: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pros: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cons: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default = "seed_one")]
    pub seed: u64,
    #[serde(default)]
    pub invariants: Vec<InvariantName>,
    #[serde(default)]
    pub metrics: Vec<MetricName>,
    /// Written as the clients and what differs from the defaults of `Config`.
    #[serde(default, serialize_with = "settings_out")]
    pub settings: Config,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<FixFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<Rule>,
    #[serde(default)]
    pub endings: Vec<Ending>,
}

fn settings_out<S: serde::Serializer>(c: &Config, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Out<'a> {
        #[serde(
            serialize_with = "crate::sim::config::clients_map::serialize",
            skip_serializing_if = "<[_]>::is_empty"
        )]
        clients: &'a [(crate::sim::ids::NodeId, Vec<crate::sim::config::Request>)],
        #[serde(flatten)]
        rest: ConfigPatch,
    }
    Out {
        clients: &c.clients,
        rest: ConfigPatch::diff(&Config::default(), c),
    }
    .serialize(s)
}

/// What is read first, to tell another kind of file (or version) from a broken one.
#[derive(Deserialize)]
struct Head {
    format: Option<At<Loose>>,
    version: Option<At<Loose>>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_all(v: Vec<String>) -> &'static [&'static str] {
    Box::leak(
        v.into_iter()
            .map(leak)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

fn leak_slice<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

impl ScenarioFile {
    /// The scenario this file describes, for the rest of the page's life (a scenario
    /// is `&'static`: a run, a tree and a link hold it; a file opened is kept, which
    /// is a few kilobytes per file a learner opens).
    pub fn into_scenario(self) -> &'static Scenario {
        let fixes: Vec<FixInfo> = self
            .fixes
            .into_iter()
            .map(|f| FixInfo {
                id: leak(f.id.value),
                title: leak(f.title),
                what: leak(f.what),
                cost: leak(f.cost),
                changes: f.changes,
            })
            .collect();
        Box::leak(Box::new(Scenario {
            id: leak(self.id.value),
            title: leak(self.title),
            catalog: None,
            summary: leak(self.summary),
            story: leak_all(self.story),
            flow: leak_all(self.flow),
            pros: leak_all(self.pros),
            cons: leak_all(self.cons),
            notes: leak_all(self.notes),
            fixes: leak_slice(fixes),
            invariants: leak_slice(self.invariants.into_iter().map(|i| i.0).collect()),
            metrics: leak_slice(self.metrics.into_iter().map(|m| m.0).collect()),
            seed: self.seed,
            settings: self.settings,
            script: leak_slice(self.script),
            endings: leak_slice(self.endings),
            code: Default::default(),
        }))
    }

    /// The file of a scenario.
    pub fn of(s: &Scenario) -> ScenarioFile {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        // A catalog scenario's words (`Scenario::catalog`), never `scenarios::LOADING`: the
        // page writes a catalog scenario's file only once it has them (`ui::io`).
        let words = s.catalog.and_then(crate::sim::scenarios::words);
        let lines = |own, of: fn(&Words) -> &'static [&'static str]| strings(words.map_or(own, of));
        ScenarioFile {
            format: FORMAT.into(),
            version: VERSION,
            id: At::new(s.id.into()),
            title: s.title.into(),
            summary: words.map_or(s.summary, |w| w.summary).into(),
            story: strings(s.story()),
            flow: lines(s.flow, |w| w.flow),
            pros: lines(s.pros, |w| w.pros),
            cons: lines(s.cons, |w| w.cons),
            notes: lines(s.notes, |w| w.notes),
            seed: s.seed,
            invariants: s
                .invariants
                .iter()
                .map(|i: &Invariant| InvariantName(*i))
                .collect(),
            metrics: s.metrics.iter().map(|m: &Metric| MetricName(*m)).collect(),
            settings: s.settings.clone(),
            fixes: s
                .fixes
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let (what, cost) = words
                        .and_then(|w| w.fixes.get(i).copied())
                        .unwrap_or((f.what, f.cost));
                    FixFile {
                        id: At::new(f.id.into()),
                        title: f.title.into(),
                        what: what.into(),
                        cost: cost.into(),
                        changes: f.changes.clone(),
                    }
                })
                .collect(),
            script: s.script.to_vec(),
            endings: match words {
                Some(w) => w.endings.iter().map(|e| e.ending()).collect(),
                None => s.endings.to_vec(),
            },
        }
    }

    /// The file as JSON text: two spaces of indent, the fields in the format's order.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The JSON text of a scenario.
pub fn to_json(s: &Scenario) -> String {
    ScenarioFile::of(s).to_json()
}

fn field(at: String, reason: String) -> CodecError {
    crate::sim::codec::error(ErrorKind::Field, at, reason)
}

/// Reads a scenario file. Every error names the line, the column and the field.
pub fn from_json(text: &str) -> Result<ScenarioFile, CodecError> {
    if text.len() > MAX_JSON_LEN {
        return Err(crate::sim::codec::error(
            ErrorKind::TooLong,
            "line 1, column 1",
            format!(
                "{} bytes; a scenario file has at most {MAX_JSON_LEN}",
                text.len()
            ),
        ));
    }
    let place = Text(text);
    let head: Head = reader::read(text, "a scenario file")?;
    let version =
        |at: String, reason: String| crate::sim::codec::error(ErrorKind::Version, at, reason);
    match &head.format {
        Some(At {
            value: Loose::Str(f),
            ..
        }) if f == FORMAT => {}
        Some(f) => {
            let hint = if matches!(&f.value, Loose::Str(s) if s == crate::sim::codec::FORMAT) {
                " (this is a run file: open it with the run file button)"
            } else {
                ""
            };
            return Err(version(
                place.at(f, "format"),
                format!(
                    "{} is not a Cachescope scenario (expected {}){hint}",
                    f.value.words(),
                    quote(FORMAT)
                ),
            ));
        }
        None => {
            return Err(version(
                place.top("format"),
                format!("missing: a scenario file has \"format\": {}", quote(FORMAT)),
            ))
        }
    }
    match &head.version {
        Some(At {
            value: Loose::Number(n),
            ..
        }) if n.parse::<u64>() == Ok(VERSION) => {}
        Some(v) => {
            return Err(version(
                place.at(v, "version"),
                format!(
                    "version {} is not known; this page reads version {VERSION}",
                    v.value.words()
                ),
            ))
        }
        None => {
            return Err(version(
                place.top("version"),
                format!("missing: a scenario file has \"version\": {VERSION}"),
            ))
        }
    }
    let file: ScenarioFile = reader::read(text, "a scenario file")?;
    check(&file, &place)?;
    limits::check(&file, &place)?;
    Ok(file)
}

/// What serde cannot check alone: the id's spelling, that fix ids are unique, that the
/// fixes the endings name exist.
fn check(file: &ScenarioFile, place: &Text) -> Result<(), CodecError> {
    let id = &file.id.value;
    let good = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if id.is_empty() || id.chars().count() > MAX_ID_LEN || !id.chars().all(good) {
        return Err(field(
            place.at(&file.id, "id"),
            format!(
                "{} is not an id: 1 to {MAX_ID_LEN} characters of a-z, 0-9 and '-'",
                quote(&id.chars().take(60).collect::<String>())
            ),
        ));
    }
    if id == crate::sim::sandbox::ID {
        return Err(field(
            place.at(&file.id, "id"),
            "\"sandbox\" is the builder's own id; choose another".into(),
        ));
    }
    for (i, f) in file.fixes.iter().enumerate() {
        let fid = &f.id.value;
        if fid.is_empty() || !fid.chars().all(good) {
            return Err(field(
                place.at(&f.id, &format!("fixes[{i}].id")),
                format!("{} is not an id: a-z, 0-9 and '-'", quote(fid)),
            ));
        }
        if file.fixes[..i].iter().any(|g| g.id.value == *fid) {
            return Err(field(
                place.at(&f.id, &format!("fixes[{i}].id")),
                format!("the fix {} appears twice", quote(fid)),
            ));
        }
    }
    for (i, e) in file.endings.iter().enumerate() {
        let known = |id: &str| file.fixes.iter().any(|g| g.id.value == id);
        for c in &e.when {
            if let Some(f) = c.unknown_fix(&known) {
                return Err(field(
                    place.at(f, &format!("endings[{i}].when")),
                    format!("the scenario has no fix {}", quote(&f.value)),
                ));
            }
        }
    }
    Ok(())
}
