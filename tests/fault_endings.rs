//! Endings and steps after a fault say what the state holds (review session 12):
//! R6, a write-behind run whose flusher's put was lost ended "Every invariant holds";
//! R7, write-behind words said "the database has v2" of a database at v1 (the v2 was
//! in the queue); R9, the outbox's endings promised the relay "will publish it when it
//! next polls" with the database down, and told a "second delete" of one delivery;
//! R10, cross-region-read-your-writes said "the invalidator deleted" with replication
//! cut, and said the broken invariants twice.
mod common;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, Invariant, Key, NodeId, Run, Version};
use common::start;

fn ending(run: &Run) -> String {
    run.scenario.epilogue(run.world(), &run.fixes)
}

/// write-behind's stale set: the reader misses and reads v1; the writer's first write
/// is queued (v2) before the reader's set of v1 reaches the cache.
const STALE_SET_BEHIND: [&str; 10] = [
    "writer: start",
    "reader: start",
    "reader->service: read",
    "service->cache: get",
    "cache->service: miss",
    "service->db: select",
    "writer->service: write",
    "db->service: row v1",
    "service->cache: write",
    "service->cache: set",
];

#[test]
fn a_lost_flush_is_told_as_a_write_still_in_the_queue_and_a_flusher_waiting() {
    let mut run = start("write-behind", &[]);
    common::fault_when_sent(
        &mut run,
        |p| matches!(p, Payload::DbPut { key: Key(1), .. }),
        Fault::Drop,
    );
    run.run_to_end();
    let w = run.world();
    // The state: user:1 = v3 acknowledged, in the queue and marked in flight, not in
    // the database, and no message on its way; the invariants hold by their letter.
    assert_eq!(w.db().read(Key(1)), Version(1));
    let q = w.cache().queue.iter().find(|q| q.key == Key(1)).unwrap();
    assert_eq!((q.version, q.in_flight), (Version(3), true));
    assert!(w.net.is_empty() && w.enabled().is_empty());
    assert!(Invariant::NoLostWrite.check(w).is_ok());
    let text = ending(&run);
    assert!(!text.contains("Every invariant holds"), "{text}");
    assert!(
        text.contains(
            "user:1 = v3 was acknowledged but is not in the database: it is only in the write-behind queue, \
             in the cache's memory. The flusher put it to the database and the put never arrived; with no \
             timeout, the flusher still waits for the answer and does not send the write again. No invariant \
             is broken: no-lost-write counts a write still in a queue as kept."
        ),
        "{text}"
    );
}

#[test]
fn a_stale_set_in_write_behind_names_the_queue_not_the_database() {
    let mut run = start("write-behind", &[]);
    // The reader misses and reads v1; the writer's first write is queued (v2) before
    // the reader's set of v1 reaches the cache.
    for line in STALE_SET_BEHIND {
        common::fire_where(&mut run, line);
    }
    let w = run.world();
    assert_eq!(w.db().read(Key(1)), Version(1));
    assert_eq!(w.cache().queued(Key(1)), Some(Version(2)));
    let text = &run.records().last().unwrap().narration;
    assert!(!text.contains("database already has v2"), "{text}");
    assert!(
        text.contains(
            "But the latest write the cache has acknowledged, v2, is still in the write-behind queue (the \
             database has v1): the cache now holds a copy older than that write"
        ),
        "{text}"
    );
    let why = Invariant::CacheMatchesDb.check(w).unwrap_err();
    assert_eq!(
        why,
        "the cache holds user:1=v1 but the latest write the cache has acknowledged, v2, is still in the \
         write-behind queue (the database has v1)"
    );
}

/// The diagram says the same as the narration (review session 13, W4): the cache's v1
/// differs from the acknowledged v2 in the queue, not from the database, which has v1;
/// the database's row is not marked as differing from the cache.
#[test]
fn a_stale_set_in_write_behind_is_drawn_against_the_queued_write() {
    use cachescope::sim::view::View;
    use cachescope::ui::layout;
    let mut run = start("write-behind", &[]);
    for line in STALE_SET_BEHIND {
        common::fire_where(&mut run, line);
    }
    let v = View::of(run.world(), run.scenario);
    let text = |id| -> Vec<String> { layout::lines(&v, id).into_iter().map(|l| l.text).collect() };
    assert!(
        text(NodeId::CACHE).contains(&"user:1 = v1 ≠ acked v2".to_string()),
        "{:?}",
        text(NodeId::CACHE)
    );
    assert!(
        text(NodeId::DB).contains(&"user:1 = v1".to_string()),
        "{:?}",
        text(NodeId::DB)
    );
}

#[test]
fn with_the_database_unreachable_the_relay_is_not_promised_to_publish_at_its_next_poll() {
    // dual-write-crash's supervisor restarts a crashed database: pause it there.
    for (id, fixes, fault) in [
        ("outbox", &[][..], Fault::Crash(NodeId::DB)),
        (
            "dual-write-crash",
            &["outbox"][..],
            Fault::Pause(NodeId::DB),
        ),
    ] {
        let mut run = start(id, fixes);
        common::step_until_sent(&mut run, |p| matches!(p, Payload::OutboxPoll));
        run.fire(Event::Fault(fault)).unwrap();
        run.run_to_end();
        let w = run.world();
        assert!(!w.is_up(NodeId::DB), "{id}");
        assert!(w.is_up(NodeId::RELAY), "{id}");
        assert!(w.db().outbox.iter().any(|r| !r.published), "{id}");
        let text = ending(&run);
        assert!(!text.contains("when it next polls"), "{id}: {text}");
        assert!(
            text.contains("the relay cannot reach the database"),
            "{id}: {text}"
        );
    }
}

#[test]
fn one_delivery_is_not_told_as_a_second_delete() {
    let mut run = start("dual-write-crash", &["outbox"]);
    let first = common::step_until_sent(&mut run, |p| matches!(p, Payload::Deliver { .. }));
    // The relay's crash makes it publish again: drop that second delivery.
    let second = loop {
        let w = run.world();
        if let Some(m) = w
            .net
            .iter()
            .find(|m| matches!(m.payload, Payload::Deliver { .. }) && m.id != first)
        {
            break m.id;
        }
        assert!(run.forward());
    };
    run.fire(Event::Fault(Fault::Drop(second))).unwrap();
    run.run_to_end();
    let m = &run.world().metrics;
    assert_eq!((m.events_published, m.events_delivered), (2, 1));
    let text = ending(&run);
    assert!(!text.contains("second delete"), "{text}");
    assert!(
        text.contains(
            "publish the row again (2 publishes), but only 1 delivery reached the consumer."
        ),
        "{text}"
    );
    // The story itself, two deliveries, keeps its sentence.
    let mut story = start("dual-write-crash", &["outbox"]);
    story.run_to_end();
    assert!(ending(&story).contains("(2 publishes, 2 deliveries); the second delete was harmless"));
}

#[test]
fn cut_replication_is_not_told_as_the_invalidator_deleting() {
    for cut in [
        "partition invalidator",
        "partition db~replica",
        "partition replica~invalidator",
    ] {
        let mut run = start("cross-region-read-your-writes", &[]);
        let fault = run
            .world()
            .faults()
            .into_iter()
            .find(|f| f.to_string() == cut)
            .unwrap_or_else(|| panic!("{cut} is a fault here"));
        run.fire(fault).unwrap();
        run.run_to_end();
        let w = run.world();
        assert!(Invariant::ReadYourWrites.check(w).is_err());
        assert!(Invariant::CacheMatchesDb.check(w).is_err());
        let text = ending(&run);
        assert!(!text.contains("invalidator deleted"), "{cut}: {text}");
        assert!(!text.contains("removed the stale copy"), "{cut}: {text}");
        // Each invariant's violation is said once.
        for name in ["read-your-writes:", "cache-matches-db:"] {
            assert_eq!(text.matches(name).count(), 1, "{cut}: {text}");
        }
    }
    // The story: replication arrives and the invalidator's delete removes the copy.
    let mut story = start("cross-region-read-your-writes", &[]);
    story.run_to_end();
    assert!(ending(&story).contains("A later delete removed the stale copy"));
}

#[test]
fn a_remote_marker_nothing_cleared_is_said_to_be_still_set() {
    let mut run = start("cross-region-read-your-writes", &["remote-marker"]);
    let fault = run
        .world()
        .faults()
        .into_iter()
        .find(|f| f.to_string() == "partition replica")
        .unwrap();
    run.fire(fault).unwrap();
    run.run_to_end();
    let w = run.world();
    assert!(w.nodes.caches().any(|(_, c)| !c.markers.is_empty()));
    let text = ending(&run);
    assert!(!text.contains("cleared the marker"), "{text}");
    assert!(text.contains("The marker is still set"), "{text}");
    let mut story = start("cross-region-read-your-writes", &["remote-marker"]);
    story.run_to_end();
    assert!(
        ending(&story).contains("The invalidator cleared the marker when the write replicated.")
    );
}
