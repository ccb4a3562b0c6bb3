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

/// A random run: random interleavings (like `sched::Seeded`) with, now and then, a
/// random fault from `World::faults`, up to `max` steps.
fn random_run(s: &'static Scenario, fixes: Fixes, seed: u64, max: usize) -> Run {
    let mut rng = Rng::new(seed);
    let mut run = Run::with_default_seed(s, fixes);
    while run.cursor() < max {
        let w = run.world();
        let enabled = w.enabled();
        let faults = w.faults();
        let pick = if !faults.is_empty() && (enabled.is_empty() || rng.below(8) == 0) {
            if enabled.is_empty() && rng.below(3) > 0 {
                break;
            }
            faults[rng.below(faults.len() as u64) as usize]
        } else if enabled.is_empty() {
            break;
        } else if rng.below(3) == 0 {
            match run.next_event() {
                Some(e) => e,
                None => break,
            }
        } else {
            enabled[rng.below(enabled.len() as u64) as usize]
        };
        run.fire(pick).expect("a listed event fires");
    }
    run
}

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
    for s in scenarios::ALL {
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
            "choice 1 (\"deliver m99\") is not enabled at step 1",
        ),
        (
            good.replace("\"choices\": [", "\"choices\": [7,"),
            ErrorKind::Field,
            "field `choices`, item 1",
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
        cachescope::sim::NodeId::Relay,
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

/// Random text from a mix of real pieces and noise.
fn noise(rng: &mut Rng, pieces: &[&str], max: u64) -> String {
    let alphabet: Vec<char> = "ABCDEFGabcdefg0123456789-_.=&%\"{}[]:,\\ \n\u{0}éΩ🙂"
        .chars()
        .collect();
    let mut s = String::new();
    for _ in 0..rng.below(max) {
        if !pieces.is_empty() && rng.below(3) == 0 {
            s.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
        } else {
            s.push(alphabet[rng.below(alphabet.len() as u64) as usize]);
        }
    }
    s
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut b: Vec<u8> = text.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let at = if b.is_empty() {
            0
        } else {
            rng.below(b.len() as u64) as usize
        };
        match rng.below(5) {
            0 if !b.is_empty() => b[at] = rng.below(256) as u8,
            1 => b.insert(at, rng.below(128) as u8),
            2 if !b.is_empty() => {
                b.remove(at);
            }
            3 => b.truncate(at),
            _ => b.extend_from_slice(&b.clone()[..at.min(b.len())]),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn check_error(e: &codec::CodecError, input: &str) {
    assert!(!e.at.is_empty() && !e.reason.is_empty(), "{input:?}: {e:?}");
}

#[test]
fn the_run_code_decoder_takes_100_000_generated_inputs_without_panic() {
    let short = scenarios::find("cache-aside-write").unwrap();
    let race = scenarios::find("stale-set-race").unwrap();
    let runs: Vec<Run> = (0..20)
        .map(|i| random_run(if i % 2 == 0 { short } else { race }, Fixes::none(), i, 25))
        .collect();
    let codes: Vec<String> = runs.iter().map(codec::encode_run).collect();
    let pieces = ["1.", "2.", "A", "B", "g", "_", "-", "AAAA", "Z"];
    let mut rng = Rng::new(42);
    let (mut ok, mut bad) = (0, 0);
    for i in 0..100_000u32 {
        let k = rng.below(runs.len() as u64) as usize;
        let input = match i % 10 {
            // mutated valid codes: these replay, so fewer of them
            0 => mutate(&mut rng, &codes[k]),
            1 => format!("1.{}", noise(&mut rng, &["A", "B", "C", "g"], 12)),
            2 => format!("{}{}", codes[k], noise(&mut rng, &pieces, 3)),
            _ => noise(&mut rng, &pieces, 16),
        };
        match codec::decode(&runs[k], &input) {
            Ok(choices) => {
                assert!(choices.len() <= MAX_STEPS);
                ok += 1;
            }
            Err(e) => {
                check_error(&e, &input);
                bad += 1;
            }
        }
    }
    assert!(ok > 100 && bad > 10_000, "{ok} {bad}");
}

#[test]
fn the_file_decoder_takes_100_000_generated_inputs_without_panic() {
    let s = scenarios::find("cache-aside-write").unwrap();
    let files: Vec<String> = (0..10)
        .map(|i| {
            let mut r = random_run(s, Fixes::none(), i, 20);
            r.seek(r.recorded() / 2);
            codec::to_json(&RunSpec::of(&r))
        })
        .collect();
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        "\"format\":",
        "\"cachescope-run\"",
        "\"version\":",
        "1",
        "2",
        ",",
        "\"scenario\":",
        "\"stale-set-race\"",
        "\"choices\":",
        "\"start reader\"",
        "\"seed\":",
        "\"cursor\":",
        "null",
        "1e999",
        "-1",
        "\"sandbox\":",
        "\"1.a211mn\"",
        "\"fixes\":",
    ];
    let mut rng = Rng::new(7);
    let mut bad = 0;
    for i in 0..100_000u32 {
        let f = &files[rng.below(files.len() as u64) as usize];
        let input = match i % 20 {
            0 => mutate(&mut rng, f),
            1 => f.replace("\"version\": 1", &format!("\"version\": {}", rng.below(4))),
            2 => f.replace("deliver m", "deliver m1"),
            3 => {
                let cut = rng.below(f.len() as u64) as usize;
                String::from_utf8_lossy(&f.as_bytes()[..cut]).into_owned()
            }
            4 => format!("{f}{}", noise(&mut rng, &pieces, 4)),
            _ => noise(&mut rng, &pieces, 24),
        };
        match codec::from_json(&input) {
            Ok(spec) => {
                assert!(spec.choices.len() <= MAX_STEPS);
                let _ = spec.to_run();
            }
            Err(e) => {
                check_error(&e, &input);
                bad += 1;
            }
        }
    }
    assert!(bad > 50_000, "{bad}");
}

#[test]
fn the_sandbox_code_takes_100_000_generated_inputs_without_panic() {
    let mut rng = Rng::new(3);
    let pieces = [
        "1.", "a", "t", "b", "e", "h", "o", "1", "4", "8", "9", "0", "m", "l", "n", "300",
    ];
    let mut ok = 0;
    let patterns = ['a', 't', 'b', 'e', 'h', 'o'];
    for i in 0..100_000u32 {
        let valid = format!(
            "1.{}{}{}{}{}{}",
            patterns[rng.below(6) as usize],
            1 + rng.below(4),
            1 + rng.below(4),
            1 + rng.below(8),
            if rng.below(2) == 0 { 'm' } else { 'l' },
            if rng.below(2) == 0 {
                "n".to_string()
            } else {
                (1 + rng.below(1000)).to_string()
            }
        );
        let input = match i % 3 {
            0 => valid,
            1 => mutate(&mut rng, &valid),
            _ => noise(&mut rng, &pieces, 10),
        };
        match SandboxSpec::parse(&input) {
            Ok(spec) => {
                assert_eq!(SandboxSpec::parse(&spec.code()), Ok(spec.clone()));
                ok += 1;
            }
            Err(e) => assert!(!e.reason.is_empty()),
        }
    }
    assert!(ok > 30_000, "{ok}");
    for q in [
        "scenario=sandbox&sb=9.a",
        "scenario=sandbox&sb=1.x",
        "scenario=sandbox&sb=1.a911mn",
    ] {
        let l = link::load(q);
        assert_eq!(l.errors.len(), 1, "{q}");
        assert_eq!(l.errors[0].param, "sb");
        assert_eq!(l.run.scenario.id, "sandbox");
    }
}
