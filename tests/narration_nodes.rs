//! Narration names the node that acted (issue 8, item 3): where a topology has more
//! than one service instance or cache node (a pool, near caches, a second region),
//! every narrated step names the instance and the cache node the trace says it is
//! about, never the ambiguous "the service" or "the cache"; the classic topology keeps
//! its words (its snapshots are unchanged).
use cachescope::sim::ids::{Key, NodeId, Version};
use cachescope::sim::msg::Payload;
use cachescope::sim::rng::Rng;
use cachescope::sim::scenario::file;
use cachescope::sim::world::StepRecord;
use cachescope::sim::{scenarios, Event, Fault, Fixes, Run, World};

/// `base` with `settings` (JSON members) added to its settings, as scenario `id`.
fn with_settings(base: &str, id: &str, settings: &str) -> &'static cachescope::sim::Scenario {
    let s = scenarios::find(base).unwrap();
    let text =
        file::to_json(s).replace(&format!("\"id\": \"{base}\""), &format!("\"id\": \"{id}\""));
    let at = text.find("\"settings\": {").expect("the file has settings") + "\"settings\": {".len();
    let text = format!("{}\n    {settings}{}", &text[..at], &text[at..]);
    file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .into_scenario()
}

/// A pool of two cache nodes, each filled by its own service instance: the reader is
/// served by `service-2`, which reads and fills `cache-2` (tests/copies.rs).
fn two_pools(base: &str) -> &'static cachescope::sim::Scenario {
    with_settings(
        base,
        "two-pools",
        r#""topology": [
      {"id": "cache-2"},
      {"id": "service-2", "cache": "cache-2"},
      {"id": "reader", "service": "service-2"}
    ],"#,
    )
}

/// Two instances with near caches sharing one cache node (tests/near.rs).
fn near_caches(tracking: bool) -> &'static cachescope::sim::Scenario {
    with_settings(
        "cache-aside-write",
        "near-caches",
        &format!(
            r#""topology": [
      {{"id": "service-2"}},
      {{"id": "reader", "service": "service-2"}}
    ],
    "near": {{"ttl_ms": 5000, "tracking": {tracking}}},"#
        ),
    )
}

/// A CDN edge in front of `service-2` (two pools, tests/cdn.rs): the reader and the
/// writer go through the edge, whose origin is `service-2` and its `cache-2`.
fn cdn_over_pools() -> &'static cachescope::sim::Scenario {
    with_settings(
        "cache-aside-write",
        "cdn-over-pools",
        r#""topology": [
      {"id": "cache-2"},
      {"id": "service-2", "cache": "cache-2"},
      {"id": "cdn", "service": "service-2"},
      {"id": "reader", "service": "cdn"},
      {"id": "writer", "service": "cdn"}
    ],"#,
    )
}

/// The CDN purge race over two primaries: `db-2` is the shard that owns `user:1`
/// (docs/scenarios.md's `{"id": "db-2", "keys": [...]}`), so the edge's words about the
/// database's row are about db-2's.
fn cdn_over_shards() -> &'static cachescope::sim::Scenario {
    let s = scenarios::find("cdn-purge-race").unwrap();
    let text = file::to_json(s)
        .replace("\"id\": \"cdn-purge-race\"", "\"id\": \"cdn-over-shards\"")
        .replacen(
            "\"topology\": [",
            "\"topology\": [\n      {\"id\": \"db-2\", \"keys\": [1]},",
            1,
        );
    file::from_json(&text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .into_scenario()
}

/// The multi-node scenarios: the second region of the catalog, with and without its
/// fix, two cache pools in three stories, near caches with and without tracking, a
/// CDN edge in front of the second pool.
fn scenarios_with_many() -> Vec<(&'static cachescope::sim::Scenario, Fixes)> {
    let region = scenarios::find("cross-region-read-your-writes").unwrap();
    let mut out = vec![
        (region, Fixes::none()),
        (region, Fixes::parse(region, ["remote-marker"]).unwrap()),
        (near_caches(false), Fixes::none()),
        (near_caches(true), Fixes::none()),
        (cdn_over_pools(), Fixes::none()),
    ];
    for base in ["cache-aside-write", "stale-set-race", "stampede"] {
        out.push((two_pools(base), Fixes::none()));
    }
    out
}

fn is_numbered(n: NodeId, kind: fn(u8) -> NodeId) -> bool {
    (1..=9).any(|i| kind(i) == n)
}

/// Whether `text` has `word` as a whole word (not inside `cache-2` or `cached`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '-')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
    })
}

/// What is wrong with how `rec` names the services and caches of `after` (the world
/// after the step; `before`, the one before it).
fn naming_errors(rec: &StepRecord, before: &World, after: &World) -> Vec<String> {
    let text = &rec.narration;
    let mut errors = Vec::new();
    let services: Vec<NodeId> = after.nodes.services().map(|(id, _)| id).collect();
    let caches: Vec<NodeId> = after.nodes.caches().map(|(id, _)| id).collect();
    for (kind, many) in [("service", services.len() > 1), ("cache", caches.len() > 1)] {
        if !many {
            continue;
        }
        for noun in [format!("The {kind}"), format!("the {kind}")] {
            // "the cache step" is a service's step, not a node.
            let bare = text.match_indices(&noun).any(|(at, _)| {
                let rest = &text[at + noun.len()..];
                !rest.starts_with(char::is_alphanumeric) && !rest.starts_with(" step")
            });
            if bare {
                errors.push(format!("says \"{noun}\" where there are several"));
            }
        }
    }
    // The step's own node, when it is a service or a cache of a kind with several.
    let acted = rec.actor;
    // The CDN edge's steps say it is the edge, and an origin they mention is the
    // edge's own, by name where there are several services.
    if acted == NodeId::Cdn && !text.is_empty() {
        let origin = after
            .nodes
            .cdn(NodeId::Cdn)
            .map(|c| c.settings.origin)
            .expect("the edge has an origin");
        if !text.contains("CDN edge") {
            errors.push("a step of the CDN edge does not say it is the edge".to_string());
        }
        if services.len() > 1 && text.contains("origin") && !has_word(text, &origin.to_string()) {
            errors.push(format!("speaks of the origin without naming {origin}"));
        }
    }
    // A client routed through the edge asks the edge, not a service.
    if rec.actor.is_client() && after.config.route(rec.actor).service == Some(NodeId::Cdn) {
        let asks = text.contains(" asks ");
        if asks && !text.contains("asks the CDN edge") {
            errors.push(format!(
                "says {} asks someone other than the CDN edge",
                rec.actor
            ));
        }
    }
    // A fault on a message is the network's act (the trace names its destination).
    let network = matches!(
        rec.event,
        Event::Fault(Fault::Drop(_) | Fault::Delay(_) | Fault::Duplicate(_))
    );
    let several = !network
        && ((is_numbered(acted, NodeId::Service) && services.len() > 1)
            || (is_numbered(acted, NodeId::Cache) && caches.len() > 1));
    // (A confirmation that arrives may be told as its sender's: "cache confirms".)
    let sender_named = rec
        .hop
        .is_some_and(|(from, _)| has_word(text, &from.to_string()));
    if several && !text.is_empty() && !has_word(text, &acted.to_string()) && !sender_named {
        errors.push(format!("does not name {acted}, which acted"));
    }
    // Every service or cache it names took part: it acted, sent what arrived, was
    // sent a message in the step, or is the cache node or instance of one that did.
    let sent = after
        .net
        .iter()
        .filter(|m| !before.net.iter().any(|b| b.id == m.id))
        .map(|m| m.to);
    let mut involved: Vec<NodeId> = [Some(acted), rec.hop.map(|h| h.0)]
        .into_iter()
        .flatten()
        .chain(sent)
        .chain(after.facts_by_node().filter_map(|(n, _)| n))
        .collect();
    // A fault on a message in flight (drop, delay, duplicate) involves its two ends.
    if let Event::Fault(Fault::Drop(id) | Fault::Delay(id) | Fault::Duplicate(id)) = rec.event {
        if let Some(m) = before.net.iter().find(|m| m.id == id) {
            involved.extend([m.from, m.to]);
        }
    }
    // The CDN edge's step may say what its origin did or did not do.
    if acted == NodeId::Cdn {
        involved.extend(after.nodes.cdn(NodeId::Cdn).map(|c| c.settings.origin));
    }
    let their_caches: Vec<NodeId> = involved
        .iter()
        .filter_map(|n| after.nodes.service(*n).map(|s| s.settings.cache))
        .collect();
    involved.extend(their_caches);
    for node in services.iter().chain(&caches) {
        if *node == NodeId::SERVICE || *node == NodeId::CACHE {
            // "service" and "cache" are also common nouns ("its near cache").
            continue;
        }
        // A commit names each cache node that still holds an older copy (checked
        // against that node below).
        let holder = text.contains(&format!("{node} still holds"));
        if has_word(text, &node.to_string()) && !involved.contains(node) && !holder {
            errors.push(format!("names {node}, which took no part"));
        }
    }
    // What a named cache node is said to hold is what that node holds.
    for id in &caches {
        let name = id.to_string();
        let holds_after = |k: Key| after.nodes.cache(*id).and_then(|c| c.live(k, after.now_ms));
        let held_before = |k: Key| {
            before
                .nodes
                .cache(*id)
                .and_then(|c| c.live(k, after.now_ms))
        };
        for (at, _) in text.match_indices(&name) {
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let rest = &text[at + name.len()..];
            if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let claim = |prefix: &str| -> Option<(Key, Version)> {
                let r = rest.strip_prefix(prefix)?;
                let (k, r) = key_version(r)?;
                Some((k, r))
            };
            if let Some((k, v)) = claim(" stores ") {
                if holds_after(k).map(|e| e.version) != Some(v) {
                    errors.push(format!(
                        "says {name} stores {k} = {v}, but it holds {:?}",
                        holds_after(k)
                    ));
                }
            }
            if let Some((k, v)) = claim(" has ") {
                if held_before(k).map(|e| e.version) != Some(v) {
                    errors.push(format!(
                        "says {name} has {k} = {v}, but it held {:?}",
                        held_before(k)
                    ));
                }
            }
            if let Some(r) = rest.strip_prefix(" still holds v") {
                let n: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
                let v = Version(n.parse().unwrap_or(0));
                let key = rec.outcome.strip_prefix("committed ").and_then(|_| {
                    after
                        .nodes
                        .cache(*id)?
                        .entries
                        .iter()
                        .find(|(_, e)| e.version == v)
                        .map(|(k, _)| *k)
                });
                if key.is_none() {
                    errors.push(format!(
                        "says {name} still holds {v}, but it holds no such copy"
                    ));
                }
            }
        }
    }
    // A delete said to be on its way to the cache that stores a stale copy is on its
    // way to that cache, not another.
    for (at, _) in text.match_indices("the delete of user:") {
        let rest = &text[at + "the delete of user:".len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let on_way = rest[digits.len()..].starts_with(" already on its way");
        if let (true, Ok(n), NodeId::Cache(_)) = (on_way, digits.parse::<u16>(), acted) {
            let k = Key(n);
            let to_it = after.net.iter().any(|m| {
                m.to == acted && matches!(m.payload, Payload::Del { key, .. } if key == k)
            });
            if !to_it {
                errors.push(format!(
                    "says a delete of {k} is on its way to {acted}, but none is"
                ));
            }
        }
    }
    // Each cache node that holds an older copy than a commit is named at the commit.
    if let Some(committed) = rec.outcome.strip_prefix("committed v") {
        let v = Version(committed.parse().unwrap_or(0));
        for id in caches.iter().filter(|_| caches.len() > 1) {
            let older = after
                .nodes
                .cache(*id)
                .into_iter()
                .flat_map(|c| c.entries.iter())
                .any(|(k, e)| {
                    e.expires_ms > after.now_ms && e.version < v && after.db().read(*k) == v
                });
            if older && !text.contains(&format!("{id} still holds")) {
                errors.push(format!("does not say {id} still holds an older copy"));
            }
        }
    }
    errors
}

/// `user:N = vM` at the start of `s`.
fn key_version(s: &str) -> Option<(Key, Version)> {
    let rest = s.strip_prefix("user:")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = rest[digits.len()..].strip_prefix(" = v")?;
    let v: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some((Key(digits.parse().ok()?), Version(v.parse().ok()?)))
}

fn check(run: &Run, what: &str) -> usize {
    let mut wrong = Vec::new();
    for (i, rec) in run.records().iter().enumerate() {
        let (before, after) = (run.state(i).unwrap(), run.state(i + 1).unwrap());
        // The facts of the step are those of the world after it, replayed.
        let mut replay = before.clone();
        replay.step(rec.event).unwrap();
        for e in naming_errors(rec, before, &replay) {
            wrong.push(format!(
                "{what} step {} ({rec}): {e}\n    {}",
                i + 1,
                rec.narration
            ));
        }
        assert_eq!(&replay, after);
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    run.records().len()
}

#[test]
fn every_step_of_the_stories_names_the_node_that_acted() {
    let mut named = 0;
    for (s, fixes) in scenarios_with_many() {
        let mut run = Run::new(s, fixes.clone(), s.seed);
        run.run_to_end();
        check(&run, &format!("{} {:?}", s.id, fixes.ids()));
        named += run
            .records()
            .iter()
            .filter(|r| r.narration.contains("service-2") || r.narration.contains("cache-2"))
            .count();
    }
    assert!(named > 20, "only {named} steps name a second node");
}

/// Two pools: when the writer's commit lands, the reader's pool still holds v1, and
/// the commit says so by name (the first cache holds nothing).
#[test]
fn a_commit_names_each_cache_node_that_still_holds_an_older_copy() {
    let s = two_pools("cache-aside-write");
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let commit = run
        .records()
        .iter()
        .find(|r| r.outcome == "committed v2")
        .expect("the write commits");
    assert!(
        commit.narration.contains("cache-2 still holds v1"),
        "{}",
        commit.narration
    );
    assert!(!commit.narration.contains("The cache still holds"));
}

/// The same in seeded orders, some with faults (at most 3 a run, so it ends).
#[test]
fn every_step_names_the_node_that_acted_in_other_orders_and_with_faults() {
    let mut steps = 0;
    for (s, fixes) in scenarios_with_many() {
        for seed in 0..12u64 {
            let mut run = Run::new(s, fixes.clone(), s.seed);
            let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(17));
            let mut injected = 0;
            // Bounded: a run has at most MAX_STEPS steps.
            for _ in 0..cachescope::sim::run::MAX_STEPS {
                let w = run.world().clone();
                let enabled = w.enabled();
                if enabled.is_empty() {
                    break;
                }
                let event = if seed % 3 == 2 && injected < 3 && rng.below(8) == 0 {
                    injected += 1;
                    let all = w.faults();
                    all[rng.below(all.len() as u64) as usize]
                } else {
                    enabled[rng.below(enabled.len() as u64) as usize]
                };
                if run.fire(event).is_err() {
                    break;
                }
            }
            steps += check(&run, &format!("{} {:?} seed {seed}", s.id, fixes.ids()));
        }
    }
    assert!(steps > 500, "only {steps} steps");
}

/// Through the CDN edge: the edge's steps name service-2, its origin, and a reader's
/// request is said to go to the edge; its hit is the edge's, not a service's.
#[test]
fn the_cdn_edge_names_its_origin_where_there_are_several_services() {
    let s = cdn_over_pools();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let edge: Vec<&StepRecord> = run
        .records()
        .iter()
        .filter(|r| r.actor == NodeId::Cdn && !r.narration.is_empty())
        .collect();
    assert!(edge.len() >= 4, "{} steps of the edge", edge.len());
    let stored = edge
        .iter()
        .find(|r| r.outcome.starts_with("cdn stored"))
        .expect("the edge stores the origin's answer");
    assert!(
        stored
            .narration
            .starts_with("service-2, the origin, answers"),
        "{}",
        stored.narration
    );
    assert!(run
        .records()
        .iter()
        .any(|r| r.narration.starts_with("reader asks the CDN edge to read")));
}

/// The classic topology keeps "the service" and "the cache".
#[test]
fn one_service_and_one_cache_keep_their_common_names() {
    let s = scenarios::find("cache-aside-read").unwrap();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    run.run_to_end();
    let text: String = run.records().iter().map(|r| r.narration.as_str()).collect();
    assert!(text.contains("The cache has no user:1"), "{text}");
    assert!(!text.contains("service-2") && !text.contains("cache-2"));
}

/// Over two primaries, the CDN edge names the one that owns the key (db-2) where it
/// says what the database has, and what it says db-2 has is db-2's row; in every order
/// of the story and with each fix. With one primary it keeps "the database"
/// (cdn-purge-race's snapshot is unchanged).
#[test]
fn the_cdn_edge_names_the_primary_that_owns_the_key() {
    let s = cdn_over_shards();
    let db2 = NodeId::parse("db-2").unwrap();
    let mut combos = vec![Fixes::none()];
    combos.extend(s.fixes.iter().map(|f| Fixes::parse(s, [f.id]).unwrap()));
    let (mut named, mut steps) = (0, 0);
    for fixes in combos {
        for seed in 0..8u64 {
            let mut run = Run::new(s, fixes.clone(), s.seed);
            let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(3));
            // Bounded: a run has at most MAX_STEPS steps; seed 0 is the story's order.
            for _ in 0..cachescope::sim::run::MAX_STEPS {
                let w = run.world().clone();
                let enabled = w.enabled();
                if enabled.is_empty() {
                    break;
                }
                let event = match seed {
                    0 => enabled[0],
                    _ => enabled[rng.below(enabled.len() as u64) as usize],
                };
                if run.fire(event).is_err() {
                    break;
                }
            }
            for (i, rec) in run.records().iter().enumerate() {
                if rec.actor != NodeId::Cdn {
                    continue;
                }
                steps += 1;
                let text = &rec.narration;
                let where_ = format!("{:?} seed {seed} step {}: {text}", fixes.ids(), i + 1);
                assert!(
                    !text.contains("the database") && !text.contains("The database"),
                    "{where_}"
                );
                let row = |w: &World| w.nodes.db(db2).unwrap().read(Key(1));
                let (before, after) = (run.state(i).unwrap(), run.state(i + 1).unwrap());
                for claim in [" db-2 has v", "db-2 already has v"] {
                    for (at, _) in text.match_indices(claim) {
                        let digits: String = text[at + claim.len()..]
                            .chars()
                            .take_while(|c| c.is_ascii_digit())
                            .collect();
                        let v = Version(digits.parse().unwrap());
                        assert!(v == row(after) || v == row(before), "{where_}");
                        named += 1;
                    }
                }
            }
        }
    }
    assert!(steps > 50, "only {steps} steps of the edge");
    assert!(named >= 8, "only {named} sentences name db-2's row");
    // One primary: the edge's words keep "the database".
    let one = scenarios::find("cdn-purge-race").unwrap();
    let mut run = Run::new(one, Fixes::none(), one.seed);
    run.run_to_end();
    let text: String = run.records().iter().map(|r| r.narration.as_str()).collect();
    assert!(text.contains("The database already has v2"), "{text}");
    assert!(!text.contains("db-2"));
}
