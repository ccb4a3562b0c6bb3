//! The whole state of a run, and `step`: fire one enabled event.
//!
//! Architecture Invariant: `World` is plain data (`Clone + Eq + Hash`), with no clock,
//! no global randomness and no I/O. The same world and the same event give the same
//! next world and the same record, byte for byte.
use super::books::{Books, Metrics};
use super::config::{Config, Shards, SlowHop, WriteMode, NO_TTL};
use super::db::Db;
use super::fact::{Fact, Facts};
pub use super::fault::Fault;
use super::ids::{FlowId, Key, NodeId, Version};
use super::keymap::KeyMap;
use super::msg::Message;
pub use super::node::NodeStatus;
use super::node::Scratch;
use super::nodes::Nodes;
pub(crate) use super::parts::timer_label;
mod build;
mod copy;
mod lazy;
pub(crate) use lazy::{Allocated, Buffer, Empty};
pub(crate) mod pipeline;
pub use super::parts::{Client, Flow, Stage, Step, StepError, StepRecord, Timer, TimerKind, Voice};
pub use super::shared::Shared;
pub use super::timing::Event;
use std::sync::Arc;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct World {
    /// Fixed for a run: shared by every world of the run (cloning a world, as a
    /// search does for every state, copies a pointer, not the scenario).
    pub config: Arc<Config>,
    pub now_ms: u64,
    /// The clients, shared between copies of a world until a step changes one
    /// (`shared.rs`).
    pub clients: Shared<Vec<Client>>,
    /// Every other node, by id (`nodes.rs`).
    pub nodes: Nodes,
    /// Messages in flight, in send order.
    pub net: Vec<Message>,
    pub timers: Vec<Timer>,
    pub next_msg: u32,
    pub next_flow: u32,
    pub next_timer: u32,
    pub metrics: Metrics,
    /// Shared between copies of a world until a step changes them (`shared.rs`).
    pub books: Shared<Books>,
    /// Nodes not up (down or paused); every other node is up.
    pub status: KeyMap<NodeId, NodeStatus>,
    /// Links the network has cut (`partition.rs`), in order.
    pub cuts: Vec<super::partition::Link>,
    /// Whether the step under way writes its narration. Not state: it compares and
    /// hashes as nothing, and is `Narrated` between steps.
    pub voice: Voice,
    /// The buffer a node answers into (not state). Boxed, as are the facts: a world
    /// is moved and copied often (a search, a run's history) and these are 184 bytes
    /// that are no state; in the search's builds allocated at their first change
    /// (`lazy.rs`), so a copy allocates neither.
    pub(crate) scratch: Buffer<Scratch>,
    /// What happened in the step under way, or the last one (not state): the
    /// observers read it.
    pub(crate) facts: Buffer<Facts>,
}

impl World {
    /// The nodes this scenario uses, in id order.
    pub fn nodes(&self) -> Vec<NodeId> {
        let mut nodes: Vec<NodeId> = self.clients.iter().map(|c| c.id).collect();
        nodes.extend([NodeId::SERVICE, NodeId::CACHE, NodeId::DB]);
        nodes.extend(
            self.config
                .topology
                .iter()
                .map(|n| n.id)
                .filter(|id| !id.is_client()),
        );
        if self.config.bus.is_some() {
            nodes.extend([NodeId::BUS, NodeId::CONSUMER]);
        }
        if self.config.replica.is_some() {
            nodes.push(NodeId::Replica(1));
        }
        if self.config.invalidator.is_some() {
            nodes.push(NodeId::INVALIDATOR);
        }
        match self.config.write_mode {
            WriteMode::Outbox => nodes.push(NodeId::RELAY),
            WriteMode::Behind => nodes.push(NodeId::FLUSHER),
            _ => {}
        }
        super::canon::sort_small(&mut nodes);
        nodes.dedup();
        nodes
    }

    /// A node goes down, pauses or comes back. Its connections say so: every other
    /// node learns it as the state of its connection to that node
    /// (`Actor::on_peer`), as a TCP peer would (the bus, whether its subscriber is
    /// connected); a node that holds no connection to it does nothing.
    pub(crate) fn set_status(&mut self, node: NodeId, status: NodeStatus) {
        if status == NodeStatus::Up {
            self.status.remove(&node);
        } else {
            self.status.insert(node, status);
        }
        // Only the nodes connected to it are lent (a node copied on write is copied
        // only when it changes). In the search's builds they are found first as a bit
        // per position in the node table, of at most 64 (no list allocated per crash);
        // the page's own build keeps the list (its first download's budget,
        // `nodes::POOLS`).
        if super::nodes::POOLS && self.nodes.id_at(64).is_none() {
            let mut peers = 0u64;
            for (at, (id, n)) in self.nodes.iter().enumerate() {
                if id != node && n.as_actor().watches(node) {
                    peers |= 1 << at;
                }
            }
            while peers != 0 {
                let at = peers.trailing_zeros() as usize;
                peers &= peers - 1;
                if let Some(peer) = self.nodes.id_at(at) {
                    let out = self.act(peer, |a, ctx| a.on_peer(ctx, node, status));
                    self.apply(peer, out);
                }
            }
            return;
        }
        let peers: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(id, n)| *id != node && n.as_actor().watches(node))
            .map(|(id, _)| id)
            .collect();
        for peer in peers {
            let out = self.act(peer, |a, ctx| a.on_peer(ctx, node, status));
            self.apply(peer, out);
        }
    }

    pub fn status_of(&self, node: NodeId) -> NodeStatus {
        // Most states have every node up: no lookup then.
        if self.status.is_empty() {
            return NodeStatus::Up;
        }
        // The page's own build keeps the plain look-up (no code for speed there: its
        // first download's budget, `nodes::POOLS`).
        if !super::nodes::POOLS {
            return self.status.get(&node).copied().unwrap_or(NodeStatus::Up);
        }
        // A few entries at most (the nodes down, paused or cut off): a walk comparing
        // ranks, one integer each, where a binary search compares the enums.
        let rank = node.rank();
        self.status
            .iter()
            .find(|(id, _)| id.rank() == rank)
            .map_or(NodeStatus::Up, |(_, s)| *s)
    }

    pub fn is_up(&self, node: NodeId) -> bool {
        self.status_of(node) == NodeStatus::Up
    }

    /// (Re)schedules the cache's active expiry of `key`.
    pub(crate) fn schedule_expiry(&mut self, key: Key, expires_ms: u64) {
        self.timers.retain(|t| t.kind != TimerKind::Expire { key });
        if expires_ms != NO_TTL && !self.config.lazy_expiry {
            self.add_timer(NodeId::CACHE, expires_ms, TimerKind::Expire { key });
        }
    }

    /// Fires one enabled event.
    pub fn step(&mut self, event: Event) -> Result<StepRecord, StepError> {
        if !self.is_enabled(event) {
            return Err(StepError::NotEnabled(event));
        }
        self.step_unchecked(event)
    }

    /// Fires `event` without asking whether it is enabled: for a caller that took it
    /// from `enabled()` (or `faults()`) of this very state, like a search or a run
    /// loop, so the enabled list is not computed twice. An event that is not enabled
    /// gives an error if its message or timer is gone, and otherwise fires as if it
    /// were (it breaks the rules of time: don't).
    pub fn step_unchecked(&mut self, event: Event) -> Result<StepRecord, StepError> {
        self.step_told(event, true)
    }

    /// Fires `event`, unchecked like `step_unchecked`, with its label but not its
    /// words: what the page's split build does before it has loaded the narration
    /// (`narrate::PENDING` stands in its record's narration, the outcome is empty and
    /// `narrated` false). `Run::narrate_pending` tells it again once the words are
    /// there. The state after is the same as `step`'s.
    pub fn step_untold(&mut self, event: Event) -> Result<StepRecord, StepError> {
        self.step_told(event, false)
    }

    fn step_told(&mut self, event: Event, told: bool) -> Result<StepRecord, StepError> {
        self.voice = Voice::Narrated;
        let label = self.label(event);
        // When the message or the timer was due, read before it is gone (a step that
        // comes late says so: `narrate::step`).
        let clock = super::narrate::Clock {
            before_ms: self.now_ms,
            due_ms: match event {
                Event::Deliver(_) | Event::Fire(_) | Event::Start(_) => self.nominal_ms(event),
                _ => None,
            },
            event,
        };
        let step = self.transition(event)?;
        // The narration observes the step last, after the books.
        let narrator = super::narrate::narrator().filter(|_| told);
        let s = match narrator {
            Some(narrate) => narrate(self, step.actor, step.hop, clock),
            None => super::parts::said("", super::narrate::PENDING),
        };
        Ok(StepRecord {
            event,
            at_ms: step.at_ms,
            actor: step.actor,
            hop: step.hop,
            label,
            outcome: s.outcome,
            narration: s.narration,
            narrated: narrator.is_some(),
        })
    }

    /// Fires `event`, unchecked like `step_unchecked`, in quiet mode: no label, outcome
    /// or narration is built, only the structured `Step`. The state after is the same
    /// as `step`'s, byte for byte: the search and the benchmark run this way.
    pub fn step_quiet(&mut self, event: Event) -> Result<Step, StepError> {
        self.voice = Voice::Quiet;
        let result = self.transition(event);
        self.voice = Voice::Narrated;
        result
    }

    /// The trace's label of `event`, read from the state before it fires: the message's
    /// payload, the timer's kind, the fault.
    pub fn label(&self, event: Event) -> String {
        match event {
            Event::Start(_) => "start".to_string(),
            Event::Deliver(id) => self
                .net
                .iter()
                .find(|m| m.id == id)
                .map_or_else(String::new, |m| m.payload.to_string()),
            Event::Fire(id) => self
                .timers
                .iter()
                .find(|t| t.id == id)
                .map_or_else(String::new, |t| timer_label(&t.kind)),
            Event::Fault(fault) => fault.to_string(),
        }
    }

    /// What happened in the last step, as data, in order (`fact.rs`).
    pub fn facts(&self) -> &[Fact] {
        &self.facts.0
    }

    /// The last step's facts with the node that recorded each (`None`: the world's
    /// own: the network's, the books', a fault's).
    pub fn facts_by_node(&self) -> impl Iterator<Item = (Option<NodeId>, &Fact)> + '_ {
        self.facts.with_nodes()
    }

    /// One event's transition: the state changes and its facts are recorded; then the
    /// books (`books/observe.rs`) read them with the state after. The narration
    /// observes after it (`step_unchecked`; not in quiet mode). It returns only the
    /// small `Step`: a quiet step moves no text around.
    fn transition(&mut self, event: Event) -> Result<Step, StepError> {
        self.facts.begin(self.next_msg);
        // The message that arrives, if one does: the books read it after the step.
        let mut arrived = None;
        let (actor, hop) = match event {
            Event::Start(node) => {
                let at = self.nominal_ms(event).unwrap_or(self.now_ms);
                self.now_ms = self.now_ms.max(at);
                self.start_client(node);
                (node, None)
            }
            Event::Deliver(id) => {
                let pos = self
                    .net
                    .iter()
                    .position(|m| m.id == id)
                    .ok_or(StepError::NotEnabled(event))?;
                // Copied out once, then the rest of the network moves up over it
                // (`Vec::remove` would copy it three times).
                let msg = arrived.insert(self.net[pos]);
                self.net.copy_within(pos + 1.., pos);
                self.net.truncate(self.net.len() - 1);
                self.now_ms = self.now_ms.max(msg.arrive_ms);
                let hop = Some((msg.from, msg.to));
                if self.reaches(msg) {
                    self.deliver(msg);
                } else {
                    self.lost(msg);
                }
                (msg.to, hop)
            }
            Event::Fault(fault) => {
                // A fault happens now: time does not move.
                let actor = fault.actor(self).unwrap_or(NodeId::SERVICE);
                super::fault::inject(self, fault);
                (actor, None)
            }
            Event::Fire(id) => {
                let pos = self
                    .timers
                    .iter()
                    .position(|t| t.id == id)
                    .ok_or(StepError::NotEnabled(event))?;
                let timer = self.timers.remove(pos);
                self.now_ms = self.now_ms.max(timer.at_ms);
                self.fire(&timer);
                (timer.owner, None)
            }
        };
        // The first observer: the books (in a quiet step too).
        super::books::observe(self, arrived.as_ref());
        Ok(Step {
            event,
            at_ms: self.now_ms,
            actor,
            hop,
        })
    }

    /// The open request `id`, in whichever service has it (request ids are the
    /// network's, unique across services).
    pub(crate) fn flow(&self, id: Option<FlowId>) -> Option<&Flow> {
        let id = id?;
        self.nodes.services().find_map(|(_, s)| s.flow(Some(id)))
    }

    /// The network's slow hop for the request `id`, if its scenario makes one slow (a
    /// pause, a busy link): read from the request the client has in progress, so it
    /// lasts as long as the client waits for that request.
    pub(crate) fn slow_of(&self, id: Option<FlowId>) -> Option<(SlowHop, u64)> {
        let id = id?;
        let c = self.clients.iter().find(|c| c.busy == Some(id))?;
        c.requests.get(c.next.checked_sub(1)?)?.slow
    }

    /// The primary that owns `key`: `db`, unless a second primary (`db-2`, …) lists
    /// it in the topology.
    pub fn primary_of(&self, key: Key) -> &Db {
        let owner = Shards::of(&self.config.topology).owner(key);
        self.nodes.db(owner).unwrap_or_else(|| self.db())
    }

    /// The version of `key` committed in the primary that owns it.
    pub fn committed(&self, key: Key) -> Version {
        self.primary_of(key).read(key)
    }

    /// The value `cache-matches-db` expects every copy of a key to have: what the
    /// database has committed, or the latest acknowledged write still in a
    /// write-behind queue (of any cache node).
    pub fn expected(&self, key: Key) -> Version {
        let db = self.committed(key);
        self.nodes
            .caches()
            .filter_map(|(_, c)| c.queued(key))
            .fold(db, Version::max)
    }
}
