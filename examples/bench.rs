//! Simulated events per second, natively: every catalog scenario, with and without each
//! fix, under seeded random interleavings, until a fixed number of events has fired;
//! once quiet (`World::step_quiet`: no text built) and once narrated (`World::step`:
//! the trace's label, outcome and narration of every step).
//!
//!     cargo run --release --example bench [events] [quiet|narrated]
//!
//! It reports; it does not judge. The clock here measures the benchmark, never the
//! simulation (which has no clock).
use cachescope::sim::sched::{self, Seeded};
use cachescope::sim::{scenarios, Fixes, Scenario};
use std::time::Instant;

/// Default total of events to fire per mode: enough for a stable rate, a few seconds.
const DEFAULT_EVENTS: u64 = 2_000_000;

fn variants() -> Vec<(&'static Scenario, Fixes)> {
    let mut variants = Vec::new();
    for &s in scenarios::ALL.iter() {
        variants.push((s, Fixes::none()));
        for f in s.fixes {
            if let Ok(fixes) = Fixes::parse(s, [f.id]) {
                variants.push((s, fixes));
            }
        }
    }
    variants
}

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

/// Runs the catalog mix until `target` events have fired; returns (events, runs, wall
/// s, CPU s).
fn measure(target: u64, quiet: bool) -> (u64, u64, f64, Option<f64>) {
    // Each run starts from a copy of its variant's start state: building a world from
    // its scenario is not a simulated event.
    let starts: Vec<_> = variants()
        .into_iter()
        .map(|(s, fixes)| s.world(&fixes, s.seed))
        .collect();
    let cpu = cpu_secs();
    let start = Instant::now();
    let (mut events, mut runs, mut seed) = (0u64, 0u64, 0u64);
    // One world, copied into from each start (`clone_from`: into its own buffers).
    let mut world = starts[0].clone();
    while events < target {
        for start in &starts {
            world.clone_from(start);
            let mut scheduler = Seeded::new(seed);
            events += if quiet {
                sched::run_quiet(&mut world, &mut scheduler)
            } else {
                sched::run(&mut world, &mut scheduler).len()
            } as u64;
            runs += 1;
            seed += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu.and_then(|before| Some(cpu_secs()? - before));
    (events, runs, secs, cpu)
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
