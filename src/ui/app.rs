//! The page's frame: the header, the layout of every component, the footer, and the
//! message for a link that could not be used.
use super::session::{Actions, Session};
use super::{
    branches, browser, builder, choose, controls, diagram, explore, io, learn, notes, paint, panels,
    path, pipeline, present, seqview, sidebyside, teach,
};
use crate::sim::view::View as SimView;
use leptos::prelude::*;

/// Mounts the page. A link that carries a scenario of the learner's (`s=`) has it read
/// first (its reader is a chunk fetched for it: `session::prepare`).
pub fn start() {
    let query = browser::query();
    if super::session::needs_prepare(&query) {
        // Before the mount, so wasm-bindgen's executor, not Leptos's (set up by the mount).
        wasm_bindgen_futures::spawn_local(async move {
            super::session::prepare(&query).await;
            leptos::mount::mount_to_body(App);
        });
    } else {
        leptos::mount::mount_to_body(App);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let loaded = Session::from_query(&browser::query());
    let session = RwSignal::new(loaded);
    let view = Memo::new(move |_| session.with(|s| SimView::of(s.run.world(), s.run.scenario)));
    let actions = Actions::new(session);
    provide_context(actions);
    browser::apply_saved_theme();
    actions.install_keyboard();
    actions.install_history();
    actions.load_words();
    let teach = teach::Teach::install(actions);

    let layout = diagram::layout_signal();

    // One screen: the title and fixes, the controls, the timeline with its chapters,
    // then the diagram (the state inside its nodes) beside the narration and the
    // invariants, and what can happen next. Below: the panels, the runs and the log.
    view! {
        <a class="skip" href="#main">"Skip to the simulation"</a>
        <header class="top">
            <h1 class="brand">
                <span class="logo" aria-hidden="true">"◈"</span>
                " Cachescope"
            </h1>
            <p class="tagline">"See how caches and databases stay consistent, and exactly how they fail."</p>
            <a class="ghost" href="#path">"Learning path ↓"</a>
            <button
                class="ghost"
                aria-label="Switch between light and dark theme"
                on:click=move |_| browser::toggle_theme()
            >
                "◐ Theme"
            </button>
        </header>
        <div class="layout">
            <learn::ScenarioList />
            // `data-words`: whether the catalog's words (loaded after the first paint,
            // `session::load_words`) are there yet.
            <main id="main" class="stage" data-words=move || if actions.words.get() { "loaded" } else { "loading" }>
                <LoadErrors />
                <div class="head">
                    <learn::Title />
                    <learn::FixToggles />
                </div>
                // The step controls; tools that act on the whole run (the explorer's
                // start) sit beside them in `.bar`.
                <div class="bar">
                    <controls::Controls />
                    <teach::Toolbar />
                </div>
                // The exhaustive search: its own panel under the step controls (the
                // bar is sticky on narrow screens; a result list would cover the page).
                <explore::Explorer />
                <branches::Timeline />
                <div class="scene">
                    // Views of the run (the topology diagram; a sequence view's toggle
                    // goes in `.scene-main` above it).
                    <div class="scene-main">
                        <diagram::Diagram view=view layout=layout />
                        <Show when=move || teach.scene.get() == teach::Scene::Sequence>
                            {move || Suspend::new(sequence_view())}
                        </Show>
                    </div>
                    // What can happen next and the faults sit under the narration, so
                    // a fault is fired beside the diagram and the words that tell what
                    // it did (review session 12, V16).
                    <aside class="scene-side" aria-label="What happened, the invariants and what can happen next">
                        <panels::Narration />
                        <panels::Invariants view=view />
                        <notes::StepNote />
                        <choose::NextEvents view=view />
                    </aside>
                </div>
                <learn::FixNotes />
                <div class="panels">
                    <panels::CachePanel view=view />
                    <panels::DbPanel view=view />
                    <panels::Metrics view=view />
                    <pipeline::Pipeline view=view />
                </div>
                <div class="panels">
                    <branches::Branches />
                    <panels::EventLog />
                </div>
                <io::RunFile />
                <sidebyside::SideBySide view=view layout=layout />
                <builder::Sandbox />
                <learn::Learn />
                <path::LearningPath />
            </main>
        </div>
        <present::Present view=view layout=layout />
        <footer class="foot">
            "Keys (when no control has the focus, or → ← Home End on a button; Esc leaves one): → step · ← back · space play/pause · r or Home reset · e or End run to end. "
            "Everything runs in your browser: a deterministic simulation in Rust compiled to WebAssembly."
        </footer>
    }
}

/// The sequence diagram. Only a learner who switches to it needs it, so it is a split
/// point (the `split` feature; see scripts/split.sh): a wasm chunk fetched on first use.
#[cfg_attr(feature = "split", leptos::lazy)]
pub(super) async fn sequence_view() -> AnyView {
    view! { <seqview::SequenceView /> }.into_any()
}

#[component]
fn LoadErrors() -> impl IntoView {
    let actions = expect_context::<Actions>();
    view! {
        <Show when=move || actions.session.with(|s| !s.errors.is_empty())>
            <div class="load-error" data-testid="load-error" role="alert">
                <strong>"This link held something Cachescope could not use: "</strong>
                <ul inner_html=move || actions.session.with(|s| paint::list_items(&s.errors))></ul>
                <button class="ghost" on:click=move |_| actions.session.update(|s| s.errors.clear())>
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}
