//! The invalidator's sentences (`invalidator.rs`): change data capture, as Debezium
//! reads the binlog and Facebook's McSqueal turns it into memcache deletes.
use super::super::config::WriteMode;
use super::super::describe::count;
use super::super::fault::NodeStatus;
use super::super::ids::{Key, NodeId, Version};
use super::super::invalidator::{Invalidator, InvalidatorFact};
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::world::World;

/// Whether the invalidator will delete `key` from `cache`: the change that makes its
/// row current is on its way to it (from the primary, through a replica) or in its
/// queue, and that change's delete to `cache` is still to come. The first queued
/// change is being deleted: once `cache` has taken its delete (answered, or its
/// answer on the way), that change will not delete from it again; while neither the
/// delete nor its answer is in flight, a retry after `retry_ms` sends it again.
pub(super) fn will_delete(w: &World, cache: NodeId, key: Key) -> bool {
    w.nodes
        .invalidators()
        .any(|(id, i)| will_delete_by(w, id, i, cache, key))
}

/// Whether invalidator `me` (`i`) will delete `key` from `cache` (`will_delete`).
fn will_delete_by(w: &World, me: NodeId, i: &Invalidator, cache: NodeId, key: Key) -> bool {
    let Some(db) = w.nodes.db(i.settings.primary) else {
        return false;
    };
    let owner = crate::sim::config::Shards::of(&w.config.topology).owner(key);
    if !i.settings.caches.contains(&cache) || owner != i.settings.primary {
        return false;
    }
    let want = db.read(key);
    let covers = |k: Key, v: Version| k == key && v >= want;
    let on_way = w.net.iter().any(|m| match m.payload {
        Payload::Change {
            key: k, version: v, ..
        } => (m.to == me || m.to == i.settings.source) && covers(k, v),
        _ => false,
    });
    // The head's delete to `cache` is still to be sent or sent again.
    let head_to_come = i.waiting.contains(&cache)
        && !w.net.iter().any(|m| match m.payload {
            Payload::Del { key: k, .. } => m.to == cache && k == key,
            Payload::DelReply { key: k } => m.from == cache && m.to == me && k == key,
            _ => false,
        });
    on_way
        || i.queue
            .iter()
            .enumerate()
            .any(|(at, e)| covers(e.key, e.version) && (at > 0 || head_to_come))
        || w.status_of(me) != NodeStatus::Up && i.position < db.lsn
}

/// The cache nodes the invalidator's deletes of this step go to, by name: "the cache"
/// where the topology has one, else each by id ("cache-2, its region's cache").
fn deleted_from(w: &World, me: NodeId, caches: u64) -> String {
    // In the order sent, each once (no sort: the page would carry one for NodeId).
    let mut to: Vec<NodeId> = Vec::new();
    for m in w.net.iter().filter(|m| {
        m.id.0 >= w.facts.1.first_msg && m.from == me && matches!(m.payload, Payload::Del { .. })
    }) {
        if !to.contains(&m.to) {
            to.push(m.to);
        }
    }
    let only_one = w.nodes.caches().nth(1).is_none();
    match to.as_slice() {
        [_] if only_one => "the cache".to_string(),
        [one] => format!("{one}, its region's cache"),
        // Sent to nodes that are all down or cut off: still its region's caches.
        [] => count(caches, "cache of its region", "caches of its region"),
        many => {
            let names: Vec<String> = many.iter().map(ToString::to_string).collect();
            format!(
                "each of its region's {} caches ({})",
                many.len(),
                names.join(", ")
            )
        }
    }
}

pub(super) fn say(w: &World, fact: InvalidatorFact) -> Said {
    let id = match w.facts.by(0) {
        Some(i @ NodeId::Invalidator(_)) => i,
        _ => NodeId::INVALIDATOR,
    };
    // The first by its role, another by its id.
    let (me, the_me) = match id {
        NodeId::INVALIDATOR => ("The invalidator".to_string(), "the invalidator".to_string()),
        _ => (id.to_string(), id.to_string()),
    };
    match fact {
        InvalidatorFact::Deleting {
            lsn,
            key,
            version,
            caches,
        } => {
            let source = w
                .nodes
                .invalidator(id)
                .map_or(NodeId::DB, |i| i.settings.source);
            let log = match source {
                NodeId::DB => "the primary's commit log".to_string(),
                NodeId::Db(_) => format!("the commit log of {source}"),
                other => format!("the binlog of {other}, the replica in its region"),
            };
            let only = match (w.config.write_mode, w.nodes.services().nth(1)) {
                (WriteMode::CommitOnly, None) => " Nothing in the service had to remember to invalidate.",
                (WriteMode::CommitOnly, Some(_)) => " No service had to remember to invalidate.",
                _ => "",
            };
            said(
                format!("del sent ({key})"),
                format!(
                    "{me} reads position {lsn} from {log}, {key} = {version}, and deletes {key} from {}: change data \
                     capture, as Facebook's McSqueal turns MySQL's binlog into memcache deletes.{only}",
                    deleted_from(w, id, caches as u64)
                ),
            )
        }
        InvalidatorFact::Queued { lsn, key, ahead } => said(
            "queued",
            format!(
                "{me} reads position {lsn} ({key}) and keeps it until the {} before it {} done: it deletes in commit \
                 order, one change at a time.",
                count(ahead as u64, "change", "changes"),
                if ahead == 1 { "is" } else { "are" }
            ),
        ),
        InvalidatorFact::Acked { key, from, left } => said(
            "deleted",
            format!(
                "{from} confirms the delete of {key}; {me} waits for {} more.",
                count(left as u64, "cache", "caches")
            ),
        ),
        InvalidatorFact::Done { lsn, key, next } => {
            let then = match next {
                Some((n, k)) => format!(" Next in commit order: position {n}, so it deletes {k} now."),
                None => String::new(),
            };
            said(
                format!("position {lsn}"),
                format!(
                    "The delete of {key} is confirmed. Only now does {the_me} record {lsn} as its \
                     binlog position, on \
                     disk (as Debezium commits its offset after handling a change): a crash before this point \
                     would have read the change again, never skipped it.{then}"
                ),
            )
        }
        InvalidatorFact::Skipped { lsn, received } => said(
            "already read",
            format!("{me} has read position {lsn} already (up to {received}): it skips the copy."),
        ),
        InvalidatorFact::OldConnection { lsn } => said(
            "old connection",
            format!("Position {lsn} comes from a connection {me} has since replaced: it ignores it."),
        ),
        InvalidatorFact::Gap { lsn, received } => said(
            "gap: read again",
            format!(
                "Position {lsn} arrives, but {me} has read only up to position {received}: it never skips a change, so it \
                 asks for the log again from position {received}."
            ),
        ),
        InvalidatorFact::Retried { key, caches } => said(
            "del sent again",
            format!(
                "No answer to the delete of {key} in time: {the_me} sends it again to {} (a delete is idempotent).",
                count(caches as u64, "cache", "caches")
            ),
        ),
        InvalidatorFact::Reconnected { position, source } => said(
            "",
            format!(" It asks {source} for the commit log from position {position}, its binlog position on disk."),
        ),
        InvalidatorFact::Idle => said("nothing to retry", format!("{me} has no delete under way.")),
        InvalidatorFact::Ignored { payload } => {
            said("ignored", format!("{me} does not expect {payload}."))
        }
    }
}
