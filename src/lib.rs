//! Cachescope: a deterministic simulation of cache invalidation patterns, and the page
//! that lets a learner step through it.
pub mod sim;
pub mod ui;
