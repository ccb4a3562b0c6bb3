//! The run's JSON file: written by hand (so its fields keep a readable order), read
//! with the small reader in `text` and then checked field by field, so every error
//! names its field (or line and column, for broken JSON).
use super::text::{self as reader, quote, Json};
use super::{
    decode_choice_words, error, CodecError, ErrorKind, RunSpec, FORMAT, MAX_JSON_LEN, VERSION,
};
use crate::sim::run::MAX_STEPS;
use crate::sim::sandbox::{self, SandboxSpec};

fn quoted(s: &str) -> String {
    reader::quote(s)
}

/// The spec as a JSON document (pretty, one choice per line).
pub fn to_json(spec: &RunSpec) -> String {
    let mut out = String::from("{\n");
    out.push_str(&format!("  \"format\": {},\n", quoted(FORMAT)));
    out.push_str(&format!("  \"version\": {VERSION},\n"));
    out.push_str(&format!("  \"scenario\": {},\n", quoted(&spec.scenario)));
    if let Some(sb) = &spec.sandbox {
        out.push_str(&format!("  \"sandbox\": {},\n", quoted(&sb.code())));
    }
    let fixes: Vec<String> = spec.fixes.iter().map(|f| quoted(f)).collect();
    out.push_str(&format!("  \"fixes\": [{}],\n", fixes.join(", ")));
    out.push_str(&format!("  \"seed\": {},\n", spec.seed));
    out.push_str(&format!("  \"cursor\": {},\n", spec.cursor));
    if spec.choices.is_empty() {
        out.push_str("  \"choices\": []\n");
    } else {
        out.push_str("  \"choices\": [\n");
        let lines: Vec<String> = spec
            .choices
            .iter()
            .map(|e| format!("    {}", quoted(&e.to_string())))
            .collect();
        out.push_str(&lines.join(",\n"));
        out.push_str("\n  ]\n");
    }
    out.push_str("}\n");
    out
}

fn field_error(name: &str, reason: impl Into<String>) -> CodecError {
    error(ErrorKind::Field, format!("field `{name}`"), reason)
}

fn kind_of(v: &Json) -> &'static str {
    v.kind()
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        t.push('…');
    }
    t
}

fn whole(doc: &Json, name: &str) -> Result<Option<u64>, CodecError> {
    match doc.get(name) {
        None => Ok(None),
        Some(Json::Number(n)) => n.parse::<u64>().map(Some).map_err(|_| {
            field_error(
                name,
                format!("{n} is not a whole number from 0 to {}", u64::MAX),
            )
        }),
        Some(Json::String(s)) => {
            s.trim().parse::<u64>().map(Some).map_err(|_| {
                field_error(name, format!("{} is not a whole number", quote(&short(s))))
            })
        }
        Some(v) => Err(field_error(
            name,
            format!("expected a whole number, found {}", kind_of(v)),
        )),
    }
}

fn string<'a>(doc: &'a Json, name: &str) -> Result<Option<&'a str>, CodecError> {
    match doc.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(v) => Err(field_error(
            name,
            format!("expected a string, found {}", kind_of(v)),
        )),
    }
}

fn strings<'a>(doc: &'a Json, name: &str) -> Result<Vec<&'a str>, CodecError> {
    match doc.get(name) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Json::String(s) => Ok(s.as_str()),
                v => Err(error(
                    ErrorKind::Field,
                    format!("field `{name}`, item {}", i + 1),
                    format!("expected a string, found {}", kind_of(v)),
                )),
            })
            .collect(),
        Some(v) => Err(field_error(
            name,
            format!("expected a list, found {}", kind_of(v)),
        )),
    }
}

/// Reads a run file. The scenario, fixes and seed are checked, then the choices are
/// matched, step by step, against what is possible at each step.
pub fn from_json(text: &str) -> Result<RunSpec, CodecError> {
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
    let doc = reader::parse(text).map_err(|e| {
        error(
            ErrorKind::Syntax,
            format!("line {}, column {}", e.line, e.column),
            format!("not valid JSON: {}", e.reason),
        )
    })?;
    if !matches!(doc, Json::Object(_)) {
        return Err(error(
            ErrorKind::Syntax,
            "file",
            format!("expected a JSON object, found {}", doc.kind()),
        ));
    }
    match doc.get("format") {
        Some(Json::String(f)) if f == FORMAT => {}
        Some(Json::String(f)) => {
            return Err(error(
                ErrorKind::Version,
                "field `format`",
                format!(
                    "{} is not a Cachescope run (expected {})",
                    quote(&short(f)),
                    quote(FORMAT)
                ),
            ))
        }
        Some(v) => {
            return Err(error(
                ErrorKind::Version,
                "field `format`",
                format!(
                    "expected the string {}, found {}",
                    quote(FORMAT),
                    kind_of(v)
                ),
            ))
        }
        None => {
            return Err(error(
                ErrorKind::Version,
                "field `format`",
                format!("missing: a run file has \"format\": {}", quote(FORMAT)),
            ))
        }
    }
    match doc.get("version") {
        Some(Json::Number(n)) if n.parse::<u64>() == Ok(VERSION) => {}
        Some(v) => {
            return Err(error(
                ErrorKind::Version,
                "field `version`",
                format!(
                    "version {} is not known; this page reads version {VERSION}",
                    match v {
                        Json::Number(n) => short(n),
                        Json::String(t) => quote(&short(t)),
                        v => v.kind().to_string(),
                    }
                ),
            ))
        }
        None => {
            return Err(error(
                ErrorKind::Version,
                "field `version`",
                format!("missing: a run file has \"version\": {VERSION}"),
            ))
        }
    }
    let scenario = string(&doc, "scenario")?
        .ok_or_else(|| field_error("scenario", "missing: which scenario the run is of"))?
        .to_string();
    let sandbox = match string(&doc, "sandbox")? {
        Some(code) => {
            Some(SandboxSpec::parse(code).map_err(|e| field_error("sandbox", format!("{e}")))?)
        }
        None => None,
    };
    // The sandbox's parts only mean something for the sandbox.
    let sandbox = sandbox.filter(|_| scenario == sandbox::ID);
    if scenario == sandbox::ID && sandbox.is_none() {
        return Err(field_error(
            "sandbox",
            "missing: the sandbox's parts (e.g. \"1.a211mn\")",
        ));
    }
    let fixes: Vec<String> = strings(&doc, "fixes")?
        .into_iter()
        .map(String::from)
        .collect();
    let seed = whole(&doc, "seed")?;
    let cursor = whole(&doc, "cursor")?.unwrap_or(0);
    let words = strings(&doc, "choices")?;
    let mut spec = RunSpec {
        scenario,
        fixes,
        seed: 0,
        sandbox,
        choices: Vec::new(),
        cursor: usize::try_from(cursor).unwrap_or(usize::MAX),
    };
    let start_scenario = super::resolve(&spec.scenario, spec.sandbox.as_ref())?;
    spec.seed = seed.unwrap_or(start_scenario.seed);
    let start = spec.start()?;
    spec.choices = decode_choice_words(&start, &words)?;
    if spec.cursor > MAX_STEPS {
        return Err(field_error(
            "cursor",
            format!("{cursor} is past the longest run ({MAX_STEPS} steps)"),
        ));
    }
    Ok(spec)
}
