//! docs/scenarios.md's production incidents (a replica-lag and a transaction incident,
//! "Writing down a replica-lag or a transaction incident") read as scenario files and
//! tell what the text says: the incident without a fix, none with each fix, none when
//! the "what if" is changed, and `abort` offered while the transaction is open.
mod common;
use cachescope::sim::scenario::file;
use cachescope::sim::{Event, Fault, Fixes, Invariant, NodeId, Run};
use common::doc_example as example;

/// Whether the cache ends consistent, the trace and the ending.
fn ends(text: &str, fix: Option<&str>) -> (bool, String, String) {
    let s = file::from_json(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_scenario();
    let mut run = Run::new(s, Fixes::parse(s, fix).unwrap(), s.seed);
    run.run_to_end();
    let holds = Invariant::CacheMatchesDb.check(run.world()).is_ok();
    (holds, run.trace(), s.epilogue(run.world(), &run.fixes))
}

#[test]
fn the_replica_lag_incident_in_the_docs_happens_and_its_fixes_end_it() {
    let text = example("profile-rename-replica-lag");
    let (holds, trace, said) = ends(&text, None);
    assert!(!holds, "{trace}");
    assert!(
        trace.contains("service->replica: select user:1 => row v1"),
        "{trace}"
    );
    assert!(
        said.starts_with("The cache holds v1 while the primary has v2 (the replica has v2 now)"),
        "{said}"
    );
    for fix in ["fill-from-primary", "versioned-set"] {
        let (holds, trace, _) = ends(&text, Some(fix));
        assert!(holds, "{fix}\n{trace}");
    }
    let (holds, trace, _) = ends(
        &text.replace(
            "\"lag_ms\": 200, \"miss_reads\": \"replica\"",
            "\"lag_ms\": 5, \"miss_reads\": \"replica\"",
        ),
        None,
    );
    assert!(holds, "a 5 ms lag: no incident\n{trace}");
}

#[test]
fn the_transaction_incident_in_the_docs_happens_and_its_fix_ends_it() {
    let text = example("order-status-rolled-back");
    let (holds, trace, said) = ends(&text, None);
    assert!(!holds, "{trace}");
    assert!(
        said.starts_with("The cache holds v2, which never committed: the database has v1"),
        "{said}"
    );
    let (holds, trace, _) = ends(&text, Some("transaction-aware-cache"));
    assert!(holds, "{trace}");
    // Without the script, abort is offered while the transaction is open, not after.
    let no_script = text.replace(
        "\"script\": [\n    { \"when\": [{ \"in-flight\": { \"kind\": \"commit\", \"to\": \"db\" } }],\n      \"then\": { \"abort\": \"writer\" } }\n  ],\n",
        "",
    );
    assert_ne!(no_script, text);
    let s = file::from_json(&no_script).unwrap().into_scenario();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    let abort = Event::Fault(Fault::Abort(NodeId::Writer(1)));
    let mut offered = Vec::new();
    // Bounded: the run ends in a few dozen steps.
    for _ in 0..200 {
        offered.push(run.world().faults().contains(&abort));
        if !run.forward() {
            break;
        }
    }
    let first = offered.iter().position(|o| *o).expect("offered while open");
    let last = offered.iter().rposition(|o| *o).unwrap();
    assert!(
        first > 0 && offered[first..=last].iter().all(|o| *o),
        "{offered:?}"
    );
    assert!(!offered.last().unwrap(), "not after COMMIT");
}
