//! R15 (review session 12): an INSERT of a row that exists is refused with a
//! duplicate-key error, as a real database refuses it (a primary key is unique): its
//! transaction commits nothing and the writer is told its write failed. Reached by a
//! scenario file that inserts a row it lists in `settings.keys`, by two writers that
//! insert one key (a sandbox with negative caching makes each writer's first request an
//! insert), and by a duplicated INSERT (`tests/wording_truths.rs`).
use cachescope::sim::scenario::file;
use cachescope::sim::search::{FaultBudget, Model, WorldModel};
use cachescope::sim::{Fixes, Invariant, Key, Run, Version, World};
use std::collections::HashSet;

/// What each writer was last told (`write-ok`, `write-failed`), sorted.
fn writers_told(w: &World) -> Vec<&'static str> {
    let mut told: Vec<&str> = w
        .clients
        .iter()
        .filter(|c| c.id.to_string().starts_with("writer"))
        .filter_map(|c| c.last_answer.map(|p| p.kind()))
        .collect();
    told.sort_unstable();
    told
}

fn file_run(json: &str) -> Run {
    let f = file::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    Run::with_default_seed(f.into_scenario(), Fixes::none())
}

/// `clients` and `keys` in a scenario file with negative caching on.
fn scenario(keys: &str, clients: &str) -> String {
    format!(
        r#"{{
  "format": "cachescope-scenario",
  "version": 1,
  "id": "insert-twice",
  "title": "Two inserts of one row",
  "summary": "The second insert of a row is refused: the row exists.",
  "seed": 1,
  "invariants": ["cache-matches-db"],
  "metrics": ["db-writes", "writes-acked"],
  "settings": {{
    "keys": [{keys}],
    "clients": {{ {clients} }},
    "negative": {{"ttl_ms": 300000, "invalidate_on_insert": false}}
  }}
}}"#
    )
}

#[test]
fn an_insert_of_a_listed_row_is_refused_and_commits_nothing() {
    let json = scenario("1", r#""writer": [{"op": "insert", "key": 1, "at_ms": 0}]"#);
    let mut run = file_run(&json);
    let before = run.world().db().read(Key(1));
    assert!(before > Version(0), "settings.keys makes the row");
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.db().read(Key(1)), before, "nothing committed");
    assert_eq!(w.metrics.db_writes, 0);
    let told = w.clients[0].last_answer.map(|p| p.kind());
    assert_eq!(told, Some("write-failed"), "the writer is told");
    let said: Vec<&str> = run.records().iter().map(|r| r.narration.as_str()).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("refuses the INSERT of user:1: the row already exists")),
        "{said:#?}"
    );
    assert!(Invariant::CacheMatchesDb.check(w).is_ok());
}

const TWO_WRITERS: &str = r#""writer": [{"op": "insert", "key": 2, "at_ms": 0}],
    "writer-2": [{"op": "insert", "key": 2, "at_ms": 5}],
    "reader": [{"op": "read", "key": 2, "at_ms": 20}]"#;

#[test]
fn of_two_writers_inserting_one_row_the_second_is_refused() {
    let mut run = file_run(&scenario("", TWO_WRITERS));
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.db().read(Key(2)), Version(1), "one INSERT committed");
    assert_eq!(w.metrics.db_writes, 1);
    assert_eq!(writers_told(w), ["write-failed", "write-ok"]);
}

/// Every interleaving of the two inserts and the read (the search's model, every
/// distinct state once): whichever INSERT reaches the database first commits v1 and
/// the other is refused, so every run ends with `user:2` at v1, committed once, one
/// writer told its write succeeded and the other that it failed. Counts pinned. The
/// search's fingerprint leaves out the clients' last answers, which no step or
/// invariant reads; this walk reads them at each end, so it tells states apart by them
/// too (`told`).
#[test]
fn every_interleaving_of_two_inserts_commits_the_row_once() {
    let run = file_run(&scenario("", TWO_WRITERS));
    let model = WorldModel::new(&run, FaultBudget::NONE).with_time_shift();
    let told = |s: &cachescope::sim::search::Searched| {
        let answers: Vec<_> = s.world.clients.iter().map(|c| c.last_answer).collect();
        (model.fingerprint(s), format!("{answers:?}"))
    };
    let mut seen = HashSet::new();
    let init = model.init();
    seen.insert(told(&init));
    let mut frontier = vec![init];
    let (mut ends, mut depth) = (0, 0);
    let mut actions = Vec::new();
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for state in &frontier {
            if model.actions(state, &mut actions) {
                ends += 1;
                let w = &state.world;
                assert_eq!(w.db().read(Key(2)), Version(1));
                assert_eq!(w.metrics.db_writes, 1);
                assert_eq!(writers_told(w), ["write-failed", "write-ok"]);
            }
            for a in &actions {
                let n = model.next(state, *a).expect("enabled");
                if seen.insert(told(&n)) {
                    next.push(n);
                }
            }
        }
        frontier = next;
        depth += 1;
    }
    // 20 levels: the longest run has 19 steps, as `Search` reports it.
    assert_eq!((seen.len(), ends, depth), (4_792, 4, 20));
}
