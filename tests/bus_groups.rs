//! A durable bus with several consumers (issue 8): Kafka's consumer groups. The log is
//! shared; `consumer` and `consumer-2` each read it as a group of their own, with their
//! own committed offset, their own deliveries in flight and their own retries. An ack
//! commits the offset of the consumer that sent it; a consumer that crashes and
//! restarts resumes from its own committed offset (at-least-once, per consumer) while
//! the other reads on, untouched. The words name whose offset moved, true of the state.
use cachescope::sim::scenario::file;
use cachescope::sim::search::{Bounds, FaultBudget, Search, WorldModel};
use cachescope::sim::{Event, Fault, Fixes, Invariant, NodeId, Run, Scenario, World};

/// Two writes of `user:1` (events e2, e3 over the durable bus: an event is named by
/// its version); `consumer` deletes in
/// `cache`, `consumer-2` in `cache-2`, both subscribed to `bus`.
const TWO_GROUPS: &str = r#"{
  "format": "cachescope-scenario",
  "version": 1,
  "id": "two-consumer-groups",
  "title": "Two consumer groups on one durable log",
  "summary": "consumer and consumer-2 both read the bus's log, each from its own committed offset.",
  "invariants": ["cache-matches-db", "no-lost-event"],
  "settings": {
    "write_mode": "event",
    "bus": { "durable": true },
    "restart_after_ms": 40,
    "topology": [
      { "id": "cache-2" },
      { "id": "service-2", "cache": "cache-2" },
      { "id": "consumer-2", "bus": "bus", "cache": "cache-2" }
    ],
    "clients": {
      "writer": [
        { "op": "write", "key": 1, "at_ms": 0 },
        { "op": "write", "key": 1, "at_ms": 100 }
      ]
    }
  }
}"#;

fn scenario(text: &str) -> &'static Scenario {
    file::from_json(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_scenario()
}

fn id(text: &str) -> NodeId {
    NodeId::parse(text).unwrap_or_else(|| panic!("{text}"))
}

/// Each subscriber of `bus` with its committed offset.
fn offsets(w: &World) -> Vec<(NodeId, u32)> {
    w.nodes.bus(NodeId::BUS).unwrap().offsets().collect()
}

/// How many times the bus delivered an event to `to` in the run.
fn deliveries(run: &Run, to: NodeId) -> usize {
    run.records()
        .iter()
        .filter(|r| r.hop == Some((NodeId::BUS, to)))
        .count()
}

fn words(run: &Run) -> String {
    run.records()
        .iter()
        .map(|r| r.narration.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_durable_bus_with_two_consumers_runs_as_two_groups() {
    let s = scenario(TWO_GROUPS);
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let w = run.world();
    let c2 = id("consumer-2");
    // Both read every event, each once, and both offsets reach the log's end.
    assert_eq!(w.nodes.bus(NodeId::BUS).unwrap().log.len(), 2);
    assert_eq!(offsets(w), vec![(NodeId::CONSUMER, 2), (c2, 2)]);
    assert_eq!(deliveries(&run, NodeId::CONSUMER), 2, "{}", run.trace());
    assert_eq!(deliveries(&run, c2), 2, "{}", run.trace());
    for inv in [Invariant::CacheMatchesDb, Invariant::NoLostEvent] {
        assert_eq!(inv.check(w), Ok(()), "{}", run.trace());
    }
    // The words say whose offset moved, and each is true of the state after.
    let said = words(&run);
    assert!(
        said.contains(
            "reading it removes nothing (a log keeps its events for its retention period, read or not), and \
             each of consumer and consumer-2 reads it as its own consumer group, from its own committed offset"
        ),
        "{said}"
    );
    for (i, r) in run.records().iter().enumerate() {
        let text = r.narration.to_string();
        let after = run.state(i + 1).expect("the state after the step");
        for (who, at) in offsets(after) {
            let claim = format!("commits {who}'s offset, now ");
            if let Some(rest) = text.split(&claim).nth(1) {
                let n: u32 = rest
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert_eq!(n, at, "step {i}: {text}");
            }
        }
    }
    assert!(
        said.contains("commits consumer-2's offset, now 2"),
        "{said}"
    );
    assert!(said.contains("commits consumer's offset, now 2"), "{said}");
}

/// consumer-2 crashes while it handles the first event, e2 (delivered, not
/// acknowledged); consumer acknowledges e2 meanwhile. After its restart consumer-2
/// resumes from its own committed offset, 0: e2 comes to it again (at-least-once),
/// then e3, and consumer is sent nothing twice.
#[test]
fn a_consumer_that_restarts_rereads_from_its_own_offset_while_the_other_is_unaffected() {
    let s = scenario(TWO_GROUPS);
    let c2 = id("consumer-2");
    let mut run = Run::new(s, Fixes::none(), s.seed);
    // On the scenario's own order until consumer-2 is handling e2.
    let mut guard = 0;
    while run.world().nodes.consumer(c2).unwrap().busy.is_none() {
        assert!(run.forward(), "consumer-2 handles e1\n{}", run.trace());
        guard += 1;
        assert!(guard < 200);
    }
    let handling = run.world().nodes.consumer(c2).unwrap().busy.unwrap().0.id;
    run.fire(Event::Fault(Fault::Crash(c2))).unwrap();
    let at_crash = offsets(run.world());
    assert_eq!(
        at_crash[1],
        (c2, 0),
        "consumer-2 never acknowledged {handling}"
    );
    // The bus's box in the diagram shows every group's committed offset, not only the
    // first consumer's: its note says how many groups, a line each says its offset.
    let view = cachescope::sim::view::View::of(run.world(), s);
    let bus_note = &view
        .nodes
        .iter()
        .find(|n| n.id == NodeId::BUS)
        .expect("the bus is drawn")
        .note;
    assert_eq!(
        bus_note,
        &format!("log of {}, 2 groups", run.world().bus().log.len())
    );
    assert_eq!(view.bus_groups, at_crash);
    let lines: Vec<String> = cachescope::ui::layout::lines(&view, NodeId::BUS)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(
        lines[..2],
        [
            format!("consumer: offset {}", at_crash[0].1),
            "consumer-2: offset 0".to_string()
        ],
        "{lines:?}"
    );
    run.run_to_end();
    let w = run.world();
    // consumer-2 came back and caught up from offset 0: e2 twice, then e3.
    assert!(w.is_up(c2), "{}", run.trace());
    assert_eq!(
        offsets(w),
        vec![(NodeId::CONSUMER, 2), (c2, 2)],
        "{}",
        run.trace()
    );
    assert_eq!(deliveries(&run, c2), 3, "{}", run.trace());
    assert_eq!(deliveries(&run, NodeId::CONSUMER), 2, "{}", run.trace());
    for inv in [Invariant::CacheMatchesDb, Invariant::NoLostEvent] {
        assert_eq!(inv.check(w), Ok(()), "{}", run.trace());
    }
    // The resume is consumer-2's, from its own offset; consumer's stays where it was.
    let said = words(&run);
    let resumed = said
        .lines()
        .find(|l| l.starts_with("consumer-2 reconnects"))
        .unwrap_or_else(|| panic!("consumer-2 resumes\n{said}"));
    assert!(
        resumed.contains("resumes from consumer-2's committed offset 0, with 1 event"),
        "{resumed}\n{}",
        run.trace()
    );
    let resumed_at = run
        .records()
        .iter()
        .position(|r| r.narration.starts_with("consumer-2 reconnects"))
        .unwrap();
    let before = offsets(run.state(resumed_at).unwrap());
    let after = offsets(run.state(resumed_at + 1).unwrap());
    assert_eq!(before[0], after[0], "consumer's offset does not move");
    assert_eq!(after[1], (c2, 0));
    // The trace shows consumer-2's resubscription as the step it is.
    assert!(
        run.trace()
            .contains("consumer-2->bus: subscribe => resume at 0"),
        "{}",
        run.trace()
    );
}

/// One write, one event, the same two groups: small enough to search exhaustively.
fn one_write() -> &'static Scenario {
    scenario(&TWO_GROUPS.replace(
        r#",
        { "op": "write", "key": 1, "at_ms": 100 }"#,
        "",
    ))
}

/// The search explores the two groups. Every interleaving without faults completes
/// with no invariant broken. With one crash of any node at any moment (consumer-2 or
/// consumer mid-event among them) it completes too, and `cache-matches-db` never
/// breaks: a consumer that crashes re-reads from its own offset. The one property
/// that breaks is `no-lost-event`, by the dual write (the service crashes between its
/// commit and its publish, before the bus is involved), not by a consumer group. The
/// counts are pinned as the model's fingerprint of this topology.
#[test]
fn the_search_explores_two_consumer_groups() {
    let s = one_write();
    let run = Run::new(s, Fixes::none(), s.seed);
    let mut counts = Vec::new();
    for budget in [
        FaultBudget::NONE,
        FaultBudget {
            extra: 1,
            kinds: &["crash"],
        },
    ] {
        let model = WorldModel::new(&run, budget).with_time_shift();
        let report = Search::new(model, Bounds::default())
            .with_sleep_sets()
            .run();
        assert!(report.complete, "the search completes");
        for v in &report.violations {
            let replayed = run.replayed(&v.path).unwrap();
            let crashed = v.path.iter().find_map(|e| match e {
                Event::Fault(Fault::Crash(n)) => Some(*n),
                _ => None,
            });
            assert_eq!(crashed, Some(NodeId::SERVICE), "{}", replayed.trace());
            assert!(
                !replayed.trace().contains("publish e"),
                "the event was never published\n{}",
                replayed.trace()
            );
        }
        let broken: Vec<&str> = report.violations.iter().map(|v| v.name).collect();
        counts.push((report.states, report.ends, broken));
    }
    // 5,433 states with a crash before session 24: the books count an event delivered
    // once the cache applied the consumer's delete (not once the consumer read the
    // reply) and keep which event each of its deletes on the network applies, so a
    // crash of a consumer between the two leaves a state of its own; the same verdict.
    assert_eq!(
        counts,
        vec![(100, 1, vec![]), (5_441, 7, vec!["no-lost-event"])],
        "states, ends, broken"
    );
}

/// With two groups an event is done only when both have committed past it (review
/// session 11, F12): after the first group's ack the words said "Only now is e2 done
/// with", and the log's row said "acked" (the first group's state) while consumer-2
/// had not acknowledged it. Now the ack says which group is done and what each other
/// group's offset is, and the row shows each group's state; both read from the state.
#[test]
fn an_ack_says_which_group_is_done_and_the_rows_show_each_group() {
    let s = scenario(TWO_GROUPS);
    let c2 = id("consumer-2");
    let mut run = Run::new(s, Fixes::none(), s.seed);
    // consumer-2 crashes while it handles e2; consumer acknowledges it meanwhile.
    while run.world().nodes.consumer(c2).unwrap().busy.is_none() {
        assert!(run.forward(), "{}", run.trace());
    }
    run.fire(Event::Fault(Fault::Crash(c2))).unwrap();
    run.run_to_end();
    let mut first_only = 0;
    let mut every = 0;
    for (i, r) in run.records().iter().enumerate() {
        let text = &r.narration;
        let after = run.state(i + 1).unwrap();
        let bus = after.nodes.bus(NodeId::BUS).unwrap();
        // Each row of the log, in the view, names each group's own state of it.
        let view = cachescope::sim::view::View::of(after, s);
        for (at, b) in view.bus.iter().enumerate() {
            let each: Vec<(NodeId, &str)> = bus
                .offsets()
                .enumerate()
                .map(|(g, (c, _))| (c, bus.entry(g, at).unwrap().0.name()))
                .collect();
            assert_eq!(b.by_group, each, "step {}", i + 1);
            let words = b.state_words();
            if each.iter().any(|(_, st)| *st != each[0].1) {
                for (c, st) in &each {
                    assert!(words.contains(&format!("{st} ")), "{words}");
                    assert!(words.contains(&c.to_string()), "{words}");
                }
            }
        }
        let Some(rest) = text.split("commits ").nth(1) else {
            continue;
        };
        assert!(!text.contains("Only now is e"), "step {}: {text}", i + 1);
        let offsets: Vec<(NodeId, u32)> = bus.offsets().collect();
        if let Some((who, _)) = offsets
            .iter()
            .find(|(c, _)| rest.starts_with(&format!("{c}'s offset")))
        {
            let others: Vec<&(NodeId, u32)> = offsets.iter().filter(|(c, _)| c != who).collect();
            // "consumer acknowledged e2: the bus commits ..."
            let ev_at = text
                .split("acknowledged ")
                .nth(1)
                .and_then(|r| r.split(':').next())
                .and_then(|e| bus.log.iter().position(|l| l.ev.id.to_string() == e));
            let Some(ev_at) = ev_at else { continue };
            let behind = others.iter().any(|(_, at)| *at as usize <= ev_at);
            if behind {
                first_only += 1;
                for (c, at) in others.iter().filter(|(_, at)| *at as usize <= ev_at) {
                    assert!(
                        text.contains(&format!("{c}'s group is not: its committed offset is {at}")),
                        "step {}: {text}",
                        i + 1
                    );
                }
            } else {
                every += 1;
                assert!(
                    text.contains("every group has now committed past"),
                    "{text}"
                );
            }
        }
    }
    assert!(
        first_only > 0,
        "an ack while the other group is behind\n{}",
        run.trace()
    );
    assert!(
        every > 0,
        "an ack that completes every group\n{}",
        run.trace()
    );
}
