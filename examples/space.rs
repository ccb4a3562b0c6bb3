//! Where a search's states come from: a plain breadth-first search over `WorldModel`
//! (time shift on unless `SEARCH_TIME_SHIFT=0`) that counts, per depth, the new states
//! and, per kind of event, the transitions that found a new state.
//!
//! With `SLICE=1`, the slice for `no-lost-event` (`search::Slice`) instead.
//!
//!     cargo run --release --example space -- SCENARIO [FIX] [MAX_STATES]
use cachescope::sim::search::{Deep, FaultBudget, Model, Searched, Slice, WorldModel};
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fixes, Run};
use std::collections::{BTreeMap, HashSet};

fn label(s: &Searched, e: Event) -> String {
    let w = &s.world;
    match e {
        Event::Start(c) => format!("start {c}"),
        Event::Deliver(id) => w
            .net
            .iter()
            .find(|m| m.id == id)
            .map_or("deliver ?".into(), |m| {
                format!("deliver {}->{} {}", m.from, m.to, m.payload.kind())
            }),
        Event::Fire(id) => w
            .timers
            .iter()
            .find(|t| t.id == id)
            .map_or("fire ?".into(), |t| {
                let k = format!("{:?}", t.kind);
                format!(
                    "fire {} {}",
                    t.owner,
                    k.split([' ', '{']).next().unwrap_or("")
                )
            }),
        Event::Fault(f) => format!("{f}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let id = args.first().map_or("dual-write-crash", String::as_str);
    let fix = args.get(1).map_or("outbox", String::as_str);
    let max: usize = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let scenario = scenarios::find(id).expect("scenario");
    let fixes = if fix == "-" {
        Fixes::none()
    } else {
        Fixes::parse(scenario, [fix]).expect("fix")
    };
    let run = Run::new(scenario, fixes, scenario.seed);
    let mut model = WorldModel::new(&run, FaultBudget::any(0));
    if std::env::var("SEARCH_TIME_SHIFT").map_or(true, |v| v != "0") {
        model = model.with_time_shift();
    }
    if let Some(n) = std::env::var("DEEP")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut deep = Deep::new(&model, n, 500, true, &[]);
        while !deep.is_done() {
            deep.step(&model, 100_000);
        }
        println!(
            "deep: {} states, ends {}, cut {}",
            deep.states(),
            deep.ends(),
            deep.cut
        );
        for (i, f) in deep.found.iter().enumerate() {
            let Some(path) = f else { continue };
            println!("property {i} broken in {} steps:", path.len());
            let mut s = model.init();
            for a in path {
                println!("  {} (now {})", label(&s, *a), s.world.now_ms);
                s = model.next(&s, *a).expect("replay");
            }
        }
        return;
    }
    if std::env::var("SLICE").is_ok_and(|v| v == "1") {
        let mut slice = Slice::new(&run, FaultBudget::any(0)).expect("no-lost-event");
        if std::env::var("SEARCH_TIME_SHIFT").map_or(true, |v| v != "0") {
            slice = slice.with_time_shift();
        }
        return explore(&slice, max);
    }
    explore(&model, max);
}

/// The breadth-first count over `model`, at most `max` states.
fn explore<M: Model<State = Searched, Action = Event>>(model: &M, max: usize) {
    let skip: Vec<String> = std::env::var("SKIP")
        .map(|v| v.split(',').map(String::from).collect())
        .unwrap_or_default();
    let mut seen: HashSet<u64> = HashSet::new();
    let init = model.init();
    seen.insert(model.fingerprint(&init));
    let mut frontier = vec![init];
    // Per level, each state's parent (index in the level before) and action.
    let mut links: Vec<Vec<(usize, Event)>> = vec![vec![(
        0,
        Event::Start(cachescope::sim::ids::NodeId::SERVICE),
    )]];
    let mut found = vec![false; model.properties().len()];
    let mut depth = 0;
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut actions = Vec::new();
    let mut ends = 0;
    while !frontier.is_empty() && seen.len() < max {
        let mut next = Vec::new();
        let mut next_links = Vec::new();
        let mut level_kind: BTreeMap<String, usize> = BTreeMap::new();
        let mut nows: BTreeMap<u64, usize> = BTreeMap::new();
        for (si, s) in frontier.iter().enumerate() {
            *nows.entry(s.world.now_ms).or_default() += 1;
            if model.actions(s, &mut actions) {
                ends += 1;
                for (i, done) in found.iter_mut().enumerate() {
                    if !*done && model.violates(s, i) {
                        *done = true;
                        let mut path = Vec::new();
                        let mut at = si;
                        for d in (1..=depth).rev() {
                            let (p, a) = links[d][at];
                            path.push(a);
                            at = p;
                        }
                        path.reverse();
                        println!("{} broken at depth {depth}:", model.properties()[i].name);
                        let mut st = model.init();
                        for a in path {
                            println!("  {} [{}] (now {})", label(&st, a), a, st.world.now_ms);
                            st = model.next(&st, a).expect("replay");
                        }
                    }
                }
            }
            for &a in &actions {
                let l = label(s, a);
                if skip.iter().any(|k| l.contains(k.as_str())) {
                    continue;
                }
                let Some(n) = model.next(s, a) else { continue };
                let e = by_kind.entry(l.clone()).or_default();
                e.0 += 1;
                if seen.insert(model.fingerprint(&n)) {
                    e.1 += 1;
                    *level_kind.entry(l).or_default() += 1;
                    next.push(n);
                    next_links.push((si, a));
                }
            }
        }
        println!(
            "depth {depth}: {} states (total {}), now {}..{} ({} values); new by: {:?}",
            frontier.len(),
            seen.len(),
            nows.keys().next().unwrap_or(&0),
            nows.keys().last().unwrap_or(&0),
            nows.len(),
            level_kind
        );
        frontier = next;
        links.push(next_links);
        depth += 1;
    }
    println!("ends {ends}, complete {}", frontier.is_empty());
    let mut v: Vec<_> = by_kind.into_iter().collect();
    v.sort_by_key(|(_, (_, n))| std::cmp::Reverse(*n));
    for (k, (t, n)) in v {
        println!("{k}: {t} transitions, {n} new");
    }
}
