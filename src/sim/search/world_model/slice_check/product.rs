//! The side-by-side check as a `Model` of its own, searched by the breadth-first
//! `Search`: a state is a pair (the full model's state, the slice's, and which of
//! their messages and timers are which), an action is the full model's event, and the
//! next pair is the slice's answer to it (`Checker`'s steps). So the check stores what
//! the search stores (16 bytes a pair, the frontier re-derived by replay past
//! `Bounds::held_states`), not whole levels of pairs, and it keys pairs as follows.
//!
//! **The key** (`Model::fingerprint` here) is the full state's fingerprint, the
//! slice's, the faults each has used, the gap between their clocks (the full model's
//! `now` minus the slice's), and the pairing named by the items' own words: for each
//! paired message the word the full state's fingerprint hashes of it with the word
//! the slice's hashes of its partner (`World::item_words`), as a multiset, and the
//! same of the timers. Two pairs with one key are one up to the renaming of ids that
//! makes their full states one and the one that makes their slices one: a paired
//! item's words name it up to that renaming, and two items of one state with one
//! word are alike but for their ids, so which of them a partner goes with changes
//! nothing. (The check of session 16 named a partner by its place in the lists,
//! which two states with one fingerprint may order differently.)
//!
//! **With the time shift** (where the fingerprints allow it: not under XFetch), the
//! two fingerprints and the items' words are the shifted ones (`World::
//! fingerprint_shifted`: each time read as an offset from its world's `now`), and
//! the key keeps the gap. So two pairs with one key differ by one shift of every time
//! on both sides at once (the full state by `d` and the slice by the same `d`, as
//! their gap is the same). Every rule of either model but the horizon compares two
//! times of its own world (a message due, a timer due within the ghost's slack of the
//! first other event, a ghost's start due at or before `now`, `now` moved to a
//! start's time), and every check of the pair compares a time of one side with a
//! time of the other only through the gap (`Checker::times`, `SliceCheck::gap_ms`),
//! which the shift keeps. So a pair shifted by `d` has the same futures, each shifted
//! by `d`, with the same steps checked alike, as long as the horizon cuts nothing
//! differently: `Model::within` here asks both sides, the slice's span of `now` the
//! full model's less the gap; where it fails the search starts again with absolute
//! time (`Search`'s rule). A check that completes with the shift has so checked every
//! pair the exact key would have visited.
//!
//! **Not used**: subsumption (a pair with fewer faults used standing for one with
//! more), because which faults each side may place depends on its own world (a hand
//! restart's charge reads whether a supervisor's restart is pending), so fewer
//! faults on both sides could list in the slice a fault the other pair's slice
//! does not, and hide that error; symmetry of readers (`dual-write-crash` has one).
use super::{Checker, Pair, SliceCheck};
use crate::sim::canon::WordHasher;
use crate::sim::search::model::{Model, Property};
use crate::sim::search::{Bounds, Search};
use crate::sim::world::{Event, World};
use std::cell::{Cell, RefCell};
use std::hash::Hasher;

/// The check as a model (see the module's doc).
struct Product {
    c: Checker,
    /// The two start states, paired.
    start: Pair,
    /// Fingerprints and words shifted in time (`Model::now`).
    shift: bool,
    /// The first step the slice did not follow, in words.
    error: RefCell<Option<String>>,
    /// The largest gap seen (ms).
    gap: Cell<u64>,
    /// The items' words of each side (`World::item_words`), kept between keys.
    words: RefCell<Words>,
}

#[derive(Default)]
struct Words {
    msgs: Vec<u64>,
    timers: Vec<u64>,
    slice_msgs: Vec<u64>,
    slice_timers: Vec<u64>,
    pairs: Vec<u64>,
}

/// The full model's clock ahead of the slice's (as a word: it may be negative
/// without ghost readers, whose slice makes messages due at once).
fn gap(p: &Pair) -> u64 {
    p.full.world.now_ms.wrapping_sub(p.slice.world.now_ms)
}

/// A word for two words.
fn both(a: u64, b: u64) -> u64 {
    let mut h = WordHasher::default();
    h.word(a);
    h.word(b);
    h.finish()
}

/// Each pairing's words, sorted, hashed into `h`: the word of the full state's item
/// with that of its partner (`place` finds an id in its world's list).
fn pairing<I: Copy + PartialEq>(
    map: &[(I, I)],
    place: impl Fn(bool, I) -> Option<usize>,
    words: (&[u64], &[u64]),
    out: &mut Vec<u64>,
    h: &mut WordHasher,
) {
    out.clear();
    for (f, s) in map {
        let a = place(true, *f).and_then(|i| words.0.get(i)).copied();
        let b = place(false, *s).and_then(|i| words.1.get(i)).copied();
        out.push(both(a.unwrap_or(u64::MAX), b.unwrap_or(u64::MAX)));
    }
    crate::sim::canon::sort_small(out);
    h.word(out.len() as u64);
    for w in out.iter() {
        h.word(*w);
    }
}

impl Model for Product {
    type State = Pair;
    type Action = Event;

    fn init(&self) -> Pair {
        self.start.clone()
    }

    fn actions(&self, p: &Pair, out: &mut Vec<Event>) -> bool {
        self.gap.set(
            self.gap
                .get()
                .max(p.full.world.now_ms.saturating_sub(p.slice.world.now_ms)),
        );
        self.c.full.actions(&p.full, out)
    }

    fn action_at(&self, p: &Pair, choice: usize, out: &mut Vec<Event>) -> Event {
        self.c.full.action_at(&p.full, choice, out)
    }

    fn next(&self, p: &Pair, e: Event) -> Option<Pair> {
        let after = self.c.full.next(&p.full, e)?;
        match self.c.step(p, e, after) {
            Ok(q) => Some(q),
            Err(err) => {
                let mut error = self.error.borrow_mut();
                if error.is_none() {
                    *error = Some(format!("{e} from a state at {}: {err}", super::clock(p)));
                }
                None
            }
        }
    }

    fn fingerprint(&self, p: &Pair) -> u64 {
        let mut words = self.words.borrow_mut();
        let Words {
            msgs,
            timers,
            slice_msgs,
            slice_timers,
            pairs,
        } = &mut *words;
        let (f, s) = (&p.full.world, &p.slice.world);
        // `shift` is on only where both sides have shifted words (not under XFetch).
        let full = f.item_words(self.shift, msgs, timers).unwrap_or(0);
        let slice = s
            .item_words(self.shift, slice_msgs, slice_timers)
            .unwrap_or(0);
        let mut h = WordHasher::default();
        h.word(full);
        h.word(slice);
        h.word(if self.shift { gap(p) } else { 0 });
        for side in [&p.full, &p.slice] {
            h.word(u64::from(side.extra_used));
            h.word(side.story_used.len() as u64);
            for n in side.story_used.iter() {
                h.word(u64::from(*n));
            }
        }
        let at_msg = |w: &World, id| w.net.iter().position(|m| m.id == id);
        let at_timer = |w: &World, id| w.timers.iter().position(|t| t.id == id);
        pairing(
            &p.msgs,
            |full, id| at_msg(if full { f } else { s }, id),
            (msgs, slice_msgs),
            pairs,
            &mut h,
        );
        pairing(
            &p.timers,
            |full, id| at_timer(if full { f } else { s }, id),
            (timers, slice_timers),
            pairs,
            &mut h,
        );
        h.finish()
    }

    fn properties(&self) -> &[Property] {
        &[]
    }

    fn now(&self, p: &Pair) -> Option<u64> {
        self.shift.then_some(p.full.world.now_ms)
    }

    /// Both sides, the slice's span of `now` the full model's less the gap.
    fn within(&self, p: &Pair, min_now: u64, max_now: u64) -> bool {
        let (f, s) = (p.full.world.now_ms, p.slice.world.now_ms);
        let slice_now = |n: u64| (n + s).saturating_sub(f);
        self.c.full.within(&p.full, min_now, max_now)
            && self
                .c
                .slice
                .within(&p.slice, slice_now(min_now), slice_now(max_now))
    }

    fn keep_absolute_time(&mut self) {
        self.shift = false;
    }

    fn violates(&self, _p: &Pair, _i: usize) -> bool {
        false
    }
}

/// The search over pairs from `start`, stopped at the first step the slice does not
/// follow or at `bounds`; `watch` is told the pairs found and the depth
/// each time a level is done.
pub(super) fn walk(
    c: Checker,
    start: Pair,
    bounds: Bounds,
    watch: &mut dyn FnMut(usize, usize),
) -> SliceCheck {
    let shift = start.full.world.fingerprint_shifted().is_some()
        && start.slice.world.fingerprint_shifted().is_some();
    let product = Product {
        c,
        start,
        shift,
        error: RefCell::new(None),
        gap: Cell::new(0),
        words: RefCell::new(Words::default()),
    };
    let mut search = Search::new(product, bounds);
    // Bounded: each step visits new pairs or finds none left.
    let mut depth = 0;
    while search.model().error.borrow().is_none() {
        let progress = search.step(256);
        if progress.depth != depth || progress.done {
            watch(progress.states, progress.depth);
            depth = progress.depth;
        }
        if progress.done {
            break;
        }
    }
    let r = search.report();
    let error = search.model().error.borrow().clone();
    SliceCheck {
        pairs: r.states,
        transitions: r.transitions,
        depth: r.depth,
        complete: r.complete && error.is_none(),
        error,
        gap_ms: search.model().gap.get(),
        time_shift: r.time_shift,
    }
}
