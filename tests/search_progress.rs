//! The worker's progress messages, as the page reads them (review 23, U3): each names
//! the phase under way (breadth first, breadth first again in absolute time, depth
//! first) with that phase's own counts and its bound on states, so a count that goes
//! down is always a new phase's, and the bar's maximum is the phase's bound.
use cachescope::sim::search::job::Job;
use cachescope::sim::search::msg::{Phase, Reply, Request};
use cachescope::sim::{link, scenarios, Run};

/// A small bound, so that most of the catalog stops at it (and goes on depth first);
/// with one fault to place, some searches start over in absolute time within it
/// (`write-behind-crash`, `cross-region-read-your-writes`).
const MAX: usize = 5_000;

/// Every progress message of the page's search of `run` (bound `MAX`, one fault to
/// place), one per slice of 250 states, to its end.
fn progress(run: &Run) -> Vec<(Phase, usize, usize, usize)> {
    let request = Request {
        link: link::setup_query(run),
        faults: 1,
        max_states: MAX,
        slice: false,
    };
    let mut job = Job::new(&request).expect("the page's own setup");
    let mut out = Vec::new();
    for _ in 0..400 {
        let p = job.step(250);
        match Reply::decode(&job.progress_message(&p, 5)) {
            Some(Reply::Progress {
                phase,
                states,
                max,
                depth,
                elapsed_ms,
                ..
            }) => {
                assert_eq!(elapsed_ms, 5);
                out.push((phase, states, max, depth));
            }
            other => panic!("a progress message, not {other:?}"),
        }
        if p.done {
            return out;
        }
    }
    panic!("{}: the search did not end", run.scenario.id);
}

#[test]
fn a_count_goes_down_only_where_a_new_phase_begins_and_each_phase_names_its_bound() {
    let mut seen = Vec::new();
    let mut absolute = Vec::new();
    for s in scenarios::ALL.iter() {
        let run = Run::with_default_seed(s, cachescope::sim::Fixes::none());
        let messages = progress(&run);
        // Where it starts over, its count goes down: the page must say why.
        if let Some(i) = messages.iter().position(|m| m.0 == Phase::Absolute) {
            assert!(i > 0 && messages[i].1 < messages[i - 1].1, "{}", s.id);
        }
        let order = |p: Phase| match p {
            Phase::Shifted => 0,
            Phase::Absolute => 1,
            Phase::Deep => 2,
        };
        for pair in messages.windows(2) {
            let ((a, sa, _, _), (b, sb, _, _)) = (pair[0], pair[1]);
            assert!(order(a) <= order(b), "{}: {a:?} after {b:?}", s.id);
            if a == b {
                assert!(sa <= sb, "{}: {a:?}'s count went from {sa} to {sb}", s.id);
            }
        }
        for &(phase, states, max, _) in &messages {
            match phase {
                // Breadth first, the page's bound (here `MAX`).
                Phase::Shifted | Phase::Absolute => assert_eq!(max, MAX, "{}", s.id),
                // Depth first, a quarter of the states found breadth first.
                Phase::Deep => assert!((1..=MAX / 4).contains(&max), "{}: {max}", s.id),
            }
            assert!(states <= max, "{}: {phase:?} {states} of {max}", s.id);
        }
        for (phase, ..) in &messages {
            if *phase == Phase::Absolute && !absolute.contains(&s.id) {
                absolute.push(s.id);
            }
            if !seen.contains(phase) {
                seen.push(*phase);
            }
        }
    }
    // The catalog has searches that start over in absolute time, and that go on depth
    // first after the bound: every phase is seen.
    assert!(!absolute.is_empty());
    for phase in [Phase::Shifted, Phase::Absolute, Phase::Deep] {
        assert!(seen.contains(&phase), "{phase:?} not seen: {seen:?}");
    }
}

#[test]
fn an_old_progress_message_reads_as_the_first_phase() {
    assert_eq!(
        Reply::decode("kind=progress&states=7&depth=2&ends=1&elapsed_ms=3"),
        Some(Reply::Progress {
            phase: Phase::Shifted,
            states: 7,
            max: 0,
            depth: 2,
            ends: 1,
            elapsed_ms: 3
        })
    );
}
