//! The clients' sentences: a request sent, and what an answer means (current or
//! stale, an acknowledged write), with the books' verdict on a read.
use super::super::books::{newest, StaleRead};
use super::super::client::ClientFact;
use super::super::config::{Op, WriteMode};
use super::super::fact::Fact;
use super::super::ids::NodeId;
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::names::Cast;

pub(super) fn say(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    let the_service = n.service;
    let Some(Fact::Client(first)) = facts.first() else {
        return Said::silent();
    };
    match *first {
        ClientFact::Idle { .. } => said("nothing to do", ""),
        ClientFact::Started {
            client: node,
            request,
            payload,
            ..
        } => {
            let key = request.key;
            // Where the request went: the CDN edge, for a client routed through it.
            let through_edge = w
                .net
                .iter()
                .any(|m| m.id.0 >= w.facts.1.first_msg && m.from == node && m.to == NodeId::Cdn);
            let the_service = if through_edge {
                "the CDN edge".to_string()
            } else {
                the_service.to_string()
            };
            let narration = match request.op {
                Op::Read => format!("{node} asks {the_service} to read {key}."),
                Op::Write => {
                    format!("{node} asks {the_service} to write the next version of {key}.")
                }
                Op::Insert => format!(
                    "{node} asks {the_service} to create {key}, a row that does not exist yet."
                ),
                Op::DirectWrite => {
                    // It goes through no service: with several, none is named.
                    let through = if n.service.id.is_some() {
                        "any service"
                    } else {
                        "the service"
                    };
                    format!(
                        "{node}, a batch job, updates {key} straight in {}: it does not go through {through}, so \
                         no cache is told of the change and no event is published.",
                        n.db_of(key)
                    )
                }
            };
            said(format!("{} sent", payload.kind()), narration)
        }
        ClientFact::Answered {
            client: me,
            payload,
            ..
        } => {
            let stale = facts[1..].iter().find_map(|f| match f {
                Fact::StaleRead(why) => Some(*why),
                _ => None,
            });
            answered(w, me, payload, stale)
        }
        ClientFact::Reset {
            client,
            peer,
            flow,
            request,
        } => reset(w, client, peer, flow, request),
        ClientFact::IdleClosed { client, peer } => said(
            "closed: nothing waits",
            format!(
                "{client}'s connection to {peer} closes ({peer} crashed). {client} waits for nothing on it (its \
                 answer came before the close), so nothing fails."
            ),
        ),
        ClientFact::Ignored { client, payload } => {
            said("ignored", format!("{client} does not expect {payload}."))
        }
    }
}

fn answered(
    w: &World,
    me: super::super::ids::NodeId,
    payload: Payload,
    stale: Option<StaleRead>,
) -> Said {
    match payload {
        Payload::ReadOk { key, value } => {
            let got = value.map_or("nothing".to_string(), |v| v.to_string());
            let now = newest(w, key);
            let made = if w.config.write_mode == WriteMode::Behind {
                "acknowledged"
            } else {
                "committed"
            };
            if let Some(why) = stale {
                let why = match why {
                    StaleRead::Older { floor } => {
                        format!("but {floor} was already {made} when this read began")
                    }
                    StaleRead::NotYetCommitted { newest } if rolled_back(w, key, value) => format!(
                        "but {got} was written by a transaction that rolled back (the newest committed is \
                         {newest}): a value that was never committed, so by the contract"
                    ),
                    StaleRead::NotYetCommitted { newest } => format!(
                        "but {got} was not yet {made} when the answer came (the newest is {newest}): a value that \
                         may never be, so by the contract"
                    ),
                };
                // read-your-writes: this very client was told it wrote a newer version.
                let mine = match w.books.ryw_broken {
                    Some(b) if b.client == me && b.key == key && Some(b.read) == value => format!(
                        " {me} itself was told its write of {} succeeded: read-your-writes is broken.",
                        b.wrote
                    ),
                    _ => String::new(),
                };
                said(
                    format!("got {got} (stale)"),
                    format!("{me} receives {key} = {got}, {why}: a stale read.{mine}"),
                )
            } else if value.is_some_and(|v| v < now) {
                said(
                    format!("got {got}"),
                    format!(
                        "{me} receives {key} = {got}. {now} was {made} while this read was in flight, so {got} \
                         was still the newest when the read began: a read that overlaps a write may return \
                         either, and this is not a stale read."
                    ),
                )
            } else if let Some(queued) = value
                .filter(|v| *v < w.expected(key))
                .map(|_| w.expected(key))
            {
                // A write-behind cache has accepted a newer write, whose writer is not
                // told yet (review 27: "the current value" beside the cache's "stale").
                said(
                    format!("got {got}"),
                    format!(
                        "{me} receives {key} = {got}. The cache has accepted {queued} (it waits in the \
                         write-behind queue), but its writer has not been told yet, so {got} is still a value \
                         this read may return: not a stale read."
                    ),
                )
            } else {
                said(
                    format!("got {got}"),
                    format!("{me} receives {key} = {got}, the current value."),
                )
            }
        }
        Payload::WriteOk { key, version } | Payload::DbWriteReply { key, version, .. } => said(
            format!("acked {version}"),
            format!("{me} is told its write of {key} = {version} succeeded."),
        ),
        Payload::WriteFailed { key } => said(
            "write failed",
            // Not "nothing was committed": a duplicated INSERT's refusal can answer a write
            // whose first copy committed (review session 13, W1).
            format!("{me} is told its write of {key} failed: nothing was acknowledged."),
        ),
        Payload::ReadFailed { key } => {
            // Through the CDN edge, the edge's own error (review 21, F8's leftover).
            let edge = w
                .clients
                .iter()
                .find(|c| c.id == me)
                .and_then(|c| c.latest())
                .is_some_and(|(_, peer)| peer == NodeId::Cdn);
            let error = if edge {
                "the CDN edge's 502 Bad Gateway"
            } else {
                "an error, as an HTTP 500"
            };
            said(
                "read failed",
                format!("{me} is told its read of {key} failed ({error}): it got no value."),
            )
        }
        other => said("ignored", format!("{me} does not expect {other}.")),
    }
}

/// Whether `value` of `key` was a rolled-back transaction's: the owning primary has
/// burned that version (`Db::rolled_back`) and no open transaction holds it.
fn rolled_back(
    w: &World,
    key: super::super::ids::Key,
    value: Option<super::super::ids::Version>,
) -> bool {
    let (Some(v), db) = (value, w.primary_of(key)) else {
        return false;
    };
    let burned = db.rolled_back.iter().any(|(k, b)| *k == key && *b >= v);
    let open = db.txns.iter().any(|t| t.key == key && t.version == v);
    burned && !open
}

/// A client's request failed with a connection reset (`ClientFact::Reset`): what it
/// can tell, and what the state shows of its write.
fn reset(
    w: &World,
    me: NodeId,
    peer: NodeId,
    flow: Option<super::super::ids::FlowId>,
    request: super::super::config::Request,
) -> Said {
    let key = request.key;
    let closed = format!(
        "{me} reads its connection to {peer} close: {peer} crashed, and its kernel reset the socket (or its host \
         refused a connection while it was down)."
    );
    if request.op == Op::Read {
        return said(
            "read failed: conn reset",
            format!("{closed} Its read of {key} fails with a connection reset: it got no value."),
        );
    }
    // What became of the write: the books know which request committed what; a
    // statement of it may still be on its way to a database.
    let outcome = match flow.and_then(|f| w.books.committed_by.get(&f).copied()) {
        Some((v, at)) => format!("it did, {v} committed at {at} ms"),
        None => match w
            .net
            .iter()
            .find(|m| m.flow == flow && matches!(m.to, NodeId::Db(_)))
        {
            Some(m) => format!(
                "nothing of it has committed yet, and {} ({}) is still on its way to {}{}",
                m.id,
                m.payload,
                m.to,
                if w.is_up(m.to) {
                    ""
                } else {
                    ", which is down: it will be lost"
                }
            ),
            // A CDN edge forwarded it before its crash: the origin may still commit
            // it (review 22, U3).
            None => {
                forwarded(w, peer, flow).unwrap_or_else(|| "nothing of it committed".to_string())
            }
        },
    };
    said(
        "write failed: conn reset",
        format!(
            "{closed} Its write of {key} fails with a connection reset, and {me} cannot tell whether it committed: \
             {outcome}."
        ),
    )
}

/// Where a write `flow` that a CDN edge forwarded before its crash is now, as the
/// words after "nothing of it has committed yet": on its way to the origin, or open
/// there (review 22, U3). `None` when no origin has it.
fn forwarded(w: &World, edge: NodeId, flow: Option<super::super::ids::FlowId>) -> Option<String> {
    let flow = flow.filter(|_| w.nodes.cdn(edge).is_some())?;
    let held = w
        .nodes
        .services()
        .find(|(_, s)| s.flows.iter().any(|f| f.id == flow))
        .map(|(id, _)| id);
    let on_way = w
        .net
        .iter()
        .find(|m| m.flow == Some(flow) && w.nodes.service(m.to).is_some());
    let (origin, where_) = match (held, on_way) {
        (Some(id), _) => (id, format!("{id} is still working on it")),
        (None, Some(m)) => (
            m.to,
            format!("{} ({}) is still on its way to {}", m.id, m.payload, m.to),
        ),
        (None, None) => return None,
    };
    let may = if w.is_up(origin) {
        "it may still commit"
    } else {
        "but it is down: the write will be lost"
    };
    Some(format!(
        "nothing of it has committed yet, but the edge forwarded it before its crash: {where_}, and {may}"
    ))
}
