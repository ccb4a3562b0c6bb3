//! Where am I: the run's length, known by running ahead of the cursor, and the
//! moments that matter on the way (chapters), each derived from the states and the
//! records of the run, never from a per-scenario flag:
//!
//! - `race`: a commit overtakes a value on its way (a database read's answer or a
//!   cache fill carrying an older version of the key than the one just committed), and
//!   that older value then reaches a cache (stored, or its set refused by a fix);
//!   `overtaken` where it never does (lost with a crashed node, say): no race played out;
//! - `violated` / `restored`: an invariant starts or stops failing; `window` instead of
//!   `violated` where what is under way then mends it later in the run (`fn window`);
//! - `stale-read`: a client got a stale value (the `stale-reads` counter grew);
//! - `crash` and `fault`: an injected fault;
//! - `fix`: the first step where the run differs from the same choices without its
//!   fixes (the comparison of side by side): what the run does there with them and
//!   what it does without them. Not "the fix acts": the first difference can be a
//!   push lost to a down node, or a close that finds nothing to flush (review session
//!   20, F11).
//!
//! Running ahead works on a copy: the page's run, its branches and its cursor are not
//! touched; stepping follows the same deterministic path.
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks it natively.
use crate::sim::books::{copies, Happened};
use crate::sim::config::Op;
use crate::sim::fold::{self, Fold};
use crate::sim::msg::Payload;
use crate::sim::world::StepRecord;
use crate::sim::{compare, Event, Fixes, Invariant, Key, NodeId, Run, Version, World};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Steps taken when the moment is shown (the state after the step that made it).
    pub step: usize,
    /// `race`, `overtaken`, `violated`, `restored`, `stale-read`, `crash`, `fault` or
    /// `fix`.
    pub kind: &'static str,
    /// A few words for the timeline (`the race`, `✗ cache-matches-db`).
    pub short: String,
    /// The moment in a sentence.
    pub text: String,
}

/// The whole run as far as it goes, for the counter and the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ahead {
    /// What the copy was made of: scenario, fixes, seed and sandbox, in words.
    pub setup: String,
    /// The choices the copy made, in order: while the page's run follows them, the
    /// copy stays valid.
    pub choices: Vec<Event>,
    /// Steps in the whole run.
    pub total: usize,
    pub chapters: Vec<Chapter>,
    /// The whole run's quiet stretches (`sim::fold`), none across a chapter.
    pub folds: Vec<Fold>,
    /// The `cache-hits` count after each step, to cut a fold at the cursor.
    pub hits: Vec<u64>,
    /// Whether the copy's steps were told (the narration was there): the chapters'
    /// sentences and the fix's chapter need it. The page makes a new copy once the
    /// narration is loaded.
    pub told: bool,
}

impl Ahead {
    /// Runs a copy of `run` to its end and reads its chapters.
    pub fn of(run: &Run) -> Ahead {
        let mut end = run.clone();
        end.run_to_end();
        let chapters = chapters(&end);
        let keep: Vec<usize> = chapters.iter().map(|c| c.step).collect();
        Ahead {
            setup: Ahead::setup_of(run),
            choices: end.choices(),
            total: end.recorded(),
            folds: fold::folds(&end, end.recorded(), &keep),
            hits: fold::cache_hits(&end),
            told: end.all_records().iter().all(|r| r.narrated),
            chapters,
        }
    }

    /// The folds of the steps up to `upto`: the one under way cut at `upto`.
    pub fn folds_upto(&self, upto: usize) -> Vec<Fold> {
        fold::clip(&self.folds, upto, &self.hits)
    }

    /// The scenario, fixes, seed and sandbox of `run`, as one comparable text: the
    /// link's setup (not `Debug`, which the release build compiles out).
    pub fn setup_of(run: &Run) -> String {
        format!("{} seed {}", crate::sim::link::setup_query(run), run.seed)
    }

    /// Whether this still describes `run`: same recorded choices so far (a run that
    /// only moved its cursor, or stepped along the same path, needs no new copy).
    pub fn still_fits(&self, run: &Run) -> bool {
        let mine = run.all_records();
        mine.len() <= self.choices.len()
            && mine.iter().zip(&self.choices).all(|(r, c)| r.event == *c)
    }

    /// The chapter at or after `step`, if any, else none.
    pub fn next_after(&self, step: usize) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.step > step)
    }
}

/// The value a message carries for its key that a later commit can make old: a
/// database read's answer, or a fill (or write-through set) on its way to the cache.
fn carried(p: &Payload) -> Option<(Key, Version)> {
    match p {
        Payload::DbReadReply { key, version, .. } | Payload::Set { key, version, .. } => {
            Some((*key, *version))
        }
        _ => None,
    }
}

/// The in-flight messages whose value is older than the one committed in the primary
/// that owns its key.
fn overtaken(w: &World) -> Vec<u32> {
    w.net
        .iter()
        .filter(|m| carried(&m.payload).is_some_and(|(k, v)| v < w.committed(k)))
        .map(|m| m.id.0)
        .collect()
}

/// Whether the older value `(key, version)` that a commit overtook at `step` then
/// reaches a cache: a copy of it newly stored in some cache (a cache node, a near cache,
/// the CDN edge) at a later step, or a set of the key refused (a fix stopping it). A
/// value lost on its way (with a crashed node, a dropped message) never does: then the
/// race did not play out (review session 18, 8: a crash at step 9 of stale-set-race).
fn lands(run: &Run, step: usize, (key, version): (Key, Version)) -> bool {
    // Live copies only: an entry whose TTL ran out stays in memory under lazy expiry,
    // and the same version stored again is a new copy (review 29, D: ttl-expiry's
    // searched run stored v1 again after its TTL, and the chapter said "overtaken").
    let held = |w: &World| -> Vec<NodeId> {
        copies(w)
            .filter(|c| c.key == key && c.entry.version == version && c.entry.expires_ms > w.now_ms)
            .map(|c| c.holder)
            .collect()
    };
    let refused = |w: &World| w.books.saw(Happened::SetRefused(key));
    let Some(mut before) = run.state(step) else {
        return false;
    };
    for w in (step + 1..=run.recorded()).map_while(|s| run.state(s)) {
        let was = held(before);
        if held(w).iter().any(|h| !was.contains(h)) || refused(w) && !refused(before) {
            return true;
        }
        before = w;
    }
    false
}

/// A chapter's sentence from the step's outcome; `None` for a step taken before the
/// page loaded the narration (then the chapter says its few words only).
fn told(rec: &StepRecord, text: impl FnOnce(&str) -> String) -> Option<String> {
    rec.narrated.then(|| text(&rec.outcome))
}

/// The chapter of `inv` failing from `step` if what was under way then mends it later in
/// the run: it holds again at a message's arrival or a timer (a commit's delete on its
/// way, an event in the pipeline, a TTL), not at a request's start or a fault, and no
/// write started in between (new work, not what was under way). The catalog judges a
/// run at its end, and such a window is not a break (review session 12, V6). `None` if
/// it lasts to the end or something else mended it: then it is "broken".
fn window(run: &Run, inv: Invariant, step: usize) -> Option<Chapter> {
    let records = run.all_records();
    let mended =
        (step + 1..=records.len()).find(|&r| run.state(r).is_some_and(|w| inv.check(w).is_ok()))?;
    let write_starts = |i: usize| match records[i].event {
        Event::Start(node) => run.state(i).is_none_or(|w| {
            w.clients
                .iter()
                .find(|c| c.id == node)
                .and_then(|c| c.requests.get(c.next))
                .is_none_or(|r| r.op != Op::Read)
        }),
        _ => false,
    };
    if !matches!(
        records[mended - 1].event,
        Event::Deliver(_) | Event::Fire(_)
    ) || (step..mended).any(write_starts)
    {
        return None;
    }
    // What mended it, in the trace's words (`del user:1`, `ttl user:1`).
    let by = &records[mended - 1].label;
    let stale = match inv {
        // "a copy", not "cache": the copy left stale may be another holder's (review 29,
        // I: "cache stale until step 15" where the cache node was emptied at 13 and the
        // CDN edge's copy stayed; the invariants panel names every holder).
        Invariant::CacheMatchesDb => "a copy stale".to_string(),
        _ => inv.name().to_string(),
    };
    // A stale read served inside the window: the window let it through (review
    // session 19, M3: "not a break" beside a stale read at step 19 of 20).
    let reads = |r: usize| run.state(r).map_or(0, |w| w.metrics.stale_reads);
    let served = (step..mended).find(|&r| reads(r) > reads(r - 1));
    let what = match served {
        Some(r) => format!(
            "{} got a stale read in it, at step {r}",
            records[r - 1].actor
        ),
        None => "a window, not a break".to_string(),
    };
    Some(Chapter {
        step,
        kind: "window",
        short: format!("{stale} until step {mended}"),
        text: format!("{stale} until step {mended} ({by}): {what}"),
    })
}

/// What step `a` did where `b` is the same step of the other run: its outcome, with its
/// event where the events differ, who acted where that differs, and when where the
/// times differ (review session 19, M2: "outbox acts: committed v2; without it:
/// committed v2" hid the difference, which was in the event: "update user:1 + outbox
/// row").
fn did(a: &StepRecord, b: &StepRecord) -> String {
    let mut s = String::new();
    if a.who() != b.who() {
        s = a.who() + ": ";
    }
    if a.label != b.label {
        s = s + &a.label + " (" + &a.outcome + ")";
    } else {
        s += &a.outcome;
    }
    if a.at_ms != b.at_ms {
        s = s + " at " + &a.at_ms.to_string() + " ms";
    }
    s
}

/// The chapters of `run` over every recorded step.
pub fn chapters(run: &Run) -> Vec<Chapter> {
    let mut out = Vec::new();
    let broken = |w: &World| -> Vec<bool> {
        run.scenario
            .invariants
            .iter()
            .map(|i| i.check(w).is_err())
            .collect()
    };
    let Some(start) = run.state(0) else {
        return out;
    };
    let mut was_broken = broken(start);
    let mut was_overtaken = overtaken(start);
    let mut stale_reads = start.metrics.stale_reads;
    let mut raced = false;
    for (i, rec) in run.all_records().iter().enumerate() {
        let step = i + 1;
        let Some(w) = run.state(step) else { break };
        if let Some(f) = rec.event.fault() {
            let kind = if f.name() == "crash" {
                "crash"
            } else {
                "fault"
            };
            // `crash cache`, `drop m7`; an eviction names its node too (`evict user:1
            // from cache-2`).
            let text = f.to_string();
            out.push(Chapter {
                step,
                kind,
                short: text.clone(),
                text,
            });
        }
        let now_overtaken = overtaken(w);
        // A commit overtook a value already on its way: the message was in flight
        // before this step. One sent already old (a lagging replica's answer) is not
        // overtaken by anything.
        let before = run.state(i);
        let was_in_flight = |id: &u32| before.is_some_and(|b| b.net.iter().any(|m| m.id.0 == *id));
        let newly: Vec<(Key, Version)> = now_overtaken
            .iter()
            .filter(|m| !was_overtaken.contains(m) && was_in_flight(m))
            .filter_map(|id| w.net.iter().find(|m| m.id.0 == *id))
            .filter_map(|m| carried(&m.payload))
            .collect();
        if !raced && !newly.is_empty() {
            // The race only where the older value then reaches a cache; else the
            // moment is told as it is, with no race named.
            raced = newly.iter().any(|kv| lands(run, step, *kv));
            let (kind, short) = if raced {
                ("race", "the race")
            } else {
                ("overtaken", "older value on its way")
            };
            out.push(Chapter {
                step,
                kind,
                short: short.to_string(),
                text: told(rec, |outcome| {
                    let lead = if raced { "the race: " } else { "" };
                    format!("{lead}{outcome} while an older value is on its way")
                })
                .unwrap_or_else(|| short.to_string()),
            });
        }
        was_overtaken = now_overtaken;
        let now_broken = broken(w);
        for (inv, (was, now)) in run
            .scenario
            .invariants
            .iter()
            .zip(was_broken.iter().zip(&now_broken))
        {
            if now != was {
                let window = now.then(|| window(run, *inv, step)).flatten();
                out.push(match (*now, window) {
                    (true, Some(w)) => w,
                    (true, None) => Chapter {
                        step,
                        kind: "violated",
                        short: format!("✗ {}", inv.name()),
                        text: format!("{} broken", inv.name()),
                    },
                    (false, _) => Chapter {
                        step,
                        kind: "restored",
                        short: format!("✓ {}", inv.name()),
                        text: format!("{} holds again", inv.name()),
                    },
                });
            }
        }
        was_broken = now_broken;
        if w.metrics.stale_reads > stale_reads {
            out.push(Chapter {
                step,
                kind: "stale-read",
                short: "stale read".to_string(),
                text: told(rec, |outcome| format!("stale read: {outcome}"))
                    .unwrap_or_else(|| "stale read".to_string()),
            });
        }
        stale_reads = w.metrics.stale_reads;
    }
    // Where the runs part is the first step whose trace lines differ, outcomes included:
    // not known before the page has loaded the narration (`Ahead::told`).
    if !run.fixes.ids().is_empty() && run.all_records().iter().all(|r| r.narrated) {
        let plain = compare::side_by_side(run, Fixes::none());
        if let Some(step) = plain.first_difference {
            if let Some(rec) = run.all_records().get(step.saturating_sub(1)) {
                // What the run does there, and what it does without the fixes: the
                // difference is the fix acting (review session 18, 11: "acts: commit
                // sent" named what the fixed run did, not what the fix changed).
                let ids = run.fixes.ids();
                let it = if ids.len() == 1 { "it" } else { "them" };
                let (does, without) = match plain.right.all_records().get(step - 1) {
                    Some(r) => (did(rec, r), format!("without {it}: {}", did(r, rec))),
                    None => (
                        rec.outcome.clone(),
                        format!("without {it} the run ends before this step"),
                    ),
                };
                // The chip names the fix (review session 28: "the runs part" named
                // nothing a learner had chosen).
                let verb = if ids.len() == 1 { "changes" } else { "change" };
                out.push(Chapter {
                    step,
                    kind: "fix",
                    short: format!("{} {verb} the run", ids.join(" and ")),
                    text: format!("with {}: {does}; {without}", ids.join(", ")),
                });
            }
        }
    }
    out.sort_by_key(|c| c.step);
    out
}
