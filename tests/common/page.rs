//! The page's own search, for the tests that pin what the page shows (`#[path]`-included
//! by `search_hybrid_page.rs` and `search_outbox_page.rs`).
use cachescope::sim::search::job::Job;
use cachescope::sim::search::msg::{Found, Request, MAX_STATES};
use cachescope::sim::{link, Run};

/// `run` searched as the page's worker searches it, with `faults` faults to place: the
/// worker's `Job` (time shift, subsumption, a client's message alone), breadth first to
/// the page's bound of a million states, then, if no run ended within it, the
/// depth-first phase (a quarter of that). Panics if the job refuses the page's own setup
/// or does not end: slices of 1,000 states breadth first (at most 1,000 of them), then
/// of transitions depth first, each with a few: well within 10,000 slices.
pub fn page_search(run: &Run, faults: u8) -> Found {
    let request = Request {
        link: link::setup_query(run),
        faults,
        max_states: MAX_STATES,
        slice: false,
    };
    let mut job = Job::new(&request).expect("the page's own setup");
    job.found_at_end(1_000, 10_000, 1)
        .expect("the search ends with a result")
}
