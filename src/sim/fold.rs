//! Folding a run for its views: a long stretch of steps in which nothing new happens
//! but cache hits (the same keys, values and rows, no invariant, node or queue
//! changing, no fault) can be shown as one row ("×4 cache hits"). Folding is a way of
//! drawing the run, nothing more: it never changes the run, its trace or its steps,
//! and the step controls still move one simulation step.
//!
//! A step `n` (the event that led from state `n - 1` to state `n`) is *quiet* when it
//! is not a fault and the two states' views agree on everything a learner watches
//! (`Watched`) except the `cache-hits` count. A fold is a maximal stretch of at least
//! `MIN_FOLD_STEPS` quiet steps with at least `MIN_FOLD_HITS` cache hits in it, none of
//! them a step the caller keeps (the timeline's chapters).
use super::books::Metric;
use super::ids::NodeId;
use super::run::Run;
use super::view::{
    BusMessageView, CacheEntryView, ConsumerView, DbRowView, DlqView, GuardView, NodeStatus,
    OutboxRowView, QueueItemView, View,
};
use super::world::Event;

/// The fewest steps a fold takes: a cache hit is five steps (the request, the get,
/// the hit, the answer, the reply), so a fold hides at least most of one.
pub const MIN_FOLD_STEPS: usize = 6;
/// The fewest cache hits in a fold: "repeated" hits.
pub const MIN_FOLD_HITS: u64 = 2;

/// Steps `first..=last` shown as one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub first: usize,
    pub last: usize,
    /// Cache hits in the stretch.
    pub cache_hits: u64,
}

impl Fold {
    pub fn len(&self) -> usize {
        self.last + 1 - self.first
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn contains(&self, step: usize) -> bool {
        (self.first..=self.last).contains(&step)
    }

    /// The row's words, from its counts: `×4 cache hits, steps 12–23: no value, row
    /// or invariant changes`.
    pub fn summary(&self) -> String {
        format!(
            "×{} cache hit{}, steps {}–{}: no value, row or invariant changes",
            self.cache_hits,
            if self.cache_hits == 1 { "" } else { "s" },
            self.first,
            self.last,
        )
    }
}

/// What a learner watches of a moment; a quiet step leaves all of it as it was.
#[derive(PartialEq, Eq)]
struct Watched {
    cache: Vec<CacheEntryView>,
    guards: Vec<GuardView>,
    db: Vec<DbRowView>,
    invariants: Vec<(&'static str, bool)>,
    nodes: Vec<(NodeId, NodeStatus)>,
    /// Every metric but `cache-hits`.
    metrics: Vec<(&'static str, u64)>,
    outbox: Vec<OutboxRowView>,
    bus: Vec<BusMessageView>,
    dlq: Vec<DlqView>,
    queue: Vec<QueueItemView>,
    consumer: Option<ConsumerView>,
}

impl Watched {
    fn of(v: View) -> (Watched, u64) {
        let hits = v
            .metrics
            .iter()
            .find(|m| m.name == Metric::CacheHits.name())
            .map_or(0, |m| m.value);
        let watched = Watched {
            cache: v.cache,
            guards: v.guards,
            db: v.db,
            invariants: v.invariants.iter().map(|i| (i.name, i.ok)).collect(),
            nodes: v.nodes.iter().map(|n| (n.id, n.status)).collect(),
            metrics: v
                .metrics
                .iter()
                .filter(|m| m.name != Metric::CacheHits.name())
                .map(|m| (m.name, m.value))
                .collect(),
            outbox: v.outbox,
            bus: v.bus,
            dlq: v.dlq,
            queue: v.queue,
            consumer: v.consumer,
        };
        (watched, hits)
    }
}

/// The folds of `run`'s steps `1..=upto` (bounded by its recorded steps), in order,
/// leaving out the steps in `keep`. One view per state: linear in the steps.
pub fn folds(run: &Run, upto: usize, keep: &[usize]) -> Vec<Fold> {
    let upto = upto.min(run.recorded());
    let records = run.all_records();
    let mut out = Vec::new();
    let Some(start) = run.state(0) else {
        return out;
    };
    let (mut before, mut hits_before) = Watched::of(View::of(start, run.scenario));
    // The stretch of quiet steps under way: its first step and the hits before it.
    let mut open: Option<(usize, u64)> = None;
    let close = |open: Option<(usize, u64)>, last: usize, hits: u64, out: &mut Vec<Fold>| {
        if let Some((first, hits_at_first)) = open {
            let fold = Fold {
                first,
                last,
                cache_hits: hits - hits_at_first,
            };
            if fold.len() >= MIN_FOLD_STEPS && fold.cache_hits >= MIN_FOLD_HITS {
                out.push(fold);
            }
        }
    };
    for step in 1..=upto {
        let Some(state) = run.state(step) else { break };
        let (now, hits_now) = Watched::of(View::of(state, run.scenario));
        let quiet = !matches!(records[step - 1].event, Event::Fault(_))
            && !keep.contains(&step)
            && now == before;
        match (quiet, open) {
            (true, None) => open = Some((step, hits_before)),
            (true, Some(_)) => {}
            (false, Some(_)) => {
                close(open, step - 1, hits_before, &mut out);
                open = None;
            }
            (false, None) => {}
        }
        before = now;
        hits_before = hits_now;
    }
    close(open, upto, hits_before, &mut out);
    out
}

/// The `cache-hits` count in each of `run`'s recorded states (index: step).
pub fn cache_hits(run: &Run) -> Vec<u64> {
    (0..=run.recorded())
        .map_while(|step| run.state(step))
        .map(|w| Metric::CacheHits.value(&w.metrics))
        .collect()
}

/// `folds` as far as step `upto`: a fold past it is cut there if what is left still
/// folds (`hits`: the `cache-hits` count per step, from `cache_hits`), else left out.
pub fn clip(folds: &[Fold], upto: usize, hits: &[u64]) -> Vec<Fold> {
    let mut out = Vec::new();
    for f in folds {
        if f.last <= upto {
            out.push(*f);
        } else if f.first <= upto {
            let (Some(at_end), Some(before)) = (hits.get(upto), hits.get(f.first - 1)) else {
                continue;
            };
            let cut = Fold {
                first: f.first,
                last: upto,
                cache_hits: at_end - before,
            };
            if cut.len() >= MIN_FOLD_STEPS && cut.cache_hits >= MIN_FOLD_HITS {
                out.push(cut);
            }
        }
    }
    out
}

/// What a view shows for each of the steps `1..=upto`, given the folds and which of
/// them are open: a step of its own, a folded row standing for several, or the
/// heading of an unfolded stretch (which folds it again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Step(usize),
    Folded(Fold),
    /// Stands for no step: the steps of the fold follow it.
    Unfolded(Fold),
}

/// The rows for steps `1..=upto`: a fold is one row unless it is `open` (by its first
/// step) or holds `cursor` (the step shown is always a row of its own); then a heading
/// and its steps.
pub fn rows(upto: usize, folds: &[Fold], open: &[usize], cursor: usize) -> Vec<Row> {
    let mut rows = Vec::with_capacity(upto);
    let mut step = 1;
    while step <= upto {
        match folds.iter().find(|f| f.first == step && f.last <= upto) {
            Some(f) if !open.contains(&f.first) && !f.contains(cursor) => {
                rows.push(Row::Folded(*f));
                step = f.last + 1;
            }
            Some(f) => {
                rows.push(Row::Unfolded(*f));
                rows.push(Row::Step(step));
                step += 1;
            }
            None => {
                rows.push(Row::Step(step));
                step += 1;
            }
        }
    }
    rows
}
