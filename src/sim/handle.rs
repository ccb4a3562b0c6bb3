//! The books' observers of what the cache and the clients did (their facts), from the
//! whole world: hits and misses, what happened for the endings, what an answer means
//! (a stale read, an acknowledged write). The sentences are in `narrate/`.
use super::books::Happened;
use super::cache_node::CacheFact;
use super::client::ClientFact;
use super::fact::Fact;
use super::msg::{Message, Payload};
use super::world::World;

/// The books observe the cache's facts of this step, from `from` on.
pub(crate) fn cache_books(w: &mut World, msg: Option<&Message>, from: usize) {
    for i in from..w.facts.0.len() {
        let Fact::Cache(fact) = w.facts.0[i] else {
            continue;
        };
        match fact {
            CacheFact::Miss { .. } => w.metrics.cache_misses += 1,
            CacheFact::Hit { .. } => w.metrics.cache_hits += 1,
            CacheFact::Stored {
                key,
                version,
                was_live,
                ..
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
                if version < w.expected(key) {
                    w.books.happened.insert(Happened::StaleStored(key));
                }
            }
            CacheFact::Refused { key, .. } => {
                w.books.happened.insert(Happened::SetRefused(key));
            }
            CacheFact::Deleted {
                key, held: Some(v), ..
            } if v < w.expected(key) => {
                w.books.happened.insert(Happened::StaleDeleted(key));
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
            }
            _ => {}
        }
    }
}

/// The books observe an answer that reached a client (facts from `from` on): a read
/// judged current or stale (the verdict joins the step's facts), a write acknowledged.
pub(crate) fn client_books(w: &mut World, from: usize) {
    for i in from..w.facts.0.len() {
        let Fact::Client(ClientFact::Answered {
            client,
            flow,
            payload,
        }) = w.facts.0[i]
        else {
            continue;
        };
        match payload {
            Payload::ReadOk { key, value } => {
                let wrote = w.books.acked_to.get(&(client, key)).copied();
                if let (Some(wrote), Some(read), None) = (wrote, value, w.books.ryw_broken) {
                    if read < wrote {
                        w.books.ryw_broken = Some(super::books::RywBreak {
                            client,
                            key,
                            read,
                            wrote,
                        });
                    }
                }
                let newest_now = super::books::newest(w, key);
                if let Some(why) = w.books.read_answered(flow, value, newest_now) {
                    w.metrics.stale_reads += 1;
                    w.facts.0.push(Fact::StaleRead(why));
                }
            }
            Payload::WriteOk { key, version } | Payload::DbWriteReply { key, version, .. } => {
                w.metrics.writes_acked += 1;
                let acked = w.books.acked.or_insert(key, version);
                *acked = (*acked).max(version);
                let mine = w.books.acked_to.or_insert((client, key), version);
                *mine = (*mine).max(version);
            }
            _ => {}
        }
    }
}
