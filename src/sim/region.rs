//! A service in a second region, far from the primary, and Facebook's remote markers
//! ("Scaling Memcache at Facebook", NSDI 2013, §5): before it writes a key, the
//! service sets a marker for the key in its region's cache and waits for the reply;
//! then it writes the primary across regions and deletes the key in its cache. A miss
//! that finds the marker reads the primary, not the region's lagging replica, so the
//! writer reads its own write; the region's invalidator deletes the marker once the
//! change has replicated here (`cache_node.rs`). The cost: cross-region latency on
//! those reads.
//!
//! Functions of the service node (`service.rs`), with facts of their own; the
//! sentences are in `narrate/region.rs`.
use super::ids::Key;
use super::msg::Payload;
use super::node::Ctx;
use super::service::{Flow, Service, ServiceFact, Stage};

/// What the service did with a remote marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionFact {
    /// A write arrived: the marker for `key` is set first.
    Marking { key: Key },
    /// The marker is set: the write goes on.
    Marked { key: Key },
}

/// A write arrives at a service that marks: set the key's marker in its cache first.
pub(crate) fn mark(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let key = flow.key;
    s.set_stage(flow.id, Stage::Marking);
    s.to_cache(ctx, Some(flow.id), Payload::SetMarker { key });
    ctx.fact(ServiceFact::Region(RegionFact::Marking { key }));
}

/// The marker is set: the write runs as it would have (its first hop).
pub(crate) fn marked(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let key = flow.key;
    ctx.fact(ServiceFact::Region(RegionFact::Marked { key }));
    if super::txn::applies(s) {
        super::txn::begin(s, ctx, flow);
    } else {
        s.write(ctx, flow);
    }
}
