//! A CDN edge (`cdn`): an HTTP cache in front of the service, as Fastly, Cloudflare and
//! CloudFront run at their points of presence. Clients routed to it (`topology`: a
//! client's `"service": "cdn"`) send it their requests; it forwards what it cannot
//! answer to its origin service, as the same request.
//!
//! - A read (`GET`) that finds a fresh stored response is answered at the edge: the
//!   origin never sees it. Otherwise the edge forwards it, and stores the origin's
//!   answer with the lifetime its `Cache-Control` header gives a shared cache:
//!   `s-maxage` when the origin sends one, else `max-age` (RFC 9111 §5.2.2.10). Each
//!   stored response has its own expiry; freshness is judged when a request comes
//!   (a stale response is not served, and the next request refills it).
//! - A write (an unsafe method) always goes to the origin. When the origin answers
//!   that it succeeded, the edge purges its stored response for the key (a purge by
//!   URL or surrogate key: Fastly's purge API, Cloudflare's purge by URL, CloudFront's
//!   invalidation); RFC 9111 §4.4 asks an HTTP cache to invalidate the target of a
//!   successful unsafe request the same way. With `purge_on_write` off, a stored copy
//!   lives out its lifetime. With `second_purge_ms`, the key is purged once more that
//!   long after the first purge (a delayed double purge): a response stored in between
//!   (the origin served it before it was fresh itself) goes too.
//! - A crash loses what it stored and the requests it was forwarding (its memory).
//!
//! A node in the shape of `node.rs`: its own state, settings and facts; it names other
//! nodes only by id and writes no text (`narrate/cdn.rs` says what it did).
use super::config::{CdnConfig, Config};
use super::ids::{FlowId, Key, NodeId, Version};
use super::keymap::KeyMap;
use super::msg::{Message, Payload};
use super::node::{Actor, Ctx};
use super::parts::TimerKind;

/// Where the edge forwards, its hops, and the origin's `Cache-Control`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CdnSettings {
    /// The origin service (`service`, `service-2`, …).
    pub origin: NodeId,
    /// Client ↔ edge, one way.
    pub client_ms: u64,
    /// Edge ↔ origin, one way.
    pub origin_ms: u64,
    pub cache_control: CdnConfig,
}

impl CdnSettings {
    /// How long a stored response is fresh: `s-maxage` (a shared cache's own
    /// lifetime) over `max-age`.
    pub fn ttl_ms(&self) -> u64 {
        self.cache_control
            .s_maxage_ms
            .unwrap_or(self.cache_control.max_age_ms)
    }
}

/// One stored response: the value it carried and when it stops being fresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CdnEntry {
    pub version: Version,
    pub stored_ms: u64,
    pub expires_ms: u64,
}

/// A request the edge forwarded to its origin, waiting for the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Forwarded {
    pub flow: FlowId,
    pub client: NodeId,
    pub key: Key,
    /// A write (its failure is a failed write); fixed by the client's request, which
    /// `flow` names, so not in the fingerprint.
    pub write: bool,
}

/// The edge's state: its stored responses and its forwarded requests.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cdn {
    pub entries: KeyMap<Key, CdnEntry>,
    pub forwarded: Vec<Forwarded>,
    /// Fixed for a run.
    pub settings: CdnSettings,
}

/// What the edge did, for the observers (`narrate/cdn.rs`, the books).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CdnFact {
    /// A fresh stored response answered the read at the edge; `age_ms`: how long it
    /// has been stored (the `Age` header).
    Hit {
        client: NodeId,
        key: Key,
        version: Version,
        age_ms: u64,
        expires_ms: u64,
    },
    /// The read found no fresh response (`expired`: it had one, past its lifetime) and
    /// goes to the origin.
    Miss {
        client: NodeId,
        key: Key,
        expired: Option<Version>,
        origin: NodeId,
    },
    /// A write passes through to the origin.
    WritePassed {
        client: NodeId,
        key: Key,
        origin: NodeId,
    },
    /// The origin answered a read (at `answered_ms`, when the answer left it): the
    /// response is stored until `expires_ms` (if it carried a value) and passed on to
    /// the client.
    Stored {
        client: NodeId,
        key: Key,
        value: Option<Version>,
        answered_ms: u64,
        expires_ms: u64,
        ttl_ms: u64,
        s_maxage: bool,
    },
    /// The origin acknowledged a write of `version`: the edge purges its stored
    /// response for the key (`held`, if it had one) and passes the answer on.
    Purged {
        client: NodeId,
        key: Key,
        version: Version,
        held: Option<Version>,
    },
    /// The origin acknowledged a write; the edge keeps its stored response
    /// (`purge_on_write` off).
    WriteAnswered {
        client: NodeId,
        key: Key,
        version: Version,
        held: Option<CdnEntry>,
    },
    /// The delayed second purge of `key`: `held` is the response it drops, if one was
    /// stored since the first purge (`stored_ms`: when).
    PurgedAgain {
        key: Key,
        held: Option<CdnEntry>,
        first_ms: u64,
    },
    /// The origin's answer passes through (a failed write).
    Passed { client: NodeId, payload: Payload },
    /// A message for a request it is not forwarding (lost in a crash).
    Stray { payload: Payload },
    /// Its connection to the origin closed (the origin crashed) under the requests it
    /// was forwarding: each fails, and its client is answered with the error (`502 Bad
    /// Gateway`), `failed` of them.
    OriginClosed { origin: NodeId, failed: u8 },
}

impl Cdn {
    pub fn new(settings: CdnSettings) -> Cdn {
        Cdn {
            entries: KeyMap::new(),
            forwarded: Vec::new(),
            settings,
        }
    }

    /// The edge a scenario's settings make, if its topology has `cdn`: in front of the
    /// origin its entry names (`service` by default), with the settings' `cdn` (or
    /// the defaults).
    pub fn of(config: &Config) -> Option<Cdn> {
        let spec = config.topology.iter().find(|n| n.id == NodeId::Cdn)?;
        let cache_control = config.cdn.unwrap_or_default();
        Some(Cdn::new(CdnSettings {
            origin: spec.service.unwrap_or(NodeId::SERVICE),
            client_ms: config.latency.client_ms,
            origin_ms: cache_control.origin_ms,
            cache_control,
        }))
    }

    /// A fresh stored response for `key` at `now_ms`.
    pub fn fresh(&self, key: Key, now_ms: u64) -> Option<CdnEntry> {
        self.entries
            .get(&key)
            .copied()
            .filter(|e| e.expires_ms > now_ms)
    }

    fn forward(&mut self, ctx: &mut Ctx, msg: &Message, key: Key) -> Option<()> {
        let flow = msg.flow?;
        if !self.forwarded.iter().any(|f| f.flow == flow) {
            self.forwarded.push(Forwarded {
                flow,
                client: msg.from,
                key,
                write: !matches!(msg.payload, Payload::Read { .. }),
            });
        }
        let s = self.settings;
        ctx.send(s.origin, Some(flow), msg.payload, s.origin_ms);
        Some(())
    }

    /// The origin's answer on the forwarded request: back to its client.
    fn answer(&mut self, ctx: &mut Ctx, msg: &Message) -> Option<Forwarded> {
        let at = self
            .forwarded
            .iter()
            .position(|f| Some(f.flow) == msg.flow)?;
        let f = self.forwarded.remove(at);
        ctx.send(f.client, Some(f.flow), msg.payload, self.settings.client_ms);
        Some(f)
    }

    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        let now = ctx.now_ms;
        let origin = self.settings.origin;
        let fact = match msg.payload {
            // The origin crashed: what it was forwarding fails, as Fastly (503 "backend
            // read error"), Cloudflare and CloudFront (502) answer then.
            Payload::Closed => {
                let failed = u8::try_from(self.forwarded.len()).unwrap_or(u8::MAX);
                for f in std::mem::take(&mut self.forwarded) {
                    let key = f.key;
                    let payload = if f.write {
                        Payload::WriteFailed { key }
                    } else {
                        Payload::ReadFailed { key }
                    };
                    ctx.send(f.client, Some(f.flow), payload, self.settings.client_ms);
                }
                CdnFact::OriginClosed { origin, failed }
            }
            Payload::Read { key } => match self.fresh(key, now) {
                Some(e) => {
                    let payload = Payload::ReadOk {
                        key,
                        value: Some(e.version),
                    };
                    ctx.send(msg.from, msg.flow, payload, self.settings.client_ms);
                    CdnFact::Hit {
                        client: msg.from,
                        key,
                        version: e.version,
                        age_ms: now - e.stored_ms,
                        expires_ms: e.expires_ms,
                    }
                }
                None => {
                    let expired = self.entries.remove(&key).map(|e| e.version);
                    if self.forward(ctx, msg, key).is_none() {
                        CdnFact::Stray {
                            payload: msg.payload,
                        }
                    } else {
                        CdnFact::Miss {
                            client: msg.from,
                            key,
                            expired,
                            origin,
                        }
                    }
                }
            },
            Payload::Write { key } | Payload::Insert { key } => match self.forward(ctx, msg, key) {
                Some(()) => CdnFact::WritePassed {
                    client: msg.from,
                    key,
                    origin,
                },
                None => CdnFact::Stray {
                    payload: msg.payload,
                },
            },
            Payload::ReadOk { key, value } => match self.answer(ctx, msg) {
                Some(f) => {
                    let ttl_ms = self.settings.ttl_ms();
                    let expires_ms = now.saturating_add(ttl_ms);
                    if let Some(version) = value {
                        self.entries.insert(
                            key,
                            CdnEntry {
                                version,
                                stored_ms: now,
                                expires_ms,
                            },
                        );
                    }
                    CdnFact::Stored {
                        client: f.client,
                        key,
                        value,
                        answered_ms: msg.sent_ms,
                        expires_ms,
                        ttl_ms,
                        s_maxage: self.settings.cache_control.s_maxage_ms.is_some(),
                    }
                }
                None => CdnFact::Stray {
                    payload: msg.payload,
                },
            },
            Payload::WriteOk { key, version } => match self.answer(ctx, msg) {
                Some(f) if self.settings.cache_control.purge_on_write => {
                    if let Some(delay_ms) = self.settings.cache_control.second_purge_ms {
                        ctx.set_timer(now.saturating_add(delay_ms), TimerKind::SecondPurge { key });
                    }
                    CdnFact::Purged {
                        client: f.client,
                        key,
                        version,
                        held: self.entries.remove(&key).map(|e| e.version),
                    }
                }
                Some(f) => CdnFact::WriteAnswered {
                    client: f.client,
                    key,
                    version,
                    held: self.entries.get(&key).copied(),
                },
                None => CdnFact::Stray {
                    payload: msg.payload,
                },
            },
            payload => match self.answer(ctx, msg) {
                Some(f) => CdnFact::Passed {
                    client: f.client,
                    payload,
                },
                None => CdnFact::Stray { payload },
            },
        };
        ctx.fact(fact);
    }
}

/// The node as a state machine (`node.rs`).
impl Actor for Cdn {
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Cdn::on_msg(self, ctx, msg);
    }

    /// The delayed second purge: whatever is stored for the key now goes.
    fn on_timer(&mut self, ctx: &mut Ctx, timer: TimerKind) {
        if let TimerKind::SecondPurge { key } = timer {
            let first_ms = ctx
                .now_ms
                .saturating_sub(self.settings.cache_control.second_purge_ms.unwrap_or(0));
            ctx.fact(CdnFact::PurgedAgain {
                key,
                held: self.entries.remove(&key),
                first_ms,
            });
        }
    }

    /// What it forwards waits on the origin: a crash of the origin closes it.
    fn awaits(&self, peer: NodeId) -> Option<u64> {
        (peer == self.settings.origin && !self.forwarded.is_empty())
            .then_some(self.settings.origin_ms)
    }

    /// Its stored responses and the requests it was forwarding are in its memory.
    fn on_crash(&mut self, _ctx: &mut Ctx) {
        self.entries.clear();
        self.forwarded.clear();
    }
}
