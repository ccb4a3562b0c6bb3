//! The names a scenario file uses (a node, a key, a metric, an invariant) and the
//! texts of its endings, each checked where it is read, so a wrong one is reported at
//! its own line and field.
use super::{invariant, key, metric, unknown_placeholder, PLACEHOLDERS};
use crate::sim::books::{Invariant, Metric};
use crate::sim::codec::file::checked_str;
use crate::sim::ids::{Key, NodeId};
use crate::sim::world::World;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident($inner:ty), $show:expr, $parse:expr, $what:expr) => {
        $(#[$doc])*
        #[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::scenario::rules))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub $inner);

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let show: fn(&$inner) -> String = $show;
                s.serialize_str(&show(&self.0))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let parse: fn(&str) -> Option<$inner> = $parse;
                checked_str(d, |text| {
                    parse(text)
                        .map($name)
                        .ok_or_else(|| format!("{} is not {}", crate::sim::codec::quote::text(text), $what))
                })
            }
        }
    };
}

name_type!(
    /// A node: `reader`, `writer-2`, `service`, `cache`, `db`, `bus`, `relay`,
    /// `consumer`, `flusher`.
    NodeName(NodeId),
    |n| n.to_string(),
    NodeId::parse,
    "a node (reader, reader-2, writer, service, cache, db, bus, relay, consumer, flusher)"
);
name_type!(
    /// A key: `user:1`.
    KeyName(Key),
    |k| k.to_string(),
    key,
    "a key (user:1, user:2, …)"
);
name_type!(
    /// A metric by the contract's name.
    MetricName(Metric),
    |m| m.name().to_string(),
    metric,
    "a metric (db-reads, db-writes, writes-acked, cache-hits, cache-misses, events-published, events-delivered, events-dropped, stale-reads, db-reads-peak, replica-reads, evictions)"
);
name_type!(
    /// An invariant by the contract's name.
    InvariantName(Invariant),
    |i| i.name().to_string(),
    invariant,
    "an invariant (cache-matches-db, no-lost-write, no-lost-event)"
);

/// An ending's text: every `{placeholder}` in it is one the endings know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EndingText(pub String);

impl<'de> Deserialize<'de> for EndingText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |text| match unknown_placeholder(text) {
            Some(p) => Err(format!(
                "{{{p}}} is not a value an ending can show (known: {})",
                PLACEHOLDERS.join(", ")
            )),
            None => Ok(EndingText(text.to_string())),
        })
    }
}

/// A number an ending or a condition reads: a metric by name, `outbox-rows`,
/// `outbox-unpublished`, `dlq`, `keys`, `queue` (write-behind), `markers` (remote markers
/// set in any cache node), `open-txns` (the transactions open in the primaries),
/// `waiting` (the clients still waiting for an answer), `unanswered` (those and the
/// clients whose latest request failed: with a connection reset, review 20b, F8, or
/// answered with an error, review 22, M1),
/// `crashes NODE`, or a number as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity(pub(crate) String);

impl Quantity {
    pub fn parse(text: &str) -> Option<Quantity> {
        let known = metric(text).is_some()
            || matches!(
                text,
                "outbox-rows"
                    | "outbox-unpublished"
                    | "dlq"
                    | "keys"
                    | "queue"
                    | "markers"
                    | "open-txns"
                    | "waiting"
                    | "unanswered"
            )
            || text.parse::<u64>().is_ok()
            || text
                .strip_prefix("crashes ")
                .is_some_and(|n| NodeId::parse(n).is_some());
        known.then(|| Quantity(text.to_string()))
    }

    pub fn value(&self, w: &World) -> u64 {
        let q = self.0.as_str();
        if let Some(m) = metric(q) {
            return m.value(&w.metrics);
        }
        if let Some(n) = q.strip_prefix("crashes ").and_then(NodeId::parse) {
            return u64::from(w.books.crashes_of(n));
        }
        match q {
            "outbox-rows" => w.db().outbox.len() as u64,
            "outbox-unpublished" => w.db().outbox.iter().filter(|r| !r.published).count() as u64,
            "dlq" => w.bus().dlq.len() as u64,
            "keys" => w.config.keys.len() as u64,
            "queue" => w.cache().queue.len() as u64,
            "markers" => w.nodes.caches().map(|(_, c)| c.markers.len() as u64).sum(),
            "open-txns" => w.nodes.dbs().map(|(_, db)| db.txns.len() as u64).sum(),
            "waiting" => w.clients.iter().filter(|c| c.busy.is_some()).count() as u64,
            "unanswered" => w
                .clients
                .iter()
                .filter(|c| {
                    use crate::sim::msg::Payload::{Closed, ReadFailed, WriteFailed};
                    c.busy.is_some()
                        || matches!(
                            c.last_answer,
                            Some(Closed | ReadFailed { .. } | WriteFailed { .. })
                        )
                })
                .count() as u64,
            _ => q.parse().unwrap_or(0),
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |text| {
            Quantity::parse(text).ok_or_else(|| {
                format!("{} is not a quantity (a metric, outbox-rows, outbox-unpublished, dlq, keys, queue, markers, open-txns, waiting, unanswered, crashes NODE, or a number in quotes)", crate::sim::codec::quote::text(text))
            })
        })
    }
}
