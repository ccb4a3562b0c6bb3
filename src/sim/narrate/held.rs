//! What a crashed node lost, in words, read from what it held just before (`Held`):
//! a service's open requests and the work they had still to do, its timers; a cache
//! node's keys and guards; a log reader's position. Split from `fault.rs`.
use super::super::config::WriteMode;
use super::super::describe::count;
use super::super::fault::{FaultFact, Held};
use super::super::ids::NodeId;
use super::super::msg::Payload;
use super::super::service::Pending;
use super::super::world::World;
use super::names::Cast;

/// A crashed service's open requests by kind, and what they had still to send
/// (`Pending`): "4 reads; what they had still to send never happens: 3 cache fills
/// after their database reads" (their clients' closes are said after, `closes`).
fn unsent(requests: u32, p: Pending) -> String {
    let n = |k: u32| u64::from(k);
    let mut kinds = Vec::new();
    // Reads and writes: their clients read their connections close (`closes`).
    for (k, one, many) in [(p.reads, "read", "reads"), (p.writes, "write", "writes")] {
        if k > 0 {
            kinds.push(count(n(k), one, many));
        }
    }
    let background = requests.saturating_sub(p.requests());
    if background > 0 {
        kinds.push(count(n(background), "early recompute", "early recomputes"));
    }
    let never: Vec<String> = [
        (
            p.fills,
            "cache fill after its database read",
            "cache fills after their database reads",
        ),
        (p.deletes, "cache delete", "cache deletes"),
        (p.sets, "cache set", "cache sets"),
        (
            p.publishes,
            "publish of its event",
            "publishes of their events",
        ),
        (p.updates, "database update", "database updates"),
    ]
    .into_iter()
    .filter(|(k, _, _)| *k > 0)
    .map(|(k, one, many)| count(n(k), one, many))
    .collect();
    let they = if requests == 1 { "it" } else { "they" };
    let never = match never.split_last() {
        None => String::new(),
        Some((last, [])) => format!("; what {they} had still to send never happens: {last}"),
        Some((last, rest)) => format!(
            "; what {they} had still to send never happens: {} and {last}",
            rest.join(", ")
        ),
    };
    format!("{}{never}", kinds.join(" and "))
}

/// What a crashed service's timers were, in words: its delayed second delete, where it
/// sets no other timer (a wait for a lease or a lock sets a retry).
fn planned(w: &World, node: NodeId) -> &'static str {
    let Some(s) = w.nodes.service(node).map(|s| s.settings) else {
        return "what it had scheduled";
    };
    let lease = w
        .nodes
        .cache(s.cache)
        .is_some_and(|c| matches!(c.guard, crate::sim::cache::SetGuard::Lease { .. }));
    let retries = lease || matches!(s.load_guard, crate::sim::config::LoadGuard::Mutex { .. });
    match (s.second_delete_ms, retries) {
        (Some(_), false) => "the delayed second delete it had scheduled",
        (None, true) => "the retry it had scheduled",
        _ => "what it had scheduled (a second delete, a retry)",
    }
}

/// What `node` lost in its crash, in words, from what it held just before.
pub(super) fn lost(w: &World, n: &Cast, node: NodeId, held: Held, scheduled: bool) -> String {
    match node {
        NodeId::Service(_) => {
            if held.near_keys > 0 {
                let keys = count(u64::from(held.near_keys), "key", "keys");
                let work = match held.requests {
                    0 if scheduled => ", and what it had scheduled",
                    0 => "",
                    _ => ", and its open requests",
                };
                return format!("its memory is gone: the {keys} of its near cache{work}");
            }
            // What a committed change still needs from it, by its write path.
            let after = match w.nodes.service(node).map(|s| s.settings.write_mode) {
                Some(WriteMode::Outbox) if held.work.writes > 0 => {
                    "; a committed change needs nothing more from it: its event is in the outbox table, with the row"
                }
                Some(WriteMode::CommitOnly) if held.work.writes > 0 => {
                    "; a committed change needs nothing more from it: the invalidator reads it from the commit log"
                }
                _ => "",
            };
            // What its timers were (review 22, M4: a second delete died unsaid).
            let plan = planned(w, node);
            match held.requests {
                0 if scheduled => format!("it had no open request, but {plan} never happens"),
                0 => "it had no open request, so nothing in its memory is lost".to_string(),
                n => format!(
                    "{}: {}{after}{}",
                    if n == 1 {
                        "its 1 open request is gone".to_string()
                    } else {
                        format!("its {n} open requests are gone")
                    },
                    unsent(held.requests, held.work),
                    if scheduled {
                        format!("; {plan} never happens")
                    } else {
                        String::new()
                    }
                ),
            }
        }
        NodeId::Cache(_) => {
            let log = if held.logged == 0 {
                String::new()
            } else {
                format!(
                    "; the disk log keeps {} to replay",
                    count(u64::from(held.logged), "write", "writes")
                )
            };
            let mut gone = Vec::new();
            // Each kind of guard by its count, never a kind it did not hold (review
            // session 12, R11: "its leases, locks and tombstones" of one tombstone); a
            // wiped tombstone or lease by key (the `Wiped` facts after this one).
            let wiped = |pick: fn(&FaultFact) -> Option<String>| -> String {
                let each: Vec<String> = w
                    .facts
                    .0
                    .iter()
                    .filter_map(|f| match f {
                        super::super::fact::Fact::Fault(f @ FaultFact::Wiped { node: at, .. }) if *at == node => {
                            pick(f)
                        }
                        _ => None,
                    })
                    .collect();
                if each.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", each.join(", "))
                }
            };
            if held.keys > 0 {
                let which = wiped(|f| match *f {
                    FaultFact::Wiped { key, negative: true, .. } => {
                        Some(format!("{key}'s negative entry, a cached \"not found\""))
                    }
                    _ => None,
                });
                gone.push(format!("{}{which}", count(u64::from(held.keys), "cached key", "cached keys")));
            }
            if held.tombstones > 0 {
                let which = wiped(|f| match *f {
                    FaultFact::Wiped { key, tombstone: Some(v), .. } => Some(format!("{key} at {v}")),
                    _ => None,
                });
                gone.push(format!("{}{which}", count(u64::from(held.tombstones), "tombstone", "tombstones")));
            }
            if held.leases > 0 {
                let which = wiped(|f| match *f {
                    FaultFact::Wiped { key, lease: Some(t), .. } => Some(format!("#{t} on {key}")),
                    _ => None,
                });
                gone.push(format!("{}{which}", count(u64::from(held.leases), "lease", "leases")));
            }
            if held.locks > 0 {
                gone.push(count(u64::from(held.locks), "lock", "locks"));
            }
            if held.markers > 0 {
                gone.push(count(u64::from(held.markers), "remote marker", "remote markers"));
            }
            if held.queued > 0 {
                // A write whose put its flusher had already sent is on the wire, not
                // only in the lost queue (review session 12, V2).
                let flusher = w.nodes.cache(node).map(|c| c.behind.flusher);
                let (mut wire, mut to) = (Vec::new(), Vec::new());
                for m in &w.net {
                    if let Payload::DbPut { key, version } = m.payload {
                        if Some(m.from) == flusher && w.committed(key) < version {
                            wire.push(format!("{key} = {version} in {}", m.id));
                            let db = n.db_of(key).to_string();
                            if !to.contains(&db) {
                                to.push(db);
                            }
                        }
                    }
                }
                let to = to.join(" and ");
                let on = match wire.len() {
                    0 => String::new(),
                    1 => format!(" (the put of {} is already on its way to {to} and may still land)", wire[0]),
                    _ => format!(
                        " (the puts of {} are already on their way to {to} and may still land)",
                        wire.join(" and ")
                    ),
                };
                gone.push(format!("{}{on}", count(u64::from(held.queued), "queued write", "queued writes")));
            }
            let gone = match gone.len() {
                0 => "it held nothing".to_string(),
                1 => gone.remove(0),
                _ => {
                    let last = gone.pop().unwrap_or_default();
                    format!("{} and {last}", gone.join(", "))
                }
            };
            format!("its memory is gone: {gone}{log}")
        }
        NodeId::Consumer(_) => match held.events {
            0 => "it had no event in hand, so nothing in its memory is lost".to_string(),
            1 => "the 1 event it had received but not finished is gone from its memory".to_string(),
            n => format!("the {n} events it had received but not finished are gone from its memory"),
        },
        NodeId::Relay(_) => {
            // Its primary by id where there are several.
            let db = w
                .nodes
                .relay(node)
                .map(|r| r.settings.db)
                .filter(|_| w.nodes.dbs().nth(1).is_some())
                .map_or("the database".to_string(), |db| db.to_string());
            format!("it forgets what it was publishing; the outbox table, in {db}, keeps every row")
        }
        NodeId::Bus(_) if w.nodes.bus(node).is_some_and(|b| b.durable) => {
            "its log and the committed offsets are on disk: none of them is lost".to_string()
        }
        NodeId::Bus(_) => "it keeps nothing: whatever it was passing on is gone".to_string(),
        NodeId::Flusher(_) => format!(
            "its queue lives in {}, so nothing is lost but its schedule",
            // The cache node it drains, by id where there are several.
            match w.nodes.flusher(node).map(|f| f.settings.cache) {
                Some(cache) if w.nodes.caches().nth(1).is_some() => cache.to_string(),
                _ => n.cache.to_string(),
            }
        ),
        NodeId::Db(_) => match held.txns {
            0 => "what it committed is on disk: none of it is lost".to_string(),
            n => format!(
                "what it committed is on disk, but its {} never committed: {} rolled back, as if never \
                 made",
                count(u64::from(n), "open transaction", "open transactions"),
                if n == 1 { "it is" } else { "they are" }
            ),
        },
        NodeId::Invalidator(_) => {
            let gone = match held.changes {
                0 => "it held no change in memory".to_string(),
                n => format!(
                    "the {} it had received and not finished {} gone from its memory, and will be read again \
                     from the log",
                    count(u64::from(n), "change", "changes"),
                    if n == 1 { "is" } else { "are" }
                ),
            };
            format!(
                "its binlog position ({}: every change up to it is handled) is on disk; {gone}",
                held.position
            )
        }
        NodeId::Replica(_) => format!(
            "its rows and its binlog position ({}) are on disk: when it reconnects, the primary streams it every \
             change after that position again",
            held.position
        ),
        // The edge's rule (`Cdn::on_crash`): its stored responses and the requests it
        // was forwarding are in its memory.
        NodeId::Cdn => {
            let stored = match held.keys {
                0 => "it had stored no response yet".to_string(),
                k => format!(
                    "its memory is gone: the {}, so every read through it goes to the origin until it stores \
                     them again",
                    count(u64::from(k), "stored response", "stored responses")
                ),
            };
            let forwarding = match held.requests {
                0 => String::new(),
                1 => "; the request it was forwarding is forgotten, so its answer will find no one to pass it to"
                    .to_string(),
                r => format!(
                    "; the {r} requests it was forwarding are forgotten, so their answers will find no one to pass \
                     them to"
                ),
            };
            format!("{stored}{forwarding}")
        }
        _ => "its work in progress is gone".to_string(),
    }
}
