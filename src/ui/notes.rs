//! The learner's note on the step shown: read it, write it, change or remove it. Notes
//! live in the session (`sim::notes`), so the share link, the run file and present
//! mode carry them.
use super::session::Actions;
use crate::sim::notes::MAX_NOTE_CHARS;
use leptos::prelude::*;

/// The note at the cursor, if any.
pub fn current_note(a: Actions) -> Option<String> {
    a.session
        .with(|s| s.notes.at(&s.run, s.run.cursor()).map(str::to_string))
}

#[component]
pub fn StepNote() -> impl IntoView {
    let a = expect_context::<Actions>();
    let cursor = move || a.session.with(|s| s.run.cursor());
    // The step being written about, while the editor is open.
    let editing = RwSignal::new(None::<usize>);
    let draft = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Textarea>::new();
    let open = move |_| {
        let step = cursor();
        draft.set(current_note(a).unwrap_or_default());
        editing.set(Some(step));
        request_animation_frame(move || {
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        });
    };
    let save = move || {
        let Some(step) = editing.get_untracked() else {
            return;
        };
        let text = draft.get_untracked();
        a.session.update(|s| {
            if let Err(reason) = s.notes.put(&s.run, step, &text) {
                s.notice = Some(format!("Note not saved: {reason}."));
            }
        });
        editing.set(None);
    };
    let remove = move |_| {
        let step = cursor();
        a.session.update(|s| {
            let _ = s.notes.put(&s.run, step, "");
        });
    };
    let label = move || match editing.get() {
        Some(step) => format!("Note on step {step}"),
        None => String::new(),
    };
    view! {
        <section class="step-note" data-testid="step-note" data-step=cursor aria-label="Your note on this step">
            {move || current_note(a).filter(|_| editing.get().is_none()).map(|note| view! {
                <p class="note-text" data-testid="note" data-step=cursor()>
                    <span aria-hidden="true">"✎ "</span>{note}
                </p>
            })}
            <Show when=move || editing.get().is_some()
                fallback=move || view! {
                    <button class="ghost" data-testid="note-edit" on:click=open>
                        {move || if current_note(a).is_some() {
                            "Edit note".to_string()
                        } else {
                            format!("✎ Add a note to step {}", cursor())
                        }}
                    </button>
                    <Show when=move || current_note(a).is_some()>
                        <button class="ghost" data-testid="note-remove" on:click=remove>"Remove note"</button>
                    </Show>
                }>
                <label class="note-label" for="note-input">{label}</label>
                <textarea id="note-input" data-testid="note-input" node_ref=input rows="2"
                    maxlength=MAX_NOTE_CHARS.to_string()
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && !ev.shift_key() {
                            ev.prevent_default();
                            save();
                        } else if ev.key() == "Escape" {
                            editing.set(None);
                        }
                    }></textarea>
                <button data-testid="note-save" on:click=move |_| save()>"Save note"</button>
                <button class="ghost" on:click=move |_| editing.set(None)>"Cancel"</button>
            </Show>
        </section>
    }
}
