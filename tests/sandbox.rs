//! The sandbox: every pattern, fix and size builds a world that runs to its end within
//! the limits, deterministically, and is shared by its code like any run.
use cachescope::sim::link;
use cachescope::sim::run::MAX_STEPS;
use cachescope::sim::sandbox::{self, Guarantee, Pattern, SandboxSpec};
use cachescope::sim::{scenarios, Fixes, Invariant, Run};

fn specs() -> Vec<SandboxSpec> {
    let mut out = Vec::new();
    for p in Pattern::ALL {
        for (readers, writers, keys) in [(1, 1, 1), (2, 1, 1), (4, 4, 8), (3, 2, 2)] {
            for bus in [Guarantee::AtMostOnce, Guarantee::AtLeastOnce] {
                for ttl_ms in [None, Some(150)] {
                    out.push(SandboxSpec {
                        pattern: p,
                        readers,
                        writers,
                        keys,
                        ttl_ms,
                        bus,
                        parts: Default::default(),
                    });
                }
            }
        }
    }
    out
}

#[test]
fn every_sandbox_runs_to_its_end_within_the_limits() {
    for spec in specs() {
        assert_eq!(SandboxSpec::parse(&spec.code()), Ok(spec.clone()));
        let s = spec.scenario();
        assert_eq!(s.id, "sandbox");
        assert_eq!(sandbox::pattern_of(s), Some(spec.pattern));
        let mut sets = vec![Fixes::none()];
        sets.extend(s.fixes.iter().map(|f| Fixes::parse(s, [f.id]).unwrap()));
        for fixes in sets {
            let mut a = Run::new_sandbox(spec.clone(), fixes.clone(), 1);
            a.run_to_end();
            assert!(
                a.at_end() && a.cursor() < MAX_STEPS,
                "{} {:?}",
                spec.code(),
                fixes
            );
            if fixes.ids().is_empty() {
                let mut b = Run::new_sandbox(spec.clone(), fixes.clone(), 1);
                b.run_to_end();
                assert_eq!(a.trace(), b.trace(), "deterministic");
            }
            if spec.readers == 1 && spec.writers == 1 && fixes.ids().is_empty() {
                // one reader and one writer in the rules' order do not race
                for inv in s.invariants {
                    assert!(
                        inv.check(a.world()).is_ok(),
                        "{} {}: {}",
                        spec.code(),
                        inv.name(),
                        a.trace()
                    );
                }
            }
            let epilogue = s.epilogue(a.world(), &fixes);
            assert!(epilogue.starts_with("Done"));
        }
    }
}

#[test]
fn the_sandbox_is_not_in_the_catalog() {
    assert!(scenarios::ALL.len() >= 19);
    assert!(scenarios::find("sandbox").is_none());
    for p in Pattern::ALL {
        assert!(!scenarios::ALL
            .iter()
            .any(|s| std::ptr::eq(*s, sandbox::scenario(p))));
        assert_eq!(Pattern::parse(p.id()), Some(p));
    }
    for g in Guarantee::ALL {
        assert_eq!(Guarantee::parse(g.id()), Some(g));
    }
}

#[test]
fn a_sandbox_run_keeps_its_spec_when_rebuilt() {
    let spec = SandboxSpec {
        readers: 3,
        keys: 2,
        ..SandboxSpec::new(Pattern::CacheAside)
    };
    let run = Run::new_sandbox(spec.clone(), Fixes::none(), 1);
    let s = run.scenario;
    let other = run.rebuilt(Fixes::parse(s, ["lease"]).unwrap(), 9);
    assert_eq!(other.sandbox, Some(spec.clone()));
    assert_eq!(other.world().clients.len(), 4);
    // Run::new on a sandbox scenario is its pattern's default sandbox
    let plain = Run::new(s, Fixes::none(), 1);
    assert_eq!(plain.sandbox, Some(SandboxSpec::new(Pattern::CacheAside)));
    // out-of-range numbers are brought into bounds
    let wild = SandboxSpec {
        readers: 0,
        writers: 99,
        keys: 200,
        ttl_ms: Some(0),
        ..spec
    };
    let r = Run::new_sandbox(wild, Fixes::none(), 1);
    let sb = r.sandbox.clone().unwrap();
    assert_eq!(
        (sb.readers, sb.writers, sb.keys, sb.ttl_ms),
        (1, 4, 8, Some(1))
    );
}

#[test]
fn a_hand_made_race_in_the_sandbox_is_shared_by_link() {
    // Two readers, one writer, one key: race the stale set by hand, as in
    // stale-set-race, and share it.
    let spec = SandboxSpec {
        readers: 1,
        ..SandboxSpec::new(Pattern::CacheAside)
    };
    let mut run = Run::new_sandbox(spec, Fixes::none(), 1);
    // reader first until its select is answered, then the writer to its end, then the
    // reader's set: the late set of v1 lands after the delete.
    let mut broke = false;
    for _ in 0..200 {
        let w = run.world();
        let en = w.enabled();
        if en.is_empty() {
            break;
        }
        let reader_reply = en.iter().copied().find(|e| {
            matches!(e, cachescope::sim::Event::Deliver(id)
                if w.net.iter().any(|m| m.id == *id && m.payload.to_string().starts_with("row v1")))
        });
        let writer_busy = w
            .clients
            .iter()
            .any(|c| c.id.to_string() == "writer" && c.busy.is_some());
        let pick = match reader_reply {
            Some(e) if writer_busy || w.db().read(cachescope::sim::Key(1)).0 == 1 => {
                // hold the reader's row back while the writer has work
                en.iter().copied().find(|x| *x != e).unwrap_or(e)
            }
            _ => en[0],
        };
        run.fire(pick).unwrap();
        if Invariant::CacheMatchesDb.check(run.world()).is_err() {
            broke = true;
            break;
        }
    }
    assert!(broke, "{}", run.trace());
    let q = link::query(&run);
    assert!(q.len() < 300, "{q}");
    let l = link::load(&q);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.run.world(), run.world());
}

#[test]
fn the_form_says_when_it_does_not_use_what_was_typed() {
    use cachescope::sim::sandbox::{read_count, read_ttl, MAX_TTL_MS};
    let r = read_count("99", "readers", MAX_READERS, 2);
    assert_eq!(r.value, 4);
    assert_eq!(
        r.note.as_deref(),
        Some("99 readers: the sandbox takes at most 4, so it uses 4.")
    );
    let r = read_count("0", "keys", 8, 3);
    assert_eq!((r.value, r.note.is_some()), (1, true));
    assert!(r.note.unwrap().contains("at least 1"));
    let r = read_count("three", "writers", 4, 3);
    assert_eq!(r.value, 3, "text that is not a number keeps the value");
    assert!(r
        .note
        .unwrap()
        .contains("\"three\" is not a whole number of writers: still 3"));
    // a number too big for a u8 is still a number: clamped, and said
    let r = read_count("300", "readers", 4, 1);
    assert_eq!(r.value, 4);
    assert!(r.note.unwrap().starts_with("300 readers"));
    assert_eq!(
        read_count(" 3 ", "readers", 4, 1),
        sandbox::FieldRead {
            value: 3,
            note: None
        }
    );

    assert_eq!(read_ttl("", Some(300)).value, None);
    assert_eq!(read_ttl("", Some(300)).note, None);
    assert_eq!(read_ttl("250", None).value, Some(250));
    let r = read_ttl("999999999", Some(300));
    assert_eq!(r.value, Some(MAX_TTL_MS));
    assert!(r.note.unwrap().contains("at most 100000 ms"));
    let r = read_ttl("0", None);
    assert_eq!(r.value, Some(1));
    let r = read_ttl("5s", Some(300));
    assert_eq!(r.value, Some(300));
    assert!(r.note.unwrap().contains("still 300 ms"));
}

use cachescope::sim::sandbox::MAX_READERS;

/// One reader, one writer, one key, with `fixes` on the event-invalidation sandbox's
/// at-most-once bus: the consumer crashes before anything happens and is restarted by
/// hand after the run has ended.
fn consumer_down_while_the_write_publishes(fixes: &[&str]) -> Run {
    use cachescope::sim::{Event, Fault, NodeId};
    let spec = SandboxSpec::new(Pattern::EventInvalidation);
    let s = spec.scenario();
    let mut run = Run::new_sandbox(spec, Fixes::parse(s, fixes.iter().copied()).unwrap(), 1);
    run.fire(Event::Fault(Fault::Crash(NodeId::CONSUMER)))
        .unwrap();
    run.run_to_end();
    run.fire(Event::Fault(Fault::Restart(NodeId::CONSUMER)))
        .unwrap();
    run.run_to_end();
    run
}

#[test]
fn the_event_fixes_offered_in_the_sandbox_do_what_they_say() {
    for p in [Pattern::EventInvalidation, Pattern::Hybrid, Pattern::Outbox] {
        let ids: Vec<&str> = sandbox::scenario(p).fixes.iter().map(|f| f.id).collect();
        for fix in ["durable-bus", "idempotent-consumer", "versioned-events"] {
            assert!(ids.contains(&fix), "{} offers {fix}", p.id());
        }
        assert!(
            !ids.contains(&"retry-dlq"),
            "no poison event: retries never act"
        );
    }
    // durable-bus: the event published while the consumer was down waits in the log.
    let lost = consumer_down_while_the_write_publishes(&[]);
    assert!(
        Invariant::NoLostEvent.check(lost.world()).is_err(),
        "{}",
        lost.trace()
    );
    assert!(Invariant::CacheMatchesDb.check(lost.world()).is_err());
    let kept = consumer_down_while_the_write_publishes(&["durable-bus"]);
    assert!(
        Invariant::NoLostEvent.check(kept.world()).is_ok(),
        "{}",
        kept.trace()
    );
    assert!(
        Invariant::CacheMatchesDb.check(kept.world()).is_ok(),
        "{}",
        kept.trace()
    );

    // idempotent-consumer: a doubled delivery is acknowledged without a second delete;
    // without it the consumer deletes again. Either way the cache ends right.
    let doubled = |fixes: &[&str]| {
        use cachescope::sim::{Event, Fault};
        let spec = SandboxSpec::new(Pattern::EventInvalidation);
        let s = spec.scenario();
        let mut run = Run::new_sandbox(spec, Fixes::parse(s, fixes.iter().copied()).unwrap(), 1);
        for _ in 0..200 {
            let w = run.world();
            let to_consumer = w
                .net
                .iter()
                .find(|m| m.to == cachescope::sim::NodeId::CONSUMER && m.payload.kind() == "event");
            if let Some(m) = to_consumer {
                let id = m.id;
                run.fire(Event::Fault(Fault::Duplicate(id))).unwrap();
                break;
            }
            assert!(run.forward(), "an event reaches the consumer");
        }
        run.run_to_end();
        run
    };
    let plain = doubled(&[]);
    let narration: String = plain
        .records()
        .iter()
        .map(|r| r.narration.clone())
        .collect();
    assert!(
        narration.contains("deletes user:1 again: harmless"),
        "{narration}"
    );
    let idem = doubled(&["idempotent-consumer"]);
    let narration: String = idem.records().iter().map(|r| r.narration.clone()).collect();
    assert!(narration.contains("(idempotent consumer"), "{narration}");
    assert!(!narration.contains("deletes user:1 again"), "{narration}");
    for run in [&plain, &idem] {
        for inv in run.scenario.invariants {
            assert!(
                inv.check(run.world()).is_ok(),
                "{}: {}",
                inv.name(),
                run.trace()
            );
        }
    }

    // versioned-events and idempotent-consumer never change how a run in the rules'
    // order ends: the consumer deletes, and a delete is harmless to repeat.
    for spec in specs().into_iter().filter(|s| s.pattern.has_bus()) {
        let s = spec.scenario();
        let end = |fixes: &[&str]| {
            let mut r = Run::new_sandbox(
                spec.clone(),
                Fixes::parse(s, fixes.iter().copied()).unwrap(),
                1,
            );
            r.run_to_end();
            let w = r.world();
            (
                s.invariants
                    .iter()
                    .map(|i| i.check(w).is_ok())
                    .collect::<Vec<_>>(),
                cachescope::sim::view::View::of(w, s).cache,
            )
        };
        let none = end(&[]);
        assert_eq!(end(&["idempotent-consumer"]), none, "{}", spec.code());
        assert_eq!(end(&["versioned-events"]), none, "{}", spec.code());
    }
}
