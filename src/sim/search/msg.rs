//! The messages between the page and the search's worker: query strings
//! (`key=value&…`, read by `link::pairs`), so neither side needs a JSON library. The
//! page uses only this module (and not the search itself), so the search's code stays
//! out of the page's download.
//!
//! Page → worker: `link=<setup query, escaped>&faults=N&max_states=M`.
//! Worker → page: `kind=ready`; `kind=progress&states=…&depth=…&ends=…&elapsed_ms=…`;
//! `kind=result&states=…&ends=…&depth=…&complete=0|1&elapsed_ms=…` followed by one
//! `&violation=<invariant>:<steps>:<teaching scenario or ->:<run code>` per broken
//! invariant; then, if a depth-first phase ran (the breadth-first search stopped at its
//! bound with no end state, or with no violation), `&deep_states=…&deep_ends=…` and one
//! `&deep_violation=…` (the same form) per invariant it found broken, by a run not
//! known to be the shortest; `kind=error&message=…` for a request it cannot read.
use crate::sim::link;

/// The most faults the page offers to place.
pub const MAX_FAULTS: u8 = 3;
/// The most states a search in the page may find (about 27 MB of visited set).
pub const MAX_STATES: usize = 1_000_000;

/// The explorer's "Faults to place" field, typed as `text`, read as the search will
/// use it: a whole number from 0 to `MAX_FAULTS`, with a note when that is not what was
/// typed (said beside the field, never silently: review session 14, X12). A negative
/// number is 0, a larger one `MAX_FAULTS`, a fraction its whole part; `previous` is
/// kept when the text is no number (a number field gives "" for `e`).
pub fn read_faults(text: &str, previous: u8) -> (u8, Option<String>) {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let (minus, digits) = whole
        .strip_prefix('-')
        .map_or((false, whole), |d| (true, d));
    let is_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if digits.is_empty() || !is_digits(digits) || !is_digits(fraction) {
        return (
            previous,
            Some(format!(
                "Not a whole number from 0 to {MAX_FAULTS}: the search still places {previous}."
            )),
        );
    }
    let used = match digits.parse::<u64>() {
        _ if minus => 0,
        Ok(n) => n.min(u64::from(MAX_FAULTS)) as u8,
        Err(_) => MAX_FAULTS,
    };
    let note = (text != used.to_string()).then(|| {
        format!("{text} faults: the search places a whole number from 0 to {MAX_FAULTS}, so it uses {used}.")
    });
    (used, note)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The run's setup, as `link::setup_query` writes it.
    pub link: String,
    pub faults: u8,
    pub max_states: usize,
}

impl Request {
    pub fn encode(&self) -> String {
        format!(
            "link={}&faults={}&max_states={}",
            escape(&self.link),
            self.faults,
            self.max_states
        )
    }

    /// Reads a request; a missing or bad number is an error naming it.
    pub fn decode(text: &str) -> Result<Request, String> {
        let pairs = link::pairs(text);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let link = get("link").ok_or("the request has no link")?;
        let number = |name: &str, max: usize| -> Result<usize, String> {
            let v = get(name).ok_or(format!("the request has no {name}"))?;
            match v.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(format!("{name}={v}: not a whole number from 0 to {max}")),
            }
        };
        Ok(Request {
            link,
            faults: number("faults", usize::from(MAX_FAULTS))? as u8,
            max_states: number("max_states", MAX_STATES)?,
        })
    }
}

/// `%`-escapes what would end a value in a query string.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '&' => out.push_str("%26"),
            '=' => out.push_str("%3D"),
            '+' => out.push_str("%2B"),
            ' ' => out.push_str("%20"),
            _ => out.push(c),
        }
    }
    out
}

pub fn error_message(message: &str) -> String {
    format!("kind=error&message={}", escape(message))
}

/// A message from the worker, as the page reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Ready,
    Progress {
        states: usize,
        depth: usize,
        ends: usize,
        elapsed_ms: u64,
    },
    Result(Found),
    Error(String),
}

/// A finished search, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub states: usize,
    pub ends: usize,
    pub depth: usize,
    pub complete: bool,
    pub elapsed_ms: u64,
    /// Broken invariants: the shortest run for each found breadth first, then the
    /// ones only the depth-first phase found (`Counterexample::shortest` false).
    pub violations: Vec<Counterexample>,
    /// The depth-first phase's distinct states and end states (0 if it did not run).
    pub deep_states: usize,
    pub deep_ends: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    pub invariant: String,
    pub steps: usize,
    /// The catalog scenario that teaches this race (`stale-set-race`), when the
    /// search recognised it.
    pub teaches: Option<String>,
    /// The run code of its choices (`codec::decode` against the same run).
    pub code: String,
    /// Found breadth first, so no run breaks it in fewer steps; false for a run the
    /// depth-first phase found.
    pub shortest: bool,
}

/// Reads `<invariant>:<steps>:<teaching scenario or ->:<run code>`.
fn counterexample(v: &str, shortest: bool) -> Option<Counterexample> {
    let mut parts = v.splitn(4, ':');
    Some(Counterexample {
        invariant: parts.next()?.to_string(),
        steps: parts.next()?.parse().ok()?,
        teaches: Some(parts.next()?)
            .filter(|t| *t != "-")
            .map(str::to_string),
        code: parts.next()?.to_string(),
        shortest,
    })
}

impl Reply {
    /// Reads a worker's message; anything else is `None`.
    pub fn decode(text: &str) -> Option<Reply> {
        let pairs = link::pairs(text);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let num = |name: &str| get(name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        match get("kind")? {
            "ready" => Some(Reply::Ready),
            "progress" => Some(Reply::Progress {
                states: num("states") as usize,
                depth: num("depth") as usize,
                ends: num("ends") as usize,
                elapsed_ms: num("elapsed_ms"),
            }),
            "result" => Some(Reply::Result(Found {
                states: num("states") as usize,
                ends: num("ends") as usize,
                depth: num("depth") as usize,
                complete: get("complete") == Some("1"),
                elapsed_ms: num("elapsed_ms"),
                violations: pairs
                    .iter()
                    .filter_map(|(k, v)| match k.as_str() {
                        "violation" => counterexample(v, true),
                        "deep_violation" => counterexample(v, false),
                        _ => None,
                    })
                    .collect(),
                deep_states: num("deep_states") as usize,
                deep_ends: num("deep_ends") as usize,
            })),
            "error" => Some(Reply::Error(get("message").unwrap_or("").to_string())),
            _ => None,
        }
    }
}
