//! Writes the scenario catalog as Rust: `src/sim/scenarios/catalog.rs`, the code that
//! builds each catalog file's `Scenario`, from the JSON files (the source of truth,
//! `src/sim/scenarios/*.json`, read by the reader a learner's file goes through). The
//! page embeds this code instead of the JSON text, so it starts without a JSON reader.
//! The prose (ids, titles, summaries, stories, flows, pros, cons, notes, the fixes'
//! words) is written as `&'static str` literals and slices of them, static data in the
//! wasm rather than code that copies each string into a `String` at start (4.9 kB of
//! the page's gzipped download when this changed). The words the page does not need to
//! start (all but ids and titles) are apart, in `WORDS` and `STORIES`, which only the
//! page's split points read: the page loads them on first use (`scenarios::Words`).
//!
//!     cargo run --example bake_catalog --features bake
//!
//! Run it after changing or adding a catalog file (and adding it to
//! `scenarios::FILES`); `tests/scenario_files.rs` fails until `catalog.rs` is the files.
//! The expressions are written by ICU4X's `databake` (`#[derive(Bake)]` on the file's
//! types, under the `bake` feature) and laid out by `prettyplease`.
use cachescope::sim::scenario::bake;
use cachescope::sim::scenario::file::{self, ScenarioFile};
use cachescope::sim::scenarios::FILES;
use databake::{quote, Bake, CrateEnv, TokenStream};
use proc_macro2::{Delimiter, Group, TokenTree};
use std::path::Path;

fn main() {
    let env = CrateEnv::default();
    let read: Vec<ScenarioFile> = FILES
        .iter()
        .map(|(name, text)| file::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    let mut conds = bake::Conds::default();
    let files = read
        .iter()
        .enumerate()
        .map(|(i, f)| scenario(f, i, &env, &mut conds))
        .collect::<Vec<_>>();
    let words = read
        .iter()
        .map(|f| words(f, &env, &mut conds))
        .collect::<Vec<_>>();
    let conds = conds.statics();
    let stories = read.iter().map(|f| lines(&f.story, &env));
    let names = FILES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let code = unmacro(quote! {
        #conds

        pub fn all() -> alloc::vec::Vec<&'static crate::sim::scenario::Scenario> {
            alloc::vec![#(#files),*]
        }

        /// The scenarios' words, apart (`scenarios::Words`): the page loads them on first use.
        pub static WORDS: &[crate::sim::scenarios::Words] = &[#(#words),*];

        /// The scenarios' stories, apart: only a scenario file written out reads them.
        pub static STORIES: &[&[&str]] = &[#(#stories),*];
    });
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim/scenarios/catalog.rs");
    let file: syn::File = syn::parse2(code).expect("the baked code parses");
    let text = format!(
        "//! The catalog's scenarios as Rust, in the learning path's order.\n\
         //! GENERATED from src/sim/scenarios/*.json by `cargo run --example bake_catalog\n\
         //! --features bake`: do not edit; change the JSON files and run it again.\n\
         //! Files: {names}.\n\
         #![allow(clippy::field_reassign_with_default)]\n\
         extern crate alloc;\n\n{}",
        prettyplease::unparse(&file)
    );
    std::fs::write(&out, text).expect("src/sim/scenarios/catalog.rs is writable");
    println!("wrote {} ({} files)", out.display(), FILES.len());
}

/// The code of a file's `Scenario`, as `ScenarioFile::into_scenario` makes it: the
/// settings and rules built at start and leaked as that function leaks it, its id and
/// title as string literals, and its other words left empty: they are the `i`-th of
/// `WORDS` and `STORIES` (`Scenario::catalog`). Destructures the file whole, so a field
/// added later fails to compile here until it is baked too.
fn scenario(read: &ScenarioFile, i: usize, env: &CrateEnv, conds: &mut bake::Conds) -> TokenStream {
    let ScenarioFile {
        format: _,
        version: _,
        id,
        title,
        // In `WORDS` and `STORIES` (`words`, `main`).
        summary: _,
        story: _,
        flow: _,
        pros: _,
        cons: _,
        notes: _,
        seed,
        invariants,
        metrics,
        settings,
        fixes,
        script,
        // In `WORDS` (`words`): said only at a run's end.
        endings: _,
    } = read;
    let (id, title) = (text(&id.value, env), text(title, env));
    let invariants = invariants.iter().map(|i| i.0).collect::<Vec<_>>();
    let invariants = invariants.as_slice().bake(env);
    let metrics = metrics.iter().map(|m| m.0).collect::<Vec<_>>();
    let metrics = metrics.as_slice().bake(env);
    let seed = seed.bake(env);
    let settings = settings.bake(env);
    let fixes = fixes.iter().map(|f| {
        // `what` and `cost` are in `WORDS` (`words`).
        let file::FixFile { id, title, what: _, cost: _, changes } = f;
        let (id, title) = (text(&id.value, env), text(title, env));
        let changes = changes.bake(env);
        quote! {
            crate::sim::scenario::FixInfo { id: #id, title: #title, what: "", cost: "", changes: #changes }
        }
    });
    let script = bake::script_data(script, env, conds);
    let i = i.bake(env);
    quote! {
        &*alloc::boxed::Box::leak(alloc::boxed::Box::new(crate::sim::scenario::Scenario {
            id: #id,
            title: #title,
            catalog: Some(#i),
            summary: "",
            story: &[],
            flow: &[],
            pros: &[],
            cons: &[],
            notes: &[],
            fixes: super::leak(alloc::vec![#(#fixes),*]),
            invariants: #invariants,
            metrics: #metrics,
            seed: #seed,
            settings: #settings,
            script: #script,
            endings: &[],
            code: std::sync::OnceLock::new(),
        }))
    }
}

/// A file's words that the page loads apart (`scenarios::Words`), as static data.
fn words(read: &ScenarioFile, env: &CrateEnv, conds: &mut bake::Conds) -> TokenStream {
    let summary = text(&read.summary, env);
    let (flow, pros, cons, notes) = (
        lines(&read.flow, env),
        lines(&read.pros, env),
        lines(&read.cons, env),
        lines(&read.notes, env),
    );
    let fixes = read.fixes.iter().map(|f| {
        let (what, cost) = (text(&f.what, env), text(&f.cost, env));
        quote! { (#what, #cost) }
    });
    let endings = bake::endings_data(&read.endings, env, conds);
    quote! {
        crate::sim::scenarios::Words {
            summary: #summary,
            flow: #flow,
            pros: #pros,
            cons: #cons,
            notes: #notes,
            fixes: &[#(#fixes),*],
            endings: #endings,
        }
    }
}

/// A string literal.
fn text(s: &str, env: &CrateEnv) -> TokenStream {
    s.bake(env)
}

/// A slice of string literals.
fn lines(v: &[String], env: &CrateEnv) -> TokenStream {
    v.iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
        .bake(env)
}

/// `tokens` with every `alloc::vec![…]` written `alloc::vec::Vec::from([…])`: the same
/// value, and rustfmt lays out a call's arguments (it leaves a macro's as they are).
fn unmacro(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        let is_vec = matches!(
            &trees[i..],
            [TokenTree::Ident(a), TokenTree::Punct(c1), TokenTree::Punct(c2), TokenTree::Ident(v), TokenTree::Punct(bang), TokenTree::Group(g), ..]
                if a == "alloc" && c1.as_char() == ':' && c2.as_char() == ':' && v == "vec"
                    && bang.as_char() == '!' && g.delimiter() == Delimiter::Bracket
        );
        if is_vec {
            let TokenTree::Group(g) = &trees[i + 5] else {
                unreachable!()
            };
            let items = Group::new(Delimiter::Bracket, unmacro(g.stream()));
            out.extend(quote! { alloc::vec::Vec::from(#items) });
            i += 6;
        } else {
            out.push(match &trees[i] {
                TokenTree::Group(g) => {
                    TokenTree::Group(Group::new(g.delimiter(), unmacro(g.stream())))
                }
                other => other.clone(),
            });
            i += 1;
        }
    }
    out.into_iter().collect()
}
