//! Replays recorded choices, then falls back to earliest first.
use super::Scheduler;
use crate::sim::world::{Event, World};

pub struct Replay {
    pub choices: Vec<Event>,
}

impl Scheduler for Replay {
    fn choose(&mut self, _: &World, step: usize, enabled: &[Event]) -> Event {
        self.choices.get(step).copied().unwrap_or(enabled[0])
    }
}
