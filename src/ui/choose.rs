//! "What can happen next": every enabled event at the cursor as a button, the one the
//! scenario's own order would take marked; and the faults the learner can inject.
use super::browser;
use super::session::Actions;
use crate::sim::describe;
use crate::sim::view::View as SimView;
use leptos::prelude::*;

#[component]
pub fn NextEvents(view: Memo<SimView>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let items = move || {
        a.session.with(|s| {
            let next = s.run.next_event();
            // The view already holds the enabled events: describe those, do not recompute.
            let world = s.run.world();
            view.with(|v| v.enabled.clone())
                .into_iter()
                .map(|e| describe::choice(world, e))
                .map(|c| {
                    let event = c.event;
                    let scripted = Some(event) == next;
                    let (message, from, to) = match &c.message {
                        Some((id, from, to)) => (Some(id.clone()), Some(from.to_string()), Some(to.to_string())),
                        None => (None, None, None),
                    };
                    // The node that acts, for starts and timers too.
                    let node = s.run.world().actor(event).map(|n| n.to_string());
                    let at = c.at_ms.map(|t| format!("{t} ms")).unwrap_or_default();
                    view! {
                        <li>
                            <button data-testid="next-event" data-kind=c.kind data-node=node data-message=message data-from=from
                                data-to=to data-scripted=scripted.then_some("true") class="choice" class:scripted=scripted
                                on:click=move |_| a.fire(event)>
                                <span class="at">{at}</span>
                                <span>{c.text.clone()}</span>
                                {scripted.then(|| view! { <span class="tag">"next by script"</span> })}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let faults = move || {
        let next = a.session.with(|s| s.run.next_event());
        view.with(|v| {
            v.faults
                .iter()
                .map(|f| {
                    let event = f.event;
                    let scripted = Some(event) == next;
                    let label = format!("{} {}", f.fault, f.target);
                    view! {
                        <li>
                            <button data-testid="fault" data-fault=f.fault data-target=f.target.clone() class="fault"
                                data-scripted=scripted.then_some("true") class:scripted=scripted
                                on:click=move |_| a.fire(event)>
                                {label}
                                {scripted.then(|| view! { <span class="tag">" next by script"</span> })}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let point = move |ev: &web_sys::Event| {
        let id = browser::closest_attr(ev, "[data-message]", "data-message");
        if a.hovered.with_untracked(|h| *h != id) {
            a.hovered.set(id);
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
            // One handler for the list: the entry under the pointer or the focus
            // lights its message in the diagram.
            <ol class="choices"
                on:mouseover=move |ev| point(&ev) on:focusin=move |ev| point(&ev)
                on:mouseleave=move |_| a.hovered.set(None) on:focusout=move |_| a.hovered.set(None)>
                {items}
            </ol>
            <Show when=move || a.session.with(|s| s.run.at_end())>
                <p class="empty">"Nothing more can happen: the run has ended."</p>
            </Show>
            <h3 class="sub-h">"Inject a fault"</h3>
            <ul class="faults">{faults}</ul>
            <Show when=move || view.with(|v| v.faults.is_empty())>
                <p class="empty">"No fault applies here."</p>
            </Show>
        </section>
    }
}
