//! Faults are events: a learner (or a scenario's script) injects them, they show in the
//! trace and replay like any other step, and they never drive a run by themselves.
use cachescope::sim::view::View;
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fault, Fixes, Invariant, NodeId, NodeStatus, Run};

fn run(id: &str, fixes: &[&str]) -> Run {
    let s = scenarios::find(id).unwrap();
    Run::with_default_seed(s, Fixes::parse(s, fixes.iter().copied()).unwrap())
}

#[test]
fn faults_are_offered_but_never_enabled() {
    for s in scenarios::ALL.iter() {
        let mut r = Run::with_default_seed(s, Fixes::none());
        loop {
            let w = r.world();
            assert!(
                w.enabled().iter().all(|e| e.fault().is_none()),
                "{}: faults are not in enabled",
                s.id
            );
            assert!(w.earliest().is_none_or(|e| e.fault().is_none()));
            for f in w.faults() {
                assert!(w.is_enabled(f), "{}: an offered fault can be fired", s.id);
            }
            if !r.forward() {
                break;
            }
        }
        assert!(
            r.at_end(),
            "{}: a run with only faults possible has ended",
            s.id
        );
    }
}

#[test]
fn the_view_lists_exactly_the_nodes_the_scenario_uses() {
    let nodes = |id: &str| -> Vec<String> {
        let r = run(id, &[]);
        View::of(r.world(), r.scenario)
            .nodes
            .iter()
            .map(|n| n.id.to_string())
            .collect()
    };
    assert_eq!(
        nodes("cache-aside-read"),
        ["reader", "service", "cache", "db"]
    );
    assert_eq!(
        nodes("outbox"),
        ["reader", "writer", "service", "cache", "db", "bus", "relay", "consumer"]
    );
    assert_eq!(
        nodes("write-behind"),
        ["reader", "writer", "service", "cache", "db", "flusher"]
    );
    assert_eq!(
        nodes("stampede"),
        ["reader", "reader-2", "reader-3", "reader-4", "reader-5", "service", "cache", "db"]
    );
}

#[test]
fn a_crashed_cache_loses_its_memory_and_comes_back_empty() {
    let mut r = run("cache-aside-read", &[]);
    r.seek(9); // the first read is answered: the cache holds v1
    assert!(!r.world().cache().entries.is_empty());
    r.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    let view = View::of(r.world(), r.scenario);
    let cache = view.nodes.iter().find(|n| n.id == NodeId::CACHE).unwrap();
    assert_eq!(cache.status, NodeStatus::Down);
    assert!(view.cache.is_empty(), "its entries are gone");
    assert!(view
        .faults
        .iter()
        .any(|f| f.fault == "restart" && f.target == "cache"));
    // the second read's get is lost at the dead cache: the reader waits for ever
    r.run_to_end();
    assert!(r.trace().contains("lost: node down"));
    let mut again = run("cache-aside-read", &[]);
    for e in r.choices() {
        again.fire(e).unwrap();
    }
    assert_eq!(
        again.trace(),
        r.trace(),
        "a run with faults replays from its choices"
    );
}

#[test]
fn restart_by_hand_brings_a_node_back() {
    let mut r = run("cache-aside-read", &[]);
    r.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    r.fire(Event::Fault(Fault::Restart(NodeId::CACHE))).unwrap();
    r.run_to_end();
    assert_eq!(r.world().metrics.db_reads, 1);
    assert!(Invariant::CacheMatchesDb.check(r.world()).is_ok());
}

#[test]
fn drop_delay_duplicate_and_pause() {
    let mut r = run("cache-aside-read", &[]);
    r.forward(); // the reader's request is in flight
    let m = r.world().net[0].id;
    r.fire(Event::Fault(Fault::Duplicate(m))).unwrap();
    assert_eq!(r.world().net.len(), 2);
    r.fire(Event::Fault(Fault::Delay(m))).unwrap();
    assert_eq!(
        r.world().net.last().unwrap().id,
        m,
        "a delayed message goes to the back"
    );
    r.fire(Event::Fault(Fault::Drop(m))).unwrap();
    assert_eq!(r.world().net.len(), 1);
    r.fire(Event::Fault(Fault::Pause(NodeId::SERVICE))).unwrap();
    assert!(
        r.world()
            .enabled()
            .iter()
            .all(|e| !matches!(e, Event::Deliver(_))),
        "a paused node receives nothing"
    );
    r.fire(Event::Fault(Fault::Resume(NodeId::SERVICE)))
        .unwrap();
    r.run_to_end();
    assert_eq!(r.world().metrics.db_reads, 1);
}

/// A message dropped, delayed or duplicated is the network's act, not its receiver's:
/// the trace and the narration's tag say `network`, and no node is the step's actor
/// to light (review session 12 V5, session 13 W12). A crash is its node's.
#[test]
fn the_network_acts_on_a_message_and_a_node_on_a_crash() {
    let mut r = run("event-invalidation", &[]);
    r.seek(15);
    let m = r.world().net[0].id;
    let to = r.world().net[0].to;
    for fault in [Fault::Duplicate(m), Fault::Delay(m), Fault::Drop(m)] {
        let rec = r.fire(Event::Fault(fault)).unwrap().clone();
        assert!(fault.by_network());
        assert_eq!(fault.actor(r.state(r.cursor() - 1).unwrap()), Some(to));
        assert_eq!(rec.acting(), None, "{fault}: no node acts");
        assert_eq!(rec.who(), "network");
        assert!(
            rec.to_string().contains(&format!("network: {fault} => ")),
            "{rec}"
        );
        assert!(
            rec.narration.starts_with("The network "),
            "{}",
            rec.narration
        );
    }
    let rec = r
        .fire(Event::Fault(Fault::Crash(NodeId::CACHE)))
        .unwrap()
        .clone();
    assert_eq!(rec.acting(), Some(NodeId::CACHE));
    assert_eq!(rec.who(), "cache");
    assert!(rec.to_string().contains("cache: crash cache => "), "{rec}");
}

#[test]
fn a_fault_that_is_not_offered_is_refused() {
    let mut r = run("cache-aside-read", &[]);
    assert!(
        r.fire(Event::Fault(Fault::Restart(NodeId::CACHE))).is_err(),
        "the cache is up"
    );
    assert!(
        r.fire(Event::Fault(Fault::Crash(NodeId::Reader(1))))
            .is_err(),
        "clients are not crashed"
    );
    assert!(
        r.fire(Event::Fault(Fault::Crash(NodeId::BUS))).is_err(),
        "no bus in this scenario"
    );
}

#[test]
fn at_most_once_bus_holds_nothing_durable_bus_holds_its_log() {
    let mut plain = run("event-loss", &[]);
    plain.run_to_end();
    let v = View::of(plain.world(), plain.scenario);
    assert!(v.bus.is_empty());
    assert_eq!(v.bus_durable, Some(false));
    let mut durable = run("event-loss", &["durable-bus"]);
    durable.run_to_end();
    let v = View::of(durable.world(), durable.scenario);
    assert_eq!(v.bus.len(), 1);
    assert_eq!(v.bus[0].event_id, "e2");
    assert_eq!(v.bus[0].key, "user:1");
    assert_eq!(v.bus[0].version, 2);
    assert!(v.bus[0].committed);
    assert_eq!(v.bus_offset, Some(1));
}

#[test]
fn write_behind_queue_is_in_the_view() {
    let s = scenarios::find("write-behind").unwrap();
    let mut r = Run::with_default_seed(s, Fixes::none());
    let mut seen = 0;
    while r.forward() {
        seen = seen.max(View::of(r.world(), s).queue.len());
    }
    assert_eq!(
        seen, 3,
        "user:1 (coalesced), user:2 and user:3 wait in the queue"
    );
    assert!(View::of(r.world(), s).queue.is_empty());
}
