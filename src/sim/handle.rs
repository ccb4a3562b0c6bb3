//! What the cache, the database and the clients do with a message that reaches them.
use super::books::Happened;
use super::cache_node::CacheFact;
use super::config::{Op, WriteMode, NO_TTL};
use super::ids::{Key, NodeId};
use super::msg::{Message, Payload};
use super::world::{Said, Stage, TimerKind, World};

/// What the cache did, observed from the whole world: the books (hits, misses, what
/// happened for the endings) and the narration of what the database has. Returns the
/// sentence to add to the cache's own narration.
pub(crate) fn cache_observed(w: &mut World, msg: Option<&Message>, fact: CacheFact) -> String {
    match fact {
        CacheFact::Nothing => String::new(),
        CacheFact::Miss => {
            w.metrics.cache_misses += 1;
            String::new()
        }
        CacheFact::Hit { key, version: v } => {
            w.metrics.cache_hits += 1;
            if w.voice.is_quiet() {
                return String::new();
            }
            let want = w.expected(key);
            if v < want {
                text!(
                    w,
                    " But the database has {want}: the cache's copy is out of date."
                )
            } else {
                String::new()
            }
        }
        CacheFact::Stored {
            key,
            version,
            expires_ms: expires,
            was_live,
        } => {
            if w.flow(msg.and_then(|m| m.flow))
                .is_some_and(|f| f.background)
            {
                w.books.happened.insert(if was_live {
                    Happened::RefreshedInTime(key)
                } else {
                    Happened::RefreshedLate(key)
                });
            }
            let want = w.expected(key);
            if version < want {
                w.books.happened.insert(Happened::StaleStored(key));
                if w.voice.is_quiet() {
                    return String::new();
                }
                let until = match (pending_removal(w, key), expires == NO_TTL) {
                    (Some(what), _) => text!(w, ", until {what}"),
                    (None, true) => {
                        ", and with no TTL only a later write can replace it".to_string()
                    }
                    (None, false) => {
                        text!(w, ", and nothing in flight removes it before its TTL ends at {expires} ms")
                    }
                };
                text!(w, " But the database already has {want}: the cache now serves a stale value{until}.")
            } else {
                String::new()
            }
        }
        CacheFact::Refused { key } => {
            w.books.happened.insert(Happened::SetRefused(key));
            String::new()
        }
        CacheFact::Deleted { key, held } => {
            if held.is_some_and(|v| v < w.expected(key)) {
                w.books.happened.insert(Happened::StaleDeleted(key));
            }
            String::new()
        }
        CacheFact::Expired { key, held } => {
            let want = w.expected(key);
            if let Some(v) = held {
                w.books.happened.insert(if v < want {
                    Happened::ExpiredStale(key)
                } else {
                    Happened::ExpiredCurrent(key)
                });
            }
            match held {
                Some(v) if v < want => text!(w,
                    " It held {v} while the database has {want}: the TTL is the safety net that bounds how long a stale \
                     value can live."
                ),
                Some(v) => text!(w, " It held {v}, still the current version: a TTL also drops values that were right."),
                None => String::new(),
            }
        }
    }
}

/// An answer reached a client: the books and the narration observe what it means
/// (current or stale, an acknowledged write), from the whole world.
pub(crate) fn client_answered(w: &mut World, msg: &Message) -> Said {
    let stale = match msg.payload {
        Payload::ReadOk { key, value } => {
            let newest_now = super::books::newest(w, key);
            w.books.read_answered(msg.flow, value, newest_now)
        }
        _ => None,
    };
    let me = msg.to;
    match msg.payload {
        Payload::ReadOk { key, value } => {
            let got = text!(
                w,
                "{}",
                value.map_or("nothing".to_string(), |v| v.to_string())
            );
            let now = super::books::newest(w, key);
            let made = if w.config.write_mode == WriteMode::Behind {
                "acknowledged"
            } else {
                "committed"
            };
            if let Some(why) = stale {
                w.metrics.stale_reads += 1;
                let why = match why {
                    super::books::StaleRead::Older { floor } => {
                        text!(w, "but {floor} was already {made} when this read began")
                    }
                    super::books::StaleRead::NotYetCommitted { newest } => text!(
                        w,
                        "but {got} was not yet {made} when the answer came (the newest is {newest}): a value that may \
                         never be, so by the contract"
                    ),
                };
                said!(
                    w,
                    text!(w, "got {got} (stale)"),
                    text!(w, "{me} receives {key} = {got}, {why}: a stale read."),
                )
            } else if value.is_some_and(|v| v < now) {
                said!(w,
                    text!(w, "got {got}"),
                    text!(w,
                        "{me} receives {key} = {got}. {now} was {made} while this read was in flight, so {got} was \
                         still the newest when the read began: a read that overlaps a write may return either, and \
                         this is not a stale read."
                    ),
                )
            } else {
                said!(
                    w,
                    text!(w, "got {got}"),
                    text!(w, "{me} receives {key} = {got}, the current value."),
                )
            }
        }
        Payload::WriteOk { key, version } | Payload::DbWriteReply { key, version, .. } => {
            w.metrics.writes_acked += 1;
            let acked = w.books.acked.or_insert(key, version);
            *acked = (*acked).max(version);
            said!(
                w,
                text!(w, "acked {version}"),
                text!(w, "{me} is told its write of {key} = {version} succeeded."),
            )
        }
        other => said!(w, "ignored", text!(w, "{me} does not expect {other}.")),
    }
}

/// What is on its way to remove or replace the stale value the cache holds for `key`,
/// in words, if anything: a scheduled second delete, a delete in flight, a write that
/// will delete after its commit, or an event the consumer will act on.
fn pending_removal(w: &World, key: Key) -> Option<String> {
    let second = w
        .timers
        .iter()
        .find(|t| matches!(t.kind, TimerKind::SecondDelete { key: k, .. } if k == key));
    if let Some(t) = second {
        return Some(text!(
            w,
            "the second delete due at {} ms removes it",
            t.at_ms
        ));
    }
    let deleting = w.net.iter().any(|m| {
        m.to == NodeId::Cache && matches!(m.payload, Payload::Del { key: k, .. } if k == key)
    });
    if deleting {
        return Some(text!(
            w,
            "the delete of {key} already on its way removes it"
        ));
    }
    let writing = w.config.write_order == super::config::WriteOrder::UpdateThenDelete
        && matches!(w.config.write_mode, WriteMode::Invalidate)
        && w.flows
            .iter()
            .any(|f| f.key == key && f.op == Op::Write && f.stage == Stage::Commit);
    if writing {
        return Some(text!(
            w,
            "the write of {key} in progress deletes it after its commit"
        ));
    }
    if super::books::event_pending(w, key, w.expected(key)) {
        return Some(text!(
            w,
            "the consumer handles the event for {key} still on its way"
        ));
    }
    None
}
