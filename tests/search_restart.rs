//! A hand restart is free only where nothing in the model would bring the node back
//! otherwise. A scenario with `restart_after_ms` has a supervisor that restarts a
//! crashed node by its own timer (`TimerKind::Restart`); while that timer is pending, a
//! hand restart brings the node back sooner than the model would, and is a fault like
//! any other: charged to the extra budget (`explore-faults`, of kind "restart"), since
//! no story places one. With no supervisor's restart pending, it is free.
use cachescope::sim::search::{FaultBudget, Model, Searched, WorldModel};
use cachescope::sim::world::TimerKind;
use cachescope::sim::{scenarios, Event, Fault, Fixes, NodeId, Run};

fn model(id: &str, budget: FaultBudget) -> WorldModel {
    let scenario = scenarios::find(id).expect("scenario exists");
    WorldModel::new(&Run::with_default_seed(scenario, Fixes::none()), budget)
}

fn listed(model: &WorldModel, state: &Searched) -> Vec<Event> {
    let mut out = Vec::new();
    model.actions(state, &mut out);
    out
}

const RESTART_SERVICE: Event = Event::Fault(Fault::Restart(NodeId::SERVICE));

/// The state after `cdc-invalidation`'s service crashes at once (the story's crash,
/// from its own budget): down, with its supervisor's restart 20 ms away.
fn service_down(model: &WorldModel) -> Searched {
    let crashed = model
        .next(&model.init(), Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .expect("the story's crash is allowed anywhere");
    assert_eq!(
        (crashed.extra_used, crashed.story_used.to_vec()),
        (0, vec![1, 0]),
        "the story's crash of the service, from its own budget"
    );
    assert!(crashed.world.timers.iter().any(|t| t.kind
        == TimerKind::Restart {
            node: NodeId::SERVICE
        }));
    crashed
}

#[test]
fn a_hand_restart_before_the_supervisors_is_not_free() {
    let none = model("cdc-invalidation", FaultBudget::NONE);
    let down = service_down(&none);
    assert!(
        !listed(&none, &down).contains(&RESTART_SERVICE),
        "no extra fault: the supervisor alone brings the service back"
    );
    assert_eq!(
        none.next(&down, RESTART_SERVICE),
        None,
        "nor may it be placed"
    );

    // Only crashes allowed as extra faults: still no hand restart.
    let crashes = model(
        "cdc-invalidation",
        FaultBudget {
            extra: 1,
            kinds: &["crash"],
        },
    );
    assert!(!listed(&crashes, &service_down(&crashes)).contains(&RESTART_SERVICE));

    // One extra fault of any kind: the hand restart is it.
    let one = model("cdc-invalidation", FaultBudget::any(1));
    let down = service_down(&one);
    assert!(listed(&one, &down).contains(&RESTART_SERVICE));
    let up = one.next(&down, RESTART_SERVICE).expect("placed as a fault");
    assert_eq!((up.extra_used, up.story_used.to_vec()), (1, vec![1, 0]));
    assert!(
        !up.world
            .timers
            .iter()
            .any(|t| matches!(t.kind, TimerKind::Restart { .. })),
        "the supervisor's restart is no longer pending"
    );
}

/// With no supervisor (`stale-set-race` has no `restart_after_ms`), nothing but a hand
/// restart brings a crashed node back: it is free, as a resume is.
#[test]
fn a_hand_restart_with_no_supervisor_is_free() {
    let m = model(
        "stale-set-race",
        FaultBudget {
            extra: 1,
            kinds: &["crash", "pause"],
        },
    );
    let crashed = m
        .next(&m.init(), Event::Fault(Fault::Crash(NodeId::CACHE)))
        .expect("one extra crash");
    assert_eq!(crashed.extra_used, 1);
    let restart = Event::Fault(Fault::Restart(NodeId::CACHE));
    assert!(listed(&m, &crashed).contains(&restart));
    let up = m.next(&crashed, restart).expect("free");
    assert_eq!(up.extra_used, 1, "the restart used nothing");

    let paused = m
        .next(&m.init(), Event::Fault(Fault::Pause(NodeId::CACHE)))
        .expect("one extra pause");
    let resume = Event::Fault(Fault::Resume(NodeId::CACHE));
    assert!(listed(&m, &paused).contains(&resume));
    assert_eq!(m.next(&paused, resume).map(|s| s.extra_used), Some(1));
}

/// Once the supervisor's timer has fired the node is up; crashed again (by an extra
/// fault, the story's crash being used), its new supervisor's restart is pending again.
#[test]
fn the_supervisors_restart_comes_by_its_timer() {
    let one = model("cdc-invalidation", FaultBudget::any(1));
    let down = service_down(&one);
    let timer = down
        .world
        .timers
        .iter()
        .find(|t| {
            t.kind
                == TimerKind::Restart {
                    node: NodeId::SERVICE,
                }
        })
        .expect("pending")
        .id;
    let up = one.next(&down, Event::Fire(timer)).expect("it fires");
    assert_eq!((up.extra_used, up.story_used.to_vec()), (0, vec![1, 0]));
    assert!(!listed(&one, &up).contains(&RESTART_SERVICE), "it is up");
    let again = one
        .next(&up, Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .expect("an extra crash");
    assert_eq!(again.extra_used, 1);
    assert!(
        !listed(&one, &again).contains(&RESTART_SERVICE),
        "the extra budget is spent: only the supervisor restarts it"
    );
}
