//! A run as data: the run code (`run=`) and the JSON file round-trip for generated
//! runs in every scenario, replays give identical traces, and no input makes a decoder
//! panic.
use cachescope::sim::codec::{self, ErrorKind, RunSpec};
use cachescope::sim::link;
use cachescope::sim::rng::Rng;
use cachescope::sim::run::MAX_STEPS;
use cachescope::sim::sandbox::{Pattern, SandboxSpec};
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fixes, Run, Scenario};

mod gen;
use gen::random_run;

fn all_fix_sets(s: &'static Scenario) -> Vec<Fixes> {
    let mut out = vec![Fixes::none()];
    for f in s.fixes {
        out.push(Fixes::parse(s, [f.id]).unwrap());
    }
    out
}

#[test]
fn codes_and_files_round_trip_for_generated_runs() {
    let mut n = 0;
    for (si, s) in scenarios::ALL.iter().enumerate() {
        for fixes in all_fix_sets(s) {
            for k in 0..4u64 {
                let seed = (si as u64) * 1_000 + k;
                let mut run = random_run(s, fixes.clone(), seed, 60);
                let choices = run.choices();
                // the code
                let code = codec::encode_run(&run);
                let back =
                    codec::decode(&run, &code).unwrap_or_else(|e| panic!("{}: {code}: {e}", s.id));
                assert_eq!(back, choices, "{} {:?}: {code}", s.id, fixes);
                assert_eq!(codec::encode_recorded(&run, run.recorded()), code);
                // the file
                let cursor = (seed as usize * 7) % (choices.len() + 1);
                run.seek(cursor);
                let spec = RunSpec::of(&run);
                let json = codec::to_json(&spec);
                let read =
                    codec::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}\n{json}", s.id));
                assert_eq!(read, spec);
                // and the run it describes
                let again = read.to_run().unwrap();
                assert_eq!(again.world(), run.world());
                assert_eq!(again.trace(), run.trace());
                assert_eq!(again.choices(), run.choices());
                // the link
                let l = link::load(&link::query(&run));
                assert!(l.errors.is_empty(), "{}: {:?}", s.id, l.errors);
                assert_eq!(
                    l.run.world(),
                    run.world(),
                    "{}: {}",
                    s.id,
                    link::query(&run)
                );
                assert_eq!(l.run.trace(), run.trace());
                n += 1;
            }
        }
    }
    assert!(n > 100);
}

#[test]
fn a_link_to_a_30_step_run_stays_under_300_characters() {
    // Hand-made-like runs: random interleavings with faults in stale-set-race, and every
    // catalog scenario's random runs cut at 30 steps, with all its fixes on.
    let mut longest = String::new();
    for s in scenarios::ALL.iter() {
        let all = Fixes::parse(s, s.fixes.iter().map(|f| f.id)).unwrap();
        let tries = if s.id == "stale-set-race" { 200 } else { 10 };
        for seed in 0..tries {
            let run = random_run(s, all.clone(), seed, 30);
            let q = link::query(&run);
            if q.len() > longest.len() {
                longest = q.clone();
            }
            assert!(q.len() < 300, "{} chars: {q}", q.len());
        }
    }
    // and it reproduces the run exactly
    let l = link::load(&longest);
    assert!(l.errors.is_empty(), "{longest}: {:?}", l.errors);
    assert!(longest.contains("run=1."), "{longest}");
}

#[test]
fn a_run_that_follows_the_script_needs_no_code() {
    let s = scenarios::find("write-behind-crash").unwrap();
    let mut run = Run::with_default_seed(s, Fixes::none());
    run.run_to_end();
    let q = link::query(&run);
    assert!(!q.contains("run="), "{q}");
    // one step off the script, then the rules: the code is that one choice long
    let mut off = Run::with_default_seed(s, Fixes::none());
    let second = off.world().enabled()[1];
    off.fire(second).unwrap();
    off.run_to_end();
    let q = link::query(&off);
    assert!(q.contains("&run=1."), "{q}");
    let code = q.split("run=").nth(1).unwrap().split('&').next().unwrap();
    assert_eq!(code.len(), 3, "{code}");
    let l = link::load(&q);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.world(), off.world());
    assert_eq!(l.run.trace(), off.trace());
}

#[test]
fn step_counts_along_the_run_and_defaults_to_zero() {
    let s = scenarios::find("stale-set-race").unwrap();
    let run = random_run(s, Fixes::none(), 7, 12);
    let code = codec::encode_run(&run);
    let l = link::load(&format!("scenario=stale-set-race&run={code}"));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.cursor(), 0);
    assert_eq!(l.run.choices(), run.choices());
    let l = link::load(&format!("scenario=stale-set-race&run={code}&step=5"));
    let mut by_hand = Run::with_default_seed(s, Fixes::none());
    for e in &run.choices()[..5] {
        by_hand.fire(*e).unwrap();
    }
    assert_eq!(l.run.world(), by_hand.world());
}

#[test]
fn bad_codes_say_what_and_where() {
    let s = scenarios::find("cache-aside-read").unwrap();
    let run = Run::with_default_seed(s, Fixes::none());
    let cases: &[(&str, ErrorKind, &str)] = &[
        ("", ErrorKind::Version, "starts with \"1.\""),
        ("2.AAA", ErrorKind::Version, "version \"2\""),
        ("1.AA*A", ErrorKind::Syntax, "character 5"),
        ("1.Ag", ErrorKind::Syntax, "cut short"),
        (
            "1.Z",
            ErrorKind::NotEnabled,
            "choice 1 is not enabled at step 1",
        ),
        (
            "1.AAAAZ",
            ErrorKind::NotEnabled,
            "choice 5 is not enabled at step 5",
        ),
        ("1.gggggA", ErrorKind::Syntax, "too long"),
    ];
    for (code, kind, words) in cases {
        let e = codec::decode(&run, code).unwrap_err();
        assert_eq!(e.kind, *kind, "{code}: {e}");
        assert!(e.to_string().contains(words), "{code}: {e}");
    }
    let long = format!("1.{}", "A".repeat(MAX_STEPS + 1));
    let e = codec::decode(&run, &long).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooManyChoices, "{e}");
    let huge = format!("1.{}", "A".repeat(10_000));
    assert_eq!(
        codec::decode(&run, &huge).unwrap_err().kind,
        ErrorKind::TooLong
    );
    // in a link: named under `run`, and the scenario's own order is loaded
    let l = link::load("scenario=cache-aside-read&run=1.Z&step=3");
    assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
    assert_eq!(l.errors[0].param, "run");
    assert!(l.errors[0]
        .to_string()
        .contains("run=1.Z: choice 1 is not enabled at step 1"));
    let mut own = Run::with_default_seed(s, Fixes::none());
    own.seek(3);
    assert_eq!(l.run.world(), own.world());
}

#[test]
fn bad_files_say_what_and_where() {
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = random_run(s, Fixes::parse(s, ["lease"]).unwrap(), 3, 10);
    run.seek(4);
    let good = codec::to_json(&RunSpec::of(&run));
    let cases: Vec<(String, ErrorKind, &str)> = vec![
        (
            good.replace("\"version\": 1", "\"version\": 2"),
            ErrorKind::Version,
            "version 2 is not known",
        ),
        (
            good.replace("cachescope-run", "something-else"),
            ErrorKind::Version,
            "field `format`",
        ),
        (
            good.replace("\"format\": \"cachescope-run\",", ""),
            ErrorKind::Version,
            "missing",
        ),
        (
            good[..good.len() / 2].to_string(),
            ErrorKind::Syntax,
            "line ",
        ),
        (
            "[1, 2]".to_string(),
            ErrorKind::Syntax,
            "expected a JSON object",
        ),
        (
            good.replace("stale-set-race", "nope"),
            ErrorKind::Field,
            "field `scenario`",
        ),
        (
            good.replace("\"lease\"", "\"mutex\""),
            ErrorKind::Field,
            "field `fixes`",
        ),
        (
            good.replace("\"seed\": 1", "\"seed\": -4"),
            ErrorKind::Field,
            "field `seed`",
        ),
        (
            good.replace("\"seed\": 1", "\"seed\": [1]"),
            ErrorKind::Field,
            "expected a whole number",
        ),
        (
            good.replace("\"start reader\"", "\"start nobody\""),
            ErrorKind::NotEnabled,
            "is not enabled at step",
        ),
        (
            good.replace("\"choices\": [", "\"choices\": [\"deliver m99\","),
            ErrorKind::NotEnabled,
            "field `choices[0]`: choice 1 (\"deliver m99\") is not enabled at step 1",
        ),
        (
            // A note's field of the wrong type is quoted, as the text has it (review
            // session 10, F11: "found string , expected").
            good.replace(
                "\"choices\": [",
                "\"notes\": [{\"step\": \"x\", \"text\": \"y\"}],\n  \"choices\": [",
            ),
            ErrorKind::Field,
            "field `notes[0]`: found string \"x\", expected a whole number",
        ),
        (
            good.replace("\"choices\": [", "\"choices\": [7,"),
            ErrorKind::Field,
            "field `choices[0]`",
        ),
    ];
    for (text, kind, words) in cases {
        let e = codec::from_json(&text).unwrap_err();
        assert_eq!(e.kind, kind, "{e}\n{text}");
        assert!(e.to_string().contains(words), "{e}");
    }
    let many: Vec<String> = (0..=MAX_STEPS)
        .map(|_| "\"start reader\"".to_string())
        .collect();
    let text = good.replace(
        "\"choices\": [",
        &format!("\"choices\": [{},", many.join(",")),
    );
    assert_eq!(
        codec::from_json(&text).unwrap_err().kind,
        ErrorKind::TooManyChoices
    );
    let big = " ".repeat(codec::MAX_JSON_LEN + 1);
    assert_eq!(codec::from_json(&big).unwrap_err().kind, ErrorKind::TooLong);
    // a cursor past the end is refused when the run is built
    let mut spec = codec::from_json(&good).unwrap();
    spec.cursor = 400;
    assert_eq!(spec.to_run().unwrap_err().kind, ErrorKind::Cursor);
}

#[test]
fn a_sandbox_run_is_shared_like_any_run() {
    let spec = SandboxSpec {
        pattern: Pattern::Outbox,
        readers: 2,
        writers: 2,
        keys: 2,
        ttl_ms: Some(250),
        bus: cachescope::sim::sandbox::Guarantee::AtLeastOnce,
        parts: Default::default(),
    };
    let scenario = spec.scenario();
    let fixes = Fixes::parse(scenario, ["single-flight"]).unwrap();
    let mut run = Run::new_sandbox(spec.clone(), fixes, 5);
    let mut rng = Rng::new(1);
    for _ in 0..25 {
        let en = run.world().enabled();
        if en.is_empty() {
            break;
        }
        run.fire(en[rng.below(en.len() as u64) as usize]).unwrap();
    }
    run.fire(Event::Fault(cachescope::sim::Fault::Crash(
        cachescope::sim::NodeId::RELAY,
    )))
    .unwrap();
    run.forward();
    let q = link::query(&run);
    assert!(
        q.starts_with("scenario=sandbox&sb=1.o222l250&fix=single-flight&seed=5&run=1."),
        "{q}"
    );
    let l = link::load(&q);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.sandbox.as_ref(), Some(&spec));
    assert_eq!(l.run.world(), run.world());
    let json = codec::to_json(&RunSpec::of(&run));
    assert!(json.contains("\"sandbox\": \"1.o222l250\""), "{json}");
    let back = codec::from_json(&json).unwrap().to_run().unwrap();
    assert_eq!(back.world(), run.world());
    assert_eq!(back.trace(), run.trace());
}

#[test]
fn replaying_recorded_runs_gives_identical_traces() {
    use cachescope::sim::sched::{self, Replay};
    for (i, s) in scenarios::ALL.iter().enumerate() {
        for fixes in all_fix_sets(s) {
            for seed in 0..2 {
                let run = random_run(s, fixes.clone(), (i as u64) * 100 + seed, MAX_STEPS);
                let trace = run.trace();
                // by `Run::replayed`
                let again = run.replayed(&run.choices()).unwrap();
                assert_eq!(again.trace(), trace, "{}", s.id);
                assert_eq!(again.world(), run.world(), "{}", s.id);
                // by the replay scheduler, when the run ends with no fault past its end
                let past_end =
                    (0..run.recorded()).any(|k| run.state(k).unwrap().enabled().is_empty());
                if run.total_if_ended().is_some() && !past_end {
                    let mut w = s.world(&fixes, s.seed);
                    let records = sched::run(
                        &mut w,
                        &mut Replay {
                            choices: run.choices(),
                        },
                    );
                    let lines: String = records.iter().map(|r| format!("{r}\n")).collect();
                    assert_eq!(lines, trace, "{}", s.id);
                    assert_eq!(&w, run.world(), "{}", s.id);
                }
            }
        }
    }
}
