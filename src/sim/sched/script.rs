//! The scenario's own order: its script where it has one, else earliest first.
use super::Scheduler;
use crate::sim::scenario::Scenario;
use crate::sim::world::{Event, World};

pub struct Script {
    pub scenario: &'static Scenario,
}

impl Scheduler for Script {
    fn choose(&mut self, world: &World, step: usize, enabled: &[Event]) -> Event {
        self.scenario.scripted(world, step).unwrap_or(enabled[0])
    }
}
