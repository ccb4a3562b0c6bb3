//! Reading a run's ending against its last state: every version, holder and count an
//! ending claims (the parsers are claims.rs's). Split from tests/narration/claims.rs;
//! tests/narration.rs's tests call these.
use super::claims::*;
use super::*;
use cachescope::sim::books::copies;

/// What is wrong with the ending of `r`, read against its last state.
pub(super) fn ending_errors(r: &Run) -> Vec<String> {
    let w = r.world();
    let text = r.scenario.epilogue(w, &r.fixes);
    let mut errors = ending_text_errors(w, &text);
    errors.extend(cause_errors(r, &text));
    errors
}

/// The step index of each step of `r` whose trace line passes `pick` (its label and
/// outcome, its hop).
fn steps(r: &Run, pick: impl Fn(&StepRecord) -> bool) -> Vec<usize> {
    (0..r.records().len())
        .filter(|i| pick(&r.records()[*i]))
        .collect()
}

/// What is wrong with the causes an ending of a run off its script names (review
/// session 12 V3/V14, session 13 W6, W10), read against the run's trace: where each
/// claim says a step came before another, the steps that say so.
pub(super) fn cause_errors(r: &Run, text: &str) -> Vec<String> {
    let w = r.world();
    let mut errors = Vec::new();
    // The last step that changed the key's committed row.
    let last_commit = |k: Key| {
        (0..r.records().len())
            .rev()
            .find(|i| r.state(*i).unwrap().committed(k) != r.state(i + 1).unwrap().committed(k))
    };
    let to_cache = |rec: &StepRecord| matches!(rec.hop, Some((_, NodeId::Cache(_))));
    let dels = |k: Key| {
        steps(r, |rec| {
            to_cache(rec) && rec.label == format!("del {k}") && rec.outcome.starts_with("deleted")
        })
    };
    let stored = |k: Key, v: Version| {
        steps(r, |rec| {
            to_cache(rec)
                && rec.label == format!("set {k}={v}")
                && rec.outcome == format!("stored {v}")
        })
    };
    let loaded = |k: Key, v: Version| {
        steps(r, |rec| {
            rec.label == format!("select {k}") && rec.outcome == format!("row {v}")
        })
    };
    for s in after(text, "No delete of ") {
        let Some((k, _)) = key_at(s) else { continue };
        let c = last_commit(k);
        if let Some(d) = dels(k).into_iter().find(|d| Some(*d) > c) {
            errors.push(format!(
                "says no delete of {k} came after its commit (step {c:?}), but step {d} is one"
            ));
        }
    }
    for s in after(text, "A read loaded ") {
        let Some((v, rest)) = version_at(s) else {
            continue;
        };
        let Some(k) = w.books.happened.iter().find_map(|h| match h {
            Happened::StaleStored(k)
                if copies(w).any(|c| c.key == *k && c.entry.version < w.expected(*k)) =>
            {
                Some(*k)
            }
            _ => None,
        }) else {
            errors.push("names a read's stale set, but the books have none".to_string());
            continue;
        };
        let c = last_commit(k);
        let set = stored(k, v).last().copied();
        let read = loaded(k, v).first().copied();
        if let Some(rest) = rest.strip_prefix(" from the database before ") {
            // Write-behind: read before the newer version reached the database, set
            // after the write put it in the cache.
            let Some((m, _)) = version_at(rest) else {
                continue;
            };
            let landed = (0..r.records().len()).find(|i| r.state(i + 1).unwrap().committed(k) >= m);
            let queued = steps(r, |rec| rec.outcome == format!("queued {m}"))
                .first()
                .copied();
            if read.is_none() || landed.is_some_and(|l| read > Some(l)) {
                errors.push(format!("says {v} was read before {m} reached the database: read {read:?}, landed {landed:?}"));
            }
            if queued.is_none() || set < queued {
                errors.push(format!("says {v} was set after the write put {m} in the cache: set {set:?}, queued {queued:?}"));
            }
        } else {
            // Read before the latest commit, set after a delete that came after it.
            let d = dels(k).into_iter().find(|d| Some(*d) > c);
            if read.is_none() || read > c || d.is_none() || set < d {
                errors.push(format!(
                    "says {v} was read before the write and set after its invalidation: read {read:?}, \
                     commit {c:?}, delete {d:?}, set {set:?}"
                ));
            }
        }
    }
    for s in after(text, "Its TTL ends it at ") {
        let ms: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        let ms: u64 = ms.parse().unwrap_or(0);
        let ok = copies(w).any(|c| {
            c.entry.expires_ms == ms
                && c.entry.expires_ms > w.now_ms
                && c.entry.version < w.expected(c.key)
        });
        if !ok {
            errors.push(format!(
                "says a stale copy's TTL ends at {ms} ms, but none does"
            ));
        }
        // Review session 14, X7: a TTL past the horizon is said to end the copy after
        // the run, and only then.
        let past = format!(
            "{ms} ms, after this run's horizon ({} ms)",
            w.config.horizon_ms
        );
        if s.starts_with(&past) != (ms > w.config.horizon_ms) {
            errors.push(format!(
                "says of a TTL at {ms} ms and the horizon at {} ms: {s}",
                w.config.horizon_ms
            ));
        }
    }
    for s in after(text, "The service told ") {
        let Some((client, rest)) = s.split_once(" its INSERT of ") else {
            continue;
        };
        let Some((k, _)) = key_at(rest) else { continue };
        let failed = steps(r, |rec| {
            rec.label == format!("failed {k}")
                && rec.hop.is_some_and(|(_, to)| to.to_string() == client)
        });
        if failed.is_empty() {
            errors.push(format!(
                "says {client} was told its INSERT of {k} failed, but no step tells it"
            ));
        }
    }
    errors
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
