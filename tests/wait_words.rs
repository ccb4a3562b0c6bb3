//! What the service's box says a parked request waits for (review session 11, R14).
use cachescope::sim::{scenarios, Fixes, Run};

fn run(id: &str, fixes: &[&str]) -> Run {
    let s = scenarios::find(id).expect("in the catalog");
    let mut run = Run::new(
        s,
        Fixes::parse(s, fixes.iter().copied()).expect("its fixes"),
        s.seed,
    );
    run.run_to_end();
    run
}

/// stampede with the per-key lock: a request that found the lock taken was drawn as
/// "waiting for the lease" (review session 11, R14), the other fix's mechanism. The
/// service's box names what it waits for, true of the cache's state: a lock is held
/// while one waits for the lock, a lease while one waits for the lease.
#[test]
fn a_request_parked_by_the_lock_waits_for_the_lock() {
    use cachescope::sim::view::View;
    for (fix, said, other) in [
        ("mutex", "waiting for the lock", "lease"),
        ("lease", "waiting for the lease", "lock"),
    ] {
        let mut run = run("stampede", &[fix]);
        let mut seen = 0;
        for step in 0..=run.cursor() {
            run.seek(step);
            let v = View::of(run.world(), run.scenario);
            let cache = run.world().cache();
            let parked = v.requests.iter().filter(|r| r.text.contains(said)).count();
            for r in &v.requests {
                assert!(!r.text.contains(other), "{fix} step {step}: {}", r.text);
            }
            // Where a request is first parked, the lock (the lease) that parked it is
            // held; it waits on for its retry after the holder is done.
            if parked > 0 && seen == 0 {
                let held = if fix == "mutex" {
                    !cache.locks.is_empty()
                } else {
                    !cache.leases.is_empty()
                };
                assert!(held, "{fix} step {step}: parked with none held");
            }
            seen += parked;
        }
        assert!(seen > 0, "{fix}: a request waits");
    }
}
