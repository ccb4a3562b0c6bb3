//! The slice for `no-lost-event` (`search::Slice`: the readers left out, every timer
//! enabled once set) against the full search, on every catalog scenario and fix that
//! checks `no-lost-event`: states, end states, depth, completeness and the
//! invariant's verdict both ways (time shift and subsumption on, as the page; no
//! extra fault), and the side-by-side check of the slice's soundness
//! (`search::check_slice`, pairs keyed shifted in time, at most CHECK_PAIRS pairs). With
//! `SLICE_STRICT=1`, the unsound slice whose timers keep the full model's rule;
//! with `SLICE_GHOST=1`, the slice with ghost readers (`GHOST_SLACK=ms` to set its
//! slack);
//! with `SLICE_ONLY=1`, no full search; with `SLICE_WATCH=1`, the ghost check's
//! progress at each level; with `CHECK_DEPTH=n`, the ghost check follows the full
//! model's runs of at most `n` steps; with `SAMPLE_RUNS=n` (and `SLICE_GHOST=1`), the
//! ghost check along `n` random runs of every length too (`search::sample_ghost_slice`,
//! seeds from `SAMPLE_SEED`, 0 by default).
//!
//!     cargo run --profile search --example slice -- [scenario filter] [MAX_STATES] [CHECK_PAIRS]
use cachescope::sim::search::{
    check_ghost_slice_watched, check_slice, check_strict_slice, sample_ghost_slice, Bounds,
    FaultBudget, Model, Search, Slice, WorldModel,
};
use cachescope::sim::{scenarios, Fixes, Invariant, Run};

fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

/// Resident memory now (MB).
fn rss_mb() -> u64 {
    status_mb("VmRSS")
}

/// Peak resident memory (MB).
fn peak_mb() -> u64 {
    status_mb("VmHWM")
}

fn status_mb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

fn line<M: Model>(label: &str, model: M, max: usize, name: &str) {
    let t0 = cpu_s();
    let bounds = Bounds {
        max_states: max,
        ..Bounds::default()
    };
    let r = Search::new(model, bounds).with_subsumption().run();
    let broken = r
        .violations
        .iter()
        .find(|v| v.name == name)
        .map_or("-".to_string(), |v| format!("broken@{}", v.path.len()));
    println!(
        "  {label}: states {} ends {} depth {} complete {} {name} {broken} cpu {:.2} s",
        r.states,
        r.ends,
        r.depth,
        r.complete,
        cpu_s() - t0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let only = args.get(1).cloned().unwrap_or_default();
    let max: usize = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let pairs: usize = args
        .get(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3_000_000);
    let name = Invariant::NoLostEvent.name();
    for scenario in scenarios::ALL.iter().filter(|s| s.id.contains(&only)) {
        if !scenario.invariants.contains(&Invariant::NoLostEvent) {
            continue;
        }
        let mut fix_sets = vec![Fixes::none()];
        for f in scenario.fixes {
            fix_sets.extend(Fixes::parse(scenario, [f.id]));
        }
        for fixes in fix_sets {
            let run = Run::new(scenario, fixes.clone(), scenario.seed);
            println!("{} {}", scenario.id, fixes.ids().join("+"));
            if std::env::var("SLICE_ONLY").map_or(true, |v| v != "1") {
                let full = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
                line("full ", full, max, name);
            }
            let Some(slice) = Slice::new(&run, FaultBudget::NONE) else {
                continue;
            };
            let strict = std::env::var("SLICE_STRICT").is_ok_and(|v| v == "1");
            let ghost = std::env::var("SLICE_GHOST").is_ok_and(|v| v == "1");
            let slack: Option<u64> = std::env::var("GHOST_SLACK")
                .ok()
                .and_then(|v| v.parse().ok());
            let slice = if ghost {
                match slack {
                    Some(ms) => slice.with_ghost_slack(ms),
                    None => slice.with_ghost_readers(),
                }
            } else if strict {
                slice.with_strict_timers()
            } else {
                slice
            };
            if let Some(ms) = slice.ghost_slack() {
                println!("  ghost readers, slack {ms} ms");
            }
            line("slice", slice.with_time_shift(), max, name);
            let sample_runs: usize = std::env::var("SAMPLE_RUNS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if ghost && sample_runs > 0 {
                let seed: u64 = std::env::var("SAMPLE_SEED")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let t0 = cpu_s();
                if let Some(s) =
                    sample_ghost_slice(&run, FaultBudget::NONE, slack, sample_runs, seed, 500)
                {
                    println!(
                        "  sample: runs {} (seeds {seed}..) steps {} ends {} longest {} gap {} ms error {:?} cpu {:.2} s\n  runs by length: {:?}",
                        s.runs,
                        s.steps,
                        s.ends,
                        s.longest,
                        s.gap_ms,
                        s.error,
                        cpu_s() - t0,
                        s.lengths
                    );
                }
            }
            if pairs > 0 {
                let t0 = cpu_s();
                let watching = std::env::var("SLICE_WATCH").is_ok_and(|v| v == "1");
                let mut watch = |found: usize, depth: usize| {
                    if watching {
                        println!(
                            "    depth {depth}: {found} pairs, cpu {:.1} s, rss {} MB",
                            cpu_s() - t0,
                            rss_mb()
                        );
                    }
                };
                let check = if ghost {
                    let bounds = Bounds {
                        max_states: pairs,
                        max_depth: std::env::var("CHECK_DEPTH")
                            .ok()
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(Bounds::default().max_depth),
                        ..Bounds::default()
                    };
                    check_ghost_slice_watched(&run, FaultBudget::NONE, slack, bounds, &mut watch)
                } else if strict {
                    check_strict_slice(&run, FaultBudget::NONE, pairs)
                } else {
                    check_slice(&run, FaultBudget::NONE, pairs)
                };
                if let Some(c) = check {
                    println!(
                        "  check: pairs {} transitions {} depth {} complete {} shift {} error {:?} gap {} ms cpu {:.2} s rss {} MB",
                        c.pairs,
                        c.transitions,
                        c.depth,
                        c.complete,
                        c.time_shift,
                        c.error,
                        c.gap_ms,
                        cpu_s() - t0,
                        peak_mb()
                    );
                }
            }
        }
    }
}
