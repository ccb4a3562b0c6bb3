//! A cache node's tracking table: which services read each key, so that it can tell
//! them when the key changes and they drop their near copies (`near.rs`). This is
//! Redis's server-assisted client-side caching (`CLIENT TRACKING` in its default mode,
//! with `NOLOOP`): the server remembers the keys a client read; when one is modified
//! (set, deleted, expired) it pushes an `invalidate` to each such client but the one
//! that modified it, and forgets them for that key until they read it again. The table
//! is in the node's memory: a crash loses it, and closes the services' connections
//! (`Payload::Closed`): each flushes its whole near cache when it sees its connection
//! close, since invalidations may have been missed (redis/redis#13082; redis-py and
//! Lettuce do so).
use super::ids::{Key, NodeId};
use super::keymap::KeyMap;
use super::msg::Payload;
use super::node::Ctx;

/// The tracking table of one cache node: off unless the scenario turns it on.
#[derive(Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Tracking {
    pub on: bool,
    /// The services that read each key since it last changed, in id order.
    pub readers: KeyMap<Key, Vec<NodeId>>,
    /// The services whose connections track their reads here (`CLIENT TRACKING on`):
    /// a setting, fixed for a run (`World::new`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<NodeId>,
}

clone_fields!(Tracking {
    on,
    readers,
    clients,
});

/// What the tracking table did, for the observers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackingFact {
    /// `key` changed: `count` services that read it are told, `first` among them.
    Told { key: Key, first: NodeId, count: u8 },
}

impl Tracking {
    /// `reader` read `key` (a hit, or the fill it set): it will be told of a change.
    pub fn read(&mut self, key: Key, reader: NodeId) {
        if !self.on || !matches!(reader, NodeId::Service(_)) {
            return;
        }
        let readers = self.readers.or_insert(key, Vec::new());
        if let Err(at) = readers.binary_search(&reader) {
            readers.insert(at, reader);
        }
    }

    /// `key` changed by `by` (a node, or `None` for an expiry): every reader but `by`
    /// is told, over the cache hop `reply_ms`, and forgotten.
    pub fn changed(&mut self, ctx: &mut Ctx, key: Key, by: Option<NodeId>, reply_ms: u64) {
        if !self.on {
            return;
        }
        let Some(readers) = self.readers.remove(&key) else {
            return;
        };
        let told: Vec<NodeId> = readers.into_iter().filter(|r| Some(*r) != by).collect();
        for r in &told {
            ctx.send(*r, None, Payload::Invalidate { key }, reply_ms);
        }
        if let Some(first) = told.first() {
            ctx.fact(TrackingFact::Told {
                key,
                first: *first,
                count: u8::try_from(told.len()).unwrap_or(u8::MAX),
            });
        }
    }

    /// `client`'s connection closed (it crashed): it is told of nothing more, as Redis
    /// forgets a disconnected client's tracked keys.
    pub fn forget(&mut self, client: NodeId) {
        self.readers.retain(|_, readers| {
            readers.retain(|r| *r != client);
            !readers.is_empty()
        });
    }

    /// A crash: the table was in memory, and the node's operating system closes its
    /// connections: each tracking client sees its connection close, over the cache hop
    /// `reply_ms`.
    pub fn crash(&mut self, ctx: &mut Ctx, reply_ms: u64) {
        self.readers.clear();
        if self.on {
            for c in &self.clients {
                ctx.send(*c, None, Payload::Closed, reply_ms);
            }
        }
    }
}
