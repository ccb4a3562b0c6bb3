//! Prints every scenario's story, with and without each fix, with the state after each
//! step, for reading the narration against the trace:
//! `cargo run --example narrate [scenario-id] [fix]`.
use cachescope::sim::books::Invariant;
use cachescope::sim::scenarios;
use cachescope::sim::{Fixes, Run, World};

fn state(w: &World) -> String {
    let cache: Vec<String> = w
        .cache()
        .entries
        .iter()
        .filter(|(_, e)| e.expires_ms > w.now_ms)
        .map(|(k, e)| format!("{k}={}", e.version))
        .collect();
    let db: Vec<String> = w
        .db()
        .rows
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut out = format!("cache[{}] db[{}]", cache.join(" "), db.join(" "));
    if !w.db().outbox.is_empty() {
        let rows: Vec<String> = w
            .db()
            .outbox
            .iter()
            .map(|r| format!("{}{}", r.ev.id, if r.published { "+" } else { "-" }))
            .collect();
        out.push_str(&format!(" outbox[{}]", rows.join(" ")));
    }
    if !w.cache().queue.is_empty() {
        let q: Vec<String> = w
            .cache()
            .queue
            .iter()
            .map(|q| format!("{}={}", q.key, q.version))
            .collect();
        out.push_str(&format!(" wbq[{}]", q.join(" ")));
    }
    if !w.bus().log.is_empty() {
        let q: Vec<String> = w
            .bus()
            .log
            .iter()
            .map(|e| format!("{}:{}={}:{:?}", e.ev.id, e.ev.key, e.ev.version, e.state))
            .collect();
        out.push_str(&format!(" log[{}]", q.join(" ")));
    }
    if !w.bus().dlq.is_empty() {
        out.push_str(&format!(" dlq{}", w.bus().dlq.len()));
    }
    let bad: Vec<&str> = [
        Invariant::CacheMatchesDb,
        Invariant::NoLostWrite,
        Invariant::NoLostEvent,
    ]
    .iter()
    .filter(|i| i.check(w).is_err())
    .map(|i| i.name())
    .collect();
    if !bad.is_empty() {
        out.push_str(&format!(" VIOLATED[{}]", bad.join(",")));
    }
    out.push_str(&format!(" stale={}", w.metrics.stale_reads));
    out
}

/// Prints the run a link opens, up to its step.
fn print_link(query: &str) {
    let loaded = cachescope::sim::link::load(query);
    for e in &loaded.errors {
        println!("error: {e:?}");
    }
    let run = loaded.run;
    println!("=== {query}");
    for (i, r) in run.records().iter().enumerate() {
        println!("{:>3} {r}\n      {}", i + 1, r.narration);
        if let Some(w) = run.state(i + 1) {
            println!("      | {}", state(w));
        }
    }
}

/// A run of `s` choosing among the enabled events with a seeded generator (and, with
/// `faults`, injecting up to 3 random faults), printed like the stories.
fn print_random(s: &'static cachescope::sim::Scenario, fixes: Fixes, seed: u64, faults: bool) {
    let mut run = Run::with_default_seed(s, fixes.clone());
    let mut rng = cachescope::sim::rng::Rng::new(seed.wrapping_mul(7919).wrapping_add(17));
    let mut injected = 0;
    for _ in 0..cachescope::sim::run::MAX_STEPS {
        let w = run.world().clone();
        let enabled = w.enabled();
        if enabled.is_empty() {
            break;
        }
        let scripted = s.script_fault(&w).filter(|e| w.is_enabled(*e));
        let event = if let Some(e) = scripted {
            e
        } else if faults && injected < 3 && rng.below(8) == 0 {
            let all = w.faults();
            injected += 1;
            all[rng.below(all.len() as u64) as usize]
        } else {
            enabled[rng.below(enabled.len() as u64) as usize]
        };
        if run.fire(event).is_err() {
            break;
        }
    }
    println!("=== {} {:?} seed {seed} faults {faults}", s.id, fixes.ids());
    for (i, r) in run.records().iter().enumerate() {
        println!("{:>3} {r}\n      {}", i + 1, r.narration);
        if let Some(w) = run.state(i + 1) {
            println!("      | {}", state(w));
        }
    }
    println!("END {}\n", s.epilogue(run.world(), &fixes));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--random") {
        let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
        for s in scenarios::ALL.iter().copied() {
            let mut combos: Vec<Vec<&str>> = vec![vec![]];
            combos.extend(s.fixes.iter().map(|f| vec![f.id]));
            for fixes in combos {
                let fixes = Fixes::parse(s, fixes).expect("the scenario's own fixes");
                print_random(s, fixes, seed, seed % 3 == 2);
            }
        }
        return;
    }
    if args.first().is_some_and(|a| a == "--link") {
        args.iter().skip(1).for_each(|q| print_link(q));
        return;
    }
    for s in scenarios::ALL.iter() {
        if args.first().is_some_and(|a| a != s.id) {
            continue;
        }
        let mut combos: Vec<Vec<&str>> = vec![vec![]];
        combos.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in combos {
            if args.get(1).is_some_and(|a| !fixes.contains(&a.as_str())) {
                continue;
            }
            let fixes = Fixes::parse(s, fixes).expect("the scenario's own fixes");
            let mut run = Run::with_default_seed(s, fixes.clone());
            run.run_to_end();
            println!("=== {} {:?}", s.id, fixes.ids());
            for (i, r) in run.records().iter().enumerate() {
                println!("{:>3} {r}\n      {}", i + 1, r.narration);
                if let Some(w) = run.state(i + 1) {
                    println!("      | {}", state(w));
                }
            }
            println!("END {}\n", s.epilogue(run.world(), &fixes));
        }
    }
}
