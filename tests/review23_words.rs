//! Review 23's findings on the search panel's words (S2, S3, S4, S6), each checked on
//! a real search's counterexample or a real trace: the true sentence asserted against
//! the run's own states, and the false one absent.
mod common;
use cachescope::sim::search::is_free;
use cachescope::sim::{codec, Event, Fault, Invariant, NodeId, Run};
use cachescope::ui::{placed, verdict};

/// The shortest counterexample of `invariant` a search of `run`'s setup finds with up
/// to `faults` placed, replayed (recorded with its words).
fn shortest(run: &Run, faults: u8, invariant: &str) -> (Vec<Event>, Run) {
    let found = common::search(run, faults, 200_000);
    let c = found
        .violations
        .iter()
        .find(|c| c.invariant == invariant && c.shortest)
        .expect("a shortest counterexample");
    let events = codec::decode(run, &c.code).expect("its code reads");
    let played = run.replayed(&events).expect("it replays");
    (events, played)
}

/// S4: the intro said "every order of this run's events at their modelled delays",
/// yet delete-before-update-race's shortest break (no fault placed) holds the
/// reader's set back far past its delay: the intro says the search does that, and the
/// step that delivers it says it arrives late, by how much, from its own states.
#[test]
fn s4_the_search_holds_messages_back_and_the_late_step_says_so() {
    let intro = verdict::intro(None);
    assert!(
        intro.starts_with(
            "Every order of this run's events, any message or timer overtaken by later ones (and up \
             to the faults you choose, placed anywhere), breadth first, each distinct state once"
        ),
        "{intro}"
    );
    assert!(!intro.contains("modelled delays"), "{intro}");

    let r = common::start("delete-before-update-race", &[]);
    let (events, played) = shortest(&r, 0, "cache-matches-db");
    assert!(events.iter().all(|e| e.fault().is_none()), "timing alone");
    // Every delivery that came after its message was due, read from the state before it.
    let mut late = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let before = played.state(i).unwrap();
        let said = &played.records()[i].narration;
        let due = match e {
            Event::Deliver(id) => before.net.iter().find(|m| m.id == *id).unwrap().arrive_ms,
            Event::Fire(id) => before.timers.iter().find(|t| t.id == *id).unwrap().at_ms,
            _ => {
                assert!(!said.contains("ms late"), "{said}");
                continue;
            }
        };
        if due < before.now_ms {
            late.push((i + 1, due, before.now_ms - due));
            let what = if let Event::Deliver(id) = e {
                format!(
                    "This message ({id}) was due at {due} ms and arrives {} ms late: it was held back \
                     while events due after it went first.",
                    before.now_ms - due
                )
            } else {
                format!(
                    "This timer was due at {due} ms and fires {} ms late: events due after it went first.",
                    before.now_ms - due
                )
            };
            assert!(said.contains(&what), "step {}: {said}", i + 1);
        } else {
            assert!(!said.contains("ms late"), "step {}: {said}", i + 1);
        }
    }
    // The reader's set of v1, due at 8 ms, lands at 52 ms: after the write's commit
    // and its delete, which is the whole race.
    assert_eq!(late, [(11, 8, 44)], "{}", played.trace());
    assert_eq!(
        played.records()[10].label,
        "set user:1=v1",
        "{}",
        played.trace()
    );
    assert!(Invariant::CacheMatchesDb.check(played.world()).is_err());
}

/// S4, a timer: the first state of a catalog story where a timer is due while a
/// message due after it is in flight; the message first, then the timer: its step
/// says it fires late, by the clock's own reading.
#[test]
fn s4_a_timer_fired_after_later_events_says_it_is_late() {
    let mut checked = 0;
    for s in cachescope::sim::scenarios::ALL.iter().copied() {
        let mut story = Run::with_default_seed(s, cachescope::sim::Fixes::none());
        story.run_to_end();
        let found = (0..story.recorded()).find_map(|i| {
            let w = story.state(i)?;
            let enabled = w.enabled();
            enabled.iter().find_map(|t| {
                let Event::Fire(id) = t else { return None };
                let at = w.timers.iter().find(|x| x.id == *id)?.at_ms;
                let later = enabled.iter().find(|m| {
                    matches!(m, Event::Deliver(_)) && w.nominal_ms(**m).is_some_and(|d| d > at)
                })?;
                Some((i, *later, *t, at))
            })
        });
        let Some((i, later, timer, at)) = found else {
            continue;
        };
        let mut run = story.clone();
        run.seek(i);
        run.truncate_future();
        run.fire(later).unwrap();
        let now = run.world().now_ms;
        assert!(now > at);
        // The message may have cancelled the timer; else it fires late.
        if run.fire(timer).is_ok() {
            let said = &run.records().last().unwrap().narration;
            assert!(
                said.contains(&format!(
                    "This timer was due at {at} ms and fires {} ms late: events due after it went first.",
                    now - at
                )),
                "{}: {said}",
                s.id
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "some story has a timer that can fire late");
}

/// S2: the lease's crash run (tests/placed.rs): the service's restart is free (no
/// supervisor would restart it), so it is said to count toward no fault, not called a
/// fault the search placed.
#[test]
fn s2_a_free_restart_is_not_called_a_fault_the_search_placed() {
    let r = common::start("stale-set-race", &["lease"]);
    let mut played = common::to_the_late_set(&r);
    let crash = Fault::Crash(NodeId::SERVICE);
    let restart = Fault::Restart(NodeId::SERVICE);
    played.fire(Event::Fault(crash)).unwrap();
    assert!(
        is_free(played.world(), restart),
        "no supervisor's restart is pending"
    );
    played.fire(Event::Fault(restart)).unwrap();
    played.run_to_end();
    let events: Vec<_> = played.records().iter().map(|x| x.event).collect();
    let p = placed::of(&r, &events);
    assert_eq!(
        (p.search.as_slice(), p.free.as_slice()),
        (&[crash][..], &[restart][..])
    );
    assert_eq!(p.free_steps, [12]);
    let note = p.note().unwrap();
    assert_eq!(
        note,
        "This run includes a fault the search placed: crash service, and a recovery the search placed \
         free, counted toward no fault (nothing else in the model would bring it about): restart service."
    );
    assert!(!note.contains("2 faults"), "{note}");
    assert_eq!(p.with(), ", with crash service, restart service (free)");
}

/// S2, the card's other sentence: a crash that does not make the break, with its free
/// restart after it: left out together, the restart (with nothing to recover from) is
/// named as free, not as one of the search's faults.
#[test]
fn s2_a_crash_that_is_not_needed_leaves_its_free_restart_out_too() {
    let mut story = common::run("stale-set-race", &[]);
    assert!(Invariant::CacheMatchesDb.check(story.world()).is_err());
    let ended = story.recorded();
    let crash = Fault::Crash(NodeId::SERVICE);
    let restart = Fault::Restart(NodeId::SERVICE);
    story.fire(Event::Fault(crash)).unwrap();
    assert!(is_free(story.world(), restart));
    story.fire(Event::Fault(restart)).unwrap();
    let events = story.choices();
    let r = common::start("stale-set-race", &[]);
    let p = placed::of(&r, &events);
    assert_eq!(
        (p.search.as_slice(), p.free.as_slice()),
        (&[crash][..], &[restart][..])
    );
    let notes = cachescope::ui::judged::notes(&r, &events, "cache-matches-db", &p);
    assert_eq!(
        notes.first().map(String::as_str),
        Some(
            format!(
                "The search's fault crash service (step {}) is not what breaks cache-matches-db: without it and the \
                 free restart service at step {}, which then has nothing to recover from, the same steps, then on to \
                 the end, end with it broken too, after {ended} steps. The fault only ends this run sooner.",
                ended + 1,
                ended + 2
            )
            .as_str()
        ),
        "{notes:?}"
    );
}

/// S6: stale-set-race with the delayed double delete and one fault: the search drops
/// the commit's answer (m8), so the service never deletes and never schedules a second
/// delete. The ending blamed a read slower than the delay and said a lease or a
/// versioned set refuses the late set: neither holds with no delete at all.
#[test]
fn s6_no_delete_reached_the_cache_under_the_delayed_double_delete() {
    let r = common::start("stale-set-race", &["delayed-double-delete"]);
    let (events, played) = shortest(&r, 1, "cache-matches-db");
    let p = placed::of(&r, &events);
    assert_eq!(p.search.len(), 1, "{p:?}");
    assert_eq!(p.search[0].name(), "drop");
    let trace = played.trace();
    assert!(!trace.contains("del user:1"), "no delete was sent: {trace}");
    let text = r.scenario.epilogue(played.world(), &r.fixes);
    assert_eq!(
        text,
        "The cache holds v1 while the database has v2, although the delayed double delete is on: a read set \
         the old value after the commit, and in this run a fault stopped the writer's delete: no delete reached \
         the cache after the commit of v2. The second delete is scheduled only when the first one's reply comes \
         back, so none followed, and nothing removed the old value. A lease or a versioned set would not have \
         helped either: each relies on that delete. Every reader will get v1 until the TTL ends at 60018 ms, long \
         after this run."
    );
    // The same drop under a lease breaks it too (the lease's own ending says so).
    let lease = common::start("stale-set-race", &["lease"]);
    let under_lease = lease.replayed(&events).expect("the same choices play");
    assert!(Invariant::CacheMatchesDb
        .check(under_lease.world())
        .is_err());
}

/// S3: a complete search with no break said "no run ends with an invariant broken"
/// while states part-way through its runs are violated: invalidate-before-commit's own
/// story, with the after-commit hook, holds v1 in the cache between the commit of v2
/// and its delete. The sentence says
/// runs are judged at their end, and that window is not a break.
#[test]
fn s3_no_violation_says_runs_are_judged_at_their_end() {
    let r = common::start("invalidate-before-commit", &["after-commit-hook"]);
    let found = common::search(&r, 0, 200_000);
    assert!(found.complete && found.violations.is_empty());
    let text = verdict::summary(&found, 0, 200_000, false);
    assert!(
        text.ends_with(&format!(
            "No violation in {} states: no run ends with an invariant broken ({} end states judged). A run is \
             judged at its end: a window that closes before the end (a copy stale for a while, then put \
             right) is not a break.",
            verdict::grouped(found.states),
            found.ends
        )),
        "{text}"
    );
    // The story itself passes through such a window and ends consistent.
    let story = common::run("invalidate-before-commit", &["after-commit-hook"]);
    let window = (0..story.recorded())
        .filter_map(|i| story.state(i))
        .any(|w| Invariant::CacheMatchesDb.check(w).is_err());
    assert!(window, "a state part-way through is violated");
    assert!(Invariant::CacheMatchesDb.check(story.world()).is_ok());
}

/// U1: write-through with two faults: the shortest break drops two messages, and one
/// of the drops is not needed (the run breaks cache-matches-db without it). The card
/// says so of each fault exactly where the run without it, replayed, ends broken.
#[test]
fn u1_a_fault_the_break_does_not_need_is_named() {
    let r = common::start("write-through", &[]);
    let found = common::search(&r, 2, 20_000);
    let c = found
        .violations
        .iter()
        .find(|c| c.invariant == "cache-matches-db" && c.shortest)
        .expect("a shortest counterexample");
    let events = codec::decode(&r, &c.code).expect("its code reads");
    let p = placed::of(&r, &events);
    assert_eq!(p.search.len(), 2, "{p:?}");
    let notes = cachescope::ui::judged::notes(&r, &events, "cache-matches-db", &p);
    // Not both at once: else the card says that instead.
    assert!(
        notes
            .iter()
            .all(|n| !n.contains("only end this run sooner")),
        "{notes:?}"
    );
    let mut unneeded = 0;
    for (f, &step) in p.search.iter().zip(&p.search_steps) {
        let kept: Vec<Event> = (1..)
            .zip(&events)
            .filter(|(s, _)| *s != step)
            .map(|(_, e)| *e)
            .collect();
        let mut without = r.replayed(&kept).expect("the other events still fire");
        without.run_to_end();
        let broken = Invariant::CacheMatchesDb.check(without.world()).is_err();
        let said = format!(
            "The search's fault {f} (step {step}) is not needed: without it, the same steps, then on to the end, \
             end with cache-matches-db broken too, after {} steps.",
            without.cursor()
        );
        assert_eq!(notes.contains(&said), broken, "{said} in {notes:?}");
        unneeded += usize::from(broken);
    }
    assert_eq!(unneeded, 1, "{notes:?}");
}
