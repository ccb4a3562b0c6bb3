//! What a cache's crash wipes, told as the crash's doing (review session 12): R1 case
//! 3, a crash that wiped the tombstone a versioned set relies on let the old value land,
//! and the ending blamed the fix ("in this run the old value got past it"); a lease a
//! crash wiped was said to be invalidated by a delete. R2, the same for a negative
//! entry. R11, a crash of a cache holding one tombstone was said to lose "its leases,
//! locks and tombstones".
mod common;
use cachescope::sim::msg::Payload;
use cachescope::sim::{Event, Fault, Key, NodeId, Run, Version};
use common::start;

fn crash_and_restart_cache(run: &mut Run) -> String {
    run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    let said = run.records().last().unwrap().narration.clone();
    run.fire(Event::Fault(Fault::Restart(NodeId::CACHE)))
        .unwrap();
    said
}

/// stale-set-race with `fix`, stepped until the writer's delete has reached the cache.
fn after_the_delete(fix: &str) -> Run {
    let mut run = start("stale-set-race", &[fix]);
    let del = common::step_until_sent(&mut run, |p| matches!(p, Payload::Del { .. }));
    while run.world().net.iter().any(|m| m.id == del) {
        assert!(run.forward());
    }
    run
}

#[test]
fn a_crash_that_wipes_the_tombstone_is_told_as_the_crash_not_the_fix() {
    let mut run = after_the_delete("versioned-set");
    let w = run.world();
    assert_eq!(w.cache().tombstones.len(), 1);
    assert!(w.cache().entries.is_empty() && w.cache().leases.is_empty());
    let crash = crash_and_restart_cache(&mut run);
    assert!(
        crash.contains("its memory is gone: 1 tombstone (user:1 at v2)."),
        "{crash}"
    );
    assert!(
        !crash.contains("lease") && !crash.contains("lock"),
        "{crash}"
    );
    run.run_to_end();
    let w = run.world();
    assert_eq!(
        w.cache().live(Key(1), w.now_ms).unwrap().version,
        Version(1)
    );
    let stored = run
        .records()
        .iter()
        .find(|r| r.to_string().contains("stored v1"))
        .expect("the old value landed");
    assert!(
        stored.narration.ends_with(
            "No tombstone refuses it: the delete of user:1 had left one, and a crash of the cache wiped it."
        ),
        "{}",
        stored.narration
    );
    let end = run.scenario.epilogue(w, &run.fixes);
    assert!(!end.contains("got past it"), "{end}");
    assert!(
        end.contains("the delete of user:1 left a tombstone, but the cache crashed after it, and the crash wiped it"),
        "{end}"
    );
}

#[test]
fn a_lease_a_crash_wiped_is_not_said_to_be_invalidated_by_a_delete() {
    // The reader holds lease #1 when the cache crashes, before the writer's delete.
    let mut run = start("stale-set-race", &["lease"]);
    while run.world().cache().leases.is_empty() {
        assert!(run.forward());
    }
    let crash = crash_and_restart_cache(&mut run);
    assert!(crash.contains("1 lease (#1 on user:1)"), "{crash}");
    run.run_to_end();
    let refused = run
        .records()
        .iter()
        .find(|r| r.to_string().contains("refused: lease invalid"))
        .expect("the reader's set is refused");
    assert!(
        refused.narration.contains(
            "its lease #1 is gone: a crash of the cache wiped it (leases live in its memory)"
        ),
        "{}",
        refused.narration
    );
    assert!(!refused.narration.contains("delete invalidated"));
    let end = run.scenario.epilogue(run.world(), &run.fixes);
    assert!(!end.contains("invalidated by the delete"), "{end}");
    assert!(
        end.contains("The reader's lease was gone when its late set arrived"),
        "{end}"
    );
    // Without the crash the delete invalidates it, and the words say so.
    let mut story = start("stale-set-race", &["lease"]);
    story.run_to_end();
    let refused = story
        .records()
        .iter()
        .find(|r| r.to_string().contains("refused: lease invalid"))
        .unwrap();
    assert!(refused
        .narration
        .contains("because a delete invalidated it"));
}

#[test]
fn a_crash_that_wipes_a_negative_entry_says_so() {
    for fixes in [
        &[][..],
        &["invalidate-on-insert"][..],
        &["short-negative-ttl"][..],
    ] {
        let mut run = start("negative-cache", fixes);
        while run.world().cache().entries.is_empty() {
            assert!(run.forward());
        }
        assert_eq!(
            run.world().cache().entries.get(&Key(2)).unwrap().version,
            Version(0)
        );
        let crash = crash_and_restart_cache(&mut run);
        assert!(
            crash.contains("1 cached key (user:2's negative entry, a cached \"not found\")"),
            "{crash}"
        );
        run.run_to_end();
        let end = run.scenario.epilogue(run.world(), &run.fixes);
        assert!(
            end.contains("A crash of the cache wiped its negative entry for user:2"),
            "{fixes:?}: {end}"
        );
    }
}

#[test]
fn an_insert_delete_the_crashed_cache_never_got_is_not_credited() {
    let mut run = start("negative-cache", &["invalidate-on-insert"]);
    run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    run.run_to_end();
    let end = run.scenario.epilogue(run.world(), &run.fixes);
    assert!(!end.contains("The insert deleted the key"), "{end}");
    assert!(
        end.contains(
            "The insert's delete never reached the cache, so the fix did nothing in this run."
        ),
        "{end}"
    );
    let mut story = start("negative-cache", &["invalidate-on-insert"]);
    story.run_to_end();
    let end = story.scenario.epilogue(story.world(), &story.fixes);
    assert!(
        end.contains("The insert deleted the key, so the next read missed and loaded the new row.")
    );
}
