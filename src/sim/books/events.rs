//! Where a change's event is: still to come (published, logged, in a consumer's
//! hands) or lost, for `no-lost-event` and the words that read it. Split from
//! `books.rs` along that seam.
use super::super::ids::{FlowId, Key, NodeId, Version};
use super::super::world::{Stage, World};

/// Whether an event about `key` at `version` or newer will still make a consumer act
/// on the key (it is being published, in the outbox, on the network, in the bus's log
/// or in a consumer's inbox), less the events consumers are handling now. A busy
/// consumer has already sent its cache request (it waits for the reply), and the bus's
/// log keeps that event unacknowledged until then: neither is a delete still to come
/// (review session 14, X13).
pub(crate) fn event_to_apply(w: &World, key: Key, version: Version) -> bool {
    w.config.bus.is_some() && event_in_flight_with(w, key, version, false)
}

/// Whether an event covering `key` at `version` (or newer) is somewhere it will be
/// handled from, the dead-letter queue included (an operator replays it), or a
/// consumer's delete (or set) for it is on the network to the cache, which applies it
/// even if the consumer has crashed since it sent it (`Books::applying`).
pub(super) fn event_on_its_way(w: &World, key: Key, version: Version) -> bool {
    event_in_flight(w, key, version)
        || w.books
            .applying
            .iter()
            .any(|(_, k, v)| *k == key && *v >= version)
        || w.nodes.buses().any(|(_, bus)| {
            bus.dlq
                .iter()
                .any(|e| e.ev.key == key && e.ev.version >= version)
        })
}

/// Whether an event covering `key` at `version` (or newer) is on its way to the
/// consumer: being published, in the outbox, on the network, in the bus's log or in
/// the consumer's hands.
fn event_in_flight(w: &World, key: Key, version: Version) -> bool {
    event_in_flight_with(w, key, version, true)
}

/// `event_in_flight`, counting the events consumers are handling (`busy`) or not.
fn event_in_flight_with(w: &World, key: Key, version: Version, busy: bool) -> bool {
    use super::super::msg::Payload;
    let covers = |ev: &super::super::msg::BusEvent| ev.key == key && ev.version >= version;
    let handling = |ev: &super::super::msg::BusEvent| {
        w.nodes
            .consumers()
            .any(|(_, c)| c.busy.is_some_and(|(b, _, _)| b.id == ev.id))
    };
    // A service publishes once it hears of its commit: only while the write or its
    // reply is still on the network (or the `UPDATE` waits for a row lock) is that to
    // come. A service waiting for a reply the network lost will never publish
    // (review session 14, X5): the contract's "durable path" is not a wait forever.
    let publishing = w
        .nodes
        .services()
        .any(|(sid, s)| s.flows.iter().any(|f| committing(w, sid, f, key, true)));
    // Not to a node that is down: it is lost on arrival, or when the node restarts
    // first (`fault::restart`), so it is on its way nowhere (review 29, H: the crash's
    // step said the push "will never reach it" while this still counted it).
    let in_net = w.net.iter().any(|m| match m.payload {
        Payload::Publish { ev } | Payload::Deliver { ev, .. } => {
            covers(&ev) && w.status_of(m.to) != super::super::node::NodeStatus::Down
        }
        _ => false,
    });
    // A row whose publish the bus has acknowledged, and which the relay waits to mark,
    // is in the bus's hands (counted there), not still to publish, unless the relay
    // crashes and forgets it: then it publishes the row again. (A row still awaiting
    // the bus's ack may be published again after the relay's timeout.)
    let published = |ev: &super::super::msg::BusEvent| {
        use super::super::relay::Awaiting;
        w.nodes
            .relays()
            .any(|(_, r)| matches!(r.awaiting, Some(Awaiting::Mark(id)) if id == ev.id))
    };
    let in_outbox = w.nodes.dbs().any(|(_, db)| {
        db.outbox
            .iter()
            .any(|r| !r.published && covers(&r.ev) && (busy || !published(&r.ev)))
    });
    // Not handled yet by some consumer group of the log.
    let in_log = w.nodes.buses().any(|(_, bus)| {
        bus.unhandled()
            .any(|ev| covers(ev) && (busy || !handling(ev)))
    });
    let in_hand = w.nodes.consumers().any(|(_, c)| {
        c.inbox.iter().any(|(ev, _)| covers(ev))
            || (busy && c.busy.is_some_and(|(ev, _, _)| covers(&ev)))
    });
    publishing || in_net || in_outbox || in_log || in_hand
}

/// Whether `service`'s request `f` is a write of `key` waiting for its commit's reply,
/// and (`heard`) that reply can still reach it: the write or its reply is on the
/// network, or its `UPDATE` waits for a row lock; or (`!heard`) none of that is so.
fn committing(
    w: &World,
    service: NodeId,
    f: &super::super::service::Flow,
    key: Key,
    heard: bool,
) -> bool {
    let ours = |flow: Option<FlowId>| flow == Some(f.id);
    let coming = w
        .net
        .iter()
        .any(|m| ours(m.flow) && (m.from == service || m.to == service))
        || w.nodes
            .dbs()
            .any(|(_, db)| db.lock_waits.iter().any(|l| ours(l.flow)));
    f.key == key && f.stage == Stage::Commit && coming == heard
}

/// A change of `key` whose event no one will ever publish because its service waits
/// for the database's reply to the commit and the network lost that reply (review
/// session 14, X5): the service and the newest such version. `None` when
/// `no-lost-event` holds for the key, or the change was lost another way.
pub(crate) fn unpublished(w: &World, key: Key) -> Option<(NodeId, Version)> {
    use super::Happened;
    let lost = w
        .books
        .relied
        .iter()
        .filter(|(k, v)| {
            *k == key
                && w.books.delivered.get(k).is_none_or(|d| d < v)
                && !event_on_its_way(w, *k, *v)
        })
        .map(|(_, v)| *v)
        .max()?;
    let (service, _) = w.nodes.services().find(|(sid, s)| {
        w.books.saw(Happened::CommitUnheard(*sid, key, lost))
            && s.flows.iter().any(|f| committing(w, *sid, f, key, false))
    })?;
    Some((service, lost))
}
