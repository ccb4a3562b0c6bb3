//! The exhaustive search's Web Worker: the same crate as the page, without Leptos.
//! trunk builds it (`data-type="worker"` in index.html) as `explore_worker.js` and
//! `explore_worker_bg.wasm`, with `explore_worker_loader.js` to start it; the page
//! starts it on the first search only, so the page's first download does not grow.
//!
//! It says `kind=ready` once loaded, then runs each request to its end in slices,
//! posting progress at most every 100 ms, then the result (`sim::search::msg` has the
//! messages): the full model's search, or the ghost-reader slice's (`model=slice`). It never stops on its own: the page cancels by terminating it.
//!
//! It also answers `kind=bench&events=N&mode=quiet|narrated` (`sim::bench`: the native
//! benchmark's catalog mix, timed with `performance.now()`), so that
//! `tests/e2e/quiet-bench.mjs` measures the same events in the browser as
//! `examples/bench.rs` natively, in a build of the same profile (`search`).

/// The worker allocates and frees a world's buffers for nearly every state it
/// searches: talc instead of std's dlmalloc (15 % of the worker's time in session
/// 11's profile). Only this binary: the page keeps std's allocator.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    use cachescope::sim::search::job::{self, Job, Request};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// States visited between two looks at the clock.
    const SLICE: usize = 2_000;
    const PROGRESS_EVERY_MS: f64 = 100.0;

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = move |scope: &DedicatedWorkerGlobalScope, text: String| {
        // Posting a string to our own page cannot fail.
        let _ = scope.post_message(&JsValue::from_str(&text));
    };
    let me = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let text = ev.data().as_string().unwrap_or_default();
        if let Some(request) = cachescope::sim::bench::Request::decode(&text) {
            return post(&me, bench(request));
        }
        let job = Request::decode(&text).and_then(|r| Job::new(&r));
        let mut job = match job {
            Ok(job) => job,
            Err(e) => return post(&me, job::error_message(&e)),
        };
        let start = js_sys::Date::now();
        let mut last = start;
        // Bounded: every slice visits new states or ends the search (max_states).
        loop {
            let p = job.step(SLICE);
            let now = js_sys::Date::now();
            if p.done {
                // And the worker's memory (its wasm heap, which only grows: the peak),
                // for the benchmark (`tests/e2e/specs/explore-slice.test.mjs`).
                let heap = wasm_bindgen::memory()
                    .unchecked_into::<js_sys::WebAssembly::Memory>()
                    .buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length();
                let result = job.result_message((now - start) as u64);
                post(&me, format!("{result}&memory_bytes={heap}"));
                break;
            }
            if now - last >= PROGRESS_EVERY_MS {
                last = now;
                post(&me, job.progress_message(&p, (now - start) as u64));
            }
        }
    });
    /// Runs the benchmark's mix; its start states are built before the clock starts.
    fn bench(request: Result<cachescope::sim::bench::Request, String>) -> String {
        use cachescope::sim::bench::{reply, Mix};
        let request = match request {
            Ok(r) => r,
            Err(e) => return job::error_message(&e),
        };
        // `performance.now()` of the worker's scope (microseconds where the browser
        // allows); read through js_sys, so the page's web-sys features stay as they are.
        let now = || -> f64 {
            let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
                .unwrap_or(JsValue::UNDEFINED);
            js_sys::Reflect::get(&perf, &"now".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&perf).ok())
                .and_then(|v| v.as_f64())
                .unwrap_or_else(js_sys::Date::now)
        };
        let mut mix = Mix::new();
        let start = now();
        let tally = mix.run(request.events, request.quiet);
        let ms = now() - start;
        reply(&request, mix.variants(), tally, ms)
    }

    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, "kind=ready".to_string());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("explore_worker runs in a Web Worker: build the page with trunk (see README.md)");
}
