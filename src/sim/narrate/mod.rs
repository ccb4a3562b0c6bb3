//! The narration, an observer of the step: it reads the step's facts (`fact.rs`, in
//! the order they happened) and the world after it, and writes the step's outcome and
//! its sentences. Nothing here changes the world, and a quiet step never calls it.
//!
//! A new fact: a variant of its node's fact type, the node records it with
//! `ctx.fact(…)`, and its sentence goes in this module's file for that node (the
//! `match` there does not compile until it has one).
mod behind;
mod bus;
mod cache;
mod cdn;
mod client;
mod closed;
mod conn_lost;
mod consumer;
mod db;
mod fault;
mod held;
mod invalidator;
mod names;
mod near;
mod negative;
mod pressure;
mod region;
mod replica;
mod service;
mod sockets;
mod stuck;
mod txn;

use super::cache_node::CacheFact;
use super::fact::Fact;
use super::ids::NodeId;
use super::msg::Payload;
use super::parts::{said, Said};
use super::scenario::{Ending, Fixes};
use super::scenarios::data::E;
use super::service::ServiceFact;
use super::timing::Event;
use super::world::World;
pub(crate) use bus::behaves_like;
use names::Cast;
/// Who still waits at a run's end, and why (an ending's `{done}` says it too).
pub(crate) use stuck::stuck as stuck_words;
pub(crate) use stuck::waiting;

/// How the world asks for a step's words (`step`, as a value).
pub(crate) type StepWords = fn(&World, NodeId, Option<(NodeId, NodeId)>, Clock) -> Said;

/// The clock around a step: `before_ms`, its reading before the step; `due_ms`, when
/// the message that arrives or the timer that fires was due (its nominal time, read
/// before the step; `None` for any other event).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    pub before_ms: u64,
    pub due_ms: Option<u64>,
    /// The event: a client's start (its request's planned time is `due_ms`), or a
    /// message named when it comes late (review 30, D: "this message" after a sentence
    /// about another one read as that one).
    pub event: Event,
}

/// How a scenario says its endings (`scenario::rules::say`, as a value).
pub(crate) type EndingWords = fn(&[Ending], &[E], &World, &Fixes) -> String;

/// How a run's end says who still waits (`stuck::stuck`, as a value).
pub(crate) type StuckWords = fn(&World) -> Option<String>;

/// The narration: a step's words and a run's ending. The page's split build loads it
/// after its first paint, with the catalog's words (`install`), so neither's code is in
/// its initial download.
#[cfg(target_arch = "wasm32")]
#[cfg_attr(not(feature = "split"), allow(dead_code))] // read only where it is loaded
#[derive(Clone, Copy)]
pub(crate) struct Narrator {
    step: StepWords,
    ending: EndingWords,
    stuck: StuckWords,
}

/// What a step's narration says while the page loads the narration (`Run::narrate_pending`
/// writes the step's own words in its place once they are there).
pub const PENDING: &str = "Loading the narration…";

/// The narration, once the page has loaded it (the split build of the page only).
#[cfg(target_arch = "wasm32")]
static INSTALLED: std::sync::OnceLock<Narrator> = std::sync::OnceLock::new();

/// The narration as a value. In the page, only the split point that loads the
/// catalog's words calls this, so the narration's code is in that wasm chunk.
#[cfg(target_arch = "wasm32")]
pub(crate) fn baked() -> Narrator {
    Narrator {
        step,
        ending: crate::sim::scenario::rules::say,
        stuck: stuck::stuck,
    }
}

/// Gives the page the narration (from `baked`, loaded after the first paint).
#[cfg(target_arch = "wasm32")]
pub(crate) fn install(narrator: Narrator) {
    let _ = INSTALLED.set(narrator);
}

/// A step's words if they are there: always, but in the page before it loads them.
pub(crate) fn narrator() -> Option<StepWords> {
    // (cfg, not `if`: the page's split build must not name `step` here.)
    #[cfg(all(target_arch = "wasm32", feature = "split"))]
    return INSTALLED.get().map(|n| n.step);
    #[cfg(not(all(target_arch = "wasm32", feature = "split")))]
    Some(step)
}

/// A run's ending in words if they are there (as `narrator`).
pub(crate) fn ending() -> Option<EndingWords> {
    #[cfg(all(target_arch = "wasm32", feature = "split"))]
    return INSTALLED.get().map(|n| n.ending);
    #[cfg(not(all(target_arch = "wasm32", feature = "split")))]
    Some(crate::sim::scenario::rules::say)
}

/// Who still waits at a run's end, in words if they are there (as `narrator`).
pub(crate) fn stuck() -> Option<StuckWords> {
    #[cfg(all(target_arch = "wasm32", feature = "split"))]
    return INSTALLED.get().map(|n| n.stuck);
    #[cfg(not(all(target_arch = "wasm32", feature = "split")))]
    Some(stuck::stuck)
}

/// Whether the narration is there (always, but in the page before it loads it).
#[cfg(target_arch = "wasm32")]
pub(crate) fn ready() -> bool {
    narrator().is_some()
}

/// The outcome and the narration of the step the world just took, from its facts;
/// `actor`: the node that acted, over `hop` if a message arrived; `clock`: the clock
/// before it and when the event was due. Where the topology has more than one service
/// or cache node, the sentences name the ones the step is about (`names.rs`).
pub(crate) fn step(w: &World, actor: NodeId, hop: Option<(NodeId, NodeId)>, clock: Clock) -> Said {
    let mut s = by_fact(w, &names::Cast::of(w, actor, hop));
    s.narration.push_str(&late(clock));
    s.narration.push_str(&cache::meanwhile(w, clock.before_ms));
    s
}

/// A message that arrives, or a timer that fires, after it was due: the clock had
/// already passed its time, because events due after it went first (the rules enable
/// every message in flight whatever its delay, and a timer once due or once nothing is
/// due before it; an exhaustive search takes such orders: review 23, S4). Empty for an
/// event on time.
fn late(clock: Clock) -> String {
    let Some(due) = clock.due_ms.filter(|d| *d < clock.before_ms) else {
        return String::new();
    };
    let by = clock.before_ms - due;
    // A start later than planned (review 29, K: a read planned for 100 ms started at
    // 246 ms, and nothing said so): the fact only, since why (its client's previous
    // request still open, or later events first) is not in the state.
    match clock.event {
        Event::Start(_) => format!(" (Planned for {due} ms.)"),
        Event::Deliver(id) => format!(
            " This message ({id}) was due at {due} ms and arrives {by} ms late: it was held back \
             while events due after it went first."
        ),
        _ => format!(" This timer was due at {due} ms and fires {by} ms late: events due after it went first."),
    }
}

/// The cache node that recorded the step's first fact (`cache` if none did).
fn acting_cache(w: &World) -> NodeId {
    match w.facts.by(0) {
        Some(id @ NodeId::Cache(_)) => id,
        _ => NodeId::CACHE,
    }
}

fn by_fact(w: &World, n: &Cast) -> Said {
    let facts = &w.facts.0[..];
    // A fault's own words: what the nodes did because of it (a peer noticing, a
    // restarted cache waking its flusher) is not narrated beside them.
    // (Not a close a down node's host sent back: it follows the lost message's words.)
    if let Some(f) = facts.iter().find_map(|f| match f {
        Fact::Fault(super::fault::FaultFact::Closing { .. }) => None,
        Fact::Fault(f) => Some(*f),
        _ => None,
    }) {
        return fault::say(w, n, f);
    }
    let mut s = first(w, n, facts);
    // A cache node's tracking table tells the readers of what changed.
    for fact in facts.iter().skip(1) {
        if let Fact::Tracking(t) = fact {
            s.narration.push_str(&near::tracking(w, n, *t));
        }
    }
    s.narration
        .push_str(&reset_on_close(&facts[1.min(facts.len())..]));
    s
}

/// What the service had sent on a connection whose close it just read, to a node
/// that restarted since (`Fact::Lost` after the close's own facts, `route.rs`
/// `drop_sent_on_closed`): it never reaches the new process, as TCP resets it.
fn reset_on_close(facts: &[Fact]) -> String {
    let mut to_node = None;
    let lost: Vec<String> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Lost {
                id,
                from,
                to,
                payload,
            } => {
                to_node = Some((*from, *to));
                Some(format!("{id} ({payload})"))
            }
            _ => None,
        })
        .collect();
    let Some((from, to)) = to_node else {
        return String::new();
    };
    let service = if from == NodeId::SERVICE {
        "the service".to_string()
    } else {
        from.to_string()
    };
    let (what, it, its) = match lost.as_slice() {
        [one] => (one.clone(), "it", "it carried has"),
        many => (many.join(" and "), "each", "they carried have"),
    };
    format!(
        " {what}, sent on that connection after {to} restarted and before {service} read its close, never \
         reaches the restarted process: its host has no such connection and answers with a reset, as TCP does, \
         so {it} is lost, and the command {its} failed with the close."
    )
}

/// The step's outcome and narration, from its first fact on.
fn first(w: &World, n: &Cast, facts: &[Fact]) -> Said {
    match facts.first() {
        None => Said::silent(),
        // Write-behind: the cache and its flusher, over their connection in one step.
        Some(Fact::Cache(CacheFact::WbQueued { .. }) | Fact::Flusher(_)) => behind::say(w, n, facts),
        Some(Fact::Cache(f)) => cache::say(w, n, *f),
        Some(Fact::Db(_)) => db::say(w, n, facts),
        Some(Fact::Relay(f)) => db::relay(n, *f),
        Some(Fact::Bus(_)) => bus::say(w, n, facts),
        Some(Fact::Consumer(_)) => consumer::say(w, n, facts),
        Some(Fact::Client(_)) => client::say(w, n, facts),
        Some(Fact::Replica(_)) => replica::step(w, facts),
        Some(Fact::Invalidator(f)) => invalidator::say(w, *f),
        Some(Fact::Cdn(f)) => cdn::say(w, n, *f),
        Some(Fact::Service(ServiceFact::Near(f))) => {
            // A flush at a closed connection, then the requests it failed; the outcome
            // names the first of those too (review session 19, F6: a close that flushed
            // and failed a pending SET was labelled "nothing to flush" only).
            let mut s = near::say(w, n, *f);
            // The flush said the close: the requests it fails are named once (N6).
            let told = if matches!(f, super::near::NearFact::Flushed { .. }) {
                closed::Told::Close
            } else {
                closed::Told::No
            };
            s.narration.push_str(&closed::more_lost(w, n, &facts[1..], told));
            if let Some(lost) = facts[1..].iter().find_map(|f| match f {
                Fact::Service(ServiceFact::ConnLost {
                    peer,
                    key,
                    client,
                    what,
                }) => Some(closed::conn_lost(w, n, *peer, *key, *client, *what, told).outcome),
                _ => None,
            }) {
                s.outcome = format!("{}; {lost}", s.outcome);
            }
            for fact in &facts[1..] {
                if let Fact::Service(ServiceFact::Near(near)) = fact {
                    s.narration.push_str(&near::more(n, *near));
                }
            }
            s
        }
        Some(Fact::Service(_)) => service::say(w, n, facts),
        Some(Fact::Lost {
            id,
            from,
            to,
            payload,
        }) => {
            let mut s = lost(*id, *from, *to, *payload);
            s.narration.push_str(&closed::refused(w, *to, *from));
            // A partition, not a crash, lost it.
            let cut = [*to, *from]
                .into_iter()
                .find(|n| w.status_of(*n) == super::node::NodeStatus::Partitioned);
            if let Some(node) = cut {
                s.outcome = "lost: partition".to_string();
                s.narration = s.narration.replacen(
                    &format!("{to} is down, so"),
                    &format!("{node} is cut off by a partition, so"),
                    1,
                );
            } else if let Some(link) = w.cuts.iter().find(|l| l.carries(w, *from, *to)) {
                s.outcome = "lost: partition".to_string();
                s.narration = s.narration.replacen(
                    &format!("{to} is down, so"),
                    &format!("the link {link} is cut by a partition, so"),
                    1,
                );
            }
            s
        }
        // The world's own: what no node handled (`route.rs`).
        Some(Fact::NoSuchClient { node }) => said(
            "no such client",
            format!(
                "{node} is not a client of this scenario: it has no request to start, so nothing happens."
            ),
        ),
        Some(Fact::Unrouted {
            id,
            from,
            to,
            payload,
        }) => said(
            "ignored",
            format!(
                "The message {id} from {from} ({payload}) is for {to}, which this scenario does not run: it is \
                 dropped."
            ),
        ),
        // Never first: they follow the fact they are about.
        Some(
            Fact::SlowReply { .. }
            | Fact::SlowSet { .. }
            | Fact::StaleRead(_)
            | Fact::Tracking(_)
            | Fact::Fault(_),
        ) => Said::silent(),
    }
}

/// A message reached a node that is down.
fn lost(
    id: super::ids::MsgId,
    from: super::ids::NodeId,
    to: super::ids::NodeId,
    payload: Payload,
) -> Said {
    let note = match payload {
        // A consumer reads no close and has no timeout (review session 20, F9).
        Payload::Del { .. } | Payload::Set { .. } if matches!(from, super::ids::NodeId::Consumer(_)) => {
            format!(
                " {from} waits for an answer that will not come: a consumer in this model reads no closed \
                 connection and has no timeout, so it stays on the event it is handling and takes no other."
            )
        }
        Payload::Deliver { ev, .. } => format!(
            " The event {} is gone from the network; only a durable bus can deliver it again.",
            ev.id
        ),
        Payload::Publish { ev } => format!(
            " The event {} never reaches the bus: this publish is gone.",
            ev.id
        ),
        Payload::PublishAck { ev } => format!(
            " The bus has {} in its log all the same; only the relay does not learn it.",
            ev.id
        ),
        Payload::DbWriteReply { key, version, .. } => format!(
            " The commit of {key} = {version} stands in the database; only the reply that reports it is lost."
        ),
        p if p.kind().ends_with("reply")
            || matches!(
                p.kind(),
                "read-ok"
                    | "write-ok"
                    | "publish-ack"
                    | "marked"
                    | "outbox-row"
                    | "outbox-empty"
                    | "wb-ack"
            ) =>
        {
            format!(" Only the reply is lost; {from} did its part.")
        }
        _ => String::new(),
    };
    said(
        "lost: node down",
        format!("{to} is down, so the message {id} from {from} ({payload}) is lost.{note}"),
    )
}
