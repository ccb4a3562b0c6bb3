//! Notes a learner attaches to the moments of a run (`step` 0 is the start, step `n`
//! the moment after `n` events), for a class or an incident review. They are plain
//! data beside the run: the simulation never reads them. A note belongs to the choices
//! that lead to its step, so it stays with its branch when the learner branches.
//!
//! In a link each note is one `note=<step>:<text>` pair (the text percent-encoded), so
//! a link with two notes reads `…&note=4:the%20race&note=9:stale%20for%20good`. In a
//! run file they are `"notes": [{"step": 4, "text": "the race"}, …]`. Both hold one
//! run, so they carry the notes on its path (`on_path`), and a note read back lies on
//! the path that run takes (`bind`): links and files written before notes had paths
//! read the same.
//!
//! Architecture Invariant: no input panics `parse`; a note is capped at
//! `MAX_NOTE_CHARS` characters and a run holds at most `MAX_NOTES` notes.
use super::run::{Run, MAX_STEPS};
use super::world::Event;
use std::fmt::Write;

/// At most this many notes in a run (a link stays a link).
pub const MAX_NOTES: usize = 64;
/// A note longer than this is cut at this many characters.
pub const MAX_NOTE_CHARS: usize = 280;

/// One note: its step, the choices that lead to that step, and its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Note {
    step: usize,
    /// The run's choices up to `step` (`step` of them), once known; `None` for a note
    /// just read from a link or a file, before `bind` (it then belongs to whatever
    /// run it is shown with, as a link holds one run).
    path: Option<Vec<Event>>,
    text: String,
}

impl Note {
    /// Whether the note lies on `run`'s path: its choices and the run's recorded ones
    /// agree as far as both go (a note past the recording is on the path the run has
    /// not left yet).
    fn on(&self, run: &Run) -> bool {
        let Some(path) = &self.path else {
            return true;
        };
        let recorded = run.all_records();
        path.iter()
            .zip(recorded)
            .all(|(choice, record)| *choice == record.event)
    }
}

/// The notes of the runs the learner made of one scenario, in step order. A note is
/// keyed by its step AND the choices that reach it, so a note on step 5 of one branch
/// is not shown on step 5 of another (`at`, `on_path`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Notes {
    by_step: Vec<Note>,
}

impl Notes {
    pub fn new() -> Notes {
        Notes::default()
    }

    pub fn is_empty(&self) -> bool {
        self.by_step.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_step.len()
    }

    /// A note at `step`, on any path: for notes read from one link or file (one run),
    /// where there is at most one per step. The page asks `at`.
    pub fn get(&self, step: usize) -> Option<&str> {
        self.by_step
            .iter()
            .find(|n| n.step == step)
            .map(|n| n.text.as_str())
    }

    /// The note at `step` of `run` (on its path), if any.
    pub fn at(&self, run: &Run, step: usize) -> Option<&str> {
        self.by_step
            .iter()
            .find(|n| n.step == step && n.on(run))
            .map(|n| n.text.as_str())
    }

    /// Sets a note at `step` as read from a link or a file, on no path yet (see
    /// `bind`); an empty text removes it. Refused (returns `Err` with the reason) for a
    /// step past `MAX_STEPS` or a new note past `MAX_NOTES`.
    pub fn set(&mut self, step: usize, text: &str) -> Result<(), String> {
        self.put_on(step, None, text)
    }

    /// Sets the note at `step` of `run` (keyed by the run's choices up to `step`); an
    /// empty text removes it. Refused for a step the run has not recorded, past
    /// `MAX_STEPS`, or a new note past `MAX_NOTES`.
    pub fn put(&mut self, run: &Run, step: usize, text: &str) -> Result<(), String> {
        let Some(records) = run.all_records().get(..step) else {
            return Err(format!("step {step} is not reached yet"));
        };
        let path: Vec<Event> = records.iter().map(|r| r.event).collect();
        // A note not bound yet at this step is shown on this run: it is this note.
        for n in self.by_step.iter_mut() {
            if n.step == step && n.path.is_none() {
                n.path = Some(path.clone());
            }
        }
        self.put_on(step, Some(path), text)
    }

    fn put_on(&mut self, step: usize, path: Option<Vec<Event>>, text: &str) -> Result<(), String> {
        if step > MAX_STEPS {
            return Err(format!(
                "step {step} is past the longest run ({MAX_STEPS} steps)"
            ));
        }
        let text = tidy(text);
        let found = self
            .by_step
            .iter()
            .position(|n| n.step == step && n.path == path);
        match found {
            Some(i) if text.is_empty() => {
                self.by_step.remove(i);
            }
            Some(i) => self.by_step[i].text = text,
            None if text.is_empty() => {}
            None if self.by_step.len() >= MAX_NOTES => {
                return Err(format!("a run holds at most {MAX_NOTES} notes"));
            }
            None => {
                let i = self.by_step.partition_point(|n| n.step <= step);
                self.by_step.insert(i, Note { step, path, text });
            }
        }
        Ok(())
    }

    /// Every note, in step order (for one link or file: see `on_path`).
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        self.by_step.iter().map(|n| (n.step, n.text.as_str()))
    }

    /// Gives each note read from a link or a file the path `run` takes to its step:
    /// the run's recorded choices, and past them the choices its `forward` makes (a
    /// copy of the run steps on, once, to the last note). Notes on steps the run does
    /// not reach are dropped; returns how far the run reaches and their steps.
    pub fn bind(&mut self, run: &Run) -> (usize, Vec<usize>) {
        let Some(last) = self
            .by_step
            .iter()
            .filter(|n| n.path.is_none())
            .map(|n| n.step)
            .max()
        else {
            return (run.recorded(), Vec::new());
        };
        let mut probe = run.clone();
        let reached = probe.seek(last.max(probe.recorded())).max(run.recorded());
        let choices = probe.choices();
        let dropped: Vec<usize> = self
            .by_step
            .iter()
            .filter(|n| n.path.is_none() && n.step > reached)
            .map(|n| n.step)
            .collect();
        self.by_step
            .retain(|n| n.path.is_some() || n.step <= reached);
        for n in self.by_step.iter_mut().filter(|n| n.path.is_none()) {
            n.path = Some(choices[..n.step].to_vec());
        }
        (reached, dropped)
    }

    /// The notes on `run`'s path, one per step: what its link and its run file carry.
    pub fn on_path(&self, run: &Run) -> Notes {
        let mut out = Notes::new();
        for n in self.by_step.iter().filter(|n| n.on(run)) {
            if out.get(n.step).is_none() {
                out.by_step.push(n.clone());
            }
        }
        out
    }

    /// Drops the notes past `last_step` (a run that ends sooner cannot show them) and
    /// returns their steps.
    pub fn drop_after(&mut self, last_step: usize) -> Vec<usize> {
        let dropped: Vec<usize> = self
            .by_step
            .iter()
            .map(|n| n.step)
            .filter(|s| *s > last_step)
            .collect();
        self.by_step.retain(|n| n.step <= last_step);
        dropped
    }

    /// The link's pairs for these notes: `&note=<step>:<text>` each, or nothing.
    pub fn query(&self) -> String {
        let mut q = String::new();
        for (step, text) in self.iter() {
            let _ = write!(q, "&note={step}:{}", encode_component(text));
        }
        q
    }
}

/// One line, single spaces kept as typed, no control characters, at most
/// `MAX_NOTE_CHARS` characters.
fn tidy(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_NOTE_CHARS)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Reads one `note` value of a link, already percent-decoded: `<step>:<text>`.
pub fn parse_param(value: &str) -> Result<(usize, String), String> {
    let Some((step, text)) = value.split_once(':') else {
        return Err("a note is written <step>:<text>, e.g. note=4:the race".into());
    };
    let step = match step.trim().parse::<usize>() {
        Ok(n) if n <= MAX_STEPS => n,
        Ok(_) => {
            return Err(format!(
                "step {} is past the longest run ({MAX_STEPS} steps)",
                step.trim()
            ))
        }
        Err(_) => {
            return Err(format!(
                "{} is not a step number (0 or more) before the ':'",
                super::codec::quote::text(&step.chars().take(12).collect::<String>())
            ))
        }
    };
    let chars = text.trim().chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(format!(
            "the note at step {step} has {chars} characters; a note has at most {MAX_NOTE_CHARS}"
        ));
    }
    let text = tidy(text);
    if text.is_empty() {
        return Err(format!("the note at step {step} is empty"));
    }
    Ok((step, text))
}

/// Percent-encodes everything but the unreserved characters (RFC 3986), so the text
/// survives any query string.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}
