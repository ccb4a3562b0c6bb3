//! Distinct states per second of the exhaustive search, natively, and the time of each
//! catalog scenario's complete search (no extra faults). A benchmark that prints its
//! figures, never a timed test:
//! `CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo run --release --example search_bench` (the
//! page's release profile is built for size, `opt-level = "z"`; the search natively is
//! measured built for speed). A violation recognised as a race the catalog teaches is
//! printed with that scenario (`cache-matches-db@21(stale-set-race)`).
use cachescope::sim::search::{teaches, Bounds, FaultBudget, Search, WorldModel};
use cachescope::sim::{scenarios, Fixes, Run};
use std::time::Instant;

fn main() {
    let faults: u8 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    // An optional second argument keeps the scenarios whose id contains it.
    let only = std::env::args().nth(2).unwrap_or_default();
    // `SEARCH_TIME_SHIFT=0` searches without the time-shift reduction.
    let shift = std::env::var("SEARCH_TIME_SHIFT").map_or(true, |v| v != "0");
    println!("scenario,fixes,faults,time_shift,states,ends,depth,complete,violations,ms,states_per_s,cpu_ms,states_per_cpu_s");
    for scenario in scenarios::ALL.iter().filter(|s| s.id.contains(&only)) {
        let mut fix_sets = vec![Fixes::none()];
        for f in scenario.fixes {
            fix_sets.extend(Fixes::parse(scenario, [f.id]));
        }
        for fixes in fix_sets {
            let run = Run::new(scenario, fixes.clone(), scenario.seed);
            let mut model = WorldModel::new(&run, FaultBudget::any(faults));
            if shift {
                model = model.with_time_shift();
            }
            let start = model.start().clone();
            let t = Instant::now();
            let cpu = cpu_ms();
            let mut search = Search::new(model, Bounds::default());
            let report = search.run();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let cpu = cpu_ms().zip(cpu).map(|(b, a)| b - a);
            let v: Vec<String> = report
                .violations
                .iter()
                .map(|v| match teaches(&start, &v.path) {
                    Some(t) => format!("{}@{}({t})", v.name, v.path.len()),
                    None => format!("{}@{}", v.name, v.path.len()),
                })
                .collect();
            println!(
                "{},{},{},{},{},{},{},{},{},{:.1},{:.0},{},{}",
                scenario.id,
                fixes.ids().join("+"),
                faults,
                report.time_shift,
                report.states,
                report.ends,
                report.depth,
                report.complete,
                v.join(" "),
                ms,
                report.states as f64 / (ms / 1000.0),
                cpu.map_or("-".into(), |c| format!("{c:.0}")),
                cpu.filter(|c| *c > 0.0).map_or("-".into(), |c| format!(
                    "{:.0}",
                    report.states as f64 / (c / 1000.0)
                ))
            );
        }
    }
}

/// This process's CPU time so far (user + system), from /proc/self/stat: on a shared
/// machine the rate per CPU second is the one that compares across runs. `None` off
/// Linux.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel's USER_HZ is 100 on Linux.
    Some(ticks * 10.0)
}
