//! `Config::clients` in a file: an object from each client's name (`reader`,
//! `writer-2`) to its requests, kept in the order written.
use super::Request;
use crate::sim::ids::NodeId;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serializer};
use std::fmt;

pub fn serialize<S: Serializer>(
    clients: &[(NodeId, Vec<Request>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(clients.len()))?;
    for (node, requests) in clients {
        map.serialize_entry(&node.to_string(), requests)?;
    }
    map.end()
}

struct ClientsVisitor;

impl<'de> Visitor<'de> for ClientsVisitor {
    type Value = Vec<(NodeId, Vec<Request>)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object from client names (reader, writer-2, …) to lists of requests")
    }

    /// Bounded by the input: one entry per member written.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out: Vec<(NodeId, Vec<Request>)> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let node = NodeId::parse(&name)
                .filter(|n| n.is_client())
                .ok_or_else(|| {
                    de::Error::custom(format!(
                        "{} is not a client's name (reader, reader-2, …, writer, writer-2, …)",
                        crate::sim::codec::quote::text(&name)
                    ))
                })?;
            if out.iter().any(|(n, _)| *n == node) {
                return Err(de::Error::custom(format!(
                    "the client {} appears twice",
                    crate::sim::codec::quote::text(&name)
                )));
            }
            out.push((node, map.next_value()?));
        }
        Ok(out)
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(NodeId, Vec<Request>)>, D::Error> {
    d.deserialize_map(ClientsVisitor)
}
