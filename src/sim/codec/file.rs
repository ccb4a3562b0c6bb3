//! Reading a JSON file (a run file or a scenario file) into a typed value with
//! `serde_json`, so that every error names the line, the column and the field.
//!
//! `serde_json` reports the line and column of broken JSON and of a value of the wrong
//! type; the field path is found from that place (`path_at`) (`clients[1].requests[0].at_ms`,
//! lists counted from 0 as JSON's readers count). A check made after reading (a scenario
//! that does not exist, a choice that is not possible) finds its place through `At`,
//! which keeps where a value began in the text.
use super::{error, CodecError, ErrorKind};
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;

mod path;
use path::path_at;
pub use path::{numbers, Number};

/// A value and where it began in the text it was read from. Two are equal when their
/// values are, wherever they were read.
#[derive(Clone, Debug)]
pub struct At<T> {
    pub value: T,
    /// The address of the value's first byte; `Text::place` turns it into a line and a
    /// column (an address, not an offset, because serde hands over a borrowed slice).
    addr: usize,
}

impl<T: PartialEq> PartialEq for At<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for At<T> {}

/// Reads a string value and checks it with `check`; a value it refuses is reported at
/// the value's own line and column (serde_json would report the place after it, often
/// the next line).
pub fn checked_str<'de, D, T>(
    d: D,
    check: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let at: At<String> = Deserialize::deserialize(d)?;
    check(&at.value).map_err(|reason| de::Error::custom(format!("{MARK}{}{MARK}{reason}", at.addr)))
}

/// Brackets the address of a value in a message from `checked_str`.
const MARK: char = '\u{1}';

impl<T> At<T> {
    /// A value with no place in any text (written by the program, not read).
    pub fn new(value: T) -> At<T> {
        At { value, addr: 0 }
    }
}

/// A value baked into the catalog (`src/sim/scenarios/catalog.rs`) has no place in any
/// text: it is written as `At::new(value)`.
#[cfg(feature = "bake")]
impl<T: databake::Bake> databake::Bake for At<T> {
    fn bake(&self, env: &databake::CrateEnv) -> databake::TokenStream {
        let value = self.value.bake(env);
        databake::quote! { crate::sim::codec::file::At::new(#value) }
    }
}

impl<T: Serialize> Serialize for At<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: &'de RawValue = Deserialize::deserialize(d)?;
        let addr = raw.get().as_ptr() as usize;
        // A value of the wrong kind is reported at its own place (see `read`).
        let value = serde_json::from_str(raw.get()).map_err(|e| {
            // The value found is the whole of `raw`, or (a field inside it) the string
            // that ends where serde_json stopped.
            let text = raw.get();
            let found = if text.trim_start().starts_with('"') {
                text
            } else {
                string_before(text, offset_of(text, e.line(), e.column()))
            };
            let reason = with_found(bare(&e), found);
            de::Error::custom(format!("{MARK}{addr}{MARK}{reason}"))
        })?;
        Ok(At { value, addr })
    }
}

/// serde_json's message without its own " at line L column C" (the caller adds the
/// place in the whole file).
/// Serde's names of types are put in a reader's words.
fn bare(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let mut text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    const WORDS: [(&str, &str); 11] = [
        ("EOF while parsing", "the file ends in the middle of"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u16", "expected a whole number (0 or more)"),
        ("expected u8", "expected a whole number (0 or more)"),
        ("expected usize", "expected a whole number (0 or more)"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: an object"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected an object"),
        ("invalid type: ", "found "),
    ];
    for (from, to) in WORDS {
        text = text.replace(from, to);
    }
    text
}

/// `reason` with the string value it found written out as `raw` (its JSON text): serde
/// writes that value with `Debug`, which the page's release build leaves out
/// (`-Zfmt-debug=none`, scripts/setup.sh), so the page said "found string , expected".
fn with_found(reason: String, raw: &str) -> String {
    const FOUND: &str = "found string ";
    let raw = raw.trim();
    let (Some(at), true) = (reason.find(FOUND), raw.starts_with('"')) else {
        return reason;
    };
    let from = at + FOUND.len();
    let Some(to) = reason.rfind(", expected").filter(|to| *to >= from) else {
        return reason;
    };
    const MAX_SHOWN_CHARS: usize = 40;
    let mut value: String = raw.chars().take(MAX_SHOWN_CHARS).collect();
    if raw.chars().count() > MAX_SHOWN_CHARS {
        value.push('…');
    }
    format!("{}{value}{}", &reason[..from], &reason[to..])
}

/// The JSON string that ends at byte `end` of `text` (its closing quote the byte before
/// `end`), quotes included, or "" when none does. Bounded by `end`.
fn string_before(text: &str, end: usize) -> &str {
    let Some(head) = text.get(..end).filter(|h| h.ends_with('"')) else {
        return "";
    };
    let mut open = head.len() - 1;
    // Back to the opening quote: the first one not escaped (an escaped quote has an
    // odd number of backslashes before it).
    while let Some(q) = head[..open].rfind('"') {
        open = q;
        let slashes = head[..q].bytes().rev().take_while(|b| *b == b'\\').count();
        if slashes % 2 == 0 {
            return &head[q..];
        }
    }
    ""
}

/// The text a file was read from, to turn places into lines and columns.
pub struct Text<'a>(pub &'a str);

impl Text<'_> {
    /// The line and column (both from 1, the column in characters) of `at`'s value,
    /// or `None` when it was not read from this text.
    pub fn place<T>(&self, at: &At<T>) -> Option<(usize, usize)> {
        let start = self.0.as_ptr() as usize;
        let offset = at.addr.checked_sub(start)?;
        let before = self.0.get(..offset)?;
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }

    /// An error read from `part` (a slice of this text, read on its own) with its place
    /// in this text, and its fields under `field`.
    pub fn shifted(&self, part: &str, mut e: CodecError, field: &str) -> CodecError {
        let start = At {
            value: (),
            addr: part.as_ptr() as usize,
        };
        let Some((line0, col0)) = self.place(&start) else {
            return e;
        };
        if let Some(rest) = e.at.strip_prefix("line ") {
            let (nums, tail) = rest
                .split_once(", field")
                .map_or((rest, ""), |(n, t)| (n, t));
            let mut it = nums.split(", column ");
            let line = it.next().and_then(|l| l.parse::<usize>().ok());
            let col = it.next().and_then(|c| c.parse::<usize>().ok());
            if let (Some(l), Some(c)) = (line, col) {
                let c = if l == 1 { col0 + c - 1 } else { c };
                let tail = tail.replacen(" `", &format!(" `{field}."), 1);
                let tail = if tail.is_empty() {
                    format!(" `{field}`")
                } else {
                    tail
                };
                e.at = format!("line {}, column {c}, field{tail}", line0 + l - 1);
            }
        }
        e
    }

    /// "line L, column C, field `name`" of the object the text holds (where a field that
    /// is missing should be).
    pub fn top(&self, field: &str) -> String {
        let before = self.0.len() - self.0.trim_start().len();
        let line = self.0[..before].matches('\n').count() + 1;
        let column = self.0[..before]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        format!("line {line}, column {column}, field `{field}`")
    }

    /// "line L, column C, field `name`": where a value read from this text is.
    pub fn at<T>(&self, value: &At<T>, field: &str) -> String {
        match self.place(value) {
            Some((line, column)) => format!("line {line}, column {column}, field `{field}`"),
            None => format!("field `{field}`"),
        }
    }
}

/// The byte offset of serde_json's line and column (both from 1; the column counts
/// bytes, and points at the last byte read).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    start + column
}

/// Reads `text` as a `T`. Broken JSON is a `Syntax` error, a missing or mistyped field
/// a `Field` error; both name the line, the column and (for a field) its path.
pub fn read<'de, T: Deserialize<'de>>(text: &'de str, what: &str) -> Result<T, CodecError> {
    // A UTF-8 byte-order mark is not part of the JSON.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // A UTF-16 file read as UTF-8 (the page's `File.text()` does): its byte-order mark
    // is two replacement characters, and every other byte of ASCII text is a NUL
    // (review session 12, R12: it was told as an unexpected character).
    let mut head = text.chars().take(32);
    if text.starts_with("\u{FFFD}\u{FFFD}") || head.any(|c| c == '\0') {
        return Err(error(
            ErrorKind::Syntax,
            "line 1, column 1",
            "this file is UTF-16; save it as UTF-8".to_string(),
        ));
    }
    if !text.trim_start().starts_with('{') {
        let found = match text.trim_start().chars().next() {
            None => "nothing".to_string(),
            Some(c) => format!("'{}'", c.escape_default()),
        };
        return Err(error(
            ErrorKind::Syntax,
            "line 1, column 1",
            format!("expected a JSON object ({what} starts with '{{'), found {found}"),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = T::deserialize(&mut de).map_err(|e| {
        let path = match e.classify() {
            serde_json::error::Category::Data => {
                path_at(text, offset_of(text, e.line(), e.column()))
            }
            _ => String::new(),
        };
        let mut err = json_error(&e, &path);
        // A topology's check names its entry ("topology[1] (service-2): \"cache\" …"),
        // but serde_json stopped at the end of the list: the entry's field instead
        // (review session 12, R12).
        if let Some(at) = topology_place(text, &err.reason) {
            let addr = text.as_ptr() as usize + at;
            err.at = Text(text).at(&At { value: (), addr }, &path_at(text, at));
        }
        err.reason = with_found(
            err.reason,
            string_before(text, offset_of(text, e.line(), e.column())),
        );
        // A value `checked_str` refused: its own place, not the place after it.
        // (An `At` inside an `At` marks twice: the innermost, last, place is the one.)
        let marked = err.reason.split(MARK).collect::<Vec<_>>();
        if marked.len() >= 3 && marked.len() % 2 == 1 {
            let addr = marked[marked.len() - 2];
            let before = marked[0];
            let reason = marked[marked.len() - 1];
            let at = addr
                .parse::<usize>()
                .ok()
                .map(|addr| At { value: (), addr });
            if let Some(at) = at {
                if let Some((line, column)) = Text(text).place(&at) {
                    // The path up to the value's first byte: its own field.
                    let path = path_at(text, at.addr - text.as_ptr() as usize);
                    err.at = format!("line {line}, column {column}, field `{path}`");
                }
            }
            err.reason = format!("{before}{reason}");
        }
        err
    })?;
    // Only white space may follow the object.
    de.end().map_err(|e| json_error(&e, ""))?;
    Ok(value)
}

fn json_error(inner: &serde_json::Error, path: &str) -> CodecError {
    let place = format!("line {}, column {}", inner.line(), inner.column());
    let reason = bare(inner);
    match inner.classify() {
        serde_json::error::Category::Data if !path.is_empty() => {
            error(ErrorKind::Field, format!("{place}, field `{path}`"), reason)
        }
        serde_json::error::Category::Data => error(ErrorKind::Field, place, reason),
        _ => error(
            ErrorKind::Syntax,
            place,
            format!("not valid JSON: {reason}"),
        ),
    }
}

/// Any JSON value, kept only as far as an error message needs it: a string, or the
/// kind of anything else ("a number 2", "a list").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loose {
    Str(String),
    Number(String),
    Other(&'static str),
}

impl Loose {
    /// The value in words, for an error message.
    pub fn words(&self) -> String {
        match self {
            Loose::Str(s) => quote(&s.chars().take(60).collect::<String>()),
            Loose::Number(n) => n.clone(),
            Loose::Other(kind) => kind.to_string(),
        }
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Str(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Number(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Number(v.to_string()))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Loose, E> {
        Ok(Loose::Other("true or false"))
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Other("a list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other("an object"))
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

/// `text` as a JSON string literal.
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Where in `text` a topology check's `reason` ("topology[N] (id): \"field\" …") is
/// about: the value of that field in the list's entry N (from 0), else the entry. `None` when
/// the reason is not one, or the text has no such entry. Bounded by the text's length.
fn topology_place(text: &str, reason: &str) -> Option<usize> {
    let n: usize = reason
        .strip_prefix("topology[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    let field = reason
        .split_once(": \"")
        .and_then(|(_, r)| r.split('"').next());
    let key = text.find("\"topology\"")? + "\"topology\"".len();
    let after = text[key..].trim_start().strip_prefix(':')?.trim_start();
    let list = text.len() - after.strip_prefix('[')?.len();
    let (mut depth, mut in_str, mut escaped, mut count, mut start) =
        (0usize, false, false, 0, None);
    for (i, b) in text.bytes().enumerate().skip(list) {
        if in_str {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                if depth == 0 && b == b'{' {
                    // `topology[N]` counts from 0, as JSON does.
                    if count == n {
                        start = Some(i);
                    }
                    count += 1;
                }
                depth += 1;
            }
            b'}' | b']' if depth == 0 => return None,
            b'}' | b']' => {
                depth -= 1;
                if let (0, Some(s)) = (depth, start) {
                    let entry = &text[s..=i];
                    let value = field.and_then(|f| {
                        let at = entry.find(&format!("\"{f}\""))? + f.len() + 2;
                        let rest = entry[at..].trim_start().strip_prefix(':')?.trim_start();
                        Some(s + entry.len() - rest.len())
                    });
                    return Some(value.unwrap_or(s));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{path_at, string_before, with_found};

    /// The path of a place: keys count after their `:`, lists from 0, closed objects
    /// and lists are left.
    #[test]
    fn path_at_names_the_field_of_a_place() {
        let text = r#"{"a": {"b": [1, {"c": "x,}"}, 3]}, "d": 4}"#;
        let at = |needle: &str| path_at(text, text.find(needle).unwrap());
        assert_eq!(at("1,"), "a.b[0]");
        assert_eq!(at("\"x"), "a.b[1].c");
        assert_eq!(at("3]"), "a.b[2]");
        assert_eq!(at("4}"), "d");
        assert_eq!(at("\"d\""), "");
        assert_eq!(path_at(text, 0), "");
    }

    /// The value a type error found is written out from the text, so the page's build,
    /// whose `Debug` writes nothing, says it too (session 9's review, F11).
    #[test]
    fn a_found_string_is_written_from_the_text() {
        let page = "found string , expected a whole number (0 or more)".to_string();
        assert_eq!(
            with_found(page, r#""one""#),
            r#"found string "one", expected a whole number (0 or more)"#
        );
        let native = r#"found string "a, expected b", expected a list"#.to_string();
        assert_eq!(
            with_found(native, r#""a, expected b""#),
            r#"found string "a, expected b", expected a list"#
        );
        let other = "found boolean `true`, expected a whole number".to_string();
        assert_eq!(with_found(other.clone(), "true"), other);
        let text = r#"{"k": [2, "t\"w\\"], "x": 1}"#;
        let end = text.find("], ").unwrap();
        assert_eq!(string_before(text, end), r#""t\"w\\""#);
        assert_eq!(string_before(text, 4), r#""k""#);
        assert_eq!(string_before(text, 2), "");
    }
}
