//! The bus's and the consumer's sentences.
use super::super::bus::{BusFact, EntryState};
use super::super::config::BusConfig;
use super::super::fact::Fact;
use super::super::ids::NodeId;
use super::super::node::NodeStatus;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::names::Cast;

/// The subscribers of the bus that acted (an at-most-once bus pushes to every one
/// connected), and whether the world has other consumers, which the words must then
/// tell apart by id.
struct Subscribers {
    /// Each subscriber's id and whether it is connected (not down).
    all: Vec<(NodeId, bool)>,
    /// The subscribers that run but whose subscription broke (`Fault::Disconnect`):
    /// "not subscribed", not "down" (review session 15, Y1).
    cut: Vec<NodeId>,
    /// More than one consumer in the world: name them.
    many: bool,
}

impl Subscribers {
    fn of(w: &World) -> Subscribers {
        let acting = acting_bus(w);
        let cut = w
            .nodes
            .bus(acting)
            .map(|b| b.cut.iter().copied().filter(|c| w.is_up(*c)).collect())
            .unwrap_or_default();
        let all = w
            .nodes
            .bus(acting)
            .map(|b| {
                b.subscribers
                    .iter()
                    .map(|(id, st)| (*id, *st != NodeStatus::Down))
                    .collect()
            })
            .unwrap_or_default();
        Subscribers {
            all,
            cut,
            many: w.nodes.consumers().nth(1).is_some(),
        }
    }

    fn ids(&self, connected: bool) -> Vec<String> {
        self.all
            .iter()
            .filter(|(_, up)| *up == connected)
            .map(|(id, _)| id.to_string())
            .collect()
    }

    /// Whom an at-most-once push reaches: "the connected consumer" where there is one
    /// consumer, else the connected subscribers by id, as an aside closed by its comma.
    fn connected(&self) -> String {
        let up = self.ids(true);
        match up.as_slice() {
            [_] if !self.many && self.all.len() == 1 => "the connected consumer".to_string(),
            [one] => format!("{one}, its one subscriber connected now,"),
            _ => format!("its connected subscribers, {},", up.join(" and ")),
        }
    }

    /// Why a push reached no one: the one consumer is down or not subscribed (its
    /// subscription broke), the subscribers are all so, or nothing subscribes to this
    /// bus.
    fn none_connected(&self) -> String {
        let down = self.ids(false);
        let cut = |id: &str| self.cut.iter().any(|c| c.to_string() == id);
        let all_cut = down.iter().all(|id| cut(id));
        let none_cut = !down.iter().any(|id| cut(id));
        match down.as_slice() {
            [] => "nothing subscribes to it: no consumer listens on this bus".to_string(),
            [one] if !self.many && cut(one) => {
                "the consumer is not one of them: its subscription broke, and it is not subscribed"
                    .to_string()
            }
            [_] if !self.many => "the consumer is not one of them: it is down".to_string(),
            [one] if cut(one) => {
                format!("{one}, its one subscriber, is not subscribed: its subscription broke")
            }
            [one] => format!("{one}, its one subscriber, is down"),
            _ if all_cut => format!(
                "its subscribers, {}, are none of them subscribed",
                down.join(" and ")
            ),
            _ if none_cut => format!("its subscribers, {}, are all down", down.join(" and ")),
            _ => {
                let each: Vec<String> = down
                    .iter()
                    .map(|id| format!("{id} {}", if cut(id) { "not subscribed" } else { "down" }))
                    .collect();
                format!("none of its subscribers listens ({})", each.join(", "))
            }
        }
    }
}

/// With several consumer groups, whether the event at `offset`, which `c`'s group has
/// just committed past, is done for every group: each other group's committed offset,
/// read from the state after.
fn groups_done(w: &World, c: NodeId, offset: u32, ev: super::super::ids::EventId) -> String {
    let behind: Vec<(NodeId, u32)> = w
        .nodes
        .bus(acting_bus(w))
        .map(|b| {
            b.offsets()
                .filter(|(id, at)| *id != c && *at <= offset)
                .collect()
        })
        .unwrap_or_default();
    match behind.as_slice() {
        [] => format!("every group has now committed past {ev}, so only now is it done with"),
        [(o, at)] => format!(
            "{c}'s group is done with {ev}, but {o}'s group is not: its committed offset is {at}, so {ev} is still \
             to be handled by {o}"
        ),
        _ => {
            let each: Vec<String> = behind.iter().map(|(o, at)| format!("{o}'s is {at}")).collect();
            let names: Vec<String> = behind.iter().map(|(o, _)| o.to_string()).collect();
            format!(
                "{c}'s group is done with {ev}, but not the groups of {}: their committed offsets ({}) are not past it",
                names.join(" and "),
                each.join(", ")
            )
        }
    }
}

/// The bus that recorded the step's facts.
fn acting_bus(w: &World) -> NodeId {
    w.facts
        .with_nodes()
        .find(|(_, f)| matches!(f, Fact::Bus(_)))
        .and_then(|(n, _)| n)
        .unwrap_or(NodeId::BUS)
}

/// A step of the bus: its first fact, then the events it delivered (or why none).
pub(super) fn say(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    let (cap_bus, the_consumer, cap_consumer) = (n.bus.cap(), n.consumer, n.consumer.cap());
    let bus: Vec<BusFact> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Bus(b) => Some(*b),
            _ => None,
        })
        .collect();
    let Some((&first, rest)) = bus.split_first() else {
        return Said::silent();
    };
    // A durable log read by several consumer groups (Kafka): the words name the
    // consumer whose offset, delivery or retry it is, by id.
    let groups: Option<Vec<String>> = w
        .nodes
        .bus(acting_bus(w))
        .filter(|b| !b.groups.is_empty())
        .map(|b| b.offsets().map(|(c, _)| c.to_string()).collect());
    let many = groups.is_some();
    let whose = |c: NodeId| {
        if many {
            format!("{c}'s")
        } else {
            "the".to_string()
        }
    };
    let delivered: Vec<String> = rest
        .iter()
        .filter_map(|f| match f {
            BusFact::Delivered { ev, consumer } if many => Some(format!("{} to {consumer}", ev.id)),
            BusFact::Delivered { ev, .. } => Some(ev.id.to_string()),
            _ => None,
        })
        .collect();
    let mut sent = match (delivered.is_empty(), many) {
        (true, _) => String::new(),
        (false, true) => format!(" It delivers {}.", delivered.join(", ")),
        (false, false) => format!(" It delivers {} to {the_consumer}.", delivered.join(", ")),
    };
    for f in rest {
        if let BusFact::Blocked { ahead, consumer } = *f {
            let c = consumer.unwrap_or(NodeId::CONSUMER);
            let line = match ahead {
                Some((id, EntryState::Retrying)) => format!(
                    " It must wait: {id} ahead of it is being retried, and the log is delivered in order."
                ),
                Some((id, _)) => format!(" It waits its turn behind {id}."),
                None => {
                    let who = if many { c.to_string() } else { cap_consumer.to_string() };
                    // A consumer that runs but whose subscription broke is not down
                    // (review session 15, Y1).
                    let cut = w.is_up(c) && w.nodes.bus(acting_bus(w)).is_some_and(|b| b.cut_off(c));
                    if cut {
                        format!(
                            " {who} is not subscribed (its subscription broke): the event waits in the log until it \
                             subscribes again."
                        )
                    } else {
                        format!(" {who} is down: the event waits in the log.")
                    }
                }
            };
            if many {
                sent.push_str(&format!(" For {c}:{line}"));
            } else {
                sent = line;
            }
        }
    }
    let settings = w.bus().settings;
    let no_ack_timeout = settings.is_some_and(|c| c.ack_timeout_ms.is_none());
    // A queue with an ack per event and an ack timeout (SQS, RabbitMQ): no offset in its words.
    let per_ack = settings.is_some_and(|c| c.durable && c.ack_timeout_ms.is_some());
    match first {
        BusFact::Absent => said("ignored", "There is no bus in this scenario."),
        BusFact::Logged { ev, offset, .. } => {
            let who = match &groups {
                Some(ids) => format!(
                    "each of {}, each its own consumer group with its own committed offset,",
                    ids.join(" and ")
                ),
                None => the_consumer.to_string(),
            };
            // A queue with an ack per event keeps it until it is acknowledged; a log
            // keeps every event for its retention, read or not: a consumer's commit
            // moves its offset and removes nothing (review session 12, R16).
            let kept = if no_ack_timeout {
                let who = match &groups {
                    Some(ids) => format!("each of {} reads it as its own consumer group, from its own", ids.join(" and ")),
                    None => format!("{the_consumer} reads it from its"),
                };
                format!(
                    "reading it removes nothing (a log keeps its events for its retention period, read or not), and \
                     {who} committed offset"
                )
            } else {
                format!("it stays there until {who} has acknowledged it")
            };
            said(
                format!("logged {} at {offset}", ev.id),
                format!(
                    "{cap_bus} appends {ev} to its {}, on disk ({}): {kept}.{sent}",
                    if per_ack { "queue".to_string() } else { format!("log at offset {offset}") },
                    settings.map(|c| durable_kind(&c)).unwrap_or_default(),
                ),
            )
        }
        BusFact::Dropped { ev } => said(
            format!("dropped {}", ev.id),
            format!(
                "{cap_bus} pushes {ev} to the subscribers connected right now, and {}. {cap_bus} keeps nothing \
                 (at-most-once, like Redis Pub/Sub), so {} is gone for good.",
                Subscribers::of(w).none_connected(),
                ev.id
            ),
        ),
        BusFact::Pushed { ev } => said(
            format!("pushed {}", ev.id),
            format!(
                "{cap_bus} pushes {ev} to {} and keeps no copy (at-most-once, like Redis Pub/Sub): fast and \
                 simple, but a subscriber that is not listening misses it.",
                Subscribers::of(w).connected()
            ),
        ),
        BusFact::Acked {
            ev,
            offset,
            was_sent,
            committed: now,
            head,
            consumer: c,
        } => {
            let what = if !was_sent {
                format!(
                    "{} was not waiting for this ack ({} is not out for delivery now), so it changes \
                     nothing; {} committed offset is {now}.",
                    n.bus,
                    ev.id,
                    whose(c)
                )
            } else if now > offset && many {
                format!(
                    "{} commits {c}'s offset, now {now}: {}.",
                    n.bus,
                    groups_done(w, c, offset, ev.id)
                )
            } else if now > offset && per_ack {
                // A queue with an ack per event has no offset to speak of (V19).
                format!("{} is done with it and removes it from the queue.", n.bus)
            } else if now > offset {
                format!(
                    "{} commits {}'s offset, now {now}. Only now is {} done with.",
                    n.bus, n.consumer, ev.id
                )
            } else if per_ack {
                let head = head.map(|h| h.to_string()).unwrap_or_default();
                format!(
                    "{} marks {} done; {head}, ahead of it, is still unacknowledged and stays in the queue. Each \
                     event is acknowledged on its own (as in SQS or RabbitMQ).",
                    n.bus, ev.id
                )
            } else {
                let head = head.map(|h| h.to_string()).unwrap_or_default();
                format!(
                    "{} marks {} done, but {} committed offset stays at {now}: {head} ahead of it has no \
                     ack yet.",
                    n.bus,
                    ev.id,
                    whose(c)
                )
            };
            // Per-event acks (SQS, RabbitMQ) have no committed offset to name (review 28:
            // "ack e3 => committed 0" beside words of per-event acks).
            let outcome = if per_ack {
                format!("{} done", ev.id)
            } else {
                format!("committed {now}")
            };
            said(
                outcome,
                format!("{cap_consumer} acknowledged {}: {what}{sent}", ev.id),
            )
        }
        BusFact::DeadLettered { ev, failures, .. } => {
            let kafka = if no_ack_timeout {
                " (With Kafka the consumer's error handler does this: it publishes the event to a dead-letter \
                 topic and commits past it.)"
            } else {
                ""
            };
            said(
                format!("{} to the DLQ", ev.id),
                format!(
                    "{} failed {failures} times, its last retry included: {} moves it to the dead-letter \
                     queue, for an operator to inspect and replay, and commits past it.{kafka} The events behind \
                     it are no longer blocked.{sent}",
                    ev.id,
                    n.bus
                ),
            )
        }
        BusFact::Retrying {
            ev,
            at_ms: at,
            failures,
            max_retries,
            backoff_ms: backoff,
            waiting,
            ..
        } => {
            let limit = match max_retries {
                Some(max) => format!("retry {failures} of {max}"),
                None => "it retries for ever".to_string(),
            };
            let waiting = match waiting {
                0 => "any event published behind it will have to wait".to_string(),
                1 => "the event behind it waits".to_string(),
                n => format!("the {n} events behind it wait"),
            };
            let kafka = if no_ack_timeout && failures == 1 {
                " (With Kafka it is the consumer's error handler that retries, as Spring Kafka's does: it seeks \
                 back to the failed offset and polls it again after the backoff.)"
            } else {
                ""
            };
            said(
                format!("retry at {at}"),
                format!(
                    "{cap_consumer} failed on {}. {cap_bus} will redeliver it at {at} ms ({limit}, backoff \
                     {backoff} ms).{kafka} The log is ordered, so {waiting}: head-of-line blocking.",
                    ev.id
                ),
            )
        }
        BusFact::Resubscribed { disconnected } => said(
            "subscribed",
            format!(
                "{cap_consumer} subscribes again. Pub/Sub keeps no history: whatever was published while it was \
                 {}, and whatever was on its way to it when {}, is lost, and it will only see new messages.",
                if disconnected { "disconnected" } else { "down" },
                if disconnected { "the connection broke" } else { "it went down" }
            ),
        ),
        BusFact::NotSubscribed { payload, consumer } => said(
            "ack refused",
            if per_ack {
                format!(
                    "{cap_bus} refuses {payload} from {consumer}: its subscription broke, and an ack counts only on \
                     the channel that received the event (RabbitMQ). When it subscribes again the event is \
                     delivered again: at-least-once."
                )
            } else {
                format!(
                    "{cap_bus} refuses {payload} from {consumer}: its subscription broke, so its session is over \
                     and its commit does not count (Kafka's CommitFailedException). When it subscribes again it \
                     resumes from its committed offset, and gets the event again: at-least-once."
                )
            },
        ),
        BusFact::Resumed {
            offset,
            behind,
            consumer: c,
        } => said(
            format!("resume at {offset}"),
            if per_ack {
                // No offset in a queue: it keeps each event until its ack (`behind` counts
                // from the first unacknowledged one, acknowledged ones after it included).
                let what = if behind == 0 {
                    "holds no event waiting for an ack"
                } else {
                    "delivers, oldest first, every event it holds that was not acknowledged"
                };
                format!(
                    "{cap_consumer} reconnects; {} {what}. A queue keeps each event until its ack, and a \
                     delivery not acknowledged on the closed channel went back to the queue (RabbitMQ requeues \
                     it; SQS shows it again once its visibility timeout is over): an event handled but not \
                     acknowledged comes again, at-least-once.{sent}",
                    n.bus
                )
            } else {
                format!(
                    "{cap_consumer} reconnects; {} resumes from {} committed offset {offset}, with {} to \
                     catch up on (an event handled but not acknowledged comes again: at-least-once).{sent}",
                    n.bus,
                    if many { whose(c) } else { "its".to_string() },
                    super::super::describe::count(u64::from(behind), "event", "events")
                )
            },
        ),
        BusFact::RetryDue { offset, consumer: c } => {
            // Nothing can go to a consumer whose subscription broke: it waits, with
            // every event behind it, until the consumer subscribes again (review session
            // 15, Y7).
            let cut = sent.is_empty()
                && w.is_up(c)
                && w.nodes.bus(acting_bus(w)).is_some_and(|b| b.cut_off(c));
            let who = if many { c.to_string() } else { the_consumer.to_string() };
            said(
                "redeliver",
                if cut {
                    format!(
                        "The backoff of offset {offset} is over, but {who} is not subscribed (its subscription \
                         broke): {} can deliver it nothing, so offset {offset} and every event behind it wait \
                         until it subscribes again.",
                        n.bus
                    )
                } else {
                    format!("The backoff of offset {offset} is over: {} tries again.{sent}", n.bus)
                },
            )
        }
        BusFact::AckMissed { event: id, consumer: c } => {
            // Its consumer is not connected (down, or its subscription broke): the event
            // waits in the queue for it.
            let away = w
                .nodes
                .consumer(c)
                .and_then(|x| w.nodes.bus(x.settings.bus))
                .is_some_and(|b| b.subscribers.iter().any(|(s, st)| *s == c && *st == NodeStatus::Down));
            if away {
                return said(
                    format!("requeue {id}"),
                    format!(
                        "No ack for {id} came back in time. {cap_bus} cannot tell a lost ack from a lost event, so \
                         {id} goes back in the queue; {the_consumer} is not connected, so it is delivered again \
                         once {the_consumer} subscribes: at-least-once means it may see an event twice."
                    ),
                );
            }
            said(
                format!("redeliver {id}"),
                format!(
                    "No ack for {id} came back in time. {cap_bus} cannot tell a lost ack from a lost event, so it \
                     delivers {id} again: at-least-once means {the_consumer} may see an event twice.{sent}"
                ),
            )
        }
        BusFact::AckInTime => said("nothing", "The ack came in time."),
        BusFact::Nothing => said("nothing", ""),
        BusFact::Stray => said("ignored", ""),
        BusFact::Ignored { payload } => said(
            "ignored",
            format!("{cap_bus} does not handle {payload}."),
        ),
        // Never first: a delivery or a wait follows another fact of the step.
        BusFact::Delivered { .. } | BusFact::Blocked { .. } => Said::silent(),
    }
}

/// The real system the durable bus behaves like, for the narration. With an ack
/// timeout each event is acknowledged on its own and one left unacknowledged is
/// redelivered alone, after later ones were acknowledged: SQS's visibility timeout or
/// RabbitMQ's unacknowledged messages, not Kafka, whose consumer commits one offset
/// cumulatively and replays in order.
fn durable_kind(cfg: &BusConfig) -> String {
    if cfg.ack_timeout_ms.is_some() {
        format!(
            "a durable queue with an ack per event and an ack timeout, like {}",
            behaves_like(cfg)
        )
    } else {
        format!("a durable log, like {}", behaves_like(cfg))
    }
}

/// The real system a bus with `cfg` behaves like, for the page's words.
pub(crate) fn behaves_like(cfg: &BusConfig) -> &'static str {
    match (cfg.durable, cfg.ack_timeout_ms) {
        (false, _) => "Redis Pub/Sub",
        (true, Some(_)) => "SQS or RabbitMQ",
        (true, None) => "a Kafka partition",
    }
}
