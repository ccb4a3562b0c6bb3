//! Reading markup in tests: start tags and their attributes, for the tests of the
//! markup the UI writes (tests/markup.rs, tests/control_markup.rs, tests/sequence.rs).
#![allow(dead_code)]

/// Every start tag in `html` (the text from `<` to `>`, without them) that `keep` accepts.
pub fn tags_where(html: &str, keep: impl Fn(&str) -> bool) -> Vec<&str> {
    html.split('<')
        .filter(|t| keep(t))
        .map(|t| t.split('>').next().unwrap_or(t))
        .collect()
}

/// The value of attribute `name` in a start tag, if it has one.
pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()
}
