//! Review session 26: two endings of the runs the page's search newly shows (the
//! stale-set race among equally short counterexamples) said what their trace does not
//! show. Each test plays the page's run (its search, with no extra fault) and reads its
//! ending; the run codes pin the same runs without the search.
mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::books::Happened;
use cachescope::sim::search::msg::MAX_STATES;
use cachescope::sim::{Event, Fault, Key, NodeId, Run, Version};

use review::ending;

/// The page's search's run of write-behind-crash with the durable queue: the cache
/// crashes at 1 ms, before any write was acknowledged (the first write fails); the
/// only acknowledged write, v2, reaches the writer at 311 ms, after the restart.
const WB_RUN: &str = "scenario=write-behind-crash&fix=durable-queue&run=1.AAECCB&step=21";
/// The page's search's run of near-cache-stale with a short near TTL: it ends at
/// 102 ms, with service-2's near copy due to expire at 113 ms.
const NEAR_RUN: &str = "scenario=near-cache-stale&fix=short-near-ttl&run=1.AAAAAABBBBB&step=19";

const KEPT: &str = "the cache's disk log kept each";
const NONE_ACKED: &str = " No acknowledged write was lost: the database has v2, the last one. The cache crashed \
     before any write of user:1 was acknowledged, so its disk log had none to keep: the writer got every \
     acknowledgement after the crash.";

fn played(query: &str) -> Run {
    let mut run = common::at(query);
    run.run_to_end();
    run
}

/// The run the search shows is the run the code pins.
fn shown(id: &str, fix: &str, query: &str) -> Run {
    let run = common::counterexample(id, &[fix], 0, MAX_STATES, "cache-matches-db");
    assert_eq!(cachescope::sim::link::query(&run), query);
    run
}

/// Finding 1: the disk log carried nothing through a crash before any write; the ending
/// said it "kept each through the crash".
#[test]
fn a_crash_before_any_acknowledged_write_is_not_said_to_keep_one_in_the_log() {
    for run in [
        shown("write-behind-crash", "durable-queue", WB_RUN),
        played(WB_RUN),
    ] {
        assert_eq!(run.cursor(), 21);
        let w = run.world();
        assert_eq!(w.books.crashes_of(NodeId::CACHE), 1);
        assert_eq!(w.books.crashed_ms.get(&NodeId::CACHE), Some(&1));
        assert_eq!(w.books.acked.get(&Key(1)), Some(&Version(2)));
        assert_eq!(w.committed(Key(1)), Version(2));
        assert!(!w.books.saw(Happened::LogKept(Key(1))));
        assert!(!w.books.saw(Happened::AckedAtCrash(Key(1))));
        // The crash's step: its disk log held nothing; the only ack comes at 311 ms.
        let crash = &run.records()[2];
        assert!(
            crash.to_string().contains("1ms cache: crash cache"),
            "{crash}"
        );
        let acks: Vec<String> = run
            .records()
            .iter()
            .map(|r| r.to_string())
            .filter(|r| r.contains("=> acked"))
            .collect();
        assert_eq!(acks.len(), 1, "{acks:?}");
        assert!(
            acks[0].contains("311ms service->writer: ok user:1=v2"),
            "{acks:?}"
        );
        let text = ending(&run);
        assert!(text.contains(NONE_ACKED), "{text}");
        assert!(!text.contains(KEPT), "{text}");
        assert!(!text.contains("through the crash"), "{text}");
    }
}

/// The story's own run with the durable queue: the crash comes with v2 and v3 in the
/// disk log, which kept them (the reviewed wording stands).
#[test]
fn the_story_s_crash_with_writes_in_the_log_still_says_it_kept_them() {
    let run = common::run("write-behind-crash", &["durable-queue"]);
    assert!(run.world().books.saw(Happened::LogKept(Key(1))));
    let text = ending(&run);
    assert!(
        text.contains(
            "the cache's disk log kept each acknowledged write through the crash, so none could be lost."
        ),
        "{text}"
    );
}

/// A crash after the flusher wrote v3, the last acknowledged write: the log held nothing
/// because each acknowledged write was in the database already.
#[test]
fn a_crash_after_the_flush_says_the_writes_were_in_the_database() {
    let mut run = common::start("write-behind-crash", &["durable-queue"]);
    run.truncate_future();
    // The story's order, with the crash held back until v3 is written and flushed.
    while run.world().committed(Key(1)) < Version(3) {
        let next = run
            .world()
            .enabled()
            .into_iter()
            .find(|e| !matches!(e, Event::Fault(_)))
            .expect("the run goes on");
        run.fire(next).unwrap();
    }
    common::fire_where(&mut run, "db->flusher: put v3 done");
    assert_eq!(run.world().cache().logged(Key(1)), None);
    run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.books.acked.get(&Key(1)), Some(&Version(3)));
    assert!(!w.books.saw(Happened::LogKept(Key(1))));
    assert!(w.books.saw(Happened::AckedAtCrash(Key(1))));
    let text = ending(&run);
    assert!(
        text.contains(
            "Done. The database has v3, the last acknowledged write. Each write of user:1 acknowledged before \
             the cache crashed was already in the database then, so its disk log had none to keep."
        ),
        "{text}"
    );
    assert!(!text.contains(KEPT), "{text}");
}

/// Two crashes and restarts before the first write: the ending with more than one crash.
#[test]
fn two_crashes_before_any_acknowledged_write_keep_nothing_either() {
    let mut run = common::start("write-behind-crash", &["durable-queue"]);
    run.truncate_future();
    for _ in 0..2 {
        run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
        run.fire(Event::Fault(Fault::Restart(NodeId::CACHE)))
            .unwrap();
    }
    run.run_to_end();
    let w = run.world();
    assert_eq!(w.books.crashes_of(NodeId::CACHE), 2);
    assert_eq!(w.books.acked.get(&Key(1)), Some(&Version(3)));
    assert!(!w.books.saw(Happened::LogKept(Key(1))));
    assert!(!w.books.saw(Happened::AckedAtCrash(Key(1))));
    let text = ending(&run);
    assert!(
        text.contains(
            "The database has v3, the last acknowledged write. The cache last crashed before any write of user:1 \
             was acknowledged, so its disk log had none to keep at any of its crashes: the writer got every \
             acknowledgement after its last crash."
        ),
        "{text}"
    );
    assert!(!text.contains(KEPT), "{text}");
}

/// Finding 2: a near cache checks its TTL only when a read finds the copy, so nothing
/// ends service-2's copy at 113 ms in a run that ends at 102 ms.
#[test]
fn a_near_copy_s_ttl_is_said_to_end_it_only_at_a_read() {
    for run in [
        shown("near-cache-stale", "short-near-ttl", NEAR_RUN),
        played(NEAR_RUN),
    ] {
        assert_eq!(run.cursor(), 19);
        let w = run.world();
        assert_eq!(w.now_ms, 102);
        let near = w
            .nodes
            .service(NodeId::parse("service-2").unwrap())
            .unwrap();
        assert_eq!(
            near.near.entries.get(&Key(1)).map(|e| e.expires_ms),
            Some(113)
        );
        let text = ending(&run);
        assert!(
            text.contains(
                " The TTL of the copy in service-2's near cache would end it at 113 ms: a near cache checks its \
                 TTL when the copy is next read. The TTL of the copy in the cache ends it at 60062 ms, after this \
                 run's horizon (1000 ms): the run ends first, with it still stale."
            ),
            "{text}"
        );
        assert!(!text.contains("near cache ends it"), "{text}");
    }
}

/// The page's stale-set race in hybrid (45 steps, the run its search shows): the copy
/// of user:1 is stale, user:2's is not. The ending is written for user:2 (the batch
/// job's key, `{other-path user:2}`), but it leads with the stale key: the race, then
/// the key that kept.
#[test]
fn hybrids_race_ending_leads_with_the_stale_key() {
    let run = played("scenario=hybrid&run=1.AAAAAABBBBBBBBBBAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&step=45");
    let text = ending(&run);
    let one = text.find("user:1").expect("user:1 is named");
    let two = text.find("user:2").expect("user:2 is named");
    assert!(
        text.starts_with("This run took another path than the scenario's script.") && one < two,
        "{text}"
    );
}
