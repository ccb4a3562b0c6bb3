//! Cachescope: a deterministic simulation of cache invalidation patterns, and the page
//! that lets a learner step through it.
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
