//! The faults of session 14 in the page's search (time shift, subsumption, one extra
//! fault): `disconnect` (with its free `resubscribe`) and `evict` add states where a
//! consumer runs and where an eviction is not the same world as a crash and restart of
//! the cache; the verdicts stand. Counts pinned (examples/fault_kinds.rs prints them for
//! other scenarios; docs/dev-notes/faults-evict-disconnect.md has the table).
//! Release only (the test-search tier): 43 s in a debug build.
#![cfg(not(debug_assertions))]
use cachescope::sim::search::{Bounds, FaultBudget, Search, WorldModel};
use cachescope::sim::{scenarios, Fixes, Run};

/// The kinds of fault the search may place, oldest first (`FaultBudget::KINDS`): before
/// `disconnect` and `evict`, and with `disconnect`.
const OLD: &[&str] = FaultBudget::OLD_KINDS;
const NO_EVICT: &[&str] = FaultBudget::NO_EVICT;

#[test]
fn disconnect_and_evict_add_states_to_poison_event_and_keep_its_verdicts() {
    let s = scenarios::find("poison-event").unwrap();
    let run = Run::with_default_seed(s, Fixes::none());
    let mut seen = Vec::new();
    for kinds in [OLD, NO_EVICT, &[][..]] {
        let model = WorldModel::new(&run, FaultBudget { extra: 1, kinds }).with_time_shift();
        let r = Search::new(model, Bounds::default())
            .with_subsumption()
            .run();
        assert!(r.complete);
        let verdicts: Vec<(&str, usize)> = r
            .violations
            .iter()
            .map(|v| (v.name, v.path.len()))
            .collect();
        // 19 steps before session 17: the shortest run crashes the consumer and
        // restarts it by hand, and the deliveries on their way to it had then to
        // arrive, lost, before the run could end; its restart now loses them (review
        // session 16, F4).
        assert_eq!(verdicts, [("cache-matches-db", 17), ("no-lost-event", 4)]);
        seen.push((r.states, r.ends));
    }
    // Before session 17: (464,016, 5,464), (468,351, 5,965), (471,707, 6,015); before
    // session 19 (F6: a crash sends its waiting peers a close, a message to a down node
    // is refused back, and the requests that hung go on): (457,301, 5,396), (461,636,
    // 5,897), (464,992, 5,947); before review 20b (F8: a client waiting on a crashed
    // service reads its connection reset and goes on): (471,646, 5,545), (475,981,
    // 6,046), (479,337, 6,096); before review 21 (U4: what the service sent to a
    // restarted node before it read the close of its connection is lost with the
    // close, not delivered and answered): (506,338, 5,773), (510,673, 6,274), (514,029,
    // 6,324); before session 22 (the canonical state leaves out each client's last
    // answer): (505,065, 5,773), (509,400, 6,274), (512,756, 6,324). The kinds add the
    // same states as before (4,335 and 3,356).
    assert_eq!(seen, [(443_491, 5_076), (447_826, 5_577), (451_182, 5_627)]);
}
