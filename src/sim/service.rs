//! The application service: the program each client request runs, written as a state
//! machine over `Stage` so that every hop of it is a separate, schedulable message.
//!
//! Read (cache-aside): get → on a hit, answer; on a miss, select from the database,
//! set the cache (with the lease token, when leases are on), answer.
//! Write: update the database, then delete the key (or the reverse, when the scenario
//! teaches why that order is wrong), then answer; optionally delete again later.
use super::cache::SetGuard;
use super::config::{Op, WriteOrder};
use super::ids::{FlowId, Key, NodeId, Version};
use super::msg::{LeaseReply, Message, Payload};
use super::world::{said, Said, Stage, TimerKind, World};

pub(crate) fn on_message(w: &mut World, msg: &Message) -> Said {
    let lat = w.config.latency;
    let Some(flow) = w.flow(msg.flow).cloned() else {
        // The request was already answered: only a delayed second delete's reply ends here.
        return said("done", format!("The cache confirms: {} is gone.", msg.payload.key()));
    };
    let key = flow.key;
    let client = flow.client;
    match (msg.payload, flow.stage) {
        (Payload::Read { .. }, _) => {
            w.send(NodeId::Service, NodeId::Cache, msg.flow, Payload::Get { key }, lat.cache_ms);
            said(
                "get sent",
                format!(
                    "The service looks {key} up in the cache first (cache-aside): a hit costs one cache round trip, \
                     far cheaper than the database."
                ),
            )
        }
        (Payload::Write { .. }, _) => match w.config.write_order {
            WriteOrder::UpdateThenDelete => {
                set_stage(w, flow.id, Stage::Commit);
                w.send(NodeId::Service, NodeId::Db, msg.flow, Payload::DbWrite { key }, lat.db_write_ms);
                said(
                    "update sent",
                    format!("The service updates {key} in the database first; it will invalidate the cache after."),
                )
            }
            WriteOrder::DeleteThenUpdate => {
                set_stage(w, flow.id, Stage::PreDelete);
                w.send(NodeId::Service, NodeId::Cache, msg.flow, Payload::Del { key, version: None }, lat.cache_ms);
                said(
                    "del sent",
                    format!(
                        "The service deletes {key} from the cache before it updates the database. A reader that \
                         misses in between will load the old row and cache it."
                    ),
                )
            }
        },
        (Payload::GetReply { hit: Some(v), .. }, _) => {
            answer(w, flow.id, client, Payload::ReadOk { key, value: Some(v) });
            said(format!("answer {v}"), format!("The service answers {client} with {v} from the cache."))
        }
        (Payload::GetReply { lease: LeaseReply::Wait, .. }, _) => {
            set_stage(w, flow.id, Stage::WaitLease);
            let at = w.now_ms + w.config.lease_retry_ms;
            w.add_timer(NodeId::Service, at, TimerKind::RetryGet { flow: flow.id });
            said(
                "wait",
                format!(
                    "Told to wait, the service does not query the database: it will ask the cache again at {at} ms, \
                     when the lease holder has probably filled the key. Readers wait; the database is spared."
                ),
            )
        }
        (Payload::GetReply { lease, .. }, _) => {
            if let Some(f) = w.flow_mut(msg.flow) {
                f.stage = Stage::Load;
                f.token = match lease {
                    LeaseReply::Granted(t) => Some(t),
                    _ => None,
                };
            }
            w.send(NodeId::Service, NodeId::Db, msg.flow, Payload::DbRead { key }, lat.db_read_ms);
            said("select sent", format!("On the miss the service queries the database for {key}."))
        }
        (Payload::DbReadReply { version, .. }, _) => {
            if let Some(f) = w.flow_mut(msg.flow) {
                f.stage = Stage::Fill;
                f.loaded = Some(version);
            }
            let token = flow.token;
            let set = Payload::Set { key, version, token };
            w.send(NodeId::Service, NodeId::Cache, msg.flow, set, lat.cache_ms);
            let with = token.map(|t| format!(", carrying lease #{t}")).unwrap_or_default();
            said(
                "set sent",
                format!("The service got {version} from the database and sets it in the cache{with}, so the next read hits."),
            )
        }
        (Payload::SetReply { refused, .. }, _) => {
            let value = flow.loaded;
            answer(w, flow.id, client, Payload::ReadOk { key, value });
            let v = value.map_or("nothing".into(), |v: Version| v.to_string());
            let note = if refused.is_some() {
                " The value it read is still a correct answer for this read; only caching it was refused."
            } else {
                ""
            };
            said(format!("answer {v}"), format!("The service answers {client} with {v}.{note}"))
        }
        (Payload::DbWriteReply { version, .. }, _) => {
            if let Some(f) = w.flow_mut(msg.flow) {
                f.committed = Some(version);
            }
            match w.config.write_order {
                WriteOrder::UpdateThenDelete => {
                    set_stage(w, flow.id, Stage::Invalidate);
                    let tagged = matches!(w.config.guard, SetGuard::Versioned { .. }).then_some(version);
                    w.send(NodeId::Service, NodeId::Cache, msg.flow, Payload::Del { key, version: tagged }, lat.cache_ms);
                    let tag = tagged.map(|v| format!(" The delete carries {v}, for the cache's tombstone.")).unwrap_or_default();
                    said(
                        "del sent",
                        format!("{version} is committed; the service deletes {key} from the cache so the next read loads it.{tag}"),
                    )
                }
                WriteOrder::DeleteThenUpdate => {
                    answer(w, flow.id, client, Payload::WriteOk { key, version });
                    said("ack", format!("{version} is committed; the service tells {client} the write succeeded."))
                }
            }
        }
        (Payload::DelReply { .. }, Stage::PreDelete) => {
            set_stage(w, flow.id, Stage::Commit);
            w.send(NodeId::Service, NodeId::Db, msg.flow, Payload::DbWrite { key }, lat.db_write_ms);
            said("update sent", format!("The key is gone from the cache; now the service updates {key} in the database."))
        }
        (Payload::DelReply { .. }, _) => {
            let version = flow.committed.unwrap_or(Version(0));
            answer(w, flow.id, client, Payload::WriteOk { key, version });
            let later = match w.config.second_delete_ms {
                Some(delay_ms) if flow.op == Op::Write => {
                    let at = w.now_ms + delay_ms;
                    let tagged = matches!(w.config.guard, SetGuard::Versioned { .. }).then_some(version);
                    w.add_timer(NodeId::Service, at, TimerKind::SecondDelete { flow: flow.id, key, version: tagged });
                    format!(
                        " It also schedules a second delete at {at} ms (delayed double delete), to remove a stale value \
                         that a slow reader may set after the first delete. It is a heuristic: a reader slower than \
                         {delay_ms} ms still wins the race."
                    )
                }
                _ => String::new(),
            };
            said("ack", format!("The delete is done; the service tells {client} the write of {version} succeeded.{later}"))
        }
        (other, _) => said("ignored", format!("The service does not expect {other} now.")),
    }
}

fn set_stage(w: &mut World, id: FlowId, stage: Stage) {
    if let Some(f) = w.flow_mut(Some(id)) {
        f.stage = stage;
    }
}

/// Sends the answer and forgets the flow: the request is over for the service.
fn answer(w: &mut World, id: FlowId, client: NodeId, payload: Payload) {
    let lat = w.config.latency.client_ms;
    w.flows.retain(|f| f.id != id);
    w.send(NodeId::Service, client, Some(id), payload, lat);
}

pub(crate) fn second_delete(w: &mut World, flow: FlowId, key: Key, version: Option<Version>) -> Said {
    let lat = w.config.latency.cache_ms;
    w.send(NodeId::Service, NodeId::Cache, Some(flow), Payload::Del { key, version }, lat);
    let delay = w.config.second_delete_ms.unwrap_or(0);
    said(
        "del sent",
        format!(
            "{delay} ms after the first delete, the service deletes {key} again, to catch a stale fill that landed in \
             between. If that fill comes later still, nothing removes it."
        ),
    )
}

pub(crate) fn retry_get(w: &mut World, flow: FlowId) -> Said {
    let Some(f) = w.flow(Some(flow)).cloned() else {
        return said("nothing to retry", "");
    };
    set_stage(w, flow, Stage::Lookup);
    let lat = w.config.latency.cache_ms;
    w.send(NodeId::Service, NodeId::Cache, Some(flow), Payload::Get { key: f.key }, lat);
    said("get sent", format!("The wait is over; the service asks the cache for {} again.", f.key))
}
