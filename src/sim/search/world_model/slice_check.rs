//! The slice's soundness, checked (`slice.rs`): the full model and the slice followed
//! side by side over every run of a scenario, breadth first over pairs of states.
//!
//! A pair is a state of the full model, a state of the slice, and which messages and
//! timers of the one are which of the other (the rest of the full state's are the
//! readers'; the slice has none of the readers'). From each pair, every event the full
//! model can take:
//! - a reader's (its start, a message or a timer one of its steps made, or a close a
//!   crash sent it, a fault on such a message): the slice stays where it is. Checked: it took none of the
//!   others' messages or timers, changed no node's status or link, and
//!   `no-lost-event` holds after it exactly where it holds in the slice's state;
//! - any other: the slice takes the same event (the message or timer paired with it,
//!   the same start or fault). Checked: the slice lists it (`Slice::actions`), steps
//!   it, the two remove the same paired messages and timers and add as many new ones
//!   (but the full model's to a reader, the readers'), pairwise alike (sender, receiver, payload's kind; owner, timer's kind), every
//!   node's status and every link are the same after, and `no-lost-event` holds after
//!   in the one exactly where it holds in the other.
//!
//! When the check completes, every state the full model reaches has a state the slice
//! reaches where `no-lost-event` holds alike: a slice search that finds no state
//! breaking it shows the full model has none either, in any run (so none at a run's
//! end, where the full model judges it).
//!
//! With ghost readers (`check_ghost_slice`, `ghost.rs`) a reader's start is not the
//! readers' alone: the slice takes the ghost's start with it (its jump of `now`),
//! listed; and the slice's `now` is checked never to pass the full model's.
use super::slice::{readers, Slice, SLICED};
use super::{Searched, WorldModel};
use crate::sim::fault::Fault;
use crate::sim::ids::{MsgId, NodeId, TimerId};
use crate::sim::msg::Message;
use crate::sim::run::Run;
use crate::sim::search::model::Model;
use crate::sim::search::{Bounds, FaultBudget};
use crate::sim::world::{Event, Timer, World};
use std::cell::RefCell;

mod product;
mod sample;

pub use sample::SliceSample;

/// What the side-by-side check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceCheck {
    /// Distinct pairs of states visited.
    pub pairs: usize,
    /// The full model's transitions checked.
    pub transitions: usize,
    /// The deepest level of pairs visited (the full model's steps from its start):
    /// every level before it was visited whole, so an incomplete check still follows
    /// every run of the full model that is shorter.
    pub depth: usize,
    /// Every pair was visited (not stopped at the bound).
    pub complete: bool,
    /// The first step where the slice does not follow, in words.
    pub error: Option<String>,
    /// The most the full model's `now` was ahead of the slice's in a pair (ms). With
    /// ghost readers: what their deliveries added, at most the slack
    /// (`Slice::ghost_slack`) by `ghost.rs`'s argument.
    pub gap_ms: u64,
    /// Pairs shifted in time were taken as one (`product.rs`).
    pub time_shift: bool,
}

#[derive(Clone)]
struct Pair {
    full: Searched,
    slice: Searched,
    /// Each message of the full state with its partner in the slice's.
    msgs: Vec<(MsgId, MsgId)>,
    timers: Vec<(TimerId, TimerId)>,
}

/// Follows `run`'s full search (the story's faults and `budget` more) and its slice
/// side by side, over at most `max_pairs` pairs; `None` when the scenario does not
/// check `no-lost-event`.
pub fn check_slice(run: &Run, budget: FaultBudget, max_pairs: usize) -> Option<SliceCheck> {
    check(
        Slice::new(run, budget)?,
        run,
        budget,
        pairs(max_pairs),
        &mut |_, _| {},
    )
}

/// `check_slice` of the slice with ghost readers (`Slice::with_ghost_readers`; with
/// `slack`, `Slice::with_ghost_slack`): a reader's start is the slice's too (its
/// jump of `now`), its other steps leave the slice where it is.
pub fn check_ghost_slice(
    run: &Run,
    budget: FaultBudget,
    slack: Option<u64>,
    max_pairs: usize,
) -> Option<SliceCheck> {
    check_ghost_slice_watched(run, budget, slack, pairs(max_pairs), &mut |_, _| {})
}

/// `check_ghost_slice` within `bounds` (pairs, and the full model's steps: with
/// `max_depth`, a check that stops only there has followed every run of the full
/// model at most that long), telling `watch` the pairs found and the depth each time
/// a level of pairs is done (for a long check's progress).
pub fn check_ghost_slice_watched(
    run: &Run,
    budget: FaultBudget,
    slack: Option<u64>,
    bounds: Bounds,
    watch: &mut dyn FnMut(usize, usize),
) -> Option<SliceCheck> {
    let slice = Slice::new(run, budget)?;
    let slice = match slack {
        Some(ms) => slice.with_ghost_slack(ms),
        None => slice.with_ghost_readers(),
    };
    check(slice, run, budget, bounds, watch)
}

/// `check_slice` of the slice with strict timers (`Slice::with_strict_timers`), to
/// show that the check rejects an unsound slice.
pub fn check_strict_slice(run: &Run, budget: FaultBudget, max_pairs: usize) -> Option<SliceCheck> {
    check(
        Slice::new(run, budget)?.with_strict_timers(),
        run,
        budget,
        pairs(max_pairs),
        &mut |_, _| {},
    )
}

/// `check_ghost_slice` (with `slack` as there) along `runs` runs of the full model
/// drawn at random from `seed` (each run's odds of a fault drawn first, then each event
/// among those enabled, every run followed to its end or to `max_steps` steps), rather than over every run: it reaches runs of any
/// length, where the exhaustive check stops at a depth (`sample.rs`). `None` when the
/// scenario does not check `no-lost-event`.
pub fn sample_ghost_slice(
    run: &Run,
    budget: FaultBudget,
    slack: Option<u64>,
    runs: usize,
    seed: u64,
    max_steps: usize,
) -> Option<SliceSample> {
    let slice = Slice::new(run, budget)?;
    let slice = match slack {
        Some(ms) => slice.with_ghost_slack(ms),
        None => slice.with_ghost_readers(),
    };
    Some(match paired(slice, run, budget)? {
        Ok((c, start)) => sample::sample(&c, &start, runs, seed, max_steps),
        Err(e) => SliceSample::failed(e),
    })
}

/// At most `max_pairs` pairs, no bound on depth but the search's own.
fn pairs(max_pairs: usize) -> Bounds {
    Bounds {
        max_states: max_pairs,
        ..Bounds::default()
    }
}

fn check(
    slice: Slice,
    run: &Run,
    budget: FaultBudget,
    bounds: Bounds,
    watch: &mut dyn FnMut(usize, usize),
) -> Option<SliceCheck> {
    let mut report = SliceCheck {
        pairs: 1,
        transitions: 0,
        depth: 0,
        complete: false,
        error: None,
        gap_ms: 0,
        time_shift: false,
    };
    match paired(slice, run, budget)? {
        Ok((c, start)) => Some(product::walk(c, start, bounds, watch)),
        Err(e) => {
            report.error = Some(e);
            Some(report)
        }
    }
}

/// The checker and the two start states paired; `None` when the scenario does not
/// check `no-lost-event`, `Err` (in words) when the start states differ.
fn paired(slice: Slice, run: &Run, budget: FaultBudget) -> Option<Result<(Checker, Pair), String>> {
    let full = WorldModel::new(run, budget);
    let at = run.scenario.invariants.iter().position(|i| *i == SLICED)?;
    let readers = readers(&full.start);
    let c = Checker {
        full,
        slice,
        at,
        readers,
        buf: RefCell::new(Vec::new()),
    };
    let (f, s) = (c.full.init(), c.slice.init());
    let start = match (
        pair_all(&f.world.net, &s.world.net, msg_sig),
        pair_all(&f.world.timers, &s.world.timers, timer_sig),
    ) {
        (Some(msgs), Some(timers)) => Pair {
            full: f,
            slice: s,
            msgs,
            timers,
        },
        _ => return Some(Err("the two start states differ".into())),
    };
    if let Err(e) = c.same_verdict(&start.full, &start.slice) {
        return Some(Err(format!("at the start: {e}")));
    }
    Some(Ok((c, start)))
}

/// How far a pair's full state is into its run (its clock), for the words.
fn clock(p: &Pair) -> String {
    format!("{} ms", p.full.world.now_ms)
}

type MsgSig = (NodeId, NodeId, &'static str, bool);

fn msg_sig(m: &Message) -> MsgSig {
    (m.from, m.to, m.payload.kind(), m.flow.is_some())
}

fn timer_sig(t: &Timer) -> (NodeId, std::mem::Discriminant<crate::sim::world::TimerKind>) {
    (t.owner, std::mem::discriminant(&t.kind))
}

trait Id {
    type Of: Copy + PartialEq;
    fn id(&self) -> Self::Of;
}

impl Id for Message {
    type Of = MsgId;
    fn id(&self) -> MsgId {
        self.id
    }
}

impl Id for Timer {
    type Of = TimerId;
    fn id(&self) -> TimerId {
        self.id
    }
}

/// Which of one side's ids is which of the other's.
type Pairing<T> = Vec<(<T as Id>::Of, <T as Id>::Of)>;

/// Pairs two lists one to one, in order, if they are alike.
fn pair_all<T: Id, S: PartialEq>(a: &[T], b: &[T], sig: impl Fn(&T) -> S) -> Option<Pairing<T>> {
    (a.len() == b.len() && a.iter().zip(b).all(|(x, y)| sig(x) == sig(y)))
        .then(|| a.iter().zip(b).map(|(x, y)| (x.id(), y.id())).collect())
}

/// `map` after a step of both sides (`before` to `after`, each side): the pairs whose
/// two ends are both still there, and the new ones paired in order; `Err` if one end
/// left without the other or the new ones differ.
/// `theirs`: a new one of the full side's that is the readers' (a crash's close to a
/// reader waiting on the node: review 20b, F8), left unpaired as the readers' steps.
fn carry<T: Id, S: PartialEq>(
    map: &[(T::Of, T::Of)],
    full: (&[T], &[T]),
    slice: (&[T], &[T]),
    sig: impl Fn(&T) -> S,
    theirs: impl Fn(&T) -> bool,
    what: &str,
) -> Result<Pairing<T>, String> {
    let has = |list: &[T], id: T::Of| list.iter().any(|x| x.id() == id);
    let mut out = Vec::with_capacity(map.len() + 2);
    for (f, s) in map {
        match (has(full.1, *f), has(slice.1, *s)) {
            (true, true) => out.push((*f, *s)),
            (false, false) => {}
            _ => return Err(format!("a paired {what} left one side only")),
        }
    }
    let nf: Vec<&T> = full
        .1
        .iter()
        .filter(|x| !has(full.0, x.id()) && !theirs(x))
        .collect();
    let ns: Vec<&T> = slice.1.iter().filter(|x| !has(slice.0, x.id())).collect();
    if nf.len() != ns.len() || nf.iter().zip(&ns).any(|(x, y)| sig(x) != sig(y)) {
        return Err(format!(
            "the new {what}s differ ({} against {} in the slice)",
            nf.len(),
            ns.len()
        ));
    }
    out.extend(nf.iter().zip(&ns).map(|(x, y)| (x.id(), y.id())));
    Ok(out)
}

struct Checker {
    full: WorldModel,
    slice: Slice,
    /// `no-lost-event`'s place among the full model's invariants.
    at: usize,
    readers: Vec<NodeId>,
    buf: RefCell<Vec<Event>>,
}

impl Checker {
    /// The pair after the full model's event `e` (which took `p.full` to `after`):
    /// the slice's answer to it, checked; `Err` (in words) where the slice does not
    /// follow.
    fn step(&self, p: &Pair, e: Event, after: Searched) -> Result<Pair, String> {
        let q = if self.is_readers(p, e) {
            self.reader_step(p, e, after)
        } else {
            self.other_step(p, e, after)
        }?;
        self.times(&q)?;
        Ok(q)
    }

    fn same_verdict(&self, full: &Searched, slice: &Searched) -> Result<(), String> {
        let (a, b) = (
            self.full.violates(full, self.at),
            self.slice.violates(slice, 0),
        );
        if a == b {
            Ok(())
        } else {
            Err(format!(
                "no-lost-event {} in the full model, {} in the slice",
                word(a),
                word(b)
            ))
        }
    }

    /// Whether `e` is a reader's: its start, or a message or timer not paired (one of
    /// the readers' steps made it), or a fault on such a message.
    fn is_readers(&self, p: &Pair, e: Event) -> bool {
        let unpaired_msg = |m: MsgId| !p.msgs.iter().any(|(f, _)| *f == m);
        match e {
            Event::Start(c) => self.readers.contains(&c),
            Event::Deliver(m) => unpaired_msg(m),
            Event::Fire(t) => !p.timers.iter().any(|(f, _)| *f == t),
            Event::Fault(Fault::Drop(m) | Fault::Delay(m) | Fault::Duplicate(m)) => unpaired_msg(m),
            Event::Fault(_) => false,
        }
    }

    fn reader_step(&self, p: &Pair, e: Event, after: Searched) -> Result<Pair, String> {
        let slice = match e {
            Event::Start(r) if self.slice.ghost_slack().is_some() => self.ghost_start(p, r)?,
            _ => p.slice.clone(),
        };
        let w = &after.world;
        if !p.msgs.iter().all(|(f, _)| w.net.iter().any(|m| m.id == *f)) {
            return Err("a reader's step took a message of the others".into());
        }
        if !p
            .timers
            .iter()
            .all(|(f, _)| w.timers.iter().any(|t| t.id == *f))
        {
            return Err("a reader's step took a timer of the others".into());
        }
        if w.status != p.full.world.status || w.cuts != p.full.world.cuts {
            return Err("a reader's step changed a node's status or a link".into());
        }
        self.same_verdict(&after, &slice)?;
        Ok(Pair {
            full: after,
            slice,
            msgs: p.msgs.clone(),
            timers: p.timers.clone(),
        })
    }

    /// With ghost readers, half of the lemma of `ghost.rs`'s argument: the slice's
    /// `now` is never later than the full model's (the other half, by how much it
    /// may be earlier, is `SliceCheck::gap_ms`, for the caller to compare with the
    /// slack: a slack too small shows as a step the slice does not follow).
    fn times(&self, p: &Pair) -> Result<(), String> {
        if self.slice.ghost_slack().is_none() {
            return Ok(());
        }
        let (f, s) = (p.full.world.now_ms, p.slice.world.now_ms);
        if s > f {
            return Err(format!(
                "the slice's now ({s} ms) is past the full model's ({f} ms)"
            ));
        }
        Ok(())
    }

    /// The ghost slice's steps for the full model's start of reader `r`'s request:
    /// the ghost's starts up to that request (none if the slice is past it already:
    /// the start was due there and moved nothing), each listed.
    fn ghost_start(&self, p: &Pair, r: NodeId) -> Result<Searched, String> {
        let next = |w: &World| w.clients.iter().find(|c| c.id == r).map_or(0, |c| c.next);
        let k = next(&p.full.world);
        let mut slice = p.slice.clone();
        while next(&slice.world) <= k {
            let listed = {
                let mut buf = self.buf.borrow_mut();
                self.slice.actions(&slice, &mut buf);
                buf.contains(&Event::Start(r))
            };
            if !listed {
                return Err(format!("the slice does not list the ghost's start {r}"));
            }
            slice = self
                .slice
                .next(&slice, Event::Start(r))
                .ok_or("the slice cannot step the ghost's start")?;
        }
        Ok(slice)
    }

    fn other_step(&self, p: &Pair, e: Event, after: Searched) -> Result<Pair, String> {
        let msg = |m: MsgId| p.msgs.iter().find(|(f, _)| *f == m).map(|(_, s)| *s);
        let theirs = match e {
            Event::Start(c) => Some(Event::Start(c)),
            Event::Deliver(m) => msg(m).map(Event::Deliver),
            Event::Fire(t) => p
                .timers
                .iter()
                .find(|(f, _)| *f == t)
                .map(|(_, s)| Event::Fire(*s)),
            Event::Fault(Fault::Drop(m)) => msg(m).map(|s| Event::Fault(Fault::Drop(s))),
            Event::Fault(Fault::Delay(m)) => msg(m).map(|s| Event::Fault(Fault::Delay(s))),
            Event::Fault(Fault::Duplicate(m)) => msg(m).map(|s| Event::Fault(Fault::Duplicate(s))),
            Event::Fault(f) => Some(Event::Fault(f)),
        };
        let theirs = theirs.ok_or("no partner in the slice")?;
        let listed = {
            let mut buf = self.buf.borrow_mut();
            self.slice.actions(&p.slice, &mut buf);
            buf.contains(&theirs)
        };
        if !listed {
            return Err(format!("the slice does not list {theirs}"));
        }
        let slice = self
            .slice
            .next(&p.slice, theirs)
            .ok_or("the slice cannot step it")?;
        let (wf, ws) = (&after.world, &slice.world);
        let msgs = carry(
            &p.msgs,
            (&p.full.world.net, &wf.net),
            (&p.slice.world.net, &ws.net),
            msg_sig,
            |m| self.readers.contains(&m.to),
            "message",
        )?;
        let timers = carry(
            &p.timers,
            (&p.full.world.timers, &wf.timers),
            (&p.slice.world.timers, &ws.timers),
            timer_sig,
            |_| false,
            "timer",
        )?;
        if wf.status != ws.status || wf.cuts != ws.cuts {
            return Err("a node's status or a link differs after it".into());
        }
        self.same_verdict(&after, &slice)?;
        Ok(Pair {
            full: after,
            slice,
            msgs,
            timers,
        })
    }
}

fn word(broken: bool) -> &'static str {
    if broken {
        "broken"
    } else {
        "holds"
    }
}
