//! Write-behind's sentences: the cache queues a write, its flusher plans, takes a
//! batch, writes it and reports back, over their local connection within one step.
//! The step's words are each fact's, in order: the first outcome, and every sentence.
use super::super::behind::FlusherFact;
use super::super::cache_node::CacheFact;
use super::super::fact::Fact;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::super::{Key, NodeId, Version};
use super::names::Cast;

pub(super) fn say(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    let cap_cache = n.cache.cap();
    let (the_flusher, cap_flusher) = (n.flusher, n.flusher.cap());
    let mut step = Said::silent();
    let mut batch: Vec<String> = Vec::new();
    // Where the batch goes: one primary, or each key to the primary that owns it.
    let mut owners: Vec<String> = Vec::new();
    for fact in facts {
        let s = match *fact {
            Fact::Cache(CacheFact::WbQueued {
                key,
                version,
                coalesced,
                durable,
                disk_ms,
            }) => {
                let queued = if coalesced {
                    format!(
                        " {key} was already queued: the queue now holds only {version} for it (coalescing)."
                    )
                } else {
                    format!(" It queues {key} = {version} for {the_flusher}.")
                };
                let disk = if durable {
                    format!(
                        " Before the ack it appends the write to its log on disk ({disk_ms} ms): the ack now \
                         survives a crash."
                    )
                } else {
                    " The queue is only in memory: until it is flushed, the write exists nowhere else."
                        .to_string()
                };
                // With the log on disk the ack waits for the append (review 27).
                let when = if durable {
                    "once it is on disk"
                } else {
                    "at once"
                };
                said(
                    format!("queued {version}"),
                    format!(
                        "{cap_cache} stores {key} = {version} and acknowledges the write {when}.{queued}{disk}"
                    ),
                )
            }
            Fact::Flusher(f) => match f {
                FlusherFact::Stray => said("ignored", ""),
                FlusherFact::Planned { at_ms } => {
                    said("", format!(" {cap_flusher} will run at {at_ms} ms."))
                }
                FlusherFact::Unreachable { cache, at_ms } => said(
                    "queue unreachable",
                    format!(
                        "{cap_flusher} cannot reach the queue: {cache} is not running. It tries again at {at_ms} ms."
                    ),
                ),
                FlusherFact::Empty => said(
                    "nothing to flush",
                    format!("{cap_flusher} finds the queue empty: nothing to write."),
                ),
                FlusherFact::Putting { key, version } => {
                    batch.push(format!("{key}={version}"));
                    let owner = n.db_of(key).to_string();
                    if !owners.contains(&owner) {
                        owners.push(owner);
                    }
                    continue;
                }
                FlusherFact::BatchSent { left, batch_size } => {
                    let more = if left > 0 {
                        format!(
                            " {left} more {} for the next batch.",
                            if left == 1 { "waits" } else { "wait" }
                        )
                    } else {
                        String::new()
                    };
                    let s = said(
                        format!("flush {}", batch.len()),
                        format!(
                            "{cap_flusher} takes a batch of {} (at most {batch_size}) from the queue and writes it to \
                             {}: {}.{more}",
                            batch.len(),
                            if owners.is_empty() {
                                n.db.to_string()
                            } else {
                                owners.join(" and ")
                            },
                            batch.join(", ")
                        ),
                    );
                    batch.clear();
                    owners.clear();
                    s
                }
                FlusherFact::Flushed { key, version } => {
                    // The cache whose queue held the write: the reporting flusher's.
                    let cache = facts
                        .iter()
                        .position(|f| matches!(f, Fact::Flusher(FlusherFact::Flushed { key: k, version: v }) if (*k, *v) == (key, version)))
                        .and_then(|i| w.facts.by(i))
                        .and_then(|id| w.nodes.flusher(id))
                        .map_or(w.flusher().settings.cache, |f| f.settings.cache);
                    // The cache says when its queue no longer held the write (which
                    // cache: the node that recorded it).
                    let gone = facts.iter().enumerate().find_map(|(i, f)| match f {
                        Fact::Cache(CacheFact::WbGone { key: k, version: v, again }) if (*k, *v) == (key, version) => {
                            Some((w.facts.by(i)?, *again))
                        }
                        _ => None,
                    });
                    let then = match gone {
                        Some((_, true)) => "an earlier answer already removed it from the queue".to_string(),
                        // A durable queue's replay after the restart queued it anew
                        // (review session 20, F3): not emptied.
                        Some((cache, false)) if w.books.crashes_of(cache) > 0 && holds(w, cache, key, version, false) => format!(
                            "its put left before {} crashed, and after the restart {} replayed it from its disk \
                             log into the queue: the flusher will send it once more",
                            n.cache, n.cache
                        ),
                        Some((cache, false)) if w.books.crashes_of(cache) > 0 => format!(
                            "its put left before {} crashed, and the crash emptied the queue: there is nothing to \
                             remove",
                            n.cache
                        ),
                        Some(_) => "the queue no longer holds it: there is nothing to remove".to_string(),
                        // The cache is down: the answer reaches no queue, and the crash
                        // emptied it (review session 13, W3).
                        None if !w.is_up(cache) => {
                            if w.books.crashes_of(cache) > 0 && holds(w, cache, key, version, true) {
                                // Its disk log keeps it (review session 20, F12).
                                format!(
                                    "its put left before {} crashed, and {} is still down: its queue in memory went \
                                     with the crash, and its disk log keeps the write to replay at a restart",
                                    n.cache, n.cache
                                )
                            } else if w.books.crashes_of(cache) > 0 {
                                format!(
                                    "its put left before {} crashed, and {} is still down, its queue lost in the \
                                     crash: there is nothing to remove",
                                    n.cache, n.cache
                                )
                            } else {
                                format!("{} is down: there is no queue to remove it from", n.cache)
                            }
                        }
                        None => format!("{the_flusher} removes it from the queue"),
                    };
                    said(
                        format!("flushed {version}"),
                        format!("{key} = {version} is in {}: {then}.", n.db_of(key)),
                    )
                }
                FlusherFact::Ignored { payload } => said(
                    "ignored",
                    format!("{cap_flusher} does not expect {payload}."),
                ),
            },
            _ => continue,
        };
        step = step.and(s);
    }
    step
}

/// Whether `cache`'s queue (or, `log`, its disk log) holds a write of `key` at
/// `version` or newer: a durable queue's replay, or its log while the node is down.
fn holds(w: &World, cache: NodeId, key: Key, version: Version, log: bool) -> bool {
    w.nodes.cache(cache).is_some_and(|c| {
        if log {
            c.log.iter().any(|&(k, v)| k == key && v >= version)
        } else {
            c.queue.iter().any(|q| q.key == key && q.version >= version)
        }
    })
}
