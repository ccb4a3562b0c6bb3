//! The time-shifted fingerprint's soundness, checked (`World::fingerprint_shifted`): the
//! search takes two worlds with one fingerprint as one state, which is sound only if
//! they have the same futures. So, breadth first over the model's states (as the search
//! explores them), every world reached whose fingerprint was found before is compared
//! with the first world found with it: the same enabled events (each named as
//! `Model::action_key` names it, what the fingerprint keeps of it: kind, node, sender,
//! payload's kind, how long until it is due), whether each is an end, and the same set
//! of successors' fingerprints. One step deep: a difference further on shows as a
//! difference one step from a pair further on, which the check compares too.
//!
//! A pair whose shift the horizon cuts (`Model::within` fails over the two `now`s) is
//! counted apart: the search starts again with absolute time where it meets one.
//! Native tests and examples only (`tests/search_shift_sound.rs`, `examples/shift_check.rs`).
use super::model::Model;
use super::world_model::{Searched, WorldModel};
use crate::sim::canon::WordHasher;
use crate::sim::fault::Struck;
use crate::sim::world::Event;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// What the check found.
#[derive(Clone, Debug, Default)]
pub struct ShiftCheck {
    /// Distinct states (fingerprints) found.
    pub states: usize,
    /// Worlds reached again (a fingerprint found before), each compared with the first.
    pub compared: usize,
    /// Of those, the ones with other futures than the first world with their fingerprint.
    pub differing: usize,
    /// Of those compared, the pairs whose `now`s the horizon falls between (not judged).
    pub horizon_cut: usize,
    /// Every state within the bound was visited.
    pub complete: bool,
    /// The first pair with other futures.
    pub first: Option<ShiftDiff>,
}

/// Lines of two worlds' `Debug` that differ: the first's, then the second's.
pub type Fields = Vec<(String, String)>;

/// Two worlds with one fingerprint and other futures.
#[derive(Clone, Debug)]
pub struct ShiftDiff {
    /// The runs (the model's choices from its start) to the first world found with the
    /// fingerprint and to the other.
    pub first: Vec<Event>,
    pub second: Vec<Event>,
    /// Their `now`s.
    pub now: (u64, u64),
    /// The events (with the fingerprint each reaches) one world has that the other has
    /// not: the first's, then the second's.
    pub only_first: Vec<String>,
    pub only_second: Vec<String>,
    /// The lines of the two worlds' `Debug` that differ by something other than the
    /// shift of `now` (the first's line, then the second's): the suspects. Ids the
    /// fingerprint renames differ here too.
    pub fields: Fields,
    /// For the first event both worlds have (by name) that reaches two fingerprints:
    /// the event in each, and the lines of the two worlds it reaches that differ
    /// (as `fields`).
    pub next_fields: Option<(Event, Event, Fields)>,
}

/// A state's futures, in full: per enabled event, its name and the fingerprint it
/// reaches (sorted), and whether it is an end.
struct Futures {
    end: bool,
    /// (event's name, successor's fingerprint, the event itself).
    steps: Vec<(u64, u64, Event)>,
}

impl Futures {
    fn signature(&self) -> u64 {
        let mut h = WordHasher::default();
        h.word(u64::from(self.end));
        for (k, f, _) in &self.steps {
            h.word(*k);
            h.word(*f);
        }
        h.finish()
    }
}

/// An event's name as two worlds with one fingerprint give it: `Model::action_key`,
/// but a fault on a message named by the message (`action_key` names it by id).
fn name(model: &WorldModel, state: &Searched, e: Event) -> u64 {
    match e {
        Event::Fault(f) => match f.struck() {
            Struck::Message(m) => {
                let mut h = WordHasher::default();
                f.name().hash(&mut h);
                h.word(model.action_key(state, Event::Deliver(m)));
                h.finish()
            }
            _ => model.action_key(state, e),
        },
        _ => model.action_key(state, e),
    }
}

fn futures(model: &WorldModel, state: &Searched, actions: &mut Vec<Event>) -> Futures {
    let end = model.actions(state, actions);
    let mut steps: Vec<(u64, u64, Event)> = actions
        .iter()
        .map(|e| {
            let to = model.next(state, *e).map_or(0, |n| model.fingerprint(&n));
            (name(model, state, *e), to, *e)
        })
        .collect();
    steps.sort_by_key(|(k, f, _)| (*k, *f));
    Futures { end, steps }
}

/// The check over at most `max_states` distinct states of `model`'s search.
pub fn check_shift(model: &WorldModel, max_states: usize) -> ShiftCheck {
    let mut out = ShiftCheck::default();
    let mut actions = Vec::new();
    // Per distinct state: its parent and the event from it.
    let mut nodes: Vec<(u32, Option<Event>)> = vec![(0, None)];
    // Per fingerprint: the first state found with it, its futures' signature, its `now`.
    let mut seen: HashMap<u64, (u32, u64, u64)> = HashMap::new();
    let init = model.init();
    let sig = futures(model, &init, &mut actions).signature();
    seen.insert(model.fingerprint(&init), (0, sig, init.world.now_ms));
    let mut level: Vec<(u32, Searched)> = vec![(0, init)];
    let mut cut = false;
    while !level.is_empty() {
        let mut next_level = Vec::new();
        for (index, state) in level {
            model.actions(&state, &mut actions);
            let listed = actions.clone();
            for e in listed {
                let Some(next) = model.next(&state, e) else {
                    continue;
                };
                let fp = model.fingerprint(&next);
                if let Some(&(first, sig, a)) = seen.get(&fp) {
                    // (The two have one shifted fingerprint: what `within` reads of one,
                    // the other has too, shifted.)
                    let b = next.world.now_ms;
                    if !model.within(&next, a.min(b), a.max(b)) {
                        out.horizon_cut += 1;
                        continue;
                    }
                    let mine = futures(model, &next, &mut actions);
                    if mine.signature() != sig {
                        let first_state = replay(model, &nodes, first);
                        if cut_next(model, &first_state, b.abs_diff(a), a <= b)
                            || cut_next(model, &next, b.abs_diff(a), b < a)
                        {
                            out.horizon_cut += 1;
                            continue;
                        }
                        out.compared += 1;
                        out.differing += 1;
                        if out.first.is_none() {
                            let mut second = path(&nodes, index);
                            second.push(e);
                            let theirs = futures(model, &first_state, &mut actions);
                            out.first = Some(diff(
                                model,
                                &first_state,
                                &next,
                                path(&nodes, first),
                                second,
                                &theirs,
                                &mine,
                            ));
                        }
                    } else {
                        out.compared += 1;
                    }
                    continue;
                }
                if seen.len() >= max_states {
                    cut = true;
                    continue;
                }
                let new = nodes.len() as u32;
                nodes.push((index, Some(e)));
                let sig = futures(model, &next, &mut actions).signature();
                seen.insert(fp, (new, sig, next.world.now_ms));
                next_level.push((new, next));
            }
        }
        level = next_level;
    }
    out.states = seen.len();
    out.complete = !cut;
    out
}

/// Whether the horizon falls between a successor of `state` and its shift by `d` ms
/// (later if `later`, else earlier): the search, which keeps the span of `now` each
/// state stands for, meets it there and starts again with absolute time
/// (`Model::within`), so the pair's futures may differ.
fn cut_next(model: &WorldModel, state: &Searched, d: u64, later: bool) -> bool {
    let mut actions = Vec::new();
    model.actions(state, &mut actions);
    actions.iter().any(|e| {
        model.next(state, *e).is_some_and(|n| {
            let now = n.world.now_ms;
            let (min, max) = if later {
                (now, now + d)
            } else {
                (now.saturating_sub(d), now)
            };
            !model.within(&n, min, max)
        })
    })
}

/// The run to the `index`th state.
fn path(nodes: &[(u32, Option<Event>)], mut index: u32) -> Vec<Event> {
    let mut out = Vec::new();
    while let Some((parent, Some(e))) = nodes.get(index as usize).copied() {
        out.push(e);
        index = parent;
    }
    out.reverse();
    out
}

fn replay(model: &WorldModel, nodes: &[(u32, Option<Event>)], index: u32) -> Searched {
    let mut state = model.init();
    for e in path(nodes, index) {
        state = model.next(&state, e).expect("a found run replays");
    }
    state
}

fn diff(
    model: &WorldModel,
    a: &Searched,
    b: &Searched,
    first: Vec<Event>,
    second: Vec<Event>,
    fa: &Futures,
    fb: &Futures,
) -> ShiftDiff {
    let words = |f: &Futures, other: &Futures, w: &Searched| -> Vec<String> {
        let mut v: Vec<String> = f
            .steps
            .iter()
            .filter(|(k, to, _)| !other.steps.iter().any(|(k2, t2, _)| k2 == k && t2 == to))
            .map(|(k, to, e)| {
                let due = w.world.nominal_ms(*e);
                format!("{e:?} (name {k:x}, due {due:?}) -> {to:x}")
            })
            .collect();
        if f.end != other.end {
            v.push(format!("end: {}", f.end));
        }
        v
    };
    let fields = suspects(a, b);
    // The first event both have (by name) whose successors differ.
    let next_fields = fa.steps.iter().find_map(|(k, to, e)| {
        let (_, _, e2) = fb.steps.iter().find(|(k2, t2, _)| {
            k2 == k && t2 != to && !fa.steps.iter().any(|x| x.0 == *k && x.1 == *t2)
        })?;
        let (na, nb) = (model.next(a, *e)?, model.next(b, *e2)?);
        Some((*e, *e2, suspects(&na, &nb)))
    });
    ShiftDiff {
        first,
        second,
        now: (a.world.now_ms, b.world.now_ms),
        only_first: words(fa, fb, a),
        only_second: words(fb, fa, b),
        fields,
        next_fields,
    }
}

/// The lines of two worlds' `Debug` that differ by more than the shift of `now`.
fn suspects(a: &Searched, b: &Searched) -> Fields {
    let shift = b.world.now_ms as i128 - a.world.now_ms as i128;
    let (da, db) = (format!("{a:#?}"), format!("{b:#?}"));
    hunks(&da, &db)
        .into_iter()
        .filter(|(la, lb)| !shifted(la, lb, shift))
        .collect()
}

/// Whether two hunks differ only in numbers that differ by `shift` (a time shifted
/// with `now`).
fn shifted(a: &str, b: &str, shift: i128) -> bool {
    let nums = |l: &str| -> Vec<i128> {
        l.split(|c: char| !c.is_ascii_digit())
            .filter_map(|s| s.parse().ok())
            .collect()
    };
    let words = |l: &str| -> String { l.chars().filter(|c| !c.is_ascii_digit()).collect() };
    let (na, nb) = (nums(a), nums(b));
    words(a) == words(b)
        && na.len() == nb.len()
        && na.iter().zip(&nb).all(|(x, y)| y - x == shift || x == y)
}

/// The hunks where two texts differ, line by line (a longest common subsequence):
/// each the first's lines and the second's, trimmed and joined.
fn hunks(a: &str, b: &str) -> Vec<(String, String)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let (mut ha, mut hb) = (Vec::new(), Vec::new());
    let mut flush = |ha: &mut Vec<&str>, hb: &mut Vec<&str>| {
        if !ha.is_empty() || !hb.is_empty() {
            let join = |h: &[&str]| h.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            out.push((join(ha), join(hb)));
            ha.clear();
            hb.clear();
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut ha, &mut hb);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
            hb.push(b[j]);
            j += 1;
        } else {
            ha.push(a[i]);
            i += 1;
        }
    }
    flush(&mut ha, &mut hb);
    out
}
