//! The time-shifted fingerprint's soundness (`search::check_shift`): breadth first over
//! a search's states as the page's job explores them (the time shift and ample sets
//! on, the story's faults and `FAULTS` more), every world reached again compared with
//! the first world found with its fingerprint: the same enabled events and successors.
//!
//! `cargo run --release --example shift_check [max_states] [scenario[:fix]]...`
//! (default: 300,000 states, every scenario and fix of the catalog). `AMPLE=0`: without
//! ample sets (the full transition relation). One CSV line per search.
use cachescope::sim::search::{check_shift, FaultBudget, Model, WorldModel};
use cachescope::sim::{scenarios, Fixes, Run};

fn main() {
    let mut args = std::env::args().skip(1);
    let max: usize = args
        .next()
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(300_000);
    let filter: Vec<String> = args.collect();
    let faults: u8 = std::env::var("FAULTS")
        .ok()
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    let ample = std::env::var("AMPLE").map_or(true, |a| a != "0");
    println!("scenario,fix,time_shift,states,complete,compared,differing,horizon_cut");
    for s in scenarios::ALL.iter() {
        for fix in std::iter::once("").chain(s.fixes.iter().map(|f| f.id)) {
            let name = if fix.is_empty() {
                s.id.to_string()
            } else {
                format!("{}:{fix}", s.id)
            };
            if !filter.is_empty() && !filter.iter().any(|f| *f == name || *f == s.id) {
                continue;
            }
            let fixes = Fixes::parse(s, [fix].into_iter().filter(|f| !f.is_empty()))
                .expect("the catalog's fixes");
            let run = Run::new(s, fixes, s.seed);
            let mut model = WorldModel::new(&run, FaultBudget::any(faults)).with_time_shift();
            if ample {
                model = model.with_ample();
            }
            let mut checks = vec![(true, check_shift(&model, max))];
            // The horizon falls between states the shift would take as one: the search
            // starts again with absolute time there, whose fingerprint is checked too.
            if checks[0].1.horizon_cut > 0 {
                model.keep_absolute_time();
                checks.push((false, check_shift(&model, max)));
            }
            for (shift, c) in &checks {
                println!(
                    "{},{fix},{shift},{},{},{},{},{}",
                    s.id, c.states, c.complete, c.compared, c.differing, c.horizon_cut
                );
            }
            for d in checks.iter().filter_map(|(_, c)| c.first.as_ref()) {
                eprintln!("== {name}: first differing pair, now {:?}", d.now);
                eprintln!("first run:  {:?}", d.first);
                eprintln!("second run: {:?}", d.second);
                for x in &d.only_first {
                    eprintln!("  only first:  {x}");
                }
                for x in &d.only_second {
                    eprintln!("  only second: {x}");
                }
                for (a, b) in d.fields.iter().take(80) {
                    eprintln!("  field: {a}  |  {b}");
                }
                if let Some((e1, e2, fields)) = &d.next_fields {
                    eprintln!("  after {e1:?} | {e2:?}:");
                    for (a, b) in fields.iter().take(80) {
                        eprintln!("    field: {a}  |  {b}");
                    }
                }
            }
        }
    }
}
