//! Sentences read against the state they describe (issue 8's narration leftovers):
//! where a miss says the service will load from is where its load goes, the
//! invalidator's deletes name the cache nodes they go to, and a crash of the CDN edge
//! says what the edge held by its own rule (its stored responses, its forwarded
//! requests).
mod common;
use cachescope::sim::ids::NodeId;
use cachescope::sim::msg::Payload;
use cachescope::sim::rng::Rng;
use cachescope::sim::{scenarios, Event, Fault, Fixes, Run, World};

/// Every catalog story with and without each fix, and the same in seeded orders.
fn runs() -> Vec<Run> {
    let mut out = Vec::new();
    for s in scenarios::ALL.iter().copied() {
        let mut combos: Vec<Vec<&str>> = vec![vec![]];
        combos.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in combos {
            let fixes = Fixes::parse(s, fixes.iter().copied()).unwrap();
            let mut story = Run::with_default_seed(s, fixes.clone());
            story.run_to_end();
            out.push(story);
            for seed in 0..4u64 {
                let mut run = Run::with_default_seed(s, fixes.clone());
                let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(3));
                // Bounded: a run has at most MAX_STEPS steps.
                for _ in 0..cachescope::sim::run::MAX_STEPS {
                    let enabled = run.world().enabled();
                    if enabled.is_empty() {
                        break;
                    }
                    let e = enabled[rng.below(enabled.len() as u64) as usize];
                    if run.fire(e).is_err() {
                        break;
                    }
                }
                out.push(run);
            }
        }
    }
    out
}

/// Messages in `after` that were not in `before`: the step's sends.
fn sent<'a>(
    before: &'a World,
    after: &'a World,
) -> impl Iterator<Item = &'a cachescope::sim::msg::Message> + 'a {
    after
        .net
        .iter()
        .filter(move |m| !before.net.iter().any(|b| b.id == m.id))
}

#[test]
fn a_miss_names_where_its_load_goes() {
    let mut checked = 0;
    let mut replica = 0;
    for run in runs() {
        for (i, rec) in run.records().iter().enumerate() {
            let Some(at) = rec.narration.find("must load it from ") else {
                continue;
            };
            let said = &rec.narration[at + "must load it from ".len()..];
            let said = &said[..said.find('.').unwrap()];
            let (before, after) = (run.state(i).unwrap(), run.state(i + 1).unwrap());
            // The miss reply to the service, and the flow it belongs to.
            let Some(flow) = sent(before, after)
                .find(|m| matches!(m.to, NodeId::Service(_)))
                .and_then(|m| m.flow)
            else {
                panic!(
                    "{} step {}: a miss with no reply: {rec}",
                    run.scenario.id,
                    i + 1
                );
            };
            // The load that follows on that flow, if the run gets that far.
            let load = (i + 1..run.records().len()).find_map(|j| {
                let (b, a) = (run.state(j).unwrap(), run.state(j + 1).unwrap());
                sent(b, a)
                    .find(|m| m.flow == Some(flow) && matches!(m.payload, Payload::DbRead { .. }))
                    .map(|m| m.to)
            });
            let Some(to) = load else { continue };
            let ok = match (said, to) {
                // With a replica, the primary is called so ("the database" else).
                ("the database", NodeId::Db(_)) => {
                    after.nodes.services().all(|(_, s)| !s.settings.has_replica)
                }
                ("the primary", NodeId::Db(_)) => true,
                ("its read replica", NodeId::Replica(_)) => {
                    replica += 1;
                    true
                }
                _ => false,
            };
            assert!(
                ok,
                "{} {:?} step {} says the load goes to {said}, but it goes to {to}: {}",
                run.scenario.id,
                run.fixes.ids(),
                i + 1,
                rec.narration
            );
            checked += 1;
        }
    }
    assert!(
        checked > 100 && replica > 3,
        "{checked} misses, {replica} to a replica"
    );
}

#[test]
fn the_invalidator_names_the_caches_it_deletes_from() {
    let mut checked = 0;
    for run in runs() {
        for (i, rec) in run.records().iter().enumerate() {
            if rec.actor != NodeId::INVALIDATOR || !rec.outcome.starts_with("del sent (") {
                continue;
            }
            let (before, after) = (run.state(i).unwrap(), run.state(i + 1).unwrap());
            let to: Vec<NodeId> = sent(before, after)
                .filter(|m| matches!(m.payload, Payload::Del { .. }))
                .map(|m| m.to)
                .collect();
            let one_cache = after.nodes.caches().nth(1).is_none();
            for node in &to {
                let named = if one_cache {
                    rec.narration.contains("from the cache:")
                } else {
                    rec.narration
                        .contains(&format!("from {node}, its region's cache"))
                        || rec.narration.contains(&format!("{node})"))
                        || rec.narration.contains(&format!("{node},"))
                };
                assert!(
                    named,
                    "{} step {}: {node} not named: {}",
                    run.scenario.id,
                    i + 1,
                    rec.narration
                );
            }
            assert!(
                !rec.narration.contains("from its region's cache"),
                "{}",
                rec.narration
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked}");
}

/// The edge crashes holding what it stored: the sentence counts its stored responses
/// and forwarded requests as the state before the crash has them, and the state after
/// has none.
#[test]
fn a_crash_of_the_cdn_edge_says_it_loses_its_stored_responses() {
    let mut run = common::cache_aside_write_with(
        "through-a-cdn",
        r#""topology": [{"id": "cdn", "service": "service"}, {"id": "reader", "service": "cdn"}],"#,
    );
    // Replay the story to the first moment the edge holds a response, then crash it.
    let s = run.scenario;
    let fixes = run.fixes.clone();
    run = Run::new(s, fixes, s.seed);
    let mut crashed = false;
    for _ in 0..cachescope::sim::run::MAX_STEPS {
        let w = run.world();
        let edge = w.nodes.cdn(NodeId::Cdn).unwrap();
        if !edge.entries.is_empty() {
            let (stored, forwarding) = (edge.entries.len(), edge.forwarded.len());
            let rec = run
                .fire(Event::Fault(Fault::Crash(NodeId::Cdn)))
                .unwrap()
                .clone();
            let want = if stored == 1 {
                "the 1 stored response".to_string()
            } else {
                format!("the {stored} stored responses")
            };
            assert!(rec.narration.contains(&want), "{}", rec.narration);
            assert!(
                rec.narration.contains("goes to the origin"),
                "{}",
                rec.narration
            );
            assert_eq!(
                forwarding > 0,
                rec.narration.contains("it was forwarding"),
                "{}",
                rec.narration
            );
            let after = run.world().nodes.cdn(NodeId::Cdn).unwrap();
            assert!(after.entries.is_empty() && after.forwarded.is_empty());
            crashed = true;
            break;
        }
        if !run.forward() {
            break;
        }
    }
    assert!(crashed, "the edge never stored a response");
}
