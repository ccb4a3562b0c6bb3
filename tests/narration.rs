//! Every sentence true: the metrics, the narration and the endings are checked against
//! the state they describe, for every scenario with and without each fix.
mod common;
use cachescope::sim::books::Happened;
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
    w.db().read(key).max(acked)
}

/// The contract's `stale-reads`, recomputed from the states of the run: a read is stale
/// when its answer is older than the newest version at the read's start (anything from
/// there on was the newest at some moment while the read was in flight).
fn stale_reads_by_contract(r: &Run) -> u64 {
    let mut started: Vec<(u32, Key, Version)> = Vec::new();
    let mut stale = 0;
    for (i, rec) in r.records().iter().enumerate() {
        let (before, after) = (r.state(i).unwrap(), r.state(i + 1).unwrap());
        if let Event::Start(node) = rec.event {
            // The request the client has just started: its id and what it asks.
            let c = after.clients.iter().find(|c| c.id == node).unwrap();
            let req = c.requests[c.next - 1];
            if let (Some(id), Op::Read) = (c.busy, req.op) {
                started.push((id.0, req.key, newest(before, req.key)));
            }
        }
        if let Event::Deliver(id) = rec.event {
            let msg = before.net.iter().find(|m| m.id == id).unwrap();
            if let (Payload::ReadOk { value: Some(v), .. }, Some(flow)) = (msg.payload, msg.flow) {
                // A client's answer (an edge passing the origin's on is not a read).
                if after.is_up(msg.to) && msg.to.is_client() {
                    // Older than the newest at the start, or newer than the newest at
                    // the answer: not the newest at any moment between the two.
                    let floor = started.iter().find(|s| s.0 == flow.0).map(|s| s.2);
                    let ahead = v > newest(after, msg.payload.key());
                    if floor.is_some_and(|floor| v < floor || ahead) {
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

// ---------------------------------------------------------------------------------
// Every sentence true: the narration and the ending read against the state.
// ---------------------------------------------------------------------------------

use cachescope::sim::rng::Rng;
use cachescope::sim::world::{StepRecord, TimerKind};
use cachescope::sim::NodeId;

/// Runs of every scenario and fix in other orders than the story's: seeded random
/// interleavings (the scenario's scripted faults included), and some with random faults.
fn other_runs() -> Vec<Run> {
    let mut runs = Vec::new();
    for s in scenarios::ALL.iter().copied() {
        let mut combos: Vec<Vec<&str>> = vec![vec![]];
        combos.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in combos {
            for seed in 0..12u64 {
                let faults = seed % 3 == 2;
                runs.push(random_run(s.id, &fixes, seed, faults));
            }
        }
    }
    runs
}

/// A run of `id` that picks among the enabled events with a seeded generator; with
/// `faults`, now and then a random fault too (at most 3, so the run still ends).
fn random_run(id: &str, fixes: &[&str], seed: u64, faults: bool) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    let mut run = Run::with_default_seed(scenario, fixes);
    let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(17));
    let mut injected = 0;
    // Bounded: a run has at most MAX_STEPS steps.
    for _ in 0..cachescope::sim::run::MAX_STEPS {
        let w = run.world().clone();
        let scripted = scenario.script_fault(&w).filter(|e| w.is_enabled(*e));
        let enabled = w.enabled();
        if enabled.is_empty() {
            break;
        }
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
    run
}

#[path = "narration/claims.rs"]
mod claims;
#[path = "narration/endings.rs"]
mod endings;
use claims::step_errors;
use endings::{cause_errors, ending_errors, ending_text_errors};

fn check_words(runs: &[Run]) {
    let mut wrong = Vec::new();
    for r in runs {
        for (i, rec) in r.records().iter().enumerate() {
            let (before, after_w) = (r.state(i).unwrap(), r.state(i + 1).unwrap());
            for e in step_errors(rec, before, after_w) {
                wrong.push(format!(
                    "{} step {} ({rec}): {e}\n    {}",
                    name(r),
                    i + 1,
                    rec.narration
                ));
            }
        }
        for e in ending_errors(r) {
            wrong.push(format!(
                "{} END: {e}\n    {}",
                name(r),
                r.scenario.epilogue(r.world(), &r.fixes)
            ));
        }
    }
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "{} wrong sentences:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_sentence_of_every_story_is_true_of_its_state() {
    check_words(&every_run());
}

#[test]
fn every_sentence_is_true_in_other_orders_and_with_faults() {
    check_words(&other_runs());
}

/// The ending's claims are read against every cached copy, not only the first cache
/// node's: near-cache-stale ends with service-2's near copy at v1 and the shared cache
/// empty, so a claim about either that the state does not back is caught.
#[test]
fn an_ending_is_read_against_every_cached_copy() {
    let r = run("near-cache-stale", &[]);
    let w = r.world();
    assert!(ending_errors(&r).is_empty(), "{:?}", ending_errors(&r));
    for wrong in [
        "service-2's near cache keeps user:1 = v2 while the database has v2.",
        "Every cached copy of user:1 (service-2's near cache, the cache) and the database hold v2.",
        "Every cached copy matches the primary at the end.",
    ] {
        assert!(!ending_text_errors(w, wrong).is_empty(), "{wrong} passed");
    }
    assert!(ending_text_errors(
        w,
        "service-2's near cache keeps user:1 = v1 while the database has v2."
    )
    .is_empty());
    // Through a CDN edge that keeps v1 after a write that bypassed it.
    let edge = common::cache_aside_write_with(
        "through-a-cdn",
        r#""topology": [{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}],"#,
    );
    let w = edge.world();
    assert!(ending_text_errors(
        w,
        "The CDN edge holds user:1 = v1 while the database has v2."
    )
    .is_empty());
    assert!(!ending_text_errors(w, "The CDN edge holds user:1 = v2.").is_empty());
}

#[test]
fn endings_that_name_a_mechanism_are_backed_by_what_happened() {
    // The outbox's ending says "published" only when every row is; before the relay
    // has run, it says the row is not published yet.
    let s = scenarios::find("outbox").unwrap();
    let mut r = Run::with_default_seed(s, Fixes::none());
    while r.world().db().outbox.is_empty() {
        assert!(r.forward(), "the outbox gets a row");
    }
    let text = s.epilogue(r.world(), &r.fixes);
    assert!(text.contains("not marked published"), "{text}");
    assert!(!text.contains("is marked published"), "{text}");
    // Early expiration: the key expired before the recompute landed, and the ending
    // says so instead of claiming the recompute came first.
    let r = run("stampede", &["early-expiration"]);
    assert!(r.world().books.saw(Happened::RefreshedLate(Key(1))));
    let text = r.scenario.epilogue(r.world(), &r.fixes);
    assert!(
        text.contains("expired before the new value landed"),
        "{text}"
    );
}

#[test]
fn a_read_of_a_value_not_yet_acknowledged_is_stale() {
    // Write-behind: the reader hits v2 in the cache before the writer has been told
    // that v2 succeeded. v2 was not the newest acknowledged version at any moment of the
    // read, so by the contract the read is stale (it could still be lost).
    let s = scenarios::find("write-behind").unwrap();
    let mut r = Run::with_default_seed(s, Fixes::none());
    let reader = NodeId::Reader(1);
    // Bounded by the run's step limit.
    for _ in 0..cachescope::sim::run::MAX_STEPS {
        let w = r.world().clone();
        let answered = w
            .clients
            .iter()
            .any(|c| c.id == reader && c.last_answer.is_some());
        if answered {
            break;
        }
        let queued = w.cache().queued(Key(1)).is_some();
        // Hold back the write's acknowledgement until the reader has its answer.
        let held = |e: &Event| match e {
            Event::Deliver(id) => w.net.iter().any(|m| {
                m.id == *id && matches!(m.payload, Payload::WbAck { .. } | Payload::WriteOk { .. })
            }),
            Event::Start(n) => *n != reader && queued,
            _ => false,
        };
        let enabled = w.enabled();
        let next = if queued {
            enabled
                .iter()
                .copied()
                .find(|e| !held(e) && w.actor(*e) != Some(NodeId::FLUSHER))
        } else {
            enabled
                .iter()
                .copied()
                .find(|e| !matches!(e, Event::Start(n) if *n == reader))
        };
        let Some(next) = next else { break };
        r.fire(next).expect("enabled");
    }
    let w = r.world();
    let got = w
        .clients
        .iter()
        .find(|c| c.id == reader)
        .and_then(|c| c.last_answer);
    assert!(
        matches!(
            got,
            Some(Payload::ReadOk {
                value: Some(Version(2)),
                ..
            })
        ),
        "the reader got the queued v2: {got:?}"
    );
    assert!(
        w.books.acked.get(&Key(1)).is_none(),
        "v2 is not acknowledged yet"
    );
    assert_eq!(metric(&r, Metric::StaleReads), 1);
    let last = r.records().last().unwrap();
    assert!(
        last.narration.contains("was not yet acknowledged"),
        "{}",
        last.narration
    );
    assert_eq!(stale_reads_by_contract(&r), 1);
}

/// The causes an ending off the script names (a read's stale set after the write's
/// invalidation, or in write-behind; no delete after the commit) against the traces of
/// the search's counterexamples, where they are said (the seeded runs above rarely
/// reach them); and the reading itself catches a cause the trace contradicts.
#[test]
fn the_causes_named_in_the_search_s_counterexamples_are_true_of_their_traces() {
    for (id, said) in [
        ("cache-aside-write", "A read loaded v1 before the write"),
        ("event-invalidation", "A read loaded v1 before the write"),
        (
            "write-behind-crash",
            "A read loaded v1 from the database before v3",
        ),
        ("ttl-expiry", "No delete of user:1"),
    ] {
        let run = if id == "write-behind-crash" {
            common::write_behind_race()
        } else {
            counterexample(id, &[], 0, 100_000, "cache-matches-db")
        };
        let text = run.scenario.epilogue(run.world(), &run.fixes);
        assert!(text.contains(said), "{id}: {text}");
        let wrong = ending_errors(&run);
        assert!(wrong.is_empty(), "{id}: {wrong:?}\n{text}");
        if id == "cache-aside-write" {
            // Its trace has the write's delete after the commit.
            let lie = "No delete of user:1 reached a cache after its latest commit.";
            assert_eq!(cause_errors(&run, lie).len(), 1, "{id}");
        }
    }
}
