//! What happened in a step, as data: ids, keys, versions and times, no text. A node
//! says what it did as facts of its own type (its module's `…Fact`) through its `Ctx`;
//! the world adds what the network did (a message lost, a slow reply) and what the
//! books judged (a stale read). Observers read them after the node acted: the books
//! and metrics (`books/observe.rs`) and the narration (`src/sim/narrate/`), which
//! owns every sentence. A quiet step records the same facts (they are small and the
//! buffer is reused) and builds no text.
//!
//! A new node kind: its own fact type in its module, one variant here, and its
//! sentences in `narrate/`.
use super::behind::FlusherFact;
use super::books::StaleRead;
use super::bus::BusFact;
use super::cache_node::CacheFact;
use super::cdn::CdnFact;
use super::client::ClientFact;
use super::consumer::ConsumerFact;
use super::db::DbFact;
use super::fault::FaultFact;
use super::ids::{MsgId, NodeId, Version};
use super::invalidator::InvalidatorFact;
use super::msg::Payload;
use super::relay::RelayFact;
use super::replica::ReplicaFact;
use super::service::ServiceFact;
use super::tracking::TrackingFact;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    Cache(CacheFact),
    Db(DbFact),
    Bus(BusFact),
    Consumer(ConsumerFact),
    Relay(RelayFact),
    Client(ClientFact),
    Replica(ReplicaFact),
    Invalidator(InvalidatorFact),
    /// What the service did (`narrate/service.rs` says it).
    Service(ServiceFact),
    Flusher(FlusherFact),
    /// A cache node's tracking table told services of a change (`tracking.rs`).
    Tracking(TrackingFact),
    /// What the CDN edge did (`cdn.rs`; `narrate/cdn.rs` says it).
    Cdn(CdnFact),
    /// The network: a message reached a node that is down and is gone.
    Lost {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        payload: Payload,
    },
    /// The world: a client that does not exist was to start a request (`route.rs`).
    NoSuchClient {
        node: NodeId,
    },
    /// The world: a message arrived for no node of this world (a client it does not
    /// have, a kind it does not run); it is dropped.
    Unrouted {
        id: MsgId,
        from: NodeId,
        to: NodeId,
        payload: Payload,
    },
    /// The network: the database's reply to a read is slow (`total_ms` instead of
    /// `normal_ms`); `version`: what the database has as the step ends.
    SlowReply {
        normal_ms: u64,
        total_ms: u64,
        version: Version,
    },
    /// The network: the service's cache set is slow, `total_ms` on its way.
    SlowSet {
        total_ms: u64,
    },
    /// The books: the read just answered is stale, and why.
    StaleRead(StaleRead),
    /// A fault struck (`fault.rs`); `narrate/fault.rs` says it.
    Fault(FaultFact),
}

impl From<CacheFact> for Fact {
    fn from(f: CacheFact) -> Fact {
        Fact::Cache(f)
    }
}
impl From<DbFact> for Fact {
    fn from(f: DbFact) -> Fact {
        Fact::Db(f)
    }
}
impl From<BusFact> for Fact {
    fn from(f: BusFact) -> Fact {
        Fact::Bus(f)
    }
}
impl From<ConsumerFact> for Fact {
    fn from(f: ConsumerFact) -> Fact {
        Fact::Consumer(f)
    }
}
impl From<RelayFact> for Fact {
    fn from(f: RelayFact) -> Fact {
        Fact::Relay(f)
    }
}
impl From<ReplicaFact> for Fact {
    fn from(f: ReplicaFact) -> Fact {
        Fact::Replica(f)
    }
}
impl From<InvalidatorFact> for Fact {
    fn from(f: InvalidatorFact) -> Fact {
        Fact::Invalidator(f)
    }
}
impl From<ServiceFact> for Fact {
    fn from(f: ServiceFact) -> Fact {
        Fact::Service(f)
    }
}
impl From<FlusherFact> for Fact {
    fn from(f: FlusherFact) -> Fact {
        Fact::Flusher(f)
    }
}
impl From<TrackingFact> for Fact {
    fn from(f: TrackingFact) -> Fact {
        Fact::Tracking(f)
    }
}
impl From<CdnFact> for Fact {
    fn from(f: CdnFact) -> Fact {
        Fact::Cdn(f)
    }
}
impl From<ClientFact> for Fact {
    fn from(f: ClientFact) -> Fact {
        Fact::Client(f)
    }
}

/// The facts of the step under way (or of the last step), in the order they
/// happened, and which node recorded each (`Acting`). Not state: it compares equal,
/// hashes as nothing and clones empty, like the node's `Scratch`.
#[derive(Debug, Default)]
pub struct Facts(pub(crate) Vec<Fact>, pub(crate) Acting);

/// Who recorded the step's facts: the routing seam (`World::apply`) notes the span of
/// facts each node answered with, so no node module names itself. A fact outside
/// every span is the world's own (the network's, the books', a fault's).
#[derive(Debug, Default)]
pub struct Acting {
    /// `(start, end, node)`: facts `start..end` are `node`'s.
    spans: Vec<(u32, u32, NodeId)>,
    /// The id the step's first new message takes: messages from it on were sent in
    /// this step.
    pub(crate) first_msg: u32,
}

impl Facts {
    /// A new step begins; its first message will be `next_msg`.
    pub(crate) fn begin(&mut self, next_msg: u32) {
        self.0.clear();
        self.1.spans.clear();
        self.1.first_msg = next_msg;
    }

    /// `node` answered with `facts` (emptied): they join the step's, as its.
    pub(crate) fn record(&mut self, node: NodeId, facts: &mut Vec<Fact>) {
        if facts.is_empty() {
            return;
        }
        let start = self.0.len() as u32;
        self.0.append(facts);
        self.1.spans.push((start, self.0.len() as u32, node));
    }

    /// The node that recorded fact `i`; `None` for the world's own.
    pub fn by(&self, i: usize) -> Option<NodeId> {
        let i = i as u32;
        self.1
            .spans
            .iter()
            .find(|(start, end, _)| (*start..*end).contains(&i))
            .map(|(_, _, node)| *node)
    }

    /// The step's facts with the node that recorded each.
    pub fn with_nodes(&self) -> impl Iterator<Item = (Option<NodeId>, &Fact)> + '_ {
        self.0.iter().enumerate().map(|(i, f)| (self.by(i), f))
    }
}

impl Clone for Facts {
    fn clone(&self) -> Facts {
        Facts::default()
    }
}

impl crate::sim::world::Empty for Facts {
    fn empty() -> &'static Facts {
        static EMPTY: Facts = Facts(
            Vec::new(),
            Acting {
                spans: Vec::new(),
                first_msg: 0,
            },
        );
        &EMPTY
    }
}

impl PartialEq for Facts {
    fn eq(&self, _: &Facts) -> bool {
        true
    }
}

impl Eq for Facts {}

impl std::hash::Hash for Facts {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}
