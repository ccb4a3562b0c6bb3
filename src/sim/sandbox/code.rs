//! The sandbox's compact code, as a link carries it in `sb=` (the format is described
//! in `sandbox.rs`): `SandboxSpec::code` writes it, `SandboxSpec::parse` reads it and
//! names the character at fault when it cannot.
use super::{Guarantee, Parts, Pattern, SandboxSpec, MAX_CODE_LEN, MAX_KEYS, MAX_READERS};
use super::{MAX_TTL_MS, MAX_WRITERS};
use crate::sim::codec::quote;
use std::fmt;

/// What is wrong with a sandbox code, and at which character (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    pub at: usize,
    pub reason: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "character {}: {}", self.at + 1, self.reason)
    }
}

impl SandboxSpec {
    /// The compact code used in `sb=`.
    pub fn code(&self) -> String {
        let bus = match self.bus {
            Guarantee::AtMostOnce => 'm',
            Guarantee::AtLeastOnce => 'l',
        };
        let ttl = self.ttl_ms.map_or("n".to_string(), |t| t.to_string());
        format!(
            "1.{}{}{}{}{bus}{ttl}{}",
            self.pattern.letter(),
            self.readers,
            self.writers,
            self.keys,
            self.parts.code()
        )
    }

    /// Reads a code written by `code`. Errors name the character at fault.
    pub fn parse(code: &str) -> Result<SandboxSpec, SpecError> {
        let err = |at: usize, reason: String| Err(SpecError { at, reason });
        if code.len() > MAX_CODE_LEN {
            return err(
                MAX_CODE_LEN,
                format!("too long (at most {MAX_CODE_LEN} characters)"),
            );
        }
        let Some(body) = code.strip_prefix("1.") else {
            let version: String = code.chars().take_while(|c| *c != '.').take(8).collect();
            return if code.contains('.') {
                err(
                    0,
                    format!(
                        "format version {} is not known (this version reads 1)",
                        quote::text(&version)
                    ),
                )
            } else {
                err(
                    0,
                    "missing the format version: a code starts with \"1.\"".into(),
                )
            };
        };
        // The production parts follow the TTL, each after a `.` (`parts.rs`).
        let (body, parts) = body.split_once('.').unwrap_or((body, ""));
        let chars: Vec<char> = body.chars().collect();
        let at = |i: usize| 2 + i;
        let mut part_at = 2 + body.len() + 1;
        let mut pieces = Vec::new();
        if body.len() < code.len() - 2 {
            for piece in parts.split('.') {
                pieces.push((part_at, piece));
                part_at += piece.len() + 1;
            }
        }
        let parts = Parts::parse(&pieces).map_err(|(at, reason)| SpecError { at, reason })?;
        let pattern = match chars.first() {
            None => {
                return err(
                    at(0),
                    "missing the pattern letter (a, t, b, e, h or o)".into(),
                )
            }
            Some(c) => match Pattern::ALL.into_iter().find(|p| p.letter() == *c) {
                Some(p) => p,
                None => {
                    return err(
                        at(0),
                        format!("{} is not a pattern (a, t, b, e, h or o)", quote::char(*c)),
                    )
                }
            },
        };
        let digit = |i: usize, what: &str, max: u8| -> Result<u8, SpecError> {
            match chars.get(i).and_then(|c| c.to_digit(10)) {
                Some(d) if (1..=u32::from(max)).contains(&d) => Ok(d as u8),
                Some(d) => Err(SpecError {
                    at: at(i),
                    reason: format!("{d} {what}: it must be 1 to {max}"),
                }),
                None => Err(SpecError {
                    at: at(i),
                    reason: format!("expected the number of {what} (1 to {max})"),
                }),
            }
        };
        let readers = digit(1, "readers", MAX_READERS)?;
        let writers = digit(2, "writers", MAX_WRITERS)?;
        let keys = digit(3, "keys", MAX_KEYS)?;
        let bus = match chars.get(4) {
            Some('m') => Guarantee::AtMostOnce,
            Some('l') => Guarantee::AtLeastOnce,
            Some(c) => {
                return err(
                    at(4),
                    format!(
                        "{} is not a bus guarantee (m: at-most-once, l: durable log)",
                        quote::char(*c)
                    ),
                )
            }
            None => return err(at(4), "expected the bus guarantee (m or l)".into()),
        };
        let ttl: String = chars[5.min(chars.len())..].iter().collect();
        let ttl_ms = match ttl.as_str() {
            "n" => None,
            "" => return err(at(5), "expected the TTL in ms, or n for none".into()),
            t => match t.parse::<u64>() {
                Ok(ms) if (1..=MAX_TTL_MS).contains(&ms) => Some(ms),
                Ok(_) => return err(at(5), format!("TTL {t} ms: it must be 1 to {MAX_TTL_MS}")),
                Err(_) => {
                    let bad = t.chars().position(|c| !c.is_ascii_digit()).unwrap_or(0);
                    return err(
                        at(5 + bad),
                        format!(
                            "the TTL {} is not a whole number of ms (or n for none)",
                            quote::text(t)
                        ),
                    );
                }
            },
        };
        Ok(SandboxSpec {
            pattern,
            readers,
            writers,
            keys,
            ttl_ms,
            bus,
            parts,
        })
    }
}
