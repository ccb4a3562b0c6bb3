//! A search as the page asks for it and the worker runs it, and the messages between
//! them: query strings (`key=value&…`, read by `link::pairs`), so neither side needs a
//! JSON library.
//!
//! Page → worker: `link=<setup query, escaped>&faults=N&max_states=M`.
//! Worker → page: `kind=ready`; `kind=progress&states=…&depth=…&ends=…&elapsed_ms=…`;
//! `kind=result&states=…&ends=…&depth=…&complete=0|1&elapsed_ms=…` followed by one
//! `&violation=<invariant>:<steps>:<run code>` per broken invariant; `kind=error&
//! message=…` for a request it cannot read.
use super::bfs::{Bounds, Progress, Report, Search};
use super::world_model::{FaultBudget, WorldModel};
use crate::sim::codec;
use crate::sim::link;
use crate::sim::run::Run;
use crate::sim::world::Event;

/// The most faults the page offers to place.
pub const MAX_FAULTS: u8 = 3;
/// The most states a search in the page may find (about 27 MB of visited set).
pub const MAX_STATES: usize = 1_000_000;

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
fn escape(text: &str) -> String {
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

/// A search being run for a request.
pub struct Job {
    run: Run,
    search: Search<WorldModel>,
}

impl Job {
    /// The search a request asks for; a link the page could not have written is an
    /// error (the page only sends its own run's setup).
    pub fn new(request: &Request) -> Result<Job, String> {
        let loaded = link::load(&request.link);
        if let Some(e) = loaded.errors.first() {
            return Err(format!("the link is not a run's setup: {e}"));
        }
        let run = loaded.run;
        let model = WorldModel::new(&run, FaultBudget::any(request.faults));
        let bounds = Bounds {
            max_states: request.max_states,
            ..Bounds::default()
        };
        Ok(Job {
            search: Search::new(model, bounds),
            run,
        })
    }

    /// Visits at most `budget` states.
    pub fn step(&mut self, budget: usize) -> Progress {
        self.search.step(budget)
    }

    pub fn report(&self) -> Report<Event> {
        self.search.report()
    }

    /// The result message: the report with each counterexample as a run code of
    /// `self`'s run.
    pub fn result_message(&self, elapsed_ms: u64) -> String {
        let r = self.report();
        let mut out = format!(
            "kind=result&states={}&ends={}&depth={}&complete={}&elapsed_ms={elapsed_ms}",
            r.states,
            r.ends,
            r.depth,
            u8::from(r.complete)
        );
        for v in &r.violations {
            let code = codec::encode(&self.run, &v.path);
            out.push_str(&format!(
                "&violation={}:{}:{}",
                v.name,
                v.path.len(),
                escape(&code)
            ));
        }
        out
    }
}

pub fn progress_message(p: &Progress, elapsed_ms: u64) -> String {
    format!(
        "kind=progress&states={}&depth={}&ends={}&elapsed_ms={elapsed_ms}",
        p.states, p.depth, p.ends
    )
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
    pub violations: Vec<Counterexample>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    pub invariant: String,
    pub steps: usize,
    /// The run code of its choices (`codec::decode` against the same run).
    pub code: String,
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
                    .filter(|(k, _)| k == "violation")
                    .filter_map(|(_, v)| {
                        let mut parts = v.splitn(3, ':');
                        Some(Counterexample {
                            invariant: parts.next()?.to_string(),
                            steps: parts.next()?.parse().ok()?,
                            code: parts.next()?.to_string(),
                        })
                    })
                    .collect(),
            })),
            "error" => Some(Reply::Error(get("message").unwrap_or("").to_string())),
            _ => None,
        }
    }
}
