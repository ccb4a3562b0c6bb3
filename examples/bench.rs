//! Simulated events per second, natively: every catalog scenario, with and without each
//! fix, under seeded random interleavings, until a fixed number of events has fired.
//!
//!     cargo run --release --example bench [events]
//!
//! It reports; it does not judge. The clock here measures the benchmark, never the
//! simulation (which has no clock).
use cachescope::sim::sched::{self, Seeded};
use cachescope::sim::{scenarios, Fixes};
use std::time::Instant;

/// Default total of events to fire: enough for a stable rate, a few seconds at most.
const DEFAULT_EVENTS: u64 = 2_000_000;

fn main() {
    let target: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(DEFAULT_EVENTS);
    let mut variants = Vec::new();
    for s in scenarios::ALL.iter() {
        variants.push((s, Fixes::none()));
        for f in s.fixes {
            if let Ok(fixes) = Fixes::parse(s, [f.id]) {
                variants.push((s, fixes));
            }
        }
    }
    let start = Instant::now();
    let (mut events, mut runs, mut seed) = (0u64, 0u64, 0u64);
    while events < target {
        for (s, fixes) in &variants {
            let mut world = s.world(fixes, s.seed);
            events += sched::run(&mut world, &mut Seeded::new(seed)).len() as u64;
            runs += 1;
            seed += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "native: {events} events in {runs} runs over {} scenario variants",
        variants.len()
    );
    println!(
        "native: {:.2} s, {:.0} events/s, {:.1} µs/event",
        secs,
        events as f64 / secs,
        secs * 1e6 / events as f64
    );
}
