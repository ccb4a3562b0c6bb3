//! The application service: the program each client request runs, written as a state
//! machine over `Stage` so that every hop of it is a separate, schedulable message.
//!
//! Read (cache-aside): get → on a hit, answer; on a miss, select from the database,
//! set the cache (with the lease token, when leases are on), answer. The stampede
//! guards (mutex, single-flight, XFetch) live in `load.rs`.
//! Write, by the scenario's write mode: update the database, then delete the key (or
//! the reverse, when the scenario teaches why that order is wrong); write-through
//! (update, then set the cache); write-behind (the cache queues it); or update and
//! publish an event, directly or through the outbox.
use super::cache::SetGuard;
use super::config::{Op, SlowHop, WriteMode, WriteOrder};
use super::ids::{FlowId, Key, NodeId, Version};
use super::load;
use super::msg::{LeaseReply, Message, Payload};
use super::world::{Flow, Said, Stage, TimerKind, World};

pub(crate) fn on_message(w: &mut World, msg: &Message) -> Said {
    let Some(flow) = w.flow(msg.flow).cloned() else {
        return match msg.payload {
            Payload::UnlockReply { key } => said!(
                w,
                "done",
                text!(w, "The cache confirms: the lock on {key} is released."),
            ),
            Payload::DelReply { key } => {
                said!(w, "done", text!(w, "The cache confirms: {key} is gone."))
            }
            other => {
                let why = if w.books.crashes_of(NodeId::Service) > 0 {
                    "it was answered already, or lost when the service crashed"
                } else {
                    "it was answered already"
                };
                said!(
                    w,
                    "ignored",
                    text!(w, "No open request of the service waits for {other} ({why}), so nothing happens."),
                )
            }
        };
    };
    let key = flow.key;
    let client = flow.client;
    match (msg.payload, flow.stage) {
        (Payload::Read { .. }, _) => load::lookup(w, &flow),
        (Payload::Write { .. }, _) => write(w, &flow),
        (
            Payload::GetReply {
                hit: Some(v),
                expires_ms,
                delta_ms,
                ..
            },
            _,
        ) => load::on_hit(w, &flow, v, expires_ms, delta_ms),
        (
            Payload::GetReply {
                lease: LeaseReply::Wait,
                ..
            },
            _,
        ) => {
            let at = wait_and_retry(w, flow.id);
            said!(w,
                "wait",
                text!(w,
                    "Told to wait, the service does not query the database: it will ask the cache again at {at} ms, \
                     when the lease holder has probably filled the key. Readers wait; the database is spared."
                ),
            )
        }
        (Payload::GetReply { lease, .. }, _) => load::on_miss(w, &flow, lease),
        (Payload::LockReply { granted, .. }, _) => load::on_lock(w, &flow, granted),
        (Payload::DbReadReply { version, .. }, _) => {
            if let Some(f) = w.flow_mut(msg.flow) {
                f.stage = Stage::Fill;
                f.loaded = Some(version);
            }
            let token = flow.token;
            let set = Payload::Set {
                key,
                version,
                token,
                loaded_at_ms: flow.load_sent_ms,
            };
            to_cache(w, msg.flow, set);
            let with = token
                .map(|t| text!(w, ", carrying lease #{t}"))
                .unwrap_or_default();
            said!(w,
                "set sent",
                text!(w, "The service got {version} from the database and sets it in the cache{with}, so that later reads can hit."),
            )
        }
        (Payload::SetReply { refused, .. }, Stage::Through) => {
            let version = flow.committed.unwrap_or(Version(0));
            answer(w, flow.id, client, Payload::WriteOk { key, version });
            let now_held = w.cache.live(key, w.now_ms).map(|e| e.version);
            let cache = match (refused, now_held) {
                (None, Some(v)) if v == version => text!(w, "The cache has {key} = {version} too"),
                (None, Some(v)) => text!(w, "The cache took {version}, though by now it holds {v}"),
                (None, None) => {
                    text!(
                        w,
                        "The cache took {version}, though it no longer holds {key}"
                    )
                }
                (Some(_), _) => text!(w, "The cache refused {version} (it had a newer version)"),
            };
            said!(w,
                "ack",
                text!(w,
                    "{cache}: only now, after both the database and the cache have answered, does the service tell \
                     {client} the write succeeded. The writer paid both latencies."
                ),
            )
        }
        (Payload::SetReply { refused, .. }, _) => load::on_filled(w, &flow, refused.is_some()),
        (Payload::WbAck { version, .. }, _) => {
            answer(w, flow.id, client, Payload::WriteOk { key, version });
            said!(w,
                "ack",
                text!(w,
                    "The cache has queued {key} = {version}: the service tells {client} the write succeeded, though the \
                     database does not have it yet."
                ),
            )
        }
        (Payload::DbWriteReply { version, event, .. }, _) => committed(w, &flow, version, event),
        (Payload::DelReply { .. }, Stage::PreDelete) => {
            set_stage(w, flow.id, Stage::Commit);
            to_db(w, msg.flow, Payload::DbWrite { key, outbox: false });
            said!(w, "update sent", text!(w, "The key is gone from the cache; now the service updates {key} in the database."))
        }
        (Payload::DelReply { .. }, _) => {
            let version = flow.committed.unwrap_or(Version(0));
            answer(w, flow.id, client, Payload::WriteOk { key, version });
            let later = match w.config.second_delete_ms {
                Some(delay_ms) if flow.op == Op::Write => {
                    let at = w.now_ms + delay_ms;
                    let tagged =
                        matches!(w.config.guard, SetGuard::Versioned { .. }).then_some(version);
                    w.add_timer(
                        NodeId::Service,
                        at,
                        TimerKind::SecondDelete {
                            flow: flow.id,
                            key,
                            version: tagged,
                        },
                    );
                    text!(w,
                        " It also schedules a second delete at {at} ms (delayed double delete), to remove a stale value \
                         that a slow reader may set after the first delete. It is a heuristic: a reader slower than \
                         {delay_ms} ms still wins the race."
                    )
                }
                _ => String::new(),
            };
            said!(w, "ack", text!(w, "The delete is done; the service tells {client} the write of {version} succeeded.{later}"))
        }
        (other, _) => said!(
            w,
            "ignored",
            text!(w, "The service does not expect {other} now."),
        ),
    }
}

/// A write request arrives: the first hop of the write mode's program.
fn write(w: &mut World, flow: &Flow) -> Said {
    let key = flow.key;
    let id = Some(flow.id);
    match w.config.write_mode {
        WriteMode::Invalidate => match w.config.write_order {
            WriteOrder::UpdateThenDelete => {
                set_stage(w, flow.id, Stage::Commit);
                to_db(w, id, Payload::DbWrite { key, outbox: false });
                said!(w,
                    "update sent",
                    text!(w, "The service updates {key} in the database first; it will invalidate the cache after."),
                )
            }
            WriteOrder::DeleteThenUpdate => {
                set_stage(w, flow.id, Stage::PreDelete);
                to_cache(w, id, Payload::Del { key, version: None });
                said!(w,
                    "del sent",
                    text!(w,
                        "The service deletes {key} from the cache before it updates the database. A reader that \
                         misses in between will load the old row and cache it."
                    ),
                )
            }
        },
        WriteMode::Through => {
            set_stage(w, flow.id, Stage::Commit);
            to_db(w, id, Payload::DbWrite { key, outbox: false });
            said!(w,
                "update sent",
                text!(w, "Write-through: the service updates {key} in the database, and will then set the cache itself."),
            )
        }
        WriteMode::Behind => {
            set_stage(w, flow.id, Stage::Behind);
            to_cache(w, id, Payload::WbWrite { key });
            said!(w,
                "write sent",
                text!(w, "Write-behind: the service hands the write of {key} to the cache, not to the database."),
            )
        }
        WriteMode::Event => {
            set_stage(w, flow.id, Stage::Commit);
            to_db(w, id, Payload::DbWrite { key, outbox: false });
            said!(w,
                "update sent",
                text!(w,
                    "The service updates {key} in the database. It does not touch the cache: once the commit is done it \
                     will publish a change event, and the consumer will invalidate."
                ),
            )
        }
        WriteMode::Outbox => {
            set_stage(w, flow.id, Stage::Commit);
            to_db(w, id, Payload::DbWrite { key, outbox: true });
            said!(w,
                "update sent",
                text!(w,
                    "The service updates {key} and inserts an outbox row describing the change, in one transaction: \
                     it never talks to the bus itself."
                ),
            )
        }
    }
}

/// The database committed the write.
fn committed(w: &mut World, flow: &Flow, version: Version, event: super::ids::EventId) -> Said {
    let key = flow.key;
    let client = flow.client;
    if let Some(f) = w.flow_mut(Some(flow.id)) {
        f.committed = Some(version);
    }
    let lat = w.config.latency;
    match w.config.write_mode {
        WriteMode::Through => {
            set_stage(w, flow.id, Stage::Through);
            let slow = match flow.slow {
                Some((SlowHop::CacheSet, extra)) => extra,
                _ => 0,
            };
            let set = Payload::Set {
                key,
                version,
                token: None,
                loaded_at_ms: None,
            };
            w.send(
                NodeId::Service,
                NodeId::Cache,
                Some(flow.id),
                set,
                lat.cache_ms + slow,
            );
            let note = if slow > 0 {
                text!(
                    w,
                    " This set is slow on its way ({} ms): another writer's set may overtake it.",
                    lat.cache_ms + slow
                )
            } else {
                String::new()
            };
            said!(w, "set sent", text!(w, "{version} is committed; the service now sets {key} = {version} in the cache.{note}"))
        }
        WriteMode::Event => {
            let ev = super::msg::BusEvent {
                id: event,
                key,
                version,
            };
            publish(w, NodeId::Service, ev);
            answer(w, flow.id, client, Payload::WriteOk { key, version });
            said!(w,
                text!(w, "publish {}", ev.id),
                text!(w,
                    "{version} is committed. The service publishes {ev} to the bus and tells {client} the write \
                     succeeded. Two writes, to the database and to the bus, with nothing tying them together: a dual \
                     write."
                ),
            )
        }
        WriteMode::Outbox => {
            answer(w, flow.id, client, Payload::WriteOk { key, version });
            said!(w,
                "ack",
                text!(w,
                    "{version} and its outbox row {event} are committed together. The service tells {client} the write \
                     succeeded; the relay will publish the event."
                ),
            )
        }
        WriteMode::Invalidate | WriteMode::Behind => {
            match w.config.write_order {
                WriteOrder::UpdateThenDelete => {
                    set_stage(w, flow.id, Stage::Invalidate);
                    let tagged =
                        matches!(w.config.guard, SetGuard::Versioned { .. }).then_some(version);
                    to_cache(
                        w,
                        Some(flow.id),
                        Payload::Del {
                            key,
                            version: tagged,
                        },
                    );
                    let tag = tagged
                        .map(|v| text!(w, " The delete carries {v}, for the cache's tombstone."))
                        .unwrap_or_default();
                    said!(w,
                    "del sent",
                    text!(w, "{version} is committed; the service deletes {key} from the cache so the next read loads it.{tag}"),
                )
                }
                WriteOrder::DeleteThenUpdate => {
                    answer(w, flow.id, client, Payload::WriteOk { key, version });
                    said!(w, "ack", text!(w, "{version} is committed; the service tells {client} the write succeeded."))
                }
            }
        }
    }
}

/// Publishes `ev` to the bus: from the service on the event path, from the relay on
/// the outbox path.
pub(crate) fn publish(w: &mut World, from: NodeId, ev: super::msg::BusEvent) {
    let publish_ms = w.config.bus.map_or(1, |b| b.publish_ms);
    w.send(from, NodeId::Bus, None, Payload::Publish { ev }, publish_ms);
}

/// Parks the flow (told to wait by a lease, or finding the lock taken) until it asks
/// the cache again, `lease_retry_ms` from now; returns when that is.
pub(crate) fn wait_and_retry(w: &mut World, flow: FlowId) -> u64 {
    set_stage(w, flow, Stage::WaitLease);
    let at = w.now_ms + w.config.lease_retry_ms;
    w.add_timer(NodeId::Service, at, TimerKind::RetryGet { flow });
    at
}

pub(crate) fn set_stage(w: &mut World, id: FlowId, stage: Stage) {
    if let Some(f) = w.flow_mut(Some(id)) {
        f.stage = stage;
    }
}

/// Sends from the service to the cache: one cache hop.
pub(crate) fn to_cache(w: &mut World, flow: Option<FlowId>, payload: Payload) {
    let lat = w.config.latency.cache_ms;
    w.send(NodeId::Service, NodeId::Cache, flow, payload, lat);
}

/// Sends from the service to the database: a write takes the longer hop (the commit
/// waits for its log flush), anything else the read hop.
pub(crate) fn to_db(w: &mut World, flow: Option<FlowId>, payload: Payload) {
    let lat = match payload {
        Payload::DbWrite { .. } => w.config.latency.db_write_ms,
        _ => w.config.latency.db_read_ms,
    };
    w.send(NodeId::Service, NodeId::Db, flow, payload, lat);
}

/// Sends the answer and forgets the flow: the request is over for the service.
pub(crate) fn answer(w: &mut World, id: FlowId, client: NodeId, payload: Payload) {
    let lat = w.config.latency.client_ms;
    w.flows.retain(|f| f.id != id);
    w.send(NodeId::Service, client, Some(id), payload, lat);
}

pub(crate) fn second_delete(
    w: &mut World,
    flow: FlowId,
    key: Key,
    version: Option<Version>,
) -> Said {
    to_cache(w, Some(flow), Payload::Del { key, version });
    let delay = w.config.second_delete_ms.unwrap_or(0);
    said!(w,
        "del sent",
        text!(w,
            "{delay} ms after the first delete, the service deletes {key} again, to catch a stale fill that landed in \
             between. A fill that lands later still stays until its TTL."
        ),
    )
}

pub(crate) fn retry_get(w: &mut World, flow: FlowId) -> Said {
    let Some(f) = w.flow(Some(flow)).cloned() else {
        return said!(w, "nothing to retry", "");
    };
    set_stage(w, flow, Stage::Lookup);
    to_cache(w, Some(flow), Payload::Get { key: f.key });
    said!(
        w,
        "get sent",
        text!(
            w,
            "The wait is over; the service asks the cache for {} again.",
            f.key
        ),
    )
}
