//! Review 29's leftovers and review 30's findings (session 30): words checked against
//! the trace they describe.
mod common;

/// Review 29, E: the search's cache-matches-db run of cross-region-read-your-writes
/// ended explaining only read-your-writes. The run's set of the replica's v1 reaches
/// cache-2 after the deletes (service-2's at 72 ms, the invalidator's at 89 ms): the
/// ending now says so and names the race that teaches it.
#[test]
fn cross_region_refill_ending_says_why_the_copy_stays() {
    let run = common::counterexample(
        "cross-region-read-your-writes",
        &[],
        0,
        1_000_000,
        "cache-matches-db",
    );
    let end = run.scenario.epilogue(run.world(), &run.fixes);
    assert!(
        end.contains("cache-2 holds user:1=v1 but the database has v2"),
        "{end}"
    );
    assert!(
        end.contains(
            "The replica's old row went into cache-2 after a delete that followed the commit"
        ),
        "{end}"
    );
    assert!(end.contains("the race replica-lag-refill teaches"), "{end}");
    // The trace: a delete of user:1 reached cache-2 before the stale set was stored.
    let story = common::story(&run);
    let deleted = story
        .find("cache-2: del user:1 => deleted")
        .expect("a delete");
    let stored = story
        .find("set user:1=v1 => stored v1")
        .expect("the stale set");
    assert!(deleted < stored, "{story}");
    // The scenario's own run ends with every copy right: no such sentence there.
    let own = common::run("cross-region-read-your-writes", &[]);
    let end = own.scenario.epilogue(own.world(), &own.fixes);
    assert!(!end.contains("replica-lag-refill"), "{end}");
}

/// Review 30, H: cdn-purge-race's searched runs end with a response stored at the CDN
/// edge after the purge meant for it, which the run's words call "the stale-set race,
/// at the edge"; the result named no race. It names it now, and links nothing where
/// the loaded scenario is the one that teaches it.
#[test]
fn the_edge_race_is_named_by_the_search() {
    use cachescope::sim::{scenarios, Fixes, Run};
    for fixes in [&[][..], &["invalidate-origin-first"]] {
        let s = scenarios::find("cdn-purge-race").expect("scenario exists");
        let fx = Fixes::parse(s, fixes.iter().copied()).expect("fixes exist");
        let found = common::search(&Run::new(s, fx, s.seed), 0, 1_000_000);
        let c = found
            .violations
            .iter()
            .find(|c| c.invariant == "cache-matches-db")
            .expect("a break");
        assert_eq!(c.teaches.as_deref(), Some("cdn-purge-race"), "{fixes:?}");
        let run = common::counterexample("cdn-purge-race", fixes, 0, 1_000_000, "cache-matches-db");
        let story = common::story(&run);
        assert!(story.contains("the stale-set race, at the edge"), "{story}");
    }
}

/// Review 30, I: write-behind-crash's searched no-lost-write run: at 304 ms the flusher
/// read "flush at 202 ms", a time already past (its timer waits while events due after
/// it go first). It says how late the flush is.
#[test]
fn a_flush_past_its_time_says_late() {
    use cachescope::sim::view::View;
    use cachescope::sim::NodeId;
    use cachescope::ui::figure::{self, Marks};
    use cachescope::ui::layout::Layout;
    let run = common::at("scenario=write-behind-crash&run=1.AAAAAAAAAACBBBBDB&step=16");
    let w = run.world();
    let flush = w
        .timers
        .iter()
        .find(|t| t.owner == NodeId::Flusher(1))
        .expect("a flush planned");
    assert!(flush.at_ms < w.now_ms, "{} {}", flush.at_ms, w.now_ms);
    let view = View::of(w, run.scenario);
    let note = &view
        .nodes
        .iter()
        .find(|n| n.id == NodeId::Flusher(1))
        .expect("the flusher")
        .note;
    assert_eq!(note, &format!("flush {} ms late", w.now_ms - flush.at_ms));
    // Drawn whole in its box (a note a little too long is drawn narrower, not cut).
    for layout in [Layout::Wide, Layout::Narrow] {
        let svg = figure::svg(&view, &Marks::none(layout));
        let late = format!(">flush {} ms late<", w.now_ms - flush.at_ms);
        assert!(svg.contains(&late), "{svg}");
    }
}
