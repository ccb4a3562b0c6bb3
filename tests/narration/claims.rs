//! Reading a sentence against the state: small parsers for "user:1 = v2" and the
//! like, and what is wrong with one step's words (a run's ending: endings.rs). Split from
//! tests/narration.rs, whose tests call these.
use super::*;
use cachescope::sim::books::copies;
use cachescope::sim::config::WriteMode;

/// The key and version right after `prefix` in `text`, for every place it occurs:
/// "user:1 = v2", "user:1=v2" or "user:1 (it held v2" need a parser each; see `key_at`
/// and `version_at`.
pub(super) fn after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(i, _)| &text[i + prefix.len()..])
        .collect()
}

/// `user:N` at the start of `s`.
pub(super) fn key_at(s: &str) -> Option<(Key, &str)> {
    let rest = s.strip_prefix("user:")?;
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    let n: u16 = rest[..digits].parse().ok()?;
    Some((Key(n), &rest[digits..]))
}

/// `vN` at the start of `s`.
pub(super) fn version_at(s: &str) -> Option<(Version, &str)> {
    let rest = s.strip_prefix('v')?;
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    let n: u32 = rest[..digits].parse().ok()?;
    Some((Version(n), &rest[digits..]))
}

/// Every `user:N = vM` right after `prefix`.
pub(super) fn key_versions(text: &str, prefix: &str) -> Vec<(Key, Version)> {
    after(text, prefix)
        .into_iter()
        .filter_map(|s| {
            let (k, rest) = key_at(s)?;
            let (v, _) = version_at(rest.strip_prefix(" = ")?)?;
            Some((k, v))
        })
        .collect()
}

pub(super) fn live(w: &World, key: Key) -> Option<Version> {
    w.cache().live(key, w.now_ms).map(|e| e.version)
}

/// Which cached copy the words just before a verb name ("The cache", "cache-2",
/// "service-2's near cache", "the CDN edge"): its holder, and whether it is a near
/// cache. `None`: not a cache's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Holder {
    node: NodeId,
    near: bool,
}

pub(super) fn holder_named(w: &World, before: &str) -> Option<Holder> {
    let lower = before.to_lowercase();
    if lower.ends_with("cdn edge") {
        return Some(Holder {
            node: NodeId::Cdn,
            near: false,
        });
    }
    if let Some(owner) = lower.strip_suffix("'s near cache") {
        let word = owner.rsplit(' ').next().unwrap_or(owner);
        let node = w
            .nodes
            .services()
            .map(|(id, _)| id)
            .find(|id| id.to_string() == word)?;
        return Some(Holder { node, near: true });
    }
    let word = lower.rsplit(' ').next().unwrap_or(&lower);
    if let Some(node) = w
        .nodes
        .caches()
        .map(|(id, _)| id)
        .find(|id| id.to_string() == word)
    {
        return Some(Holder { node, near: false });
    }
    // "The cache", "the shared cache": the cache node of the classic topology.
    (lower.ends_with(" cache") || lower == "the cache" || lower.ends_with(". the cache")).then_some(
        Holder {
            node: NodeId::CACHE,
            near: false,
        },
    )
}

/// The live copy of `key` that `holder` keeps (every cached copy: `books::copies`).
pub(super) fn copy_of(w: &World, holder: Holder, key: Key) -> Option<Version> {
    copies(w)
        .find(|c| {
            c.holder == holder.node
                && c.near == holder.near
                && c.key == key
                && c.entry.expires_ms > w.now_ms
        })
        .map(|c| c.entry.version)
}

/// Plural nouns that must not follow a count of one, and the "(s)" shortcut.
pub(super) fn plural_errors(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.contains("(s)") {
        errors.push("writes \"(s)\"".to_string());
    }
    for noun in [
        "reads",
        "writes",
        "events",
        "requests",
        "keys",
        "rows",
        "hits",
        "misses",
        "publishes",
        "deliveries",
    ] {
        for (i, _) in text.match_indices(&format!("1 {noun}")) {
            let before = text[..i].chars().last();
            if !before.is_some_and(|c| c.is_ascii_digit() || c == '.') {
                errors.push(format!("says \"1 {noun}\""));
            }
        }
        for adj in [
            "database ",
            "cache ",
            "stale ",
            "open ",
            "queued ",
            "cached ",
            "outbox ",
            "acknowledged ",
        ] {
            for (i, _) in text.match_indices(&format!("1 {adj}{noun}")) {
                let before = text[..i].chars().last();
                if !before.is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    errors.push(format!("says \"1 {adj}{noun}\""));
                }
            }
        }
    }
    errors
}

/// What is wrong with one step's words, read against the states before and after it.
pub(super) fn step_errors(rec: &StepRecord, before: &World, after_w: &World) -> Vec<String> {
    let text = &rec.narration;
    let mut errors = plural_errors(text);
    plural_errors(&rec.outcome)
        .into_iter()
        .for_each(|e| errors.push(format!("outcome {e}")));
    for (k, v) in key_versions(text, "The cache stores ") {
        if live(after_w, k) != Some(v) {
            errors.push(format!(
                "says the cache stores {k} = {v}, but it holds {:?}",
                live(after_w, k)
            ));
        }
    }
    for (k, v) in key_versions(text, "The database commits ") {
        if after_w.db().read(k) != v {
            errors.push(format!(
                "says the database commits {k} = {v}, but it has {}",
                after_w.db().read(k)
            ));
        }
    }
    // The step's time: a key whose TTL ends at the step's moment is gone for it.
    let was = |k: Key| before.cache().live(k, after_w.now_ms).map(|e| e.version);
    for (k, v) in key_versions(text, "The cache has ") {
        let had = if text.contains(" too:") {
            live(after_w, k)
        } else {
            was(k)
        };
        if had != Some(v) {
            errors.push(format!(
                "says the cache has {k} = {v}, but it holds {had:?}"
            ));
        }
    }
    for s in after(text, "The cache has no ") {
        if let Some((k, _)) = key_at(s) {
            if was(k).is_some() {
                errors.push(format!(
                    "says the cache has no {k}, but it held {:?}",
                    was(k)
                ));
            }
        }
    }
    for s in after(text, "The cache deletes ") {
        let Some((k, rest)) = key_at(s) else { continue };
        if let Some(held) = rest.strip_prefix(" (it held ").and_then(version_at) {
            if was(k) != Some(held.0) {
                errors.push(format!(
                    "says {k} held {}, but it held {:?}",
                    held.0,
                    was(k)
                ));
            }
        }
        if rest.starts_with("; it was not cached") && was(k).is_some() {
            errors.push(format!("says {k} was not cached, but it held {:?}", was(k)));
        }
        if live(after_w, k).is_some() {
            errors.push(format!("says the cache deletes {k}, but it still holds it"));
        }
    }
    // A cached version the database has not committed is said to be one.
    for prefix in ["The cache stores ", "The cache has "] {
        for (k, v) in key_versions(text, prefix) {
            let ahead = v > after_w.expected(k);
            let said_ahead = text.contains("has committed only");
            if ahead != said_ahead {
                errors.push(format!(
                    "{prefix}{k} = {v} with {} committed, and says it is ahead: {said_ahead}",
                    after_w.expected(k)
                ));
            }
        }
    }
    // A row's first version is an INSERT, and is called one.
    for (k, v) in key_versions(text, "The database commits ") {
        if before.db().read(k) == Version(0) {
            errors.push(format!(
                "calls the insert of {k} = {v} a commit of a new version"
            ));
        }
    }
    for (k, _) in key_versions(text, "The database inserts ") {
        if before.db().read(k) != Version(0) {
            errors.push(format!("calls the update of {k} an insert"));
        }
    }
    // A crashed service's lost work is named by its write path.
    if text.contains("open request is gone") || text.contains("open requests are gone") {
        let mode = after_w.config.write_mode;
        let publish =
            text.contains("publish of its event") || text.contains("publishes of their events");
        if publish && mode != WriteMode::Event {
            errors.push(format!("names a publish in the {mode:?} write path"));
        }
        if (text.contains("cache delete") || text.contains("cache set")) && !text.contains(" write")
        {
            errors.push("names a write's cache step, but no write was open".to_string());
        }
    }
    let stale_now = after_w.metrics.stale_reads - before.metrics.stale_reads;
    if text.contains(": a stale read.") != (stale_now == 1) {
        errors.push(format!(
            "calls the read stale or not, but stale-reads grew by {stale_now}"
        ));
    }
    if text.contains("nothing in flight removes it") {
        for (k, _) in key_versions(text, "The cache stores ") {
            let second = after_w
                .timers
                .iter()
                .any(|t| matches!(t.kind, TimerKind::SecondDelete { key, .. } if key == k));
            let deleting = after_w.net.iter().any(|m| {
                m.to == NodeId::CACHE && matches!(m.payload, Payload::Del { key, .. } if key == k)
            });
            if second || deleting {
                errors.push(format!(
                    "says nothing removes {k}, but a delete is on its way"
                ));
            }
        }
    }
    if text.contains("second delete due at") {
        let any = after_w
            .timers
            .iter()
            .any(|t| matches!(t.kind, TimerKind::SecondDelete { .. }));
        if !any {
            errors.push("names a second delete that is not scheduled".to_string());
        }
    }
    for s in after(text, "commits the consumer's offset, now ") {
        let n: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        if n.parse::<u32>().ok() != Some(after_w.bus().offset()) {
            errors.push(format!(
                "says the offset is {n}, but it is {}",
                after_w.bus().offset()
            ));
        }
    }
    for s in after(text, "committed offset stays at ") {
        let n: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        if n.parse::<u32>().ok() != Some(after_w.bus().offset()) {
            errors.push(format!(
                "says the offset stays at {n}, but it is {}",
                after_w.bus().offset()
            ));
        }
    }
    let timeout = after_w.config.bus.and_then(|b| b.ack_timeout_ms).is_some();
    if text.contains("like a Kafka partition") && timeout {
        errors
            .push("names Kafka for a bus that acknowledges each event with a timeout".to_string());
    }
    if text.contains("SQS") && !timeout {
        errors.push("names SQS for a bus without per-event ack timeouts".to_string());
    }
    if text.contains("TTL ran out") {
        for s in after(text, "It held ") {
            let Some((v, rest)) = version_at(s) else {
                continue;
            };
            let key = rec
                .label
                .strip_prefix("ttl ")
                .and_then(|k| key_at(k))
                .map(|(k, _)| k);
            let Some(key) = key else { continue };
            let current = v >= after_w.expected(key);
            if rest.starts_with(", still the current version") != current {
                errors.push(format!(
                    "says {key}'s expired {v} was current or not, wrongly"
                ));
            }
        }
    }
    if text.contains("is in the cache, with a new TTL") {
        let key = after_w
            .service()
            .flows
            .iter()
            .map(|f| f.key)
            .next()
            .unwrap_or(Key(1));
        if live(after_w, key).is_none() && after_w.cache().entries.is_empty() {
            errors.push("says the recompute is in the cache, but the cache is empty".to_string());
        }
    }
    errors
}
