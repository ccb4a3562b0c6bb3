//! Reading a run's ending against its last state: every version, holder and count an
//! ending claims (the parsers are claims.rs's). Split from tests/narration/claims.rs;
//! tests/narration.rs's tests call these.
use super::claims::*;
use super::*;
use cachescope::sim::books::copies;

/// What is wrong with the ending of `r`, read against its last state.
pub(super) fn ending_errors(r: &Run) -> Vec<String> {
    let w = r.world();
    ending_text_errors(w, &r.scenario.epilogue(w, &r.fixes))
}

/// What is wrong with `text`, an ending, read against `w`, the run's last state.
pub(super) fn ending_text_errors(w: &World, text: &str) -> Vec<String> {
    let text = text.to_string();
    let mut errors = plural_errors(&text);
    for (k, v) in key_versions(&text, "both hold ") {
        if live(w, k) != Some(v) || w.db().read(k) != v {
            errors.push(format!(
                "says both hold {k} = {v}; cache {:?}, database {}",
                live(w, k),
                w.db().read(k)
            ));
        }
    }
    // What an ending says each holder keeps, against that holder's copy: the cache
    // node it names, a service's near cache or the CDN edge (every cached copy).
    for (i, verb) in text
        .match_indices(" holds ")
        .chain(text.match_indices(" keeps "))
    {
        let Some(holder) = holder_named(w, &text[..i]) else {
            continue;
        };
        let rest = &text[i + verb.len()..];
        let (key, rest) = key_at(rest).map_or((Key(1), rest), |(k, r)| {
            (k, r.strip_prefix(" = ").unwrap_or(r))
        });
        let held = copy_of(w, holder, key);
        if let Some((v, rest)) = version_at(rest) {
            if held != Some(v) {
                errors.push(format!(
                    "says {holder:?} holds {key} = {v}, but it holds {held:?}"
                ));
            }
            if let Some((db, _)) = rest
                .strip_prefix(" while the database has ")
                .and_then(version_at)
            {
                if w.db().read(key) != db || db == v {
                    errors.push(format!(
                        "says the database has {key} = {db} unlike {holder:?}; it has {}",
                        w.db().read(key)
                    ));
                }
            }
        } else if let Some(rest) = rest.strip_prefix("nothing for ") {
            if let Some((k, _)) = key_at(rest) {
                if copy_of(w, holder, k).is_some() {
                    errors.push(format!(
                        "says {holder:?} holds nothing for {k}, but it holds {:?}",
                        copy_of(w, holder, k)
                    ));
                }
            }
        }
    }
    // "Every cached copy of user:1 (…) and the database hold v2": every copy there is.
    for s in after(&text, "Every cached copy of ") {
        let Some((key, rest)) = key_at(s) else {
            continue;
        };
        let Some(v) = rest
            .split_once(" hold ")
            .and_then(|(_, r)| version_at(r))
            .map(|(v, _)| v)
        else {
            continue;
        };
        let copies: Vec<_> = copies(w)
            .filter(|c| c.key == key && c.entry.expires_ms > w.now_ms)
            .collect();
        if copies.is_empty() || w.db().read(key) != v {
            errors.push(format!(
                "says every cached copy of {key} and the database hold {v}; {} copies, database {}",
                copies.len(),
                w.db().read(key)
            ));
        }
        for c in copies.iter().filter(|c| c.entry.version != v) {
            errors.push(format!(
                "says every cached copy of {key} holds {v}, but {} holds {}",
                c.holder, c.entry.version
            ));
        }
    }
    if text.contains("Every cached copy matches the primary") {
        for c in copies(w).filter(|c| c.entry.expires_ms > w.now_ms) {
            if c.entry.version != w.db().read(c.key) {
                errors.push(format!(
                    "says every cached copy matches the primary, but {} holds {} = {}",
                    c.holder, c.key, c.entry.version
                ));
            }
        }
    }
    let consistent = Invariant::CacheMatchesDb.check(w).is_ok();
    let says_consistent =
        text.contains(": consistent") || text.contains("the cache matches the database");
    if says_consistent && !consistent {
        errors.push("says consistent, but cache-matches-db is broken".to_string());
    }
    let unpublished = w.db().outbox.iter().filter(|r| !r.published).count();
    if (text.contains("is marked published") || text.contains("relay published it"))
        && unpublished > 0
    {
        errors.push(format!(
            "says published, but {unpublished} outbox rows are not"
        ));
    }
    if text.contains("every read hit") && w.metrics.db_reads > 0 {
        errors.push("says every read hit, but a read went to the database".to_string());
    }
    for (noun, metric) in [
        ("database read", Metric::DbReads),
        ("stale read", Metric::StaleReads),
        ("read was stale", Metric::StaleReads),
        ("reads were stale", Metric::StaleReads),
    ] {
        for (i, _) in text.match_indices(&format!(" {noun}")) {
            let n: String = text[..i]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let n: String = n.chars().rev().collect();
            let after_word = &text[i..];
            // "at most 8 database reads fell in any 100 ms" is the peak, not the total.
            let peak = after_word.contains(" fell in any") || after_word.contains(" fell within");
            let at_most = text[..i].ends_with(&format!("at most {n}"));
            if n.is_empty()
                || peak && at_most
                || text[i..].starts_with(&format!(" {noun}s fell within"))
            {
                continue;
            }
            let want = if peak {
                w.metrics.db_reads_peak
            } else {
                metric.value(&w.metrics)
            };
            if n.parse::<u64>().ok() != Some(want) {
                errors.push(format!("says {n} {noun}, but {} is {want}", metric.name()));
            }
        }
    }
    if text.contains("The writer was told") {
        for s in after(&text, "The writer was told ") {
            if let Some((v, _)) = version_at(s) {
                if w.books.acked.get(&Key(1)) != Some(&v) {
                    errors.push(format!(
                        "says the writer was told {v}, but the books say {:?}",
                        w.books.acked.get(&Key(1))
                    ));
                }
            }
        }
    }
    for s in after(&text, "The reader got ") {
        if let Some((v, _)) = version_at(s) {
            let got = w.clients.iter().find_map(|c| match c.last_answer {
                Some(Payload::ReadOk { value, .. }) if matches!(c.id, NodeId::Reader(_)) => value,
                _ => None,
            });
            if got != Some(v) {
                errors.push(format!("says the reader got {v}, but it got {got:?}"));
            }
        }
    }
    if text.contains(": a stale read") && w.metrics.stale_reads == 0 {
        errors.push("calls a read stale, but stale-reads is 0".to_string());
    }
    if (text.contains("no read came in that gap")
        || text.contains("nobody missed")
        || text.contains("No read missed"))
        && w.metrics.cache_misses > 0
    {
        errors.push(format!(
            "says nobody missed, but cache-misses is {}",
            w.metrics.cache_misses
        ));
    }
    if text.contains("waited in the log while the consumer was down")
        && !w
            .books
            .happened
            .iter()
            .any(|h| matches!(h, Happened::EventWaited(_)))
    {
        errors.push("says the event waited for the consumer, but it never did".to_string());
    }
    if text.contains("ignored the redelivered event")
        && !w
            .books
            .happened
            .iter()
            .any(|h| matches!(h, Happened::OldEventIgnored(_)))
    {
        errors.push("says the consumer ignored an older event, but it never did".to_string());
    }
    if text.contains("recognised the redelivered event")
        && !w
            .books
            .happened
            .iter()
            .any(|h| matches!(h, Happened::DuplicateIgnored(_)))
    {
        errors.push("says the consumer recognised a duplicate, but it never did".to_string());
    }
    if text.contains("before it expired") && !w.books.saw(Happened::RefreshedInTime(Key(1))) {
        errors
            .push("says the recompute came before the expiry, but it landed after it".to_string());
    }
    if text.contains("was refused")
        && !w
            .books
            .happened
            .iter()
            .any(|h| matches!(h, Happened::SetRefused(_)))
    {
        errors.push("says a set was refused, but none was".to_string());
    }
    if text.contains("second delete removed")
        && !w
            .books
            .happened
            .iter()
            .any(|h| matches!(h, Happened::StaleDeleted(_)))
    {
        errors
            .push("says the second delete removed a stale value, but none was removed".to_string());
    }
    errors
}
