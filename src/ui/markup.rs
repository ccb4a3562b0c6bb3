//! Markup written as text, for the parts of the page that only display: the state
//! panels and the diagram. A component sets it with `inner_html`.
//!
//! Why: every `view!` row type compiles into its own build, rebuild and effect code. The
//! panels, the diagram and the long lists written that way were a third of the bundle's
//! wasm (removing them took over 40 KB off its gzip size, against a 200 KB budget). As
//! text, a panel is one plain function and the page gets the same elements and
//! attributes. A list of buttons written here gets one handler on the list, which reads
//! the entry's `data-` attribute (`browser::closest_attr`), and keeps the focus where it
//! was (at the same position) when redrawn (`browser::keeping_focus`). Single controls stay in `view!`.
//!
//! Safety: every value goes through `attr` or `text`, which escape `&`, `<`, `>` and
//! `"`, so nothing that came from a link or a file can become markup. What is written
//! unescaped (tag and attribute names, and `fixed` markup) is a `&'static str`: spelled
//! in this crate.

/// A growing piece of markup.
#[derive(Default)]
pub struct Markup {
    out: String,
}

impl Markup {
    pub fn new() -> Markup {
        Markup::default()
    }

    /// Starts an element: `<name`. Add attributes, then `body()` or `empty()`.
    pub fn tag(&mut self, name: &'static str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self
    }

    /// ` name="value"`, the value escaped.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value);
        self.out.push('"');
        self
    }

    /// `attr` when there is a value; nothing otherwise (like an `Option` in `view!`).
    pub fn attr_if(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.attr(name, value);
        }
        self
    }

    /// Ends the start tag: `>`.
    pub fn body(&mut self) -> &mut Self {
        self.out.push('>');
        self
    }

    /// Ends an element with no children (`<line … />`, SVG only).
    pub fn empty(&mut self) -> &mut Self {
        self.out.push_str("/>");
        self
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.out, text);
        self
    }

    /// `</name>`.
    pub fn end(&mut self, name: &'static str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// `<name class="class">text</name>` (no class attribute when `class` is empty).
    pub fn leaf(&mut self, name: &'static str, class: &str, text: &str) -> &mut Self {
        self.tag(name);
        if !class.is_empty() {
            self.attr("class", class);
        }
        self.body().text(text).end(name)
    }

    /// Markup spelled in this crate, written as it is.
    pub fn fixed(&mut self, markup: &'static str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Another piece of markup, written by the same escaping methods.
    pub fn append(&mut self, other: Markup) -> &mut Self {
        self.out.push_str(&other.out);
        self
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Appends `text` with the characters that could end a text node or an attribute
/// value escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Markup;

    #[test]
    fn values_are_escaped_and_fixed_markup_is_not() {
        let mut m = Markup::new();
        m.tag("tr")
            .attr("data-key", "a\"><script>")
            .attr_if("data-expires-at", None)
            .attr_if("data-version", Some("3"))
            .body()
            .leaf("td", "value", "<b>&")
            .leaf("td", "", "x")
            .fixed("<td></td>")
            .end("tr");
        assert_eq!(
            m.finish(),
            "<tr data-key=\"a&quot;&gt;&lt;script&gt;\" data-version=\"3\">\
             <td class=\"value\">&lt;b&gt;&amp;</td><td>x</td><td></td></tr>"
        );
    }
}
