//! A seeded random walk over the interleavings: each step picks uniformly among the
//! enabled events. Its own generator, not the world's, so exploring orders does not
//! change what the scenario draws (jitter, XFetch).
use super::Scheduler;
use crate::sim::rng::Rng;
use crate::sim::world::{Event, World};

pub struct Seeded {
    rng: Rng,
}

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded {
            rng: Rng::new(seed ^ 0x005E_ED0F_0DE4),
        }
    }
}

impl Scheduler for Seeded {
    fn choose(&mut self, _: &World, _: usize, enabled: &[Event]) -> Event {
        enabled[self.rng.below(enabled.len() as u64) as usize]
    }

    fn picks_from_enabled(&self) -> bool {
        true
    }
}
