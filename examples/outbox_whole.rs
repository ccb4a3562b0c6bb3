//! Whether the complete search of dual-write-crash with outbox, as the page searches
//! it (time shift, subsumption, the story's faults anywhere, no extra), is feasible:
//! progress every million states with CPU time and resident memory.
//!
//!     cargo run --release --example outbox_whole -- [MAX_STATES]
use cachescope::sim::search::{Bounds, FaultBudget, Search, WorldModel};
use cachescope::sim::{scenarios, Fixes, Run};

fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

fn rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

fn main() {
    let max: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60_000_000);
    let s = scenarios::find("dual-write-crash").expect("scenario");
    let run = Run::new(s, Fixes::parse(s, ["outbox"]).expect("fix"), s.seed);
    let model = WorldModel::new(&run, FaultBudget::any(0)).with_time_shift();
    let bounds = Bounds {
        max_states: max,
        ..Bounds::default()
    };
    let mut search = Search::new(model, bounds).with_subsumption();
    let mut next = 1_000_000;
    loop {
        let p = search.step(10_000);
        if p.states >= next || p.done {
            println!(
                "states {} depth {} ends {} cpu {:.1} s rss {} MB done {}",
                p.states,
                p.depth,
                p.ends,
                cpu_s(),
                rss_mb(),
                p.done
            );
            next += 1_000_000;
        }
        if p.done {
            break;
        }
    }
    let r = search.report();
    println!(
        "complete {} states {} ends {} depth {} violations {:?}",
        r.complete,
        r.states,
        r.ends,
        r.depth,
        r.violations
            .iter()
            .map(|v| (v.name, v.path.len()))
            .collect::<Vec<_>>()
    );
}
