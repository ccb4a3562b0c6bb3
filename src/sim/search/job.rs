//! A search as the page asks for it and the worker runs it (`msg` has the messages).
use super::bfs::{Bounds, Progress, Report, Search};
use super::deep::Deep;
use super::model::Model;
use super::model::When;
use super::msg::escape;
pub use super::msg::{
    error_message, Counterexample, Found, Phase, Reply, Request, MAX_FAULTS, MAX_STATES,
};
use super::race;
use super::world_model::{FaultBudget, Slice, WorldModel};
use crate::sim::codec;
use crate::sim::link;
use crate::sim::run::Run;
use crate::sim::world::Event;

/// A search being run for a request.
pub struct Job {
    run: Run,
    search: Search<WorldModel>,
    /// The depth-first second phase, once the breadth-first search stopped at its
    /// bound with no end state, or with no violation (`deep.rs`).
    deep: Option<Deep<WorldModel>>,
    /// The ghost-reader slice's search instead (`Request::slice`): `search` is then
    /// the full model's, built and never stepped.
    slice: Option<Search<Slice>>,
    /// The scenario's own run (its script) ends with every invariant kept: among the
    /// shortest runs that break one, the result shows one the catalog teaches (the
    /// stale-set race) if there is one (`Job::shown`). Where the script breaks one, the
    /// scenario teaches its own race, and the search's first run stays.
    own_ends_ok: bool,
    /// No extra fault asked for: the depth-first phase starts with runs that hold one
    /// event back (`search::held`), which place none.
    hold: bool,
}

/// The depth-first phase's bound on states: a quarter of the breadth-first one, so it
/// adds at most about a quarter to the search's time. (A tenth before review 20b's F8:
/// with a crash's resets, dual-write-crash with outbox's stale-set race is found depth
/// first at 230,127 states, past a tenth of the page's million.)
const DEEP_SHARE: usize = 4;

impl Job {
    /// The search a request asks for; a link the page could not have written is an
    /// error (the page only sends its own run's setup).
    pub fn new(request: &Request) -> Result<Job, String> {
        let loaded = link::load(&request.link);
        if let Some(e) = loaded.errors.first() {
            return Err(format!("the link is not a run's setup: {e}"));
        }
        let run = loaded.run;
        // States shifted in time are one (where the horizon cuts none of them: the
        // search checks, and else searches with absolute time); a message to a client
        // that nothing else reads is explored alone (`world_model/ample.rs`).
        let model = WorldModel::new(&run, FaultBudget::any(request.faults))
            .with_time_shift()
            .with_ample();
        let bounds = Bounds {
            max_states: request.max_states,
            ..Bounds::default()
        };
        let slice = if request.slice {
            slice_search(&run, request.faults, bounds)?
        } else {
            None
        };
        // A slice's job steps only the slice: the full model's search stays at its
        // start (its first state).
        let full = if slice.is_some() {
            Bounds {
                max_states: 1,
                ..bounds
            }
        } else {
            bounds
        };
        let mut own = run.rebuilt(run.fixes.clone(), run.seed);
        // Bounded: a run has at most `run::MAX_STEPS` steps.
        own.run_to_end();
        let own_ends_ok = run
            .scenario
            .invariants
            .iter()
            .all(|i| i.check(own.world()).is_ok());
        Ok(Job {
            own_ends_ok,
            hold: request.faults == 0,
            // Subsumption: a state that differs from one found before only by
            // having placed more of the story's faults is left out.
            search: Search::new(model, full).with_subsumption(),
            run,
            deep: None,
            slice,
        })
    }

    /// Visits at most `budget` states: breadth first, then (if that stopped at its
    /// bound with no end state, or with no violation) depth first.
    pub fn step(&mut self, budget: usize) -> Progress {
        if let Some(slice) = &mut self.slice {
            return slice.step(budget);
        }
        let mut p = self.search.step(budget);
        if !p.done {
            return p;
        }
        // `p.done` with states left out: the breadth-first search was cut by a bound.
        // With no end state, the invariants judged at a run's end were never judged;
        // with no violation, only the runs that ended within the bound were: either
        // way a run found depth first is worth showing.
        let deepen = self.deep.is_none() && {
            let r = self.search.report();
            !r.complete && (p.ends == 0 || r.violations.is_empty())
        };
        if deepen {
            let max = p.states / DEEP_SHARE;
            let model = self.search.model();
            let known: Vec<usize> = self
                .search
                .report()
                .violations
                .iter()
                .map(|v| v.property)
                .collect();
            self.deep = Some(Deep::new(
                model,
                max.max(1),
                Bounds::default().max_depth,
                self.hold,
                &known,
            ));
            p.done = false;
            return p;
        }
        if let Some(deep) = &mut self.deep {
            deep.step(self.search.model(), budget);
            p.done = deep.is_done();
        }
        p
    }

    pub fn report(&self) -> Report<Event> {
        match &self.slice {
            Some(slice) => slice.report(),
            None => self.search.report(),
        }
    }

    /// Steps the job to its end, at most `max_slices` slices of `budget` states (or
    /// transitions, depth first) each, and reads its result message back as the page
    /// does. For native callers (tests, examples); the worker steps in slices between
    /// its own messages. Errors: the job did not end within the slices, or its message
    /// did not read back as a result (a bug in the message's codec).
    pub fn found_at_end(
        &mut self,
        budget: usize,
        max_slices: usize,
        elapsed_ms: u64,
    ) -> Result<Found, String> {
        if !(0..max_slices).any(|_| self.step(budget).done) {
            return Err(format!(
                "the search did not end within {max_slices} slices of {budget}"
            ));
        }
        match Reply::decode(&self.result_message(elapsed_ms)) {
            Some(Reply::Result(found)) => Ok(found),
            other => Err(format!("a result message, not {other:?}")),
        }
    }

    /// The result message: the report with each counterexample as a run code of
    /// `self`'s run.
    pub fn result_message(&self, elapsed_ms: u64) -> String {
        if let Some(slice) = &self.slice {
            return slice_message(slice, elapsed_ms);
        }
        let r = self.report();
        let mut out = format!(
            "kind=result&states={}&ends={}&depth={}&complete={}&elapsed_ms={elapsed_ms}",
            r.states,
            r.ends,
            r.depth,
            u8::from(r.complete)
        );
        let properties = self.search.model().properties();
        for (p, n) in properties.iter().zip(&r.broken_ends) {
            if *n > 0 {
                out.push_str(&format!("&broken_ends={}:{n}", p.name));
            }
        }
        for v in &r.violations {
            let shown = self.shown(v.property, &v.path);
            let key = if shown.tied {
                "tied_violation"
            } else {
                "violation"
            };
            push_violation(&self.run, &mut out, key, v.name, &shown.path, shown.teaches);
        }
        if let Some(deep) = &self.deep {
            let (held, dfs) = deep.parts();
            out.push_str(&format!(
                "&deep_states={}&deep_ends={}&deep_held={}&deep_dfs={}",
                deep.states(),
                deep.ends(),
                u8::from(held),
                u8::from(dfs)
            ));
            for (i, p) in properties.iter().enumerate() {
                // One line per invariant: a shortest run found breadth first stands
                // (the phase was told of it, and did not look for it).
                if let Some(path) = deep.found_new(i) {
                    let teaches = self.teaches(i, path);
                    let key = deep.found_by().key();
                    push_violation(&self.run, &mut out, key, p.name, path, teaches);
                }
            }
        }
        out
    }

    /// The race the catalog teaches that `path` plays, for a property judged at the
    /// run's end: a run that breaks read-your-writes stops at the stale read, before the
    /// run's end the race's words speak of (a copy nothing deletes again).
    fn teaches(&self, property: usize, path: &[Event]) -> Option<&'static str> {
        let model = self.search.model();
        let at_end = model.properties()[property].when != When::Always;
        at_end.then(|| race::teaches(model.start(), path)).flatten()
    }

    /// The run the result shows for property `property` (an index into the model's
    /// properties), whose first shortest run found is `first`, and the scenario that
    /// teaches it. `first`, unless the scenario's own run ends ok and `first` is no
    /// race the catalog teaches while another run as short is (`own_ends_ok`): hybrid's
    /// stale-set race ties with its batch job's race, met first.
    fn shown<'a>(&self, property: usize, first: &'a [Event]) -> Shown<'a> {
        let teaches = self.teaches(property, first);
        let first_shown = Shown {
            path: first.into(),
            teaches,
            tied: false,
        };
        if teaches.is_some() || !self.own_ends_ok {
            return first_shown;
        }
        // Bounded: at most `bfs::MAX_SHORTEST` runs, each replayed once or twice.
        self.search
            .shortest_runs(property)
            .find_map(|path| {
                self.teaches(property, &path).map(|t| Shown {
                    path: path.into(),
                    teaches: Some(t),
                    tied: true,
                })
            })
            .unwrap_or(first_shown)
    }
}

/// The run a result shows for one broken invariant (`Job::shown`).
struct Shown<'a> {
    path: std::borrow::Cow<'a, [Event]>,
    /// The catalog's scenario that teaches it (`race::teaches`), if any.
    teaches: Option<&'static str>,
    /// Not the first shortest run the search met but another as short, chosen because
    /// it teaches (the message's `tied_violation`).
    tied: bool,
}

/// `&<key>=<invariant>:<steps>:<teaching scenario or ->:<run code>`, the run code of
/// `path` in `run`.
fn push_violation(
    run: &Run,
    out: &mut String,
    key: &str,
    name: &str,
    path: &[Event],
    teaches: Option<&str>,
) {
    let code = codec::encode(run, path);
    out.push_str(&format!(
        "&{key}={name}:{}:{}:{}",
        path.len(),
        teaches.unwrap_or("-"),
        escape(&code)
    ));
}

/// The ghost-reader slice's search of `run` (`Request::slice`), with the page's
/// settings (time shift, subsumption) and the story's faults only (the slice's
/// argument, `world_model/ghost.rs`, is made for them).
fn slice_search(run: &Run, faults: u8, bounds: Bounds) -> Result<Option<Search<Slice>>, String> {
    super::msg::slice_fits(run).map_err(|e| format!("no slice: {e}"))?;
    if faults > 0 {
        return Err("the slice places no fault but the scenario's own".into());
    }
    let slice = Slice::new(run, FaultBudget::NONE)
        .ok_or("no slice: this scenario does not check no-lost-event")?
        .with_ghost_readers()
        .with_time_shift();
    Ok(Some(Search::new(slice, bounds).with_subsumption()))
}

/// A slice's result: as the full model's, with `model=slice`, its slack and readers,
/// its visited set's peak bytes, and each violation with no run code (a run of the
/// slice, whose readers are ghosts, is not one of the full model's to play).
fn slice_message(slice: &Search<Slice>, elapsed_ms: u64) -> String {
    let r = slice.report();
    let model = slice.model();
    let mut out = format!(
        "kind=result&model=slice&states={}&ends={}&depth={}&complete={}&elapsed_ms={elapsed_ms}\
         &slack_ms={}&readers={}&visited_bytes={}",
        r.states,
        r.ends,
        r.depth,
        u8::from(r.complete),
        model.ghost_slack().unwrap_or(0),
        model.readers().len(),
        r.visited_bytes
    );
    for v in &r.violations {
        out.push_str(&format!("&violation={}:{}:-:", v.name, v.path.len()));
    }
    out
}

impl Job {
    /// The progress message after `step` returned `p`: the counts of the phase under
    /// way (`msg::Phase`), and its bound on states.
    pub fn progress_message(&self, p: &Progress, elapsed_ms: u64) -> String {
        let phase = |restarted| {
            if restarted {
                Phase::Absolute
            } else {
                Phase::Shifted
            }
        };
        let (phase, states, max, depth, ends) = match (&self.slice, &self.deep) {
            (Some(s), _) => (
                phase(s.restarted()),
                p.states,
                s.max_states(),
                p.depth,
                p.ends,
            ),
            (None, Some(d)) => (Phase::Deep, d.states(), d.max_states(), d.depth(), d.ends()),
            (None, None) => (
                phase(self.search.restarted()),
                p.states,
                self.search.max_states(),
                p.depth,
                p.ends,
            ),
        };
        format!(
            "kind=progress&phase={}&states={states}&max={max}&depth={depth}&ends={ends}\
             &elapsed_ms={elapsed_ms}",
            phase.code()
        )
    }
}
