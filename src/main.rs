//! Mounts the app. Everything else lives in the library.
#[cfg(target_arch = "wasm32")]
fn main() {
    // Release builds abort on a panic (no unwinding, no message): the hook is for dev.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    cachescope::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cachescope runs in the browser: use `trunk serve` (see README.md)");
}
