//! Why a run that left its script ends as it does: the other-path ending, and the
//! causes it names (a stale copy's, an eviction, a broken subscription, an event never
//! published, a refused insert), read from the run's books and state (split from
//! `text.rs`).
use super::*;

/// An ending for a run that took another path than the scenario's script (a
/// learner's order, a fault, the search's counterexample): what the state holds, what
/// the run's books say caused a stale copy and what ends it (review session 12, V3 and
/// V14), and each invariant that is broken, its reason only where the first sentence
/// has not said it.
pub(super) fn other_path(w: &World, key: Key) -> String {
    // Every other key of which a live copy is older than the newest version it should
    // read: its sentence and its cause too, not only `key`'s (review session 15: a
    // write-behind run whose stale key was user:3 told only user:1).
    let stale = |c: &crate::sim::books::CachedCopy| {
        c.entry.expires_ms > w.now_ms && c.entry.version < w.expected(c.key)
    };
    let mut others: Vec<Key> = crate::sim::books::copies(w)
        .filter(|c| c.key != key && stale(c))
        .map(|c| c.key)
        .collect();
    others.sort_unstable();
    others.dedup();
    // The stale keys first: where `key` (the one the scenario's story is about) is
    // fresh and another is stale, the ending leads with the race, not with the key
    // that kept (review 26: hybrid's stale-set race on user:1 opened with "both hold
    // user:2 = v2").
    let key_stale = crate::sim::books::copies(w).any(|c| c.key == key && stale(&c));
    let mut order: Vec<Key> = others.clone();
    if key_stale || others.is_empty() {
        order.insert(0, key);
    } else {
        order.push(key);
    }
    let told = order
        .iter()
        .map(|k| format!("{}.{}", holds(w, *k), cause(w, *k)))
        .collect::<Vec<_>>()
        .join(" ");
    // The sentences already say how each stale copy differs from its row (not from a
    // write still queued in write-behind, which the invariant's reason says).
    let differs = |k: Key| live_copies(w, k).any(|c| c.entry.version != w.db().read(k));
    let said = (differs(key) || !others.is_empty()) && others.iter().all(|k| differs(*k));
    let broken: Vec<String> = INVARIANTS
        .into_iter()
        .filter_map(|i| {
            i.check(w).err().map(|why| match i {
                crate::sim::Invariant::CacheMatchesDb if said => format!("{} is broken", i.name()),
                _ => format!("{} is broken: {why}", i.name()),
            })
        })
        .collect();
    let unflushed = unflushed(w);
    let verdict = match (broken.is_empty(), &unflushed) {
        (true, None) => "Every invariant holds.".to_string(),
        (true, Some(_)) => {
            "No invariant is broken: no-lost-write counts a write still in a queue as kept."
                .to_string()
        }
        (false, _) => format!("{}.", broken.join("; ")),
    };
    format!(
        "This run took another path than the scenario's script. {told}{}{} {}{verdict}{}",
        evictions(w, key),
        unsubscribed(w),
        unflushed.unwrap_or_default(),
        unpublished(w, key)
    )
}

/// What memory pressure did to `key`, where the run's books say it evicted a copy
/// (review session 15, Y4 to Y6: an ending that did not name the eviction told its
/// effects as the pattern's). Empty otherwise.
pub(super) fn evicted(w: &World, key: Key) -> String {
    use crate::sim::books::Happened;
    if w.books.saw(Happened::EvictedStale(key)) {
        format!(
            " Memory pressure evicted a stale copy of {key} in this run: that eviction ended the copy's staleness."
        )
    } else if w.books.saw(Happened::Evicted(key)) {
        format!(" Memory pressure evicted a cached copy of {key} in this run.")
    } else {
        String::new()
    }
}

/// `evicted` for `key`, then for every other key memory pressure evicted a copy of
/// (review session 16, F3: hybrid's other-path ending is about user:2, and an eviction
/// of user:1 went unsaid).
fn evictions(w: &World, key: Key) -> String {
    use crate::sim::books::Happened;
    let mut others: Vec<Key> = w
        .books
        .happened
        .iter()
        .filter_map(|h| match *h {
            Happened::Evicted(k) if k != key => Some(k),
            _ => None,
        })
        .collect();
    others.sort_unstable();
    others.dedup();
    let mut out = evicted(w, key);
    for k in others {
        out.push_str(&evicted(w, k));
    }
    out
}

/// Each consumer whose subscription broke and who has not subscribed again, and what
/// that holds back: the events that wait for it in a durable bus, or, on an
/// at-most-once bus, that what is published meanwhile is lost for it (review session
/// 15, Y2 and Y7). Empty where every subscription holds.
fn unsubscribed(w: &World) -> String {
    use crate::sim::bus::EntryState;
    let mut out = String::new();
    for (bus, b) in w.nodes.buses() {
        for &c in &b.cut {
            let who = match (c, bus) {
                (NodeId::CONSUMER, NodeId::BUS) => {
                    "The consumer's subscription to the bus".to_string()
                }
                _ => format!("{c}'s subscription to {bus}"),
            };
            let then = if b.durable {
                let g = b
                    .subscribers
                    .iter()
                    .position(|(id, _)| *id == c)
                    .unwrap_or(0);
                // An event the bus sent it and that it has not acknowledged shows
                // "delivered" on the bus: it comes again after a resubscribe (review
                // session 16, F11); the others wait undelivered.
                let (mut sent, mut waiting) = (Vec::new(), Vec::new());
                for i in 0..b.log.len() {
                    match b.entry(g, i).map(|(st, _)| st) {
                        Some(EntryState::Sent) => sent.push(b.log[i].ev.id.to_string()),
                        Some(EntryState::Acked | EntryState::Dead) | None => {}
                        Some(_) => waiting.push(b.log[i].ev.id.to_string()),
                    }
                }
                let per_ack = b.settings.is_some_and(|s| s.ack_timeout_ms.is_some());
                let store = match (bus, per_ack) {
                    (NodeId::BUS, true) => "the bus's queue".to_string(),
                    (NodeId::BUS, false) => "the bus's log".to_string(),
                    (_, true) => format!("{bus}'s queue"),
                    (_, false) => format!("{bus}'s log"),
                };
                let and = |ids: &[String]| match ids {
                    [first @ .., last] if !first.is_empty() => {
                        format!("{} and {last}", first.join(", "))
                    }
                    _ => ids.join(""),
                };
                let mut then = Vec::new();
                match sent.len() {
                    0 => {}
                    1 => then.push(format!(
                        "{} was delivered to it but not acknowledged, so it stays in {store} and comes again once \
                         it subscribes again",
                        sent[0]
                    )),
                    _ => then.push(format!(
                        "{} were delivered to it but not acknowledged, so they stay in {store} and come again \
                         once it subscribes again",
                        and(&sent)
                    )),
                }
                match waiting.len() {
                    0 if sent.is_empty() => then.push(format!(
                        "no event waits for it in {store} now, but nothing new reaches it until it subscribes"
                    )),
                    0 => {}
                    1 => then.push(format!(
                        "{} waits for it in {store}, undelivered until it subscribes again",
                        waiting[0]
                    )),
                    _ => then.push(format!(
                        "{} wait for it in {store}, undelivered until it subscribes again",
                        and(&waiting)
                    )),
                }
                then.join("; ")
            } else {
                let the = match bus {
                    NodeId::BUS => "the bus".to_string(),
                    other => other.to_string(),
                };
                format!(
                    "whatever {the} publishes until it subscribes is not pushed to it, and is lost for it for good \
                     (at-most-once)"
                )
            };
            out.push_str(&format!(
                " {who} broke and it has not subscribed again: {then}."
            ));
        }
    }
    out
}

/// Why a change's event will never be published, where the run's books say: the
/// network lost the commit's reply, and the service publishes only once it hears of
/// the commit (review session 14, X5). Empty otherwise.
fn unpublished(w: &World, key: Key) -> String {
    match crate::sim::books::unpublished(w, key) {
        Some((service, v)) => {
            let who = match service {
                NodeId::SERVICE => "the service".to_string(),
                other => other.to_string(),
            };
            format!(
                " The network lost the database's reply to {who}'s commit of {key} = {v}. {} publishes the \
                 change's event only once it hears of the commit, so it still waits, and no event of {key} = {v} \
                 was ever published: nothing will tell the cache.",
                capital(&who)
            )
        }
        None => String::new(),
    }
}

/// Why a cache still holds an old copy of `key` at the end, as far as the run's books
/// and settings say, and when its TTL ends it; empty where no copy is stale.
fn cause(w: &World, key: Key) -> String {
    use crate::sim::books::Happened;
    use crate::sim::cache::SetGuard;
    use crate::sim::config::WriteMode;
    let want = w.expected(key);
    let Some(stale) = live_copies(w, key).find(|c| c.entry.version < want) else {
        return String::new();
    };
    let v = stale.entry.version;
    let saw = |h| w.books.saw(h);
    // A cache's crash since the key's latest commit (in write-behind, at any time: the
    // write was acknowledged before its commit); one before it is no cause of what
    // followed the commit (review session 19, F6: the race was never told in a run
    // whose cache had crashed, even before the race).
    let since = match w.config.write_mode {
        WriteMode::Behind => 0,
        _ => w.books.committed_ms.get(&key).copied().unwrap_or(0),
    };
    let crashed = w.nodes.caches().any(|(id, _)| {
        w.books.crashes_of(id) > 0
            && w.books
                .crashed_ms
                .get(&id)
                .is_none_or(|ms| u64::from(*ms) >= since)
    });
    // An older value stored in the only cache, loaded from the primary (no replica
    // behind), with no crash between: with one cache, the last thing stored in it.
    let raced = one_cache(w)
        && saw(Happened::StaleStored(key))
        && !saw(Happened::ReplicaBehind(key))
        && !crashed;
    let hole = match w.config.guard {
        SetGuard::Plain => ", the hole leases and versioned sets close",
        _ => "",
    };
    // The only cache crashed after the commit and holds the stale copy: the copy was set
    // after its restart, so after the commit, by a read that loaded it before (review
    // 20b, N4: the ending named neither the crash nor the race).
    let restarted = one_cache(w)
        .then(|| w.books.crashed_ms.get(&NodeId::CACHE).copied())
        .flatten()
        .filter(|ms| crashed && u64::from(*ms) >= since)
        .map(|ms| {
            let race = if saw(Happened::ReplicaBehind(key)) {
                String::new()
            } else {
                format!(
                    " A read loaded {v} from the database before the commit of {want} and set it after the \
                     restart: the stale-set race{hole}."
                )
            };
            format!(" The cache crashed at {ms} ms, after the commit, and restarted empty.{race}")
        });
    let why = match w.config.write_mode {
        // A transaction-aware cache's write waits for COMMIT's answer in the service:
        // a crash of the service between the two loses it (review session 16, F7).
        WriteMode::Through
            if w.config.txn.is_some_and(|t| t.cache_aware)
                && w.committed(key) >= want
                && w.books.acked.get(&key).is_none_or(|a| *a < want) =>
        {
            match w.nodes.services().find(|(id, _)| w.books.crashes_of(*id) > 0) {
                Some((s, _)) => format!(
                    " The transaction committed {key} = {want}, but the cache write {s} held for after COMMIT \
                     never reached the cache, and {s} crashed in this run: a crash between COMMIT and the held \
                     write loses it, the cost of the transaction-aware cache."
                ),
                None => String::new(),
            }
        }
        // The write sets the cache itself, and no delete is its to send.
        WriteMode::Through => String::new(),
        // The write put `want` in the cache (and acknowledged it) before the flusher
        // wrote it to the database; the older value stored after it was read there
        // before `want` reached it (review session 13: not "the write's invalidation").
        WriteMode::Behind if raced => format!(
            " A read loaded {v} from the database before {want} reached it, and set it after the write had put \
             {want} in the cache: the stale-set race, in write-behind."
        ),
        WriteMode::Behind => String::new(),
        // Behind a CDN edge, its purges are not deletes at the origin's cache (review
        // 22, M6: "reached a cache" was said where the edge had purged the key).
        _ if saw(Happened::Undeleted(key)) => format!(
            "{} No delete of {key} reached {}.{}",
            refused(w, key),
            if w.nodes.cdn(NodeId::Cdn).is_some() {
                "the origin's cache after its latest commit (a purge at the edge drops only the edge's copy)"
            } else {
                "a cache after its latest commit"
            },
            restarted.unwrap_or_default()
        ),
        // The write's invalidation reached the only cache after the commit, and an
        // older value landed after it: a read that loaded it before the write.
        _ if raced => format!(
            " A read loaded {v} before the write and set it after the write's invalidation: the stale-set race{hole}."
        ),
        _ => restarted.unwrap_or_default(),
    };
    // Each stale copy's own TTL where there are several (review session 16, F9: "Its
    // TTL" named the near copy's and not the shared cache's).
    let all: Vec<CachedCopy> = live_copies(w, key)
        .filter(|c| c.entry.version < want)
        .collect();
    let h = w.config.horizon_ms;
    let at = |c: &CachedCopy| c.entry.expires_ms;
    let past = all.iter().filter(|c| at(c) > h).count();
    let timed = all.iter().all(|c| at(c) != crate::sim::config::NO_TTL);
    // A near copy's TTL due within the run ends it only at a read (review 26).
    let lazy = all.iter().any(|c| c.near && at(c) <= h);
    let ttl = if all.len() < 2 {
        ttl_words(w, &stale, "Its TTL", "It has no TTL", "the copy")
    } else if timed && !lazy && (past == 0 || past == all.len()) {
        let each: Vec<String> = all
            .iter()
            .map(|c| format!("{} ms in {}", at(c), c.holder_words()))
            .collect();
        let after = match past {
            0 => String::new(),
            _ => format!(
                ", after this run's horizon ({h} ms): the run ends first, with them still stale"
            ),
        };
        format!(" Their TTLs end them at {}{after}.", each.join(" and "))
    } else {
        all.iter()
            .map(|c| {
                let copy = format!("the copy in {}", c.holder_words());
                ttl_words(
                    w,
                    c,
                    &format!("The TTL of {copy}"),
                    &capital(&format!("{copy} has no TTL")),
                    "it",
                )
            })
            .collect()
    };
    format!("{why}{ttl}")
}

/// When a stale copy's TTL ends it: " {ttl} ends it at X ms." (with the horizon's note
/// when that is after the run), or " {none}: only a later write replaces it." A near
/// cache has no timer: it checks a copy's TTL when a read finds the copy (`near.rs`),
/// so a near copy's TTL would end it then (review 26: "ends it at 113 ms" was said of
/// a run that ended at 102 ms, next to a TTL past the horizon, where nothing ends it).
fn ttl_words(w: &World, c: &CachedCopy, ttl: &str, none: &str, it: &str) -> String {
    let at = c.entry.expires_ms;
    if at == crate::sim::config::NO_TTL {
        format!(" {none}: only a later write replaces it.")
    } else if c.near && at <= w.config.horizon_ms {
        format!(" {ttl} would end it at {at} ms: a near cache checks its TTL when the copy is next read.")
    } else if at > w.config.horizon_ms {
        // The run stops at its horizon: a TTL due later ends the copy after the run,
        // which is why a search's run can end broken where the story ends mended by
        // its TTL (review session 14, X7).
        format!(
            " {ttl} ends it at {at} ms, after this run's horizon ({} ms): the run ends first, with {it} still stale.",
            w.config.horizon_ms
        )
    } else {
        format!(" {ttl} ends it at {at} ms.")
    }
}

/// Why an insert deleted nothing where the settings invalidate on insert: a client's
/// INSERT answered by a duplicate-key refusal (review session 13, W6: a duplicated
/// INSERT whose refusal reached the service first). A refusal is taken only while the
/// request waits for its commit (`Service::handle`), and answers it with nothing sent
/// to the cache (`negative::refused`). Empty otherwise.
fn refused(w: &World, key: Key) -> String {
    use crate::sim::msg::Payload;
    let deletes = w.config.negative.is_some_and(|n| n.invalidate_on_insert);
    // (A rolled-back transaction answers `WriteFailed` too.)
    let told = w
        .clients
        .iter()
        .find(|c| c.last_answer == Some(Payload::WriteFailed { key }));
    match told {
        Some(c) if deletes && w.config.txn.is_none() => format!(
            " The service told {} its INSERT of {key} failed: a duplicate-key refusal reached the request before \
             any commit's answer did, and a refused INSERT deletes nothing.",
            c.id
        ),
        _ => String::new(),
    }
}
