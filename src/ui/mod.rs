//! The page. Leptos components that render plain views of the simulation.
//!
//! Architecture Invariant: signals live here and never enter `crate::sim`. Every
//! component reads a `sim::view::View` (or the `Run`'s records) and every control calls
//! one method of `Run`; the state shown changes synchronously with the control.
//!
//! `markup`, `paint` and `figure` write the display-only parts as text, `verdict`
//! the explorer's result in words (`sliced` its ghost-reader slice's), `placed` the faults its runs include and `judged` what its
//! runs' states show, `searching` its progress and stops; they compile natively (their tests run under
//! `cargo test`); the rest is the browser's.
pub mod chapters;
pub mod figure;
pub mod judged;
pub mod layout;
pub mod lists;
pub mod markup;
pub mod paint;
pub mod placed;
pub mod searching;
pub mod sequence;
pub mod sliced;
pub mod verdict;

/// Items that need the browser (Leptos, web-sys): compiled for wasm32 only.
macro_rules! browser_only {
    ($($item:item)*) => { $( #[cfg(target_arch = "wasm32")] $item )* };
}

browser_only! {
    mod app;
    mod branches;
    mod browser;
    mod builder;
    mod choose;
    mod controls;
    mod diagram;
    mod explore;
    mod io;
    mod learn;
    mod notes;
    mod panels;
    mod path;
    mod pipeline;
    mod present;
    mod seqview;
    mod session;
    mod sidebyside;
    mod teach;

    pub use app::{start, App};
    pub use session::Session;
}

/// How the page plays: steps per second for each position of the speed slider.
pub const SPEEDS_PER_S: [u32; 6] = [1, 2, 4, 8, 16, 30];
/// The slider's default position: 2 steps per second.
pub const DEFAULT_SPEED: usize = 1;
