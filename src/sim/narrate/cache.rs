//! The cache's sentences: what it did (`CacheFact`), and what that means against the
//! database, read from the world after the step.
use super::super::books::Happened;
use super::super::cache_node::{AfterDelete, CacheFact};
use super::super::config::{Op, WriteMode, WriteOrder, NO_TTL};
use super::super::fact::Fact;
use super::super::ids::{Key, NodeId, Version};
use super::super::msg::{LeaseReply, Payload, Refusal};
use super::super::parts::{said, Said, Stage, TimerKind};
use super::super::world::World;
use super::names::Cast;

/// Where the newest version of `key` is, after `verb` ("has", "already has"): in the
/// database, or in write-behind still in the queue, not in the database (review session
/// 12, R7: "the database has v2" of a database at v1).
fn newest(w: &World, n: &Cast, key: Key, verb: &str) -> String {
    let (want, committed, the_db) = (w.expected(key), w.committed(key), n.db_of(key));
    if want == committed {
        format!("{the_db} {verb} {want}")
    } else {
        format!(
            "the latest write the cache has acknowledged, {want}, is still in the write-behind queue ({the_db} has \
             {committed})"
        )
    }
}

pub(super) fn say(w: &World, n: &Cast, fact: CacheFact) -> Said {
    let (the_cache, cap_cache) = (n.cache, n.cache.cap());
    let (the_service, cap_service) = (n.service, n.service.cap());
    match fact {
        CacheFact::Hit {
            key,
            version: v,
            expires_ms,
        } => {
            let ttl = if expires_ms == NO_TTL {
                "it has no TTL".to_string()
            } else {
                format!("its TTL runs to {expires_ms} ms")
            };
            let want = w.expected(key);
            let the_db = n.db_of(key);
            let absent = if v == Version(0) {
                format!(" It is a cached \"not found\": {the_service} will answer that {key} does not exist.")
            } else {
                String::new()
            };
            let behind = if v < want {
                let newest = newest(w, n, key, "has");
                format!(" But {newest}: {the_cache}'s copy is out of date.")
            } else if v > want {
                format!(" But {the_db} has committed only {want}: {the_cache}'s {v} is not a committed version.")
            } else {
                String::new()
            };
            said(
                format!("hit {v}"),
                format!(
                    "{cap_cache} has {key} = {v} ({ttl}): a hit, answered in one cache round trip; {the_db} is not \
                     touched.{absent}{behind}"
                ),
            )
        }
        CacheFact::Miss {
            key,
            lease,
            issued_ms,
            marked,
        } => {
            let marker = if marked {
                format!(
                    " It holds a remote marker for {key}: a write from this region has not replicated here yet, so \
                     the miss must read the primary."
                )
            } else {
                String::new()
            };
            let note = match lease {
                LeaseReply::None => String::new(),
                LeaseReply::Granted(t) => format!(
                    " {cap_cache} hands out lease #{t} for {key}: only a set carrying #{t} may fill the key, and a \
                     delete of the key invalidates the lease."
                ),
                LeaseReply::Wait => format!(
                    " Another request holds the lease on {key} (issued at {issued_ms} ms; memcache issues at most \
                     one per key every lease period), so this one is told to wait and ask again instead of loading \
                     {} too.",
                    n.db_of(key)
                ),
            };
            let suffix = match lease {
                LeaseReply::None => String::new(),
                LeaseReply::Granted(t) => format!(", lease #{t}"),
                LeaseReply::Wait => ", wait".to_string(),
            };
            said(
                format!("miss{suffix}"),
                if lease == LeaseReply::Wait {
                    format!("{cap_cache} has no {key}: a miss.{note}")
                } else {
                    format!(
                        "{cap_cache} has no {key}: a miss. {cap_service} must load it from {}.{note}{marker}",
                        miss_source(w, n, key, marked)
                    )
                },
            )
        }
        CacheFact::Stored {
            key,
            version,
            expires_ms: expires,
            ..
        } => {
            let ttl = if expires == NO_TTL {
                "with no TTL: it never expires, so only a write, an eviction or a crash will change it".to_string()
            } else {
                format!("with a TTL until {expires} ms")
            };
            let want = w.expected(key);
            let the_db = n.db_of(key);
            let committed = w.committed(key);
            let newest = newest(w, n, key, "already has");
            // A versioned set's tombstone a crash wiped (review session 12, R1): the
            // crash, not the fix, let this set land.
            let wiped = matches!(
                w.nodes.cache(super::acting_cache(w)).map(|c| c.guard),
                Some(super::super::cache::SetGuard::Versioned { .. })
            ) && w.books.happened.contains(&Happened::GuardWiped(key));
            let wiped = if wiped && version < want {
                format!(
                    " No tombstone refuses it: the delete of {key} had left one, and a crash of the cache wiped it."
                )
            } else {
                String::new()
            };
            let ahead = if version > want {
                format!(
                    " But {the_db} has committed only {committed}: {the_cache} now holds {version}, a version no \
                     committed row has, and that {}.",
                    // Its transaction already rolled back: never (review session 13, W9).
                    if w.primary_of(key).rolled_back.iter().any(|(k, b)| *k == key && *b >= version) {
                        "never will: its transaction rolled back"
                    } else {
                        "may never commit"
                    }
                )
            } else {
                String::new()
            };
            let stale = if version < want {
                let until = match (pending_removal(w, super::acting_cache(w), key), expires == NO_TTL) {
                    // Pending, not promised: a fault may still stop it (V17).
                    (Some(what), _) => format!(", until {what}, unless a fault stops it"),
                    (None, true) => {
                        ", and with no TTL no expiry ends it: only a later write, an eviction or a crash does".to_string()
                    }
                    (None, false) => format!(
                        ", and nothing in flight removes it before its TTL ends at {expires} ms"
                    ),
                };
                // In write-behind, older than the write still queued: whether a read of
                // it is stale is the read's to say, by what its client was told (review
                // 29, B: "serves a stale value" two steps before "not a stale read").
                let what = if want == w.committed(key) {
                    "now serves a stale value"
                } else {
                    "now holds a copy older than that write"
                };
                format!(" But {newest}: {the_cache} {what}{until}.")
            } else {
                String::new()
            };
            let negative = if version == Version(0) {
                format!(
                    " A negative entry: until it goes, reads of {key} are told the row does not exist, without \
                     asking {the_db}."
                )
            } else {
                String::new()
            };
            said(
                format!("stored {version}"),
                format!("{cap_cache} stores {key} = {version}, {ttl}.{negative}{stale}{ahead}{wiped}"),
            )
        }
        CacheFact::Refused {
            key,
            version,
            token,
            refusal,
            holds_newer,
        } => match refusal {
            Refusal::Outdated(newer) => {
                let how = if holds_newer {
                    format!("it already holds {key} = {newer}")
                } else {
                    format!("its tombstone says {key} reached {newer}")
                };
                said(
                    "refused: outdated",
                    format!("{cap_cache} refuses the set of {version}: {how}. The stale value never lands."),
                )
            }
            Refusal::LeaseInvalid => {
                // Why the token no longer matches, read from the cache after and the
                // books: a crash wiped it (review session 12, R1), a newer lease
                // replaced it, the same set used it, or a delete invalidated it.
                let cache = w.nodes.cache(super::acting_cache(w));
                let current = cache.and_then(|c| c.leases.get(&key)).map(|l| l.token);
                let used = cache.and_then(|c| c.live(key, w.now_ms)).is_some_and(|e| e.version == version);
                let why = match (token, current) {
                    (None, _) => "it carries no lease".to_string(),
                    (Some(t), _) if w.books.happened.contains(&Happened::LeaseWiped(t)) => format!(
                        "its lease #{t} is gone: a crash of {the_cache} wiped it (leases live in its memory)"
                    ),
                    (Some(t), Some(c)) => format!("its lease #{t} is no longer valid: a newer lease, #{c}, replaced it"),
                    (Some(t), None) if used => {
                        format!("its lease #{t} was already used by a copy of this set, which stored {version}")
                    }
                    (Some(t), None) => {
                        format!("its lease #{t} is no longer valid, because a delete invalidated it")
                    }
                };
                let then = if used {
                    format!(" {cap_cache} keeps the {version} that copy stored.")
                } else if version < w.expected(key) {
                    format!(
                        " The stale value never lands; until something fills {key}, a read misses and loads the \
                         current row."
                    )
                } else {
                    format!(" Until something fills {key}, a read misses and loads the current row.")
                };
                said(
                    "refused: lease invalid",
                    format!("{cap_cache} refuses the set of {key} = {version}: {why}.{then}"),
                )
            }
        },
        CacheFact::MarkerSet { key } => said(
            "marker set",
            format!(
                "{cap_cache} sets a remote marker for {key}: until the write has replicated to this region, a miss \
                 of {key} here will read the primary, not the local replica (Facebook's memcache, NSDI 2013 §5)."
            ),
        ),
        CacheFact::Deleted {
            key,
            held,
            then,
            marker,
        } => {
            let what = match held {
                Some(v) => format!("{cap_cache} deletes {key} (it held {v})."),
                None => format!(
                    "{cap_cache} deletes {key}; it was not cached, so there is nothing to remove."
                ),
            };
            let extra = match then {
                AfterDelete::Tombstone { version, until_ms } => format!(
                    " It keeps a tombstone ({key}, {version}) until {until_ms} ms, so a set older than {version} \
                     is refused."
                ),
                AfterDelete::LeaseVoided { token } => format!(
                    " Lease #{token} on {key} is now invalid: its holder's set will be refused."
                ),
                AfterDelete::Nothing => String::new(),
            };
            let marker = if marker {
                marker_cleared(w, key)
            } else {
                String::new()
            };
            said("deleted", format!("{what}{extra}{marker}"))
        }
        CacheFact::Locked {
            key,
            holder,
            until_ms,
        } => said(
            "locked",
            format!(
                "{cap_cache} gives {holder}'s request the lock on {key} (an atomic add of lock:{}), until \
                 {until_ms} ms: long enough for a load, short enough that a crashed holder does not block the key \
                 for ever.",
                key.0
            ),
        ),
        CacheFact::LockTaken {
            key,
            holder,
            until_ms,
        } => said(
            "lock taken",
            format!("{holder} holds the lock on {key} until {until_ms} ms: this request must wait."),
        ),
        CacheFact::Unlocked { key } => said(
            "unlocked",
            format!("{cap_cache} releases the lock on {key}."),
        ),
        CacheFact::Expired { key, held } => {
            let want = w.expected(key);
            let note = match held {
                Some(v) if v < want => format!(
                    " It held {v} while {} has {want}: the TTL is the safety net that bounds how long a stale \
                     value can live.",
                    n.db_of(key)
                ),
                Some(v) => format!(
                    " It held {v}, still the current version: a TTL also drops values that were right."
                ),
                None => String::new(),
            };
            said(
                "expired",
                format!(
                    "{key}'s TTL ran out: {the_cache} drops it, and until something fills it again a read misses \
                     and loads the row from {}.{note}",
                    expired_source(w, n, key)
                ),
            )
        }
        CacheFact::NothingToExpire { key } => {
            said("nothing to expire", format!("{key} was already gone."))
        }
        CacheFact::WbQueued { .. } | CacheFact::WbGone { .. } => super::behind::say(w, n, &[fact.into()]),
        CacheFact::Ignored { payload } => said(
            "ignored",
            format!("{cap_cache} does not handle {payload}."),
        ),
    }
}

/// Where a service loads a miss from, as `load.rs` sends it: by its settings, the
/// database, the primary (a replica exists but it reads the primary) or its read
/// replica; the primary when the key has a remote marker.
/// With several primaries, the one that owns `key`, by id.
/// The invalidator's delete removed `key`'s remote marker: a change of the key has
/// replicated to this region. The marker is per key (as McSqueal clears it), so it
/// goes even if the primary has a newer version the region's replica has not applied
/// (a second commit of the key): say so, from the replica this cache's services read.
fn marker_cleared(w: &World, key: Key) -> String {
    let cache = super::acting_cache(w);
    let here = w
        .nodes
        .services()
        .filter(|(_, s)| s.settings.cache == cache)
        .map(|(_, s)| s.reads_of(&crate::sim::msg::Payload::DbRead { key }))
        .find_map(|r| w.nodes.replica(r))
        .map(|r| r.read(key));
    let primary = w.committed(key);
    match here {
        Some(here) if here < primary => format!(
            " {key} = {here} has replicated to this region, so it removes {key}'s remote marker too. But the \
             primary already has {primary}, which has not replicated here yet: a miss here now reads the local \
             replica, which is still behind."
        ),
        _ => format!(
            " The change has replicated to this region, so it removes {key}'s remote marker too: misses here \
             read the local replica again."
        ),
    }
}

fn source_of(w: &World, n: &Cast, key: Key, service: NodeId, marked: bool) -> String {
    let Some(s) = w.nodes.service(service) else {
        return n.db_of(key).to_string();
    };
    match s.reads_of(&crate::sim::msg::Payload::DbRead { key }) {
        _ if marked => "the primary".to_string(),
        NodeId::REPLICA => "its read replica".to_string(),
        r @ NodeId::Replica(_) => r.to_string(),
        NodeId::DB if s.settings.has_replica => "the primary".to_string(),
        _ => n.db_of(key).to_string(),
    }
}

/// Where the service the cache answered this step will load its miss from.
fn miss_source(w: &World, n: &Cast, key: Key, marked: bool) -> String {
    let cache = super::acting_cache(w);
    let asked = w
        .net
        .iter()
        .find(|m| {
            m.id.0 >= w.facts.1.first_msg && m.from == cache && matches!(m.to, NodeId::Service(_))
        })
        .map_or(NodeId::SERVICE, |m| m.to);
    source_of(w, n, key, asked, marked)
}

/// Where a read that misses the acting cache node loads from: its services' source,
/// or "the database or a replica" where they differ.
fn expired_source(w: &World, n: &Cast, key: Key) -> String {
    let cache = super::acting_cache(w);
    let mut sources = w
        .nodes
        .services()
        .filter(|(_, s)| s.settings.cache == cache)
        .map(|(id, _)| source_of(w, n, key, id, false));
    let first = sources.next().unwrap_or_else(|| n.db_of(key).to_string());
    if sources.all(|s| s == first) {
        first
    } else {
        format!("{} or a replica", n.db_of(key))
    }
}

/// What is on its way to remove or replace the stale value cache node `cache` holds
/// for `key`, in words, if anything: a scheduled second delete, a delete in flight to
/// it, a write (by a service that uses it) that will delete after its commit, or an
/// event the consumer will act on.
fn pending_removal(w: &World, cache: NodeId, key: Key) -> Option<String> {
    let second = w
        .timers
        .iter()
        .filter(|t| {
            w.nodes
                .service(t.owner)
                .is_some_and(|s| s.settings.cache == cache)
        })
        .find(|t| matches!(t.kind, TimerKind::SecondDelete { key: k, .. } if k == key));
    if let Some(t) = second {
        return Some(format!(
            "the second delete due at {} ms removes it",
            t.at_ms
        ));
    }
    let deleting = w
        .net
        .iter()
        .any(|m| m.to == cache && matches!(m.payload, Payload::Del { key: k, .. } if k == key));
    if deleting {
        return Some(format!("the delete of {key} already on its way removes it"));
    }
    // A write (update, then delete) or an insert that deletes after its commit, and
    // whose commit is still to come.
    let update_deletes = w.config.write_order == WriteOrder::UpdateThenDelete
        && matches!(w.config.write_mode, WriteMode::Invalidate);
    let insert_deletes = w.config.negative.is_some_and(|n| n.invalidate_on_insert);
    let writing = w.nodes.services().find_map(|(_, s)| {
        if s.settings.cache != cache {
            return None;
        }
        s.flows.iter().find_map(|f| match f.op {
            _ if f.key != key || f.stage != Stage::Commit => None,
            Op::Write if update_deletes => Some("write"),
            Op::Insert if insert_deletes => Some("insert"),
            _ => None,
        })
    });
    if let Some(what) = writing {
        return Some(format!(
            "the {what} of {key} in progress deletes it after its commit"
        ));
    }
    if super::invalidator::will_delete(w, cache, key) {
        return Some(format!(
            "the invalidator deletes {key} when the change reaches it through the commit log"
        ));
    }
    if super::super::books::event_to_apply(w, key, w.expected(key)) {
        return Some(format!(
            "the consumer handles the event for {key} still on its way"
        ));
    }
    None
}

/// The TTLs that ran out while the clock jumped over them in this step (from
/// `before_ms`), with no expiry step of their own: an event due later went first, and
/// the entry stopped being served in between (review session 12, V22).
pub(super) fn meanwhile(w: &World, before_ms: u64) -> String {
    let mut out = String::new();
    for (id, c) in w.nodes.caches() {
        // Grouped by the moment they ran out (a bounded list: one per entry).
        let mut at: Vec<(u64, Vec<Key>)> = Vec::new();
        for (key, e) in c.entries.iter() {
            // Strictly before now: an expiry due at this very instant still has its own
            // step to come, at the same time (review session 13, W5: hybrid told it twice).
            let passed = before_ms < e.expires_ms && e.expires_ms < w.now_ms;
            // This step's own expiry of the key says it already.
            let told = w.facts.0.iter().any(|f| {
                matches!(f, Fact::Cache(CacheFact::Expired { key: k, .. } | CacheFact::NothingToExpire { key: k }) if k == key)
            });
            if passed && !told {
                match at.iter_mut().find(|(t, _)| *t == e.expires_ms) {
                    Some((_, keys)) => keys.push(*key),
                    None => at.push((e.expires_ms, vec![*key])),
                }
            }
        }
        let holder = if id == NodeId::CACHE && w.nodes.caches().nth(1).is_none() {
            "the cache".to_string()
        } else {
            id.to_string()
        };
        for (t, keys) in at {
            let what = match keys.len() {
                1 => format!("{}'s TTL", keys[0]),
                n => format!("the TTLs of {n} keys"),
            };
            let them = if keys.len() == 1 { "it" } else { "them" };
            out.push_str(&format!(
                " Meanwhile, at {t} ms, {what} ran out: {holder} no longer serves {them}."
            ));
        }
    }
    out
}
