//! The messages between the page and the search's worker: query strings
//! (`key=value&…`, read by `link::pairs`), so neither side needs a JSON library. The
//! page uses only this module (and not the search itself), so the search's code stays
//! out of the page's download.
//!
//! Page → worker: `link=<setup query, escaped>&faults=N&max_states=M`, and
//! `&model=slice` for the search of `no-lost-event` on the ghost-reader slice
//! (`world_model::Slice::with_ghost_readers`) instead of the full model.
//! Worker → page: `kind=ready`;
//! `kind=progress&phase=shifted|absolute|deep&states=…&max=…&depth=…&ends=…&elapsed_ms=…`
//! (the counts and the bound on states of the phase under way: `Phase`);
//! `kind=result&states=…&ends=…&depth=…&complete=0|1&elapsed_ms=…`, one
//! `&broken_ends=<invariant>:<count>` per invariant some end states break (how many of
//! the `ends`), and one
//! `&violation=<invariant>:<steps>:<teaching scenario or ->:<run code>` per broken
//! invariant; then, if a depth-first phase ran (the breadth-first search stopped at its
//! bound with no end state, or with no violation), `&deep_states=…&deep_ends=…&deep_held=0|1&deep_dfs=0|1` (which parts ran) and one
//! `&deep_violation=…` (the same form) per invariant it found broken, by a run not
//! known to be the shortest (`&earliest_violation=…` where the earliest-first run found
//! it, `&held_violation=…` where a run with one event held back did: `DeepPart`);
//! `&tied_violation=…` in place of `&violation=…` for a run
//! as short as the first met, shown for the race it is; `kind=error&message=…` for a request it cannot read.
//! A slice's result also says `&model=slice&slack_ms=…&readers=…` (the timers' slack
//! and how many readers are ghosts), and its violation has no run code (`…:-:`): a
//! run of the slice is not one of the full model's, so the page cannot play it.
use crate::sim::books::Invariant;
use crate::sim::link;
use crate::sim::run::Run;

/// The most faults the page offers to place.
pub const MAX_FAULTS: u8 = 3;
/// The most states a search in the page may find (about 27 MB of visited set).
pub const MAX_STATES: usize = 1_000_000;
/// The most states a search of the ghost-reader slice may find in the page (`dual-write-crash`
/// with `outbox` needs 5,351,155 since session 24 hashed the outbox relay's whole state,
/// 4,874,038 since review 20b's F8, 2,837,228 before: a crash resets its clients'
/// connections, and they go on); at most 32 bytes a state of visited set.
pub const SLICE_MAX_STATES: usize = 6_000_000;

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
    /// The ghost-reader slice's search of `no-lost-event`, not the full model's.
    pub slice: bool,
}

impl Request {
    pub fn encode(&self) -> String {
        format!(
            "link={}&faults={}&max_states={}{}",
            escape(&self.link),
            self.faults,
            self.max_states,
            if self.slice { "&model=slice" } else { "" }
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
        let slice = get("model").as_deref() == Some("slice");
        let max = if slice { SLICE_MAX_STATES } else { MAX_STATES };
        Ok(Request {
            link,
            faults: number("faults", usize::from(MAX_FAULTS))? as u8,
            max_states: number("max_states", max)?,
            slice,
        })
    }
}

/// Whether the ghost-reader slice's search of `no-lost-event` fits `run`: the
/// scenario checks `no-lost-event`, and no cached copy expires within the horizon
/// (the slice's argument, `world_model/ghost.rs`, assumes the nodes read the clock
/// only to stamp what they send and set: an expiry reads it otherwise). `Err` says
/// why not.
pub fn slice_fits(run: &Run) -> Result<(), &'static str> {
    let c = &run.world().config;
    let past = |ms: u64| ms > c.horizon_ms;
    if !run.scenario.invariants.contains(&Invariant::NoLostEvent) {
        Err("this scenario does not check no-lost-event")
    } else if !past(c.ttl_ms)
        || !c.warm_expires_ms.is_none_or(past)
        || !c.negative.as_ref().is_none_or(|n| past(n.ttl_ms))
    {
        Err("a cached copy can expire within the horizon")
    } else {
        Ok(())
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

/// The phase of a search a progress message counts. Each phase counts from its own
/// start, so the page says when a new one begins (review 23, U3: its count went from
/// 1,000,000 back to 90,000 with no word why).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    /// Breadth first (with states shifted in time taken as one, where the job asks).
    #[default]
    Shifted,
    /// Breadth first again from the first state, with absolute time: a state shifted
    /// in time could pass the limit (`Search::restarted`).
    Absolute,
    /// Depth first, after the breadth-first search stopped at its bound (`deep.rs`).
    Deep,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Shifted => "shifted",
            Phase::Absolute => "absolute",
            Phase::Deep => "deep",
        }
    }

    fn read(code: &str) -> Phase {
        match code {
            "absolute" => Phase::Absolute,
            "deep" => Phase::Deep,
            _ => Phase::Shifted,
        }
    }
}

/// A message from the worker, as the page reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Ready,
    /// The phase under way: its distinct states so far, its bound on them, the depth
    /// it is at and its end states.
    Progress {
        phase: Phase,
        states: usize,
        max: usize,
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
    /// Per invariant some end states break, how many of `ends` do (in the model's
    /// order; an invariant none breaks is absent).
    pub broken_ends: Vec<(String, usize)>,
    pub depth: usize,
    pub complete: bool,
    pub elapsed_ms: u64,
    /// Broken invariants: the shortest run for each found breadth first, then the
    /// ones only the depth-first phase found (`Counterexample::shortest` false).
    pub violations: Vec<Counterexample>,
    /// The depth-first phase's distinct states and end states (0 if it did not run).
    pub deep_states: usize,
    pub deep_ends: usize,
    /// Which of the depth-first phase's parts ran: the runs holding one event back
    /// (`search::held`), and the depth-first search (`search::deep`).
    pub deep_held: bool,
    pub deep_dfs: bool,
    /// A search of the ghost-reader slice: the slack its timers were allowed (ms).
    pub slack_ms: Option<u64>,
    /// The slice's ghost readers (clients that only read).
    pub readers: usize,
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
    /// One of several runs as short, shown for the race it is (`teaches`): the first
    /// the search met is another (`job::Job`, where the scenario's own run ends ok).
    pub tied: bool,
    /// For a run not known to be the shortest: which part of the depth-first phase
    /// found it (the page names that part, and no other).
    pub part: DeepPart,
}

/// The part of the depth-first phase (`search::Deep`) that found a run: the
/// earliest-first run, a run with one event held back (both `search::held`), or the
/// depth-first search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeepPart {
    #[default]
    DepthFirst,
    EarliestFirst,
    HeldBack,
}

impl DeepPart {
    pub const ALL: [DeepPart; 3] = [
        DeepPart::DepthFirst,
        DeepPart::EarliestFirst,
        DeepPart::HeldBack,
    ];

    /// Its key in the result message (`&<key>=…`).
    pub fn key(self) -> &'static str {
        match self {
            DeepPart::DepthFirst => "deep_violation",
            DeepPart::EarliestFirst => "earliest_violation",
            DeepPart::HeldBack => "held_violation",
        }
    }
}

/// Reads `<invariant>:<steps>:<teaching scenario or ->:<run code>`.
fn counterexample(v: &str, shortest: bool, tied: bool, part: DeepPart) -> Option<Counterexample> {
    let mut parts = v.splitn(4, ':');
    Some(Counterexample {
        invariant: parts.next()?.to_string(),
        steps: parts.next()?.parse().ok()?,
        teaches: Some(parts.next()?)
            .filter(|t| *t != "-")
            .map(str::to_string),
        code: parts.next()?.to_string(),
        shortest,
        tied,
        part,
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
                phase: Phase::read(get("phase").unwrap_or("")),
                states: num("states") as usize,
                max: num("max") as usize,
                depth: num("depth") as usize,
                ends: num("ends") as usize,
                elapsed_ms: num("elapsed_ms"),
            }),
            "result" => Some(Reply::Result(Found {
                states: num("states") as usize,
                ends: num("ends") as usize,
                broken_ends: pairs
                    .iter()
                    .filter(|(k, _)| k == "broken_ends")
                    .filter_map(|(_, v)| {
                        let (name, n) = v.split_once(':')?;
                        Some((name.to_string(), n.parse().ok()?))
                    })
                    .collect(),
                depth: num("depth") as usize,
                complete: get("complete") == Some("1"),
                elapsed_ms: num("elapsed_ms"),
                violations: pairs
                    .iter()
                    .filter_map(|(k, v)| match k.as_str() {
                        "violation" => counterexample(v, true, false, DeepPart::DepthFirst),
                        "tied_violation" => counterexample(v, true, true, DeepPart::DepthFirst),
                        key => DeepPart::ALL
                            .into_iter()
                            .find(|p| p.key() == key)
                            .and_then(|p| counterexample(v, false, false, p)),
                    })
                    .collect(),
                deep_states: num("deep_states") as usize,
                deep_ends: num("deep_ends") as usize,
                deep_held: get("deep_held") == Some("1"),
                deep_dfs: get("deep_dfs") == Some("1"),
                slack_ms: (get("model") == Some("slice")).then(|| num("slack_ms")),
                readers: num("readers") as usize,
            })),
            "error" => Some(Reply::Error(get("message").unwrap_or("").to_string())),
            _ => None,
        }
    }
}
