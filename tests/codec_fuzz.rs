//! The decoders take at least 100,000 generated inputs each (random text, mutated
//! valid codes and files, truncations, extensions, wrong versions, impossible choices)
//! without a panic, and every error says what is wrong and where.
use cachescope::sim::codec::{self, RunSpec};
use cachescope::sim::link;
use cachescope::sim::rng::Rng;
use cachescope::sim::run::MAX_STEPS;
use cachescope::sim::sandbox::SandboxSpec;
use cachescope::sim::{scenarios, Fixes, Run};

mod gen;
use gen::random_run;

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
                assert!(e.at.starts_with("line "), "{input:?}: {e}");
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

#[test]
fn links_with_run_codes_take_generated_inputs_without_panic() {
    let s = scenarios::find("stale-set-race").unwrap();
    let links: Vec<String> = (0..10)
        .map(|i| {
            let mut r = random_run(s, Fixes::parse(s, ["lease"]).unwrap(), i, 30);
            r.seek(r.recorded() / 2);
            link::query(&r)
        })
        .collect();
    assert!(links.iter().any(|l| l.contains("run=1.")));
    let pieces = [
        "&run=",
        "1.",
        "&step=",
        "3",
        "&fix=",
        "lease",
        "&sb=",
        "1.a211mn",
        "&scenario=sandbox",
    ];
    let mut rng = Rng::new(11);
    for i in 0..5_000u32 {
        let l = &links[rng.below(links.len() as u64) as usize];
        let q = match i % 3 {
            0 => mutate(&mut rng, l),
            1 => format!("{l}{}", noise(&mut rng, &pieces, 4)),
            _ => noise(&mut rng, &pieces, 12),
        };
        let loaded = link::load(&q);
        assert!(loaded.run.cursor() <= MAX_STEPS);
        for e in &loaded.errors {
            assert!(!e.reason.is_empty() && !e.param.is_empty(), "{q}: {e:?}");
        }
        // what the page then shares loads back to the same moment
        let again = link::load(&link::query(&loaded.run));
        assert!(again.errors.is_empty(), "{q}: {:?}", again.errors);
        assert_eq!(again.run.world(), loaded.run.world(), "{q}");
    }
}
