//! Present mode: the drawing (the topology, with the state in its nodes, or the sequence
//! diagram), the narration and the step's note, full screen in large type, driven by
//! the keyboard or a presentation clicker. The layout fills the window by itself
//! (`position: fixed`); the Fullscreen API, where the browser allows it, hides the
//! browser's own bars too.
//!
//! Keys: → ↓ PageDown step forward, ← ↑ PageUp step back, Home to the start, End to the
//! end, S switches the drawing, Esc leaves. Clickers send PageDown and PageUp.
use super::diagram;
use super::notes::current_note;
use super::panels;
use super::session::Actions;
use super::teach::{Scene, Teach};
use super::layout::Layout;
use crate::sim::view::View as SimView;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Handles present mode's keys before the page's own shortcuts (a capturing listener on
/// the window), and leaves present mode when the browser leaves full screen (its Esc
/// never reaches the page). Installed once for the page's lifetime, when present mode
/// first opens (both listeners act only while presenting), so the code is in present
/// mode's chunk.
fn install_keys(t: Teach, a: Actions) {
    thread_local! {
        static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let on_key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
        if !t.presenting.get_untracked()
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || typing(&ev)
        {
            return;
        }
        let handled = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" | "PageDown" => {
                a.playing.set(false);
                a.forward();
                true
            }
            "ArrowLeft" | "ArrowUp" | "PageUp" => {
                a.back();
                true
            }
            "Home" => {
                a.reset();
                true
            }
            "End" => {
                a.run_to_end();
                true
            }
            "s" | "S" => {
                t.toggle_scene();
                true
            }
            "Escape" => {
                leave(t);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
            ev.stop_propagation();
        }
    });
    let on_fullscreen = Closure::<dyn Fn()>::new(move || {
        if t.presenting.get_untracked() && document().fullscreen_element().is_none() {
            leave(t);
        }
    });
    let _ = window().add_event_listener_with_callback_and_bool(
        "keydown",
        on_key.as_ref().unchecked_ref(),
        true,
    );
    let _ = document().add_event_listener_with_callback(
        "fullscreenchange",
        on_fullscreen.as_ref().unchecked_ref(),
    );
    // The page lives as long as the listeners.
    on_key.forget();
    on_fullscreen.forget();
}

/// Whether the key goes to a text field (a note being written), not to present mode.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match el.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => !matches!(
            el.get_attribute("type").as_deref(),
            Some("button" | "checkbox" | "radio" | "range")
        ),
        _ => el.has_attribute("contenteditable"),
    }
}

/// Leaves present mode (and full screen), and puts the focus back on its button.
pub fn leave(t: Teach) {
    t.presenting.set(false);
    if document().fullscreen_element().is_some() {
        document().exit_fullscreen();
    }
    // After the frame: leaving full screen moves the focus to the body on its way out.
    request_animation_frame(|| {
        if let Some(button) = document()
            .query_selector("[data-testid=present]")
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    });
}

#[component]
pub fn Present(view: Memo<SimView>, layout: ReadSignal<Layout>) -> impl IntoView {
    let t = expect_context::<Teach>();
    view! {
        <Show when=move || t.presenting.get()>
            {move || Suspend::new(present_view(view, layout))}
        </Show>
    }
}

/// Present mode's view. Only a learner who presents needs it, so it is a split point:
/// with the `split` feature (the page's build), scripts/split.sh moves it into a wasm
/// chunk fetched on the first ▶ Present.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn present_view(view: Memo<SimView>, layout: ReadSignal<Layout>) -> AnyView {
    view! { <PresentView view=view layout=layout /> }.into_any()
}

#[component]
fn PresentView(view: Memo<SimView>, layout: ReadSignal<Layout>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let t = expect_context::<Teach>();
    install_keys(t, a);
    let root = NodeRef::<leptos::html::Div>::new();
    // Once shown: take the focus (so a clicker's keys come here) and ask for full screen;
    // a refusal (no user gesture, an iframe, an old browser) leaves the fixed layout.
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            let _ = el.focus();
            let _ = el.request_fullscreen();
        }
    });
    // After every step and every switch of drawing, once drawn: the topology cropped
    // to its nodes, so few nodes fill the screen.
    let stage = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        a.session.track();
        t.scene.track();
        if let Some(el) = stage.get() {
            request_animation_frame(move || super::teach::fit_diagram(&el));
        }
    });
    let title = move || a.session.with(|s| s.run.scenario.title);
    let step = move || a.session.with(|s| s.run.cursor());
    let counter = move || {
        let total = a.ahead.with(|h| h.total);
        format!("step {} of {total}", a.session.with(|s| s.run.cursor()))
    };
    let sequence = move || t.scene.get() == Scene::Sequence;
    view! {
        <div class="present" data-testid="present-view" data-step=step node_ref=root tabindex="-1"
            role="dialog" aria-modal="true" aria-label=move || format!("Presenting {}", title())>
            <header class="present-head">
                <h2 class="present-title">{title}</h2>
                <span class="present-step" data-testid="present-step" aria-live="polite">{counter}</span>
                <span class="present-keys" aria-hidden="true">"← → step · S sequence · Esc leave"</span>
                <button class="ghost" data-testid="present-scene" on:click=move |_| t.toggle_scene()>
                    {move || if sequence() { "Topology" } else { "Sequence" }}
                </button>
                <button class="ghost" data-testid="present-exit" on:click=move |_| leave(t)>"Leave ✕"</button>
            </header>
            <div class="present-stage" node_ref=stage>
                <Show when=sequence fallback=move || view! { <diagram::Diagram view=view layout=layout /> }>
                    {move || Suspend::new(super::app::sequence_view())}
                </Show>
            </div>
            <aside class="present-side">
                <panels::Narration />
                {move || current_note(a).map(|note| view! {
                    <p class="present-note" data-testid="present-note" data-step=step()>
                        <span aria-hidden="true">"✎ "</span>{note}
                    </p>
                })}
            </aside>
        </div>
    }
}
