//! The exhaustive search's Web Worker: the same crate as the page, without Leptos.
//! trunk builds it (`data-type="worker"` in index.html) as `explore_worker.js` and
//! `explore_worker_bg.wasm`, with `explore_worker_loader.js` to start it; the page
//! starts it on the first search only, so the page's first download does not grow.
//!
//! It says `kind=ready` once loaded, then runs each request to its end in slices,
//! posting progress at most every 100 ms, then the result (`sim::search::msg` has the
//! messages). It never stops on its own: the page cancels by terminating it.

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
                post(&me, job.result_message((now - start) as u64));
                break;
            }
            if now - last >= PROGRESS_EVERY_MS {
                last = now;
                post(&me, job::progress_message(&p, (now - start) as u64));
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, "kind=ready".to_string());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("explore_worker runs in a Web Worker: build the page with trunk (see README.md)");
}
