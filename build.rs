//! The page's wasm keeps the linker's relocations: scripts/split.sh (Trunk.toml's hook)
//! cuts it at its #[lazy] functions and needs them. Only the page's own link changes,
//! so no dependency is rebuilt for it.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=cachescope=--emit-relocs");
    }
}
