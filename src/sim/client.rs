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
use std::sync::Arc;

/// The hops a client uses: to the service, or (a batch job) straight to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientSettings {
    /// The service it sends its requests to (`service`, `service-2`, …).
    pub service: NodeId,
    pub service_ms: u64,
    pub db_write_ms: u64,
    /// Which primary owns each key: a direct write goes there.
    pub shards: super::config::Shards,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    pub id: NodeId,
    /// Fixed for a run: shared by every copy of the client.
    pub requests: Arc<[Request]>,
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
    /// It has no request left.
    Idle { client: NodeId },
    /// It started `request` as the request `id`, sending `payload`.
    Started {
        client: NodeId,
        id: FlowId,
        request: Request,
        payload: Payload,
    },
    /// An answer to it arrived (a read's value, a write's acknowledgement).
    Answered {
        client: NodeId,
        flow: Option<FlowId>,
        payload: Payload,
    },
    /// The connection its request waits on closed (`Payload::Closed`: `peer` crashed,
    /// and its kernel reset the socket, or its host refused the connection): the request
    /// fails with a connection reset, as an HTTP client's does; a write's client cannot
    /// tell whether it committed. It is no longer busy.
    Reset {
        client: NodeId,
        peer: NodeId,
        flow: Option<FlowId>,
        request: Request,
    },
    /// A connection closed on which it waits for nothing (its answer came first).
    IdleClosed { client: NodeId, peer: NodeId },
    /// A message it does not expect.
    Ignored { client: NodeId, payload: Payload },
}

impl Client {
    pub fn new(id: NodeId, requests: Arc<[Request]>, settings: ClientSettings) -> Client {
        Client {
            id,
            requests,
            next: 0,
            busy: None,
            last_answer: None,
            settings,
        }
    }

    /// The node a request is sent to, and the one-way hop between them.
    fn target(&self, request: Request) -> (NodeId, u64) {
        match request.op {
            Op::DirectWrite => (
                self.settings.shards.owner(request.key),
                self.settings.db_write_ms,
            ),
            _ => (self.settings.service, self.settings.service_ms),
        }
    }

    /// Its latest request, and the node it went to.
    pub fn latest(&self) -> Option<(Request, NodeId)> {
        let request = *self.requests.get(self.next.checked_sub(1)?)?;
        Some((request, self.target(request).0))
    }

    /// Its request in progress, if it waits for one, and the node it waits on.
    pub fn waiting(&self) -> Option<(Request, NodeId)> {
        self.busy?;
        self.latest()
    }

    /// Whether a request it has still to start goes to `peer` (so that it may wait on
    /// `peer` again).
    pub(crate) fn will_send_to(&self, peer: NodeId) -> bool {
        self.requests
            .iter()
            .skip(self.next)
            .any(|r| self.target(*r).0 == peer)
    }

    /// Whether its request in progress waits on `peer`, and that connection's hop
    /// (`Actor::awaits`): a crash of `peer` closes it, and the request fails.
    pub(crate) fn awaits(&self, peer: NodeId) -> Option<u64> {
        let (request, on) = self.waiting()?;
        (on == peer).then(|| self.target(request).1)
    }

    /// Its next request starts.
    pub(crate) fn on_start(&mut self, ctx: &mut Ctx) {
        let client = self.id;
        let Some(request) = self.requests.get(self.next).copied() else {
            ctx.fact(ClientFact::Idle { client });
            return;
        };
        let id = ctx.new_request();
        self.next += 1;
        self.busy = Some(id);
        let (to, lat) = self.target(request);
        let payload = match request.op {
            Op::Read => Payload::Read { key: request.key },
            Op::Write => Payload::Write { key: request.key },
            Op::Insert => Payload::Insert { key: request.key },
            Op::DirectWrite => Payload::DbWrite {
                key: request.key,
                outbox: false,
            },
        };
        ctx.send(to, Some(id), payload, lat);
        ctx.fact(ClientFact::Started {
            client,
            id,
            request,
            payload,
        });
    }

    /// A message reaches the client: an answer ends its request.
    pub(crate) fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        if msg.payload == Payload::Closed {
            let (client, peer) = (self.id, msg.from);
            match self.waiting().filter(|(_, on)| *on == peer) {
                // The request waiting on that connection fails: its answer.
                Some((request, _)) => {
                    let flow = self.busy.take();
                    self.last_answer = Some(Payload::Closed);
                    ctx.fact(ClientFact::Reset {
                        client,
                        peer,
                        flow,
                        request,
                    });
                }
                None => ctx.fact(ClientFact::IdleClosed { client, peer }),
            }
            return;
        }
        if self.busy == msg.flow {
            self.busy = None;
        }
        self.last_answer = Some(msg.payload);
        let (client, payload) = (self.id, msg.payload);
        match msg.payload {
            Payload::ReadOk { .. }
            | Payload::WriteOk { .. }
            | Payload::WriteFailed { .. }
            | Payload::ReadFailed { .. }
            | Payload::DbWriteReply { .. } => ctx.fact(ClientFact::Answered {
                client,
                flow: msg.flow,
                payload,
            }),
            _ => ctx.fact(ClientFact::Ignored { client, payload }),
        }
    }
}

/// The node as a state machine (`node.rs`), over its handlers above.
impl super::node::Actor for Client {
    fn on_start(&mut self, ctx: &mut Ctx) {
        Client::on_start(self, ctx)
    }
    fn on_msg(&mut self, ctx: &mut Ctx, msg: &Message) {
        Client::on_msg(self, ctx, msg)
    }
    fn awaits(&self, peer: NodeId) -> Option<u64> {
        Client::awaits(self, peer)
    }
}
