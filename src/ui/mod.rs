//! The page. Leptos components that render plain views of the simulation.
//!
//! Architecture Invariant: signals live here and never enter `crate::sim`. Every
//! component reads a `sim::view::View` (or the `Run`'s records) and every control calls
//! one method of `Run`; the state shown changes synchronously with the control.
//!
//! `markup`, `paint` and `figure` write the display-only parts as text and compile
//! natively (their tests run under `cargo test`); the rest is the browser's.
pub mod figure;
pub mod markup;
pub mod paint;

#[cfg(target_arch = "wasm32")]
mod branches;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod builder;
#[cfg(target_arch = "wasm32")]
mod choose;
#[cfg(target_arch = "wasm32")]
mod controls;
#[cfg(target_arch = "wasm32")]
mod diagram;
#[cfg(target_arch = "wasm32")]
mod io;
#[cfg(target_arch = "wasm32")]
mod learn;
#[cfg(target_arch = "wasm32")]
mod panels;
#[cfg(target_arch = "wasm32")]
mod path;
#[cfg(target_arch = "wasm32")]
mod pipeline;
#[cfg(target_arch = "wasm32")]
mod session;
#[cfg(target_arch = "wasm32")]
mod sidebyside;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub use app::App;
#[cfg(target_arch = "wasm32")]
pub use session::Session;

/// How the page plays: steps per second for each position of the speed slider.
pub const SPEEDS_PER_S: [u32; 6] = [1, 2, 4, 8, 16, 30];
/// The slider's default position: 2 steps per second.
pub const DEFAULT_SPEED: usize = 1;
