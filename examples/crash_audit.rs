//! Crashes and restarts of every node at a few steps of every catalog scenario (no fix,
//! then each fix alone), with the words the page shows from the crash on: the steps'
//! narration, the notes before the ending, and the ending; for reading the words
//! against the trace (review session 17's findings came from such runs on the page).
//!
//!     cargo run --example crash_audit [scenario-id] > audit.txt
//!
//! Each run: the story to step `s`, then `crash X` as step s+1, then either the run to
//! its end, or one step, `restart X`, and the run to its end. It flags what it can
//! check mechanically (`!!`): a message told lost in two steps, or lost and then
//! delivered; it does not judge the rest.
use cachescope::sim::{scenarios, Event, Fault, Fixes, NodeId, Run};

/// The message ids (`m12`) a sentence names.
fn ids(sentence: &str) -> Vec<String> {
    sentence
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 1 && w.starts_with('m') && w[1..].bytes().all(|b| b.is_ascii_digit()))
        .map(String::from)
        .collect()
}

/// The flags of a run from step `from` (0-based) on.
fn flags(run: &Run, from: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut lost: Vec<(String, usize)> = Vec::new();
    for (i, r) in run.records().iter().enumerate().skip(from) {
        for s in r
            .narration
            .split(". ")
            .filter(|s| s.contains(" lost") && !s.contains("will never reach"))
        {
            for id in ids(s) {
                if let Some((_, j)) = lost.iter().find(|(m, j)| *m == id && *j != i) {
                    out.push(format!("{id} told lost at steps {} and {}", j + 1, i + 1));
                } else {
                    lost.push((id, i));
                }
            }
        }
        if let (Event::Deliver(m), false) = (r.event, r.outcome.contains("lost")) {
            let id = m.to_string();
            if let Some((_, j)) = lost.iter().find(|(l, _)| *l == id) {
                out.push(format!(
                    "{id} told lost at step {} and delivered at {}",
                    j + 1,
                    i + 1
                ));
            }
        }
    }
    out
}

fn show(title: &str, run: &Run, from: usize) {
    println!("=== {title} (end {})", run.cursor());
    for f in flags(run, from) {
        println!("!! {f}");
    }
    for (i, r) in run.records().iter().enumerate().skip(from) {
        println!("{:>3} {r}\n      {}", i + 1, r.narration);
    }
    for note in [run.limit_note(), run.stuck_note()].into_iter().flatten() {
        println!("NOTE {note}");
    }
    println!("END {}\n", run.scenario.epilogue(run.world(), &run.fixes));
}

fn main() {
    let only = std::env::args().nth(1);
    for sc in scenarios::ALL.iter().copied() {
        if only.as_deref().is_some_and(|o| o != sc.id) {
            continue;
        }
        let mut sets = vec![Fixes::none()];
        for f in sc.fixes {
            sets.extend(Fixes::parse(sc, [f.id]).ok());
        }
        for fixes in sets {
            let mut story = Run::with_default_seed(sc, fixes.clone());
            story.run_to_end();
            let n = story.cursor();
            let mut steps: Vec<usize> = [n / 4, n / 2, 3 * n / 4]
                .into_iter()
                .filter(|s| *s > 0)
                .collect();
            steps.dedup();
            let fx = fixes.ids().join("+");
            for s in steps {
                let mut at = Run::with_default_seed(sc, fixes.clone());
                for _ in 0..s {
                    at.forward();
                }
                let nodes: Vec<NodeId> = at
                    .world()
                    .nodes()
                    .into_iter()
                    .filter(|n| !n.is_client())
                    .collect();
                for node in nodes {
                    let crash = Event::Fault(Fault::Crash(node));
                    if !at.world().faults().contains(&crash) {
                        continue;
                    }
                    let mut run = at.clone();
                    run.truncate_future();
                    if run.fire(crash).is_err() {
                        continue;
                    }
                    let mut restarted = run.clone();
                    run.run_to_end();
                    show(&format!("{} [{fx}] step={s} crash {node}", sc.id), &run, s);
                    // The learner restarts it after the end: a second ending.
                    let restart = Event::Fault(Fault::Restart(node));
                    if run.world().faults().contains(&restart) {
                        let end = run.cursor();
                        let mut after = run.clone();
                        if after.fire(restart).is_ok() {
                            after.run_to_end();
                            show(
                                &format!(
                                    "{} [{fx}] step={s} crash {node} +restart after the end",
                                    sc.id
                                ),
                                &after,
                                end,
                            );
                        }
                    }
                    restarted.forward();
                    if restarted.world().faults().contains(&restart)
                        && restarted.fire(restart).is_ok()
                    {
                        restarted.run_to_end();
                        show(
                            &format!("{} [{fx}] step={s} crash {node} +restart 1", sc.id),
                            &restarted,
                            s,
                        );
                    }
                }
            }
        }
    }
}
