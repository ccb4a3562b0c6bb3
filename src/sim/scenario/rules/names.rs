//! The names a scenario file uses (a node, a key, a metric, an invariant) and the
//! texts of its endings, each checked where it is read, so a wrong one is reported at
//! its own line and field.
use super::{invariant, key, metric, unknown_placeholder, PLACEHOLDERS};
use crate::sim::books::{Invariant, Metric};
use crate::sim::codec::file::checked_str;
use crate::sim::ids::{Key, NodeId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident($inner:ty), $show:expr, $parse:expr, $what:expr) => {
        $(#[$doc])*
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
                        .ok_or_else(|| format!("{text:?} is not {}", $what))
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
    "a metric (db-reads, db-writes, writes-acked, cache-hits, cache-misses, events-published, events-delivered, events-dropped, stale-reads, db-reads-peak)"
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
