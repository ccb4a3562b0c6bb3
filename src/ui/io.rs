//! A run as a file: export the branch shown as JSON, import one back. A scenario as a
//! file: save the one on screen, open one (docs/scenarios.md). A bad file gets a
//! message saying what is wrong and where; the run on screen is kept.
use super::session::Actions;
use crate::sim::codec::{self, CodecError, RunSpec};
use crate::sim::notes::Notes;
use crate::sim::sandbox::SandboxSpec;
use crate::sim::scenario::code as scenario_code;
use crate::sim::scenario::file as scenario_file;
use crate::sim::{Fixes, Run, Scenario};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Files larger than this are refused before they are read (the decoder caps too).
const MAX_IMPORT_BYTES: f64 = 1024.0 * 1024.0;

fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "no Blob")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL")?;
    let doc = window().document().ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "no element")?
        .dyn_into()
        .map_err(|_| "not a link")?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The run file's text. Only an export writes one, so this (serde_json's pretty writer
/// and the file's serializers) is a split point: with the `split` feature (the page's
/// build), scripts/split.sh moves it into a wasm chunk that the page fetches on the
/// first export, not at startup.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn run_file_text(spec: RunSpec) -> String {
    codec::to_json(&spec)
}

/// Reads a run file: the run placed at its cursor, and its notes. A split point too (the
/// run file's reader; see `run_file_text`). A scenario of the learner's inside gets its
/// `s=` code made here, where the writer is (`scenario::code::encode`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn read_run_file(text: String) -> Result<(Run, Notes), CodecError> {
    let spec = codec::from_json(&text)?;
    let run = spec.to_run()?;
    if run.sandbox.is_none() && !run.scenario.is_catalog() {
        scenario_code::make(run.scenario);
    }
    Ok((run, spec.notes))
}

/// The scenario file of the run on screen: its name and its text. A split point (the
/// scenario file's writer; see `run_file_text`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn scenario_file_text(scenario: &'static Scenario, sandbox: Option<SandboxSpec>) -> (String, String) {
    let file = match &sandbox {
        Some(spec) => spec.scenario_file(),
        None => scenario_file::ScenarioFile::of(scenario),
    };
    (format!("{}.json", file.id.value), file.to_json())
}

/// Reads a scenario file into a scenario for the rest of the page's life, its `s=` code
/// made. A split point (the scenario file's reader and writer; see `run_file_text`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn open_scenario_file(text: String) -> Result<&'static Scenario, CodecError> {
    let scenario = scenario_file::from_json(&text)?.into_scenario();
    scenario_code::make(scenario);
    Ok(scenario)
}

#[component]
pub fn RunFile() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let export = move |_| {
        let (name, spec) = s.with_untracked(|s| {
            (
                codec::file_name(&s.run),
                RunSpec::of(&s.run).with_notes(&s.notes.on_path(&s.run)),
            )
        });
        leptos::task::spawn_local(async move {
            let text = run_file_text(spec).await;
            if let Err(e) = download(&name, &text) {
                s.update(|s| s.notice = Some(format!("Export failed: {e}.")));
            }
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        if file.size() > MAX_IMPORT_BYTES {
            s.update(|s| {
                s.import_error = Some(format!(
                    "{name}: the file is larger than 1 MiB; a run file is small."
                ))
            });
            return;
        }
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                s.update(|s| {
                    s.import_error = Some(format!("{name}: the file could not be read as text."))
                });
                return;
            };
            match read_run_file(text).await {
                Ok((run, mut notes)) => {
                    // The file's notes lie on its run's path (notes.rs).
                    notes.bind(&run);
                    a.replace(run);
                    s.update(|s| s.notes = notes);
                }
                Err(e) => s.update(|s| {
                    s.import_error = Some(format!("{name}: {e}. The run on screen is unchanged."))
                }),
            }
        });
    };
    view! {
        <div class="run-file">
            <button data-testid="export-run" on:click=export title="Save this run (scenario, fixes, seed, choices, step) as JSON">
                "Export run"
            </button>
            <label class="import">
                <span>"Import run"</span>
                <input data-testid="import-run" type="file" accept=".json,application/json" on:change=import
                    aria-label="Import a run from a JSON file" />
            </label>
            <ScenarioFile />
            {move || s.with(|s| s.import_error.clone()).map(|e| view! {
                <p data-testid="import-error" class="import-error" role="alert">
                    {e}
                    <button class="ghost" on:click=move |_| s.update(|s| s.import_error = None)>"Dismiss"</button>
                </p>
            })}
        </div>
    }
}

/// The file chosen in a file input, if any (the input is cleared so the same file can
/// be chosen again).
fn chosen(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

#[component]
fn ScenarioFile() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let failure = RwSignal::new(None::<String>);
    let save = move |_| {
        let (scenario, sandbox) = s.with_untracked(|s| (s.run.scenario, s.run.sandbox.clone()));
        leptos::task::spawn_local(async move {
            let (name, text) = scenario_file_text(scenario, sandbox).await;
            if let Err(e) = download(&name, &text) {
                failure.set(Some(format!("Saving the scenario failed: {e}.")));
            }
        });
    };
    let open = move |ev: leptos::ev::Event| {
        let Some(file) = chosen(&ev) else {
            return;
        };
        let name = file.name();
        if file.size() > MAX_IMPORT_BYTES {
            failure.set(Some(format!(
                "{name}: the file is larger than 1 MiB; a scenario file is small. The scenario on screen is unchanged."
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                failure.set(Some(format!("{name}: the file could not be read as text.")));
                return;
            };
            match open_scenario_file(text).await {
                Ok(scenario) => {
                    failure.set(None);
                    a.replace(Run::new(scenario, Fixes::none(), scenario.seed));
                }
                Err(e) => failure.set(Some(format!(
                    "{name}: {e}. The scenario on screen is unchanged."
                ))),
            }
        });
    };
    view! {
        <button data-testid="export-scenario" on:click=save
            title="Save the scenario on screen as a file you can read, change and open again (docs/scenarios.md)">
            "Save scenario"
        </button>
        <label class="import">
            <span>"Open scenario"</span>
            <input data-testid="scenario-file" type="file" accept=".json,application/json" on:change=open
                aria-label="Open a scenario from a JSON file" />
        </label>
        {move || failure.get().map(|e| view! {
            <p data-testid="scenario-error" class="import-error" role="alert">
                {e}
                <button class="ghost" on:click=move |_| failure.set(None)>"Dismiss"</button>
            </p>
        })}
    }
}
