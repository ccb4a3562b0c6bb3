//! The books as an observer of the step: after a step has changed the state and
//! recorded its facts (`fact.rs`), `observe` reads them with the step (the event, the
//! node that acted, the message that arrived) and the state after, and keeps the
//! counters, the bookkeeping and what happened for the endings. Nothing here changes a
//! node. It runs in a quiet step too: the invariants and the search read the books.
//!
//! A new fact the books care about: one arm below.
use super::super::bus::BusFact;
use super::super::cache_node::CacheFact;
use super::super::cdn::CdnFact;
use super::super::client::ClientFact;
use super::super::config::{Op, WriteMode};
use super::super::consumer::ConsumerFact;
use super::super::db::DbFact;
use super::super::fact::Fact;
use super::super::fault::FaultFact;
use super::super::ids::NodeId;
use super::super::msg::{Message, Payload};
use super::super::near::{NearDrop, NearFact};
use super::super::replica::ReplicaFact;
use super::super::service::{ConnLoss, ServiceFact};
use super::super::txn::{Step, TxnFact};
use super::super::world::World;
use super::{newest, Happened, RywBreak};

/// The books observe the step `w` just took: its facts, in order, read against the
/// state after it; `msg`: the message that arrived, if one did.
pub(crate) fn observe(w: &mut World, msg: Option<&Message>) {
    // Bounded: the step's facts, plus the one verdict a client's answer may add.
    let mut i = 0;
    while i < w.facts.0.len() {
        // Each arm copies only its own fields out of the fact (not the whole `Fact`).
        match w.facts.0[i] {
            Fact::Cache(f) => cache(w, f, msg),
            Fact::Client(f) => client(w, f),
            Fact::Db(f) => db(w, f, msg),
            Fact::Replica(ReplicaFact::Read { key, version, .. }) => {
                w.metrics.replica_reads += 1;
                if w.committed(key) > version {
                    w.books.happened.insert(Happened::ReplicaBehind(key));
                }
            }
            Fact::Cdn(CdnFact::Stored {
                key,
                value: Some(v),
                answered_ms,
                ..
            }) => {
                // The stored response left the origin before the key's latest commit,
                // and arrived after the edge purged the key for it (review session 13
                // W2: one that arrives before the purge is removed by it).
                let raced = v < w.committed(key)
                    && w.books.committed_ms.get(&key).is_some_and(|c| {
                        answered_ms < *c && w.books.purged_ms.get(&key).is_some_and(|p| p >= c)
                    });
                let fact = Happened::EdgeRaced(key);
                if raced {
                    w.books.happened.insert(fact);
                } else {
                    w.books.happened.remove(&fact);
                }
            }
            Fact::Cdn(CdnFact::Purged { key, .. }) => {
                w.books.purged_ms.insert(key, w.now_ms);
                w.books.happened.insert(Happened::EdgePurged(key));
            }
            Fact::Cdn(CdnFact::PurgedAgain { key, .. }) => {
                w.books.purged_ms.insert(key, w.now_ms);
                w.books.happened.insert(Happened::EdgePurgedAgain(key));
            }
            Fact::Service(ServiceFact::Txn(TxnFact::RolledBack {
                step: Step::Held, ..
            })) => {
                if let Some(Payload::TxRolledBack { key }) = msg.map(|m| m.payload) {
                    w.books.happened.insert(Happened::HeldDropped(key));
                }
            }
            Fact::Service(ServiceFact::ConnLost {
                key,
                what: ConnLoss::AfterCommit { .. } | ConnLoss::PreDelete,
                ..
            }) => {
                w.books.happened.insert(Happened::CacheStepFailed(key));
            }
            // What dropped a service's near copies, for the endings (`{near-dropped}`).
            Fact::Service(ServiceFact::Near(NearFact::Dropped {
                service,
                held: Some(_),
                why: NearDrop::Invalidated,
                ..
            })) => {
                w.books.happened.insert(Happened::NearPushed(service));
            }
            // A read answered from a service's near cache is a cache hit too (review
            // 30, F: two reads, one a miss, one answered in-process, showed no hit).
            Fact::Service(ServiceFact::Near(NearFact::Hit { .. })) => w.metrics.cache_hits += 1,
            Fact::Service(ServiceFact::Near(NearFact::Flushed { service, keys, .. }))
                if keys > 0 =>
            {
                w.books.happened.insert(Happened::NearFlushed(service));
            }
            Fact::Bus(f) => bus(w, f),
            Fact::Consumer(f) => consumer(w, f),
            Fact::Lost {
                payload: Payload::Set { key, version, .. },
                ..
            } if version < w.expected(key) => {
                w.books.happened.insert(Happened::StaleSetLost(key));
            }
            Fact::Lost {
                payload: Payload::Set { key, .. },
                ..
            } if w
                .net
                .iter()
                .any(|m| matches!(m.payload, Payload::DbWrite { key: k, .. } if k == key)) =>
            {
                w.books.happened.insert(Happened::SetLostInWindow(key));
            }
            Fact::Lost {
                payload: Payload::Deliver { ev, .. },
                ..
            } => {
                w.metrics.events_dropped += 1;
                w.books.happened.insert(Happened::PushLost(ev.key));
            }
            Fact::Lost { payload, to, .. }
            | Fact::Fault(FaultFact::Dropped { payload, to, .. }) => match payload {
                Payload::Deliver { .. } => w.metrics.events_dropped += 1,
                Payload::DbWriteReply { key, version, .. }
                    if w.config.write_mode == WriteMode::Event =>
                {
                    w.books
                        .happened
                        .insert(Happened::CommitUnheard(to, key, version));
                }
                _ => {}
            },
            Fact::Fault(FaultFact::Evicted { key, version, .. }) => {
                w.metrics.evictions += 1;
                w.books.happened.insert(Happened::Evicted(key));
                w.books.happened.insert(Happened::EvictedLast(key));
                if version != w.db().read(key) {
                    w.books.happened.insert(Happened::EvictedStale(key));
                }
            }
            // The deliveries lost with a broken subscription.
            Fact::Fault(FaultFact::Disconnected { deliveries, .. }) => {
                w.metrics.events_dropped += u64::from(deliveries);
            }
            Fact::Fault(FaultFact::Crashed { node, held, .. }) => {
                if held.near_keys > 0 {
                    w.books.happened.insert(Happened::NearCrashed(node));
                }
                if w.config.write_mode == WriteMode::Behind {
                    behind_crash(w, node, held.logged > 0);
                }
                *w.books.crashes.or_insert(node, 0) += 1;
                let first = w.facts.1.first_msg;
                w.books.crashed_msg.insert(node, first);
                let ms = u32::try_from(w.now_ms).unwrap_or(u32::MAX);
                w.books.crashed_ms.insert(node, ms);
            }
            Fact::Fault(FaultFact::Wiped {
                key,
                tombstone,
                lease,
                negative,
                stale,
                ..
            }) => {
                if stale {
                    w.books.happened.insert(Happened::StaleWiped(key));
                }
                if tombstone.is_some() || lease.is_some() {
                    w.books.happened.insert(Happened::GuardWiped(key));
                }
                if let Some(token) = lease {
                    w.books.happened.insert(Happened::LeaseWiped(token));
                }
                if negative {
                    w.books.happened.insert(Happened::NegativeWiped(key));
                }
            }
            _ => {}
        }
        i += 1;
    }
    forget_lost_requests(w);
}

/// A write-behind cache node crashed: which keys its disk log kept (it survives the
/// crash, `cache_behind.rs`), and which keys had an acknowledged write then.
fn behind_crash(w: &mut World, node: NodeId, logged: bool) {
    let books = &mut *w.books;
    if let (true, Some(c)) = (logged, w.nodes.cache(node)) {
        for (key, _) in &c.log {
            books.happened.insert(Happened::LogKept(*key));
        }
    }
    for key in books.acked.keys() {
        books.happened.insert(Happened::AckedAtCrash(*key));
    }
}

/// The consumers' cache requests no longer on the network leave `Books::applying`:
/// the network or a down cache lost them (one the cache applied has left already,
/// `took_effect`). So every entry names a request in flight.
fn forget_lost_requests(w: &mut World) {
    let on_net = |net: &[Message], flow| {
        net.iter().any(|m| {
            m.flow == Some(flow)
                && matches!(m.from, NodeId::Consumer(_))
                && matches!(m.payload, Payload::Del { .. } | Payload::Set { .. })
        })
    };
    // (Read first: a step that changes nothing leaves the shared books shared.)
    if w.books.applying.iter().all(|(f, _, _)| on_net(&w.net, *f)) {
        return;
    }
    let net = &w.net;
    w.books.applying.retain(|(f, _, _)| on_net(net, *f));
}

/// The cache applied (or, for a set, judged) `msg`: if it is a consumer's request for
/// an event, the event's invalidation took effect, whatever becomes of the reply (a
/// consumer that crashes before reading it has still delivered the event).
fn took_effect(w: &mut World, msg: Option<&Message>) {
    let Some(flow) = msg
        .filter(|m| matches!(m.from, NodeId::Consumer(_)))
        .and_then(|m| m.flow)
    else {
        return;
    };
    let Some(i) = w.books.applying.iter().position(|(f, _, _)| *f == flow) else {
        return;
    };
    let (_, key, version) = w.books.applying.remove(i);
    let delivered = w.books.delivered.or_insert(key, version);
    *delivered = (*delivered).max(version);
}

/// What the cache did: hits and misses, and what happened for the endings.
fn cache(w: &mut World, fact: CacheFact, msg: Option<&Message>) {
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
            took_effect(w, msg);
            if version < w.expected(key) {
                w.books.happened.insert(Happened::StaleStored(key));
            }
            // (Read first: a step that changes nothing leaves the shared books shared.)
            if !w.books.saw(Happened::Refilled(key)) || w.books.saw(Happened::EvictedLast(key)) {
                let h = &mut w.books.happened;
                h.insert(Happened::Refilled(key));
                h.remove(&Happened::EvictedLast(key));
            }
        }
        CacheFact::Refused { key, .. } => {
            took_effect(w, msg);
            w.books.happened.insert(Happened::SetRefused(key));
        }
        CacheFact::Deleted { key, held, .. } => {
            took_effect(w, msg);
            // A delete arrived after the key's latest commit; it leaves its guard anew.
            w.books.happened.remove(&Happened::Undeleted(key));
            w.books.happened.remove(&Happened::GuardWiped(key));
            w.books.happened.remove(&Happened::Refilled(key));
            if held.is_none() {
                w.books.happened.insert(Happened::DeletedNone(key));
            } else {
                w.books.happened.remove(&Happened::DeletedNone(key));
            }
            if held.is_some_and(|v| v < w.expected(key)) {
                w.books.happened.insert(Happened::StaleDeleted(key));
            }
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

/// A client started a request (a read's floor: what was already written), or got an
/// answer: a read judged current or stale (the verdict joins the step's facts), a
/// write acknowledged.
fn client(w: &mut World, fact: ClientFact) {
    match fact {
        ClientFact::Started { id, request, .. } if request.op == Op::Read => {
            let floor = newest(w, request.key);
            w.books.read_started(id, floor);
        }
        ClientFact::Answered {
            client,
            flow,
            payload,
        } => match payload {
            Payload::ReadOk { key, value } => {
                let wrote = w.books.acked_to.get(&(client, key)).copied();
                if let (Some(wrote), Some(read), None) = (wrote, value, w.books.ryw_broken) {
                    if read < wrote {
                        w.books.ryw_broken = Some(RywBreak {
                            client,
                            key,
                            read,
                            wrote,
                        });
                    }
                }
                let newest_now = newest(w, key);
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
        },
        _ => {}
    }
}

/// What the database did: reads (and their peak), writes, and the changes whose
/// invalidation relies on an event (a service's write in the event or outbox modes).
fn db(w: &mut World, fact: DbFact, msg: Option<&Message>) {
    // Which request's write committed (for the words of a write that failed with a
    // connection reset).
    if let (DbFact::Committed { version, .. } | DbFact::TxCommitted { version, .. }, Some(flow)) =
        (fact, msg.and_then(|m| m.flow))
    {
        let at = w.now_ms;
        w.books.committed_by.insert(flow, (version, at));
    }
    match fact {
        DbFact::Read { .. } => w.books.record_db_read(&mut w.metrics, w.now_ms),
        DbFact::Committed { key, version, .. } => {
            w.metrics.db_writes += 1;
            w.books.committed_ms.insert(key, w.now_ms);
            w.books.happened.insert(Happened::Undeleted(key));
            let relies = matches!(w.config.write_mode, WriteMode::Event | WriteMode::Outbox)
                && msg.is_some_and(|m| matches!(m.from, NodeId::Service(_)));
            if relies {
                w.books.relied.push((key, version));
            }
        }
        DbFact::Put { key, wrote, .. } => {
            // Whether the put left before a cache node's latest crash (review 20b, N3:
            // the database's version came from a put sent before the crash, and the
            // replay's put of it was skipped).
            let before = msg.is_some_and(|m| {
                w.nodes
                    .caches()
                    .any(|(id, _)| w.books.crashed_msg.get(&id).is_some_and(|c| m.id.0 < *c))
            });
            if wrote {
                w.metrics.db_writes += 1;
                w.books.committed_ms.insert(key, w.now_ms);
                let survived = Happened::PutSurvived(key);
                if before {
                    w.books.happened.insert(survived);
                } else {
                    w.books.happened.remove(&survived);
                }
            } else if !before && w.books.saw(Happened::PutSurvived(key)) {
                w.books.happened.insert(Happened::ReplaySkipped(key));
            }
        }
        DbFact::TxCommitted { key, .. } => {
            w.metrics.db_writes += 1;
            w.books.committed_ms.insert(key, w.now_ms);
            w.books.happened.insert(Happened::Undeleted(key));
        }
        _ => {}
    }
}

/// What the bus did with a published event.
fn bus(w: &mut World, fact: BusFact) {
    match fact {
        BusFact::Logged { ev, waited, .. } => {
            w.metrics.events_published += 1;
            if waited {
                w.books.happened.insert(Happened::EventWaited(ev.key));
            }
        }
        BusFact::Pushed { .. } => w.metrics.events_published += 1,
        BusFact::Dropped { ev } => {
            w.metrics.events_published += 1;
            w.metrics.events_dropped += 1;
            w.books.happened.insert(Happened::EventDropped(ev.key));
        }
        _ => {}
    }
}

/// The events the consumer received and handled.
fn consumer(w: &mut World, fact: ConsumerFact) {
    match fact {
        ConsumerFact::Received { .. } | ConsumerFact::Buffered { .. } => {
            w.metrics.events_delivered += 1
        }
        // Its cache request, on the network now, tied to the event it applies.
        ConsumerFact::Applying { ev, flow, .. } => {
            w.books.applying.push((flow, ev.key, ev.version));
        }
        // Handled without a cache request (a duplicate, an outdated event), or after
        // one (delivered already when the cache applied it).
        ConsumerFact::Handled { ev, .. } => {
            let handled = w.books.delivered.or_insert(ev.key, ev.version);
            *handled = (*handled).max(ev.version);
        }
        ConsumerFact::Outdated { ev, .. } => {
            w.books.happened.insert(Happened::OldEventIgnored(ev.key));
        }
        ConsumerFact::Duplicate { ev } => {
            w.books.happened.insert(Happened::DuplicateIgnored(ev.key));
        }
        _ => {}
    }
}
