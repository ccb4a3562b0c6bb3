//! Distinct states per second of the exhaustive search, natively, and the time of each
//! catalog scenario's complete search (no extra faults). A benchmark that prints its
//! figures, never a timed test: `cargo run --release --example search_bench`.
use cachescope::sim::search::{Bounds, FaultBudget, Search, WorldModel};
use cachescope::sim::{scenarios, Fixes, Run};
use std::time::Instant;

fn main() {
    let faults: u8 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    // An optional second argument keeps the scenarios whose id contains it.
    let only = std::env::args().nth(2).unwrap_or_default();
    println!("scenario,fixes,faults,states,ends,depth,complete,violations,ms,states_per_s");
    for scenario in scenarios::ALL.iter().filter(|s| s.id.contains(&only)) {
        let mut fix_sets = vec![Fixes::none()];
        for f in scenario.fixes {
            fix_sets.extend(Fixes::parse(scenario, [f.id]));
        }
        for fixes in fix_sets {
            let run = Run::new(scenario, fixes.clone(), scenario.seed);
            let model = WorldModel::new(&run, FaultBudget::any(faults));
            let t = Instant::now();
            let mut search = Search::new(model, Bounds::default());
            let report = search.run();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let v: Vec<String> = report
                .violations
                .iter()
                .map(|v| format!("{}@{}", v.name, v.path.len()))
                .collect();
            println!(
                "{},{},{},{},{},{},{},{},{:.1},{:.0}",
                scenario.id,
                fixes.ids().join("+"),
                faults,
                report.states,
                report.ends,
                report.depth,
                report.complete,
                v.join(" "),
                ms,
                report.states as f64 / (ms / 1000.0)
            );
        }
    }
}
