//! Each scenario's trace, checked as a whole, with and without each fix, and the
//! outcome the catalog gives. Update the snapshots with `UPDATE_EXPECT=1 cargo test`.
mod common;
use common::*;

#[test]
fn cache_aside_read() {
    let r = run("cache-aside-read", &[]);
    check(&r, expect_file!["snapshots/cache-aside-read.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
    assert_eq!(metric(&r, Metric::DbReads), 1);
    assert_eq!(metric(&r, Metric::CacheHits), 1);
}

#[test]
fn cache_aside_write() {
    let r = run("cache-aside-write", &[]);
    check(&r, expect_file!["snapshots/cache-aside-write.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    assert_eq!(metric(&r, Metric::WritesAcked), 1);
}

#[test]
fn stale_set_race_without_fix_is_violated() {
    let r = run("stale-set-race", &[]);
    check(&r, expect_file!["snapshots/stale-set-race.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
    assert_eq!(
        r.world().db().read(cachescope::sim::Key(1)).to_string(),
        "v2"
    );
}

#[test]
fn stale_set_race_versioned_set() {
    let r = run("stale-set-race", &["versioned-set"]);
    check(
        &r,
        expect_file!["snapshots/stale-set-race+versioned-set.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(
        story(&r).contains("Had it expired first"),
        "the narration names the limit"
    );
}

#[test]
fn stale_set_race_lease() {
    let r = run("stale-set-race", &["lease"]);
    check(&r, expect_file!["snapshots/stale-set-race+lease.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1), None);
}

#[test]
fn stale_set_race_delayed_double_delete() {
    let r = run("stale-set-race", &["delayed-double-delete"]);
    check(
        &r,
        expect_file!["snapshots/stale-set-race+delayed-double-delete.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(
        story(&r).contains("heuristic"),
        "the narration says it is a heuristic"
    );
}

#[test]
fn every_scenario_ends_within_its_limits() {
    for s in scenarios::ALL.iter() {
        let mut combos: Vec<Vec<&str>> = vec![vec![]];
        combos.extend(s.fixes.iter().map(|f| vec![f.id]));
        for fixes in combos {
            let r = run(s.id, &fixes);
            assert!(r.at_end(), "{} {fixes:?} ended", s.id);
            assert!(
                r.cursor() < cachescope::sim::run::MAX_STEPS,
                "{} {fixes:?} ends before the step limit",
                s.id
            );
            assert!(r.world().now_ms <= r.world().config.horizon_ms);
            for rec in r.records() {
                assert!(
                    !rec.narration.is_empty(),
                    "{} step {rec} has narration",
                    s.id
                );
            }
        }
    }
}

#[test]
fn write_through_pattern() {
    let r = run("write-through", &[]);
    check(&r, expect_file!["snapshots/write-through.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(metric(&r, Metric::DbReads), 0, "reads always hit");
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
}

#[test]
fn write_through_race_without_fix() {
    let r = run("write-through-race", &[]);
    check(&r, expect_file!["snapshots/write-through-race.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    let w = r.world();
    assert!(
        w.cache().entries.values().all(|e| e.expires_ms == u64::MAX),
        "no TTL will mend it"
    );
}

#[test]
fn write_through_race_versioned_write() {
    let r = run("write-through-race", &["versioned-write"]);
    check(
        &r,
        expect_file!["snapshots/write-through-race+versioned-write.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v3"));
}

#[test]
fn write_behind_pattern() {
    let r = run("write-behind", &[]);
    check(&r, expect_file!["snapshots/write-behind.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(holds(&r, Invariant::NoLostWrite));
    assert!(metric(&r, Metric::DbWrites) < metric(&r, Metric::WritesAcked));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
    assert!(r.world().cache().queue.is_empty(), "flushed");
}

#[test]
fn write_behind_crash_loses_writes() {
    let r = run("write-behind-crash", &[]);
    check(&r, expect_file!["snapshots/write-behind-crash.txt"]);
    assert!(!holds(&r, Invariant::NoLostWrite));
}

#[test]
fn write_behind_crash_durable_queue() {
    let r = run("write-behind-crash", &["durable-queue"]);
    check(
        &r,
        expect_file!["snapshots/write-behind-crash+durable-queue.txt"],
    );
    assert!(holds(&r, Invariant::NoLostWrite));
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(
        r.world().db().read(cachescope::sim::Key(1)).to_string(),
        "v3"
    );
}

/// With the durable queue, the crash loses no acknowledged write at any step: while
/// the cache is down its disk log still holds them (ui-contract: "still on a path that
/// will put it there (a durable queue)"), so `no-lost-write` never turns red (review
/// session 10, F1: it did at the crash, as in the unfixed run).
#[test]
fn write_behind_crash_durable_queue_never_loses_a_write() {
    let mut r = run("write-behind-crash", &["durable-queue"]);
    r.seek(0);
    let mut crashed = false;
    loop {
        crashed |= !r.world().cache().log.is_empty() && r.world().cache().queue.is_empty();
        assert_eq!(
            Invariant::NoLostWrite.check(r.world()),
            Ok(()),
            "step {}",
            r.cursor()
        );
        if !r.forward() {
            break;
        }
    }
    assert!(
        crashed,
        "the run passes through the crash with writes only on disk"
    );
    // Without the fix the same crash breaks it, naming where nothing holds the write.
    let r = run("write-behind-crash", &[]);
    let err = Invariant::NoLostWrite.check(r.world()).unwrap_err();
    assert!(err.contains("no queue or durable log holds it"), "{err}");
}

#[test]
fn ttl_expiry_pattern() {
    let r = run("ttl-expiry", &[]);
    check(&r, expect_file!["snapshots/ttl-expiry.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(metric(&r, Metric::StaleReads) >= 1);
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
}

#[test]
fn hybrid_pattern() {
    let r = run("hybrid", &[]);
    check(&r, expect_file!["snapshots/hybrid.txt"]);
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(holds(&r, Invariant::NoLostEvent));
    assert!(
        story(&r).contains("TTL ran out"),
        "the TTL expires a key inside the run"
    );
}

#[test]
fn delete_before_update_race_without_fix() {
    let r = run("delete-before-update-race", &[]);
    check(&r, expect_file!["snapshots/delete-before-update-race.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
}

#[test]
fn delete_before_update_race_update_then_delete() {
    let r = run("delete-before-update-race", &["update-then-delete"]);
    check(
        &r,
        expect_file!["snapshots/delete-before-update-race+update-then-delete.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(story(&r).contains("stale-set-race"));
}

#[test]
fn ttl_jitter_without_fix_bursts() {
    let r = run("ttl-jitter", &[]);
    check(&r, expect_file!["snapshots/ttl-jitter.txt"]);
    assert!(r.world().config.keys.len() >= 20);
    assert_eq!(metric(&r, Metric::DbReadsPeak), 20);
    assert!(holds(&r, Invariant::CacheMatchesDb));
}

#[test]
fn ttl_jitter_with_jitter_is_lower() {
    let plain = run("ttl-jitter", &[]);
    let r = run("ttl-jitter", &["jitter"]);
    check(&r, expect_file!["snapshots/ttl-jitter+jitter.txt"]);
    assert!(metric(&r, Metric::DbReadsPeak) < metric(&plain, Metric::DbReadsPeak));
    assert!(metric(&r, Metric::DbReadsPeak) <= 12);
}

fn waits(r: &Run) -> usize {
    r.records()
        .iter()
        .filter(|rec| rec.outcome == "wait")
        .count()
}

#[test]
fn stampede_without_fix() {
    let r = run("stampede", &[]);
    check(&r, expect_file!["snapshots/stampede.txt"]);
    let n = r.world().clients.len() as u64;
    assert!(n >= 5);
    assert_eq!(metric(&r, Metric::DbReads), n);
}

#[test]
fn stampede_mutex() {
    let r = run("stampede", &["mutex"]);
    check(&r, expect_file!["snapshots/stampede+mutex.txt"]);
    assert_eq!(metric(&r, Metric::DbReads), 1);
    assert!(waits(&r) > 0, "the others wait");
}

#[test]
fn stampede_single_flight() {
    let r = run("stampede", &["single-flight"]);
    check(&r, expect_file!["snapshots/stampede+single-flight.txt"]);
    assert_eq!(metric(&r, Metric::DbReads), 1);
}

#[test]
fn stampede_lease() {
    let r = run("stampede", &["lease"]);
    check(&r, expect_file!["snapshots/stampede+lease.txt"]);
    assert_eq!(metric(&r, Metric::DbReads), 1);
    assert!(waits(&r) > 0, "a lease makes readers wait");
    assert!(story(&r).contains("17K/s"));
}

#[test]
fn stampede_early_expiration() {
    let r = run("stampede", &["early-expiration"]);
    check(&r, expect_file!["snapshots/stampede+early-expiration.txt"]);
    assert_eq!(metric(&r, Metric::DbReads), 1);
    assert_eq!(waits(&r), 0, "no reader waits");
    assert_eq!(metric(&r, Metric::CacheMisses), 0, "no reader misses");
    assert!(story(&r).contains("probabilistic"));
}

#[test]
fn every_pair_of_fixes_runs_to_its_end() {
    for s in scenarios::ALL.iter() {
        for a in s.fixes {
            for b in s.fixes {
                let r = run(s.id, &[a.id, b.id]);
                assert!(
                    r.at_end() && r.cursor() < cachescope::sim::run::MAX_STEPS,
                    "{} {} {}",
                    s.id,
                    a.id,
                    b.id
                );
            }
        }
    }
}

#[test]
fn every_fix_says_what_it_does_and_costs() {
    for s in scenarios::ALL.iter() {
        for (i, f) in s.fixes.iter().enumerate() {
            assert!(
                !s.fix_what(i).is_empty() && !s.fix_cost(i).is_empty(),
                "{} {}",
                s.id,
                f.id
            );
        }
        assert!(
            !s.summary().is_empty()
                && !s.flow().is_empty()
                && !s.pros().is_empty()
                && !s.cons().is_empty()
        );
    }
    let ids: Vec<&str> = scenarios::ALL.iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "cache-aside-read",
            "cache-aside-write",
            "write-through",
            "write-behind",
            "ttl-expiry",
            "event-invalidation",
            "hybrid",
            "outbox",
            "stale-set-race",
            "delete-before-update-race",
            "write-through-race",
            "write-behind-crash",
            "ttl-jitter",
            "stampede",
            "event-delay",
            "event-loss",
            "event-duplicate-reorder",
            "poison-event",
            "dual-write-crash",
            "replica-lag-refill",
            "invalidate-before-commit",
            "rollback-after-cache-write",
            "negative-cache",
            "cdc-invalidation",
            "cross-region-read-your-writes",
            "near-cache-stale",
            "cdn-purge-race",
        ],
        "the learning path's order"
    );
}

#[test]
fn replica_lag_refill_without_fix() {
    let r = run("replica-lag-refill", &[]);
    check(&r, expect_file!["snapshots/replica-lag-refill.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
    assert_eq!(
        r.world().db().read(cachescope::sim::Key(1)).to_string(),
        "v2"
    );
    assert_eq!(metric(&r, Metric::ReplicaReads), 1);
    assert_eq!(metric(&r, Metric::DbReads), 0);
    assert!(metric(&r, Metric::StaleReads) >= 1);
}

#[test]
fn replica_lag_refill_versioned_set() {
    let r = run("replica-lag-refill", &["versioned-set"]);
    check(
        &r,
        expect_file!["snapshots/replica-lag-refill+versioned-set.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(story(&r).contains("must outlive the replica's lag"));
}

#[test]
fn replica_lag_refill_lease_does_not_help() {
    let r = run("replica-lag-refill", &["lease"]);
    check(&r, expect_file!["snapshots/replica-lag-refill+lease.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
    assert!(
        story(&r).contains("not reads of a stale copy"),
        "the page says why leases do not help"
    );
}

#[test]
fn replica_lag_refill_fill_from_primary() {
    let r = run("replica-lag-refill", &["fill-from-primary"]);
    check(
        &r,
        expect_file!["snapshots/replica-lag-refill+fill-from-primary.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    assert_eq!(metric(&r, Metric::DbReads), 1);
    assert_eq!(metric(&r, Metric::ReplicaReads), 0);
    assert!(story(&r).contains("stale-set race"));
}

#[test]
fn invalidate_before_commit_without_fix() {
    let r = run("invalidate-before-commit", &[]);
    check(&r, expect_file!["snapshots/invalidate-before-commit.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
    assert_eq!(
        r.world().db().read(cachescope::sim::Key(1)).to_string(),
        "v2"
    );
    assert!(story(&r).contains("nobody else can see it before COMMIT"));
}

#[test]
fn invalidate_before_commit_after_commit_hook() {
    let r = run("invalidate-before-commit", &["after-commit-hook"]);
    check(
        &r,
        expect_file!["snapshots/invalidate-before-commit+after-commit-hook.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert!(story(&r).contains("stale-set race"));
}

#[test]
fn rollback_after_cache_write_without_fix() {
    let r = run("rollback-after-cache-write", &[]);
    check(&r, expect_file!["snapshots/rollback-after-cache-write.txt"]);
    assert!(!holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v2"));
    assert_eq!(
        r.world().db().read(cachescope::sim::Key(1)).to_string(),
        "v1"
    );
    assert!(metric(&r, Metric::StaleReads) >= 1);
    assert_eq!(metric(&r, Metric::WritesAcked), 0);
    assert!(
        r.world().db().txns.is_empty(),
        "the rollback left no transaction"
    );
}

#[test]
fn rollback_after_cache_write_transaction_aware_cache() {
    let r = run("rollback-after-cache-write", &["transaction-aware-cache"]);
    check(
        &r,
        expect_file!["snapshots/rollback-after-cache-write+transaction-aware-cache.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(cached(&r, 1).as_deref(), Some("v1"));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
}

/// Near caches (issue 8): two service instances, each with a near cache; the reader's
/// instance keeps v1 after the writer's instance invalidated the shared cache.
#[test]
fn near_cache_stale_without_fix() {
    let r = run("near-cache-stale", &[]);
    check(&r, expect_file!["snapshots/near-cache-stale.txt"]);
    assert_eq!(
        cachescope::sim::Invariant::CacheMatchesDb.check(r.world()),
        Err("service-2's near cache holds user:1=v1 but the database has v2".to_string())
    );
    // The shared cache is right: the writer's delete emptied it.
    assert_eq!(cached(&r, 1), None);
    assert_eq!(metric(&r, Metric::StaleReads), 1);
    assert!(story(&r).contains("nothing told it: the reader got v1"));
}

#[test]
fn near_cache_stale_client_tracking() {
    let r = run("near-cache-stale", &["client-tracking"]);
    check(
        &r,
        expect_file!["snapshots/near-cache-stale+client-tracking.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
    assert_eq!(metric(&r, Metric::DbReads), 2);
    assert!(story(&r).contains("pushed an invalidation to service-2"));
}

#[test]
fn near_cache_stale_short_near_ttl() {
    let r = run("near-cache-stale", &["short-near-ttl"]);
    check(
        &r,
        expect_file!["snapshots/near-cache-stale+short-near-ttl.txt"],
    );
    assert!(holds(&r, Invariant::CacheMatchesDb));
    assert_eq!(metric(&r, Metric::StaleReads), 0);
    assert!(story(&r).contains("bounded by 50 ms, not prevented"));
}
