//! Side by side: the same choices with other fixes, in two columns that step together.
//! Choices are matched by the event they name, not by their index; the first step where
//! the columns differ is marked.
use super::session::Actions;
use crate::sim::compare::{self, Matched};
use crate::sim::Fixes;
use leptos::prelude::*;

#[component]
pub fn SideBySide() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let open = RwSignal::new(false);
    // The right column's fixes; reset to "the left's, with the first fix flipped" when
    // the scenario or the left's fixes change.
    let right = RwSignal::new(Fixes::none());
    Effect::new(move |_| {
        let flipped = s.with(|s| {
            let sc = s.run.scenario;
            sc.fixes
                .first()
                .map(|f| s.run.fixes.toggled(sc, f.id))
                .unwrap_or_else(|| s.run.fixes.clone())
        });
        right.set(flipped);
    });
    let comparison = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let fixes = right.get();
        Some(s.with(|s| {
            let mut c = compare::side_by_side(&s.run, fixes);
            c.seek(s.run.cursor());
            let cursor = s.run.cursor();
            let verdict = |run: &crate::sim::Run| {
                let w = run.world();
                if run.scenario.invariants.iter().all(|i| i.check(w).is_ok()) {
                    "ok"
                } else {
                    "violated"
                }
            };
            let at_end = |run: &crate::sim::Run| {
                let mut end = run.clone();
                end.run_to_end();
                verdict(&end)
            };
            let ends = format!(
                " At the end of each run: left {}, right {}.",
                at_end(&c.left),
                at_end(&c.right)
            );
            (
                c.rows,
                c.first_difference,
                cursor,
                verdict(&c.left),
                verdict(&c.right),
                ends,
            )
        }))
    });
    let fix_buttons = move || {
        s.with(|s| {
            let sc = s.run.scenario;
            sc.fixes
                .iter()
                .map(|f| {
                    let id = f.id;
                    let on = move || right.with(|r| r.has(id));
                    view! {
                        <button class="fix" data-testid="compare-fix" data-fix=id class:on=on
                            aria-pressed=move || if on() { "true" } else { "false" }
                            on:click=move |_| right.update(|r| *r = r.toggled(sc, id))>
                            {f.title}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let label = |fixes: &Fixes| {
        if fixes.ids().is_empty() {
            "no fix".to_string()
        } else {
            fixes.ids().join(", ")
        }
    };
    let body = move || {
        comparison.get().map(|(rows, first, cursor, left_ok, right_ok, ends)| {
            let first_text = match first {
                Some(step) => format!("The runs first differ at step {step}."),
                None => "The two runs take the same steps.".to_string(),
            };
            let rows = rows
                .into_iter()
                .filter(|r| r.step <= cursor.max(1) || Some(r.step) == first)
                .map(|r| {
                    let mark = match r.matched {
                        Matched::Same => "",
                        Matched::Rules => "no matching event: own order",
                        Matched::Ended => "ended",
                    };
                    view! {
                        <tr data-testid="compare-row" data-step=r.step.to_string() data-differs=r.differs.to_string()
                            class:differs=r.differs class:first=Some(r.step) == first class:here=r.step == cursor>
                            <td class="n">{r.step.to_string()}</td>
                            <td class:bad=r.left_violated><code>{r.left.unwrap_or_default()}</code></td>
                            <td class:bad=r.right_violated><code>{r.right.unwrap_or_default()}</code><small>{mark}</small></td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="sub" data-testid="compare-first-difference" data-step=first.map(|f| f.to_string())>
                    {first_text}
                    {format!(" At step {cursor}: left {left_ok}, right {right_ok}.{ends}")}
                </p>
                <table class="compare">
                    <thead><tr>
                        <th>"#"</th>
                        <th>{move || s.with(|s| format!("left: {}", label(&s.run.fixes)))}</th>
                        <th>{move || right.with(|r| format!("right: {}", label(r)))}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    view! {
        <details class="panel compare-panel" data-testid="compare-panel" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            let now_open = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
            open.set(now_open);
        }>
            <summary><h2>"Side by side: the same choices with other fixes"</h2></summary>
            <div class="fixes">
                <span class="fixes-label">"Right column:"</span>
                {fix_buttons}
            </div>
            {body}
        </details>
    }
}
