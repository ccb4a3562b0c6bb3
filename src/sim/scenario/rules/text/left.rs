//! What a run leaves open at its end, for the endings: the clients still waiting for
//! an answer (`{done}`: review session 19, M1, "Done." was said with a writer waiting)
//! and the locks and leases a cache node still holds (`{guard KEY}`: review session 18,
//! 7; session 19, M5: a lease's end time, and a lapsed lease not called held). Split
//! from `text.rs`.
use crate::sim::ids::{Key, NodeId};
use crate::sim::msg::Payload;
use crate::sim::world::World;

/// `{guard KEY}`: the guards the cache nodes still hold on `key`, as sentences each
/// with a leading space (empty if none): a mutex's lock, with its holder and until when
/// (`LockHold::until_ms`; the view shows only "user:1 locked by reader"), and a lease that
/// no set has filled (a set with its token, or a delete, removes it), with until when it
/// bars other loads, or that it lapsed then.
pub(super) fn guard(w: &World, key: Key) -> String {
    let mut out = String::new();
    for (id, c) in w.nodes.caches() {
        let the = match id {
            NodeId::CACHE => "The cache".to_string(),
            id => id.to_string(),
        };
        if let Some(l) = c.locks.get(&key).filter(|l| l.until_ms > w.now_ms) {
            out.push_str(&format!(
                " {the} still holds {}'s lock on {key}, until {} ms: no other reader loads {key} from the \
                 database before then.",
                l.holder, l.until_ms
            ));
        }
        // A lease bars other loads for its period only (`Cache::get`): past it, the
        // next miss gets a new one (review session 19, M5: "still holds" was said of
        // a lapsed lease, with no end time).
        let period = match c.guard {
            crate::sim::cache::SetGuard::Lease { period_ms } => period_ms,
            _ => 0,
        };
        if let Some(l) = c.leases.get(&key) {
            let (token, issued) = (l.token, l.issued_ms);
            let until = issued.saturating_add(period);
            out.push_str(&if w.now_ms < until {
                format!(
                    " {the} still holds lease #{token} on {key}, issued at {issued} ms, until {until} ms: no set \
                     has filled it, and until then another miss of {key} is told to wait."
                )
            } else {
                format!(
                    " {the}'s lease #{token} on {key}, issued at {issued} ms, lapsed at {until} ms with no set filling it: \
                     the next miss of {key} gets a new lease."
                )
            });
        }
    }
    out
}

/// `{done}`: "Done." when no client waits for an answer, no consumer is stuck on an
/// event and every invariant holds (nothing, the ending's next words, when one is
/// broken). Else, at a run's end (no event left), who waits and why, as the stuck note
/// says it (`narrate::stuck`: "The run ends with writer still waiting for an answer:
/// a message its request needed was lost, and nothing resends it."); a client whose
/// request failed (a connection reset) waits no more; with events still due (a run cut at its step limit),
/// "Not done: reader is still waiting for an answer."
pub(super) fn done(w: &World) -> String {
    let waiting = crate::sim::narrate::waiting(w);
    let end = w.enabled().is_empty();
    if waiting.is_empty() {
        // Not done either with a consumer stuck on an event (review session 20, F9).
        // A request that failed with a connection reset is not waiting, but not served
        // either (review 20b, F8). And no "Done." before a broken invariant, where it
        // reads as all is well (review 20b, N8): then only the failed requests, if any.
        let broken = super::INVARIANTS.iter().any(|i| i.check(w).is_err());
        let failed = failures(w);
        let done = match (failed.is_empty(), broken) {
            (true, false) => "Done.".to_string(),
            (false, false) => format!("Done, but {failed}."),
            (_, true) => failed_requests(w).trim_start().to_string(),
        };
        return end
            .then(|| crate::sim::narrate::stuck_words(w))
            .flatten()
            .unwrap_or(done);
    }
    end.then(|| crate::sim::narrate::stuck_words(w))
        .flatten()
        .unwrap_or_else(|| {
            let are = if waiting.len() == 1 { "is" } else { "are" };
            format!(
                "Not done: {} {are} still waiting for an answer.",
                waiting.join(" and ")
            )
        })
}

/// The requests that failed, as a clause: "reader's request failed with a connection
/// reset" (review 20b, F8), "the requests of reader-2 and reader-3 were answered with
/// an error" (review 22, M1: a read failed on the service's closed database
/// connection, and "Done." was said), or both joined; empty if none failed.
fn failures(w: &World) -> String {
    let (mut reset, mut error) = (Vec::new(), Vec::new());
    for c in &w.clients {
        match c.last_answer {
            Some(Payload::Closed) => reset.push(c.id.to_string()),
            Some(Payload::ReadFailed { .. } | Payload::WriteFailed { .. }) => {
                error.push(c.id.to_string());
            }
            _ => {}
        }
    }
    [
        failed(&reset, "failed", "failed", " with a connection reset"),
        failed(&error, "was", "were", " answered with an error"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", and ")
}

/// "reader's request failed …" of one client, "the requests of reader-2 and reader-3
/// failed …" of several (the verb `one` or `many`, then `how`), `None` of none.
fn failed(clients: &[String], one: &str, many: &str, how: &str) -> Option<String> {
    match clients {
        [] => None,
        [who] => Some(format!("{who}'s request {one}{how}")),
        all => Some(format!("the requests of {} {many}{how}", all.join(" and "))),
    }
}

/// `{failed}`: " The request of reader failed with a connection reset." (or "The
/// requests of reader and writer …", or "… was answered with an error"), after a
/// space, where a client's latest request failed; else nothing. For an ending that does
/// not say `{done}` (review 21's F8 leftover: stale-set-race after a crash of the
/// service did not name them).
pub(super) fn failed_requests(w: &World) -> String {
    let clause = failures(w);
    if clause.is_empty() {
        return clause;
    }
    // At the start of a sentence: "reader's request" as "The request of reader".
    let clause = match clause.strip_prefix("the ") {
        Some(rest) => format!("The {rest}"),
        None => match clause.split_once("'s request ") {
            Some((who, rest)) => format!("The request of {who} {rest}"),
            None => clause,
        },
    };
    format!(" {clause}.")
}

#[cfg(test)]
mod tests {
    use crate::sim::scenario::Fixes;
    use crate::sim::{scenarios, Event, Fault, NodeId, Run};

    /// A run cut at its step limit with readers waiting: stampede with a lease, the
    /// database crashed at step 30; the readers told to wait retry until the limit.
    /// No stuck note is said there (the run did not end), so `{done}` names who waits.
    #[test]
    fn a_cut_run_with_clients_waiting_is_not_done() {
        let s = scenarios::find("stampede").unwrap();
        let mut run = Run::new(s, Fixes::parse(s, ["lease"]).unwrap(), s.seed);
        for _ in 0..30 {
            assert!(run.forward());
        }
        run.truncate_future();
        run.fire(Event::Fault(Fault::Crash(NodeId::parse("db").unwrap())))
            .unwrap();
        run.run_to_end();
        assert!(run.limit_note().is_some());
        assert!(!run.world().enabled().is_empty());
        assert_eq!(
            super::done(run.world()),
            "Not done: reader-2 and reader-3 and reader-4 and reader-5 are still waiting for an answer."
        );
    }
}
