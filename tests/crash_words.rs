//! What a crashed service lost, in words, read against what it held (review session 11,
//! F4): a crash of the service in the stampede, whose open requests are all reads, was
//! said to lose "(a delete)", the write path's step, whatever the requests were. Now
//! the words name the requests it held by kind and what each had still to send,
//! counted from its state just before the crash.
use cachescope::sim::config::{Op, WriteMode, WriteOrder};
use cachescope::sim::describe::count;
use cachescope::sim::{scenarios, Event, Fault, Fixes, NodeId, Run};

/// Crashes the service at every step of the story where it holds open requests, and
/// checks the words against what it held.
fn check(id: &str, fixes: &[&str]) -> usize {
    let s = scenarios::find(id).expect("in the catalog");
    let mut story = Run::new(s, Fixes::parse(s, fixes.iter().copied()).unwrap(), s.seed);
    story.run_to_end();
    let mut checked = 0;
    for at in 0..story.cursor() {
        let mut run = story.clone();
        run.seek(at);
        let before = run.world().clone();
        let flows = &before.service().flows;
        if flows.is_empty() || !before.is_up(NodeId::SERVICE) {
            continue;
        }
        run.truncate_future();
        run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
            .expect("a crash of a service that is up");
        let text = run.records().last().unwrap().narration.clone();
        let ctx = format!("{id} {fixes:?} crash after step {at}: {text}");
        checked += 1;
        let reads = flows
            .iter()
            .filter(|f| f.op == Op::Read && !f.background)
            .count() as u64;
        let writes = flows.iter().filter(|f| f.op == Op::Write).count() as u64;
        let loading = flows
            .iter()
            .filter(|f| f.op == Op::Read && format!("{:?}", f.stage) == "Load")
            .count() as u64;
        let at = |stage: &str| {
            flows
                .iter()
                .filter(|f| f.op == Op::Write && format!("{:?}", f.stage) == stage)
                .count() as u64
        };
        // A write that has not yet had its commit answered still has its write path's
        // step to send; with delete-then-update that step came first, and a write whose
        // delete is out has its update still to send.
        let first = before.config.write_order == WriteOrder::DeleteThenUpdate;
        let committing = if first { 0 } else { at("Commit") };
        assert_eq!(
            text.contains(&count(
                at("PreDelete"),
                "database update",
                "database updates"
            )),
            at("PreDelete") > 0,
            "{ctx}"
        );
        let gone = count(flows.len() as u64, "open request is", "open requests are");
        assert!(text.contains(&format!("its {gone} gone: ")), "{ctx}");
        // The kinds, reads first; their clients' closes are said after (review 20b,
        // F8: they read their connections reset, not "no answer").
        let (r, w) = (
            count(reads, "read", "reads"),
            count(writes, "write", "writes"),
        );
        assert_eq!(text.contains(&format!("gone: {r}")), reads > 0, "{ctx}");
        assert_eq!(
            text.contains(&format!("gone: {w}")) || text.contains(&format!("{r} and {w}")),
            writes > 0,
            "{ctx}"
        );
        assert!(!text.contains("no answer"), "{ctx}");
        assert_eq!(
            text.contains(&count(
                loading,
                "cache fill after its database read",
                "cache fills after their database reads"
            )),
            loading > 0,
            "{ctx}"
        );
        let step = match before.config.write_mode {
            WriteMode::Invalidate => Some(("cache delete", "cache deletes")),
            WriteMode::Through => Some(("cache set", "cache sets")),
            WriteMode::Event => Some(("publish of its event", "publishes of their events")),
            _ => None,
        };
        if let Some((one, many)) = step {
            assert_eq!(
                text.contains(&count(committing, one, many)),
                committing > 0,
                "{ctx}"
            );
        }
        // Nothing the requests did not hold is named.
        for word in ["cache delete", "cache set", "publish"] {
            if writes == 0 {
                assert!(!text.contains(word), "{ctx}");
            }
        }
    }
    checked
}

#[test]
fn a_crash_in_the_stampede_loses_reads_not_a_delete() {
    for fixes in [&[][..], &["single-flight"], &["mutex"], &["lease"]] {
        assert!(check("stampede", fixes) > 0, "{fixes:?}: no crash checked");
    }
    // The words themselves, at the stampede's peak: every request is a read.
    let s = scenarios::find("stampede").unwrap();
    let mut run = Run::new(s, Fixes::none(), s.seed);
    while run.world().service().flows.len() < 4 {
        assert!(run.forward());
    }
    run.fire(Event::Fault(Fault::Crash(NodeId::SERVICE)))
        .unwrap();
    let text = &run.records().last().unwrap().narration;
    assert!(!text.contains("delete"), "{text}");
    assert!(
        text.contains("its 4 open requests are gone: 4 reads;")
            && text.contains(
                "whose requests wait on it, will read theirs reset, and those requests fail"
            ),
        "{text}"
    );
}

#[test]
fn a_crashed_write_names_the_step_its_write_path_had_left() {
    for (id, fixes) in [
        ("stale-set-race", &[][..]),
        ("stale-set-race", &["versioned-set"][..]),
        ("cache-aside-write", &[][..]),
        ("write-through", &[][..]),
        ("write-through-race", &[][..]),
        ("event-invalidation", &[][..]),
        ("dual-write-crash", &[][..]),
        ("dual-write-crash", &["outbox"][..]),
        ("delete-before-update-race", &[][..]),
        ("hybrid", &[][..]),
    ] {
        assert!(check(id, fixes) > 0, "{id} {fixes:?}: no crash checked");
    }
}
