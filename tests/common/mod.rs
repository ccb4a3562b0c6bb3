//! What the scenario tests share: running a scenario, reading its outcome, and its
//! story as a learner reads it.
#![allow(dead_code, unused_imports)] // each test binary uses a part of it
pub use cachescope::sim::scenarios;
pub use cachescope::sim::{Fixes, Invariant, Metric, Run};
pub use expect_test::{expect_file, ExpectFile};

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
