//! A command the service already failed on a closed connection is never delivered and
//! answered afterwards (review session 21, U4). The cache crashed and restarted; the
//! service, not yet having read the close of its connection to the dead process, sent
//! reader-2's GET (m13) on it. The restarted process's host has no such connection and
//! resets it, as TCP does: the GET never reaches the new process, and the close fails it
//! (a Redis client fails the commands pending on a connection that closes). Until then
//! the GET was delivered to the restarted cache, whose "miss" drove a second select.
mod common;
use cachescope::sim::ids::MsgId;
use cachescope::sim::{Event, Metric, NodeId};
use common::{at, metric};

const RUN: &str = "scenario=delete-before-update-race&run=1.AAAAAAAAAAEAAE&step=18";

#[test]
fn a_get_failed_by_the_close_never_reaches_the_restarted_cache() {
    let mut run = at(RUN);
    run.run_to_end();
    let records = run.records();
    // The restart (step 14), then m13 sent (step 15), then the close read (step 16).
    assert!(
        records[13].narration.starts_with("cache restarts"),
        "{}",
        records[13]
    );
    assert_eq!(
        records[14].to_string().trim(),
        "53ms reader-2->service: read user:1 => get sent"
    );
    let closed = &records[15];
    assert_eq!(closed.hop, Some((NodeId::CACHE, NodeId::SERVICE)));
    assert!(
        closed.narration.contains(
            "its GET of user:1 fails. Cache-aside reads a failed lookup as a miss, so the service reads user:1 \
             from the database. m13 (get user:1), sent on that connection after cache restarted and before the \
             service read its close, never reaches the restarted process: its host has no such connection and \
             answers with a reset, as TCP does, so it is lost, and the command it carried has failed with the close."
        ),
        "{}",
        closed.narration
    );
    // m13 is never delivered afterwards, and nothing acts on an answer to it.
    assert!(
        records[16..]
            .iter()
            .all(|r| r.event != Event::Deliver(MsgId(13))),
        "m13 delivered after the close"
    );
    for r in &records[16..] {
        assert!(!r.narration.contains("On the miss"), "{r}\n{}", r.narration);
        assert!(
            !r.narration.contains("answered already"),
            "{r}\n{}",
            r.narration
        );
    }
    // One database read per client read: reader's and reader-2's, no second select.
    let selects = records
        .iter()
        .filter(|r| r.to_string().contains("service->db: select user:1"))
        .count();
    assert_eq!(selects, 2);
    assert_eq!(metric(&run, Metric::DbReads), 2);
    // The later steps: the one select of reader-2, its one set of v1, its answer.
    let sets = records
        .iter()
        .filter(|r| r.to_string().contains("service->cache: set user:1=v1"))
        .count();
    assert_eq!(sets, 2, "reader's fill and reader-2's fill, once each");
    let said: Vec<&str> = records[16..].iter().map(|r| r.narration.as_str()).collect();
    assert_eq!(
        said[..6],
        [
            "The database reads user:1: the committed version is v1.",
            "The service got v1 from the database and sets it in the cache, so that later reads can hit.",
            "The cache stores user:1 = v1, with a TTL until 60058 ms.",
            "The database commits user:1 = v2. The cache still holds v1: until it is removed or replaced, a read \
             that hits gets v1, a stale value.",
            "The service answers reader-2 with v1.",
            "reader-2 receives user:1 = v1. v2 was committed while this read was in flight, so v1 was still the \
             newest when the read began: a read that overlaps a write may return either, and this is not a stale \
             read.",
        ]
    );
}
