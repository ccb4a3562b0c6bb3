//! Side by side: the same choices with other fixes, as two diagrams at the cursor (the
//! nodes whose state differs marked on both) and two columns of steps that step
//! together.
//! Choices are matched by the event they name, not by their index; the first step where
//! the columns differ is marked.
use super::layout::Layout;
use super::{browser, figure, lists, paint};
use crate::sim::view::View as SimView;
use super::session::Actions;
use crate::sim::compare;
use crate::sim::Fixes;
use leptos::prelude::*;

#[component]
pub fn SideBySide(view: Memo<SimView>, layout: ReadSignal<Layout>) -> impl IntoView {
    let open = RwSignal::new(false);
    // Drawn from the first opening on (and kept while closed: the right column's fixes
    // stay as the learner left them).
    let opened = RwSignal::new(false);
    view! {
        <details class="panel compare-panel" data-testid="compare-panel" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            let now_open = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
            open.set(now_open);
            if now_open {
                opened.set(true);
            }
        }>
            <summary><h2>"Side by side: the same choices with other fixes"</h2></summary>
            <Show when=move || opened.get()>
                {move || Suspend::new(compare_view(view, layout, open))}
            </Show>
        </details>
    }
}

/// The comparison inside the panel. Only a learner who opens it needs it, so it is a
/// split point (the `split` feature; see scripts/split.sh): a wasm chunk fetched on the
/// first opening.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn compare_view(view: Memo<SimView>, layout: ReadSignal<Layout>, open: RwSignal<bool>) -> AnyView {
    let a = expect_context::<Actions>();
    let s = a.session;
    // The right column's fixes; reset to "the left's, with the first fix flipped" when
    // the scenario or the left's fixes change.
    let right = RwSignal::new(Fixes::none());
    // Reset the right column to "the left's fixes with the first one flipped" when the
    // scenario or the left's fixes change; stepping keeps the learner's choice.
    let setup = Memo::new(move |_| s.with(|s| (s.run.scenario.id, s.run.fixes.clone())));
    Effect::new(move |_| {
        let (_, left) = setup.get();
        let sc = s.with_untracked(|s| s.run.scenario);
        right.set(
            sc.fixes
                .first()
                .map(|f| left.toggled(sc, f.id))
                .unwrap_or(left),
        );
    });
    // What the comparison depends on. Not the cursor: moving it only moves the
    // highlight, the replay is not redone.
    let basis = Memo::new(move |_| {
        s.with(|s| {
            (
                s.run.scenario.id,
                s.run.fixes.clone(),
                s.run.seed,
                s.run.choices(),
                s.run.sandbox.clone(),
            )
        })
    });
    let comparison = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let fixes = right.get();
        basis.track();
        Some(s.with_untracked(|s| {
            let c = compare::side_by_side(&s.run, fixes);
            let at_end = |run: &crate::sim::Run| {
                let mut end = run.clone();
                end.run_to_end();
                let w = end.world();
                if end.scenario.invariants.iter().all(|i| i.check(w).is_ok()) {
                    "ok"
                } else {
                    "violated"
                }
            };
            let ends = format!(
                " At the end of each run: left {}, right {}.",
                at_end(&c.left),
                at_end(&c.right)
            );
            // The right run's states, to draw its diagram at any cursor.
            let right_states: Vec<crate::sim::World> = (0..=c.right.recorded())
                .filter_map(|i| c.right.state(i).cloned())
                .collect();
            (c.rows, c.first_difference, ends, right_states)
        }))
    });
    // Redrawn when the scenario or the right column changes; one handler for the buttons.
    let fix_group = NodeRef::<leptos::html::Div>::new();
    let fix_buttons = move || {
        let sc = s.with(|s| s.run.scenario);
        let buttons = right.with(|r| lists::fix_buttons(sc, r, "compare-fix"));
        let markup = format!("<span class=\"fixes-label\">Right column:</span>{buttons}");
        browser::keeping_focus(fix_group.get_untracked().map(Into::into), markup)
    };
    let flip = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = browser::closest_attr(&ev, "button[data-fix]", "data-fix") {
            let sc = s.with_untracked(|s| s.run.scenario);
            right.update(|r| *r = r.toggled(sc, &id));
        }
    };
    let label = |fixes: &Fixes| {
        if fixes.ids().is_empty() {
            "no fix".to_string()
        } else {
            fixes.ids().join(", ")
        }
    };
    let body = move || {
        let cursor = s.with(|s| s.run.cursor());
        let left_label = s.with(|s| label(&s.run.fixes));
        let right_label = right.with(label);
        comparison.with(|c| {
            c.as_ref().map(|(rows, first, ends, _)| {
                let text = paint::CompareText {
                    cursor,
                    first_difference: *first,
                    ends,
                    left_label: &left_label,
                    right_label: &right_label,
                };
                paint::compare(rows, &text)
            })
        })
    };
    // The two diagrams at the cursor, the nodes whose state differs marked on both.
    let figures = move || {
        let cursor = s.with(|s| s.run.cursor());
        let sc = s.with(|s| s.run.scenario);
        let layout = layout.get();
        comparison.with(|c| {
            let (_, _, _, right_states) = c.as_ref()?;
            let right = right_states.get(cursor.min(right_states.len().saturating_sub(1)))?;
            let right = SimView::of(right, sc);
            Some(view.with(|left| figure::pair(left, &right, layout)))
        })
    };
    let first_step = move || comparison.with(|c| c.as_ref().and_then(|c| c.1));
    view! {
            <div class="fixes" node_ref=fix_group inner_html=fix_buttons on:click=flip></div>
            <div class="compare-figures" data-testid="compare-diagrams" inner_html=move || figures().unwrap_or_default()></div>
            {move || first_step().map(|step| view! {
                <button data-testid="compare-jump" on:click=move |_| a.seek(step)>
                    {format!("Go to the first difference (step {step})")}
                </button>
            })}
            <div inner_html=move || body().unwrap_or_default()></div>
    }
    .into_any()
}
