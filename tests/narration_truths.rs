//! Sentences a review found false of their traces (session 9), each now derived from
//! the state it describes and checked here against that state:
//! - with a read replica, "the database" was ambiguous (the replica is a database
//!   too): the primary is "the primary", and a lookup names where its miss goes;
//! - a read of a rolled-back transaction's value was said to be "not yet committed …
//!   may never be", when the rollback had already happened;
//! - a commit's change was said to be read or applied "N ms from now", a prediction a
//!   crash can falsify: it is now "due" then, what the network holds.
mod common;
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::{scenarios, Fixes, Run};

fn run(id: &str, fixes: &[&str]) -> Run {
    let s = scenarios::find(id).expect("in the catalog");
    let mut run = Run::new(
        s,
        Fixes::parse(s, fixes.iter().copied()).expect("its fixes"),
        s.seed,
    );
    run.run_to_end();
    run
}

#[test]
fn with_a_read_replica_no_sentence_says_the_database() {
    for (id, fixes) in [
        ("replica-lag-refill", &[][..]),
        ("replica-lag-refill", &["lease"][..]),
        ("replica-lag-refill", &["versioned-set"][..]),
        ("replica-lag-refill", &["fill-from-primary"][..]),
        ("cross-region-read-your-writes", &[][..]),
        ("cross-region-read-your-writes", &["remote-marker"][..]),
    ] {
        let run = run(id, fixes);
        for (i, r) in run.records().iter().enumerate() {
            assert!(
                !r.narration.contains("the database") && !r.narration.contains("The database"),
                "{id} {fixes:?} step {}: {}",
                i + 1,
                r.narration
            );
        }
    }
}

/// The lookup says where a miss will go; the read that follows the miss goes there.
#[test]
fn a_lookup_names_where_its_miss_goes() {
    for (id, fixes, source, node) in [
        (
            "replica-lag-refill",
            &[][..],
            "the replica",
            NodeId::Replica(1),
        ),
        (
            "replica-lag-refill",
            &["fill-from-primary"][..],
            "the primary",
            NodeId::DB,
        ),
        (
            "cross-region-read-your-writes",
            &[][..],
            "the replica",
            NodeId::Replica(1),
        ),
        ("stale-set-race", &[][..], "the database", NodeId::DB),
    ] {
        let run = run(id, fixes);
        let said = format!("only on a miss will it go to {source}.");
        let records = run.records();
        let lookups: Vec<usize> = (0..records.len())
            .filter(|i| records[*i].narration.contains(&said))
            .collect();
        assert!(
            !lookups.is_empty(),
            "{id} {fixes:?}: no lookup says {said:?}"
        );
        // Some read of the row after a lookup is answered by the node named.
        let first = lookups[0];
        assert!(
            records[first..]
                .iter()
                .any(|r| r.actor == node && r.label.starts_with("select")),
            "{id} {fixes:?}: no read at {node} after step {}",
            first + 1
        );
        // And no lookup names another place.
        for r in records {
            if r.narration.contains("only on a miss will it go to") {
                assert!(
                    r.narration.contains(&said),
                    "{id} {fixes:?}: {}",
                    r.narration
                );
            }
        }
    }
}

#[test]
fn a_read_of_a_rolled_back_value_says_it_rolled_back() {
    let run = run("rollback-after-cache-write", &[]);
    let records = run.records();
    let at = records
        .iter()
        .position(|r| r.outcome.contains("(stale)"))
        .expect("the story's stale read");
    let text = &records[at].narration;
    assert!(text.contains("rolled back"), "{text}");
    assert!(!text.contains("may never be"), "{text}");
    // True of the state: the primary has burned that version, and no transaction holds it.
    let after = run.state(at + 1).expect("the state after");
    let db = after.primary_of(Key(1));
    assert!(db
        .rolled_back
        .iter()
        .any(|(k, v)| *k == Key(1) && *v >= Version(2)));
    assert!(db.txns.is_empty(), "no open transaction");
}

#[test]
fn a_change_on_its_way_is_due_not_promised() {
    for id in [
        "cdc-invalidation",
        "replica-lag-refill",
        "outbox",
        "cdn-purge-race",
    ] {
        let run = run(id, &[]);
        for r in run.records() {
            for promise in ["it reads it", "which will apply it", "it will poll"] {
                assert!(!r.narration.contains(promise), "{id}: {}", r.narration);
            }
        }
    }
}

/// The explorer's shortest cdc-invalidation race (session 9's review): the reader's late
/// set lands after the invalidator's delete, which cache already answered. Nothing is left
/// to remove the stale copy but its TTL; the narration once promised the invalidator would.
#[test]
fn a_stale_set_after_the_invalidators_delete_is_not_promised_a_delete() {
    use cachescope::sim::link;
    let l = link::load("scenario=cdc-invalidation&run=1.AAAAAABBBBBABC&step=12");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let run = l.run;
    let r = &run.records()[11];
    assert!(
        r.narration.contains("stores user:1 = v1"),
        "{}",
        r.narration
    );
    assert!(
        !r.narration.contains("until the invalidator deletes"),
        "{}",
        r.narration
    );
    assert!(
        r.narration.contains("nothing in flight removes it"),
        "{}",
        r.narration
    );
    // True of the trace: no later step deletes user:1 from the cache.
    let mut rest = run.clone();
    rest.run_to_end();
    let after = rest.world();
    assert!(after
        .cache()
        .entries
        .iter()
        .any(|(k, e)| *k == Key(1) && e.version == Version(1)));
}

/// stale-set-race with the lease on, broken by a dropped commit reply (the explorer's
/// one-fault counterexample): the ending once said "The race is complete … Try a fix."
#[test]
fn a_fixed_run_that_ends_stale_does_not_say_try_a_fix() {
    use cachescope::sim::link;
    let l = link::load("scenario=stale-set-race&fix=lease&run=1.AAAAAAAABBBBH");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let mut run = l.run;
    run.run_to_end();
    let w = run.world();
    assert!(w
        .cache()
        .entries
        .get(&Key(1))
        .is_some_and(|e| e.version < w.committed(Key(1))));
    let text = run.scenario.epilogue(w, &run.fixes);
    assert!(text.contains("although leases are on"), "{text}");
    // The commit reply was dropped, so the service never sent its delete: the ending
    // names that, not the lease (review session 11, F3).
    assert!(text.contains("a fault stopped it"), "{text}");
    assert!(
        !run.records().iter().any(|r| r.label.starts_with("del ")),
        "no delete reached the cache"
    );
    assert!(
        !text.contains("Try a fix") && !text.contains("The race is complete"),
        "{text}"
    );
}

/// A sandbox negative cache whose insert deletes the key after its commit (session 9's
/// review): the cached "absent" was said to have nothing in flight to remove it, while
/// the writer's insert was about to delete it.
#[test]
fn an_insert_that_will_delete_the_key_is_named() {
    use cachescope::sim::link;
    let l = link::load("scenario=sandbox&sb=1.a111mn.r20.n300d&step=10");
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let mut run = l.run;
    run.run_to_end();
    let records = run.records();
    let stored = records
        .iter()
        .position(|r| r.narration.contains("A negative entry"))
        .expect("a negative entry is stored");
    let text = &records[stored].narration;
    assert!(!text.contains("nothing in flight removes it"), "{text}");
    assert!(
        text.contains("in progress deletes it after its commit"),
        "{text}"
    );
    // True of the trace: a later step deletes the key from the cache.
    assert!(
        records[stored + 1..]
            .iter()
            .any(|r| r.label.starts_with("del")),
        "no delete after"
    );
}

/// stale-set-race with the versioned set (or the lease) and the writer's delete dropped
/// on its way to the cache (review session 11, F3): the ending said the old value "got
/// past" the fix, blaming the set guard, when the guard never had the delete it acts
/// on. It now says that no delete reached the cache after the commit, true of the
/// trace: no tombstone (no invalidated lease) when the old value was stored.
#[test]
fn a_lost_delete_is_named_not_the_set_guard() {
    use cachescope::sim::msg::Payload;
    use cachescope::sim::{Event, Fault};
    for fix in ["versioned-set", "lease"] {
        let s = scenarios::find("stale-set-race").unwrap();
        let mut run = Run::new(s, Fixes::parse(s, [fix]).unwrap(), s.seed);
        let del = loop {
            if let Some(m) = run
                .world()
                .net
                .iter()
                .find(|m| matches!(m.payload, Payload::Del { .. }))
            {
                break m.id;
            }
            assert!(run.forward(), "{fix}: a delete is sent");
        };
        run.fire(Event::Fault(Fault::Drop(del))).unwrap();
        run.run_to_end();
        let w = run.world();
        let text = run.scenario.epilogue(w, &run.fixes);
        assert!(!text.contains("got past it"), "{fix}: {text}");
        assert!(
            text.contains("a fault stopped it: no delete reached the cache after the commit of v2"),
            "{fix}: {text}"
        );
        // True of the trace: the cache holds the old value, the database v2, and no
        // delete reached the cache after the drop.
        assert!(w
            .cache()
            .entries
            .get(&Key(1))
            .is_some_and(|e| e.version == Version(1)));
        assert_eq!(w.db().read(Key(1)), Version(2));
        let records = run.records();
        let dropped = records
            .iter()
            .position(|r| r.event == Event::Fault(Fault::Drop(del)))
            .unwrap();
        assert!(
            !records[dropped..]
                .iter()
                .any(|r| r.label.starts_with("del ")),
            "{fix}: {}",
            run.trace()
        );
        // When the old value was stored, the guard had nothing to refuse it with.
        let stored = records
            .iter()
            .position(|r| r.outcome.starts_with("stored v1"))
            .expect("the old value is stored");
        let before = run.state(stored).unwrap().cache();
        assert!(
            before.tombstones.get(&Key(1)).is_none(),
            "{fix}: a tombstone"
        );
        if fix == "lease" {
            assert!(
                before.leases.get(&Key(1)).is_some(),
                "the lease stayed valid"
            );
            assert!(text.contains("although leases are on"), "{text}");
        } else {
            assert!(text.contains("although the versioned set is on"), "{text}");
        }
    }
    // Without the fault the fix works, and the ending says so.
    for fix in ["versioned-set", "lease"] {
        let r = run("stale-set-race", &[fix]);
        let text = r.scenario.epilogue(r.world(), &r.fixes);
        assert!(text.contains(": consistent"), "{fix}: {text}");
        assert!(!text.contains("a fault stopped it"), "{fix}: {text}");
    }
}

/// stale-set-race with the delayed double delete, the read slower than its delay
/// (review session 11, R2): the ending said "The race is complete ... Try a fix." with
/// a fix on. It now says the heuristic lost, true of the trace: the old value landed
/// after the second delete.
#[test]
fn a_losing_delayed_double_delete_is_not_told_to_try_a_fix() {
    use cachescope::sim::msg::Payload;
    use cachescope::sim::{Event, Fault};
    let s = scenarios::find("stale-set-race").unwrap();
    let mut run = Run::new(
        s,
        Fixes::parse(s, ["delayed-double-delete"]).unwrap(),
        s.seed,
    );
    // Delay the reader's row v1 (the database's read reply) past the second delete.
    let row = common::step_until_sent(&mut run, |p| matches!(p, Payload::DbReadReply { .. }));
    run.fire(Event::Fault(Fault::Delay(row))).unwrap();
    run.run_to_end();
    let w = run.world();
    let text = run.scenario.epilogue(w, &run.fixes);
    assert!(!text.contains("Try a fix"), "{text}");
    assert!(
        text.contains("although the delayed double delete is on: the old value landed and no later delete removed it"),
        "{text}"
    );
    // True of the trace: both deletes reached the cache before the old value landed.
    let records = run.records();
    let stored = records
        .iter()
        .rposition(|r| r.outcome.starts_with("stored v1"))
        .expect("v1 stored");
    let deletes = records[..stored]
        .iter()
        .filter(|r| r.label.starts_with("del "))
        .count();
    assert_eq!(deletes, 2, "{}", run.trace());
    assert!(!records[stored..]
        .iter()
        .any(|r| r.label.starts_with("del ")));
    assert!(w
        .cache()
        .entries
        .get(&Key(1))
        .is_some_and(|e| e.version == Version(1)));
}
