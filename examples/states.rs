//! Distinct canonical states, and the time to enumerate every interleaving (faults
//! left out) of the race scenarios, with and without each fix, by a plain
//! breadth-first search over `World::fingerprint`.
//!
//!     cargo run --release --example states [max_states]
//!
//! It reports; it does not judge. The clock measures the search, never the simulation.
use cachescope::sim::{scenarios, Fixes};
use std::time::Instant;

#[path = "../tests/common/bfs.rs"]
mod bfs;

/// Where a search stops if it has not ended: a bound on time and memory.
const DEFAULT_MAX_STATES: usize = 5_000_000;

fn main() {
    let max: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(DEFAULT_MAX_STATES);
    let ids = std::env::args().skip(2).collect::<Vec<_>>();
    let ids: Vec<&str> = if ids.is_empty() {
        vec!["stale-set-race", "delete-before-update-race"]
    } else {
        ids.iter().map(String::as_str).collect()
    };
    for id in ids {
        let Some(s) = scenarios::find(id) else {
            eprintln!("no scenario {id}");
            continue;
        };
        let mut variants = vec![("no fix".to_string(), Fixes::none())];
        for f in s.fixes {
            if let Ok(fixes) = Fixes::parse(s, [f.id]) {
                variants.push((f.id.to_string(), fixes));
            }
        }
        for (name, fixes) in variants {
            let start = Instant::now();
            let c = bfs::bfs(s.world(&fixes, s.seed), s.invariants, max);
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{id} ({name}): {} distinct states{}, {} ends ({} breaking an invariant), {} transitions, depth {}, {:.2} s",
                c.states,
                if c.complete { "" } else { " (stopped: not complete)" },
                c.ends,
                c.bad_ends,
                c.edges,
                c.depth,
                secs
            );
        }
    }
}
