//! The read path of the service, and its guards against a stampede of misses on one
//! key: a per-key mutex in the cache (with double-checked locking), single-flight
//! (concurrent misses in the one service instance share one load), and XFetch
//! (probabilistic early recomputation, Vattani, Chierichetti and Lowenstein, VLDB
//! 2015). Memcache leases, the fourth guard, live in the cache.
//!
//! Functions of the service node (`service.rs`): each sees the service's own state
//! and answers through its `Ctx`.
use super::config::{LoadGuard, Op, NO_TTL};
use super::ids::Version;
use super::msg::{LeaseReply, Payload};
use super::node::Ctx;
use super::parts::Said;
use super::service::{Flow, Service, Stage};

/// A read request arrives: look the key up in the cache.
pub(crate) fn lookup(s: &mut Service, ctx: &mut Ctx, flow: &Flow) -> Said {
    let key = flow.key;
    let seen = s.loads_done.get(&key).copied().unwrap_or(0);
    if let Some(f) = s.flow_mut(Some(flow.id)) {
        f.seen_loads = seen;
    }
    s.to_cache(ctx, Some(flow.id), Payload::Get { key });
    said!(
        ctx,
        "get sent",
        text!(ctx,
            "The service asks the cache for {key} first; only on a miss will it go to the database."
        ),
    )
}

pub(crate) fn on_hit(
    s: &mut Service,
    ctx: &mut Ctx,
    flow: &Flow,
    v: Version,
    expires_ms: u64,
    delta_ms: u64,
) -> Said {
    let key = flow.key;
    let client = flow.client;
    let unlock = release_lock(s, ctx, flow);
    // A hit is answered at once, whatever else happens: with XFetch the recompute
    // runs in the background, after the answer.
    s.answer(
        ctx,
        flow.id,
        client,
        Payload::ReadOk {
            key,
            value: Some(v),
        },
    );
    let hit = text!(ctx, "The service answers {client} with {v} from the cache.");
    let LoadGuard::XFetch { beta_centi } = s.settings.load_guard else {
        return said!(ctx, text!(ctx, "answer {v}"), text!(ctx, "{hit}{unlock}"));
    };
    if expires_ms == NO_TTL || flow.background {
        return said!(ctx, text!(ctx, "answer {v}"), hit);
    }
    let rand = s.rng.unit_open();
    let beta = f64::from(beta_centi) / 100.0;
    let gap = delta_ms as f64 * beta * -rand.ln();
    let now = ctx.now_ms;
    let test = text!(ctx,
        "XFetch: now - delta * beta * ln(rand) = {now} - {delta_ms} * {} * ln({}) = {} ms, against the \
         expiry at {expires_ms} ms",
        fixed(beta, 2),
        fixed(rand, 3),
        fixed(now as f64 + gap, 1)
    );
    if now as f64 + gap < expires_ms as f64 {
        return said!(
            ctx,
            text!(ctx, "answer {v}"),
            text!(ctx, "{hit} {test}: not yet, no recompute."),
        );
    }
    let id = ctx.new_request();
    s.flows.push(Flow {
        id,
        client,
        op: Op::Read,
        key,
        stage: Stage::Load,
        token: None,
        loaded: None,
        committed: None,
        background: true,
        load_sent_ms: Some(now),
        locked: false,
        seen_loads: 0,
    });
    s.to_reads(ctx, Some(id), Payload::DbRead { key });
    said!(ctx,
        text!(ctx, "answer {v}, recompute"),
        text!(ctx,
            "The service answers {client} with {v} from the cache at once. {test}: past it, so this request also \
             starts recomputing {key} in the background now, ahead of its expiry at {expires_ms} ms. Nobody waits. The closer the expiry and the \
             slower the recompute, the likelier this draw; it is probabilistic, so two readers may both recompute."
        ),
    )
}

pub(crate) fn on_miss(s: &mut Service, ctx: &mut Ctx, flow: &Flow, lease: LeaseReply) -> Said {
    let key = flow.key;
    match s.settings.load_guard {
        LoadGuard::Mutex { .. } if !flow.locked => {
            s.set_stage(flow.id, Stage::Locking);
            let holder = flow.client;
            s.to_cache(ctx, Some(flow.id), Payload::Lock { key, holder });
            said!(ctx,
                "lock sent",
                text!(ctx, "A miss. Before loading, the service asks the cache for the lock on {key}: only its holder loads."),
            )
        }
        LoadGuard::SingleFlight => {
            if let Some(waiters) = s.loading.get_mut(&key) {
                waiters.push(flow.id);
                let n = waiters.len();
                s.set_stage(flow.id, Stage::WaitLoad);
                return said!(ctx,
                    "join load",
                    text!(ctx,
                        "A miss, but this service is already loading {key} for another request: single-flight makes \
                         this one wait for that load instead of querying the database ({} now waiting for it).",
                        super::describe::count(n as u64, "request", "requests")
                    ),
                );
            }
            let done = s.loads_done.get(&key).copied().unwrap_or(0);
            if flow.stage != Stage::Recheck && done > flow.seen_loads {
                s.set_stage(flow.id, Stage::Recheck);
                s.to_cache(ctx, Some(flow.id), Payload::Get { key });
                return said!(ctx,
                    "get sent",
                    text!(ctx, "A miss, but a load of {key} has finished since this request looked: it looks once more."),
                );
            }
            s.loading.insert(key, Vec::new());
            let s = load(s, ctx, flow, lease);
            said!(
                ctx,
                s.outcome,
                text!(
                    ctx,
                    "{} Single-flight: concurrent misses of {key} will share this one load.",
                    s.narration
                ),
            )
        }
        _ => load(s, ctx, flow, lease),
    }
}

fn load(s: &mut Service, ctx: &mut Ctx, flow: &Flow, lease: LeaseReply) -> Said {
    let key = flow.key;
    let now = ctx.now_ms;
    if let Some(f) = s.flow_mut(Some(flow.id)) {
        f.stage = Stage::Load;
        f.token = match lease {
            LeaseReply::Granted(t) => Some(t),
            _ => None,
        };
        f.load_sent_ms = Some(now);
    }
    s.to_reads(ctx, Some(flow.id), Payload::DbRead { key });
    let whom = match (s.settings.reads == s.settings.db, s.settings.has_replica) {
        (true, false) => "the database",
        (true, true) => "the primary (not its replica)",
        (false, _) => "the read replica (not the primary)",
    };
    said!(
        ctx,
        "select sent",
        text!(ctx, "On the miss the service queries {whom} for {key}."),
    )
}

pub(crate) fn on_lock(s: &mut Service, ctx: &mut Ctx, flow: &Flow, granted: bool) -> Said {
    let key = flow.key;
    if granted {
        if let Some(f) = s.flow_mut(Some(flow.id)) {
            f.locked = true;
            f.stage = Stage::Recheck;
        }
        s.to_cache(ctx, Some(flow.id), Payload::Get { key });
        return said!(ctx,
            "get sent",
            text!(ctx,
                "The service holds the lock on {key}. It looks in the cache once more (double-checked locking: the \
                 previous holder may have just filled it) before loading."
            ),
        );
    }
    let at = s.wait_and_retry(ctx, flow.id);
    said!(ctx,
        "wait",
        text!(ctx,
            "The lock on {key} is taken: another request is loading it. This one waits and asks the cache again at \
             {at} ms. Readers wait; the database is spared."
        ),
    )
}

/// The fill of a read's value is done (or refused): answer, and whoever shared it.
pub(crate) fn on_filled(s: &mut Service, ctx: &mut Ctx, flow: &Flow, refused: bool) -> Said {
    let key = flow.key;
    let client = flow.client;
    if flow.background {
        s.flows.retain(|f| f.id != flow.id);
        let landed = if refused {
            text!(
                ctx,
                "The cache refused the early recompute of {key}; the entry it has stays as it was."
            )
        } else {
            text!(
                ctx,
                "The early recompute of {key} is in the cache, with a new TTL."
            )
        };
        let outcome = if refused {
            "recompute refused"
        } else {
            "refreshed"
        };
        return said!(ctx, outcome, text!(ctx, "{landed} Nobody waited for it."));
    }
    let value = flow.loaded;
    let mut notes = release_lock(s, ctx, flow);
    if s.settings.load_guard == LoadGuard::SingleFlight {
        if let Some(waiters) = s.loading.remove(&key) {
            *s.loads_done.or_insert(key, 0) += 1;
            for id in &waiters {
                if let Some(c) = s.flow(Some(*id)).map(|f| f.client) {
                    s.answer(ctx, *id, c, Payload::ReadOk { key, value });
                }
            }
            if !waiters.is_empty() {
                let shared = match waiters.len() {
                    1 => "The request that waited for this load gets the same answer".to_string(),
                    n => text!(
                        ctx,
                        "The {n} requests that waited for this load get the same answer"
                    ),
                };
                notes.push_str(&text!(ctx, " {shared}: one database read for all."));
            }
        }
    }
    s.answer(ctx, flow.id, client, Payload::ReadOk { key, value });
    let v = text!(
        ctx,
        "{}",
        value.map_or("nothing".into(), |v: Version| v.to_string())
    );
    if refused {
        notes.push_str(" The value it read is still a correct answer for this read; only caching it was refused.");
    }
    said!(
        ctx,
        text!(ctx, "answer {v}"),
        text!(ctx, "The service answers {client} with {v}.{notes}"),
    )
}

/// Releases the per-key lock if this request holds it.
fn release_lock(s: &mut Service, ctx: &mut Ctx, flow: &Flow) -> String {
    if !flow.locked {
        return String::new();
    }
    if let Some(f) = s.flow_mut(Some(flow.id)) {
        f.locked = false;
    }
    s.to_cache(ctx, None, Payload::Unlock { key: flow.key });
    text!(ctx, " It releases the lock on {}.", flow.key)
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
