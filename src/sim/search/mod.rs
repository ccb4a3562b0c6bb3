//! The exhaustive search: every interleaving of a scenario's events (and of up to N
//! faults placed anywhere), breadth first over distinct states, each state expanded
//! once, within bounds on depth and states.
//!
//! The search is generic over a small `Model` (start state, enabled actions, next
//! state, fingerprint, properties), in the manner of Stateright; `WorldModel` is the
//! simulation's `World` seen as one. A state is remembered by its 64-bit fingerprint
//! and a link to the state it was first reached from (16 bytes in `visited`, plus at
//! most 10.7 bytes of hash table), so the shortest run to any state (and to each
//! property's first violation) is rebuilt from the links by replaying their choices
//! from the start. The frontier keeps at most `Bounds::held_states` states in memory
//! (and 12 bytes for each other state waiting); the rest are re-derived by replay
//! when their turn comes.
//!
//! Work is done in slices (`Search::step(budget)`), so a Web Worker can answer its
//! messages between slices and the page can cancel a search at any moment.
mod bfs;
mod deep;
mod held;
mod independence;
pub mod job;
mod model;
pub mod msg;
mod race;
mod shift_check;
mod sleep;
mod uses;
mod visited;
mod world_model;

pub use bfs::{Bounds, Progress, Report, Search, Violation};
pub use deep::Deep;
pub use model::{Model, Property, When};
pub use race::{teaches, STALE_SET};
pub use shift_check::{check_shift, ShiftCheck, ShiftDiff};
pub use sleep::check_independence;
pub use uses::Uses;
pub use visited::Visited;
pub use world_model::{
    check_ghost_slice, check_ghost_slice_watched, check_slice, check_strict_slice, is_free,
    sample_ghost_slice, FaultBudget, Searched, Slice, SliceCheck, SliceSample, WorldModel, SLICED,
};
