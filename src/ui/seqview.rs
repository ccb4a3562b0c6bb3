//! The sequence diagram on the page (its markup is `sequence.rs`): drawn while it is
//! shown, scrolled so the current step's row is in view.
use super::sequence;
use super::session::Actions;
use crate::sim::sequence::Sequence;
use leptos::prelude::*;

#[component]
pub fn SequenceView() -> impl IntoView {
    let a = expect_context::<Actions>();
    let holder = NodeRef::<leptos::html::Div>::new();
    let markup = move || a.session.with(|s| sequence::svg(&Sequence::of(&s.run), &s.notes.on_path(&s.run)));
    let cursor = move || a.session.with(|s| s.run.cursor());
    // Keep the current row in the middle of the scrolled box (not the page).
    Effect::new(move |_| {
        let now = cursor();
        let Some(el) = holder.get() else { return };
        request_animation_frame(move || {
            let y = sequence::row_y(now) as i32;
            let top = (y - el.client_height() / 2).max(0);
            el.set_scroll_top(top);
        });
    });
    view! {
        <div class="sequence" data-testid="sequence" data-step=cursor node_ref=holder
            role="region" aria-label="Sequence diagram of the run so far" tabindex="0"
            inner_html=markup></div>
    }
}
