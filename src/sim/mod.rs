//! The simulation: a deterministic model of clients, a service, a cache and a database
//! exchanging messages in virtual time.
//!
//! Architecture Invariant: nothing here names the browser (no leptos, web-sys,
//! wasm-bindgen, gloo). `cargo test` runs all of it natively. State is plain data, so
//! a run can be snapshotted, stepped back, replayed and searched.
pub mod books;
pub mod cache;
pub mod config;
pub mod db;
mod handle;
pub mod ids;
pub mod link;
pub mod msg;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod scenarios;
pub mod sched;
mod service;
pub mod world;

pub use books::{Invariant, Metric};
pub use ids::{Key, NodeId, Version};
pub use run::Run;
pub use scenario::{Fixes, Scenario};
pub use world::{Event, World};
