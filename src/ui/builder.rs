//! The sandbox: build a scenario from the catalog's parts and drive it by hand. It is
//! shared like any run (its parameters travel in the link).
use super::session::Actions;
use crate::sim::sandbox::{
    from_form, read_count, read_ttl, Guarantee, Pattern, SandboxSpec, MAX_KEYS, MAX_READERS,
    MAX_TTL_MS, MAX_WRITERS,
};
use crate::sim::config::topology::{form_entries, form_problem};
use crate::sim::scenario::code as scenario_code;
use crate::sim::scenario::file as scenario_file;
use crate::sim::{Fixes, Run};
use leptos::prelude::*;

#[component]
pub fn Sandbox() -> impl IntoView {
    // The form is drawn from the first opening on (and kept while closed).
    let opened = RwSignal::new(false);
    view! {
        <details class="panel sandbox" data-testid="sandbox-panel" on:toggle=move |_| opened.set(true)>
            <summary><h2>"Sandbox: build your own scenario"</h2></summary>
            <Show when=move || opened.get()>
                {move || Suspend::new(sandbox_form())}
            </Show>
        </details>
    }
}

/// The builder's form. Only a learner who opens the panel needs it, so it is a split
/// point (the `split` feature; see scripts/split.sh): a wasm chunk fetched on the first
/// opening.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn sandbox_form() -> AnyView {
    view! { <SandboxForm /> }.into_any()
}

#[component]
fn SandboxForm() -> impl IntoView {
    let a = expect_context::<Actions>();
    let spec = RwSignal::new(SandboxSpec::new(Pattern::CacheAside));
    // A number field; when what was typed is not what the sandbox uses (too many
    // readers, not a number), it says so under the field (`sandbox-field-note`).
    let number = |label: &'static str,
                  what: &'static str,
                  max: u8,
                  get: fn(&SandboxSpec) -> u8,
                  set: fn(&mut SandboxSpec, u8)| {
        let note = RwSignal::new(None::<String>);
        view! {
            <label>
                <span>{label}</span>
                <input type="number" min="1" max=max.to_string()
                    data-testid="sandbox-field" data-field=what
                    prop:value=move || spec.with(|s| get(s).to_string())
                    on:change=move |ev| {
                        let read = read_count(&event_target_value(&ev), what, max, spec.with_untracked(get));
                        spec.update(|s| set(s, read.value));
                        note.set(read.note);
                    } />
                <small class="field-note" role="status" data-testid="sandbox-field-note" data-field=what
                    hidden=move || note.with(Option::is_none)>{move || note.get().unwrap_or_default()}</small>
            </label>
        }
    };
    let ttl_note = RwSignal::new(None::<String>);
    let parts_note = RwSignal::new(None::<String>);
    let nodes_error = RwSignal::new(None::<String>);
    let build = move |_| {
        let (parts, notes) = from_form(&parts_fields("sandbox-parts"));
        parts_note.set((!notes.is_empty()).then(|| notes.join(" ")));
        spec.update_untracked(|s| s.parts = parts);
        let spec = spec.get_untracked().clamped();
        let fields = parts_fields("sandbox-nodes");
        if let Some(p) = form_problem(&fields, u16::from(spec.keys)) {
            return nodes_error.set(Some(format!("More nodes: {p}. The scenario on screen is unchanged.")));
        }
        let entries = form_entries(&fields);
        if entries.is_empty() {
            nodes_error.set(None);
            let scenario = spec.scenario();
            a.replace(Run::new_sandbox(spec, Fixes::none(), scenario.seed));
        } else {
            // More nodes: the sandbox as a scenario file with these topology entries,
            // read as an opened file is (its errors, its `s=` link).
            match with_nodes(&spec, entries) {
                Ok(scenario) => {
                    nodes_error.set(None);
                    scenario_code::make(scenario);
                    a.replace(Run::new(scenario, Fixes::none(), scenario.seed));
                }
                Err(e) => return nodes_error.set(Some(e)),
            }
        }
        super::browser::scroll_to_top();
    };
    view! {
        <div class="form">
            <label>
                <span>"Pattern"</span>
                <select on:change=move |ev| {
                    if let Some(p) = Pattern::parse(&event_target_value(&ev)) {
                        spec.update(|s| s.pattern = p);
                    }
                }>
                    {Pattern::ALL.iter().map(|p| view! {
                        <option value=p.id() selected=move || spec.with(|s| s.pattern == *p)>{p.id()}</option>
                    }).collect_view()}
                </select>
            </label>
            {number("Readers", "readers", MAX_READERS, |s| s.readers, |s, n| s.readers = n)}
            {number("Writers", "writers", MAX_WRITERS, |s| s.writers, |s, n| s.writers = n)}
            {number("Keys", "keys", MAX_KEYS, |s| s.keys, |s, n| s.keys = n)}
            <label>
                <span>"TTL (ms, empty: none)"</span>
                <input type="number" min="1" max=MAX_TTL_MS.to_string()
                    data-testid="sandbox-field" data-field="ttl"
                    prop:value=move || spec.with(|s| s.ttl_ms.map(|t| t.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let read = read_ttl(&event_target_value(&ev), spec.with_untracked(|s| s.ttl_ms));
                        spec.update(|s| s.ttl_ms = read.value);
                        ttl_note.set(read.note);
                    } />
                <small class="field-note" role="status" data-testid="sandbox-field-note" data-field="ttl"
                    hidden=move || ttl_note.with(Option::is_none)>{move || ttl_note.get().unwrap_or_default()}</small>
            </label>
            <label>
                <span>"Bus"</span>
                <select on:change=move |ev| {
                    if let Some(g) = Guarantee::parse(&event_target_value(&ev)) {
                        spec.update(|s| s.bus = g);
                    }
                }>
                    {Guarantee::ALL.iter().map(|g| view! {
                        <option value=g.id() selected=move || spec.with(|s| s.bus == *g)>{g.id()}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset class="parts" data-testid="sandbox-parts" inner_html=PARTS></fieldset>
            <fieldset class="parts" data-testid="sandbox-nodes" inner_html=NODES></fieldset>
            <p class="import-error" role="alert" data-testid="sandbox-field-note" data-field="nodes"
                hidden=move || nodes_error.with(Option::is_none)>{move || nodes_error.get().unwrap_or_default()}</p>
            <small class="field-note" role="status" data-testid="sandbox-field-note" data-field="parts"
                hidden=move || parts_note.with(Option::is_none)>{move || parts_note.get().unwrap_or_default()}</small>
            <button class="primary" data-testid="sandbox-build" on:click=build>"Build and load"</button>
        </div>
        <p class="sub">"Fixes for the pattern appear with the controls once it is loaded. Drive it with “What can happen next”."</p>
    }
}

/// The production chapter's parts, as fixed markup (no reactive code per field): the
/// build reads them from the page (`parts_fields`) and `sandbox::from_form` makes them
/// parts. Each input has `data-part`, its name there.
const PARTS: &str = "<legend>Production parts (on top of the pattern)</legend>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"replica\"> Read replica</label>\
<label>lag <input type=\"number\" min=\"1\" max=\"500\" value=\"20\" data-part=\"lag\"> ms</label>\
<label><input type=\"checkbox\" data-part=\"reads-primary\"> misses read the primary</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"txn\"> Writes in a transaction</label>\
<label><input type=\"checkbox\" data-part=\"hook-after\"> cache step after COMMIT</label>\
<label><input type=\"checkbox\" data-part=\"cache-aware\"> transaction-aware cache</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"negative\"> Negative caching (rows start absent; each writer inserts)</label>\
<label>TTL <input type=\"number\" min=\"1\" max=\"100000\" value=\"300\" data-part=\"negative-ttl\"> ms</label>\
<label><input type=\"checkbox\" data-part=\"insert-deletes\"> the insert deletes the key</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"invalidator\"> Invalidator (CDC on the commit log)</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"region\"> Second region (clients there, 30 ms away)</label>\
<label><input type=\"checkbox\" data-part=\"remote-marker\"> remote markers</label></div>";

/// More nodes, as topology entries of the scenario file format
/// (`topology::form_entries`): a second primary owning keys, a second bus, relay,
/// consumer and flusher. Fixed markup, like `PARTS`.
const NODES: &str = "<legend>More nodes (topology entries, as in a scenario file)</legend>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"db-2\"> Second primary db-2 (a shard)</label>\
<label>owns keys <input type=\"text\" size=\"6\" value=\"2\" data-part=\"db-2-keys\"></label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"bus-2\"> Second bus bus-2</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"relay-2\"> relay-2 (reads db-2's outbox, or db's)</label>\
<label><input type=\"checkbox\" data-part=\"relay-2-bus-2\"> publishes to bus-2</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"consumer-2\"> consumer-2 (deletes in cache-2, which service-2 fills)</label>\
<label><input type=\"checkbox\" data-part=\"consumer-2-bus-2\"> reads bus-2</label></div>\
<div class=\"part\"><label><input type=\"checkbox\" data-part=\"flusher-2\"> flusher-2 (drains cache-2's write-behind queue)</label></div>";

/// The sandbox `spec` as a scenario file with the topology `entries` added, read as
/// an opened scenario file is: a bad entry gets the reader's message (the line, the
/// column, the entry and the field).
fn with_nodes(
    spec: &SandboxSpec,
    entries: Vec<serde_json::Value>,
) -> Result<&'static crate::sim::scenario::Scenario, String> {
    let file = spec.scenario_file();
    let mut v: serde_json::Value =
        serde_json::from_str(&file.to_json()).map_err(|e| e.to_string())?;
    let settings = &mut v["settings"];
    match settings.get_mut("topology").and_then(|t| t.as_array_mut()) {
        Some(t) => t.extend(entries),
        None => settings["topology"] = serde_json::Value::Array(entries),
    }
    let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
    scenario_file::from_json(&text)
        .map(scenario_file::ScenarioFile::into_scenario)
        .map_err(|e| format!("More nodes: {e}. The scenario on screen is unchanged."))
}

/// A fieldset's inputs (`data-testid` = `testid`) as `(name, value)`: a checked box as
/// `"on"`, a number or text as its text; an unchecked box is left out.
fn parts_fields(testid: &str) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(&format!("[data-testid={testid}] [data-part]")).ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..list.length() {
        let Some(input) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            continue;
        };
        let name = input.get_attribute("data-part").unwrap_or_default();
        if input.type_() == "checkbox" {
            if input.checked() {
                out.push((name, "on".to_string()));
            }
        } else {
            out.push((name, input.value()));
        }
    }
    out
}
