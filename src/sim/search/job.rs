//! A search as the page asks for it and the worker runs it (`msg` has the messages).
use super::bfs::{Bounds, Progress, Report, Search};
use super::msg::escape;
pub use super::msg::{
    error_message, Counterexample, Found, Reply, Request, MAX_FAULTS, MAX_STATES,
};
use super::race;
use super::world_model::{FaultBudget, WorldModel};
use crate::sim::codec;
use crate::sim::link;
use crate::sim::run::Run;
use crate::sim::world::Event;

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
        // States shifted in time are one (where the horizon cuts none of them: the
        // search checks, and else searches with absolute time).
        let model = WorldModel::new(&run, FaultBudget::any(request.faults)).with_time_shift();
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
            let teaches = race::teaches(self.search.model().start(), &v.path);
            out.push_str(&format!(
                "&violation={}:{}:{}:{}",
                v.name,
                v.path.len(),
                teaches.unwrap_or("-"),
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
