//! A scenario is data plus narration: how to build its world, which fixes it offers,
//! what it checks, and what it says. Each lives in its own file under `scenarios/`.
use super::books::{Invariant, Metric};
use super::config::Config;
use super::world::{Event, World};

/// A fix a learner can switch on, and what it costs.
#[derive(Debug)]
pub struct FixInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// What the fix does, in one or two sentences.
    pub what: &'static str,
    /// What it costs: every fix trades something.
    pub cost: &'static str,
}

/// The fixes switched on for a run, in the scenario's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Fixes(Vec<&'static str>);

impl Fixes {
    pub fn none() -> Fixes {
        Fixes(Vec::new())
    }

    /// The fixes named in `ids` that `scenario` has, in its order; an unknown id is an
    /// error naming it.
    pub fn parse<'a>(
        scenario: &Scenario,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Fixes, String> {
        let mut on = Vec::new();
        for id in ids {
            match scenario.fixes.iter().find(|f| f.id == id) {
                Some(f) => on.push(f.id),
                None => return Err(id.to_string()),
            }
        }
        let mut sorted: Vec<&'static str> = scenario
            .fixes
            .iter()
            .map(|f| f.id)
            .filter(|id| on.contains(id))
            .collect();
        sorted.dedup();
        Ok(Fixes(sorted))
    }

    pub fn has(&self, id: &str) -> bool {
        self.0.contains(&id)
    }

    pub fn ids(&self) -> &[&'static str] {
        &self.0
    }

    /// The same set with `id` switched the other way.
    pub fn toggled(&self, scenario: &Scenario, id: &str) -> Fixes {
        let mut ids: Vec<&str> = self.0.clone();
        if let Some(pos) = ids.iter().position(|f| *f == id) {
            ids.remove(pos);
        } else {
            ids.push(id);
        }
        Fixes::parse(scenario, ids).unwrap_or_else(|_| self.clone())
    }
}

#[derive(Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// "What you will see": one paragraph.
    pub summary: &'static str,
    /// The pattern's flow, one line per step.
    pub flow: &'static [&'static str],
    pub pros: &'static [&'static str],
    pub cons: &'static [&'static str],
    pub fixes: &'static [FixInfo],
    pub invariants: &'static [Invariant],
    pub metrics: &'static [Metric],
    /// The seed for whatever the scenario leaves to chance.
    pub seed: u64,
    pub config: fn(&Fixes) -> Config,
    /// The scenario's own choice at `step`, where it differs from "earliest first"
    /// (a scripted fault, a deliberate order). `None` means earliest first.
    pub script: fn(&World, usize) -> Option<Event>,
    /// Said once the run has ended: the outcome and what it teaches.
    pub epilogue: fn(&World, &Fixes) -> String,
}

impl Scenario {
    pub fn world(&self, fixes: &Fixes, seed: u64) -> World {
        World::new((self.config)(fixes), seed)
    }

    /// The event the scenario's own order takes at `step` in `world`.
    pub fn scripted(&self, world: &World, step: usize) -> Option<Event> {
        (self.script)(world, step)
            .filter(|e| world.is_enabled(*e))
            .or_else(|| world.earliest())
    }

    pub fn fix(&self, id: &str) -> Option<&'static FixInfo> {
        self.fixes.iter().find(|f| f.id == id)
    }
}

/// For scenarios whose story needs nothing but "earliest first".
pub fn no_script(_: &World, _: usize) -> Option<Event> {
    None
}
