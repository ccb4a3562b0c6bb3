//! Quoting a piece of the learner's input in a message, as `{:?}` would: the page's
//! release build has no Debug formatting (`-Zfmt-debug=none`, `scripts/setup.sh`), so
//! there `{:?}` writes nothing and "'z' is not a pattern" would read " is not a
//! pattern". These write the same text as `{:?}` does natively (`char::escape_debug`
//! is not Debug formatting), in both builds.

/// `text` in double quotes, escaped as `{:?}` escapes a `&str`.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '\'' {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    out.push('"');
    out
}

/// `c` in single quotes, escaped as `{:?}` escapes a `char`.
pub fn char(c: char) -> String {
    let mut out = String::from('\'');
    if c == '"' {
        out.push(c);
    } else {
        out.extend(c.escape_debug());
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    /// The same text as `{:?}` in a build with Debug formatting.
    #[test]
    fn quotes_as_debug_does() {
        for s in ["z", "it's", "a \"b\"", "tab\there", "", "é", "\u{7}"] {
            assert_eq!(super::text(s), format!("{s:?}"), "{s}");
        }
        for c in ['z', '\'', '"', '\n', '\\', 'é'] {
            assert_eq!(super::char(c), format!("{c:?}"), "{c}");
        }
    }
}
