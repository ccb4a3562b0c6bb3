//! Field paths in a JSON text, found by one walk over it: where serde_json stopped
//! (`path_at`), and every number with its path (`numbers`).

/// One open object or list on the way to a place in the text.
enum Frame {
    /// An object, with the key whose value is being read (after its `:`), if any.
    Object(Option<String>),
    /// A list, with the index of the element being read.
    List(usize),
}

/// The field path of byte `offset` of `text`, as a reader counts:
/// `clients[1].requests[0].at_ms` (lists counted from 0, as JSON's readers count). It is found by scanning the
/// JSON text up to the place serde_json reports, so that the one plain serde_json
/// build of every type's reader names fields too (a path-tracking wrapper around every
/// reader, `serde_path_to_error`, cost about 120 kB of wasm). A key counts only once
/// its `:` is read, so an unknown field's error names the object it is in.
pub(super) fn path_at(text: &str, offset: usize) -> String {
    path_of(&walk(text, offset, |_, _, _| {}))
}

/// A number in a JSON text: its field path (as `path_at` writes it), its first byte
/// and its text.
pub struct Number<'a> {
    pub path: String,
    pub start: usize,
    pub text: &'a str,
}

/// Every number in `text` (JSON that serde_json has read), with its field path, in
/// one walk: for checks on plain numbers that their types do not make
/// (`scenario::file::limits`), placed at their own line and field.
pub fn numbers(text: &str) -> Vec<Number<'_>> {
    let mut out = Vec::new();
    walk(text, text.len(), |stack, start, last| {
        out.push(Number {
            path: path_of(stack),
            start,
            text: &text[start..=last],
        })
    });
    out
}

/// Walks `text` up to byte `end`, calling `on_number` with the open frames, the first
/// and the last byte of each number; returns the frames open at `end`. The loop is
/// bounded by `end` (each turn moves on at least one byte).
fn walk(text: &str, end: usize, mut on_number: impl FnMut(&[Frame], usize, usize)) -> Vec<Frame> {
    let bytes = &text.as_bytes()[..end.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut pending: Option<String> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let begin = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let inner = text.get(begin..i.min(bytes.len())).unwrap_or("");
                if matches!(stack.last(), Some(Frame::Object(None))) {
                    pending = Some(inner.to_string());
                }
            }
            b':' => {
                if let Some(Frame::Object(key)) = stack.last_mut() {
                    *key = pending.take();
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::List(index)) => *index += 1,
                None => {}
            },
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::List(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i + 1 < bytes.len()
                    && matches!(bytes[i + 1], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                on_number(&stack, start, i);
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

/// The path of the open frames: `settings.clients.reader[1].key`.
fn path_of(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::List(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}
