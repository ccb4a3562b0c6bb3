//! The read path of the service, and its guards against a stampede of misses on one
//! key: a per-key mutex in the cache (with double-checked locking), single-flight
//! (concurrent misses in the one service instance share one load), and XFetch
//! (probabilistic early recomputation, Vattani, Chierichetti and Lowenstein, VLDB
//! 2015). Memcache leases, the fourth guard, live in the cache.
//!
//! Functions of the service node (`service.rs`): each sees the service's own state,
//! answers through its `Ctx` and says what it did as a `ReadFact`, no text.
use super::config::{LoadGuard, Op, NO_TTL};
use super::ids::{NodeId, Version};
use super::msg::{LeaseReply, Payload};
use super::near::NearFact;
use super::node::Ctx;
use super::service::{Draw, Flow, ReadFact, ReadSource, Service, ServiceFact, Stage, XFetch};

/// A read request arrives: look the key up in the cache.
pub(crate) fn lookup(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let key = flow.key;
    // Its near cache first: a live copy is answered in-process.
    if let Some(e) = s.near.get(key, ctx.now_ms) {
        let value = Some(e.version);
        s.answer(ctx, flow.id, flow.client, Payload::ReadOk { key, value });
        ctx.fact(ServiceFact::Near(NearFact::Hit {
            service: ctx.me,
            key,
            version: e.version,
            expires_ms: e.expires_ms,
        }));
        return;
    }
    let seen = s.loads_done.get(&key).copied().unwrap_or(0);
    if let Some(f) = s.flow_mut(Some(flow.id)) {
        f.seen_loads = seen;
    }
    s.to_cache(ctx, Some(flow.id), Payload::Get { key });
    ctx.fact(ServiceFact::Read(ReadFact::Lookup { key }));
}

pub(crate) fn on_hit(
    s: &mut Service,
    ctx: &mut Ctx,
    flow: &Flow,
    version: Version,
    expires_ms: u64,
    delta_ms: u64,
) {
    let key = flow.key;
    let client = flow.client;
    let unlocked = release_lock(s, ctx, flow);
    // A hit is answered at once, whatever else happens: with XFetch the recompute
    // runs in the background, after the answer.
    let value = Some(version);
    s.answer(ctx, flow.id, client, Payload::ReadOk { key, value });
    let xfetch = xfetch(s, ctx, flow, expires_ms, delta_ms);
    ctx.fact(ServiceFact::Read(ReadFact::HitAnswered {
        key,
        client,
        version,
        unlocked,
        xfetch,
    }));
    keep_near(s, ctx, key, version);
}

/// XFetch on a hit: draws, and starts a background recompute when the draw passes
/// the expiry.
fn xfetch(s: &mut Service, ctx: &mut Ctx, flow: &Flow, expires_ms: u64, delta_ms: u64) -> XFetch {
    let LoadGuard::XFetch { beta_centi } = s.settings.load_guard else {
        return XFetch::Off;
    };
    if expires_ms == NO_TTL || flow.background {
        return XFetch::Skipped;
    }
    let draw = Draw {
        now_ms: ctx.now_ms,
        delta_ms,
        beta_centi,
        rand_bits: s.rng.unit_open().to_bits(),
        expires_ms,
    };
    if draw.at() < expires_ms as f64 {
        return XFetch::Drew {
            draw,
            recompute: false,
        };
    }
    let id = ctx.new_request();
    s.flows.push(Flow {
        id,
        client: flow.client,
        op: Op::Read,
        key: flow.key,
        stage: Stage::Load,
        token: None,
        loaded: None,
        committed: None,
        background: true,
        load_sent_ms: Some(ctx.now_ms),
        locked: false,
        seen_loads: 0,
        marked: false,
    });
    s.to_reads(ctx, Some(id), Payload::DbRead { key: flow.key });
    XFetch::Drew {
        draw,
        recompute: true,
    }
}

pub(crate) fn on_miss(s: &mut Service, ctx: &mut Ctx, flow: &Flow, lease: LeaseReply) {
    let key = flow.key;
    let fact = match s.settings.load_guard {
        LoadGuard::Mutex { .. } if !flow.locked => {
            s.set_stage(flow.id, Stage::Locking);
            let holder = flow.client;
            s.to_cache(ctx, Some(flow.id), Payload::Lock { key, holder });
            ReadFact::LockAsked { key }
        }
        LoadGuard::SingleFlight => {
            if let Some(waiters) = s.loading.get_mut(&key) {
                waiters.push(flow.id);
                let waiting = waiters.len();
                s.set_stage(flow.id, Stage::WaitLoad);
                ReadFact::JoinedLoad { key, waiting }
            } else {
                let done = s.loads_done.get(&key).copied().unwrap_or(0);
                if flow.stage != Stage::Recheck && done > flow.seen_loads {
                    s.set_stage(flow.id, Stage::Recheck);
                    s.to_cache(ctx, Some(flow.id), Payload::Get { key });
                    ReadFact::Rechecking { key }
                } else {
                    s.loading.insert(key, Vec::new());
                    let source = load(s, ctx, flow, lease);
                    ReadFact::Loading {
                        key,
                        shared: true,
                        source,
                    }
                }
            }
        }
        _ => {
            let source = load(s, ctx, flow, lease);
            ReadFact::Loading {
                key,
                shared: false,
                source,
            }
        }
    };
    ctx.fact(ServiceFact::Read(fact));
}

/// Sends the miss's read; returns where it goes.
pub(crate) fn load(s: &mut Service, ctx: &mut Ctx, flow: &Flow, lease: LeaseReply) -> ReadSource {
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
    if flow.marked {
        // A remote marker: this region's write has not replicated here yet.
        s.to_db(ctx, Some(flow.id), Payload::DbRead { key });
        return ReadSource::Marked;
    }
    let to = s.to_reads(ctx, Some(flow.id), Payload::DbRead { key });
    // A primary with a replica it does not read, or one with none.
    let replicated = match to {
        NodeId::DB => s.settings.has_replica,
        NodeId::Db(n) => s
            .settings
            .replicas
            .get(usize::from(n).wrapping_sub(1))
            .is_some_and(Option::is_some),
        _ => return ReadSource::Replica,
    };
    if replicated {
        ReadSource::Primary
    } else {
        ReadSource::Database
    }
}

pub(crate) fn on_lock(s: &mut Service, ctx: &mut Ctx, flow: &Flow, granted: bool) {
    let key = flow.key;
    let fact = if granted {
        if let Some(f) = s.flow_mut(Some(flow.id)) {
            f.locked = true;
            f.stage = Stage::Recheck;
        }
        s.to_cache(ctx, Some(flow.id), Payload::Get { key });
        ReadFact::LockGranted { key }
    } else {
        let at_ms = s.wait_and_retry(ctx, flow.id, Stage::WaitLock);
        ReadFact::LockWait { key, at_ms }
    };
    ctx.fact(ServiceFact::Read(fact));
}

/// The fill of a read's value is done (or refused): answer, and whoever shared it.
pub(crate) fn on_filled(s: &mut Service, ctx: &mut Ctx, flow: &Flow, refused: bool) {
    let key = flow.key;
    let client = flow.client;
    if flow.background {
        s.flows.retain(|f| f.id != flow.id);
        ctx.fact(ServiceFact::Read(ReadFact::Refreshed { key, refused }));
        return;
    }
    let near = flow.loaded.filter(|_| !refused);
    let value = flow.loaded;
    let unlocked = release_lock(s, ctx, flow);
    let mut shared = 0;
    if s.settings.load_guard == LoadGuard::SingleFlight {
        if let Some(waiters) = s.loading.remove(&key) {
            *s.loads_done.or_insert(key, 0) += 1;
            for id in &waiters {
                if let Some(c) = s.flow(Some(*id)).map(|f| f.client) {
                    s.answer(ctx, *id, c, Payload::ReadOk { key, value });
                }
            }
            shared = waiters.len();
        }
    }
    s.answer(ctx, flow.id, client, Payload::ReadOk { key, value });
    ctx.fact(ServiceFact::Read(ReadFact::FillAnswered {
        key,
        client,
        value,
        unlocked,
        shared,
        refused,
    }));
    if let Some(version) = near {
        keep_near(s, ctx, key, version);
    }
}

/// Keeps what a read got in the near cache, if the instance has one (a refused fill
/// is not kept: a newer value exists).
fn keep_near(s: &mut Service, ctx: &mut Ctx, key: super::ids::Key, version: Version) {
    if let Some(expires_ms) = s.near.keep(key, version, ctx.now_ms) {
        ctx.fact(ServiceFact::Near(NearFact::Kept {
            service: ctx.me,
            key,
            version,
            expires_ms,
        }));
    }
}

/// Releases the per-key lock if this request holds it; returns whether it did.
fn release_lock(s: &mut Service, ctx: &mut Ctx, flow: &Flow) -> bool {
    if !flow.locked {
        return false;
    }
    if let Some(f) = s.flow_mut(Some(flow.id)) {
        f.locked = false;
    }
    s.to_cache(ctx, None, Payload::Unlock { key: flow.key });
    true
}
