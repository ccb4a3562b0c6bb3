//! Stepping a world along a run with the same bookkeeping as `Run` (on the scenario's
//! own order or not), so the codes can list the options at each step without keeping
//! every state.
use crate::sim::run::{Run, MAX_STEPS};
use crate::sim::scenario::Scenario;
use crate::sim::world::{Event, StepError, World};

/// A world stepped along a run, knowing what the rules would take: the same
/// bookkeeping as `Run` (on script or not), without keeping every state.
pub struct Replayer {
    scenario: &'static Scenario,
    world: World,
    step: usize,
    on_script: bool,
}

impl Replayer {
    pub fn of(run: &Run) -> Replayer {
        Replayer {
            scenario: run.scenario,
            world: run.state(0).cloned().unwrap_or_else(|| run.world().clone()),
            step: 0,
            on_script: true,
        }
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// What the rules take here: `Run::rule_choice` at this step.
    pub fn rule(&self) -> Option<Event> {
        rule_at(self.scenario, &self.world, self.step, self.on_script)
    }

    /// The choices at this step, in the code's order: the rule's, then the other
    /// enabled events, then the faults. Empty after `MAX_STEPS`.
    pub fn options(&self) -> Vec<Event> {
        options_at(self.scenario, &self.world, self.step, self.on_script)
    }

    pub fn fire(&mut self, event: Event) -> Result<(), StepError> {
        if self.step >= MAX_STEPS {
            return Err(StepError::NotEnabled(event));
        }
        // As `Run::fire` keeps its books: on script while each step is the script's.
        let scripted =
            self.on_script && self.scenario.scripted(&self.world, self.step) == Some(event);
        self.world.step(event)?;
        self.on_script = scripted;
        self.step += 1;
        Ok(())
    }
}

/// What the rules take at `step` in `world`, on script or not.
pub(super) fn rule_at(
    scenario: &Scenario,
    world: &World,
    step: usize,
    on_script: bool,
) -> Option<Event> {
    if step >= MAX_STEPS || world.enabled().is_empty() {
        None
    } else if on_script {
        scenario.scripted(world, step)
    } else {
        world.earliest()
    }
}

pub(super) fn options_at(
    scenario: &Scenario,
    world: &World,
    step: usize,
    on_script: bool,
) -> Vec<Event> {
    if step >= MAX_STEPS {
        return Vec::new();
    }
    let rule = rule_at(scenario, world, step, on_script);
    let mut out: Vec<Event> = rule.into_iter().collect();
    out.extend(
        world
            .enabled()
            .into_iter()
            .chain(world.faults())
            .filter(|e| Some(*e) != rule),
    );
    out
}
