//! The CDN edge's sentences (`cdn.rs`): an HTTP cache at a point of presence, as
//! Fastly, Cloudflare and CloudFront run them, serving what the origin's
//! `Cache-Control` lets it keep, and purged by key.
use super::super::cdn::CdnFact;
use super::super::ids::{Key, NodeId, Version};
use super::super::msg::Payload;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::names::Cast;

/// Seconds as `Cache-Control` spells them (`60`, `0.25`). In whole numbers: a float's
/// `Display` would be the page's only one, and brings core's float formatting (4 KB of
/// wasm) into its initial download.
fn secs(ms: u64) -> String {
    let (whole, frac) = (ms / 1_000, ms % 1_000);
    if frac == 0 {
        whole.to_string()
    } else {
        let frac = format!("{frac:03}");
        format!("{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// What the origin's own cache holds of `key` now, where it is older than the row of
/// the primary that owns `key`: the purge-race's cause, read off the state (`None`: it
/// is fresh or holds nothing).
fn origin_stale(w: &World, key: Key) -> Option<(NodeId, Version)> {
    let origin = w.nodes.cdn(NodeId::Cdn)?.settings.origin;
    let cache = w.nodes.service(origin)?.settings.cache;
    let held = w.nodes.cache(cache)?.live(key, w.now_ms)?.version;
    (held < w.primary_of(key).read(key)).then_some((cache, held))
}

/// How long, in words (`60 s`, `250 ms`).
fn span(ms: u64) -> String {
    if ms >= 1_000 && ms % 1_000 == 0 {
        format!("{} s", ms / 1_000)
    } else {
        format!("{ms} ms")
    }
}

pub(super) fn say(w: &World, n: &Cast, fact: CdnFact) -> Said {
    let me = "The CDN edge";
    // The origin by name where there are several services.
    let (the_origin, cap_origin) = match n.service.id {
        Some(id) => (format!("{id}, the origin,"), format!("{id}, the origin,")),
        None => ("the origin".to_string(), "The origin".to_string()),
    };
    match fact {
        CdnFact::Hit {
            client,
            key,
            version,
            age_ms,
            expires_ms,
        } => {
            // The row of the primary that owns `key` ("the database", or `db-2` where
            // there are several).
            let (the_db, db) = (n.db_of(key), w.primary_of(key).read(key));
            let verdict = if version == db {
                format!("{the_db} has {db} too")
            } else {
                format!(
                    "but {the_db} has {db}: a stale copy, served until it expires at {expires_ms} ms or is purged"
                )
            };
            said(
                format!("cdn hit {key}={version}"),
                format!(
                    "{me} has a fresh stored response for {key} ({version}, Age {}) and answers {client} itself: \
                     {the_origin} never sees this request; {verdict}.",
                    span(age_ms)
                ),
            )
        }
        CdnFact::Miss {
            client,
            key,
            expired,
            origin,
        } => {
            let why = match expired {
                Some(v) => format!("its stored response ({v}) is past its lifetime and is dropped"),
                None => "it has no stored response".to_string(),
            };
            said(
                format!("cdn miss {key}"),
                format!("{me} gets {client}'s read of {key}; {why}, so it forwards the request to {origin}, the origin."),
            )
        }
        CdnFact::WritePassed {
            client,
            key,
            origin,
        } => said(
            format!("cdn forwards write {key}"),
            format!("{me} passes {client}'s write of {key} to {origin}: an edge never answers a write itself."),
        ),
        CdnFact::Stored {
            client,
            key,
            value: Some(version),
            answered_ms,
            expires_ms,
            ttl_ms,
            s_maxage,
        } => {
            let header = if s_maxage {
                format!(
                    "Cache-Control: s-maxage={}, which a shared cache obeys over max-age",
                    secs(ttl_ms)
                )
            } else {
                format!("Cache-Control: max-age={}", secs(ttl_ms))
            };
            let (the_db, db) = (n.db_of(key), w.primary_of(key).read(key));
            let note = if version < db {
                let committed_ms = w.books.committed_ms.get(&key).copied();
                // The edge purged the key since that commit, before this answer came.
                let purged = committed_ms
                    .is_some_and(|c| w.books.purged_ms.get(&key).is_some_and(|p| *p >= c));
                let origin = match origin_stale(w, key) {
                    // It left the origin before the commit and came after the purge:
                    // the origin was right, and its cache plays no part (review
                    // session 12, V13).
                    _ if purged && committed_ms.is_some_and(|c| answered_ms < c) => format!(
                        " This {version} left the origin at {answered_ms} ms, before {db} was committed: the \
                         stale-set race, at the edge. A purge cannot stop a response already on its way."
                    ),
                    // It left before the commit, and the purge has not come yet: no
                    // race at the edge; the purge, if it comes, removes it (review
                    // session 13, W2).
                    _ if committed_ms.is_some_and(|c| answered_ms < c) => {
                        let pending = w.nodes.cdn(NodeId::Cdn).is_some_and(|c| c.settings.cache_control.purge_on_write);
                        let answer = w.net.iter().find(|m| {
                            pending
                                && m.to == NodeId::Cdn
                                && matches!(m.payload, Payload::WriteOk { key: k, .. } if k == key)
                        });
                        match answer {
                            Some(m) => format!(
                                " This {version} left the origin at {answered_ms} ms, before {db} was committed, and \
                                 the edge has not purged {key} since: the write's answer ({}) is still on its way \
                                 here, and when it arrives the edge purges {key}, this copy with it, unless a fault \
                                 stops it.",
                                m.id
                            ),
                            None => format!(
                                " This {version} left the origin at {answered_ms} ms, before {db} was committed, and \
                                 the edge has not purged {key} since."
                            ),
                        }
                    }
                    Some((cache, held)) => format!(
                        " The origin's own cache ({cache}) still holds {held}: its invalidation has not arrived, so \
                         a purge made before it cannot help."
                    ),
                    // Nothing at the origin is stale now: the answer was read there
                    // before it was fresh and was on its way since.
                    None => " The origin is fresh by now: this answer was read there before it was, and was still \
                             in flight; a purge removes what the edge has stored, not a response in flight."
                        .to_string(),
                };
                format!(
                    " {} already has {db}: the edge has stored a stale copy, and will serve it until it \
                     expires or a purge of {key} reaches it.{origin}",
                    the_db.cap()
                )
            } else {
                String::new()
            };
            said(
                format!("cdn stored {key}={version}"),
                format!(
                    "{cap_origin} answers {key} = {version}; the CDN edge stores the response for {} ({header}), until {expires_ms} \
                     ms, and passes it on to {client}.{note}",
                    span(ttl_ms)
                ),
            )
        }
        CdnFact::Stored {
            client,
            key,
            value: None,
            ..
        } => said(
            format!("cdn passes {key}=none"),
            format!("{cap_origin} finds no {key}; the CDN edge passes the answer on to {client} and stores nothing."),
        ),
        CdnFact::Purged {
            client,
            key,
            version,
            held,
        } => {
            let what = match held {
                Some(v) => format!("it held {v}"),
                None => "it holds no copy".to_string(),
            };
            // An older response that left the origin before the commit, still on its
            // way to the edge: the purge cannot stop it.
            let committed_ms = w.books.committed_ms.get(&key).copied();
            let on_way = w.net.iter().find_map(|m| match m.payload {
                Payload::ReadOk { key: k, value: Some(v) }
                    if m.to == NodeId::Cdn && k == key && v < version && committed_ms.is_some_and(|c| m.sent_ms < c) =>
                {
                    Some(format!(
                        " A response of {v}, which left the origin before the commit, is still on its way here ({}): \
                         the purge cannot stop it.",
                        m.id
                    ))
                }
                _ => None,
            });
            let race = match origin_stale(w, key) {
                Some((cache, held)) => format!(
                    " But the origin's own cache ({cache}) still holds {held}, its invalidation not yet arrived: \
                     a read that misses at the edge before it does gets {held} from the origin, and the edge \
                     stores that again for its full lifetime."
                ),
                None => String::new(),
            };
            let race = race + &on_way.unwrap_or_default();
            said(
                format!("cdn purged {key}"),
                format!(
                    "{cap_origin} acknowledges {key} = {version}; the CDN edge purges {key} by key ({what}), as RFC 9111 §4.4 \
                     asks of an HTTP cache that a successful write passes through (where the write does not pass \
                     the edge, the origin calls Fastly's purge API, Cloudflare's purge by URL or a CloudFront \
                     invalidation to the same end), and passes the answer on to {client}.{race}"
                ),
            )
        }
        CdnFact::WriteAnswered {
            client,
            key,
            version,
            held,
        } => {
            let keeps = match held {
                Some(e) if e.version < version => format!(
                    " It keeps its stored {key} = {} until it expires at {} ms: nothing purges it, so readers at the \
                     edge get the old value until then.",
                    e.version, e.expires_ms
                ),
                _ => String::new(),
            };
            said(
                format!("cdn passes ok {key}={version}"),
                format!("{cap_origin} acknowledges {key} = {version}; the CDN edge passes the answer on to {client}.{keeps}"),
            )
        }
        CdnFact::PurgedAgain {
            key,
            held,
            first_ms,
        } => {
            let db = w.primary_of(key).read(key);
            let what = match held {
                Some(e) if e.version < db => format!(
                    "it drops its stored {key} = {} (stored at {} ms, after the first purge: {the_origin} served \
                     the old value in between), so the next read goes to the origin again",
                    e.version, e.stored_ms
                ),
                Some(e) => format!(
                    "it drops its stored {key} = {} (stored at {} ms, already current: a purge also drops values \
                     that were right)",
                    e.version, e.stored_ms
                ),
                None => format!("it holds no {key}, so there is nothing to drop"),
            };
            said(
                format!("cdn purged again {key}"),
                format!(
                    "{me} purges {key} a second time, {} after the first purge at {first_ms} ms (a delayed \
                     double purge): {what}. It is a heuristic: a stale response stored after this purge stays \
                     until it expires.",
                    span(w.now_ms.saturating_sub(first_ms))
                ),
            )
        }
        CdnFact::Passed { client, payload } => said(
            format!("cdn passes {}", payload.kind()),
            format!("{me} passes the origin's answer ({payload}) on to {client}."),
        ),
        CdnFact::OriginClosed { origin, failed } => said(
            if failed == 0 { "closed: nothing waits" } else { "origin closed: 502 sent" },
            format!(
                "{me}'s connection to {origin} closes ({origin} crashed: its operating system closed the socket, or \
                 its host refused a connection while it was down). {}",
                match failed {
                    0 => "It forwards no request now, so nothing fails.".to_string(),
                    k => format!(
                        "The {} it was forwarding {} with an error, as a CDN answers when its origin's connection \
                         drops (CloudFront and Cloudflare send 502 Bad Gateway, Fastly 503){}",
                        super::super::describe::count(u64::from(k), "request", "requests"),
                        if k == 1 { "fails: its client is answered" } else { "fail: their clients are answered" },
                        // Only of a write it failed (review 22, C2).
                        if w.net.iter().any(|m| {
                            m.from == NodeId::Cdn
                                && m.sent_ms == w.now_ms
                                && matches!(m.payload, Payload::WriteFailed { .. })
                        }) {
                            ": a write's client cannot tell whether it committed."
                        } else {
                            "."
                        }
                    ),
                }
            ),
        ),
        // An answer to a request forwarded before the edge's crash comes on that
        // connection, which the restarted edge does not have (review 22, C5: it was
        // "ignored", where every other node loses it).
        CdnFact::Stray { payload } if w.books.crashes_of(NodeId::Cdn) > 0 => said(
            "lost: old connection",
            format!(
                "This {} answers a request the CDN edge forwarded before its crash, on the connection it had then: \
                 the restarted edge's host has no such connection and answers it with a reset, as TCP does, so the \
                 new process never reads it, as any restarted node loses what comes on a connection from before its \
                 crash.",
                payload.kind()
            ),
        ),
        CdnFact::Stray { payload } => said(
            "ignored",
            format!("{me} is forwarding no request for this {}: it drops it.", payload.kind()),
        ),
    }
}

/// The closes a crash of `origin` sent to the CDN edges in `edges` (each forwarding
/// requests to it), as a sentence: an edge holds no transaction; each request it
/// forwarded fails with a 502 when it reads the close, unless its answer is on its way
/// already (review 22, U1).
pub(super) fn origin_crashed(w: &World, origin: NodeId, edges: &[NodeId]) -> String {
    let mut out = String::new();
    for edge in edges {
        let Some(cdn) = w.nodes.cdn(*edge) else {
            continue;
        };
        let (mut fail, mut first, mut committed) = (Vec::new(), Vec::new(), Vec::new());
        for f in &cdn.forwarded {
            let what = format!(
                "{}'s {} of {}",
                f.client,
                if f.write { "write" } else { "read" },
                f.key
            );
            let answered = w
                .net
                .iter()
                .any(|m| m.from == origin && m.to == *edge && m.flow == Some(f.flow));
            if answered {
                first.push(what);
                continue;
            }
            if let Some((v, at)) = w.books.committed_by.get(&f.flow) {
                committed.push(format!(
                    " {}'s write already committed {v} at {at} ms: the error it gets will not mean that \
                     nothing committed.",
                    f.client
                ));
            }
            fail.push(what);
        }
        if !fail.is_empty() {
            let one = fail.len() == 1;
            out.push_str(&format!(
                " Its operating system closes its connections: {edge}, the CDN edge, forwarded {} to it and will \
                 see that connection close; it answers {} with an error, as an edge does when its origin's \
                 connection drops (a 502 Bad Gateway).{}",
                fail.join(" and "),
                if one { "that request" } else { "each" },
                committed.concat()
            ));
        }
        if !first.is_empty() {
            out.push_str(&format!(
                "{} answer to {} is already on its way to {edge}, sent before the crash, and arrives before the \
                 close.",
                if fail.is_empty() {
                    " Its operating system closes its connections: the"
                } else {
                    " The"
                },
                first.join(" and ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::secs;

    /// The whole-number spelling is the one a float's `Display` gave (the shortest
    /// decimal), for every millisecond count up to a minute and a few beyond.
    #[test]
    fn seconds_are_spelled_as_the_float_display_spelled_them() {
        for ms in (0..=60_000).chain([86_400_000, 31_536_000_001]) {
            let float = if ms % 1_000 == 0 {
                (ms / 1_000).to_string()
            } else {
                format!("{}", ms as f64 / 1_000.0)
            };
            assert_eq!(secs(ms), float, "{ms} ms");
        }
        assert_eq!(secs(250), "0.25");
        assert_eq!(secs(60_000), "60");
    }
}
