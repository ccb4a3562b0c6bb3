//! Notes a learner attaches to the moments of a run (`step` 0 is the start, step `n`
//! the moment after `n` events), for a class or an incident review. They are plain
//! data beside the run: the simulation never reads them.
//!
//! In a link each note is one `note=<step>:<text>` pair (the text percent-encoded), so
//! a link with two notes reads `…&note=4:the%20race&note=9:stale%20for%20good`. In a
//! run file they are `"notes": [{"step": 4, "text": "the race"}, …]`.
//!
//! Architecture Invariant: no input panics `parse`; a note is capped at
//! `MAX_NOTE_CHARS` characters and a run holds at most `MAX_NOTES` notes.
use super::run::MAX_STEPS;
use std::fmt::Write;

/// At most this many notes in a run (a link stays a link).
pub const MAX_NOTES: usize = 64;
/// A note longer than this is cut at this many characters.
pub const MAX_NOTE_CHARS: usize = 280;

/// The notes of one run, one per step at most, in step order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Notes {
    by_step: Vec<(usize, String)>,
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

    /// The note at `step`, if any.
    pub fn get(&self, step: usize) -> Option<&str> {
        self.by_step
            .binary_search_by_key(&step, |(s, _)| *s)
            .ok()
            .map(|i| self.by_step[i].1.as_str())
    }

    /// Sets the note at `step` (its text trimmed and capped); an empty text removes
    /// it. Refused (returns `Err` with the reason) for a step past `MAX_STEPS` or a new
    /// note past `MAX_NOTES`.
    pub fn set(&mut self, step: usize, text: &str) -> Result<(), String> {
        if step > MAX_STEPS {
            return Err(format!(
                "step {step} is past the longest run ({MAX_STEPS} steps)"
            ));
        }
        let text = tidy(text);
        match self.by_step.binary_search_by_key(&step, |(s, _)| *s) {
            Ok(i) if text.is_empty() => {
                self.by_step.remove(i);
            }
            Ok(i) => self.by_step[i].1 = text,
            Err(_) if text.is_empty() => {}
            Err(_) if self.by_step.len() >= MAX_NOTES => {
                return Err(format!("a run holds at most {MAX_NOTES} notes"));
            }
            Err(i) => self.by_step.insert(i, (step, text)),
        }
        Ok(())
    }

    /// Every note, in step order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        self.by_step.iter().map(|(s, t)| (*s, t.as_str()))
    }

    /// Drops the notes past `last_step` (a run that ends sooner cannot show them) and
    /// returns their steps.
    pub fn drop_after(&mut self, last_step: usize) -> Vec<usize> {
        let dropped: Vec<usize> = self
            .by_step
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| *s > last_step)
            .collect();
        self.by_step.retain(|(s, _)| *s <= last_step);
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
                "{:?} is not a step number (0 or more) before the ':'",
                step.chars().take(12).collect::<String>()
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
