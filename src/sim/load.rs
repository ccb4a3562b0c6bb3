//! The read path of the service, and its guards against a stampede of misses on one
//! key: a per-key mutex in the cache (with double-checked locking), single-flight
//! (concurrent misses in the one service instance share one load), and XFetch
//! (probabilistic early recomputation, Vattani, Chierichetti and Lowenstein, VLDB
//! 2015). Memcache leases, the fourth guard, live in the cache.
use super::config::{LoadGuard, Op, NO_TTL};
use super::ids::{FlowId, Version};
use super::msg::{LeaseReply, Payload};
use super::service::{answer, set_stage, to_cache, to_db};
use super::world::{Flow, Said, Stage, World};

/// A read request arrives: look the key up in the cache.
pub(crate) fn lookup(w: &mut World, flow: &Flow) -> Said {
    let key = flow.key;
    let seen = w.loads_done.get(&key).copied().unwrap_or(0);
    if let Some(f) = w.flow_mut(Some(flow.id)) {
        f.seen_loads = seen;
    }
    to_cache(w, Some(flow.id), Payload::Get { key });
    said!(
        w,
        "get sent",
        text!(w,
            "The service asks the cache for {key} first; only on a miss will it go to the database."
        ),
    )
}

pub(crate) fn on_hit(
    w: &mut World,
    flow: &Flow,
    v: Version,
    expires_ms: u64,
    delta_ms: u64,
) -> Said {
    let key = flow.key;
    let client = flow.client;
    let unlock = release_lock(w, flow);
    // A hit is answered at once, whatever else happens: with XFetch the recompute
    // runs in the background, after the answer.
    answer(
        w,
        flow.id,
        client,
        Payload::ReadOk {
            key,
            value: Some(v),
        },
    );
    let hit = text!(w, "The service answers {client} with {v} from the cache.");
    let LoadGuard::XFetch { beta_centi } = w.config.load_guard else {
        return said!(w, text!(w, "answer {v}"), text!(w, "{hit}{unlock}"));
    };
    if expires_ms == NO_TTL || flow.background {
        return said!(w, text!(w, "answer {v}"), hit);
    }
    let rand = w.rng.unit_open();
    let beta = f64::from(beta_centi) / 100.0;
    let gap = delta_ms as f64 * beta * -rand.ln();
    let now = w.now_ms;
    let test = text!(w,
        "XFetch: now - delta * beta * ln(rand) = {now} - {delta_ms} * {} * ln({}) = {} ms, against the \
         expiry at {expires_ms} ms",
        fixed(beta, 2),
        fixed(rand, 3),
        fixed(now as f64 + gap, 1)
    );
    if now as f64 + gap < expires_ms as f64 {
        return said!(
            w,
            text!(w, "answer {v}"),
            text!(w, "{hit} {test}: not yet, no recompute."),
        );
    }
    let id = FlowId(w.next_flow);
    w.next_flow += 1;
    w.flows.push(Flow {
        id,
        client,
        op: Op::Read,
        key,
        stage: Stage::Load,
        token: None,
        loaded: None,
        committed: None,
        slow: None,
        background: true,
        load_sent_ms: Some(now),
        locked: false,
        seen_loads: 0,
    });
    to_db(w, Some(id), Payload::DbRead { key });
    said!(w,
        text!(w, "answer {v}, recompute"),
        text!(w,
            "The service answers {client} with {v} from the cache at once. {test}: past it, so this request also \
             starts recomputing {key} in the background now, ahead of its expiry at {expires_ms} ms. Nobody waits. The closer the expiry and the \
             slower the recompute, the likelier this draw; it is probabilistic, so two readers may both recompute."
        ),
    )
}

pub(crate) fn on_miss(w: &mut World, flow: &Flow, lease: LeaseReply) -> Said {
    let key = flow.key;
    match w.config.load_guard {
        LoadGuard::Mutex { .. } if !flow.locked => {
            set_stage(w, flow.id, Stage::Locking);
            let holder = flow.client;
            to_cache(w, Some(flow.id), Payload::Lock { key, holder });
            said!(w,
                "lock sent",
                text!(w, "A miss. Before loading, the service asks the cache for the lock on {key}: only its holder loads."),
            )
        }
        LoadGuard::SingleFlight => {
            if let Some(waiters) = w.loading.get_mut(&key) {
                waiters.push(flow.id);
                let n = waiters.len();
                set_stage(w, flow.id, Stage::WaitLoad);
                return said!(w,
                    "join load",
                    text!(w,
                        "A miss, but this service is already loading {key} for another request: single-flight makes \
                         this one wait for that load instead of querying the database ({} now waiting for it).",
                        super::describe::count(n as u64, "request", "requests")
                    ),
                );
            }
            let done = w.loads_done.get(&key).copied().unwrap_or(0);
            if flow.stage != Stage::Recheck && done > flow.seen_loads {
                set_stage(w, flow.id, Stage::Recheck);
                to_cache(w, Some(flow.id), Payload::Get { key });
                return said!(w,
                    "get sent",
                    text!(w, "A miss, but a load of {key} has finished since this request looked: it looks once more."),
                );
            }
            w.loading.insert(key, Vec::new());
            let s = load(w, flow, lease);
            said!(
                w,
                s.outcome,
                text!(
                    w,
                    "{} Single-flight: concurrent misses of {key} will share this one load.",
                    s.narration
                ),
            )
        }
        _ => load(w, flow, lease),
    }
}

fn load(w: &mut World, flow: &Flow, lease: LeaseReply) -> Said {
    let key = flow.key;
    let now = w.now_ms;
    if let Some(f) = w.flow_mut(Some(flow.id)) {
        f.stage = Stage::Load;
        f.token = match lease {
            LeaseReply::Granted(t) => Some(t),
            _ => None,
        };
        f.load_sent_ms = Some(now);
    }
    to_db(w, Some(flow.id), Payload::DbRead { key });
    said!(
        w,
        "select sent",
        text!(w, "On the miss the service queries the database for {key}."),
    )
}

pub(crate) fn on_lock(w: &mut World, flow: &Flow, granted: bool) -> Said {
    let key = flow.key;
    if granted {
        if let Some(f) = w.flow_mut(Some(flow.id)) {
            f.locked = true;
            f.stage = Stage::Recheck;
        }
        to_cache(w, Some(flow.id), Payload::Get { key });
        return said!(w,
            "get sent",
            text!(w,
                "The service holds the lock on {key}. It looks in the cache once more (double-checked locking: the \
                 previous holder may have just filled it) before loading."
            ),
        );
    }
    let at = super::service::wait_and_retry(w, flow.id);
    said!(w,
        "wait",
        text!(w,
            "The lock on {key} is taken: another request is loading it. This one waits and asks the cache again at \
             {at} ms. Readers wait; the database is spared."
        ),
    )
}

/// The fill of a read's value is done (or refused): answer, and whoever shared it.
pub(crate) fn on_filled(w: &mut World, flow: &Flow, refused: bool) -> Said {
    let key = flow.key;
    let client = flow.client;
    if flow.background {
        w.flows.retain(|f| f.id != flow.id);
        let landed = if refused {
            text!(
                w,
                "The cache refused the early recompute of {key}; the entry it has stays as it was."
            )
        } else {
            text!(
                w,
                "The early recompute of {key} is in the cache, with a new TTL."
            )
        };
        let outcome = if refused {
            "recompute refused"
        } else {
            "refreshed"
        };
        return said!(w, outcome, text!(w, "{landed} Nobody waited for it."));
    }
    let value = flow.loaded;
    let mut notes = release_lock(w, flow);
    if w.config.load_guard == LoadGuard::SingleFlight {
        if let Some(waiters) = w.loading.remove(&key) {
            *w.loads_done.or_insert(key, 0) += 1;
            for id in &waiters {
                if let Some(c) = w.flow(Some(*id)).map(|f| f.client) {
                    answer(w, *id, c, Payload::ReadOk { key, value });
                }
            }
            if !waiters.is_empty() {
                let shared = match waiters.len() {
                    1 => "The request that waited for this load gets the same answer".to_string(),
                    n => text!(
                        w,
                        "The {n} requests that waited for this load get the same answer"
                    ),
                };
                notes.push_str(&text!(w, " {shared}: one database read for all."));
            }
        }
    }
    answer(w, flow.id, client, Payload::ReadOk { key, value });
    let v = text!(
        w,
        "{}",
        value.map_or("nothing".into(), |v: Version| v.to_string())
    );
    if refused {
        notes.push_str(" The value it read is still a correct answer for this read; only caching it was refused.");
    }
    said!(
        w,
        text!(w, "answer {v}"),
        text!(w, "The service answers {client} with {v}.{notes}"),
    )
}

/// Releases the per-key lock if this request holds it.
fn release_lock(w: &mut World, flow: &Flow) -> String {
    if !flow.locked {
        return String::new();
    }
    if let Some(f) = w.flow_mut(Some(flow.id)) {
        f.locked = false;
    }
    to_cache(w, None, Payload::Unlock { key: flow.key });
    text!(w, " It releases the lock on {}.", flow.key)
}

/// `value` with `places` decimals, printed through integers: the page does not need
/// the float formatter (a few kilobytes of the bundle) for three numbers.
fn fixed(value: f64, places: u32) -> String {
    let scale = 10i64.pow(places);
    let scaled = (value * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    let scale = scale as u64;
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

#[cfg(test)]
mod fixed_tests {
    #[test]
    fn prints_like_the_float_formatter() {
        let cases = [
            (0.5, 3, "0.500"),
            (1.0, 2, "1.00"),
            (123.456, 1, "123.5"),
            (0.0004, 3, "0.000"),
            (-2.26, 1, "-2.3"),
        ];
        for (v, p, want) in cases {
            assert_eq!(super::fixed(v, p), want, "{v} {p}");
        }
    }
}
