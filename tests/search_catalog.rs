//! The search's findings reconciled with the catalog: each interleaving the search
//! found where the catalog said a fix holds, examined and either fixed in the model or
//! shown as the race it is.
use cachescope::sim::{scenarios, Event, Fault, Fixes, Invariant, NodeId, Run, World};

fn start(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

/// One step of an interleaving, by what happens rather than by id.
#[derive(Clone, Copy, Debug)]
enum Pick {
    Start(NodeId),
    /// The first message in flight to this node with this payload kind.
    Deliver(NodeId, &'static str),
    /// The first due timer of this node.
    Fire(NodeId),
    Crash(NodeId),
    Restart(NodeId),
}

fn find(w: &World, pick: Pick) -> Option<Event> {
    match pick {
        Pick::Start(n) => Some(Event::Start(n)),
        Pick::Deliver(to, kind) => w
            .net
            .iter()
            .find(|m| m.to == to && m.payload.kind() == kind)
            .map(|m| Event::Deliver(m.id)),
        Pick::Fire(owner) => w
            .timers
            .iter()
            .find(|t| t.owner == owner)
            .map(|t| Event::Fire(t.id)),
        Pick::Crash(n) => Some(Event::Fault(Fault::Crash(n))),
        Pick::Restart(n) => Some(Event::Fault(Fault::Restart(n))),
    }
}

fn play(run: &mut Run, picks: &[Pick]) {
    for (i, pick) in picks.iter().enumerate() {
        let event = find(run.world(), *pick).unwrap_or_else(|| panic!("step {i}: no {pick:?}"));
        if let Err(e) = run.fire(event) {
            panic!("step {i}: {pick:?} is not enabled: {e:?}");
        }
    }
}

/// The search found, in `dual-write-crash` with `outbox`, a relay that restarted and
/// polled just before the write committed: the commit's NOTIFY reached a relay busy
/// with its poll and was dropped, the poll's "no rows" answer put it to sleep, and the
/// row was never published (the cache stayed stale for good). A NOTIFY that arrives
/// while the listener is busy waits on its connection: the relay now polls once more.
#[test]
fn a_notify_during_the_relays_poll_is_not_lost() {
    use NodeId::*;
    const SERVICE: NodeId = NodeId::SERVICE;
    const CACHE: NodeId = NodeId::CACHE;
    let mut run = start("dual-write-crash", &["outbox"]);
    let reader = Reader(1);
    let writer = Writer(1);
    play(
        &mut run,
        &[
            Pick::Start(reader),
            Pick::Deliver(SERVICE, "read"),
            Pick::Deliver(CACHE, "get"),
            Pick::Deliver(SERVICE, "get-reply"),
            Pick::Deliver(Db, "db-read"),
            Pick::Deliver(SERVICE, "db-read-reply"),
            Pick::Deliver(CACHE, "set"),
            Pick::Start(writer),
            Pick::Deliver(SERVICE, "write"),
            Pick::Crash(SERVICE),
            Pick::Deliver(SERVICE, "set-reply"),
            Pick::Restart(SERVICE),
            Pick::Crash(Relay),
            Pick::Restart(Relay),
            Pick::Fire(Relay),
            // The poll is answered before the commit: no rows yet.
            Pick::Deliver(Db, "outbox-poll"),
            Pick::Deliver(Db, "db-write"),
            Pick::Deliver(Relay, "outbox-empty"),
        ],
    );
    assert!(
        run.world().relay.working,
        "notified during its poll, the relay polls again"
    );
    run.run_to_end();
    let w = run.world();
    assert!(
        Invariant::CacheMatchesDb.check(w).is_ok(),
        "the row is published and the key invalidated"
    );
    assert!(Invariant::NoLostEvent.check(w).is_ok());
}
