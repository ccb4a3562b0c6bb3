//! Every fault leaves the state its mechanism promises, wherever it strikes: checked
//! by injecting every offered fault at many points of random runs of every scenario
//! (and of the sandbox's patterns). A crash loses exactly what the node keeps in
//! memory; what is on disk (the database, a durable log, the write-behind disk log,
//! the outbox table) survives; a restart brings back only that.
use cachescope::sim::msg::Payload;
use cachescope::sim::rng::Rng;
use cachescope::sim::sandbox::{Guarantee, Pattern, SandboxSpec};
use cachescope::sim::world::{Event, TimerKind, World};
use cachescope::sim::{scenarios, Fault, Fixes, NodeId, NodeStatus, Run};

fn check(before: &World, fault: Fault) {
    let mut w = before.clone();
    w.step(Event::Fault(fault)).expect("an offered fault fires");
    let ctx = || format!("{fault} at {} ms", before.now_ms);
    // the database keeps every committed row and the outbox, whatever happens; an
    // abort takes away its open transaction and leaves no other trace
    let mut kept = before.db().clone();
    if let Fault::Abort(client) = fault {
        assert!(kept.abort(client).is_some(), "{}: it was open", ctx());
    }
    // a crash of the database rolls back its open transactions (never committed), and
    // the UPDATEs waiting for their row locks are lost with their connections
    if fault == Fault::Crash(NodeId::DB) {
        for t in before.db().txns.clone() {
            kept.abort(t.client);
        }
        kept.lock_waits.clear();
    }
    // An abort frees its row lock: the oldest UPDATE waiting for it opens its
    // transaction (a new, uncommitted change) and is answered `TxUpdated`. That UPDATE
    // may be the aborted client's own (a duplicated request waiting behind its first
    // copy): it gets a new transaction, with a version after the rolled-back one.
    let mut answered = None;
    if let Fault::Abort(client) = fault {
        let granted: Vec<_> = w
            .db()
            .txns
            .iter()
            .filter(|t| !kept.txns.contains(t))
            .copied()
            .collect();
        assert!(granted.len() <= 1, "{}", ctx());
        for t in granted {
            let at = kept
                .lock_waits
                .iter()
                .position(|l| (l.client, l.key) == (t.client, t.key));
            assert!(at.is_some(), "{}: only a waiting UPDATE opens", ctx());
            let waited = kept.lock_waits.remove(at.unwrap_or(0));
            kept.txns.push(t);
            answered = Some((waited.from, t.key, t.version));
        }
        // The aborted client holds no transaction but one its waiting UPDATE got now.
        let own: Vec<_> = w.db().txns.iter().filter(|t| t.client == client).collect();
        assert!(
            own.is_empty() || (own.len() == 1 && answered.is_some()),
            "{}",
            ctx()
        );
    }
    assert_eq!(w.db(), &kept, "{}", ctx());
    match fault {
        // a partitioned node runs on with its memory; only its messages are cut
        Fault::Partition(node) => {
            assert_eq!(w.status_of(node), NodeStatus::Partitioned, "{}", ctx());
            assert_eq!(w.nodes.get(node), before.nodes.get(node), "{}", ctx());
        }
        Fault::Heal(node) => assert!(w.is_up(node), "{}", ctx()),
        // a cut link: every node runs on with its memory and its status; the link is cut
        Fault::PartitionLink(link) => {
            assert!(w.cuts.contains(&link), "{}", ctx());
            assert_eq!(w.status, before.status, "{}", ctx());
            assert_eq!(w.nodes, before.nodes, "{}", ctx());
        }
        Fault::HealLink(link) => assert!(!w.cuts.contains(&link), "{}", ctx()),
        Fault::Crash(node) => {
            assert_eq!(w.status_of(node), NodeStatus::Down, "{}", ctx());
            // What it sent before dying stays in flight (its kernel flushes it before
            // the FIN), and so does what is on its way to it, to be lost on arrival or
            // at its restart (review session 16, F4).
            for m in &before.net {
                assert!(w.net.contains(m), "{}: {} stays in flight", ctx(), m.id);
            }
            assert!(
                w.timers
                    .iter()
                    .all(|t| t.owner != node || matches!(t.kind, TimerKind::Restart { .. })),
                "{}: a dead node's timers are gone",
                ctx()
            );
            assert_eq!(w.books.crashes_of(node), before.books.crashes_of(node) + 1);
            match node {
                NodeId::CACHE => {
                    assert!(
                        w.cache().entries.is_empty(),
                        "{}: a crashed cache is empty",
                        ctx()
                    );
                    assert!(w.cache().leases.is_empty() && w.cache().locks.is_empty());
                    assert!(w.cache().tombstones.is_empty());
                    assert!(
                        w.cache().queue.is_empty(),
                        "{}: the volatile queue is gone",
                        ctx()
                    );
                    assert_eq!(
                        w.cache().log,
                        before.cache().log,
                        "{}: the disk log stays",
                        ctx()
                    );
                }
                NodeId::CONSUMER => {
                    assert!(w.consumer().inbox.is_empty() && w.consumer().busy.is_none());
                }
                NodeId::SERVICE => {
                    assert!(
                        w.service().flows.is_empty() && w.service().loading.is_empty(),
                        "{}",
                        ctx()
                    );
                }
                NodeId::RELAY => assert!(!w.relay().working),
                NodeId::BUS if before.bus().durable => {
                    assert_eq!(
                        w.bus(),
                        before.bus(),
                        "{}: a durable log keeps everything",
                        ctx()
                    );
                }
                NodeId::BUS => assert!(
                    w.bus().log.is_empty(),
                    "{}: at-most-once keeps nothing",
                    ctx()
                ),
                NodeId::Replica(_) => {
                    assert_eq!(
                        w.replica(),
                        before.replica(),
                        "{}: rows and position on disk",
                        ctx()
                    );
                }
                NodeId::FLUSHER | NodeId::DB => {
                    assert_eq!(w.cache().queue, before.cache().queue, "{}", ctx());
                }
                _ => {}
            }
            if node != NodeId::CACHE {
                assert_eq!(
                    w.cache(),
                    before.cache(),
                    "{}: only the cache's crash touches it",
                    ctx()
                );
            }
        }
        Fault::Restart(node) => {
            assert!(w.is_up(node), "{}", ctx());
            // A restarted process starts with no connections: nothing sent to it
            // before reaches it (review session 16, F4); the rest of the network is
            // untouched but for what the restart itself sends.
            assert!(
                w.net
                    .iter()
                    .all(|m| m.to != node || !before.net.iter().any(|b| b.id == m.id)),
                "{}: nothing sent before the restart reaches it",
                ctx()
            );
            for m in before.net.iter().filter(|m| m.to != node) {
                assert!(w.net.contains(m), "{}: {} stays in flight", ctx(), m.id);
            }
            assert!(!w
                .timers
                .iter()
                .any(|t| t.kind == TimerKind::Restart { node }));
            if node == NodeId::CACHE {
                let keys: Vec<_> = w.cache().entries.keys().copied().collect();
                let mut logged: Vec<_> = before.cache().log.iter().map(|(k, _)| *k).collect();
                logged.sort();
                logged.dedup();
                let mut before_keys: Vec<_> = before.cache().entries.keys().copied().collect();
                before_keys.extend(logged);
                before_keys.sort();
                before_keys.dedup();
                assert!(
                    keys.iter().all(|k| before_keys.contains(k)),
                    "{}: a restarted cache holds only what its disk log replays",
                    ctx()
                );
            }
        }
        Fault::Pause(node) => {
            assert_eq!(w.status_of(node), NodeStatus::Paused);
            for e in w.enabled() {
                assert_ne!(
                    w.actor(e),
                    Some(node),
                    "{}: a paused node does nothing",
                    ctx()
                );
            }
        }
        Fault::Resume(node) => assert!(w.is_up(node)),
        // Memory pressure: that key's entry goes, and nothing else the cache keeps.
        Fault::Evict { cache, key } => {
            match cache {
                NodeId::Cache(_) => {
                    let (a, b) = (
                        before.nodes.cache(cache).unwrap(),
                        w.nodes.cache(cache).unwrap(),
                    );
                    assert!(a.entries.get(&key).is_some() && b.entries.get(&key).is_none());
                    let mut kept = a.entries.clone();
                    kept.remove(&key);
                    assert_eq!(b.entries, kept, "{}", ctx());
                    assert_eq!((&b.tombstones, &b.leases), (&a.tombstones, &a.leases));
                }
                NodeId::Service(_) => {
                    let (a, b) = (
                        &before.nodes.service(cache).unwrap().near.entries,
                        &w.nodes.service(cache).unwrap().near.entries,
                    );
                    let mut kept = a.clone();
                    assert!(kept.remove(&key).is_some(), "{}", ctx());
                    assert_eq!(b, &kept, "{}", ctx());
                }
                _ => {
                    let (a, b) = (
                        &before.nodes.cdn(cache).unwrap().entries,
                        &w.nodes.cdn(cache).unwrap().entries,
                    );
                    let mut kept = a.clone();
                    assert!(kept.remove(&key).is_some(), "{}", ctx());
                    assert_eq!(b, &kept, "{}", ctx());
                }
            }
            assert_eq!(w.status, before.status, "{}", ctx());
            assert_eq!(w.metrics.evictions, before.metrics.evictions + 1);
        }
        // The consumer runs on with its memory; its connection is gone with what was on it.
        Fault::Disconnect(c) => {
            let bus = w.nodes.consumer(c).unwrap().settings.bus;
            assert_eq!(w.nodes.consumer(c), before.nodes.consumer(c), "{}", ctx());
            assert!(w.nodes.bus(bus).unwrap().cut.contains(&c), "{}", ctx());
            assert!(
                w.net
                    .iter()
                    .all(|m| (m.from, m.to) != (bus, c) && (m.from, m.to) != (c, bus)),
                "{}",
                ctx()
            );
            assert_eq!(w.status, before.status, "{}", ctx());
        }
        Fault::Resubscribe(c) => {
            let bus = w.nodes.consumer(c).unwrap().settings.bus;
            assert_eq!(w.nodes.consumer(c), before.nodes.consumer(c), "{}", ctx());
            assert!(w
                .net
                .iter()
                .any(|m| (m.from, m.to, m.payload) == (c, bus, Payload::Subscribe)));
        }
        // Checked above: the transaction is gone and nothing else in the database moved;
        // on the network only the answer to the UPDATE it let through, if one waited.
        Fault::Abort(_) => match answered {
            None => assert_eq!(w.net, before.net, "{}", ctx()),
            Some((to, key, version)) => {
                assert_eq!(w.net[..before.net.len()], before.net[..], "{}", ctx());
                let reply = &w.net[before.net.len()..];
                assert_eq!(reply.len(), 1, "{}", ctx());
                assert_eq!(
                    (reply[0].to, reply[0].payload),
                    (to, Payload::TxUpdated { key, version }),
                    "{}",
                    ctx()
                );
            }
        },
        Fault::Drop(m) => {
            assert!(w.net.iter().all(|x| x.id != m));
            assert_eq!(w.net.len() + 1, before.net.len());
        }
        Fault::Delay(m) => {
            let old = before.net.iter().find(|x| x.id == m).unwrap();
            let new = if matches!(
                old.payload,
                Payload::Change { .. } | Payload::Replicate { .. }
            ) {
                // A replication stream is one TCP connection: a late change keeps
                // its place and holds back the ones behind it.
                let at = before.net.iter().position(|x| x.id == m).unwrap();
                &w.net[at]
            } else {
                w.net.last().unwrap()
            };
            assert_eq!(new.id, m, "{}: a delayed message goes to the back", ctx());
            // Held back from now, or from its arrival if that is still to come.
            assert_eq!(
                new.arrive_ms,
                old.arrive_ms.max(before.now_ms) + w.config.fault_delay_ms
            );
            assert_eq!(w.net.len(), before.net.len());
        }
        Fault::Duplicate(m) => {
            let old = before.net.iter().find(|x| x.id == m).unwrap();
            let copy = w.net.last().unwrap();
            assert_ne!(copy.id, m);
            assert_eq!(
                (copy.from, copy.to, copy.payload),
                (old.from, old.to, old.payload)
            );
            assert_eq!(w.net.len(), before.net.len() + 1);
        }
    }
}

fn explore(mut run: Run, seed: u64, points: usize) -> usize {
    let mut rng = Rng::new(seed);
    let mut checked = 0;
    for _ in 0..points {
        // a few random steps (and now and then a fault), then every offered fault
        for _ in 0..=rng.below(4) {
            let w = run.world();
            // The walk places every kind of fault (evict, disconnect and resubscribe
            // too), so the faults below are also checked after them.
            let faults: Vec<Event> = w.faults();
            let en = w.enabled();
            let e = if !faults.is_empty() && rng.below(6) == 0 {
                faults[rng.below(faults.len() as u64) as usize]
            } else if en.is_empty() {
                break;
            } else {
                en[rng.below(en.len() as u64) as usize]
            };
            run.fire(e).unwrap();
        }
        for f in run.world().faults() {
            check(run.world(), f.fault().unwrap());
            checked += 1;
        }
        if run.world().enabled().is_empty() {
            break;
        }
    }
    checked
}

#[test]
fn every_fault_keeps_its_promise_in_every_scenario() {
    let mut n = 0;
    for (i, s) in scenarios::ALL.iter().enumerate() {
        let mut sets = vec![Fixes::none()];
        sets.extend(s.fixes.iter().map(|f| Fixes::parse(s, [f.id]).unwrap()));
        for (j, fixes) in sets.into_iter().enumerate() {
            n += explore(Run::with_default_seed(s, fixes), (i * 10 + j) as u64, 12);
        }
    }
    assert!(n > 2_000, "{n}");
}

#[test]
fn every_fault_keeps_its_promise_in_the_sandbox() {
    let mut n = 0;
    for (i, p) in Pattern::ALL.into_iter().enumerate() {
        for bus in [Guarantee::AtMostOnce, Guarantee::AtLeastOnce] {
            let spec = SandboxSpec {
                readers: 2,
                writers: 2,
                keys: 1,
                bus,
                ..SandboxSpec::new(p)
            };
            let s = spec.scenario();
            let mut sets = vec![Fixes::none()];
            sets.extend(s.fixes.iter().map(|f| Fixes::parse(s, [f.id]).unwrap()));
            for fixes in sets {
                n += explore(Run::new_sandbox(spec.clone(), fixes, 1), i as u64, 8);
            }
        }
    }
    assert!(n > 500, "{n}");
    // and with the production parts: a replica, transactions (aborts), negative
    // caching, an invalidator and a second region on every pattern
    let mut n = 0;
    for (i, p) in Pattern::ALL.into_iter().enumerate() {
        use cachescope::sim::config::{Hook, NegativeConfig, TxnConfig};
        let parts = cachescope::sim::sandbox::Parts {
            txn: Some(TxnConfig {
                hook: Hook::InTransaction,
                cache_aware: i % 2 == 0,
            }),
            negative: Some(NegativeConfig {
                ttl_ms: 100,
                invalidate_on_insert: true,
            }),
            invalidator: true,
            second_region: true,
            remote_marker: i % 2 == 1,
            ..Default::default()
        };
        let spec = SandboxSpec {
            readers: 2,
            writers: 2,
            keys: 1,
            parts,
            ..SandboxSpec::new(p)
        };
        n += explore(Run::new_sandbox(spec, Fixes::none(), 1), i as u64, 8);
    }
    assert!(n > 40, "{n}");
}

#[test]
fn a_durable_write_behind_log_survives_a_crash_and_is_replayed() {
    let s = scenarios::find("write-behind-crash").unwrap();
    let mut r = Run::with_default_seed(s, Fixes::parse(s, ["durable-queue"]).unwrap());
    while r.world().cache().log.is_empty() {
        assert!(r.forward());
    }
    let log = r.world().cache().log.clone();
    r.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
    assert!(r.world().cache().entries.is_empty());
    assert_eq!(r.world().cache().log, log);
    r.fire(Event::Fault(Fault::Restart(NodeId::CACHE))).unwrap();
    for (k, v) in &log {
        assert!(r
            .world()
            .cache()
            .entries
            .get(k)
            .is_some_and(|e| e.version >= *v));
        assert!(r.world().cache().queued(*k).is_some());
    }
}
