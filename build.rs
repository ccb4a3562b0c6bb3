//! Writes the catalog's scenario files (src/sim/scenarios/*.json) without the white
//! space between tokens into OUT_DIR, for the page to embed: the same JSON, about
//! 2 KB less of the page's gzipped download than the indented text. Native builds (the
//! tests, which compare each file with what the writer makes of it, byte for byte)
//! embed the files as they are written (src/sim/scenarios/mod.rs).
use std::fs;
use std::path::Path;

fn main() {
    // The page's wasm keeps the linker's relocations: scripts/split.sh (Trunk.toml's
    // hook) cuts it at its #[lazy] functions and needs them. Only the page's own link
    // changes, so no dependency is rebuilt for it.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=cachescope=--emit-relocs");
    }
    let from = Path::new("src/sim/scenarios");
    println!("cargo:rerun-if-changed={}", from.display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("scenarios");
    fs::create_dir_all(&out).expect("OUT_DIR/scenarios can be made");
    let entries = fs::read_dir(from).expect("src/sim/scenarios is readable");
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("a scenario file is UTF-8 text");
        let name = path.file_name().expect("a file has a name");
        fs::write(out.join(name), minify(&text)).expect("OUT_DIR is writable");
    }
}

/// `text` without the white space outside strings (a string's escapes are kept as
/// written). One pass over the text.
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}
