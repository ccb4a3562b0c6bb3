//! The sandbox with the production chapter's parts (`sandbox/parts.rs`): every part on
//! every pattern builds a world that runs to its end, its code reads back the same, and
//! the combinations the issue names behave as their mechanisms do: negative caching on
//! a lagging replica, a transaction-aware write-through with two writers, a second
//! region with and without remote markers.
use cachescope::sim::config::{Hook, NegativeConfig, ReadFrom, ReplicaConfig, TxnConfig};
use cachescope::sim::ids::Key;
use cachescope::sim::run::MAX_STEPS;
use cachescope::sim::sandbox::{self, Parts, Pattern, SandboxSpec};
use cachescope::sim::{Event, Fault, Fixes, Invariant, Run, World};

/// Every seeded interleaving the property tests look at.
const RUNS: u64 = 1_000;

fn replica(lag_ms: u64, miss_reads: ReadFrom) -> Option<ReplicaConfig> {
    Some(ReplicaConfig { lag_ms, miss_reads })
}

fn negative(ttl_ms: u64, invalidate_on_insert: bool) -> Option<NegativeConfig> {
    Some(NegativeConfig {
        ttl_ms,
        invalidate_on_insert,
    })
}

fn txn(hook: Hook, cache_aware: bool) -> Option<TxnConfig> {
    Some(TxnConfig { hook, cache_aware })
}

/// A spread of parts: each alone, and the combinations the issue names.
fn parts() -> Vec<Parts> {
    let none = Parts::default();
    vec![
        Parts {
            replica: replica(20, ReadFrom::Replica),
            ..none
        },
        Parts {
            replica: replica(5, ReadFrom::Primary),
            ..none
        },
        Parts {
            txn: txn(Hook::InTransaction, false),
            ..none
        },
        Parts {
            txn: txn(Hook::AfterCommit, true),
            ..none
        },
        Parts {
            negative: negative(300, false),
            ..none
        },
        Parts {
            negative: negative(50, true),
            replica: replica(20, ReadFrom::Replica),
            ..none
        },
        Parts {
            invalidator: true,
            ..none
        },
        Parts {
            second_region: true,
            invalidator: true,
            ..none
        },
        Parts {
            second_region: true,
            remote_marker: true,
            invalidator: true,
            replica: replica(40, ReadFrom::Replica),
            txn: txn(Hook::InTransaction, true),
            negative: negative(100, true),
        },
    ]
}

#[test]
fn every_part_on_every_pattern_runs_to_its_end() {
    for p in Pattern::ALL {
        for parts in parts() {
            for (readers, writers, keys) in [(1, 1, 1), (2, 2, 1)] {
                let spec = SandboxSpec {
                    readers,
                    writers,
                    keys,
                    parts,
                    ..SandboxSpec::new(p)
                }
                .clamped();
                let code = spec.code();
                assert_eq!(SandboxSpec::parse(&code), Ok(spec.clone()), "{code}");
                let s = spec.scenario();
                assert_eq!(sandbox::pattern_of(s), Some(p), "{code}");
                assert!(s.invariants.contains(&Invariant::ReadYourWrites));
                let mut sets = vec![Fixes::none()];
                sets.extend(s.fixes.iter().map(|f| Fixes::parse(s, [f.id]).unwrap()));
                for fixes in sets {
                    let mut a = Run::new_sandbox(spec.clone(), fixes.clone(), 1);
                    a.run_to_end();
                    assert!(a.at_end() && a.cursor() < MAX_STEPS, "{code} {fixes:?}");
                    let mut b = Run::new_sandbox(spec.clone(), fixes.clone(), 1);
                    b.run_to_end();
                    assert_eq!(a.trace(), b.trace(), "{code}: deterministic");
                    // Nobody waits; "Done." only where every invariant holds (review
                    // 20b, N8).
                    let e = s.epilogue(a.world(), &fixes);
                    assert!(
                        e.starts_with("Done. Every invariant holds")
                            || e.starts_with("Something is wrong: "),
                        "{code} {fixes:?}: {e}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_code_without_parts_is_the_classic_sandbox_and_a_bad_part_is_named() {
    let spec = SandboxSpec::parse("1.a211mn").unwrap();
    assert!(!spec.parts.any());
    assert!(std::ptr::eq(
        spec.scenario(),
        sandbox::scenario(Pattern::CacheAside)
    ));
    let spec = SandboxSpec::parse("1.t121m300.r20.tia.n500d.c.gm").unwrap();
    assert_eq!(spec.code(), "1.t121m300.r20.tia.n500d.c.gm");
    assert!(spec.parts.remote_marker && spec.parts.invalidator);
    let err = SandboxSpec::parse("1.a211mn.x").unwrap_err();
    assert_eq!(err.at, 9, "{err}");
    assert!(err.reason.contains("not a part"), "{err}");
    let err = SandboxSpec::parse("1.a211mn.r9999").unwrap_err();
    assert!(err.reason.contains("1 to 500"), "{err}");
    let err = SandboxSpec::parse("1.a211mn.tq").unwrap_err();
    assert_eq!(err.at, 10, "{err}");
    let err = SandboxSpec::parse("1.a211mn.c.c").unwrap_err();
    assert!(err.reason.contains("twice"), "{err}");
    // a remote marker needs the second region; a second region needs its replica
    let spec = SandboxSpec {
        parts: Parts {
            remote_marker: true,
            ..Parts::default()
        },
        ..SandboxSpec::new(Pattern::CacheAside)
    }
    .clamped();
    assert!(!spec.parts.any());
    let spec = SandboxSpec {
        parts: Parts {
            second_region: true,
            ..Parts::default()
        },
        ..SandboxSpec::new(Pattern::CacheAside)
    }
    .clamped();
    assert!(spec.parts.replica.is_some());
}

/// A run of `spec` whose every step is chosen at random among the enabled events,
/// and `abort` while a transaction is open when `aborts` (seeded: the same seed, the
/// same run).
/// `each` sees the world after every step.
fn walk_with(
    spec: &SandboxSpec,
    fixes: &Fixes,
    seed: u64,
    aborts: bool,
    mut each: impl FnMut(&World),
) -> Run {
    let mut run = Run::new_sandbox(spec.clone(), fixes.clone(), seed);
    let mut rng = cachescope::sim::rng::Rng::new(seed);
    // Bounded: a sandbox run ends well within MAX_STEPS.
    for _ in 0..MAX_STEPS {
        let w = run.world();
        let mut en = w.enabled();
        if aborts && !en.is_empty() {
            en.extend(
                w.faults()
                    .into_iter()
                    .filter(|e| matches!(e, Event::Fault(Fault::Abort(_)))),
            );
        }
        if en.is_empty() {
            break;
        }
        let pick = en[rng.below(en.len() as u64) as usize];
        run.fire(pick).expect("enabled");
        each(run.world());
    }
    run
}

fn walk(spec: &SandboxSpec, fixes: &Fixes, seed: u64) -> Run {
    walk_with(spec, fixes, seed, false, |_| {})
}

fn ryw_ok(w: &World) -> bool {
    Invariant::ReadYourWrites.check(w).is_ok()
}

/// The cache holds `absent` for a row the primary has.
fn absent_outlives_the_insert(w: &World) -> bool {
    w.cache()
        .live(Key(1), w.now_ms)
        .is_some_and(|e| e.version.0 == 0 && w.db().read(Key(1)).0 > 0)
}

#[test]
fn negative_caching_on_a_lagging_replica() {
    let on_replica = |invalidate_on_insert: bool| SandboxSpec {
        parts: Parts {
            negative: negative(300, invalidate_on_insert),
            replica: replica(20, ReadFrom::Replica),
            ..Parts::default()
        },
        ..SandboxSpec::new(Pattern::CacheAside)
    };
    // The rows start absent, the writer's first request inserts user:1.
    let spec = on_replica(false);
    let run = Run::new_sandbox(spec.clone(), Fixes::none(), 1);
    assert!(run.world().config.keys.is_empty());
    assert!(run.trace().is_empty() || !run.trace().contains("update user:1"));
    // Without the insert's delete, some order leaves the cached "not found" after the
    // insert; deleting on insert does not close it on a lagging replica: a miss after
    // the delete reads the replica, which has no row yet, and caches absent again.
    for (spec, what) in [
        (on_replica(false), "no delete"),
        (on_replica(true), "delete on insert"),
    ] {
        let stale = (0..RUNS).find(|seed| {
            let mut seen = false;
            walk_with(&spec, &Fixes::none(), *seed, false, |w| {
                seen |= absent_outlives_the_insert(w)
            });
            seen
        });
        assert!(
            stale.is_some(),
            "{what}: no run of {RUNS} caches absent after the insert"
        );
    }
    // The negative entry's TTL bounds it: at the end no run holds absent.
    for seed in 0..RUNS {
        let w = walk(&on_replica(true), &Fixes::none(), seed);
        assert!(
            !absent_outlives_the_insert(w.world()),
            "seed {seed}\n{}",
            w.trace()
        );
    }
}

/// The cache holds a version of user:1 the database never committed.
fn uncommitted_in_cache(w: &World) -> bool {
    w.cache().live(Key(1), w.now_ms).is_some_and(|e| {
        e.version > w.db().read(Key(1)) && !w.db().txns.iter().any(|t| t.version == e.version)
    })
}

#[test]
fn a_transaction_aware_write_through_with_two_writers() {
    let spec = |cache_aware: bool| SandboxSpec {
        writers: 2,
        parts: Parts {
            txn: txn(Hook::InTransaction, cache_aware),
            ..Parts::default()
        },
        ..SandboxSpec::new(Pattern::WriteThrough)
    };
    // The second writer's UPDATE waits for the first one's row lock.
    let mut run = Run::new_sandbox(spec(true), Fixes::none(), 1);
    run.run_to_end();
    assert!(
        run.trace().contains("waits for the row lock"),
        "{}",
        run.trace()
    );
    // With aborts among the events: the set inside the transaction leaves a version
    // that never committed in the cache in some run; held until COMMIT, never.
    let phantom = |aware: bool, seed: u64| {
        let mut seen = false;
        walk_with(&spec(aware), &Fixes::none(), seed, true, |w| {
            seen |= uncommitted_in_cache(w)
        });
        seen
    };
    assert!(
        (0..RUNS).any(|seed| phantom(false, seed)),
        "no run of {RUNS} caches a rolled-back version"
    );
    for seed in 0..RUNS {
        assert!(
            !phantom(true, seed),
            "seed {seed}: a transaction-aware cache held a rolled-back version"
        );
    }
}

#[test]
fn a_second_region_with_and_without_remote_markers() {
    let spec = |remote_marker: bool| SandboxSpec {
        parts: Parts {
            second_region: true,
            remote_marker,
            invalidator: true,
            ..Parts::default()
        },
        ..SandboxSpec::new(Pattern::CacheAside)
    };
    let run = Run::new_sandbox(spec(false), Fixes::none(), 1);
    let c = &run.world().config;
    assert_eq!(c.region_of(cachescope::sim::NodeId::Writer(1)), 2);
    assert_eq!(c.latency.cross_region_ms, sandbox::CROSS_REGION_MS);
    let broken = |marker: bool, fix: &str| {
        let s = spec(marker).scenario();
        let fixes = Fixes::parse(s, [fix].into_iter().filter(|f| !f.is_empty())).unwrap();
        (0..RUNS).find(|seed| !ryw_ok(walk(&spec(marker), &fixes, *seed).world()))
    };
    // Without remote markers, the writer's read-back misses and reads the lagging
    // replica in some run.
    assert!(
        broken(false, "").is_some(),
        "no run of {RUNS} breaks read-your-writes"
    );
    // A marker sends the writer's miss to the primary; but a reader of region 2 that
    // read the replica before the write can still set its old row after the write's
    // delete (the stale-set race), and the writer then hits it: in some run.
    assert!(
        broken(true, "").is_some(),
        "remote markers alone hold in every run"
    );
    // Facebook pairs the markers with leases: then it holds in every run; so with
    // versioned sets.
    assert_eq!(broken(true, "lease"), None);
    assert_eq!(broken(true, "versioned-set"), None);
}

#[test]
fn the_form_reads_the_parts_and_says_what_it_changed() {
    use cachescope::sim::sandbox::from_form;
    let f = |pairs: &[(&str, &str)]| {
        from_form(
            &pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>(),
        )
    };
    let (p, notes) = f(&[]);
    assert!(!p.any() && notes.is_empty());
    let (p, notes) = f(&[
        ("replica", "on"),
        ("lag", "20"),
        ("negative", "on"),
        ("negative-ttl", "300"),
    ]);
    assert_eq!(p.replica, replica(20, ReadFrom::Replica));
    assert_eq!(p.negative, negative(300, false));
    assert!(notes.is_empty());
    let (p, notes) = f(&[("replica", "on"), ("lag", "9000"), ("reads-primary", "on")]);
    assert_eq!(p.replica, replica(500, ReadFrom::Primary));
    assert_eq!(
        notes,
        ["A replica lag of 9000 ms: the sandbox takes 1 to 500 ms, so it uses 500 ms."]
    );
    let (p, notes) = f(&[
        ("txn", "on"),
        ("hook-after", "on"),
        ("cache-aware", "on"),
        ("remote-marker", "on"),
    ]);
    assert_eq!(p.txn, txn(Hook::AfterCommit, true));
    assert!(!p.remote_marker);
    assert!(notes[0].contains("need the second region"));
    let (p, notes) = f(&[
        ("region", "on"),
        ("negative", "on"),
        ("negative-ttl", "soon"),
    ]);
    assert!(p.second_region && p.replica.is_some());
    assert_eq!(p.negative, negative(300, false));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("\"soon\" is not a whole number")),
        "{notes:?}"
    );
}
