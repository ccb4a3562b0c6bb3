//! Review 18's findings about endings and chapter titles (6, 7, 8, 11), each at its
//! reproduction: the page link, the fault as the next step, the run to its end; each
//! sentence checked against the state it tells of.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::ids::MsgId;
use cachescope::sim::{Fault, Key};
use cachescope::ui::chapters::Ahead;

use review::{ending, faulted, node, story};

/// 6: cache-aside-write, the write's delete (m12) delayed at step 14: the reader's read
/// at step 19 got v1 from the cache after the commit. The ending said only that no read
/// had refilled the key; it now says the stale read.
#[test]
fn r19_6_the_ending_tells_the_stale_read_a_late_delete_let_through() {
    let run = faulted(
        "scenario=cache-aside-write&step=13",
        Fault::Delay(MsgId(12)),
    );
    assert_eq!(run.cursor(), 22);
    assert_eq!(run.world().metrics.stale_reads, 1);
    let text = ending(&run);
    assert!(
        text.ends_with(
            "But the reader's last answered read got v1: a stale read, served from the cache's old copy after \
             the commit, before the write's delete reached the cache."
        ),
        "{text}"
    );
    // The stale read (19) came before the delete arrived (20).
    let stale = (1..=run.cursor())
        .find(|&s| run.state(s).unwrap().metrics.stale_reads == 1)
        .unwrap();
    assert_eq!(stale, 19);
    assert!(
        run.records()[19].label.starts_with("del user:1"),
        "{}",
        run.records()[19].label
    );
}

/// 7: stampede, the service crashes with every reader's request open: the ending said
/// "Done. 1 database read for one hot key", a success, while no reader got an answer,
/// and not that the dead holder's lock stays. It now says who waits, what the cache
/// holds, and the lock or lease left.
#[test]
fn r19_7_a_stampede_that_did_not_end_is_not_done() {
    let crash = |q: &str| faulted(q, Fault::Crash(node("service")));
    let run = crash("scenario=stampede&fix=mutex&step=48");
    let lock = run.world().cache().locks.get(&Key(1)).copied().unwrap();
    assert_eq!((lock.holder, lock.until_ms), (node("reader"), 624));
    assert!(run.world().now_ms < 624);
    assert_eq!(
        ending(&run),
        "Not done: 5 readers have no value (still waiting, or their read failed: a connection reset, or an error answered), after 1 database read for one hot key. The cache \
         holds nothing for user:1; the database has v1. The cache still holds reader's lock on user:1, until 624 \
         ms: no other reader loads user:1 from the database before then. 5 cache lookups missed."
    );
    let run = crash("scenario=stampede&fix=lease&step=52");
    let lease = run.world().cache().leases.get(&Key(1)).copied().unwrap();
    assert_eq!((lease.token, lease.issued_ms), (1, 122));
    assert_eq!(
        ending(&run),
        "Not done: 5 readers have no value (still waiting, or their read failed: a connection reset, or an error answered), after 1 database read for one hot key. The cache \
         holds nothing for user:1; the database has v1. The cache still holds lease #1 on user:1, issued at 122 \
         ms, until 10122 ms: no set has filled it, and until then another miss of user:1 is told to wait. 7 cache \
         lookups missed."
    );
    // The key never loaded: no success headline either.
    for q in [
        "scenario=stampede&step=30",
        "scenario=stampede&fix=mutex&step=30",
    ] {
        let run = crash(q);
        assert_eq!(run.world().metrics.db_reads, 0);
        assert_eq!(
            ending(&run),
            "Not done: 5 readers have no value (still waiting, or their read failed: a connection reset, or an error answered), after 0 database reads for one hot key. The \
             cache holds nothing for user:1; the database has v1. 1 cache lookup missed.",
            "{q}"
        );
    }
    // A crash after every reader had its answer: done.
    let run = crash("scenario=stampede&fix=single-flight&step=51");
    assert!(run.world().clients.iter().all(|c| c.busy.is_none()));
    assert!(ending(&run).starts_with("Done. 1 database read for one hot key."));
}

/// 8: stale-set-race, the service crashes at step 9 with the database's v1 on its way
/// to it: the chapter at step 8 named the race, but the old value never reached the
/// cache and the ending says the race did not happen. The chapter names it only where
/// the old value lands.
#[test]
fn r19_8_a_chapter_names_the_race_only_where_the_old_value_lands() {
    let run = faulted(
        "scenario=stale-set-race&step=8",
        Fault::Crash(node("service")),
    );
    let chapters = Ahead::of(&run).chapters;
    assert!(!chapters.iter().any(|c| c.kind == "race"), "{chapters:?}");
    let c = chapters.iter().find(|c| c.step == 8).unwrap();
    assert_eq!(c.kind, "overtaken");
    assert_eq!(c.text, "committed v2 while an older value is on its way");
    assert!(ending(&run).contains("This interleaving did not produce the race"));
    // The story: the old value lands, and the chapter names the race.
    let run = story("scenario=stale-set-race");
    let chapters = Ahead::of(&run).chapters;
    let c = chapters.iter().find(|c| c.step == 8).unwrap();
    assert_eq!(c.kind, "race");
    assert_eq!(
        c.text,
        "the race: committed v2 while an older value is on its way"
    );
    assert!(run
        .world()
        .books
        .saw(cachescope::sim::books::Happened::StaleStored(Key(1))));
}

/// 11: rollback-after-cache-write with transaction-aware-cache: the fix's chapter said
/// "acts: commit sent", what the fixed run did, not what the fix changed. It says what
/// the run does without the fix at the same step too.
#[test]
fn r19_11_the_fix_chapter_says_what_the_run_does_without_it() {
    let run = story("scenario=rollback-after-cache-write&fix=transaction-aware-cache");
    let chapters = Ahead::of(&run).chapters;
    let c = chapters.iter().find(|c| c.kind == "fix").unwrap();
    assert_eq!(c.step, 4);
    assert_eq!(
        c.text,
        "with transaction-aware-cache: commit sent; without it: set sent"
    );
    assert_eq!(run.records()[3].outcome, "commit sent");
    let plain = story("scenario=rollback-after-cache-write");
    assert_eq!(plain.records()[3].outcome, "set sent");
}
