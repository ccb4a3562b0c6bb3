//! A run as a file: export the branch shown as JSON, import one back. A scenario as a
//! file: save the one on screen, open one (docs/scenarios.md). A bad file gets a
//! message saying what is wrong and where; the run on screen is kept.
use super::session::Actions;
use crate::sim::codec::{self, RunSpec};
use crate::sim::scenario::code as scenario_code;
use crate::sim::scenario::file as scenario_file;
use crate::sim::{Fixes, Run};
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

/// Writes the run on screen as a run file and downloads it. Only an export does, so
/// this (serde_json's pretty writer, the file's serializers, the download) is a split
/// point: with the `split` feature (the page's build), scripts/split.sh moves it into a
/// wasm chunk that the page fetches on the first export, not at startup.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn export_run(a: Actions) {
    let s = a.session;
    let (name, spec) = s.with_untracked(|s| {
        (
            codec::file_name(&s.run),
            RunSpec::of(&s.run).with_notes(&s.notes.on_path(&s.run)),
        )
    });
    let text = codec::to_json(&spec);
    if let Err(e) = download(&name, &text) {
        s.update(|s| s.notice = Some(format!("Export failed: {e}.")));
    }
}

/// The text of a file the learner chose, or the message that says why there is none
/// (`too_big` ends the one for a file over `MAX_IMPORT_BYTES`).
async fn file_text(file: &web_sys::File, too_big: &str) -> Result<String, String> {
    let name = file.name();
    if file.size() > MAX_IMPORT_BYTES {
        return Err(format!("{name}: the file is larger than 1 MiB; {too_big}"));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
    text.ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{name}: the file could not be read as text."))
}

/// Reads a run file and places its run at its cursor, with its notes; a bad file gets
/// a message and the run on screen is kept. A split point too (the run file's reader;
/// see `export_run`). A scenario of the learner's inside gets its `s=` code made here,
/// where the writer is (`scenario::code::encode`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn import_run(a: Actions, file: web_sys::File) {
    let s = a.session;
    let name = file.name();
    let text = match file_text(&file, "a run file is small.").await {
        Ok(text) => text,
        Err(e) => return s.update(|s| s.import_error = Some(e)),
    };
    match codec::run_from_json(&text) {
        Ok((run, mut notes, note)) => {
            if run.sandbox.is_none() && !run.scenario.is_catalog() {
                scenario_code::make(run.scenario);
            }
            // The file's notes lie on its run's path (notes.rs).
            notes.bind(&run);
            a.replace(run);
            s.update(|s| {
                s.notes = notes;
                s.notice = note.map(|n| format!("{name}: {n}."));
            });
        }
        Err(e) => s.update(|s| {
            s.import_error = Some(format!("{name}: {e}. The run on screen is unchanged."))
        }),
    }
}

/// Writes the scenario on screen as a scenario file and downloads it. A split point
/// (the scenario file's writer; see `export_run`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn save_scenario(a: Actions, failure: RwSignal<Option<String>>) {
    // A catalog scenario's file has its words (`ScenarioFile::of`).
    super::session::words_ready().await;
    let (scenario, sandbox) = a
        .session
        .with_untracked(|s| (s.run.scenario, s.run.sandbox.clone()));
    let file = match &sandbox {
        Some(spec) => spec.scenario_file(),
        None => scenario_file::ScenarioFile::of(scenario),
    };
    let name = format!("{}.json", file.id.value);
    if let Err(e) = download(&name, &file.to_json()) {
        failure.set(Some(format!("Saving the scenario failed: {e}.")));
    }
}

/// Reads a scenario file into a scenario for the rest of the page's life, its `s=` code
/// made, and loads it; a bad file gets a message and the scenario on screen is kept. A
/// split point (the scenario file's reader and writer; see `export_run`).
#[cfg_attr(feature = "split", leptos::lazy)]
async fn open_scenario(a: Actions, failure: RwSignal<Option<String>>, file: web_sys::File) {
    let name = file.name();
    let too_big = "a scenario file is small. The scenario on screen is unchanged.";
    let text = match file_text(&file, too_big).await {
        Ok(text) => text,
        Err(e) => return failure.set(Some(e)),
    };
    match scenario_file::from_json(&text).map(scenario_file::ScenarioFile::into_scenario) {
        Ok(scenario) => {
            scenario_code::make(scenario);
            failure.set(None);
            a.replace(Run::new(scenario, Fixes::none(), scenario.seed));
        }
        Err(e) => failure.set(Some(format!(
            "{name}: {e}. The scenario on screen is unchanged."
        ))),
    }
}

#[component]
pub fn RunFile() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let export = move |_| leptos::task::spawn_local(export_run(a));
    let import = move |ev: leptos::ev::Event| {
        if let Some(file) = chosen(&ev) {
            leptos::task::spawn_local(import_run(a, file));
        }
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
    let failure = RwSignal::new(None::<String>);
    let save = move |_| leptos::task::spawn_local(save_scenario(a, failure));
    let open = move |ev: leptos::ev::Event| {
        if let Some(file) = chosen(&ev) {
            leptos::task::spawn_local(open_scenario(a, failure, file));
        }
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
