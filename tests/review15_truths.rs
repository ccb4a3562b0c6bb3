//! Sentences the session-15 review of the built page found false of their trace after
//! the faults `evict`, `disconnect` and `resubscribe`, each at the reviewer's own
//! reproduction: the scenario at step 0, stepped to N, the fault injected (it becomes
//! step N+1), then run to the end; with the state that contradicted the sentence.
//! The class of Y2, Y4 to Y6 over every scenario: review15_endings.rs.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::{Event, Fault, Key, NodeId, Run};
use review::ending;

/// `id` with `fixes`, stepped `n` times, then the fault offered now that `pick`
/// chooses, fired as step n+1.
fn at(id: &str, fixes: &[&str], n: usize, pick: impl Fn(&Fault) -> bool) -> Run {
    let mut run = common::start(id, fixes);
    for _ in 0..n {
        assert!(run.forward(), "{id}: the run ended before step {n}");
    }
    let fault = run
        .world()
        .faults()
        .into_iter()
        .filter_map(|e| e.fault())
        .find(|f| pick(f))
        .unwrap_or_else(|| panic!("{id}: no such fault offered at step {n}"));
    run.fire(Event::Fault(fault)).unwrap();
    run
}

/// `at`, then run to the end.
fn injected(id: &str, fixes: &[&str], n: usize, pick: impl Fn(&Fault) -> bool) -> Run {
    let mut run = at(id, fixes, n, pick);
    run.run_to_end();
    run
}

fn disconnect(f: &Fault) -> bool {
    matches!(f, Fault::Disconnect(_))
}

fn evict_from(cache: &'static str) -> impl Fn(&Fault) -> bool {
    move |f| matches!(f, Fault::Evict { cache: c, .. } if c.to_string() == cache)
}

/// Every step's narration from step `from` (1-based, as the page numbers them) on.
fn said_from(run: &Run, from: usize) -> Vec<&str> {
    run.records()[from - 1..]
        .iter()
        .map(|r| r.narration.as_str())
        .collect()
}

const CONSUMER: NodeId = NodeId::CONSUMER;

fn unsubscribed(run: &Run) -> bool {
    let w = run.world();
    w.is_up(CONSUMER) && cachescope::sim::fault::disconnected(w, CONSUMER)
}

/// Y1: a consumer whose subscription broke runs (the node shows "not subscribed"); the
/// bus's words said it was down.
#[test]
fn y1_a_disconnected_consumer_is_not_subscribed_not_down() {
    let run = injected("event-invalidation", &[], 14, disconnect);
    assert!(unsubscribed(&run));
    let step16 = &run.records()[15].narration;
    assert!(step16.contains("The bus pushes e2"), "{step16}");
    assert!(!step16.contains("it is down"), "{step16}");
    assert!(
        step16.contains(
            "the consumer is not one of them: its subscription broke, and it is not subscribed"
        ),
        "{step16}"
    );
    let run = injected("event-loss", &["durable-bus"], 9, disconnect);
    assert!(unsubscribed(&run));
    let step16 = &run.records()[15].narration;
    assert!(step16.contains("appends e2"), "{step16}");
    assert!(!step16.contains("The consumer is down"), "{step16}");
    assert!(
        step16.contains(
            "The consumer is not subscribed (its subscription broke): the event waits in the log until it \
             subscribes again."
        ),
        "{step16}"
    );
    // The story's consumer crashed: it is down, and said so.
    let mut story = common::start("event-loss", &["durable-bus"]);
    story.run_to_end();
    assert!(common::said_at(&story, "service->bus: publish")
        .contains("The consumer is down: the event waits in the log."));
}

/// Y2: the scripted crash no longer happens after the disconnect, so the event was not
/// "published while the consumer was down": the run took another path, and its ending
/// names the broken subscription and what it holds back.
#[test]
fn y2_a_disconnect_is_not_told_as_the_scripted_crash() {
    let run = injected("event-loss", &[], 8, disconnect);
    assert_eq!(run.world().books.crashes_of(CONSUMER), 0);
    assert!(unsubscribed(&run));
    let text = ending(&run);
    assert!(!text.contains("while the consumer was down"), "{text}");
    assert!(text.starts_with("This run took another path"), "{text}");
    assert!(
        text.contains(
            "The consumer's subscription to the bus broke and it has not subscribed again: whatever the bus \
             publishes until it subscribes is not pushed to it, and is lost for it for good (at-most-once)."
        ),
        "{text}"
    );
    let run = injected("event-loss", &["durable-bus"], 5, disconnect);
    assert_eq!(run.world().books.crashes_of(CONSUMER), 0);
    let text = ending(&run);
    assert!(text.starts_with("This run took another path"), "{text}");
    assert!(
        text.contains(
            "The consumer's subscription to the bus broke and it has not subscribed again: e2 waits for it in the \
             bus's log, undelivered until it subscribes again."
        ),
        "{text}"
    );
    // The story keeps its ending.
    let mut story = common::start("event-loss", &[]);
    story.run_to_end();
    assert!(ending(&story).contains("published while the consumer was down"));
}

/// Y3: the eviction came while the set of v2 was on its way; it landed, and the next
/// read hit.
#[test]
fn y3_an_eviction_with_a_set_on_its_way_does_not_promise_a_miss() {
    let run = at("write-through", &[], 9, evict_from("cache"));
    let said = &run.records().last().unwrap().narration;
    assert!(
        !said.contains("The next read of user:1 from cache misses"),
        "{said}"
    );
    assert!(
        said.contains(
            "A set of user:1 = v2 is already on its way to cache: a read before it lands misses and goes to the \
             database; one after it lands hits, if cache takes the set."
        ),
        "{said}"
    );
    let mut run = run;
    run.run_to_end();
    let after: Vec<String> = run.records()[10..].iter().map(|r| r.to_string()).collect();
    let stored = after
        .iter()
        .position(|l| l.contains("stored v2"))
        .expect("the set lands");
    let next_get = after
        .iter()
        .position(|l| l.contains("service->cache: get"))
        .expect("a read");
    assert!(stored < next_get, "{after:#?}");
    assert!(after[next_get].contains("hit v2"), "{after:#?}");
    // With no set on its way, the miss is promised.
    let run = at("write-through", &[], 12, evict_from("cache"));
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains("The next read of user:1 from cache misses and goes to the database."),
        "{said}"
    );
}

/// Y4: with client tracking, the eviction of user:1 from the cache node pushed the
/// invalidation (step 11), and the writer's delete found nothing tracked; the ending
/// said the push came with the delete.
#[test]
fn y4_the_tracking_push_of_an_eviction_is_not_told_as_the_delete_s() {
    for cache in ["cache", "service-2"] {
        let run = injected(
            "near-cache-stale",
            &["client-tracking"],
            9,
            evict_from(cache),
        );
        assert!(run.world().books.saw(Happened::Evicted(Key(1))));
        let text = ending(&run);
        assert!(
            !text.contains("when the writer's delete reached it"),
            "{cache}: {text}"
        );
        assert!(
            text.contains(
                "Memory pressure also evicted a copy of user:1 in this run (1 eviction)."
            ),
            "{cache}: {text}"
        );
    }
    let run = injected(
        "near-cache-stale",
        &["client-tracking"],
        9,
        evict_from("cache"),
    );
    let evicted = &run.records()[9].narration;
    assert!(
        evicted.contains(
            "With client tracking, an eviction is a change like a delete: the cache node pushes an invalidation \
             of user:1 to service-2"
        ),
        "{evicted}"
    );
    let delete = common::said_at(&run, "service->cache: del");
    assert!(!delete.contains("pushes an invalidation"), "{delete}");
    // The story: the delete pushes, and the ending says so.
    let mut story = common::start("near-cache-stale", &["client-tracking"]);
    story.run_to_end();
    assert!(ending(&story).contains("when the writer's delete reached it"));
}

/// Y5: evicted before the write, the cache was never stale and the consumer's delete
/// removed nothing; evicted after the commit, the eviction ended the staleness.
#[test]
fn y5_an_eviction_not_the_consumer_s_delete_is_named_where_it_ended_the_staleness() {
    let run = injected("event-invalidation", &[], 8, evict_from("cache"));
    assert!(!run.world().books.saw(Happened::StaleDeleted(Key(1))));
    assert!(common::said_at(&run, "bus->consumer").contains("user:1"));
    let text = ending(&run);
    assert!(
        !text.contains("the cache was stale: event-driven"),
        "{text}"
    );
    assert!(!text.contains("which deleted the key"), "{text}");
    assert!(
        text.contains("Memory pressure evicted a cached copy of user:1 in this run."),
        "{text}"
    );
    let run = injected("event-invalidation", &[], 12, evict_from("cache"));
    assert!(run.world().books.saw(Happened::EvictedStale(Key(1))));
    let text = ending(&run);
    assert!(
        !text.contains("the cache was stale: event-driven"),
        "{text}"
    );
    assert!(
        text.contains("Memory pressure evicted a stale copy of user:1 in this run: that eviction ended the copy's staleness."),
        "{text}"
    );
    let mut story = common::start("event-invalidation", &[]);
    story.run_to_end();
    assert!(ending(&story).contains("the cache was stale: event-driven"));
}

/// Y6: the redelivered e2 put v2 over v3; the eviction, not the pattern, removed it.
#[test]
fn y6_a_redelivery_that_stored_a_stale_value_is_not_called_harmless() {
    let run = injected("event-duplicate-reorder", &[], 23, evict_from("cache"));
    let w = run.world();
    assert!(w.books.saw(Happened::StaleStored(Key(1))));
    assert!(w.books.saw(Happened::EvictedStale(Key(1))));
    let text = ending(&run);
    assert!(!text.contains("did no harm"), "{text}");
    assert!(
        text.contains(
            "Memory pressure evicted a stale copy of user:1 in this run: that eviction ended the copy's \
             staleness. A stale value landed in the cache in this run: memory pressure mended it, not the pattern."
        ),
        "{text}"
    );
}

/// Y7: while the consumer is not subscribed the bus can deliver nothing: its retry is
/// no try, and the ending names the subscription and the events that wait.
#[test]
fn y7_a_retry_to_an_unsubscribed_consumer_is_not_a_try() {
    let run = injected("poison-event", &[], 20, disconnect);
    assert!(unsubscribed(&run));
    for said in said_from(&run, 22) {
        assert!(!said.contains("tries again"), "{said}");
    }
    assert!(
        run.records()[21..].iter().any(|r| r.narration.contains(
            "The backoff of offset 0 is over, but the consumer is not subscribed (its subscription broke): the bus \
             can deliver it nothing, so offset 0 and every event behind it wait until it subscribes again."
        )),
        "{}",
        common::story(&run)
    );
    let text = ending(&run);
    assert!(
        text.contains(
            "The consumer's subscription to the bus broke and it has not subscribed again: e4, e5 and e6 wait for \
             it in the bus's log, undelivered until it subscribes again."
        ),
        "{text}"
    );
}

/// Y8: the smaller ones.
#[test]
fn y8_an_eviction_is_named_where_it_removed_a_value() {
    // write-through: a key with no TTL can still be evicted.
    let run = injected("write-through", &[], 12, evict_from("cache"));
    let story = common::story(&run);
    assert!(
        !story.contains("nothing but a write will ever change it"),
        "{story}"
    );
    assert!(story.contains(
        "with no TTL: it never expires, so only a write, an eviction or a crash will change it"
    ));
    // stale-set-race: the eviction is named.
    let run = injected("stale-set-race", &[], 14, evict_from("cache"));
    assert!(run.world().books.saw(Happened::EvictedStale(Key(1))));
    let text = ending(&run);
    assert!(!text.contains("something removed it"), "{text}");
    assert!(
        text.contains("A stale value landed, and memory pressure evicted it before the end."),
        "{text}"
    );
    // event-invalidation: e2 was lost in flight with the connection, before the
    // resubscribe: the resubscribe's words count it.
    let mut run = at("event-invalidation", &[], 15, disconnect);
    assert!(run
        .records()
        .last()
        .unwrap()
        .narration
        .contains("1 message on that connection is lost"));
    run.forward();
    let resub = run
        .world()
        .faults()
        .into_iter()
        .filter_map(|e| e.fault())
        .find(|f| matches!(f, Fault::Resubscribe(_)))
        .expect("a resubscribe offered");
    run.fire(Event::Fault(resub)).unwrap();
    run.run_to_end();
    let said = common::said_at(&run, "subscribe =>");
    assert!(
        said.contains("whatever was on its way to it when the connection broke, is lost"),
        "{said}"
    );
}

/// write-behind's shortest counterexample to cache-matches-db (the page's search, no
/// extra fault): user:1 ends fresh, user:3 stale. The ending named only user:1 and no
/// cause for user:3.
#[test]
fn a_write_behind_ending_names_the_key_that_is_stale_and_its_cause() {
    let loaded = cachescope::sim::link::load(
        "scenario=write-behind&run=1.AAAAAAAAAAAAAAAAABBBBBBBBBAAAAAAAAAAAAAAAA&step=42",
    );
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let run = loaded.run;
    let w = run.world();
    assert_eq!(w.cache().entries.get(&Key(3)).map(|e| e.version.0), Some(1));
    assert_eq!(w.db().read(Key(3)).0, 2);
    assert!(w.books.saw(Happened::StaleStored(Key(3))));
    let text = ending(&run);
    assert!(
        text.contains(
            "The cache holds user:3 = v1 while the database has v2. A read loaded v1 from the database before v2 \
             reached it, and set it after the write had put v2 in the cache: the stale-set race, in write-behind."
        ),
        "{text}"
    );
    assert!(text.contains("cache-matches-db is broken."), "{text}");
}
