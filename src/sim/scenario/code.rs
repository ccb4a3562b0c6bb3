//! A scenario in a link: `s=<code>`. The code is `1.` (the format's version) and the
//! scenario's file (the same JSON text the file has) compressed as an LZ4 block
//! (`lz4_flex`, safe Rust, no unsafe, checked decoding), its length in front (4 bytes,
//! little-endian), written in base64url (RFC 4648 §5, no padding; 30 lines here rather
//! than a crate whose engine is larger than they are).
//!
//! LZ4 rather than DEFLATE (`miniz_oxide`, measured first on the same tree): DEFLATE's
//! codes are shorter (stale-set-race: 2.5 KB against 4.6 KB), but the page's wasm was
//! 329.0 KB gzipped with it and 314.1 KB with LZ4, and the download is over its budget.
//!
//! Architecture Invariant: no code panics the decoder; the code is capped
//! (`MAX_CODE_LEN`) and so is what it inflates to (`MAX_JSON_LEN`), so a small code
//! cannot expand into a huge one.
use super::file::{self, ScenarioFile};
use super::Scenario;
use crate::sim::codec::{error, CodecError, ErrorKind, MAX_JSON_LEN};

pub const CODE_VERSION: &str = "1";
/// A scenario code longer than this is refused.
pub const MAX_CODE_LEN: usize = 48 * 1024;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The bytes of base64url `text`, or the (0-based) position of the first character
/// that cannot be one.
fn from_base64url(text: &str) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in text.bytes().enumerate() {
        let v = ALPHABET.iter().position(|a| *a == c).ok_or(i)? as u32;
        acc = (acc << 6 | v) & 0xFF_FFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // A lone character after full bytes carries fewer than 8 bits: not a code.
    if bits >= 6 {
        return Err(text.len() - 1);
    }
    Ok(out)
}

/// The code of a scenario (made once per scenario and kept).
///
/// In the page's split build (the `split` feature), the writer a code takes (the file's
/// serializers and serde_json's) is in a wasm chunk loaded on first use, so the page
/// only reads the code here: every way a scenario of the learner's comes into the page
/// has made it already (`make`, in the chunk that opens a scenario file or imports a run
/// file; `decode_scenario` keeps an `s=` link's own code). The catalog's scenarios and
/// the sandbox have none (a link names them).
pub fn encode(s: &Scenario) -> String {
    #[cfg(all(target_arch = "wasm32", feature = "split"))]
    return s.code.get().cloned().unwrap_or_default();
    #[cfg(not(all(target_arch = "wasm32", feature = "split")))]
    make(s)
}

/// Makes the code of a scenario (once; then it is kept).
pub fn make(s: &Scenario) -> String {
    s.code
        .get_or_init(|| {
            // The file's own text (one serializer in the page, not two).
            let json = ScenarioFile::of(s).to_json();
            let mut packed = (json.len() as u32).to_le_bytes().to_vec();
            packed.extend(lz4_flex::block::compress(json.as_bytes()));
            format!("{CODE_VERSION}.{}", base64url(&packed))
        })
        .clone()
}

/// The scenario a code holds, for the rest of the page's life, with the code kept as
/// its own (a link to it carries the same code).
pub fn decode_scenario(code: &str) -> Result<&'static Scenario, CodecError> {
    let scenario = decode(code)?.into_scenario();
    let _ = scenario.code.set(code.to_string());
    Ok(scenario)
}

/// Reads a scenario code. Errors name the character, or the line, column and field of
/// the scenario inside.
pub fn decode(code: &str) -> Result<ScenarioFile, CodecError> {
    if code.len() > MAX_CODE_LEN {
        return Err(error(
            ErrorKind::TooLong,
            "scenario code",
            format!(
                "{} characters; a scenario code has at most {MAX_CODE_LEN}",
                code.len()
            ),
        ));
    }
    let Some((version, body)) = code.split_once('.') else {
        return Err(error(
            ErrorKind::Version,
            "scenario code",
            format!("no format version: a scenario code starts with \"{CODE_VERSION}.\""),
        ));
    };
    if version != CODE_VERSION {
        return Err(error(
            ErrorKind::Version,
            "scenario code",
            format!(
                "format version {} is not known; this page reads version {CODE_VERSION}",
                crate::sim::codec::file::quote(&version.chars().take(12).collect::<String>())
            ),
        ));
    }
    let packed = from_base64url(body).map_err(|i| {
        error(
            ErrorKind::Syntax,
            format!("scenario code, character {}", version.len() + 2 + i),
            "not a base64url character (A-Z, a-z, 0-9, - and _), or the code was cut short",
        )
    })?;
    let broken = || {
        error(
            ErrorKind::Syntax,
            "scenario code",
            "not a compressed scenario (the code was cut short or changed)",
        )
    };
    let (len, block) = packed.split_at_checked(4).ok_or_else(broken)?;
    let len = u32::from_le_bytes(len.try_into().map_err(|_| broken())?) as usize;
    if len > MAX_JSON_LEN {
        return Err(broken());
    }
    let json = lz4_flex::block::decompress(block, len).map_err(|_| broken())?;
    if json.len() != len {
        return Err(broken());
    }
    let text = String::from_utf8(json).map_err(|_| {
        error(
            ErrorKind::Syntax,
            "scenario code",
            "the scenario inside is not UTF-8 text",
        )
    })?;
    file::from_json(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(97)).collect();
            assert_eq!(from_base64url(&base64url(&bytes)), Ok(bytes));
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(from_base64url("ab*d"), Err(2));
        assert!(from_base64url("A").is_err());
    }
}
