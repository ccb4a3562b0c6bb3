//! The sandbox: build a scenario from the catalog's parts and drive it by hand. It is
//! shared like any run (its parameters travel in the link).
use super::session::Actions;
use crate::sim::sandbox::{Guarantee, Pattern, SandboxSpec};
use crate::sim::{Fixes, Run};
use leptos::prelude::*;

#[component]
pub fn Sandbox() -> impl IntoView {
    let a = expect_context::<Actions>();
    let spec = RwSignal::new(SandboxSpec::new(Pattern::CacheAside));
    let number = |label: &'static str,
                  max: u8,
                  get: fn(&SandboxSpec) -> u8,
                  set: fn(&mut SandboxSpec, u8)| {
        view! {
            <label>
                <span>{label}</span>
                <input type="number" min="1" max=max.to_string()
                    prop:value=move || spec.with(|s| get(s).to_string())
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u8>() {
                            spec.update(|s| set(s, n.clamp(1, max)));
                        }
                    } />
            </label>
        }
    };
    let build = move |_| {
        let spec = spec.get_untracked().clamped();
        let scenario = spec.scenario();
        a.replace(Run::new_sandbox(spec, Fixes::none(), scenario.seed));
        super::browser::scroll_to_top();
    };
    view! {
        <details class="panel sandbox" data-testid="sandbox-panel">
            <summary><h2>"Sandbox: build your own scenario"</h2></summary>
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
                {number("Readers", 4, |s| s.readers, |s, n| s.readers = n)}
                {number("Writers", 4, |s| s.writers, |s, n| s.writers = n)}
                {number("Keys", 8, |s| s.keys, |s, n| s.keys = n)}
                <label>
                    <span>"TTL (ms, empty: none)"</span>
                    <input type="number" min="1" max=crate::sim::sandbox::MAX_TTL_MS.to_string()
                        prop:value=move || spec.with(|s| s.ttl_ms.map(|t| t.to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            let ttl = text.trim().parse::<u64>().ok().map(|t| t.clamp(1, crate::sim::sandbox::MAX_TTL_MS));
                            spec.update(|s| s.ttl_ms = ttl);
                        } />
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
                <button class="primary" data-testid="sandbox-build" on:click=build>"Build and load"</button>
            </div>
            <p class="sub">"Fixes for the pattern appear with the controls once it is loaded. Drive it with “What can happen next”."</p>
        </details>
    }
}
