//! The learner's note on the step shown: read it, write it, change or remove it. Notes
//! live in the session (`sim::notes`), so the share link, the run file and present
//! mode carry them.
//!
//! Written as escaped markup (`markup.rs`) with one click and one key handler for the
//! section, not as `view!` rows: each of those costs its own build and rebuild code in
//! the page's wasm. The text being written lives in the textarea itself until it is
//! saved; nothing redraws the section while it is typed.
use super::browser::closest_attr;
use super::markup::Markup;
use super::session::Actions;
use crate::sim::notes::MAX_NOTE_CHARS;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The note at the cursor, if any.
pub fn current_note(a: Actions) -> Option<String> {
    a.session
        .with(|s| s.notes.at(&s.run, s.run.cursor()).map(str::to_string))
}

/// The section's inside: the note at `step` (if any) and the buttons to add, edit or
/// remove it; or, while `editing` a step, the editor with `note` to start from.
fn markup(step: usize, note: Option<&str>, editing: Option<usize>) -> String {
    let mut m = Markup::new();
    match editing {
        Some(at) => {
            m.tag("label")
                .attr("class", "note-label")
                .attr("for", "note-input")
                .body()
                .text(&format!("Note on step {at}"))
                .end("label")
                .tag("textarea")
                .attr("id", "note-input")
                .attr("data-testid", "note-input")
                .attr("rows", "2")
                .attr("maxlength", &MAX_NOTE_CHARS.to_string())
                .body()
                .text(note.unwrap_or(""))
                .end("textarea")
                .fixed(
                    "<button data-testid=\"note-save\">Save note</button>\
                     <button class=\"ghost\" data-testid=\"note-cancel\">Cancel</button>",
                );
        }
        None => {
            if let Some(note) = note {
                m.tag("p")
                    .attr("class", "note-text")
                    .attr("data-testid", "note")
                    .attr("data-step", &step.to_string())
                    .body()
                    .fixed("<span aria-hidden=\"true\">✎ </span>")
                    .text(note)
                    .end("p")
                    .fixed(
                        "<button class=\"ghost\" data-testid=\"note-edit\">Edit note</button>\
                         <button class=\"ghost\" data-testid=\"note-remove\">Remove note</button>",
                    );
            } else {
                m.tag("button")
                    .attr("class", "ghost")
                    .attr("data-testid", "note-edit")
                    .body()
                    .text(&format!("✎ Add a note to step {step}"))
                    .end("button");
            }
        }
    }
    m.finish()
}

#[component]
pub fn StepNote() -> impl IntoView {
    let a = expect_context::<Actions>();
    let cursor = move || a.session.with(|s| s.run.cursor());
    // The step being written about, while the editor is open.
    let editing = RwSignal::new(None::<usize>);
    let holder = NodeRef::<leptos::html::Section>::new();
    let textarea = move || {
        holder
            .get_untracked()?
            .query_selector("textarea")
            .ok()??
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .ok()
    };
    let save = move || {
        let Some(step) = editing.get_untracked() else {
            return;
        };
        let text = textarea().map(|t| t.value()).unwrap_or_default();
        a.session.update(|s| {
            if let Err(reason) = s.notes.put(&s.run, step, &text) {
                s.notice = Some(format!("Note not saved: {reason}."));
            }
        });
        editing.set(None);
    };
    let click = move |ev: leptos::ev::MouseEvent| {
        match closest_attr(&ev, "button[data-testid]", "data-testid").as_deref() {
            Some("note-edit") => {
                editing.set(Some(cursor()));
                request_animation_frame(move || {
                    if let Some(t) = textarea() {
                        let _ = t.focus();
                        // The caret after the text, as for a value set as a property.
                        t.set_value(&t.value());
                    }
                });
            }
            Some("note-remove") => {
                let step = cursor();
                a.session.update(|s| {
                    let _ = s.notes.put(&s.run, step, "");
                });
            }
            Some("note-save") => save(),
            Some("note-cancel") => editing.set(None),
            _ => {}
        }
    };
    // In the editor: Enter saves (Shift+Enter is a new line), Escape leaves.
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if editing.get_untracked().is_none() {
            return;
        }
        if ev.key() == "Enter" && !ev.shift_key() {
            ev.prevent_default();
            save();
        } else if ev.key() == "Escape" {
            editing.set(None);
        }
    };
    let inside = move || {
        let editing = editing.get();
        let step = editing.unwrap_or_else(cursor);
        let note = a.session.with(|s| s.notes.at(&s.run, step).map(str::to_string));
        markup(cursor(), note.as_deref(), editing)
    };
    view! {
        <section class="step-note" data-testid="step-note" data-step=cursor aria-label="Your note on this step"
            node_ref=holder inner_html=inside on:click=click on:keydown=keydown></section>
    }
}
