//! What the scenario tests share: running a scenario, reading its outcome, and its
//! story as a learner reads it.
#![allow(dead_code, unused_imports)] // each test binary uses a part of it
pub use cachescope::sim::scenarios;
pub use cachescope::sim::{Fixes, Invariant, Metric, Run};
pub use expect_test::{expect_file, ExpectFile};

/// The run a page link opens (`scenario=…&run=…&step=…`, no leading `?`); panics
/// with the link's errors if it has any.
pub fn at(query: &str) -> Run {
    let loaded = cachescope::sim::link::load(query);
    assert!(loaded.errors.is_empty(), "{query}: {:?}", loaded.errors);
    loaded.run
}

/// rollback-after-cache-write with the service crashed at step 5 while its transaction
/// is open, and one step on: the close of its connection to the database is on its way
/// (review session 16, F2 and F6). Until session 19 the tests dropped that close to
/// orphan the transaction; a crashed process's close cannot be lost any more (its
/// kernel sends the FIN and TCP retransmits it), so the database rolls it back.
pub fn crashed_in_transaction() -> Run {
    use cachescope::sim::{Event, Fault, NodeId};
    let mut run = at("scenario=rollback-after-cache-write&step=4");
    run.truncate_future();
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .unwrap();
    run.forward();
    run
}

pub fn run(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    let mut run = Run::with_default_seed(scenario, fixes);
    run.run_to_end();
    run
}

pub fn metric(run: &Run, m: Metric) -> u64 {
    m.value(&run.world().metrics)
}

pub fn holds(run: &Run, inv: Invariant) -> bool {
    inv.check(run.world()).is_ok()
}

pub fn cached(run: &Run, key: u16) -> Option<String> {
    let w = run.world();
    w.cache()
        .live(cachescope::sim::Key(key), w.now_ms)
        .map(|e| e.version.to_string())
}

/// The trace with the narration, the way a learner reads it.
pub fn story(run: &Run) -> String {
    let mut out = String::new();
    for r in run.records() {
        out.push_str(&format!("{r}\n    {}\n", r.narration));
    }
    out.push_str(&format!(
        "END {}\n",
        run.scenario.epilogue(run.world(), &run.fixes)
    ));
    out
}

pub fn check(run: &Run, snapshot: ExpectFile) {
    snapshot.assert_eq(&story(run));
}

/// cache-aside-write as a scenario file of id `id` with `members` (JSON members, each
/// ending in a comma: a `topology`, `near`, `cdn` …) added at the start of its
/// settings, loaded and run to its end with no fix.
pub fn cache_aside_write_with(id: &str, members: &str) -> Run {
    use cachescope::sim::scenario::file;
    let s = scenarios::find("cache-aside-write").unwrap();
    let text = file::to_json(s).replace(
        "\"id\": \"cache-aside-write\"",
        &format!("\"id\": \"{id}\""),
    );
    let at = text.find("\"settings\": {").expect("the file has settings") + "\"settings\": {".len();
    let text = format!("{}\n    {members}{}", &text[..at], &text[at..]);
    let s = file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .into_scenario();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    run
}

/// The ```json block of docs/scenarios.md that holds `"id": "<id>"`: a worked scenario
/// file the docs teach with, for the tests that check what the text says it does.
pub fn doc_example(id: &str) -> String {
    let doc = include_str!("../../docs/scenarios.md");
    let at = doc
        .find(&format!("\"id\": \"{id}\""))
        .unwrap_or_else(|| panic!("{id} in the docs"));
    let start = doc[..at].rfind("```json\n").expect("its block") + "```json\n".len();
    doc[start..start + doc[start..].find("```").unwrap()].to_string()
}

/// A run of the catalog scenario `id` with `fixes`, at its start (the scenario's own
/// seed), for a test that drives it.
pub fn start(id: &str, fixes: &[&str]) -> Run {
    let s = scenarios::find(id).expect("scenario exists");
    Run::new(
        s,
        Fixes::parse(s, fixes.iter().copied()).expect("fixes exist"),
        s.seed,
    )
}

/// Steps `run` until a message that `pick` chooses is in flight (`step_until_sent`),
/// then fires the fault `fault` makes of it (`Fault::Drop`, `Fault::Duplicate`,
/// `Fault::Delay`), and names the message. Panics if the run ends first or the fault
/// is refused.
pub fn fault_when_sent(
    run: &mut Run,
    pick: impl Fn(&cachescope::sim::msg::Payload) -> bool,
    fault: fn(cachescope::sim::ids::MsgId) -> cachescope::sim::Fault,
) -> cachescope::sim::ids::MsgId {
    let m = step_until_sent(run, pick);
    run.fire(cachescope::sim::Event::Fault(fault(m)))
        .unwrap_or_else(|e| panic!("the fault on {m} is refused: {e:?}"));
    m
}

/// The narration of the first step whose trace line contains `line`. Panics if none.
pub fn said_at<'a>(run: &'a Run, line: &str) -> &'a str {
    run.records()
        .iter()
        .find(|r| r.to_string().contains(line))
        .unwrap_or_else(|| panic!("no step reads {line:?}"))
        .narration
        .as_str()
}

/// Steps `run` forward until a message whose payload `pick` chooses is in flight, and
/// names it (for a fault aimed at that message). Panics if the run ends first.
pub fn step_until_sent(
    run: &mut Run,
    pick: impl Fn(&cachescope::sim::msg::Payload) -> bool,
) -> cachescope::sim::ids::MsgId {
    loop {
        if let Some(m) = run.world().net.iter().find(|m| pick(&m.payload)) {
            return m.id;
        }
        assert!(
            run.forward(),
            "the run ended before such a message was sent"
        );
    }
}

/// Fires the first enabled event whose trace line contains `line` (`"writer: start"`,
/// `"service->cache: set"`), to drive a run through a chosen order. Panics if none does.
pub fn fire_where(run: &mut Run, line: &str) {
    for e in run.world().enabled() {
        let mut next = run.clone();
        next.truncate_future();
        if next.fire(e).is_ok() && next.records().last().unwrap().to_string().contains(line) {
            *run = next;
            return;
        }
    }
    panic!("no enabled event reads {line:?}");
}

/// `r` (stale-set-race's setup) played to its race's late set, by the lines its steps
/// read: both clients start, the reader misses and selects, the writer's update goes
/// out, the row v1 comes back and the set of v1 is sent. Its recorded future is cut.
pub fn to_the_late_set(r: &Run) -> Run {
    let mut played = r.clone();
    played.truncate_future();
    for line in [
        "reader: start",
        "writer: start",
        "reader->service: read",
        "writer->service: write",
        "service->cache: get",
        "cache->service: miss",
        "service->db: select",
        "service->db: update",
        "db->service: row v1",
        "service->cache: set user:1=v1",
    ] {
        fire_where(&mut played, line);
    }
    played
}

/// The page's search of `run`'s setup with up to `faults` placed, as the explorer asks
/// the worker (at most `max_states` states), read back from the worker's result message.
pub fn search(run: &Run, faults: u8, max_states: usize) -> cachescope::sim::search::msg::Found {
    use cachescope::sim::search::job::Job;
    use cachescope::sim::search::msg::Request;
    let request = Request {
        link: cachescope::sim::link::setup_query(run),
        faults,
        max_states,
        slice: false,
    };
    let mut job = Job::new(&request).expect("the page's own setup");
    // Bounded by `max_states`: slices of 10,000 breadth first, then a quarter as many
    // states depth first (`job.rs`, `DEEP_SHARE`), each with a few transitions.
    job.found_at_end(10_000, 10 * (max_states / 10_000 + 1), 0)
        .expect("the search ends with a result")
}

/// The page's search of `id` with `fixes` and `faults` extra faults (as the explorer
/// asks the worker, at most `max_states` states), and its shortest counterexample for
/// `invariant` replayed as a run, the way "Play it as a branch" plays it.
pub fn counterexample(
    id: &str,
    fixes: &[&str],
    faults: u8,
    max_states: usize,
    invariant: &str,
) -> Run {
    let run = start(id, fixes);
    let found = search(&run, faults, max_states);
    let c = found
        .violations
        .iter()
        .find(|c| c.invariant == invariant)
        .unwrap_or_else(|| panic!("{id}: no counterexample for {invariant}"));
    let events = cachescope::sim::codec::decode(&run, &c.code).expect("its run code reads");
    run.replayed(&events).expect("it replays")
}

/// write-behind-crash's stale-set race with no crash (W10: a read loads v1 from the
/// database before the flusher writes v3, and its set lands after the write put v3 in
/// the cache), as a run with no fix. Since session 19 (F6) the page's search of the
/// scenario with no fix meets a shorter run with a crash first (21 steps, the complete
/// search's 383,774 states, past the tests' bounds); the durable queue's page search
/// stopped at 40,000 states finds this 22-step run depth first, with no crash, and a
/// run with no crash plays the same with no fix (the durable queue changes only what a
/// crash keeps, and when the ack goes).
pub fn write_behind_race() -> Run {
    let durable = start("write-behind-crash", &["durable-queue"]);
    let found = search(&durable, 0, 40_000);
    let c = found
        .violations
        .iter()
        .find(|c| c.invariant == "cache-matches-db")
        .expect("the durable queue's search finds the race depth first");
    let events = cachescope::sim::codec::decode(&durable, &c.code).expect("its run code reads");
    let run = start("write-behind-crash", &[])
        .replayed(&events)
        .expect("it replays with no fix");
    assert_eq!(
        run.world().books.crashes_of(cachescope::sim::NodeId::CACHE),
        0
    );
    run
}

/// Delivers the first message in flight whose payload `pick` chooses, and names it.
/// Panics with `what` if none is in flight, or if the delivery is refused.
pub fn deliver_first(
    run: &mut Run,
    pick: impl Fn(&cachescope::sim::msg::Payload) -> bool,
    what: &str,
) -> cachescope::sim::ids::MsgId {
    let m = run
        .world()
        .net
        .iter()
        .find(|m| pick(&m.payload))
        .map(|m| m.id)
        .unwrap_or_else(|| panic!("{what}"));
    run.fire(cachescope::sim::Event::Deliver(m))
        .unwrap_or_else(|e| panic!("delivering {m} is refused: {e:?}"));
    m
}

/// negative-cache (with `fixes`): the writer's INSERT is duplicated by the network,
/// both copies reach the database (the first commits, the second is refused with a
/// duplicate-key error), and the refusal reaches the service before the commit's
/// answer. The run stands just after that delivery.
pub fn insert_refused_first(fixes: &[&str]) -> Run {
    use cachescope::sim::msg::Payload;
    let mut run = start("negative-cache", fixes);
    let ins = step_until_sent(&mut run, |p| matches!(p, Payload::DbInsert { .. }));
    run.fire(cachescope::sim::Event::Fault(
        cachescope::sim::Fault::Duplicate(ins),
    ))
    .unwrap();
    for _ in 0..2 {
        deliver_first(
            &mut run,
            |p| matches!(p, Payload::DbInsert { .. }),
            "an INSERT in flight",
        );
    }
    deliver_first(
        &mut run,
        |p| matches!(p, Payload::TxRolledBack { .. }),
        "the duplicate-key error in flight",
    );
    run
}

/// The id of the close (`Payload::Closed`) on its way from `from` to `to`; panics if
/// none is in flight.
pub fn close_on_its_way(
    run: &Run,
    from: cachescope::sim::NodeId,
    to: cachescope::sim::NodeId,
) -> cachescope::sim::ids::MsgId {
    run.world()
        .net
        .iter()
        .find(|m| {
            m.from == from && m.to == to && m.payload == cachescope::sim::msg::Payload::Closed
        })
        .map(|m| m.id)
        .unwrap_or_else(|| panic!("no close on its way from {from} to {to}"))
}
