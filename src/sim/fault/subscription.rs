//! `disconnect` and `resubscribe`: a consumer's subscription to its bus breaks (a
//! network blip closes its connection, the broker drops a slow client, a Kafka session
//! times out) while the consumer keeps running with its memory; it subscribes again
//! when the scenario or the learner says (`resubscribe`), or when it restarts.
//!
//! What crossed the broken connection is lost with it: the deliveries not yet read,
//! the acks not yet received. Meanwhile Redis Pub/Sub pushes it nothing (a message
//! published with no subscriber connected is gone for good); a durable log (Kafka)
//! delivers it nothing and refuses its commits, and when it subscribes again it resumes
//! from its group's committed offset, so an event it handled without a commit comes
//! again. The bus keeps the broken subscriptions (`Bus::cut`).
use super::{Fault, FaultFact};
use crate::sim::ids::NodeId;
use crate::sim::msg::Payload;
use crate::sim::node::{Ctx, Out};
use crate::sim::world::World;

/// `consumer`'s bus, if it has one that lists it as a subscriber.
fn bus_of(w: &World, consumer: NodeId) -> Option<NodeId> {
    let bus = w.nodes.consumer(consumer)?.settings.bus;
    w.nodes
        .bus(bus)
        .filter(|b| b.settings.is_some() && b.subscribers.iter().any(|(id, _)| *id == consumer))
        .map(|_| bus)
}

/// Whether `consumer`'s subscription is broken and it has not yet asked for it again.
pub fn disconnected(w: &World, consumer: NodeId) -> bool {
    let Some(bus) = bus_of(w, consumer) else {
        return false;
    };
    let cut = w.nodes.bus(bus).is_some_and(|b| b.cut_off(consumer));
    cut && !w
        .net
        .iter()
        .any(|m| m.from == consumer && m.to == bus && matches!(m.payload, Payload::Subscribe))
}

impl World {
    /// Whether a subscription is broken (some bus has a `cut` subscriber).
    pub fn any_unsubscribed(&self) -> bool {
        self.nodes.buses().any(|(_, b)| !b.cut.is_empty())
    }
}

/// For each consumer that is up with a bus that is up: a disconnect while it is
/// subscribed, a resubscribe while its subscription is broken.
pub(super) fn offered_into(w: &World, push: &mut impl FnMut(Fault)) {
    for (consumer, _) in w.nodes.consumers() {
        let Some(bus) = bus_of(w, consumer) else {
            continue;
        };
        if !w.is_up(consumer) || !w.is_up(bus) {
            continue;
        }
        let cut = w.nodes.bus(bus).is_some_and(|b| b.cut_off(consumer));
        if !cut {
            push(Fault::Disconnect(consumer));
        } else if disconnected(w, consumer) {
            push(Fault::Resubscribe(consumer));
        }
    }
}

/// The subscription breaks: what is on the connection is lost, and the bus drops the
/// subscriber.
pub(super) fn disconnect(w: &mut World, consumer: NodeId) -> FaultFact {
    let Some(bus) = bus_of(w, consumer) else {
        return FaultFact::Missed {
            fault: Fault::Disconnect(consumer),
        };
    };
    let on_it =
        |from: NodeId, to: NodeId| (from, to) == (bus, consumer) || (from, to) == (consumer, bus);
    let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
    let deliveries = n(w
        .net
        .iter()
        .filter(|m| on_it(m.from, m.to) && matches!(m.payload, Payload::Deliver { .. }))
        .count());
    let before = w.net.len();
    w.net.retain(|m| !on_it(m.from, m.to));
    let lost = n(before - w.net.len());
    let mut durable = false;
    if let Some(b) = w.nodes.bus_mut(bus) {
        durable = b.durable;
        b.disconnect(consumer);
    }
    FaultFact::Disconnected {
        consumer,
        bus,
        durable,
        lost,
        deliveries,
    }
}

/// The consumer asks its bus for its subscription again (`Payload::Subscribe`); the bus
/// takes it back when that arrives.
pub(super) fn resubscribe(w: &mut World, consumer: NodeId) -> FaultFact {
    let Some(bus) = bus_of(w, consumer) else {
        return FaultFact::Missed {
            fault: Fault::Resubscribe(consumer),
        };
    };
    let durable = w.nodes.bus(bus).is_some_and(|b| b.durable);
    let now_ms = w.now_ms;
    let mut out = Out::default();
    if let Some(c) = w.nodes.consumer_mut(consumer) {
        c.subscribe(&mut Ctx::new(consumer, now_ms, &mut out));
    }
    w.apply(consumer, out);
    FaultFact::Resubscribing {
        consumer,
        bus,
        durable,
    }
}
