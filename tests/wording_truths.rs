//! Words that named what the model does not do, or named it in another system's terms
//! (review session 12): R15, an INSERT of a row that exists was told as creating it
//! ("did not exist ... its first version") while the model committed v2 (now the
//! database refuses it, as a real one does); R16, the
//! commit log was the binlog in one sentence and had an "lsn" (Postgres' WAL) in the
//! next, and a Kafka log was said to keep an event "until the consumer has acknowledged
//! it" (a log keeps events for its retention, read or not); R18, stampede with
//! early-expiration joined facts with a "so" the trace does not show.
mod common;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, Key, NodeId, Version};
use common::start;

/// R15: an INSERT of a row that exists is refused with a duplicate-key error, as a real
/// database refuses it (the row's primary key is unique): its transaction commits
/// nothing, and the service that sent it hears the error. Here the service's INSERT
/// is duplicated on the network: the first commits v1, the copy is refused.
#[test]
fn a_second_insert_of_a_row_is_refused_with_a_duplicate_key_error() {
    let mut run = start("negative-cache", &[]);
    common::fault_when_sent(
        &mut run,
        |p| matches!(p, Payload::DbInsert { .. }),
        Fault::Duplicate,
    );
    run.run_to_end();
    let w = run.world();
    assert_eq!(
        w.db().read(Key(2)),
        Version(1),
        "the copy committed nothing"
    );
    assert_eq!(w.metrics.db_writes, 1);
    let inserts: Vec<(String, &str)> = run
        .records()
        .iter()
        .filter(|r| r.to_string().contains("INSERT user:2 =>"))
        .map(|r| (r.to_string(), r.narration.as_str()))
        .collect();
    assert_eq!(inserts.len(), 2, "{inserts:?}");
    assert!(inserts[0].0.contains("=> inserted v1"), "{inserts:?}");
    assert!(inserts[0]
        .1
        .contains("user:2 did not exist, and the commit creates it at v1"));
    assert!(inserts[1].0.contains("=> duplicate key"), "{inserts:?}");
    assert_eq!(
        inserts[1].1,
        "The database refuses the INSERT of user:2: the row already exists, at v1, so the INSERT fails with \
         a duplicate-key error and its transaction is rolled back. Nothing is committed; user:2 stays v1, and \
         the error goes back to the sender."
    );
    for r in run.records() {
        assert!(
            !r.narration.contains("this model does not") && !r.narration.contains("user:2 = v2"),
            "{r}: {}",
            r.narration
        );
    }
}

/// The copy's refusal can reach the service before the first INSERT's commit does:
/// the service then tells the writer its write failed (a real client that retried an
/// INSERT sees the same), and the commit's answer, later, finds the request closed.
#[test]
fn a_refused_insert_is_told_to_the_writer_as_a_failed_write() {
    let mut run = common::insert_refused_first(&[]);
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.starts_with(
            "The database refused the INSERT of user:2 with a duplicate-key error: user:2 already exists at v1, \
             and this statement committed nothing."
        ),
        "{said}"
    );
    common::deliver_first(
        &mut run,
        |p| matches!(p, Payload::WriteFailed { .. }),
        "the writer is told",
    );
    // The writer's own INSERT did commit (its first copy, v1): the failure it is told
    // of must not say that nothing was committed (review session 13, W1).
    let told = &run.records().last().unwrap().narration;
    assert!(told.contains("its write of user:2 failed"), "{told}");
    assert!(!told.contains("nothing was committed"), "{told}");
    assert_eq!(run.world().db().read(Key(2)), Version(1));
    run.run_to_end();
    assert_eq!(run.world().db().read(Key(2)), Version(1));
}

#[test]
fn early_expiration_endings_state_facts_without_a_because() {
    let mut story = start("stampede", &["early-expiration"]);
    story.run_to_end();
    let w = story.world();
    assert_eq!(w.metrics.cache_misses, 0);
    assert_eq!(
        story.scenario.epilogue(w, &story.fixes),
        "Done. 1 database read for one hot key. XFetch started the recompute in the background ahead of the \
         expiry, but the key expired before the new value landed. No read came in that gap. Nobody missed and \
         nobody waited. It is probabilistic: with another seed two readers can both recompute, or none in time."
    );
    // With the cache crashed and restarted at each step, the misses are the crash's:
    // the ending counts them and gives no cause.
    let mut checked = 0;
    for at in 0..story.cursor() {
        let mut run = story.clone();
        run.seek(at);
        run.truncate_future();
        if run
            .fire(Event::Fault(Fault::Crash(cachescope::sim::NodeId::CACHE)))
            .is_err()
        {
            continue;
        }
        run.fire(Event::Fault(Fault::Restart(cachescope::sim::NodeId::CACHE)))
            .unwrap();
        run.run_to_end();
        let misses = run.world().metrics.cache_misses;
        let text = run.scenario.epilogue(run.world(), &run.fixes);
        assert!(
            !text.contains(" so ") && !text.contains(", so"),
            "crash after {at}: {text}"
        );
        // A read the crash left without an answer waited: "nobody waited" is not said
        // then (session 18's audit).
        let waiting = run.world().clients.iter().any(|c| c.busy.is_some());
        if misses == 0 && waiting {
            assert!(!text.contains("nobody waited"), "crash after {at}: {text}");
            checked += 1;
            continue;
        }
        let said = if misses == 0 {
            "Nobody missed and nobody waited.".to_string()
        } else {
            // The count is of cache lookups (review 19, M4: "7 reads missed" with 5
            // readers, a reader told to wait looking again).
            format!(
                "{misses} cache lookup{} missed.",
                if misses == 1 { "" } else { "s" }
            )
        };
        assert!(text.contains(&said), "crash after {at}: {text}");
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn the_commit_log_is_the_binlog_with_positions_not_lsns() {
    for (id, fixes) in [
        ("cdc-invalidation", &[][..]),
        ("replica-lag-refill", &[][..]),
        ("cross-region-read-your-writes", &["remote-marker"][..]),
    ] {
        let mut run = start(id, fixes);
        run.run_to_end();
        let text: String = run
            .records()
            .iter()
            .map(|r| format!("{r}\n{}\n", r.narration))
            .collect();
        assert!(!text.to_lowercase().contains("lsn"), "{id}: {text}");
        assert!(text.contains("position"), "{id}");
    }
    let mut run = start("cdc-invalidation", &[]);
    run.run_to_end();
    let first = run
        .records()
        .iter()
        .find(|r| r.narration.contains("of its binlog"))
        .expect("a commit the invalidator tails");
    assert!(
        first
            .narration
            .contains("The change is position 2 of its binlog"),
        "{}",
        first.narration
    );
}

#[test]
fn a_kafka_log_keeps_an_event_for_its_retention_not_until_an_ack() {
    let mut run = start("outbox", &[]);
    run.run_to_end();
    let logged = run
        .records()
        .iter()
        .find(|r| r.to_string().contains("logged e"))
        .expect("the event is logged");
    let t = &logged.narration;
    assert!(t.contains("(a durable log, like a Kafka partition)"), "{t}");
    assert!(!t.contains("until"), "{t}");
    assert!(
        t.contains("reading it removes nothing (a log keeps its events for its retention period, read or not), and the consumer reads it from its committed offset."),
        "{t}"
    );
    // A queue with an ack per event (SQS, RabbitMQ) does keep it until the ack.
    let mut run = start("event-duplicate-reorder", &[]);
    run.run_to_end();
    let logged = run
        .records()
        .iter()
        .find(|r| r.to_string().contains("logged e"))
        .expect("the event is logged");
    assert!(
        logged.narration.contains(
            "like SQS or RabbitMQ): it stays there until the consumer has acknowledged it."
        ),
        "{}",
        logged.narration
    );
}

/// Review session 12, V18: a rollback was told as "no other reader ever saw it" and
/// "the rollback left no trace" while the cache held the rolled-back version, which a
/// reader then got. No reader sees it in the database; the cache is said apart, from
/// its state at that step.
#[test]
fn a_rollback_says_no_reader_saw_it_in_the_database_and_names_a_cached_copy() {
    for (fixes, cached) in [(&[][..], true), (&["transaction-aware-cache"][..], false)] {
        let mut run = start("rollback-after-cache-write", fixes);
        run.run_to_end();
        let mut checked = 0;
        for (i, r) in run.records().iter().enumerate() {
            let line = r.to_string();
            if !line.contains("rolled back") || line.contains("failed") {
                continue;
            }
            let mut at = run.clone();
            at.seek(i + 1);
            let holds = at
                .world()
                .cache()
                .live(Key(1), at.world().now_ms)
                .map(|e| e.version);
            assert_eq!(holds == Some(Version(2)), cached, "{line}");
            let t = &r.narration;
            assert!(!t.contains("no other reader ever saw"), "{t}");
            if line.contains("abort") {
                let want = if cached {
                    "its v2 of user:1 is discarded; no reader saw it in the database, but the cache already holds it."
                } else {
                    "its v2 of user:1 is discarded; no reader saw it in the database."
                };
                assert!(t.contains(want), "{t}");
            } else {
                let want = if cached {
                    "user:1 is still v1 in it: the rollback left no trace there, but the cache still holds v2."
                } else {
                    "user:1 is still v1 for everyone: the rollback left no trace."
                };
                assert!(t.ends_with(want), "{t}");
            }
            checked += 1;
        }
        assert_eq!(checked, 2, "{fixes:?}: the abort and the refused COMMIT");
    }
    // The reader did get v2 through the cache, the scenario's point.
    let mut run = start("rollback-after-cache-write", &[]);
    run.run_to_end();
    assert_eq!(run.world().metrics.stale_reads, 1);
}

/// Review session 12, V19: event-duplicate-reorder's consumer updates the cache, and
/// its queue acknowledges each event on its own (SQS, RabbitMQ); the words said "the
/// consumer will invalidate" and spoke of a committed offset. The words follow the
/// run's configuration: an update consumer updates, an ack-per-event queue has no
/// offset in its acks; a deleting consumer invalidates, a log (Kafka) commits offsets.
#[test]
fn an_event_consumer_and_its_queue_are_told_in_their_own_model() {
    for (id, update, per_ack) in [
        ("event-duplicate-reorder", true, true),
        ("event-invalidation", false, false),
    ] {
        let mut run = start(id, &[]);
        run.run_to_end();
        let w = run.world();
        assert_eq!(w.config.consumer.update, update, "{id}");
        let bus = w.bus().settings.unwrap();
        assert_eq!(bus.durable && bus.ack_timeout_ms.is_some(), per_ack, "{id}");
        let promise = common::said_at(&run, "update sent");
        let will = if update {
            "the consumer will update it."
        } else {
            "the consumer will invalidate."
        };
        assert!(promise.ends_with(will), "{id}: {promise}");
        let acks: Vec<&str> = run
            .records()
            .iter()
            .filter(|r| r.narration.starts_with("The consumer acknowledged"))
            .map(|r| r.narration.as_str())
            .collect();
        if per_ack {
            assert!(acks.len() >= 2, "{id}: {acks:?}");
            for a in &acks {
                assert!(!a.contains("offset"), "{id}: {a}");
            }
        } else {
            assert!(acks.iter().all(|a| !a.contains("SQS")), "{id}: {acks:?}");
        }
    }
}

/// event-duplicate-reorder's bus is a queue with an ack per event (SQS, RabbitMQ): an
/// acknowledged event is removed, and the queue has no offsets to commit (review
/// session 13, W8).
#[test]
fn a_queue_with_an_ack_per_event_has_no_offset_in_its_words() {
    for fixes in [&[][..], &["idempotent-consumer"], &["versioned-events"]] {
        let mut run = start("event-duplicate-reorder", fixes);
        run.run_to_end();
        let said: Vec<&str> = run.records().iter().map(|r| r.narration.as_str()).collect();
        assert!(
            said.iter()
                .any(|s| s.contains("so the bus can remove it from the queue")),
            "{said:?}"
        );
        for s in &said {
            assert!(!s.contains("offset"), "{fixes:?}: {s}");
        }
    }
}

/// A set sent inside a transaction that rolled back before the set landed: its
/// version will never commit, and the step says so (review session 13, W9).
#[test]
fn a_set_that_lands_after_its_rollback_says_it_will_never_commit() {
    let mut run = start("rollback-after-cache-write", &[]);
    common::step_until_sent(&mut run, |p| matches!(p, Payload::Set { .. }));
    run.fire(Event::Fault(Fault::Abort(NodeId::Writer(1))))
        .unwrap();
    common::fire_where(&mut run, "service->cache: set");
    let said = &run.records().last().unwrap().narration;
    assert!(
        said.contains(
            "a version no committed row has, and that never will: its transaction rolled back"
        ),
        "{said}"
    );
}
