//! Which known race a counterexample is, so the page can say so and link to the
//! scenario that teaches it.
//!
//! The stale-set race (`stale-set-race`): a read misses while the value it will load
//! is still the latest, a newer version is committed (or, in write-behind,
//! acknowledged) before the read's set reaches the cache, the set stores the older
//! value anyway, and nothing replaces it before the run ends: the read straddles the
//! write. The race needs the write's invalidation (a delete, or write-through's or
//! write-behind's own set) to reach that cache node between the read's miss and its
//! set: a late set with no invalidation in between is a lost invalidation (the reply
//! that would have triggered the delete dropped, say), which a lease cannot stop and
//! the scenario does not teach. A read that misses after the write and loads an old
//! copy (a lagging replica) is another race: a lease does not stop it. Patterns whose own script ends ok (`cache-aside-write`,
//! `event-invalidation`, `hybrid`) and fixes that close only their scenario's own
//! window (`update-then-delete`, `durable-queue`, `durable-bus`, `outbox`) still have
//! this interleaving: a read that straddles the write.
//!
//! The refill from a lagging read replica (`replica-lag-refill`): a read misses when
//! the value it will load is already old (the write committed on the primary), loads
//! it from a read replica that has not applied the write yet, and its set stores it;
//! nothing replaces it before the run ends (the write's delete, or change data
//! capture's, came first or missed it). A lease does not stop it: the set carries a
//! valid token (review 29, E: `cross-region-read-your-writes`'s run was named no race).
//!
//! At a CDN edge the stale-set race is a response that left the origin before the
//! key's latest commit and was stored after the edge purged the key for it
//! (`cdn-purge-race`'s, whose narration calls it "the stale-set race, at the edge").
use crate::sim::books::Happened;
use crate::sim::ids::{FlowId, Key, NodeId, Version};
use crate::sim::msg::Payload;
use crate::sim::service::Stage;
use crate::sim::world::{Event, World};

/// The catalog scenario that teaches the stale-set race.
pub const STALE_SET: &str = "stale-set-race";
/// The catalog scenario that teaches the stale-set race at a CDN edge (a response
/// stored after the purge meant for it).
pub const EDGE_PURGE: &str = "cdn-purge-race";
/// The catalog scenario that teaches the refill from a lagging read replica.
pub const REPLICA_REFILL: &str = "replica-lag-refill";

/// The catalog scenario that teaches the race the run from `start` through `path`
/// ends in, if it is one the search recognises; `None` for any other run (or a path
/// that does not replay).
pub fn teaches(start: &World, path: &[Event]) -> Option<&'static str> {
    let mut world = start.clone();
    // Per cache node and key, whether the node's current entry was stored by a late
    // set of a loaded value (older than the version expected when it landed): every
    // cache node's copies, not only the first's.
    let mut late: Vec<((NodeId, Key), &'static str)> = Vec::new();
    // The requests whose database read a read replica answered.
    let mut from_replica: Vec<FlowId> = Vec::new();
    // Per request, the version expected of its key when its last get reached the cache,
    // and how many invalidations of that key the node had taken by then.
    let mut at_miss: Vec<(FlowId, Version, u32)> = Vec::new();
    // Per cache node and key, the invalidations it has taken: deletes, and sets that are
    // a write's own (not a read's fill).
    let mut invalidated: Vec<((NodeId, Key), u32)> = Vec::new();
    let taken = |inv: &[((NodeId, Key), u32)], copy: (NodeId, Key)| {
        inv.iter().find(|(c, _)| *c == copy).map_or(0, |(_, n)| *n)
    };
    let version_of = |w: &World, (node, k): &(NodeId, Key)| -> Option<Version> {
        w.nodes.cache(*node)?.entries.get(k).map(|e| e.version)
    };
    // Bounded by the path's length.
    for &event in path {
        let message = match event {
            Event::Deliver(id) => world.net.iter().find(|m| m.id == id),
            _ => None,
        };
        let mut stale_set = None;
        if let Some(m) = message {
            match (m.payload, m.flow) {
                (Payload::DbReadReply { .. }, Some(flow))
                    if matches!(m.from, NodeId::Replica(_)) =>
                {
                    from_replica.push(flow);
                }
                (Payload::Get { key }, Some(flow)) => {
                    at_miss.retain(|(f, _, _)| *f != flow);
                    at_miss.push((flow, world.expected(key), taken(&invalidated, (m.to, key))));
                }
                // A get that failed on the cache node's closed connection is read as a
                // miss (`service/closed.rs`): the read's miss is then.
                (Payload::Closed, _) => {
                    for f in world.nodes.service(m.to).into_iter().flat_map(|s| {
                        s.flows.iter().filter(|f| {
                            s.waits_on(f) == Some(m.from)
                                && matches!(
                                    f.stage,
                                    Stage::Lookup | Stage::Recheck | Stage::Locking
                                )
                        })
                    }) {
                        at_miss.retain(|(id, _, _)| *id != f.id);
                        at_miss.push((
                            f.id,
                            world.expected(f.key),
                            taken(&invalidated, (m.from, f.key)),
                        ));
                    }
                }
                (Payload::Del { key, .. } | Payload::WbWrite { key }, _)
                | (
                    Payload::Set {
                        key,
                        loaded_at_ms: None,
                        ..
                    },
                    _,
                ) => match invalidated.iter_mut().find(|(c, _)| *c == (m.to, key)) {
                    Some((_, n)) => *n += 1,
                    None => invalidated.push(((m.to, key), 1)),
                },
                (
                    Payload::Set {
                        key,
                        version,
                        loaded_at_ms: Some(_),
                        ..
                    },
                    Some(flow),
                ) => {
                    // The value was the latest when the read missed, is no longer when
                    // its set lands, and the write's invalidation reached this node in
                    // between.
                    let now_taken = taken(&invalidated, (m.to, key));
                    let straddles = at_miss.iter().any(|(f, latest, before)| {
                        *f == flow && version >= *latest && now_taken > *before
                    });
                    // Or it was already old when the read missed, read from a replica.
                    let lagged = from_replica.contains(&flow)
                        && at_miss
                            .iter()
                            .any(|(f, latest, _)| *f == flow && version < *latest);
                    if version < world.expected(key) {
                        if straddles {
                            stale_set = Some(((m.to, key), version, STALE_SET));
                        } else if lagged {
                            stale_set = Some(((m.to, key), version, REPLICA_REFILL));
                        }
                    }
                }
                _ => {}
            }
        }
        let before: Vec<_> = late
            .iter()
            .map(|(k, race)| (*k, *race, version_of(&world, k)))
            .collect();
        world.step_quiet(event).ok()?;
        // An entry that changed (or went) is no longer the late set's.
        late = before
            .into_iter()
            .filter(|(k, _, v)| version_of(&world, k) == *v)
            .map(|(k, race, _)| (k, race))
            .collect();
        if let Some((copy, version, race)) = stale_set {
            let stored = version_of(&world, &copy) == Some(version);
            if stored && !late.iter().any(|(c, _)| *c == copy) {
                late.push((copy, race));
            }
        }
    }
    let stale_at_end = |(node, k): &(NodeId, Key)| {
        world
            .nodes
            .cache(*node)
            .and_then(|c| c.entries.get(k))
            .is_some_and(|e| e.expires_ms > world.now_ms && e.version < world.expected(*k))
    };
    // The stale-set race at a CDN edge (review 30, H: the run's ending named it, the
    // result did not): the books' `EdgeRaced`, a stored response that left the origin
    // before the key's latest commit and arrived after the edge purged the key for it,
    // its copy still stale at the end.
    let edge_raced = world.nodes.cdns().any(|(_, cdn)| {
        cdn.entries.iter().any(|(k, e)| {
            e.expires_ms > world.now_ms
                && e.version < world.expected(*k)
                && world.books.happened.contains(&Happened::EdgeRaced(*k))
        })
    });
    // The stale-set race first, where a run has both.
    let mut races = late
        .iter()
        .filter(|(copy, _)| stale_at_end(copy))
        .map(|(_, r)| *r);
    let first = races.next();
    if first == Some(STALE_SET) || races.any(|r| r == STALE_SET) {
        Some(STALE_SET)
    } else if edge_raced {
        Some(EDGE_PURGE)
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::file;
    use crate::sim::scenarios;
    use crate::sim::{Fixes, Run};

    /// The stale-set race played by `service-2`, which reads and fills `cache-2`: the
    /// late set lands in the second cache node, and the race is recognised there.
    #[test]
    fn a_late_set_into_a_second_cache_node_is_the_stale_set_race() {
        let s = scenarios::find(STALE_SET).unwrap();
        let text = file::to_json(s);
        let topology = r#""topology": [
      {"id": "cache-2"},
      {"id": "service-2", "cache": "cache-2"},
      {"id": "reader", "service": "service-2"},
      {"id": "writer", "service": "service-2"}
    ],
    "#;
        let at = text.find("\"settings\": {").unwrap() + "\"settings\": {".len();
        let text = format!("{}\n    {topology}{}", &text[..at], &text[at..]);
        let s = file::from_json(&text)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_scenario();
        let mut run = Run::new(s, Fixes::none(), s.seed);
        let start = run.world().clone();
        run.run_to_end();
        let cache2 = NodeId::Cache(2);
        let held = run
            .world()
            .nodes
            .cache(cache2)
            .and_then(|c| c.entries.get(&Key(1)));
        assert_eq!(held.map(|e| e.version), Some(Version(1)));
        assert!(run.world().cache().entries.is_empty());
        assert_eq!(teaches(&start, &run.choices()), Some(STALE_SET));
    }
}
