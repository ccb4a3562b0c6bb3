//! Review 21's ending findings (U1 to U3, M1, M2), each played at the reviewer's share
//! link to its end: the ending says why the cache is empty by the last thing that
//! emptied it, and tells a read's refill that a crash or an eviction then removed.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::NodeStatus;

use review::{ending, label, node, played};

const UPDATE_FIRST: &str =
    ". Update first, then delete: if the delete were first, a reader could refill the old \
                            value in between (see delete-before-update-race).";

/// U1: cache-aside-write, the write's delete landed (step 14), a read refilled v2 (23),
/// then the cache crashed (26) and restarted (27). The ending said "no read has
/// refilled it since".
#[test]
fn u1_a_refill_the_crash_wiped_is_told() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAAAAAAAAAAAACC&step=27");
    assert_eq!(label(&run, 14), ("del user:1", "deleted"));
    assert_eq!(label(&run, 23), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 26), ("crash cache", "crashed"));
    assert_eq!(label(&run, 27), ("restart cache", "restarted"));
    let said = "Done. The cache holds nothing for user:1; the database has v2: the write deleted the key, a read \
                refilled it from the database, then the cache crashed and restarted empty, and no read has \
                refilled it since";
    assert_eq!(ending(&run), format!("{said}{UPDATE_FIRST}"));
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAAAAAAAAAADAE&step=28");
    assert_eq!(label(&run, 23), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 24), ("crash cache", "crashed"));
    assert_eq!(ending(&run), format!("{said}{UPDATE_FIRST}"));
    let run = played("scenario=event-invalidation&run=1.AAAAAAAAAAAAAAAAAAAAAAAAADAE&step=30");
    assert_eq!(label(&run, 25), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 26), ("crash cache", "crashed"));
    let text = ending(&run);
    assert!(
        text.contains(
            "the event reached the consumer, which deleted the key, a read refilled it from the database, then \
             the cache crashed and restarted empty, and no read has refilled it since."
        ),
        "{text}"
    );
}

/// U2: the cache crashed and restarted at 0 ms, before the story; a fill (or the
/// write's refill) was later evicted. The ending blamed the crash.
#[test]
fn u2_an_eviction_after_an_early_crash_is_told_as_the_eviction() {
    let run = played("scenario=cache-aside-read&run=1.DDAAAAAAAAAAAAK&step=17");
    assert_eq!(label(&run, 1), ("crash cache", "crashed"));
    assert_eq!(run.state(1).unwrap().now_ms, 0);
    assert_eq!(label(&run, 15).0, "evict user:1 from cache");
    let text = ending(&run);
    assert!(
        text.ends_with(
            "The cache holds nothing for user:1; the database has v1. Memory pressure evicted a cached copy of \
             user:1 in this run."
        ),
        "{text}"
    );
    assert!(!text.contains("crashed"), "{text}");
    let said = "the write deleted the key, a read refilled it from the database, and memory pressure then \
                evicted it";
    let run = played("scenario=cache-aside-write&run=1.EEAAAAAAAAAAAAAAAAAAAAAAAAAG&step=28");
    assert_eq!(label(&run, 25), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 28).0, "evict user:1 from cache");
    let text = ending(&run);
    assert!(text.contains(said), "{text}");
    assert!(!text.contains("crashed"), "{text}");
    let run = played("scenario=event-invalidation&run=1.EEAAAAAAAAAAAAAAAAAAAAAAAAAAAK&step=30");
    assert_eq!(label(&run, 27), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 30).0, "evict user:1 from cache");
    let text = ending(&run);
    assert!(
        text.contains(
            "which deleted the key, a read refilled it from the database, and memory pressure then evicted it."
        ),
        "{text}"
    );
    assert!(!text.contains("crashed"), "{text}");
}

/// U3: no crash; a read refilled v2 (step 23) and an eviction removed it (24). The
/// ending said "no read has refilled it yet".
#[test]
fn u3_an_evicted_refill_is_told() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAAAAAAAAAAK&step=26");
    assert_eq!(label(&run, 23), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 24).0, "evict user:1 from cache");
    assert_eq!(
        ending(&run),
        format!(
            "Done. The cache holds nothing for user:1; the database has v2: the write deleted the key, a read \
             refilled it from the database, and memory pressure then evicted it{UPDATE_FIRST}"
        )
    );
}

/// M1: the crash (step 12) wiped v1 before the commit (14); the write's delete found
/// nothing to remove (16). The ending said "the write deleted the key".
#[test]
fn m1_a_delete_that_found_nothing_is_not_told_as_a_delete() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAEE&step=27");
    assert_eq!(label(&run, 12), ("crash cache", "crashed"));
    assert_eq!(label(&run, 14), ("update user:1", "committed v2"));
    assert!(run.records()[15].narration.contains("nothing to remove"));
    assert_eq!(
        ending(&run),
        format!(
            "Done. The cache and the database both hold user:1 = v2: the write's delete found no copy of the key \
             to remove (the cache had crashed before the commit and restarted empty), and the next read filled \
             it from the database{UPDATE_FIRST}"
        )
    );
}

/// M2: the still-down ending skipped the refill the crash wiped (stored v2 at step 23,
/// crash at 24).
#[test]
fn m2_the_still_down_ending_tells_the_wiped_refill() {
    let run = played("scenario=cache-aside-write&run=1.AAAAAAAAAAAAAAAAAAAAAAAD&step=27");
    assert_eq!(label(&run, 23), ("set user:1=v2", "stored v2"));
    assert_eq!(label(&run, 24), ("crash cache", "crashed"));
    assert_eq!(run.world().status_of(node("cache")), NodeStatus::Down);
    assert_eq!(
        ending(&run),
        format!(
            "Done. The cache holds nothing for user:1; the database has v2: the write deleted the key, a read \
             refilled it from the database, then the cache crashed and is still down: no read can refill it \
             until it restarts{UPDATE_FIRST}"
        )
    );
    let run = played("scenario=event-invalidation&run=1.AAAAAAAAAAAAAAAAAAAAAAAAAD&step=29");
    let text = ending(&run);
    assert!(
        text.contains(
            "which deleted the key, a read refilled it from the database, then the cache crashed and is still \
             down: no read can refill it until it restarts."
        ),
        "{text}"
    );
}

/// M3: delete-before-update-race, the cache crashed (50 ms) and the writer's DEL was
/// lost; reader-2 read v1 inside the window (step 18, before the commit at 21) and its
/// set was lost to the down cache (20). The ending said "no reader refilled the old row
/// between the delete and the commit", as if the race had not happened.
#[test]
fn m3_a_refill_the_down_cache_lost_is_the_race_the_crash_stopped() {
    let run = played("scenario=delete-before-update-race&run=1.AAAAAAAAAAE&step=25");
    assert_eq!(label(&run, 11), ("crash cache", "crashed"));
    assert_eq!(label(&run, 18), ("select user:1", "row v1"));
    assert_eq!(label(&run, 20), ("set user:1=v1", "lost: node down"));
    assert_eq!(label(&run, 21), ("update user:1", "committed v2"));
    assert_eq!(
        ending(&run),
        "Done. The cache holds nothing for user:1; the database has v2: consistent. A reader's set of the old \
         row came between the delete and the commit, but the cache was down and it was lost: the crash, not \
         this order, kept the old value out."
    );
    // The script keeps its words.
    let run = played("scenario=delete-before-update-race&fix=update-then-delete");
    assert!(!ending(&run).contains("the crash"));
}
