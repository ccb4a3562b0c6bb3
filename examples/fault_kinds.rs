//! The search's states with one extra fault, with and without the faults of session 14
//! (`evict`, `disconnect` and its `resubscribe`), as the page's worker searches
//! (time shift, subsumption), on a few scenarios.
//!
//!     cargo run --profile search --example fault_kinds [max_states] [id[+fix] …]
//!
//! It reports; it does not judge. CPU seconds from `/proc/self/stat` (Linux).
use cachescope::sim::sandbox::{Pattern, SandboxSpec};
use cachescope::sim::search::{Bounds, FaultBudget, Search, WorldModel};
use cachescope::sim::{scenarios, Fixes, Run};

/// The kinds of fault the search may place, oldest first (`FaultBudget::KINDS`): before
/// `disconnect` and `evict`, and with `disconnect`.
const OLD: &[&str] = FaultBudget::OLD_KINDS;
const NO_EVICT: &[&str] = FaultBudget::NO_EVICT;

fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let t = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

fn main() {
    let max: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let mut cases: Vec<String> = std::env::args().skip(2).collect();
    if cases.is_empty() {
        cases = [
            "stale-set-race",
            "write-through-race",
            "event-invalidation",
            "event-invalidation-crash",
        ]
        .map(String::from)
        .to_vec();
    }
    for case in cases {
        let run = if let Some(keys) = case.strip_prefix("sandbox-cache-aside-keys") {
            // The sandbox's cache-aside pattern, one reader, one writer, N keys: the
            // states evictions add where more than one key is cached.
            let spec = SandboxSpec {
                keys: keys.parse().unwrap_or(2),
                ..SandboxSpec::new(Pattern::CacheAside)
            };
            Run::new_sandbox(spec, Fixes::none(), 1)
        } else {
            let mut parts = case.split('+');
            let id = parts.next().unwrap_or_default();
            let Some(s) = scenarios::find(id) else {
                eprintln!("no scenario {id}");
                continue;
            };
            let Ok(fixes) = Fixes::parse(s, parts) else {
                eprintln!("bad fixes in {case}");
                continue;
            };
            Run::with_default_seed(s, fixes)
        };
        for (label, kinds) in [("before", OLD), ("no evict", NO_EVICT), ("after", &[][..])] {
            let budget = FaultBudget { extra: 1, kinds };
            let model = WorldModel::new(&run, budget).with_time_shift();
            let bounds = Bounds {
                max_states: max,
                ..Bounds::default()
            };
            let t0 = cpu_s();
            let r = Search::new(model, bounds).with_subsumption().run();
            let broken: Vec<String> = r
                .violations
                .iter()
                .map(|v| format!("{} in {}", v.name, v.path.len()))
                .collect();
            println!(
                "{case} faults-1 {label}: {} states, {} ends, depth {}, complete {}, broken [{}], {:.1} CPU s",
                r.states,
                r.ends,
                r.depth,
                r.complete,
                broken.join(", "),
                cpu_s() - t0
            );
        }
    }
}
