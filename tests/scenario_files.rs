//! Scenario files: every catalog file loads and round-trips (file → scenario → file,
//! byte for byte), a bad file is reported at its line and field, and the reader takes
//! 100,000 generated and mutated inputs without a panic, each error naming a line.
use cachescope::sim::codec::ErrorKind;
use cachescope::sim::rng::Rng;
use cachescope::sim::scenario::file::{self, ScenarioFile};
use cachescope::sim::scenarios::{self, FILES};
use cachescope::sim::{Fixes, Run};

#[test]
fn every_catalog_file_loads_and_round_trips() {
    assert_eq!(scenarios::ALL.len(), FILES.len());
    assert!(FILES.len() >= 19);
    for (name, text) in FILES {
        let read = file::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let scenario = read.clone().into_scenario();
        assert_eq!(format!("{}.json", scenario.id), *name);
        let written = file::to_json(scenario);
        assert_eq!(&written, text, "{name} is not written back as it is");
        assert_eq!(file::from_json(&written).unwrap(), read);
        assert!(!scenario.story().is_empty(), "{name} tells its story");
        assert!(!scenario.endings.is_empty(), "{name} says how it ends");
    }
}

/// The catalog the build embeds (`src/sim/scenarios/catalog.rs`, Rust written from the
/// files so that the page starts without a JSON reader) is the files, read by the reader
/// a learner's file goes through.
#[test]
fn the_baked_catalog_is_the_files() {
    const HOW: &str = "src/sim/scenarios/catalog.rs is not the JSON files: run `cargo run --example bake_catalog --features bake`";
    let baked = scenarios::baked();
    assert_eq!(baked.len(), FILES.len(), "{HOW}");
    for ((name, text), b) in FILES.iter().zip(&baked) {
        let read = file::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(read == *b, "{name}: {HOW}");
    }
}

/// A scenario read from its file text runs exactly as the catalog's.
#[test]
fn a_file_opened_runs_as_the_catalog_scenario() {
    for s in scenarios::ALL.iter() {
        let opened = file::from_json(&file::to_json(s)).unwrap().into_scenario();
        for fix in std::iter::once(None).chain(s.fixes.iter().map(|f| Some(f.id))) {
            let fixes = Fixes::parse(s, fix).unwrap();
            let mut a = Run::new(s, fixes.clone(), s.seed);
            let mut b = Run::new(opened, Fixes::parse(opened, fix).unwrap(), s.seed);
            a.run_to_end();
            b.run_to_end();
            assert_eq!(a.trace(), b.trace(), "{} {fix:?}", s.id);
            assert_eq!(
                s.epilogue(a.world(), &a.fixes),
                opened.epilogue(b.world(), &b.fixes)
            );
        }
    }
}

fn stale_set_race() -> String {
    FILES
        .iter()
        .find(|(n, _)| *n == "stale-set-race.json")
        .unwrap()
        .1
        .to_string()
}

#[test]
fn a_bad_file_names_the_line_and_the_field() {
    let good = stale_set_race();
    let line_of =
        |text: &str, needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let cases: Vec<(String, &str, ErrorKind, &str)> = vec![
        (
            good.replace("\"db-read-reply\"", "\"db-reply\""),
            "\"db-reply\"",
            ErrorKind::Field,
            "field `settings.clients.reader[0].slow",
        ),
        (
            good.replacen("\"key\": 1", "\"key\": \"one\"", 1),
            "\"one\"",
            ErrorKind::Field,
            "field `settings.clients.reader[0].key`",
        ),
        (
            good.replace("\"tombstone_ms\": 500", "\"tombstone_ms\": -5"),
            "-5",
            ErrorKind::Field,
            "field `fixes[0].changes.guard.versioned.tombstone_ms`",
        ),
        (
            good.replace("\"stale-reads\"\n", "\"stale-writes\"\n"),
            "\"stale-writes\"",
            ErrorKind::Field,
            "field `metrics[5]`",
        ),
        (
            good.replace("{expires user:1}", "{expiry user:1}"),
            "{expiry user:1}",
            ErrorKind::Field,
            "field `endings[0].text`",
        ),
        (
            good.replace("\"fix\": \"lease\"", "\"fix\": \"leases\""),
            "\"leases\"",
            ErrorKind::Field,
            "no fix \"leases\"",
        ),
        (
            good.replace("\"cachescope-scenario\"", "\"cachescope-run\""),
            "\"cachescope-run\"",
            ErrorKind::Version,
            "this is a run file",
        ),
        (
            good.replace("\"summary\"", "\"sumary\""),
            "\"sumary\"",
            ErrorKind::Field,
            "unknown field `sumary`",
        ),
        (
            good.replacen("\"reader\": [", "\"reader\": [,", 1),
            "[,",
            ErrorKind::Syntax,
            "not valid JSON",
        ),
    ];
    for (text, needle, kind, words) in cases {
        let e = file::from_json(&text).unwrap_err();
        let line = line_of(&text, needle);
        assert_eq!(e.kind, kind, "{e}");
        assert!(
            e.at.starts_with(&format!("line {line}, column ")),
            "expected line {line}: {e}"
        );
        assert!(e.to_string().contains(words), "{e}");
    }
}

/// A value of the wrong type is named in the message, as the text has it: the page's
/// build writes no `Debug` (scripts/setup.sh), where serde's own words lost it
/// ("found string , expected …", session 9's review, F11).
#[test]
fn a_value_of_the_wrong_type_is_quoted() {
    let good = stale_set_race();
    let at = good.find("\"seed\": ").unwrap();
    let end = at + good[at..].find(',').unwrap();
    let seed = format!("{}\"seed\": \"one\"{}", &good[..at], &good[end..]);
    let at = good.find("\"settings\": {").unwrap() + "\"settings\": {".len();
    let keys = format!(
        "{}\"topology\": [{{\"id\": \"db-2\", \"keys\": [2, \"two\"]}}], {}",
        &good[..at],
        &good[at..]
    );
    for (text, field, found) in [
        (
            seed,
            "field `seed`",
            "found string \"one\", expected a whole number",
        ),
        (
            keys,
            "field `settings.topology[0].keys[1]`",
            "found string \"two\", expected",
        ),
    ] {
        let e = file::from_json(&text).unwrap_err().to_string();
        assert!(e.contains(field) && e.contains(found), "{e}");
    }
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
            0 if !b.is_empty() => {
                const BYTES: &[u8] = b" {}[]:,\"0123456789-abcnlu";
                b[at] = BYTES[rng.below(BYTES.len() as u64) as usize];
            }
            1 => b.insert(at, rng.below(128) as u8),
            2 if !b.is_empty() => {
                b.remove(at);
            }
            3 => b.truncate(at),
            _ => {
                let end = (at + rng.below(40) as usize).min(b.len());
                b.drain(at..end);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Replaces one value of the file with another of a kind the format has somewhere.
fn swap_value(rng: &mut Rng, text: &str) -> String {
    const VALUES: [&str; 12] = [
        "0",
        "-1",
        "1e9",
        "18446744073709551616",
        "true",
        "null",
        "\"\"",
        "\"user:0\"",
        "[]",
        "{}",
        "\"reader-9\"",
        "\"none\"",
    ];
    let colons: Vec<usize> = text.match_indices(": ").map(|(i, _)| i + 2).collect();
    let Some(&at) = colons.get(rng.below(colons.len().max(1) as u64) as usize) else {
        return text.to_string();
    };
    let end = text[at..].find([',', '\n']).map_or(text.len(), |e| at + e);
    let value = VALUES[rng.below(VALUES.len() as u64) as usize];
    format!("{}{value}{}", &text[..at], &text[end..])
}

#[test]
fn the_reader_takes_100_000_generated_inputs_without_panic() {
    let texts: Vec<&str> = FILES.iter().map(|(_, t)| *t).collect();
    let mut rng = Rng::new(11);
    let (mut ok, mut bad) = (0, 0);
    for i in 0..100_000u32 {
        let t = texts[rng.below(texts.len() as u64) as usize];
        let input = match i % 4 {
            0 | 1 => mutate(&mut rng, t),
            2 => swap_value(&mut rng, t),
            _ => {
                let cut = rng.below(t.len() as u64) as usize;
                String::from_utf8_lossy(&t.as_bytes()[..cut]).into_owned()
            }
        };
        match file::from_json(&input) {
            Ok(f) => {
                ok += 1;
                // A file that reads runs, with every fix, without a panic.
                if ok % 50 == 1 {
                    run_every_fix(f);
                }
            }
            Err(e) => {
                bad += 1;
                assert!(e.at.starts_with("line "), "{e}\n{input}");
                assert!(!e.reason.is_empty());
            }
        }
    }
    assert!(bad > 50_000 && ok > 100, "{ok} read, {bad} refused");
}

fn run_every_fix(f: ScenarioFile) {
    let s = f.into_scenario();
    for fix in std::iter::once(None).chain(s.fixes.iter().map(|f| Some(f.id))) {
        let mut run = Run::new(s, Fixes::parse(s, fix).unwrap(), s.seed);
        run.run_to_end();
        let _ = s.epilogue(run.world(), &run.fixes);
    }
}

/// docs/scenarios.md's worked example reads, and tells the incident it writes down:
/// the race without the fix, none with it, none when the pause is short.
#[test]
fn the_worked_example_in_the_docs_runs() {
    let doc = include_str!("../docs/scenarios.md");
    let start = doc.find("```json\n{").expect("the example") + "```json\n".len();
    let text = &doc[start..start + doc[start..].find("```").unwrap()];
    let ends = |text: &str, fix: Option<&str>| {
        let s = file::from_json(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_scenario();
        let mut run = Run::new(s, Fixes::parse(s, fix).unwrap(), s.seed);
        run.run_to_end();
        let holds = cachescope::sim::Invariant::CacheMatchesDb
            .check(run.world())
            .is_ok();
        (holds, s.epilogue(run.world(), &run.fixes))
    };
    let (holds, said) = ends(text, None);
    assert!(!holds, "{said}");
    assert!(
        said.starts_with("The cache holds v1 while the database has v2"),
        "{said}"
    );
    assert!(ends(text, Some("versioned-set")).0);
    assert!(
        ends(
            &text.replace("\"db-read-reply\", 40", "\"db-read-reply\", 2"),
            None
        )
        .0
    );
    let e = file::from_json(&text.replace("\"db-read-reply\"", "\"db-reply\"")).unwrap_err();
    assert!(
        e.to_string()
            .contains("field `settings.clients.reader[0].slow"),
        "{e}"
    );
}

/// stale-set-race with its slow reply changed from 10 to `ms`, opened as a learner's file.
fn changed_race(ms: u64) -> &'static cachescope::sim::Scenario {
    let text = stale_set_race().replace(
        "\"db-read-reply\",\n            10",
        &format!("\"db-read-reply\",\n            {ms}"),
    );
    assert_ne!(text, stale_set_race());
    file::from_json(&text).unwrap().into_scenario()
}

#[test]
fn a_custom_scenario_travels_in_its_link() {
    use cachescope::sim::link;
    let s = changed_race(30);
    assert!(!s.is_catalog());
    let mut run = Run::new(s, Fixes::parse(s, ["lease"]).unwrap(), s.seed);
    run.seek(9);
    let q = link::query(&run);
    assert!(q.starts_with("scenario=stale-set-race&s=1."), "{q}");
    let code_len = q
        .split("&s=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .len();
    assert!(code_len < 8_000, "{code_len} characters");
    let l = link::load(&q);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.world(), run.world());
    assert_eq!(l.run.trace(), run.trace());
    assert_eq!(link::query(&l.run), q);
    // The catalog's own scenario writes no `s=`.
    let own = link::load("scenario=stale-set-race&step=3");
    assert!(!link::query(&own.run).contains("s="));
    // A bad code is reported under `s`; the catalog's scenario of that id loads.
    for bad in [
        "2.abc",
        "1.ab*",
        "1.AAAA",
        "nothing",
        &q.split("&s=").nth(1).unwrap()[..200],
    ] {
        let l = link::load(&format!("scenario=stale-set-race&s={bad}"));
        assert_eq!(l.errors.len(), 1, "{bad}: {:?}", l.errors);
        assert_eq!(l.errors[0].param, "s");
        assert!(l.run.scenario.is_catalog());
        assert_eq!(l.run.scenario.id, "stale-set-race");
    }
}

#[test]
fn a_custom_scenario_travels_in_its_run_file() {
    use cachescope::sim::codec::{self, RunSpec};
    let s = changed_race(30);
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.seek(12);
    let text = codec::to_json(&RunSpec::of(&run));
    assert!(text.contains("\"scenario_file\": {"), "{text}");
    let back = codec::from_json(&text).unwrap().to_run().unwrap();
    assert_eq!(back.world(), run.world());
    assert_eq!(back.trace(), run.trace());
    // An error inside the embedded scenario names its line in the run file.
    let broken = text.replace("\"db-read-reply\"", "\"db-reply\"");
    let e = codec::from_json(&broken).unwrap_err();
    let line = broken[..broken.find("\"db-reply\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(e.at.starts_with(&format!("line {line}, column ")), "{e}");
    assert!(
        e.at.contains("field `scenario_file.settings.clients.reader[0].slow"),
        "{e}"
    );
}

/// The sandbox's form writes a scenario file that runs as the sandbox does, with and
/// without each fix, for every pattern.
#[test]
fn the_sandbox_is_a_scenario_file() {
    use cachescope::sim::sandbox::{Pattern, SandboxSpec};
    for pattern in Pattern::ALL {
        let mut spec = SandboxSpec::new(pattern);
        spec.readers = 2;
        spec.keys = 2;
        let text = spec.scenario_file().to_json();
        let opened = file::from_json(&text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
            .into_scenario();
        let sandbox = spec.scenario();
        for fix in std::iter::once(None).chain(sandbox.fixes.iter().map(|f| Some(f.id))) {
            let mut a = Run::new_sandbox(spec.clone(), Fixes::parse(sandbox, fix).unwrap(), 1);
            let mut b = Run::new(opened, Fixes::parse(opened, fix).unwrap(), 1);
            a.run_to_end();
            b.run_to_end();
            assert_eq!(a.trace(), b.trace(), "{pattern:?} {fix:?}");
        }
    }
}

/// Mutated and cut scenario codes never panic the link; each bad one is reported under `s`.
#[test]
fn mutated_scenario_codes_are_reported() {
    use cachescope::sim::link;
    use cachescope::sim::scenario::code;
    let good = code::encode(changed_race(30));
    let mut rng = Rng::new(5);
    let mut reported = 0;
    for _ in 0..3_000 {
        let bad = mutate(&mut rng, &good);
        let l = link::load(&format!("scenario=stale-set-race&s={bad}"));
        match code::decode(&bad) {
            Ok(_) => assert!(l.errors.is_empty()),
            Err(e) => {
                assert!(!e.at.is_empty() && !e.reason.is_empty());
                assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
                assert_eq!(l.errors[0].param, "s");
                reported += 1;
            }
        }
    }
    assert!(reported > 2_000, "{reported}");
}
