//! Distinct states per second of the exhaustive search, natively, and the time of each
//! catalog scenario's complete search (no extra faults). A benchmark that prints its
//! figures, never a timed test:
//! `CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo run --release --example search_bench` (the
//! page's release profile is built for size, `opt-level = "z"`; the search natively is
//! measured built for speed). A violation recognised as a race the catalog teaches is
//! printed with that scenario (`cache-matches-db@21(stale-set-race)`).
use cachescope::sim::search::{
    check_independence, teaches, Bounds, FaultBudget, Search, WorldModel,
};
use cachescope::sim::{scenarios, Fixes, Run};
use std::time::Instant;

fn main() {
    let faults: u8 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    // An optional second argument keeps the scenarios whose id contains it.
    let only = std::env::args().nth(2).unwrap_or_default();
    // `SEARCH_TIME_SHIFT=0` searches without the time-shift reduction,
    // `SEARCH_SLEEP=0` without sleep sets; `SEARCH_SUBSUME=1` with subsumption (as the
    // page's worker searches: with `SEARCH_SLEEP=0`, since sleep sets turn it off).
    // `SEARCH_AMPLE=1` explores a message to a client that nothing else reads alone
    // (a close, or the answer it waits for), as the page's worker does
    // (`WorldModel::with_ample`).
    let shift = std::env::var("SEARCH_TIME_SHIFT").map_or(true, |v| v != "0");
    let sleep = std::env::var("SEARCH_SLEEP").map_or(true, |v| v != "0");
    let subsume = std::env::var("SEARCH_SUBSUME").is_ok_and(|v| v == "1");
    let ample = std::env::var("SEARCH_AMPLE").is_ok_and(|v| v == "1");
    // `SEARCH_CHECK=N` checks, instead of searching, the independence sleep sets rely
    // on over the first N states of each search (`search::check_independence`).
    // `SEARCH_HELD=N` keeps N frontier states whole (default 16,384; the others are
    // re-derived by replay): to weigh replay against memory. `SEARCH_MAX_STATES=N`
    // raises (or lowers) the bound of a million distinct states.
    let env_or = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let bounds = Bounds {
        held_states: env_or("SEARCH_HELD", Bounds::default().held_states),
        max_states: env_or("SEARCH_MAX_STATES", Bounds::default().max_states),
        ..Bounds::default()
    };
    let check: Option<usize> = std::env::var("SEARCH_CHECK")
        .ok()
        .and_then(|v| v.parse().ok());
    if check.is_some() {
        println!("scenario,fixes,faults,time_shift,independent_pairs_checked");
    } else {
        println!("scenario,fixes,faults,time_shift,sleep,states,ends,depth,complete,violations,transitions,asleep,subsumed,ms,states_per_s,cpu_ms,states_per_cpu_s");
    }
    for scenario in scenarios::ALL.iter().filter(|s| s.id.contains(&only)) {
        let mut fix_sets = vec![Fixes::none()];
        for f in scenario.fixes {
            fix_sets.extend(Fixes::parse(scenario, [f.id]));
        }
        for fixes in fix_sets {
            let run = Run::new(scenario, fixes.clone(), scenario.seed);
            let mut model = WorldModel::new(&run, FaultBudget::any(faults));
            if ample {
                model = model.with_ample();
            }
            if shift {
                model = model.with_time_shift();
            }
            if let Some(max) = check {
                let result = check_independence(&model, max);
                let pairs = result.unwrap_or_else(|e| panic!("{}: {e}", scenario.id));
                println!(
                    "{},{},{faults},{},{pairs}",
                    scenario.id,
                    fixes.ids().join("+"),
                    model.time_shift()
                );
                continue;
            }
            let start = model.start().clone();
            let t = Instant::now();
            let cpu = cpu_ms();
            let mut search = Search::new(model, bounds);
            if sleep {
                search = search.with_sleep_sets();
            }
            if subsume {
                search = search.with_subsumption();
            }
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
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{:.1},{:.0},{},{}",
                scenario.id,
                fixes.ids().join("+"),
                faults,
                report.time_shift,
                sleep,
                report.states,
                report.ends,
                report.depth,
                report.complete,
                v.join(" "),
                report.transitions,
                report.asleep,
                report.subsumed,
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
