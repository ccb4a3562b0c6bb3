//! ARCHITECTURE.md stays true: every path it names exists, and the simulation names
//! nothing of the browser.
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_path_named_in_architecture_md_exists() {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut named = 0;
    for (i, part) in text.split('`').enumerate() {
        let looks_like_path = i % 2 == 1
            && (part.starts_with("src/")
                || part.starts_with("tests/")
                || part.starts_with("scripts/"))
            && !part.contains(' ');
        if looks_like_path {
            named += 1;
            assert!(
                root().join(part).exists(),
                "ARCHITECTURE.md names `{part}`, which does not exist"
            );
        }
    }
    assert!(
        named >= 20,
        "found only {named} paths: did the format change?"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_simulation_names_nothing_of_the_browser() {
    let mut files = Vec::new();
    rust_files(&root().join("src/sim"), &mut files);
    assert!(files.len() > 20);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for word in [
            "leptos",
            "web_sys",
            "wasm_bindgen",
            "gloo",
            "js_sys",
            "RwSignal",
            "web_sys::window",
        ] {
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(!code.contains(word), "{} names `{word}`", file.display());
        }
    }
}
