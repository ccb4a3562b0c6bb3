//! Component tests in a real browser (wasm-bindgen-test in headless Chromium): the page
//! mounts, its controls change the state synchronously, and a fix toggle restarts the
//! run.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn one(selector: &str) -> Element {
    doc()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
}

fn all(selector: &str) -> Vec<Element> {
    let list = doc().query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// Clicks, then lets the reactive system flush: Leptos applies DOM updates in a
/// microtask, before the browser paints and before any other event is handled.
async fn click(selector: &str) {
    one(selector).dyn_into::<HtmlElement>().unwrap().click();
    leptos::task::tick().await;
}

fn attr(selector: &str, name: &str) -> String {
    one(selector).get_attribute(name).unwrap_or_default()
}

async fn mount() {
    // One app per test page: wasm-bindgen-test runs the tests of this file in one page.
    if doc()
        .query_selector("[data-testid=step-counter]")
        .unwrap()
        .is_none()
    {
        leptos::mount::mount_to_body(cachescope::ui::App);
        leptos::task::tick().await;
    }
}

#[wasm_bindgen_test]
async fn the_page_steps_forward_and_back_synchronously() {
    mount().await;
    click("[data-testid=scenario-link][data-scenario=stale-set-race]").await;
    assert_eq!(
        attr("[data-testid=scenario-title]", "data-scenario"),
        "stale-set-race"
    );
    assert_eq!(attr("[data-testid=step-counter]", "data-step"), "0");
    assert_eq!(attr("[data-testid=step-counter]", "data-ready"), "true");
    assert!(one("[data-testid=step-back]").has_attribute("disabled"));

    click("[data-testid=step-forward]").await;
    assert_eq!(
        attr("[data-testid=step-counter]", "data-step"),
        "1",
        "state changes with the click"
    );
    assert_eq!(all("[data-testid=log-entry]").len(), 1);
    assert_eq!(
        all("[data-testid=in-flight]").len(),
        1,
        "the reader's request is on its way"
    );

    click("[data-testid=run-to-end]").await;
    assert_eq!(attr("[data-testid=step-counter]", "data-steps"), "16");
    assert_eq!(
        attr(
            "[data-testid=invariant][data-invariant=cache-matches-db]",
            "data-status"
        ),
        "violated"
    );
    assert_eq!(attr("[data-testid=cache-entry]", "data-value"), "v1");
    assert_eq!(attr("[data-testid=db-row]", "data-value"), "v2");

    click("[data-testid=step-back]").await;
    assert_eq!(attr("[data-testid=step-counter]", "data-step"), "15");
    click("[data-testid=reset]").await;
    assert_eq!(attr("[data-testid=step-counter]", "data-step"), "0");
    assert!(all("[data-testid=cache-entry]").is_empty());
}

#[wasm_bindgen_test]
async fn a_fix_toggle_restarts_the_run_and_holds_the_invariant() {
    mount().await;
    click("[data-testid=scenario-link][data-scenario=stale-set-race]").await;
    let lease = "[data-testid=fix-toggle][data-fix=lease]";
    assert_eq!(attr(lease, "aria-pressed"), "false");
    click("[data-testid=step-forward]").await;
    click(lease).await;
    assert_eq!(attr(lease, "aria-pressed"), "true");
    assert_eq!(
        attr("[data-testid=step-counter]", "data-step"),
        "0",
        "a fix changes the run from the start"
    );
    click("[data-testid=run-to-end]").await;
    assert_eq!(
        attr(
            "[data-testid=invariant][data-invariant=cache-matches-db]",
            "data-status"
        ),
        "ok"
    );
    assert!(
        all("[data-testid=cache-entry]").is_empty(),
        "the stale set was refused"
    );
    click(lease).await;
}
