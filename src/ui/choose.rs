//! "What can happen next": every enabled event at the cursor as a button, the one the
//! scenario's own order would take marked; and the faults the learner can inject. The
//! buttons are markup (`paint::next_events`, `paint::faults`) with one handler per
//! list: a click fires the entry's event, pointing at it lights its message.
use super::browser;
use super::lists;
use super::session::Actions;
use crate::sim::view::View as SimView;
use leptos::prelude::*;

/// The `data-event` of the entry an event happened in: the event's name.
fn entry(ev: &web_sys::Event) -> Option<String> {
    browser::closest_attr(ev, "[data-event]", "data-event")
}

#[component]
pub fn NextEvents(view: Memo<SimView>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let choices = NodeRef::<leptos::html::Ol>::new();
    let fault_list = NodeRef::<leptos::html::Ul>::new();
    let items = move || {
        let markup = a.session.with(|s| {
            // The view already holds the enabled events: describe those, do not recompute.
            view.with(|v| {
                lists::next_events(
                    s.run.world(),
                    &v.enabled,
                    s.run.next_event(),
                    s.run.on_script(),
                )
            })
        });
        browser::keeping_focus(choices.get_untracked().map(Into::into), markup)
    };
    let faults = move || {
        let next = a.session.with(|s| s.run.next_event());
        let markup = view.with(|v| lists::faults(v, next));
        browser::keeping_focus(fault_list.get_untracked().map(Into::into), markup)
    };
    let fire_choice = move |ev: leptos::ev::MouseEvent| {
        let event = entry(&ev).and_then(|name| {
            view.with_untracked(|v| v.enabled.iter().copied().find(|e| e.to_string() == name))
        });
        if let Some(event) = event {
            a.fire(event);
            browser::reveal(".narration");
        }
    };
    let fire_fault = move |ev: leptos::ev::MouseEvent| {
        let event = entry(&ev).and_then(|name| {
            view.with_untracked(|v| {
                v.faults
                    .iter()
                    .find(|f| f.event.to_string() == name)
                    .map(|f| f.event)
            })
        });
        if let Some(event) = event {
            a.fire(event);
            browser::reveal(".narration");
        }
    };
    let point = move |ev: &web_sys::Event| {
        let id = browser::closest_attr(ev, "[data-message]", "data-message");
        if a.hovered.with_untracked(|h| *h != id) {
            a.hovered.set(id);
        }
    };
    let unpoint = move || {
        if a.hovered.with_untracked(Option::is_some) {
            a.hovered.set(None);
        }
    };
    let off_script = move || a.session.with(|s| !s.run.on_script());
    view! {
        <section class="panel choose" aria-labelledby="next-h">
            <h2 id="next-h">"What can happen next"</h2>
            <p class="sub">
                "Pick any event to fire it: the network may deliver in any order. "
                {move || if off_script() {
                    "You have left the script: Step now takes the earliest event."
                } else {
                    "Step takes the marked one."
                }}
            </p>
            // The entry under the pointer or the focus lights its message in the diagram.
            <ol class="choices" node_ref=choices inner_html=items on:click=fire_choice
                on:mouseover=move |ev| point(&ev) on:focusin=move |ev| point(&ev)
                on:mouseleave=move |_| unpoint() on:focusout=move |_| unpoint()></ol>
            <Show when=move || a.session.with(|s| s.run.at_end())>
                <p class="empty">"Nothing more can happen: the run has ended."</p>
            </Show>
            <h3 class="sub-h">"Inject a fault"</h3>
            <ul class="faults" node_ref=fault_list inner_html=faults on:click=fire_fault></ul>
            <Show when=move || view.with(|v| v.faults.is_empty())>
                <p class="empty">"No fault applies here."</p>
            </Show>
        </section>
    }
}
