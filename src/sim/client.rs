//! A client: a user's sequence of requests, one at a time. It starts its next request
//! once the previous one was answered, and remembers the last answer.
//!
//! A node in the shape of `node.rs`: its own state and settings; it answers through a
//! `Ctx` and says what it did as a `ClientFact`. What an answer means (current or
//! stale, an acknowledged write) is for the books and the narration, which see the
//! whole world: they observe the fact.
use super::config::{Op, Request};
use super::ids::{FlowId, NodeId};
use super::msg::{Message, Payload};
use super::node::Ctx;
use super::parts::Said;

/// The hops a client uses: to the service, or (a batch job) straight to the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClientSettings {
    pub service_ms: u64,
    pub db_write_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    pub id: NodeId,
    pub requests: Vec<Request>,
    /// Index of the next request to start.
    pub next: usize,
    /// The request in progress: a client waits for one answer before its next request.
    pub busy: Option<FlowId>,
    pub last_answer: Option<Payload>,
    /// Fixed for a run.
    pub settings: ClientSettings,
}

/// What a client did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientFact {
    Nothing,
    /// It started `request` as the request `id`.
    Started {
        id: FlowId,
        request: Request,
    },
    /// An answer to it arrived (a read's value, a write's acknowledgement).
    Answered,
}

impl Client {
    pub fn new(id: NodeId, requests: Vec<Request>, settings: ClientSettings) -> Client {
        Client {
            id,
            requests,
            next: 0,
            busy: None,
            last_answer: None,
            settings,
        }
    }

    /// Its next request starts.
    pub(crate) fn on_start(&mut self, ctx: &mut Ctx) -> (Said, ClientFact) {
        let node = self.id;
        let Some(req) = self.requests.get(self.next).copied() else {
            return (said!(ctx, "nothing to do", ""), ClientFact::Nothing);
        };
        let id = ctx.new_request();
        self.next += 1;
        self.busy = Some(id);
        let (to, lat) = match req.op {
            Op::DirectWrite => (NodeId::Db, self.settings.db_write_ms),
            _ => (NodeId::Service, self.settings.service_ms),
        };
        let (payload, narration) = match req.op {
            Op::Read => (Payload::Read { key: req.key }, text!(ctx, "{node} asks the service to read {}.", req.key)),
            Op::Write => (
                Payload::Write { key: req.key },
                text!(ctx, "{node} asks the service to write the next version of {}.", req.key),
            ),
            Op::DirectWrite => (
                Payload::DbWrite { key: req.key, outbox: false },
                text!(ctx,
                    "{node}, a batch job, updates {} straight in the database: it does not go through the service, \
                     so nothing deletes the cached key and no event is published.",
                    req.key
                ),
            ),
        };
        ctx.send(to, Some(id), payload, lat);
        let s = said!(ctx, text!(ctx, "{} sent", payload.kind()), narration);
        (s, ClientFact::Started { id, request: req })
    }

    /// A message reaches the client: an answer ends its request.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) -> (Said, ClientFact) {
        if self.busy == msg.flow {
            self.busy = None;
        }
        self.last_answer = Some(msg.payload);
        match msg.payload {
            Payload::ReadOk { .. } | Payload::WriteOk { .. } | Payload::DbWriteReply { .. } => {
                (Said::silent(), ClientFact::Answered)
            }
            other => (
                said!(
                    ctx,
                    "ignored",
                    text!(ctx, "{} does not expect {other}.", self.id)
                ),
                ClientFact::Nothing,
            ),
        }
    }
}
