//! The few things the page asks of the browser: the query string, history, the theme.
//! Every call tolerates a missing window or a refused API: the page keeps working.
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

pub fn origin_and_path() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Writes `query` into the address bar: as a new history entry (a scenario loaded), or
/// in place of the current one (`replace`: the moment shown moved, which is no entry).
pub fn set_query(query: &str, replace: bool) {
    if let Ok(history) = window().history() {
        let url = format!("?{query}");
        let (null, url) = (&wasm_bindgen::JsValue::NULL, Some(url.as_str()));
        let _ = if replace {
            history.replace_state_with_url(null, "", url)
        } else {
            history.push_state_with_url(null, "", url)
        };
    }
}

/// Whether a control (a button, a field, a link, a slider, a summary…) has the
/// keyboard focus: then the page's global shortcuts stand aside.
pub fn control_has_focus() -> bool {
    let Some(active) = document().active_element() else {
        return false;
    };
    let tag = active.tag_name().to_ascii_lowercase();
    matches!(
        tag.as_str(),
        "button" | "input" | "select" | "textarea" | "a" | "summary" | "output"
    ) || active.has_attribute("contenteditable")
        || active.has_attribute("tabindex") && tag != "body" && tag != "main"
}

/// Whether the focus is on a button: the arrow keys, Home and End mean nothing to one
/// (no button of the page is a tab or a menu item), so they step from there.
pub fn focus_on_button() -> bool {
    document()
        .active_element()
        .is_some_and(|el| el.tag_name().eq_ignore_ascii_case("button"))
}

/// Scrolls the least that shows the first element matching `selector` whole, clear of
/// the sticky step bar (the page's `scroll-padding`), after the next paint (its new
/// words). For the narration after an event or a fault fired far down its list.
pub fn reveal(selector: &'static str) {
    after_paint(selector, "scrollIntoView", "block", Some("nearest"));
}

/// Moves the focus to the element `selector` finds, after the next paint (a button
/// enabled by the change being drawn), without scrolling: the explorer's Search and
/// Cancel sit beside the button just pressed, and a result revealed below stays in view.
pub fn focus(selector: &'static str) {
    after_paint(selector, "focus", "preventScroll", None);
}

/// After the next paint, calls `method` of the first element matching `selector` with
/// the options `{key: value}` (`value` None: `true`). Called by name, one closure for
/// both: web-sys's typed options would be more of it to build, in the first download.
fn after_paint(
    selector: &'static str,
    method: &'static str,
    key: &'static str,
    value: Option<&'static str>,
) {
    request_animation_frame(move || {
        let Some(el) = document().query_selector(selector).ok().flatten() else {
            return;
        };
        let options = js_sys::Object::new();
        let value = value.map_or(wasm_bindgen::JsValue::TRUE, Into::into);
        let _ = js_sys::Reflect::set(&options, &key.into(), &value);
        if let Ok(f) = js_sys::Reflect::get(&el, &method.into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = f.call1(&el, &options);
        }
    });
}

/// Takes the focus off whatever control has it.
pub fn blur_focus() {
    if let Some(el) = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.blur();
    }
}

const THEME_KEY: &str = "cachescope-theme";

fn root() -> Option<web_sys::Element> {
    window().document()?.document_element()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn apply_saved_theme() {
    if let (Some(root), Some(theme)) = (
        root(),
        storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten()),
    ) {
        if theme == "dark" || theme == "light" {
            let _ = root.set_attribute("data-theme", &theme);
        }
    }
}

/// Flips between light and dark, starting from what the page shows now.
pub fn toggle_theme() {
    let Some(root) = root() else { return };
    let now_dark = match root.get_attribute("data-theme").as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    };
    let next = if now_dark { "light" } else { "dark" };
    let _ = root.set_attribute("data-theme", next);
    if let Some(s) = storage() {
        let _ = s.set_item(THEME_KEY, next);
    }
}

pub fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// The `attr` of the nearest element matching `selector` at or above the event's target
/// (for one handler on a list instead of one per entry).
pub fn closest_attr(ev: &web_sys::Event, selector: &str, attr: &str) -> Option<String> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(selector).ok()??.get_attribute(attr)
}

/// Marks, among the elements matching `selector` inside `list`, the one whose `attr` is
/// `value`: class `current` and `aria-current` = `aria` (the others: no class,
/// `aria-current="false"`). In place, so the focus stays where it is.
pub fn mark_current(list: &web_sys::Element, selector: &str, attr: &str, value: &str, aria: &str) {
    let Ok(items) = list.query_selector_all(selector) else {
        return;
    };
    for i in 0..items.length() {
        let Some(el) = items.get(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
            continue;
        };
        let on = el.get_attribute(attr).as_deref() == Some(value);
        let _ = el.class_list().toggle_with_force("current", on);
        let _ = el.set_attribute("aria-current", if on { aria } else { "false" });
    }
}

/// For a list of buttons redrawn with `inner_html`: if the focus is on one of its
/// buttons, put it back on the button at the same position in the list (or the last
/// one) once the new markup is in, where it stays on a list patched in place (the
/// entry there may be a different one). Returns `markup`.
///
/// Why a microtask: the markup replaces the list's children right after this returns,
/// in the same effect; the microtask runs after that and before the next paint.
pub fn keeping_focus(list: Option<web_sys::Element>, markup: String) -> String {
    let focused = list.and_then(|list| {
        let active = document().active_element()?;
        let buttons = list.query_selector_all("button").ok()?;
        let at = (0..buttons.length()).find(|&i| {
            buttons
                .get(i)
                .is_some_and(|b| b.is_same_node(Some(&active)))
        })?;
        Some((list, at))
    });
    if let Some((list, at)) = focused {
        queue_microtask(move || {
            let Ok(buttons) = list.query_selector_all("button") else {
                return;
            };
            let last = buttons.length().checked_sub(1);
            let target = last.map(|last| at.min(last)).and_then(|i| buttons.get(i));
            if let Some(button) = target.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                // Neither the page nor the list scrolls for it: a list patched in
                // place would not have moved either.
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = button.focus_with_options(&options);
            }
        });
    }
    markup
}
