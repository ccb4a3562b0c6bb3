//! Every sentence true: the metrics, the narration and the endings are checked against
//! the state they describe, for every scenario with and without each fix.
#[allow(unused_imports)]
mod common;
use cachescope::sim::config::Op;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Key, Version, World};
use common::*;

/// Every scenario, with no fix and with each fix alone.
fn every_run() -> Vec<Run> {
    let mut runs = Vec::new();
    for s in scenarios::ALL.iter() {
        let mut combos: Vec<Vec<&str>> = vec![vec![]];
        combos.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in combos {
            runs.push(run(s.id, &fixes));
        }
    }
    runs
}

fn name(r: &Run) -> String {
    format!("{} {:?}", r.scenario.id, r.fixes.ids())
}

/// The newest version of `key` committed, or acknowledged to a writer, in `w`.
fn newest(w: &World, key: Key) -> Version {
    let acked = w.books.acked.get(&key).copied().unwrap_or(Version(0));
    w.db.read(key).max(acked)
}

/// The contract's `stale-reads`, recomputed from the states of the run: a read is stale
/// when its answer is older than the newest version at the read's start (anything from
/// there on was the newest at some moment while the read was in flight).
fn stale_reads_by_contract(r: &Run) -> u64 {
    let mut started: Vec<(u32, Key, Version)> = Vec::new();
    let mut stale = 0;
    for (i, rec) in r.records().iter().enumerate() {
        let (before, after) = (r.state(i).unwrap(), r.state(i + 1).unwrap());
        if let Event::Start(_) = rec.event {
            for f in &after.flows {
                let new = !before.flows.iter().any(|o| o.id == f.id);
                if new && f.op == Op::Read {
                    started.push((f.id.0, f.key, newest(before, f.key)));
                }
            }
        }
        if let Event::Deliver(id) = rec.event {
            let msg = before.net.iter().find(|m| m.id == id).unwrap();
            if let (Payload::ReadOk { value: Some(v), .. }, Some(flow)) = (msg.payload, msg.flow) {
                if after.is_up(msg.to) {
                    let floor = started.iter().find(|s| s.0 == flow.0).map(|s| s.2);
                    if floor.is_some_and(|floor| v < floor) {
                        stale += 1;
                    }
                }
            }
        }
    }
    stale
}

#[test]
fn stale_reads_follow_the_contract_in_every_run() {
    for r in every_run() {
        assert_eq!(
            metric(&r, Metric::StaleReads),
            stale_reads_by_contract(&r),
            "{}",
            name(&r)
        );
    }
}

#[test]
fn a_read_overlapping_the_write_is_not_stale_with_the_fixes() {
    for fix in ["lease", "versioned-set"] {
        let r = run("stale-set-race", &[fix]);
        assert_eq!(metric(&r, Metric::StaleReads), 0, "{fix}");
        assert!(holds(&r, Invariant::CacheMatchesDb), "{fix}");
    }
}

#[test]
fn a_read_after_a_lost_write_behind_is_stale() {
    let r = run("write-behind-crash", &[]);
    assert_eq!(metric(&r, Metric::StaleReads), 1);
    let r = run("write-behind-crash", &["durable-queue"]);
    assert_eq!(metric(&r, Metric::StaleReads), 0);
}
