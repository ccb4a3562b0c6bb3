//! The benchmark's workload, one definition for every place it runs: natively
//! (`examples/bench.rs`) and in the browser (the search's Web Worker answers a
//! `kind=bench` request with it, `tests/e2e/quiet-bench.mjs`), so the wasm/native
//! ratio compares the same events.
//!
//! The catalog mix: every catalog scenario, with no fix and with each fix alone, run to
//! its end under seeded random interleavings (seeds 0, 1, 2, … in turn), round after
//! round, until a given number of events has fired. Quiet (`sched::run_quiet`: no
//! observer, no text) or narrated (`sched::run`: every step's trace and narration).
//!
//! Nothing here reads a clock: the caller times `Mix::run` with its own (`Instant`
//! natively, `performance.now()` in the browser). Building the start states is not a
//! simulated event, so `Mix::new` is outside the timed part.
use super::link;
use super::sched::{self, Seeded};
use super::world::World;
use super::{scenarios, Fixes, Scenario};

/// The most events one request may ask for: a few minutes at the slowest rate seen.
pub const MAX_EVENTS: u64 = 1_000_000_000;

/// Every catalog scenario with no fix, then with each of its fixes alone.
pub fn variants() -> Vec<(&'static Scenario, Fixes)> {
    let mut variants = Vec::new();
    for &s in scenarios::ALL.iter() {
        variants.push((s, Fixes::none()));
        for f in s.fixes {
            if let Ok(fixes) = Fixes::parse(s, [f.id]) {
                variants.push((s, fixes));
            }
        }
    }
    variants
}

/// What a run of the mix did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub events: u64,
    /// Runs to the end (one variant under one seed each).
    pub runs: u64,
}

/// The mix's start states, and one world each run is copied into.
pub struct Mix {
    starts: Vec<World>,
    world: World,
}

impl Default for Mix {
    fn default() -> Mix {
        Mix::new()
    }
}

impl Mix {
    pub fn new() -> Mix {
        // Each run starts from a copy of its variant's start state (`clone_from`: into
        // the one world's own buffers).
        let starts: Vec<World> = variants()
            .into_iter()
            .map(|(s, fixes)| s.world(&fixes, s.seed))
            .collect();
        let world = starts[0].clone();
        Mix { starts, world }
    }

    /// How many scenario variants a round runs.
    pub fn variants(&self) -> usize {
        self.starts.len()
    }

    /// Runs whole rounds of the mix, seeds from 0, until at least `target` events have
    /// fired (bounded: every round fires at least one event, and `target` is at most
    /// `MAX_EVENTS` where a request sets it). The same `target` fires the same events
    /// on every platform.
    pub fn run(&mut self, target: u64, quiet: bool) -> Tally {
        let mut tally = Tally { events: 0, runs: 0 };
        let mut seed = 0u64;
        while tally.events < target {
            for start in &self.starts {
                self.world.clone_from(start);
                let mut scheduler = Seeded::new(seed);
                tally.events += if quiet {
                    sched::run_quiet(&mut self.world, &mut scheduler)
                } else {
                    sched::run(&mut self.world, &mut scheduler).len()
                } as u64;
                tally.runs += 1;
                seed += 1;
            }
        }
        tally
    }
}

/// A request for the benchmark, as the browser sends it to the worker:
/// `kind=bench&events=N&mode=quiet|narrated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub events: u64,
    pub quiet: bool,
}

impl Request {
    /// `None` when `text` is not a benchmark request (`kind=bench`); else the request,
    /// or what is wrong with it.
    pub fn decode(text: &str) -> Option<Result<Request, String>> {
        let pairs = link::pairs(text);
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        if get("kind").map(String::as_str) != Some("bench") {
            return None;
        }
        let events = match get("events").map(|v| (v, v.parse::<u64>())) {
            Some((_, Ok(n))) if (1..=MAX_EVENTS).contains(&n) => n,
            Some((v, _)) => {
                return Some(Err(format!(
                    "events={v}: not a whole number from 1 to {MAX_EVENTS}"
                )))
            }
            None => return Some(Err("the bench request has no events".into())),
        };
        let quiet = match get("mode").map(String::as_str) {
            None | Some("quiet") => true,
            Some("narrated") => false,
            Some(other) => {
                return Some(Err(format!("mode={other}: not quiet or narrated")));
            }
        };
        Some(Ok(Request { events, quiet }))
    }

    pub fn encode(&self) -> String {
        let mode = if self.quiet { "quiet" } else { "narrated" };
        format!("kind=bench&events={}&mode={mode}", self.events)
    }
}

/// The answer: `kind=bench&mode=…&variants=…&events=…&runs=…&ms=…` (`ms` as the
/// caller's clock measured `Mix::run`, to the microsecond).
pub fn reply(request: &Request, variants: usize, tally: Tally, ms: f64) -> String {
    let mode = if request.quiet { "quiet" } else { "narrated" };
    format!(
        "kind=bench&mode={mode}&variants={variants}&events={}&runs={}&ms={ms:.3}",
        tally.events, tally.runs
    )
}
