//! What an ending says: its text with each `{placeholder}` filled in from the state
//! (`{cache user:1}`, `{metric stale-reads}`), reading every cached copy of a key
//! (each cache node, each near cache, the CDN edge), not only the first cache's. Split
//! from `rules.rs` along that seam: the conditions there, the words here.
use super::{answer, invariant, key, live_copies, metric, Ending, Quantity, INVARIANTS};
use crate::sim::books::CachedCopy;
use crate::sim::ids::{Key, NodeId};
use crate::sim::scenario::Fixes;
use crate::sim::scenarios::data::E;
use crate::sim::world::World;

mod clients;
mod emptied;
mod left;
mod near;
mod why;
use clients::{answered, reset};
use left::{done, failed_requests, guard};
use why::{evicted, other_path};

/// What the endings say about `w`: the parts whose conditions hold, filled in, of
/// `endings` (a file's or the sandbox's) then of `catalog` (a catalog scenario's, as
/// static data: `scenarios::Words::endings`). In the page this is loaded with the
/// narration, after the first paint (`narrate::Narrator`): only `narrate::baked` names
/// it there, so this file's code is in that wasm chunk, not in the initial download.
pub fn say(endings: &[Ending], catalog: &[E], w: &World, fixes: &Fixes) -> String {
    let catalog: Vec<Ending> = catalog.iter().map(E::ending).collect();
    let mut out = String::new();
    for e in endings.iter().chain(&catalog) {
        if e.when.iter().all(|c| c.holds(w, fixes)) {
            out.push_str(&fill(&e.text.0, w));
        }
    }
    // (A `{done}` that said nothing leaves the space after it.)
    match out.strip_prefix(' ') {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// The placeholders an ending's text may hold, in braces.
pub const PLACEHOLDERS: &[&str] = &[
    "holds user:N",
    "other-path user:N",
    "evicted user:N",
    "deleted user:N",
    "refill user:N",
    "emptied user:N",
    "count QUANTITY one|many",
    "value QUANTITY",
    "acked user:N",
    "answer reader",
    "answered reader",
    "reset writer",
    "guard user:N",
    "done",
    "failed",
    "stale-stay user:N …",
    "cache user:N",
    "db user:N",
    "expires user:N",
    "metric NAME",
    "ttl_ms",
    "outbox-published",
    "outbox-rows",
    "dlq",
    "stale user:N user:M …",
    "broken",
    "broken INVARIANT",
];

/// The value of one placeholder, or `None` when it is not one.
fn value(name: &str, w: &World) -> Option<String> {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    // The keys named in `keys` (space-separated) of which some live copy is not the
    // database's row, as words.
    let stale_keys = |keys: &str| -> Option<Vec<String>> {
        let keys: Option<Vec<Key>> = keys.split_whitespace().map(key).collect();
        Some(
            keys?
                .into_iter()
                .filter(|k| live_copies(w, *k).any(|c| c.entry.version != w.db().read(*k)))
                .map(|k| k.to_string())
                .collect(),
        )
    };
    Some(match head {
        "holds" => holds(w, key(rest)?),
        "other-path" => other_path(w, key(rest)?),
        // What memory pressure did to the key, as the other-path ending says it (empty
        // if it evicted no copy): a scripted ending that credits a pattern names an
        // eviction that ended the staleness (review session 16, F3).
        "evicted" => evicted(w, key(rest)?),
        // What followed the write's delete of the key, by what emptied it last (review
        // 21): the clause from the write's delete on, or only what followed it.
        "deleted" => emptied::after_delete(w, key(rest)?, true, " from the database"),
        "refill" => emptied::after_delete(w, key(rest)?, false, ""),
        // Why a key the reads filled is not cached now (review 21, U2).
        "emptied" => emptied::emptied(w, key(rest)?),
        "count" => {
            let (q, nouns) = rest.split_once(' ')?;
            let (one, many) = nouns.split_once('|')?;
            crate::sim::describe::count(Quantity::parse(q)?.value(w), one, many)
        }
        "value" => Quantity::parse(rest)?.value(w).to_string(),
        "acked" => w.books.acked.get(&key(rest)?)?.to_string(),
        "answer" => answer(w, NodeId::parse(rest)?).map_or("nothing".into(), |v| v.to_string()),
        // The client's last answered read as a clause, true also of a client that has
        // had no answer (review session 17, F1: "got nothing" was said of a read still
        // waiting).
        "answered" => answered(w, NodeId::parse(rest)?)?,
        // A request that failed with a connection reset (review 20b, F8).
        "reset" => reset(w, NodeId::parse(rest)?)?,
        // A lock or a lease a cache node still holds on the key (review session 18, 7:
        // a crashed holder's lock stayed, and the ending did not say so).
        "guard" => guard(w, key(rest)?),
        // "Done." only when no client waits for an answer (review session 19, M1:
        // dual-write-crash's script ended "Done." with its writer waiting).
        "done" => done(w),
        // The requests that failed with a connection reset, for an ending without
        // `{done}` (review 21, F8's leftover).
        "failed" => failed_requests(w),
        // What dropped the instance's near copies in this run (review session 18, 9).
        "near-dropped" => near::near_dropped(w, NodeId::parse(rest)?),
        "stale-stay" => {
            let stale = stale_keys(rest)?;
            let verb = if stale.len() == 1 { "stays" } else { "stay" };
            format!("{} {verb}", stale.join(" and "))
        }
        "cache" => cached(w, key(rest)?),
        "db" => w.db().read(key(rest)?).to_string(),
        "replica" => w.replica().read(key(rest)?).to_string(),
        // When the last live copy is gone.
        "expires" => live_copies(w, key(rest)?)
            .map(|c| c.entry.expires_ms)
            .max()
            .map_or("never".into(), |ms| ms.to_string()),
        "metric" => metric(rest)?.value(&w.metrics).to_string(),
        "ttl_ms" => w.config.ttl_ms.to_string(),
        "outbox-published" => w
            .db()
            .outbox
            .iter()
            .filter(|r| r.published)
            .count()
            .to_string(),
        "outbox-rows" => w.db().outbox.len().to_string(),
        "dlq" => w.bus().dlq.len().to_string(),
        "stale" => stale_keys(rest)?.join(" and "),
        // Every broken invariant, or only the one named (`{broken cache-matches-db}`:
        // an ending that names one invariant does not repeat the others, review session
        // 12, R10).
        "broken" => INVARIANTS
            .iter()
            .filter(|i| rest.is_empty() || i.name() == rest)
            .filter_map(|i| i.check(w).err().map(|why| format!("{}: {why}", i.name())))
            .collect::<Vec<_>>()
            .join("; "),
        _ => return None,
    })
}

/// What the cached copies of `key` hold: the one value they all hold (`v2`),
/// `nothing`, or each holder's value when they differ (`v2 in the cache, v1 in
/// service-2's near cache`).
fn cached(w: &World, key: Key) -> String {
    let copies: Vec<CachedCopy> = live_copies(w, key).collect();
    match copies.as_slice() {
        [] => "nothing".into(),
        [first, rest @ ..] if rest.iter().all(|c| c.entry.version == first.entry.version) => {
            first.entry.version.to_string()
        }
        _ => copies
            .iter()
            .map(|c| format!("{} in {}", c.entry.version, c.holder_words()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Whether the world keeps copies only in its first cache node (no near cache, no
/// second cache node, no CDN edge): the classic topology, whose sentences say "the
/// cache".
fn one_cache(w: &World) -> bool {
    w.config.near.is_none()
        && w.nodes
            .iter()
            .all(|(id, _)| !matches!(id, NodeId::Cache(n) if n > 1) && id != NodeId::Cdn)
}

/// `text` at the start of a sentence: a common noun ("the cache") capitalised, a node
/// id (`service-2's near cache`, `cache-2`) as it is, as `narrate::names::capital` does.
fn capital(text: &str) -> String {
    match text.strip_prefix("the ") {
        Some(rest) => format!("The {rest}"),
        None => text.to_string(),
    }
}

/// The ending's sentence about `key`, read off every cached copy: "The cache and the
/// database both hold user:1 = v2", "The cache holds user:1 = v1 while the database
/// has v2", "The cache holds nothing for user:1; the database has v2"; with more
/// copies than the first cache's, each holder that differs is named ("service-2's near
/// cache keeps user:1 = v1 while the database has v2").
fn holds(w: &World, key: Key) -> String {
    let db = w.db().read(key);
    let copies: Vec<CachedCopy> = live_copies(w, key).collect();
    let first_only = copies.iter().all(|c| !c.near && c.holder == NodeId::CACHE);
    if copies.is_empty() {
        return if one_cache(w) {
            format!("The cache holds nothing for {key}; the database has {db}")
        } else {
            format!("No cache holds {key}; the database has {db}")
        };
    }
    let differ: Vec<&CachedCopy> = copies.iter().filter(|c| c.entry.version != db).collect();
    if differ.is_empty() {
        return if first_only {
            format!("The cache and the database both hold {key} = {db}")
        } else {
            let holders: Vec<String> = copies.iter().map(CachedCopy::holder_words).collect();
            format!(
                "Every cached copy of {key} ({}) and the database hold {db}",
                holders.join(", ")
            )
        };
    }
    // "holds" for the first cache, "keeps" for any other holder: the sentences that
    // name the first cache keep their words (and the narration tests' reading).
    let held: Vec<String> = differ
        .iter()
        .map(|c| {
            let first = !c.near && c.holder == NodeId::CACHE;
            let verb = if first { "holds" } else { "keeps" };
            format!("{} {verb} {key} = {}", c.holder_words(), c.entry.version)
        })
        .collect();
    format!(
        "{} while the database has {db}",
        capital(&held.join(" and "))
    )
}

/// The acknowledged writes still only in a write-behind queue, and why the flusher has
/// not put them in the database (review session 12, R6: a lost put left a write in the
/// queue and its flusher waiting for ever, and the ending said only "Every invariant
/// holds").
fn unflushed(w: &World) -> Option<String> {
    use crate::sim::msg::Payload;
    let (mut writes, mut lost, mut disk) = (Vec::new(), false, true);
    let mut flusher = None;
    for (id, c) in w.nodes.caches() {
        for q in c.queue.iter().filter(|q| w.committed(q.key) < q.version) {
            let (k, v) = (q.key, q.version);
            writes.push(match id {
                NodeId::CACHE => format!("{k} = {v}"),
                _ => format!("{k} = {v} (in {id}'s queue)"),
            });
            let on_its_way = w.net.iter().any(|m| {
                matches!(m.payload, Payload::DbPut { key, version } | Payload::DbPutReply { key, version }
                    if key == k && version == v)
            });
            lost |= q.in_flight && !on_its_way;
            disk &= c.logged(k).is_some_and(|l| l >= v);
            flusher = Some(c.behind.flusher);
        }
    }
    let flusher = flusher?;
    let the = match flusher {
        NodeId::FLUSHER => "the flusher".to_string(),
        id => id.to_string(),
    };
    let one = writes.len() == 1;
    let (was, it) = if one {
        ("was", "it is")
    } else {
        ("were", "they are")
    };
    let kept = if disk {
        "in the write-behind queue and its log on disk"
    } else {
        "only in the write-behind queue, in the cache's memory"
    };
    let why = if lost {
        // The database does not have it, so the put itself never arrived (lost, or
        // sent to a database that was down).
        format!(
            " {} put {} to the database and the put never arrived; with no timeout, {the} still waits for \
             the answer and does not send the write again.",
            capital(&the),
            if one { "it" } else { "them" }
        )
    } else if !w.is_up(flusher) {
        format!(" {} is not running.", capital(&the))
    } else {
        format!(
            " {} has not written {} yet.",
            capital(&the),
            if one { "it" } else { "them" }
        )
    };
    Some(format!(
        "{} {was} acknowledged but {} not in the database: {it} {kept}.{why} ",
        writes.join(" and "),
        if one { "is" } else { "are" }
    ))
}

/// The first of the text's placeholders that is not known.
pub fn unknown_placeholder(text: &str) -> Option<String> {
    placeholders(text).find(|p| !known(p))
}

/// Whether `name` is a placeholder `value` can fill (its words, not its value now).
fn known(name: &str) -> bool {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    let keys = || !rest.is_empty() && rest.split_whitespace().all(|k| key(k).is_some());
    match head {
        "holds" | "other-path" | "evicted" | "deleted" | "refill" | "emptied" | "cache" | "db"
        | "replica" | "expires" | "acked" | "guard" => key(rest).is_some(),
        "stale" | "stale-stay" => keys(),
        "count" => rest
            .split_once(' ')
            .is_some_and(|(q, nouns)| Quantity::parse(q).is_some() && nouns.contains('|')),
        "value" => Quantity::parse(rest).is_some(),
        "metric" => metric(rest).is_some(),
        "answer" | "answered" | "near-dropped" | "reset" => NodeId::parse(rest).is_some(),
        "ttl_ms" | "outbox-published" | "outbox-rows" | "dlq" | "done" | "failed" => {
            rest.is_empty()
        }
        "broken" => rest.is_empty() || invariant(rest).is_some(),
        _ => false,
    }
}

/// The names in braces, in order. Bounded by the text's length.
fn placeholders(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
}

/// `text` with each `{placeholder}` replaced by its value in `w`. A brace that is not a
/// known placeholder is kept as written.
fn fill(text: &str, w: &World) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close], w)?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Cond, EndingText, KeyName};
    use super::*;
    use crate::sim::scenario::file;
    use crate::sim::scenarios;
    use crate::sim::Run;

    /// cache-aside-write with the reader on `service-2`, which fills `cache-2`: the
    /// writer's delete reaches `cache` only, so `cache-2` keeps `v1`.
    fn two_pools() -> Run {
        let s = scenarios::find("cache-aside-write").unwrap();
        let text = file::to_json(s);
        let topology = r#""topology": [
      {"id": "cache-2"},
      {"id": "service-2", "cache": "cache-2"},
      {"id": "reader", "service": "service-2"}
    ],
    "#;
        let at = text.find("\"settings\": {").unwrap() + "\"settings\": {".len();
        let text = format!("{}\n    {topology}{}", &text[..at], &text[at..]);
        let s = file::from_json(&text).unwrap().into_scenario();
        let mut run = Run::new(s, Fixes::none(), s.seed);
        run.run_to_end();
        run
    }

    #[test]
    fn endings_read_every_cache_node_not_only_the_first() {
        let run = two_pools();
        let w = run.world();
        assert!(w.cache().live(Key(1), w.now_ms).is_none());
        let k = || KeyName(Key(1));
        let fixes = Fixes::none();
        assert!(Cond::Stale(k()).holds(w, &fixes));
        assert!(!Cond::Uncached(k()).holds(w, &fixes));
        assert!(!Cond::Fresh(k()).holds(w, &fixes));
        let ending = Ending {
            when: vec![Cond::Stale(k())],
            text: EndingText("{holds user:1}; {cache user:1} ({stale user:1}).".into()),
        };
        assert_eq!(
            say(&[ending], &[], w, &fixes),
            "cache-2 keeps user:1 = v1 while the database has v2; v1 (user:1)."
        );
    }

    #[test]
    fn the_classic_topology_keeps_its_words() {
        let s = scenarios::find("cache-aside-write").unwrap();
        let mut run = Run::new(s, Fixes::none(), s.seed);
        run.run_to_end();
        let w = run.world();
        assert_eq!(
            holds(w, Key(1)),
            "The cache and the database both hold user:1 = v2"
        );
        assert_eq!(
            holds(w, Key(7)),
            "The cache holds nothing for user:7; the database has absent"
        );
        assert_eq!(cached(w, Key(1)), "v2");
    }
}
