//! The invariants, checked over the state and the books the same general way in every
//! scenario, and every cached copy they check (`copies`). Split from `books.rs` along
//! that seam.
use super::super::cache::Entry;
use super::super::ids::{Key, NodeId};
use super::super::world::World;
use super::events::event_on_its_way;

#[cfg_attr(feature = "bake", derive(databake::Bake), databake(path = crate::sim::books))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Invariant {
    CacheMatchesDb,
    NoLostWrite,
    NoLostEvent,
    /// A history property: violated once, it stays violated.
    ReadYourWrites,
}

impl Invariant {
    /// The contract's name.
    pub fn name(self) -> &'static str {
        match self {
            Invariant::CacheMatchesDb => "cache-matches-db",
            Invariant::NoLostWrite => "no-lost-write",
            Invariant::NoLostEvent => "no-lost-event",
            Invariant::ReadYourWrites => "read-your-writes",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Invariant::CacheMatchesDb => "every cached key holds the value the database has committed",
            Invariant::NoLostWrite => {
                "every acknowledged write is in the database, or still in a write-behind queue or durable log that will put it there"
            }
            Invariant::NoLostEvent => {
                "every change whose invalidation relies on an event had its event delivered (the cache applied the \
                 consumer's delete or set for it), or the event is still on its way (in the service about to publish \
                 it, in the outbox, on the network, in the bus's log or dead-letter queue, in the consumer's hands, \
                 or as the consumer's delete on its way to the cache)"
            }
            Invariant::ReadYourWrites => {
                "a client that was told its write succeeded never afterwards reads an older version of that key"
            }
        }
    }

    /// Whether a run breaks it by being violated at any point (a history property),
    /// not only at its end (the catalog's rule, `scenarios.md`, "Invariants").
    pub fn at_any_point(self) -> bool {
        self == Invariant::ReadYourWrites
    }

    /// `Ok` if the invariant holds in `world`, else the first violation in words.
    pub fn check(self, world: &World) -> Result<(), String> {
        match self {
            Invariant::ReadYourWrites => match world.books.ryw_broken {
                None => Ok(()),
                Some(b) => Err(format!(
                    "{} was told its write of {} = {} succeeded, then read {}",
                    b.client, b.key, b.wrote, b.read
                )),
            },
            Invariant::CacheMatchesDb => {
                for copy in copies(world) {
                    if copy.entry.expires_ms <= world.now_ms {
                        continue;
                    }
                    let want = world.expected(copy.key);
                    if copy.entry.version != want {
                        let held = format!(
                            "{} holds {}={}",
                            copy.holder_words(),
                            copy.key,
                            copy.entry.version
                        );
                        let db = primary_words(world, copy.key);
                        let has = world.committed(copy.key);
                        // In write-behind the newest acknowledged write may be only in a
                        // queue: name where it is, and what the database has (review
                        // session 12, R7: "the database has v2" of a database at v1).
                        return Err(if want == has {
                            format!("{held} but {db} has {want}")
                        } else {
                            format!(
                                "{held} but the latest write the cache has acknowledged, {want}, is still in \
                                 the write-behind queue ({db} has {has})"
                            )
                        });
                    }
                }
                Ok(())
            }
            Invariant::NoLostWrite => {
                for (key, version) in &world.books.acked {
                    let have = world.committed(*key);
                    // A write in a durable write-behind log is on its way even while its
                    // cache is down: the log is on disk and replayed on restart.
                    let queued = world.nodes.caches().any(|(_, c)| {
                        c.queued(*key)
                            .max(c.logged(*key))
                            .is_some_and(|q| q >= *version)
                    });
                    if have < *version && !queued {
                        return Err(format!(
                            "{key}={version} was acknowledged but {} has {have} and no queue or durable log holds it",
                            primary_words(world, *key)
                        ));
                    }
                }
                Ok(())
            }
            Invariant::NoLostEvent => {
                for (key, version) in &world.books.relied {
                    let handled = world.books.delivered.get(key).is_some_and(|d| d >= version);
                    if !handled && !event_on_its_way(world, *key, *version) {
                        return Err(format!(
                            "the change {key}={version} was committed but its event exists nowhere: the cache will \
                             never hear of it"
                        ));
                    }
                }
                Ok(())
            }
        }
    }
}

/// One cached copy of a key: an entry of a cache node (`cache`, `cache-2`, …) or of
/// a service instance's near cache. Every copy is checked (`cache-matches-db`),
/// wherever it is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CachedCopy {
    /// The node that holds it.
    pub holder: NodeId,
    /// In a service's near cache (`near.rs`), not a cache node.
    pub near: bool,
    pub key: Key,
    pub entry: Entry,
}

impl CachedCopy {
    /// Who holds it, as the invariant's words say: `the cache` for the first cache
    /// node, else its id.
    pub fn holder_words(&self) -> String {
        if self.near {
            format!("{}'s near cache", self.holder)
        } else if self.holder == NodeId::Cdn {
            "the CDN edge".to_string()
        } else if self.holder == NodeId::CACHE {
            "the cache".to_string()
        } else {
            self.holder.to_string()
        }
    }
}

/// Every cached copy in `world`, live or not: the CDN edge's stored responses, the
/// near caches of the service instances, then the cache nodes, node by node in id
/// order, then key order.
pub fn copies(world: &World) -> impl Iterator<Item = CachedCopy> + '_ {
    let edge = world.nodes.cdns().flat_map(|(holder, cdn)| {
        cdn.entries.iter().map(move |(key, e)| CachedCopy {
            holder,
            near: false,
            key: *key,
            entry: Entry {
                version: e.version,
                expires_ms: e.expires_ms,
                delta_ms: 0,
            },
        })
    });
    let near = world.nodes.services().flat_map(|(holder, service)| {
        service.near.entries.iter().map(move |(key, e)| CachedCopy {
            holder,
            near: true,
            key: *key,
            entry: Entry {
                version: e.version,
                expires_ms: e.expires_ms,
                delta_ms: 0,
            },
        })
    });
    let nodes = world.nodes.caches().flat_map(|(holder, cache)| {
        cache.entries.iter().map(move |(key, entry)| CachedCopy {
            holder,
            near: false,
            key: *key,
            entry: *entry,
        })
    });
    edge.chain(near).chain(nodes)
}

/// The primary that owns `key`, in words: "the database", or its id where the
/// topology has several (`db-2`).
fn primary_words(world: &World, key: crate::sim::ids::Key) -> String {
    if world.nodes.dbs().nth(1).is_some() {
        crate::sim::config::Shards::of(&world.config.topology)
            .owner(key)
            .to_string()
    } else {
        "the database".to_string()
    }
}
