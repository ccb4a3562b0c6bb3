//! A small JSON reader and string writer: just what the run file needs, without a
//! general JSON library in the page's bundle (numbers are kept as their text, so no
//! float parsing is compiled in).
//!
//! It reads RFC 8259 JSON, nested at most `MAX_DEPTH` deep, and reports the line and
//! column of the first thing wrong. A key that appears twice in one object is an error.

/// Objects and arrays nest at most this deep.
pub const MAX_DEPTH: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, as written (checked against JSON's grammar).
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in the order written.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// What kind of value this is, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "true or false",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "a list",
            Json::Object(_) => "an object",
        }
    }

    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Where reading stopped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

/// `text` as a JSON string literal.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Reads one JSON value filling the whole of `text` (whitespace aside).
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    r.space();
    let value = r.value(0)?;
    r.space();
    if r.pos < r.bytes.len() {
        return Err(r.fail("more text after the end of the JSON value"));
    }
    Ok(value)
}

impl Reader<'_> {
    fn fail(&self, reason: impl Into<String>) -> ParseError {
        let pos = self.pos.min(self.text.len());
        let mut at = pos;
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ParseError {
            line,
            column,
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|t| t.chars().next()) {
            Some(c) => format!("'{}'", c.escape_default()),
            None => "the end of the file".to_string(),
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail(format!("expected {what}, found {}", self.found())))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            _ => Err(self.fail(format!("expected a value, found {}", self.found()))),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.fail(format!("expected a value, found {}", self.found())))
        }
    }

    fn deep(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            Err(self.fail(format!("nested more than {MAX_DEPTH} deep")))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.deep(depth)?;
        self.pos += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(self.fail(format!(
                    "expected a field name in quotes, found {}",
                    self.found()
                )));
            }
            let at = self.pos;
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                self.pos = at;
                return Err(self.fail(format!("the field {} appears twice", quote(&key))));
            }
            self.space();
            self.expect(b':', "':' after the field name")?;
            self.space();
            let value = self.value(depth)?;
            members.push((key, value));
            self.space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.fail(format!("expected ',' or '}}', found {}", self.found()))),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.deep(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.space();
            items.push(self.value(depth)?);
            self.space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.fail(format!("expected ',' or ']', found {}", self.found()))),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if self.digits() == 0 {
            return Err(self.fail(format!("expected a digit, found {}", self.found())));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.fail(format!(
                    "expected a digit after '.', found {}",
                    self.found()
                )));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail(format!(
                    "expected a digit in the exponent, found {}",
                    self.found()
                )));
            }
        }
        Ok(Json::Number(self.text[start..self.pos].to_string()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let Some(h) = self.text.get(self.pos..self.pos + 4) else {
            return Err(self.fail("expected four hex digits after \\u"));
        };
        let v = u32::from_str_radix(h, 16)
            .ok()
            .filter(|_| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.fail("expected four hex digits after \\u"))?;
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.fail("the file ends inside a string"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.bytes[self.pos..].starts_with(b"\\u") {
                                    return Err(self.fail(
                                        "a \\u escape of half a character (a lone surrogate)",
                                    ));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.fail(
                                        "a \\u escape of half a character (a lone surrogate)",
                                    ));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            let c = char::from_u32(code)
                                .ok_or_else(|| self.fail("a \\u escape that is not a character"))?;
                            out.push(c);
                            continue;
                        }
                        _ => {
                            return Err(self.fail(format!(
                                "unknown escape \\{}",
                                self.found().trim_matches('\'')
                            )))
                        }
                    };
                    out.push(c);
                    self.pos += 1;
                }
                0..=0x1f => {
                    return Err(
                        self.fail("a control character inside a string (write it as an escape)")
                    )
                }
                _ => {
                    // Copy the run of plain characters up to the next quote or escape.
                    let start = self.pos;
                    while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_should() {
        let v =
            parse(r#" {"a": [1, -2.5e3, true, null, "x\"\u00e9\ud83d\ude42"], "b": {}} "#).unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Json::Array(vec![
                Json::Number("1".into()),
                Json::Number("-2.5e3".into()),
                Json::Bool(true),
                Json::Null,
                Json::String("x\"é🙂".into()),
            ]))
        );
        assert_eq!(
            parse(&quote("a\"b\\\n\u{1}")).unwrap(),
            Json::String("a\"b\\\n\u{1}".into())
        );
    }

    #[test]
    fn says_where_it_stopped() {
        let e = parse("{\n  \"a\": 01\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 9), "{e:?}");
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "\"\\x\"",
            "\"\\ud800\"",
            "1 2",
            "{\"a\":1,\"a\":2}",
            "-",
            "1.",
            "tru",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().reason.contains("deep"));
    }
}
