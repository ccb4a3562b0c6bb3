//! Simulated events per second, natively: every catalog scenario, with and without each
//! fix, under seeded random interleavings, until a fixed number of events has fired;
//! once quiet (`World::step_quiet`: no text built) and once narrated (`World::step`:
//! the trace's label, outcome and narration of every step). The mix is `sim::bench`'s,
//! which the browser runs too (`tests/e2e/quiet-bench.mjs`), for the wasm/native ratio.
//!
//!     cargo run --profile search --example bench [events] [quiet|narrated]
//!
//! `--profile search` builds it for speed (`opt-level = 3`), the figure the README
//! sets against the 5 million target; `--release` is the page's size profile
//! (`opt-level = "z"`), slower by a third.
//!
//! It reports; it does not judge. The clock here measures the benchmark, never the
//! simulation (which has no clock).
use cachescope::sim::bench::{variants, Mix};
use std::time::Instant;

/// Default total of events to fire per mode: enough for a stable rate, a few seconds.
const DEFAULT_EVENTS: u64 = 2_000_000;

/// The CPU time this process has used, in seconds, where Linux tells it (on a shared
/// machine the wall clock counts other programs' time too).
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(") ")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // Linux reports in USER_HZ, 100 on every common configuration.
    Some(ticks / 100.0)
}

/// Runs the catalog mix (`sim::bench`, which the browser's worker runs too) until
/// `target` events have fired; returns (events, runs, wall s, CPU s).
fn measure(target: u64, quiet: bool) -> (u64, u64, f64, Option<f64>) {
    let mut mix = Mix::new();
    let cpu = cpu_secs();
    let start = Instant::now();
    let tally = mix.run(target, quiet);
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu.and_then(|before| Some(cpu_secs()? - before));
    (tally.events, tally.runs, secs, cpu)
}

fn main() {
    let target: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(DEFAULT_EVENTS);
    let only = std::env::args().nth(2);
    println!("native: {} scenario variants", variants().len());
    for (name, quiet) in [("quiet", true), ("narrated", false)] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let (events, runs, secs, cpu) = measure(target, quiet);
        let per_cpu = cpu
            .filter(|c| *c > 0.0)
            .map(|c| {
                format!(
                    ", {:.0} events per CPU second ({c:.2} s of CPU)",
                    events as f64 / c
                )
            })
            .unwrap_or_default();
        println!(
            "native {name}: {events} events in {runs} runs, {secs:.2} s, {:.0} events/s, {:.2} µs/event{per_cpu}",
            events as f64 / secs,
            secs * 1e6 / events as f64
        );
    }
}
