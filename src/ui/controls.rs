//! Step forward and back, play and pause, speed, reset, run to the end, and where the
//! cursor is.
use super::session::Actions;
use super::SPEEDS_PER_S;
use leptos::prelude::*;

#[component]
pub fn Controls() -> impl IntoView {
    let a = expect_context::<Actions>();
    let s = a.session;
    let at_start = move || s.with(|s| s.run.cursor() == 0);
    let at_end = move || s.with(|s| s.run.at_end());
    let step = move || s.with(|s| s.run.cursor().to_string());
    // Known by running a copy ahead (`chapters::Ahead`), so always set.
    let steps = move || a.ahead.with(|x| x.total.to_string());
    let now = move || s.with(|s| s.run.world().now_ms);
    let playing = move || a.playing.get();
    let speed_label = move || {
        format!(
            "{} steps/s",
            SPEEDS_PER_S[a.speed.get().min(SPEEDS_PER_S.len() - 1)]
        )
    };
    let counter_text = move || {
        let total = steps();
        let of = if total.is_empty() {
            String::new()
        } else {
            format!(" of {total}")
        };
        format!("Step {}{of}", step())
    };
    view! {
        <div class="controls" role="toolbar" aria-label="Playback">
            <button data-testid="reset" aria-label="Reset to the start (r)" title="Reset (r)"
                disabled=at_start on:click=move |_| a.reset()>
                "↺ Reset"
            </button>
            <button data-testid="step-back" aria-label="Step back (←)" title="Step back (←)"
                disabled=at_start on:click=move |_| a.back()>
                "◀ Back"
            </button>
            // At the end, Play says it starts again from step 0.
            <button data-testid="play-pause" class="primary"
                aria-label=move || if playing() { "Pause (space)" } else if at_end() { "Replay from step 0 (space)" } else { "Play (space)" }
                aria-pressed=move || if playing() { "true" } else { "false" }
                title="Play / pause (space)"
                disabled=move || at_end() && at_start()
                on:click=move |_| a.toggle_play()>
                {move || if playing() { "❚❚ Pause" } else if at_end() { "↺ Replay" } else { "▶ Play" }}
            </button>
            <button data-testid="step-forward" class="primary" aria-label="Step forward (→)" title="Step forward (→)"
                disabled=at_end on:click=move |_| { a.playing.set(false); a.forward(); }>
                "Step ▶"
            </button>
            <button data-testid="run-to-end" aria-label="Run to the end (e)" title="Run to the end (e)"
                disabled=at_end on:click=move |_| a.run_to_end()>
                "End ▶▶"
            </button>
            <label class="speed">
                <span>"Speed"</span>
                <input data-testid="speed" type="range" min="0" max=(SPEEDS_PER_S.len() - 1).to_string() step="1"
                    aria-label="Playback speed"
                    aria-valuetext=speed_label
                    prop:value=move || a.speed.get().to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            a.speed.set(v.min(SPEEDS_PER_S.len() - 1));
                        }
                    } />
                <span class="speed-label">{speed_label}</span>
            </label>
            <output data-testid="step-counter" class="counter" data-ready="true"
                data-step=step data-steps=steps aria-live="polite">
                <span>{counter_text}</span>
                <span class="clock">{move || format!("t = {} ms", now())}</span>
            </output>
            // The address bar follows the link (`Actions::install_history` says why it is
            // replaced, and not while playing): written here, where the query is made
            // anyway, rather than by an effect of its own (186 bytes at start, session 30).
            <a data-testid="share-link" class="share" href=move || {
                let query = a.share_query();
                if !a.playing.get() {
                    super::browser::set_query(&query, true);
                }
                format!("{}?{query}", super::browser::origin_and_path())
            }
                title="A link to exactly this moment">
                "Link to this moment"
            </a>
        </div>
    }
}
