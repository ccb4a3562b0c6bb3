mod common;
#[path = "common/review.rs"]
mod review;
use cachescope::sim::msg::Payload;
fn show(run: &cachescope::sim::Run) {
    for (i, r) in run.records().iter().enumerate() {
        println!(
            "{:>3} [{}] {} => {}\n      {}",
            i + 1,
            run.state(i + 1).map(|s| s.now_ms).unwrap_or(0),
            r.label,
            r.outcome,
            r.narration
        );
    }
    println!("ENDING: {}", review::ending(&run));
    println!("LINK: {}", cachescope::sim::link::query(run));
}
#[test]
fn dump() {
    let q = std::env::var("Q").unwrap();
    let mut run = common::at(&q);
    run.run_to_end();
    show(&run);
}
#[test]
fn m5() {
    let mut run = common::at("scenario=delete-before-update-race&run=1.AAAAAAAAAAEAAE&step=18");
    run.truncate_future();
    common::deliver_first(&mut run, |p| matches!(p, Payload::DbWrite { .. }), "update");
    run.run_to_end();
    show(&run);
}
#[test]
fn label() {
    use cachescope::sim::{Event, Fault, NodeId};
    for q in [
        "scenario=write-behind-crash&step=2",
        "scenario=cross-region-read-your-writes&fix=remote-marker",
    ] {
        let mut run = common::at(q);
        run.truncate_future();
        if q.contains("cross") {
            // step until a MarkerSet is in flight or a marker message
            loop {
                if run
                    .world()
                    .net
                    .iter()
                    .any(|m| matches!(m.payload, Payload::SetMarker { .. }))
                {
                    break;
                }
                if !run.forward() {
                    break;
                }
            }
            let c = run
                .world()
                .net
                .iter()
                .find(|m| matches!(m.payload, Payload::SetMarker { .. }))
                .map(|m| m.to);
            if let Some(c) = c {
                run.fire(Event::Fault(Fault::Crash(c))).unwrap();
            }
        } else {
            run.fire(Event::Fault(Fault::Crash(NodeId::CACHE))).unwrap();
        }
        run.run_to_end();
        show(&run);
    }
}
