//! Why a key's cache is empty, or was refilled, after a delete reached it: said by the
//! last thing that emptied it (the delete, an eviction, a crash that wiped a refilled
//! copy, a crash before the write), from the run's books (review 21, U1 to U3, M1, M2:
//! a crash anywhere in the run was told as the reason, and a refill the crash or an
//! eviction then removed went unsaid).
use super::*;
use crate::sim::books::Happened;
use crate::sim::fault::NodeStatus;

/// What followed the delete of `key` that reached a cache, as a clause: "and the next
/// read refilled it", "a read refilled it from the database, and memory pressure then
/// evicted it", "then the cache crashed and is still down: …". With `head`, the clause
/// opens with the write's delete ("the write deleted the key, " or, where the delete
/// found no copy, "the write's delete found no copy of the key to remove, ").
/// `db`: " from the database" after the next read's refill of a cached key, or "".
pub(super) fn after_delete(w: &World, key: Key, head: bool, db: &str) -> String {
    let saw = |f| w.books.saw(f);
    let none = saw(Happened::DeletedNone(key));
    let (crashed, down, before) = crash(w, key);
    let cached = live_copies(w, key).next().is_some();
    // The crash came straight after the delete: nothing refilled it between.
    let next = !cached && !saw(Happened::Refilled(key)) && down;
    let filled = if none { "filled" } else { "refilled" };
    let mut out = String::new();
    if head {
        out.push_str(if none {
            "the write's delete found no copy of the key to remove"
        } else if next {
            "the write's delete reached the cache"
        } else {
            "the write deleted the key"
        });
        if none && before {
            out.push_str(" (the cache had crashed before the commit and restarted empty)");
        }
        out.push_str(", ");
    }
    let still_down = "is still down: no read can refill it until it restarts";
    let tail = if cached {
        format!("and the next read {filled} it{db}")
    } else if saw(Happened::Refilled(key)) {
        let then = if saw(Happened::EvictedLast(key)) {
            "and memory pressure then evicted it".to_string()
        } else if !crashed {
            "and its TTL then ran out".to_string()
        } else if down {
            format!("then the cache crashed and {still_down}")
        } else {
            "then the cache crashed and restarted empty, and no read has refilled it since"
                .to_string()
        };
        format!("a read {filled} it from the database, {then}")
    } else if next {
        format!("then the cache crashed and {still_down}")
    } else if crashed && !before {
        format!(
            "and no read has {filled} it since; the cache crashed in this run and restarted empty"
        )
    } else {
        format!("and no read has {filled} it yet")
    };
    out.push_str(&tail);
    out
}

/// Why `key`, which a read filled and the cache served, is not cached now (a
/// cache-aside read's ending), from ": " or ".": the eviction of the copy last
/// stored, or the crash that wiped it (review 21, U2: a crash before the fill was told
/// as the reason for an eviction's work).
pub(super) fn emptied(w: &World, key: Key) -> String {
    let (crashed, down, _) = crash(w, key);
    if w.books.saw(Happened::EvictedLast(key)) || !crashed {
        format!(".{}", super::why::evicted(w, key))
    } else if down {
        ": the cache crashed after serving the reads and is still down.".to_string()
    } else {
        ": the cache crashed in this run and restarted empty.".to_string()
    }
}

/// Whether the cache has crashed in the run, whether it is down now, and whether its
/// latest crash came before the key's latest commit.
fn crash(w: &World, key: Key) -> (bool, bool, bool) {
    let cache = NodeId::CACHE;
    let crashed = w.books.crashes_of(cache) > 0;
    let down = w.status_of(cache) != NodeStatus::Up;
    let before = crashed
        && match (
            w.books.crashed_ms.get(&cache),
            w.books.committed_ms.get(&key),
        ) {
            (Some(c), Some(k)) => u64::from(*c) <= *k,
            _ => false,
        };
    (crashed, down, before)
}
