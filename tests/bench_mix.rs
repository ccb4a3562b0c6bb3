//! The benchmark's workload (`sim::bench`), which the native example and the browser's
//! worker share: the same target fires the same events in either mode, and the
//! worker's request reads back what it wrote and names what is wrong. (A workload
//! check, not a timed test: nothing here reads a clock.)
use cachescope::sim::bench::{self, Mix, Request, MAX_EVENTS};

#[test]
fn one_round_runs_every_variant_and_quiet_fires_the_narrated_events() {
    let mut mix = Mix::new();
    assert_eq!(mix.variants(), bench::variants().len());
    // A target of 1 is one whole round: every variant once, seeds 0..variants.
    let quiet = mix.run(1, true);
    assert_eq!(quiet.runs, mix.variants() as u64);
    // Quiet mode makes the same choices as the narrated run: the same events.
    let narrated = mix.run(1, false);
    assert_eq!(quiet, narrated);
    // The same target again fires the same events (seeds restart at 0).
    assert_eq!(mix.run(1, true), quiet);
    // Past one round's events, a second round runs.
    let two = mix.run(quiet.events + 1, true);
    assert_eq!(two.runs, 2 * quiet.runs);
    assert!(two.events > quiet.events);
}

#[test]
fn the_workers_request_reads_back_and_names_what_is_wrong() {
    for r in [
        Request {
            events: 8_000_000,
            quiet: true,
        },
        Request {
            events: 5,
            quiet: false,
        },
    ] {
        assert_eq!(Request::decode(&r.encode()), Some(Ok(r)));
    }
    assert_eq!(
        Request::decode("kind=bench&events=10"),
        Some(Ok(Request {
            events: 10,
            quiet: true
        }))
    );
    // A search request is not the benchmark's.
    assert_eq!(
        Request::decode("link=scenario%3Dstale-set-race&faults=0&max_states=9"),
        None
    );
    let err = |text: &str| Request::decode(text).unwrap().unwrap_err();
    assert_eq!(
        err("kind=bench&events=0"),
        format!("events=0: not a whole number from 1 to {MAX_EVENTS}")
    );
    assert!(err("kind=bench&events=x").starts_with("events=x:"));
    assert!(err(&format!("kind=bench&events={}", MAX_EVENTS + 1)).contains("from 1 to"));
    assert_eq!(err("kind=bench"), "the bench request has no events");
    assert_eq!(
        err("kind=bench&events=3&mode=loud"),
        "mode=loud: not quiet or narrated"
    );
}

#[test]
fn the_reply_names_mode_variants_events_runs_and_time() {
    let r = Request {
        events: 100,
        quiet: true,
    };
    let tally = bench::Tally {
        events: 120,
        runs: 55,
    };
    assert_eq!(
        bench::reply(&r, 55, tally, 12.5),
        "kind=bench&mode=quiet&variants=55&events=120&runs=55&ms=12.500"
    );
}
