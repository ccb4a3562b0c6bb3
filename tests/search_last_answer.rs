//! The canonical state leaves out each client's last answer (`canon/words.rs`,
//! `clients_word`): no step reads it (a client's next request waits only on `busy`, and
//! the network reads its current request, not its answer), no invariant reads it (the
//! books keep what read-your-writes needs), and no verdict; only the words and the view
//! of a run read it, from that run's own states. So two states that differ only there
//! have the same futures and the same invariant results, and the search may take them
//! as one. Shown here against a search that keeps it (`Strict`: the fingerprint with
//! every client's last answer hashed in, as the canonical state had it): on the catalog's
//! scenarios whose runs fail requests with a connection reset (a crash of the service,
//! of the CDN's origin, of a batch job's database) and on the small searches, the same
//! completeness, the same broken invariants with the same shortest lengths, and no more
//! states, no more end states, no greater depth, with and without subsumption (the page's search).
use cachescope::sim::search::Searched;
use cachescope::sim::search::{Bounds, FaultBudget, Model, Property, Report, Search, WorldModel};
use cachescope::sim::{scenarios, Event, Fixes, Run};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The search's model with the clients' last answers in the fingerprint.
struct Strict(WorldModel);

/// Every client's last answer, hashed (the payloads name no request or lease of the
/// state: a client's answers carry none).
fn answers(state: &Searched) -> u64 {
    let mut h = DefaultHasher::new();
    for c in state.world.clients.iter() {
        c.last_answer.hash(&mut h);
    }
    h.finish()
}

fn mixed(fingerprint: u64, answers: u64) -> u64 {
    let mut h = DefaultHasher::new();
    (fingerprint, answers).hash(&mut h);
    h.finish()
}

impl Model for Strict {
    type State = Searched;
    type Action = Event;

    fn init(&self) -> Searched {
        self.0.init()
    }
    fn actions(&self, state: &Searched, out: &mut Vec<Event>) -> bool {
        self.0.actions(state, out)
    }
    fn action_at(&self, state: &Searched, choice: usize, out: &mut Vec<Event>) -> Event {
        self.0.action_at(state, choice, out)
    }
    fn next(&self, state: &Searched, action: Event) -> Option<Searched> {
        self.0.next(state, action)
    }
    fn next_owned(&self, state: Searched, action: Event) -> Option<Searched> {
        self.0.next_owned(state, action)
    }
    fn recycle(&self, state: Searched) {
        self.0.recycle(state)
    }
    fn fingerprint(&self, state: &Searched) -> u64 {
        mixed(self.0.fingerprint(state), answers(state))
    }
    fn properties(&self) -> &[Property] {
        self.0.properties()
    }
    /// The same world with fewer faults used: the same last answers.
    fn dominators(&self, state: &Searched, _fingerprint: u64, out: &mut Vec<u64>) {
        let inner = self.0.fingerprint(state);
        self.0.dominators(state, inner, out);
        let a = answers(state);
        for f in out.iter_mut() {
            *f = mixed(*f, a);
        }
    }
    fn now(&self, state: &Searched) -> Option<u64> {
        self.0.now(state)
    }
    fn within(&self, state: &Searched, min_now: u64, max_now: u64) -> bool {
        self.0.within(state, min_now, max_now)
    }
    fn keep_absolute_time(&mut self) {
        self.0.keep_absolute_time()
    }
    fn violates(&self, state: &Searched, i: usize) -> bool {
        self.0.violates(state, i)
    }
}

fn run_of(id: &str, fixes: &[&str]) -> Run {
    let scenario = scenarios::find(id).expect("scenario exists");
    let fixes = Fixes::parse(scenario, fixes.iter().copied()).expect("fixes exist");
    Run::with_default_seed(scenario, fixes)
}

fn verdicts(report: &Report<Event>) -> Vec<(&'static str, usize)> {
    report
        .violations
        .iter()
        .map(|v| (v.name, v.path.len()))
        .collect()
}

/// Both searches of one case: states and depth, then the strict search's.
fn compare(id: &str, fixes: &[&str], faults: u8, subsume: bool) -> (usize, usize, usize, usize) {
    let run = run_of(id, fixes);
    let model = WorldModel::new(&run, FaultBudget::any(faults)).with_time_shift();
    let strict = Strict(WorldModel::new(&run, FaultBudget::any(faults)).with_time_shift());
    let (kept, strict) = if subsume {
        (
            Search::new(model, Bounds::default())
                .with_subsumption()
                .run(),
            Search::new(strict, Bounds::default())
                .with_subsumption()
                .run(),
        )
    } else {
        (
            Search::new(model, Bounds::default()).run(),
            Search::new(strict, Bounds::default()).run(),
        )
    };
    let case = format!("{id} {fixes:?} with {faults} extra faults (subsume {subsume})");
    assert!(kept.complete && strict.complete, "{case}: complete");
    assert_eq!(verdicts(&kept), verdicts(&strict), "{case}: verdicts");
    // A state merged with one found at a lesser depth has the same futures, found
    // sooner: the deepest state may be shallower, never deeper.
    assert!(kept.depth <= strict.depth, "{case}: depth");
    assert_eq!(kept.time_shift, strict.time_shift, "{case}: time shift");
    assert!(kept.states <= strict.states, "{case}: states");
    assert!(kept.ends <= strict.ends, "{case}: end states");
    (kept.states, strict.states, kept.depth, strict.depth)
}

/// (scenario, fixes, extra faults, states and depth, then states and depth with the
/// last answers kept), without subsumption.
#[allow(clippy::type_complexity)]
const CASES: &[(&str, &[&str], u8, usize, usize, usize, usize)] = &[
    // The story's crash of the service: its clients' requests fail with a reset.
    ("dual-write-crash", &[], 0, 43_375, 48_229, 28, 29),
    // One extra fault anywhere: a crash of the service, the cache or the database.
    ("stale-set-race", &[], 1, 23_330, 24_247, 24, 24),
    ("write-through-race", &[], 1, 25_042, 25_533, 20, 21),
    // A client that both writes and reads (read-your-writes, judged at any point).
    ("cross-region-read-your-writes", &[], 0, 426, 426, 20, 20),
    (
        "cross-region-read-your-writes",
        &["remote-marker"],
        0,
        439,
        439,
        24,
        24,
    ),
    // No crash: the last answers are read answers and acknowledgements (a CDN's too).
    ("cdn-purge-race", &[], 0, 5_042, 5_076, 27, 27),
    ("cache-aside-read", &[], 0, 15, 15, 14, 14),
    ("stale-set-race", &[], 0, 311, 316, 16, 16),
    ("stale-set-race", &["lease"], 0, 326, 331, 16, 16),
    ("write-through-race", &[], 0, 257, 259, 14, 14),
    ("replica-lag-refill", &[], 0, 475, 475, 17, 17),
    ("event-duplicate-reorder", &[], 0, 824, 824, 25, 25),
    // (370 and 389 before session 24, when a transaction named its request by id.)
    ("rollback-after-cache-write", &[], 0, 316, 332, 15, 15),
];

#[test]
fn leaving_out_the_last_answers_keeps_every_verdict_and_shortest_length() {
    let mut seen = Vec::new();
    for &(id, fixes, faults, ..) in CASES {
        for subsume in [false, true] {
            let (kept, strict, d, sd) = compare(id, fixes, faults, subsume);
            eprintln!("{id} {fixes:?} {faults} {subsume}: {kept} {strict} depth {d} {sd}");
            seen.push((id, fixes, faults, subsume, kept, strict, d, sd));
        }
    }
    let plain: Vec<_> = seen
        .iter()
        .filter(|s| !s.3)
        .map(|s| (s.0, s.1, s.2, s.4, s.5, s.6, s.7))
        .collect();
    assert_eq!(plain, CASES);
}
