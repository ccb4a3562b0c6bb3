//! The faults of memory pressure and subscriptions (`fault/pressure.rs`,
//! `fault/subscription.rs`): `evict` drops one cached key as Redis under `maxmemory`
//! does, counted by `evictions`; `disconnect` breaks a consumer's subscription to the
//! bus until `resubscribe` (Redis Pub/Sub: what is published meanwhile is lost for it;
//! Kafka: it resumes from its committed offset). Their buttons, words and run codes.
use cachescope::sim::books::Metric;
use cachescope::sim::codec;
use cachescope::sim::view::View;
use cachescope::sim::world::Event;
use cachescope::sim::{scenarios, Fault, Fixes, Invariant, NodeId, Run};

fn run(id: &str, fixes: &[&str]) -> Run {
    let s = scenarios::find(id).unwrap();
    Run::with_default_seed(s, Fixes::parse(s, fixes.iter().copied()).unwrap())
}

const CONSUMER: NodeId = NodeId::CONSUMER;

/// Steps forward until `pred` holds of the world; false if the run ended first.
fn until(r: &mut Run, pred: impl Fn(&Run) -> bool) -> bool {
    while !pred(r) {
        if !r.forward() {
            return false;
        }
    }
    true
}

fn evicts(r: &Run) -> Vec<Fault> {
    r.world()
        .faults()
        .into_iter()
        .filter_map(|e| e.fault())
        .filter(|f| matches!(f, Fault::Evict { .. }))
        .collect()
}

/// The first key the cache node holds (the run has cached one: `evicts` offered it).
fn first_cached(r: &Run) -> cachescope::sim::Key {
    r.world()
        .cache()
        .entries
        .iter()
        .next()
        .map(|(k, _)| *k)
        .expect("a cached key")
}

#[test]
fn an_eviction_drops_the_key_counts_it_and_says_so() {
    let mut r = run("cache-aside-read", &[]);
    assert!(
        until(&mut r, |r| !evicts(r).is_empty()),
        "a key gets cached"
    );
    let key = first_cached(&r);
    let fault = Fault::Evict {
        cache: NodeId::CACHE,
        key,
    };
    assert_eq!(evicts(&r), vec![fault]);
    assert_eq!((fault.name(), fault.target()), ("evict", key.to_string()));
    assert_eq!(fault.cache_node(), Some(NodeId::CACHE));
    assert_eq!(fault.to_string(), format!("evict {key} from cache"));
    let held = r.world().cache().entries.get(&key).unwrap().version;
    let rec = r.fire(Event::Fault(fault)).unwrap().clone();
    assert!(r.world().cache().entries.get(&key).is_none());
    assert_eq!(r.world().metrics.evictions, 1);
    assert_eq!(rec.outcome, format!("evicted {key}"));
    assert!(
        rec.narration
            .contains(&format!("evicts {key} = {held} to make room"))
            && rec.narration.contains("Redis")
            && rec.narration.contains("maxmemory"),
        "{}",
        rec.narration
    );
    // The metric shows once a key was evicted, though the scenario does not list it.
    let v = View::of(r.world(), r.scenario);
    let m = v
        .metrics
        .iter()
        .find(|m| m.name == "evictions")
        .expect("shown");
    assert_eq!(m.value, 1);
    assert!(!r.scenario.metrics.contains(&Metric::Evictions));
    assert_eq!(
        cachescope::sim::scenario::rules::metric("evictions"),
        Some(Metric::Evictions)
    );
    // A read of the key now misses and loads it again: the run still ends well.
    r.run_to_end();
    assert!(Invariant::CacheMatchesDb.check(r.world()).is_ok());
}

#[test]
fn the_eviction_button_carries_the_key_and_the_cache() {
    let mut r = run("cache-aside-read", &[]);
    assert!(until(&mut r, |r| !evicts(r).is_empty()));
    let html = cachescope::ui::lists::faults(&View::of(r.world(), r.scenario), None);
    let key = first_cached(&r);
    assert!(
        html.contains(&format!(
            "data-fault=\"evict\" data-target=\"{key}\" data-cache=\"cache\""
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(">evict {key} from cache<")),
        "{html}"
    );
}

#[test]
fn an_eviction_travels_in_the_run_code_and_the_file() {
    let mut r = run("cache-aside-read", &[]);
    assert!(until(&mut r, |r| !evicts(r).is_empty()));
    let fault = evicts(&r)[0];
    r.fire(Event::Fault(fault)).unwrap();
    r.run_to_end();
    let choices = r.choices();
    let code = codec::encode_run(&r);
    assert_eq!(codec::decode(&r, &code).unwrap(), choices);
    let spec = codec::RunSpec::of(&r);
    let json = codec::to_json(&spec);
    assert!(json.contains(&format!("\"{fault}\"")), "{json}");
    let again = codec::from_json(&json).unwrap().to_run().unwrap();
    assert_eq!(again.trace(), r.trace());
}

fn disconnect_offered(r: &Run) -> bool {
    r.world()
        .faults()
        .contains(&Event::Fault(Fault::Disconnect(CONSUMER)))
}

#[test]
fn a_pub_sub_subscriber_that_disconnects_misses_what_is_published_meanwhile() {
    let mut r = run("event-invalidation", &[]);
    assert!(disconnect_offered(&r));
    let rec = r
        .fire(Event::Fault(Fault::Disconnect(CONSUMER)))
        .unwrap()
        .clone();
    assert_eq!(rec.outcome, "disconnected");
    assert!(
        rec.narration.contains("Redis Pub/Sub keeps no history"),
        "{}",
        rec.narration
    );
    assert!(cachescope::sim::fault::disconnected(r.world(), CONSUMER));
    assert!(!disconnect_offered(&r));
    let v = View::of(r.world(), r.scenario);
    assert!(v.consumer.as_ref().is_some_and(|c| c.unsubscribed));
    use cachescope::ui::figure::{self, Marks};
    let svg = figure::svg(&v, &Marks::none(cachescope::ui::layout::Layout::Wide));
    assert!(svg.contains("not subscribed"), "the diagram draws it");
    r.run_to_end();
    // The write's event was pushed to nobody: the cache keeps the old value.
    assert!(Invariant::CacheMatchesDb.check(r.world()).is_err());
    assert!(r.trace().contains("=> dropped e"), "{}", r.trace());
    // The learner resubscribes: new messages only.
    let faults = r.world().faults();
    assert!(faults.contains(&Event::Fault(Fault::Resubscribe(CONSUMER))));
    r.fire(Event::Fault(Fault::Resubscribe(CONSUMER))).unwrap();
    assert!(!cachescope::sim::fault::disconnected(r.world(), CONSUMER));
    let v = View::of(r.world(), r.scenario);
    assert!(
        v.consumer.as_ref().is_some_and(|c| c.unsubscribed),
        "until it arrives"
    );
    assert!(r.forward(), "the subscribe arrives");
    let v = View::of(r.world(), r.scenario);
    assert!(v.consumer.as_ref().is_some_and(|c| !c.unsubscribed));
    let last = r.records().last().unwrap();
    assert!(
        last.narration.contains(
            "whatever was published while it was disconnected, and whatever was on its way to it when the \
             connection broke, is lost"
        ),
        "{}",
        last.narration
    );
    assert!(disconnect_offered(&r));
    r.run_to_end();
    assert!(
        Invariant::CacheMatchesDb.check(r.world()).is_err(),
        "nothing to catch up on"
    );
}

#[test]
fn a_kafka_consumer_that_disconnects_resumes_from_its_committed_offset() {
    let mut r = run("event-loss", &["durable-bus"]);
    r.fire(Event::Fault(Fault::Disconnect(CONSUMER))).unwrap();
    let rec = r.records().last().unwrap();
    assert!(
        rec.narration.contains("Kafka keeps the log"),
        "{}",
        rec.narration
    );
    r.run_to_end();
    // Nothing was delivered while it was disconnected; the event waits in the log.
    assert!(Invariant::CacheMatchesDb.check(r.world()).is_err());
    assert!(!r.world().bus().log.is_empty());
    r.fire(Event::Fault(Fault::Resubscribe(CONSUMER))).unwrap();
    r.run_to_end();
    assert!(r.trace().contains("resume"), "{}", r.trace());
    assert!(
        Invariant::CacheMatchesDb.check(r.world()).is_ok(),
        "{}",
        r.trace()
    );
    assert!(Invariant::NoLostEvent.check(r.world()).is_ok());
}

/// A scenario file's script can say when a consumer disconnects and resubscribes, and
/// when a cache evicts a key.
#[test]
fn a_script_disconnects_resubscribes_and_evicts() {
    use cachescope::sim::scenario::file;
    let text = include_str!("../src/sim/scenarios/event-invalidation.json");
    let script = r#""script": [
    { "when": [{ "in-flight": { "kind": "publish", "to": "bus" } }],
      "then": { "disconnect": "consumer" } },
    { "when": [{ "stale": "user:1" }],
      "then": { "resubscribe": "consumer" } }
  ],
  "flow":"#;
    let text = text.replacen("\"flow\":", script, 1);
    let opened = file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_scenario();
    let written = file::to_json(opened);
    assert!(
        written.contains("\"disconnect\": \"consumer\""),
        "{written}"
    );
    let mut r = Run::new(opened, Fixes::none(), opened.seed);
    r.run_to_end();
    let trace = r.trace();
    assert!(
        trace.contains("disconnect consumer => disconnected"),
        "{trace}"
    );
    assert!(
        trace.contains("resubscribe consumer => resubscribe"),
        "{trace}"
    );
    assert!(trace.contains("=> dropped e"), "{trace}");
    assert!(Invariant::CacheMatchesDb.check(r.world()).is_err());

    let evict = r#""script": [
    { "when": [{ "in-flight": { "kind": "publish", "to": "bus" } }],
      "then": { "evict": { "cache": "cache", "key": "user:1" } } }
  ],
  "flow":"#;
    let text = include_str!("../src/sim/scenarios/event-invalidation.json").replacen(
        "\"flow\":",
        evict,
        1,
    );
    let opened = file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_scenario();
    let mut r = Run::new(opened, Fixes::none(), opened.seed);
    r.run_to_end();
    assert!(
        r.trace()
            .contains("evict user:1 from cache => evicted user:1"),
        "{}",
        r.trace()
    );
    assert_eq!(r.world().metrics.evictions, 1);
}

/// A near cache (an instance's bounded in-process map) and the CDN edge evict too.
#[test]
fn a_near_cache_and_the_cdn_edge_evict_too() {
    for (id, kind, words) in [
        ("near-cache-stale", "service", "Caffeine"),
        ("cdn-purge-race", "cdn", "goes to its origin, service"),
    ] {
        let mut r = run(id, &[]);
        let pick = |r: &Run| {
            evicts(r).into_iter().find(|f| {
                f.cache_node()
                    .is_some_and(|n| n.to_string().starts_with(kind))
            })
        };
        assert!(until(&mut r, |r| pick(r).is_some()), "{id}: a copy is kept");
        let fault = pick(&r).unwrap();
        let rec = r.fire(Event::Fault(fault)).unwrap().clone();
        assert!(rec.narration.contains(words), "{id}: {}", rec.narration);
        assert_eq!(r.world().metrics.evictions, 1);
        assert!(!evicts(&r).contains(&fault), "{id}: the copy is gone");
        let html = cachescope::ui::lists::faults(&View::of(r.world(), r.scenario), None);
        assert!(!html.contains(&format!("data-event=\"{fault}\"")), "{html}");
    }
}

/// A queue with an ack per event (SQS, RabbitMQ): a disconnected consumer's ack is
/// refused, its unacknowledged event goes back in the queue (not delivered while it is
/// away), and comes again once it subscribes.
#[test]
fn a_queue_consumer_that_disconnects_gets_its_unacknowledged_event_again() {
    let mut r = run("event-duplicate-reorder", &[]);
    assert!(until(&mut r, |r| r.world().consumer().busy.is_some()));
    let rec = r
        .fire(Event::Fault(Fault::Disconnect(CONSUMER)))
        .unwrap()
        .clone();
    assert!(
        rec.narration.contains("like SQS or RabbitMQ"),
        "{}",
        rec.narration
    );
    r.run_to_end();
    let said = |r: &Run, outcome: &str| {
        r.records()
            .iter()
            .find(|x| x.outcome == outcome)
            .map(|x| x.narration.clone())
    };
    assert!(
        said(&r, "ack refused").is_some_and(|n| n.contains("RabbitMQ")),
        "{}",
        r.trace()
    );
    let requeued = r
        .records()
        .iter()
        .find(|x| x.outcome.starts_with("requeue "))
        .cloned();
    let requeued = requeued.unwrap_or_else(|| panic!("{}", r.trace()));
    assert!(
        requeued.narration.contains("not connected"),
        "{}",
        requeued.narration
    );
    assert!(
        !requeued.narration.contains("It delivers"),
        "{}",
        requeued.narration
    );
    r.fire(Event::Fault(Fault::Resubscribe(CONSUMER))).unwrap();
    r.run_to_end();
    // A queue has no offset: its words say what it does when the consumer is back.
    let resumed = r
        .records()
        .iter()
        .find(|x| x.outcome.starts_with("resume at "))
        .unwrap_or_else(|| panic!("{}", r.trace()));
    assert!(
        resumed
            .narration
            .contains("every event it holds that was not acknowledged")
            && resumed.narration.contains("RabbitMQ requeues it")
            && !resumed.narration.contains("offset"),
        "{}",
        resumed.narration
    );
    let after: Vec<_> = r
        .records()
        .iter()
        .rev()
        .take(12)
        .map(|x| x.outcome.clone())
        .collect();
    assert!(
        after.iter().any(|o| o.starts_with("received e")),
        "{after:?}"
    );
}
