//! The sentences of a closed connection (`Payload::Closed`): a crashed node's
//! operating system closes its sockets; the database ends the session and rolls back
//! its open transaction (Postgres, InnoDB); a service that tracked its reads through a
//! crashed cache node flushes its near cache (Redis client-side caching). And what a
//! lost close leaves open, and what a crash lost on its way to the node.
use super::super::fact::Fact;
use super::super::ids::{Key, NodeId, Version};
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::names::Cast;

/// The database's step on a closed connection (`DbFact::SessionEnded`).
pub(super) fn session_ended(
    w: &World,
    n: &Cast,
    from: NodeId,
    rolled: Option<(NodeId, Key, Version)>,
    txns: u8,
    waits: u8,
) -> Said {
    let the_db = n.db;
    let waits = match waits {
        0 => String::new(),
        1 => format!(" {from}'s UPDATE that was waiting for a row lock goes with the session: it never runs."),
        k => format!(" {from}'s {k} UPDATEs that were waiting for row locks go with the session: they never run."),
    };
    let closed = format!(
        "{from}'s connection closes: {from} crashed, and its operating system closed the socket."
    );
    match rolled {
        Some((client, key, version)) => {
            // No reader saw it in the database; a cached copy is another matter.
            let cached = super::super::books::copies(w)
                .find(|c| c.key == key && c.entry.version == version && c.entry.expires_ms > w.now_ms)
                .map_or(String::new(), |c| format!(", but {} already holds it", c.holder_words()));
            let others = match txns {
                0 | 1 => String::new(),
                k => format!(" Its {} other open transactions roll back with it.", k - 1),
            };
            said(
                "rolled back: connection closed",
                format!(
                    "{closed} {} ends the session and rolls back its open transaction, as Postgres does \
                     (\"unexpected EOF on client connection with an open transaction\") and as MySQL's \
                     InnoDB does when a client disconnects: {client}'s {version} of {key} is discarded; no \
                     reader saw it in the database{cached}. Its row lock is released.{others}{waits}",
                    the_db.cap()
                ),
            )
        }
        None => said(
            "session ended",
            format!(
                "{closed} {} ends the session; no transaction of {from}'s is open in it (it committed, \
                 rolled back, or never began here), so there is nothing to roll back.{waits}",
                the_db.cap()
            ),
        ),
    }
}

/// A service's step on the close of its connection to the cache node it tracks its
/// reads through (`NearFact::Flushed`).
pub(super) fn flushed(n: &Cast, service: NodeId, keys: u8) -> Said {
    let the_cache_node = n.cache_node;
    let flushed = match keys {
        0 => format!(" {service}'s near cache is empty: there is nothing to flush."),
        k => format!(
            " {service} flushes its whole near cache ({}): its next read of each key asks {the_cache_node} \
             again.",
            super::super::describe::count(u64::from(k), "copy", "copies")
        ),
    };
    said(
        if keys == 0 { "nothing to flush" } else { "near cache flushed" },
        format!(
            "{service}'s connection to {the_cache_node} closes ({the_cache_node} crashed: its operating system \
             closed the socket, or its host refused a connection while it was down). The tracking table that was to tell {service} of changes is gone, \
             and invalidations may have been missed, so a Redis client-side caching client flushes its \
             local cache when the connection that carries them drops (redis/redis#13082; redis-py and \
             Lettuce do so).{flushed}"
        ),
    )
}

/// What a lost close (`Payload::Closed`) leaves open: as when a host vanishes without
/// a FIN, the other end keeps the session, and this model runs no keepalive.
pub(super) fn never_closed(w: &World, from: NodeId, to: NodeId, payload: Payload) -> String {
    if payload != Payload::Closed {
        return String::new();
    }
    let how = format!(
        " {to} never learns that {from}'s connection closed, as when a host vanishes without a FIN (a power loss, a \
         cut link)"
    );
    if let Some(db) = w.nodes.db(to) {
        let open = match db.txns.iter().find(|t| t.from == from) {
            Some(t) => format!(
                ", and {}'s transaction open in it: {} of {} stays uncommitted and its row lock held",
                t.client, t.version, t.key
            ),
            None => String::new(),
        };
        return format!(
            "{how}: it keeps the session{open}. Nothing in this run ends it; only TCP keepalive (by default after \
             two hours idle) or a server timeout such as Postgres's idle_in_transaction_session_timeout (off by \
             default) would."
        );
    }
    match w.nodes.service(to).map_or(0, |s| s.near.entries.len()) {
        0 => format!("{how}. Its near cache holds nothing now, so there was nothing for it to flush."),
        k => format!(
            "{how}, so it keeps its near cache ({}), though the tracking table that would have told it of changes \
             is gone: nothing will invalidate those copies; their TTLs end them.",
            super::super::describe::count(k as u64, "copy", "copies")
        ),
    }
}

/// The connections a crash closed (`Payload::Closed` on its way from `node`), as a
/// sentence: its operating system closes a dead process's sockets.
pub(super) fn closes(w: &World, node: NodeId) -> String {
    let nodes = nodes_closes(w, node);
    let clients = clients_closes(w, node, !nodes.is_empty());
    nodes + &clients
}

/// The closes `node`'s crash sent to clients waiting on it (review 20b, F8): each
/// request fails with a connection reset, unless its answer is on its way already and
/// arrives before the close (N5).
fn clients_closes(w: &World, node: NodeId, more: bool) -> String {
    let (mut fail, mut first) = (Vec::new(), Vec::new());
    for m in w.net.iter().filter(|m| {
        m.from == node && m.to.is_client() && m.payload == Payload::Closed && m.sent_ms == w.now_ms
    }) {
        if answer_on_way(w, m.to, node) {
            first.push(m.to.to_string());
        } else {
            fail.push(m.to.to_string());
        }
    }
    let opener = if more {
        "So do its clients' connections"
    } else {
        "Its operating system closes its connections"
    };
    let mut out = String::new();
    // A batch job talks to the database itself, with a Postgres driver, not HTTP
    // (review 22, C4).
    let how = if w.nodes.db(node).is_some() {
        "a Postgres client's statement fails with \"server closed the connection unexpectedly\""
    } else {
        "an HTTP client's request fails with \"connection reset by peer\""
    };
    if !fail.is_empty() {
        let one = fail.len() == 1;
        out.push_str(&format!(
            " {opener}: {}, whose request{} on it, will read {} reset, and \
             {} fail{} ({how}; a write's client cannot tell whether it committed).",
            fail.join(" and "),
            if one { " waits" } else { "s wait" },
            if one { "its connection" } else { "theirs" },
            if one {
                "that request"
            } else {
                "those requests"
            },
            if one { "s" } else { "" },
        ));
    }
    if !first.is_empty() {
        let lead = if out.is_empty() {
            format!(" {opener}: the")
        } else {
            " The".to_string()
        };
        out.push_str(&format!(
            "{lead} answer {} waited for on its connection is already on its way, sent before the crash, and \
             arrives before the close.",
            first.join(" and ")
        ));
    }
    out
}

/// Whether everything `peer` waits on `node` for has its answer on its way from
/// `node` already (sent before its crash): that answer arrives before the close, which
/// then fails nothing of it (N5).
fn answer_on_way(w: &World, peer: NodeId, node: NodeId) -> bool {
    let sent = |flow| {
        w.net
            .iter()
            .any(|m| m.from == node && m.to == peer && m.flow == Some(flow))
    };
    if let Some(c) = w.clients.iter().find(|c| c.id == peer) {
        return c.busy.is_some_and(sent);
    }
    let Some(s) = w.nodes.service(peer) else {
        return false;
    };
    let mut waiting = s
        .flows
        .iter()
        .filter(|f| s.waits_on(f) == Some(node))
        .peekable();
    waiting.peek().is_some() && waiting.all(|f| sent(f.id))
}

/// The closes of `node`'s crash to the nodes (not clients) with something pending on
/// it.
fn nodes_closes(w: &World, node: NodeId) -> String {
    // A CDN edge in front of a crashed service holds no transaction: what it forwarded
    // fails (review 22, U1), in its own words.
    let (edges, to): (Vec<NodeId>, Vec<NodeId>) = w
        .net
        .iter()
        .filter(|m| {
            m.from == node
                && !m.to.is_client()
                && m.payload == Payload::Closed
                && m.sent_ms == w.now_ms
        })
        .map(|m| m.to)
        .partition(|id| w.nodes.cdn(*id).is_some());
    let edges = super::cdn::origin_crashed(w, node, &edges);
    if to.is_empty() {
        return edges;
    }
    let them = to
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" and ");
    if !matches!(node, NodeId::Service(_)) {
        if let Some(words) = waiting_closes(w, node) {
            return words;
        }
    }
    edges
        + &match node {
        NodeId::Cache(_) if to.len() == 1 => format!(
            " Its operating system closes its connections: {them}, which tracks its reads through it (client \
             tracking), will see its connection close."
        ),
        NodeId::Cache(_) => format!(
            " Its operating system closes its connections: {them}, which track their reads through it (client \
             tracking), will each see its connection close."
        ),
        // A transaction the database has already ended (its COMMIT done, the answer
        // maybe still on its way) is no longer under way (review session 16, F7).
        _ if !under_way(w, node) => {
            let answer = w.net.iter().any(|m| {
                m.to == node && matches!(m.payload, Payload::DbWriteReply { .. }) && w.nodes.db(m.from).is_some()
            });
            format!(
                " Its operating system closes its connections: {them} will see the one its transaction used close. \
                 That transaction has already {}, so there is nothing to roll back.",
                if answer {
                    "committed (only the COMMIT's answer is still on its way)"
                } else {
                    "ended in the database"
                }
            )
        }
        _ => format!(
            " Its operating system closes its connections: {them} will see the one with its transaction under way \
             close, after whatever was sent on it."
        ),
    }
}

/// The cache nodes that tracked `node`'s reads (client tracking), which its crash's
/// closed connection made forget it (`CacheNode::on_peer`), as a sentence.
pub(super) fn untracked(w: &World, node: NodeId) -> String {
    let by: Vec<String> = w
        .nodes
        .caches()
        .filter(|(_, c)| c.tracking.on && c.tracking.clients.contains(&node))
        .map(|(id, _)| id.to_string())
        .collect();
    if by.is_empty() {
        return String::new();
    }
    format!(
        " Its connection to {} closes with it, and Redis drops a disconnected client's tracking state: no \
         invalidation will be pushed to it; a restarted {node} connects anew, with an empty near cache.",
        by.join(" and ")
    )
}

/// The closes `node`'s crash (or its host, refusing a connection while it is down, or
/// resetting one from before its restart) sends this step to peers with a request
/// waiting on it (`fault::close_to`), with the tracking clients among them: `None` when
/// none waits (the tracking clients' own words then).
fn waiting_closes(w: &World, node: NodeId) -> Option<String> {
    let to: Vec<NodeId> = w
        .net
        .iter()
        .filter(|m| {
            m.from == node
                && !m.to.is_client()
                && m.payload == Payload::Closed
                && m.sent_ms == w.now_ms
        })
        .map(|m| m.to)
        .collect();
    let waits = |r: &NodeId| w.awaits(*r, node).is_some();
    // A peer whose answer is on its way already reads it before the close (N5).
    let (first, waiting): (Vec<NodeId>, Vec<NodeId>) = to
        .iter()
        .filter(|r| waits(r))
        .partition(|r| answer_on_way(w, **r, node));
    let names = |v: &[NodeId]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" and ")
    };
    if waiting.is_empty() && first.is_empty() {
        return None;
    }
    let tracking: Vec<String> = w
        .nodes
        .cache(node)
        .filter(|c| c.tracking.on)
        .map(|c| {
            to.iter()
                .filter(|r| c.tracking.clients.contains(r))
                .map(ToString::to_string)
                .collect()
        })
        .unwrap_or_default();
    let system = if matches!(node, NodeId::Cache(_)) {
        "a Redis client fails the commands pending on a connection that closes"
    } else {
        "a Postgres client's pending query fails with \"server closed the connection unexpectedly\", and an open \
         transaction's session is gone"
    };
    let mut out = String::new();
    if !waiting.is_empty() {
        // How many requests each waits with (review 22, C3: "a request" of three).
        // (Not those whose answer is on its way already, sent before the crash.)
        let requests = |r: &NodeId| {
            w.nodes.service(*r).map_or(1, |s| {
                s.flows
                    .iter()
                    .filter(|f| {
                        s.waits_on(f) == Some(node)
                            && !w
                                .net
                                .iter()
                                .any(|m| m.from == node && m.to == *r && m.flow == Some(f.id))
                    })
                    .count()
                    .max(1)
            })
        };
        let has = match waiting.as_slice() {
            [one] => match requests(one) {
                1 => "has a request".to_string(),
                k => format!("has {k} requests"),
            },
            all if all.iter().all(|r| requests(r) == 1) => "each have a request".to_string(),
            _ => "have requests".to_string(),
        };
        out.push_str(&format!(
            " Its operating system closes its connections: {} {has} waiting on it, and will see {} close ({system}).",
            names(&waiting),
            if waiting.len() == 1 { "its connection" } else { "theirs" },
        ));
    }
    if !first.is_empty() {
        out.push_str(&format!(
            "{} answer {} waited for on its connection is already on its way, sent before the crash, and arrives \
             before the close.",
            if out.is_empty() { " Its operating system closes its connections: the" } else { " The" },
            names(&first)
        ));
    }
    if !tracking.is_empty() {
        out.push_str(&format!(
            " {} {} its reads through it (client tracking) and will flush {} at the close.",
            tracking.join(" and "),
            if tracking.len() == 1 {
                "tracks"
            } else {
                "track"
            },
            if tracking.len() == 1 {
                "its near cache"
            } else {
                "their near caches"
            },
        ));
    }
    Some(out)
}

/// The close a down node's host sends back to a peer waiting on it when what it sent
/// arrives (a connection refused or reset, `fault::close_to`), as a sentence.
pub(super) fn refused(w: &World, node: NodeId, from: NodeId) -> String {
    if closing(w, node).all(|peer| peer != from) {
        return String::new();
    }
    format!(
        " {node}'s host refuses the connection (nothing listens there now): {from}, whose request waits on {node}, \
         will see it close, and that request fails."
    )
}

/// The peers `node`'s connection to closed this step (`FaultFact::Closing`).
pub(super) fn closing(w: &World, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    w.facts.0.iter().filter_map(move |f| match f {
        Fact::Fault(super::super::fault::FaultFact::Closing { node: n, peer }) if *n == node => {
            Some(*peer)
        }
        _ => None,
    })
}

/// Whether a transaction of `node`'s is open in a database, or a statement of it is on
/// its way to one.
fn under_way(w: &World, node: NodeId) -> bool {
    w.nodes
        .dbs()
        .any(|(_, db)| db.txns.iter().any(|t| t.from == node))
        || w.net.iter().any(|m| {
            m.from == node
                && matches!(
                    m.payload,
                    Payload::TxUpdate { .. } | Payload::TxCommit { .. }
                )
        })
}

pub(super) use super::conn_lost::{conn_lost, more_lost, Told};
pub(super) use super::sockets::{lost_at_restart, lost_inbound};
