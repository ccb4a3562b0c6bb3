//! The simulation: a deterministic model of clients, a service, a cache and a database
//! exchanging messages in virtual time, with the nodes the patterns add: an event bus
//! (`bus`: at-most-once Pub/Sub or a durable log with offsets, retries and a
//! dead-letter queue), an invalidation consumer (`consumer`), the outbox relay
//! (`relay`), and the write-behind flusher (`behind`). The read path's stampede guards
//! are in `load`; faults (crash, restart, pause, drop, delay, duplicate, evict, disconnect…) in `fault`.
//!
//! Architecture Invariant: nothing here knows of the browser, its APIs or the UI
//! framework (ARCHITECTURE.md lists the crates; tests/architecture.rs checks it).
//! `cargo test` runs all of it natively. State is plain data, so
//! a run can be snapshotted, stepped back, replayed and searched.
/// `Clone` for a struct, field by field, with a `clone_from` that copies each field
/// into its own buffers (`Vec::clone_from`): a node copied on write into a dropped
/// node's buffers allocates nothing (`nodes.rs`). Every field is named in both, so a
/// field left out does not compile.
macro_rules! clone_fields {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl Clone for $ty {
            fn clone(&self) -> Self {
                $ty {
                    $($field: self.$field.clone()),*
                }
            }

            fn clone_from(&mut self, source: &Self) {
                let $ty { $($field),* } = self;
                $($field.clone_from(&source.$field);)*
            }
        }
    };
}

mod act;
mod behind;
pub mod bench;
pub mod books;
pub mod bus;
pub mod cache;
mod cache_behind;
mod cache_node;
pub mod canon;
pub mod cdn;
pub mod client;
pub mod codec;
pub mod commit_log;
pub mod compare;
pub mod config;
pub mod consumer;
pub mod db;
pub mod describe;
pub mod fact;
pub mod fault;
pub mod fold;
pub mod ids;
pub mod invalidator;
pub mod keymap;
pub mod link;
mod load;
pub mod msg;
pub(crate) mod narrate;
pub mod near;
pub mod negative;
pub mod node;
pub mod nodes;
pub mod notes;
pub mod partition;
pub mod parts;
mod production;
pub mod region;
pub mod relay;
pub mod replica;
pub mod rng;
mod route;
pub mod run;
pub mod sandbox;
pub mod scenario;
pub mod scenarios;
pub mod sched;
pub mod search;
pub mod sequence;
mod service;
mod shared;
mod timing;
pub mod tracking;
pub mod tree;
pub mod txn;
pub mod view;
pub mod world;

pub use books::{Invariant, Metric};
pub use fault::{Fault, NodeStatus};
pub use ids::{EventId, Key, NodeId, Version};
pub use run::Run;
pub use scenario::{Fixes, Scenario};
pub use world::{Event, World};
