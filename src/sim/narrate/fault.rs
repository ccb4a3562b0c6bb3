//! The faults' sentences (`fault.rs` records what a fault did as a `FaultFact`): what
//! a crash lost, read from what the node held just before (`Held`), and what a restart
//! brought back, read from the world after.
use super::super::describe::count;
use super::super::fault::{Fault, FaultFact};
use super::super::ids::NodeId;
use super::super::msg::Payload;
use super::super::partition::Link;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::held::lost;
use super::names::Cast;

pub(super) fn say(w: &World, n: &Cast, fact: FaultFact) -> Said {
    let cap_service = n.service.cap();
    match fact {
        FaultFact::Partitioned { node } => said(
            "partitioned",
            format!(
                "The network cuts {node} off: it keeps running and keeps its memory, but every message between \
                 it and the others is lost until the partition heals."
            ),
        ),
        FaultFact::Healed { node } => {
            let again = match node {
                NodeId::Replica(_) | NodeId::Invalidator(_) => {
                    " Its stream broke while it was cut off, so it reconnects and asks for the log again from its \
                     position."
                }
                _ => "",
            };
            said(
                "healed",
                format!("The partition heals: {node} and the others hear each other again.{again}"),
            )
        }
        FaultFact::LinkCut { link: Link::Regions } => said(
            "partitioned",
            "The network between the two regions is cut: every node keeps running and keeps its memory, but \
             every message from one region to the other is lost until the partition heals (the replica's \
             stream, a write of region 2 to the primary)."
                .to_string(),
        ),
        FaultFact::LinkCut {
            link: Link::Between(a, b),
        } => said(
            "partitioned",
            format!(
                "The network cuts the link between {a} and {b}: both keep running and keep their memory, but every \
                 message between them is lost until the partition heals."
            ),
        ),
        FaultFact::LinkHealed { link, reconnected } => {
            let readers: Vec<String> = reconnected.iter().flatten().map(ToString::to_string).collect();
            let again = if readers.is_empty() {
                String::new()
            } else {
                format!(
                    " The stream of {} broke while the link was cut, so it reconnects and asks for the log again \
                     from its position.",
                    readers.join(" and ")
                )
            };
            let who = match link {
                Link::Regions => "the two regions hear each other again".to_string(),
                Link::Between(a, b) => format!("{a} and {b} hear each other again"),
            };
            said("healed", format!("The partition heals: {who}.{again}"))
        }
        FaultFact::RolledBack {
            client,
            key,
            version,
            next,
        } => {
            let next = next.map_or(String::new(), |c| {
                format!(" Its row lock is free, so {c}'s UPDATE, which was waiting for it, runs now.")
            });
            // No reader saw it in the database; a cached copy is another matter (V18).
            let cached = super::super::books::copies(w)
                .find(|c| c.key == key && c.entry.version == version && c.entry.expires_ms > w.now_ms)
                .map_or(String::new(), |c| format!(", but {} already holds it", c.holder_words()));
            // Why, as far as the trace tells (review 29, F: "a later statement fails (a
            // constraint, a deadlock)" where the service had sent its COMMIT, and waited
            // on no lock): with the COMMIT on its way, a check run at COMMIT fails it;
            // before, the session ends.
            let committing = w
                .net
                .iter()
                .any(|m| matches!(m.payload, Payload::TxCommit { key: k } if k == key));
            let why = if committing {
                "as when a check run at COMMIT fails (a deferred constraint, or a serializable transaction's \
                 conflict)"
            } else {
                "as when its session is killed (an operator's pg_terminate_backend, or Postgres's \
                 idle_in_transaction_session_timeout)"
            };
            let text = format!(
                "The database aborts {client}'s transaction, {why}, and rolls it back whole: its {version} of \
                 {key} is discarded; no reader saw it in the database{cached}. {cap_service} will learn it when its COMMIT is refused.{next}"
            );
            said("rolled back", text)
        }
        FaultFact::Crashed {
            node,
            held,
            scheduled,
            restart_at_ms,
        } => {
            let lost = lost(w, n, node, held, scheduled);
            let back = match restart_at_ms {
                Some(at) => format!(" Its supervisor's restart of it is due at {at} ms."),
                None => String::new(),
            };
            let closes = super::closed::closes(w, node) + &super::closed::untracked(w, node);
            let inbound = super::closed::lost_inbound(w, node);
            said(
                "crashed",
                format!("{node} crashes: {lost}. Messages sent to it now are lost.{inbound}{closes}{back}"),
            )
        }
        FaultFact::Restarted {
            node,
            by_supervisor,
        } => restarted(w, n, node, by_supervisor),
        FaultFact::Paused { node } => said(
            "paused",
            format!(
                "{node} pauses (a long GC pause, a stalled VM): it is not dead, but it handles nothing; messages \
                 to it wait and its timers do not fire until it resumes."
            ),
        ),
        FaultFact::Resumed { node } => said(
            "resumed",
            format!("{node} resumes where it stopped; what waited for it is handled now."),
        ),
        FaultFact::Dropped {
            id,
            from,
            to,
            payload,
        } => said(
            "dropped",
            format!(
                "The network loses {id} ({payload} from {from} to {to}): it never arrives.{}",
                super::closed::never_closed(w, from, to, payload)
            ),
        ),
        FaultFact::Delayed { id, payload, at_ms } => said(
            "delayed",
            format!("The network holds {id} ({payload}) back: it now arrives at {at_ms} ms at the earliest."),
        ),
        FaultFact::Duplicated { id, copy, payload } => said(
            "duplicated",
            format!(
                "The network will deliver {id} ({payload}) twice: {copy} is a copy, as when a sender retries a \
                 message that was not lost."
            ),
        ),
        f @ (FaultFact::Evicted { .. } | FaultFact::Disconnected { .. } | FaultFact::Resubscribing { .. }) => {
            super::pressure::say(w, f)
        }
        // Said with the crash it follows (`lost`).
        FaultFact::Wiped { .. } => Said::silent(),
        // Said with the crash, refused message or restart it follows (`closed.rs`).
        FaultFact::Closing { .. } => Said::silent(),
        FaultFact::Missed { fault } => said(
            match fault {
                Fault::Abort(_) => "no transaction",
                Fault::Drop(_) => "nothing to drop",
                Fault::Delay(_) => "nothing to delay",
                Fault::Duplicate(_) => "nothing to copy",
                _ => "nothing",
            },
            "",
        ),
    }
}

/// The node came back: what with, read from its state after.
fn restarted(w: &World, n: &Cast, node: NodeId, by_supervisor: bool) -> Said {
    let who = if by_supervisor {
        format!("The supervisor restarts {node}")
    } else {
        format!("{node} restarts")
    };
    let what = match node {
        NodeId::Cache(_) => {
            let (log, queue) = w
                .nodes
                .cache(node)
                .map_or((0, Vec::new()), |c| (c.log.len(), c.queue.clone()));
            if log == 0 {
                "with an empty memory: every key will miss".to_string()
            } else {
                let back: Vec<String> = queue
                    .iter()
                    .map(|q| format!("{} = {}", q.key, q.version))
                    .collect();
                format!(
                    "and replays its disk log ({}): {} is back in {} and in the queue, and {} will write it",
                    count(log as u64, "acknowledged write", "acknowledged writes"),
                    back.join(", "),
                    // Where there are several cache nodes, this one by name.
                    if n.cache.id.is_some() { node.to_string() } else { "the cache".to_string() },
                    n.flusher
                )
            }
        }
        NodeId::Consumer(_) => format!("and subscribes to {} again", n.bus),
        NodeId::Relay(_) => format!(
            "and polls the outbox{} for rows not yet marked published",
            n.db.id.map(|db| format!(" of {db}")).unwrap_or_default()
        ),
        NodeId::Bus(_) if w.nodes.bus(node).is_some_and(|b| b.durable) => {
            // Its consumer groups (members and committed offsets) are on disk: it serves
            // them again without a new subscribe, as a Kafka consumer's client reconnects
            // and fetches on its own (review session 17, F2: a subscribe lost at this
            // restart is not what the next delivery rests on).
            "and serves its log again to the consumer groups it keeps on disk, whose consumers \
             reconnect on their own"
                .to_string()
        }
        NodeId::Bus(_) => "and passes on what is published from now on (it kept nothing)".to_string(),
        NodeId::Flusher(_) => "and looks at the queue again".to_string(),
        NodeId::Db(_) => {
            "and recovers its committed rows from disk: every commit is still there".to_string()
        }
        NodeId::Invalidator(_) => format!(
            "and asks {} for its commit log again from its binlog position, {}: it misses no change",
            w.nodes.invalidator(node).map_or(NodeId::DB, |i| i.settings.source),
            w.nodes.invalidator(node).map_or(0, |i| i.position)
        ),
        NodeId::Replica(_) => format!(
            "with its rows from disk, and asks {} to stream its commit log again from its binlog position, {}",
            match w.nodes.replica(node).map_or(NodeId::DB, |r| r.primary) {
                NodeId::DB => "the primary".to_string(),
                db => db.to_string(),
            },
            w.nodes.replica(node).map_or(0, |r| r.position)
        ),
        _ => "with an empty memory".to_string(),
    };
    let lost = super::closed::lost_at_restart(w, node);
    said("restarted", format!("{who} {what}.{lost}"))
}
