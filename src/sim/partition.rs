//! Partitions of links: the network cuts the link between two nodes (a replica or the
//! invalidator from the log it tails), or every link between the two regions, and
//! heals it later. Both ends keep running and keep their memory; what crosses a cut
//! link, either way, is lost (a message already on its way is lost when it arrives).
//! After a heal, a log reader whose stream crossed the cut reconnects from its
//! position, as after a restart.
//!
//! The cut links are the world's `cuts`; `fault.rs` offers and injects these faults
//! through the functions here, and `narrate/fault.rs` says what they did.
use super::fault::{Fault, FaultFact};
use super::ids::NodeId;
use super::world::World;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A link the network can cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Link {
    /// The link between two nodes (the smaller id first: `Link::between`).
    Between(NodeId, NodeId),
    /// Every link between a node of region 1 and a node of region 2.
    Regions,
}

impl Link {
    /// The link between `a` and `b`, whichever way round they are named.
    pub fn between(a: NodeId, b: NodeId) -> Link {
        Link::Between(a.min(b), a.max(b))
    }

    /// Whether a message from `from` to `to` crosses this link.
    pub fn carries(self, w: &World, from: NodeId, to: NodeId) -> bool {
        match self {
            Link::Between(a, b) => (from, to) == (a, b) || (from, to) == (b, a),
            Link::Regions => w.config.region_of(from) != w.config.region_of(to),
        }
    }
}

impl fmt::Display for Link {
    /// The contract's `data-target` of its `partition` and `heal`: `db~replica`,
    /// `region-1~region-2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Link::Between(a, b) => write!(f, "{a}~{b}"),
            Link::Regions => write!(f, "region-1~region-2"),
        }
    }
}

/// Whether a cut link lies between `from` and `to`.
pub fn is_cut(w: &World, from: NodeId, to: NodeId) -> bool {
    w.cuts.iter().any(|l| l.carries(w, from, to))
}

/// The log readers and the log each tails: a replica its primary's, an invalidator
/// its source's, each given to `each` (the search lists them in every state: no list
/// is built).
fn each_stream(w: &World, mut each: impl FnMut(NodeId, NodeId)) {
    for (id, r) in w.nodes.replicas() {
        if id != NodeId::REPLICA || w.config.replica.is_some() {
            each(id, r.primary);
        }
    }
    for (id, i) in w.nodes.invalidators() {
        each(id, i.settings.source);
    }
}

/// The log readers and the log each tails, as a list.
fn streams(w: &World) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    each_stream(w, |r, s| out.push((r, s)));
    out
}

/// Whether `node` is offered a partition of its own (cut off from every other node): a
/// log reader (a replica, the invalidator), or a node of the second region.
pub(crate) fn isolatable(w: &World, node: NodeId) -> bool {
    matches!(node, NodeId::Replica(_) | NodeId::Invalidator(_))
        || (!w.config.topology.is_empty() && w.config.region_of(node) == 2)
}

/// The links a learner can cut now, or heal: each log reader's stream, and the link
/// between the regions when the topology has a second one. Only these, so a scenario
/// without them offers the faults it always did. Each is given to `push`, in order.
pub(crate) fn offered_into(w: &World, mut push: impl FnMut(Fault)) {
    let mut offer = |l: Link| {
        push(if w.cuts.contains(&l) {
            Fault::HealLink(l)
        } else {
            Fault::PartitionLink(l)
        })
    };
    each_stream(w, |r, s| offer(Link::between(r, s)));
    if w.config.topology.iter().any(|n| n.region == Some(2)) {
        offer(Link::Regions);
    }
}

/// The network cuts `link`.
pub(crate) fn cut(w: &mut World, link: Link) -> FaultFact {
    if !w.cuts.contains(&link) {
        w.cuts.push(link);
        w.cuts.sort_unstable();
    }
    FaultFact::LinkCut { link }
}

/// The network heals `link`; a log reader whose stream crossed it reconnects from its
/// position (at most the two: the replica and the invalidator).
pub(crate) fn heal(w: &mut World, link: Link) -> FaultFact {
    w.cuts.retain(|l| *l != link);
    let mut reconnected = [None, None];
    for ((reader, source), slot) in streams(w).into_iter().zip(reconnected.iter_mut()) {
        if link.carries(w, reader, source) && w.is_up(reader) {
            let out = w.act(reader, |a, ctx| a.on_restart(ctx));
            w.apply(reader, out);
            *slot = Some(reader);
        }
    }
    FaultFact::LinkHealed { link, reconnected }
}
