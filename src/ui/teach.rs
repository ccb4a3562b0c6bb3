//! The tools for a class and for an incident review: which drawing the scene shows
//! (the topology or the sequence diagram), a drawing saved as an SVG or PNG picture, the
//! link to this moment copied, present mode (`present.rs`), and the page's title.
//! Copying and the pictures are in `teach.js` (see there why).
use super::browser;
use super::session::Actions;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/ui/teach.js")]
extern "C" {
    fn copy_text(text: &str) -> js_sys::Promise;
    fn export_svg(holder: &web_sys::Element, name: &str) -> js_sys::Promise;
    fn export_png(holder: &web_sys::Element, name: &str, scale: f64) -> js_sys::Promise;
    fn fit_svg(holder: &web_sys::Element, pad: f64);
}

/// Crops the diagram inside `holder` to its nodes (present mode).
pub fn fit_diagram(holder: &web_sys::Element) {
    fit_svg(holder, 28.0);
}

/// Which drawing the scene shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scene {
    Topology,
    Sequence,
}

/// The teaching tools' state, shared by the toolbar, present mode and the sequence view.
#[derive(Clone, Copy)]
pub struct Teach {
    pub scene: RwSignal<Scene>,
    pub presenting: RwSignal<bool>,
    /// What the last tool did or why it could not ("Link copied").
    pub status: RwSignal<String>,
    /// The link to show selected when the clipboard refused it.
    pub fallback_link: RwSignal<Option<String>>,
}

impl Teach {
    /// Makes the state, provides it, and keeps the page's title on the scenario.
    pub fn install(actions: Actions) -> Teach {
        let t = Teach {
            scene: RwSignal::new(Scene::Topology),
            presenting: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            fallback_link: RwSignal::new(None),
        };
        provide_context(t);
        Effect::new(move |_| {
            let title = actions.session.with(|s| s.run.scenario.title);
            document().set_title(&format!("{title} · Cachescope"));
        });
        t
    }

    pub fn toggle_scene(self) {
        self.scene.update(|s| {
            *s = match s {
                Scene::Topology => Scene::Sequence,
                Scene::Sequence => Scene::Topology,
            }
        });
    }
}

/// The element holding the drawing shown: inside present mode when it is open.
fn drawing_holder(scene: Scene) -> Option<web_sys::Element> {
    let doc = document();
    let scope = doc
        .query_selector("[data-testid=present-view]")
        .ok()
        .flatten();
    let find = |sel: &str| match &scope {
        Some(p) => p.query_selector(sel).ok().flatten(),
        None => doc.query_selector(sel).ok().flatten(),
    };
    match scene {
        Scene::Sequence => find("[data-testid=sequence]"),
        Scene::Topology => find("[data-testid=node]")
            .and_then(|n| n.closest("svg").ok().flatten())
            .and_then(|svg| svg.parent_element()),
    }
}

fn picture_name(actions: Actions, scene: Scene, ext: &str) -> String {
    let (id, step) = actions
        .session
        .with_untracked(|s| (s.run.scenario.id, s.run.cursor()));
    let what = match scene {
        Scene::Topology => "diagram",
        Scene::Sequence => "sequence",
    };
    format!("cachescope-{id}-step-{step}-{what}.{ext}")
}

/// Saves the drawing shown as an SVG (`svg`) or a PNG picture. Only a learner who saves
/// one needs it, so it is a split point (the `split` feature; see scripts/split.sh): a
/// wasm chunk fetched on the first ⤓ SVG or ⤓ PNG.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn save_picture(svg: bool, t: Teach, actions: Actions) {
    save_as(t, actions, svg);
}

/// Saves the drawing shown (named by `picture_name`) through `picture.js` (fetched on
/// first use by `teach.js`), then says "Saved …" or "Not saved: <why>." in the status line.
fn save_as(t: Teach, actions: Actions, svg: bool) {
    let scene = t.scene.get_untracked();
    let name = picture_name(actions, scene, if svg { "svg" } else { "png" });
    let Some(holder) = drawing_holder(scene) else {
        t.status
            .set("Not saved: there is no drawing to export.".into());
        return;
    };
    let promise = if svg {
        export_svg(&holder, &name)
    } else {
        export_png(&holder, &name, 2.0)
    };
    leptos::task::spawn_local(async move {
        // A rejection (an exception in picture.js) is no "Saved".
        let reason = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(v) => v.as_string().unwrap_or_default(),
            Err(_) => "the browser stopped it with an error".into(),
        };
        t.status.set(if reason.is_empty() {
            format!("Saved {name}")
        } else {
            format!("Not saved: {reason}.")
        });
    });
}

/// Copies the link to this moment (the share link's href).
pub fn copy_link(t: Teach, actions: Actions) {
    let link = format!(
        "{}?{}",
        browser::origin_and_path(),
        actions.session.with_untracked(|s| {
            crate::sim::link::query_with_notes(&s.run, &s.notes)
        })
    );
    let promise = copy_text(&link);
    leptos::task::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(promise).await;
        if result.ok().and_then(|v| v.as_string()).as_deref() == Some("copied") {
            t.fallback_link.set(None);
            t.status.set("Link copied to the clipboard.".into());
        } else {
            t.status
                .set("The clipboard is not available here: copy the link below.".into());
            t.fallback_link.set(Some(link));
        }
    });
}

/// The toolbar's buttons, written once as markup (one click handler reads the button's
/// `data-testid`; the drawing shown is marked by `aria-pressed`, in place).
const TOOLS: &str = concat!(
    r#"<div class="teach-seg" role="group" aria-label="Drawing">"#,
    r#"<button data-testid="show-topology" aria-pressed="true">Topology</button>"#,
    r#"<button data-testid="show-sequence" aria-pressed="false" title="A lane per node, a line per message, time going down">Sequence</button></div>"#,
    r#"<button data-testid="export-svg" title="Save the drawing shown as an SVG picture">⤓ SVG</button>"#,
    r#"<button data-testid="export-png" title="Save the drawing shown as a PNG picture">⤓ PNG</button>"#,
    r#"<button data-testid="copy-link" title="Copy the link to this moment, notes included">Copy link</button>"#,
    r#"<button data-testid="present" title="Full screen, large type; arrows or a clicker step, Esc leaves">▶ Present</button>"#,
);

#[component]
pub fn Toolbar() -> impl IntoView {
    let a = expect_context::<Actions>();
    let t = expect_context::<Teach>();
    let tools = NodeRef::<leptos::html::Span>::new();
    Effect::new(move |_| {
        let scene = t.scene.get();
        let Some(el) = tools.get() else {
            return;
        };
        for (id, which) in [("show-topology", Scene::Topology), ("show-sequence", Scene::Sequence)] {
            if let Ok(Some(button)) = el.query_selector(&format!("[data-testid={id}]")) {
                let _ = button.set_attribute("aria-pressed", if scene == which { "true" } else { "false" });
            }
        }
    });
    let act = move |ev: leptos::ev::MouseEvent| {
        match browser::closest_attr(&ev, "button[data-testid]", "data-testid").as_deref() {
            Some("show-topology") => t.scene.set(Scene::Topology),
            Some("show-sequence") => t.scene.set(Scene::Sequence),
            Some(which @ ("export-svg" | "export-png")) => {
                let svg = which == "export-svg";
                leptos::task::spawn_local(save_picture(svg, t, a));
            }
            Some("copy-link") => copy_link(t, a),
            Some("present") => t.presenting.set(true),
            _ => {}
        }
    };
    let fallback = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if t.fallback_link.get().is_some() {
            if let Some(input) = fallback.get() {
                input.select();
            }
        }
    });
    view! {
        <div class="teach-bar" role="toolbar" aria-label="Drawing, pictures, link and present mode">
            // No box of its own: the buttons sit in the toolbar's flex row.
            <span style="display: contents" node_ref=tools inner_html=TOOLS on:click=act></span>
            <span class="teach-status" data-testid="teach-status" role="status" aria-live="polite">
                {move || t.status.get()}
            </span>
            {move || t.fallback_link.get().map(|link| view! {
                <input class="copy-fallback" data-testid="copy-link-fallback" readonly
                    aria-label="The link to this moment" node_ref=fallback
                    value=link on:focus=|ev| {
                        if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            i.select();
                        }
                    } />
            })}
        </div>
    }
}
