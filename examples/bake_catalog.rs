//! Writes the scenario catalog as Rust: `src/sim/scenarios/catalog.rs`, the code that
//! builds each catalog file's `Scenario`, from the JSON files (the source of truth,
//! `src/sim/scenarios/*.json`, read by the reader a learner's file goes through). The
//! page embeds this code instead of the JSON text, so it starts without a JSON reader.
//! The prose (ids, titles, summaries, stories, flows, pros, cons, notes, the fixes'
//! words) is written as `&'static str` literals and slices of them, static data in the
//! wasm rather than code that copies each string into a `String` at start (4.9 kB of
//! the page's gzipped download when this changed).
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
    let files: Vec<_> = FILES
        .iter()
        .map(|(name, text)| match file::from_json(text) {
            Ok(read) => scenario(&read, &env),
            Err(e) => panic!("{name}: {e}"),
        })
        .collect();
    let names = FILES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let code = unmacro(quote! {
        pub fn all() -> alloc::vec::Vec<&'static crate::sim::scenario::Scenario> {
            alloc::vec![#(#files),*]
        }
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
/// words as string literals (static data), the rest built at start and leaked as that
/// function leaks it. Destructures the file whole, so a field added later fails to
/// compile here until it is baked too.
fn scenario(read: &ScenarioFile, env: &CrateEnv) -> TokenStream {
    let ScenarioFile {
        format: _,
        version: _,
        id,
        title,
        summary,
        story,
        flow,
        pros,
        cons,
        notes,
        seed,
        invariants,
        metrics,
        settings,
        fixes,
        script,
        endings,
    } = read;
    let text = |s: &String| s.as_str().bake(env);
    let lines = |v: &Vec<String>| {
        v.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
            .bake(env)
    };
    let (id, title, summary) = (text(&id.value), text(title), text(summary));
    let (story, flow, pros, cons, notes) = (
        lines(story),
        lines(flow),
        lines(pros),
        lines(cons),
        lines(notes),
    );
    let invariants = invariants.iter().map(|i| i.0).collect::<Vec<_>>();
    let invariants = invariants.as_slice().bake(env);
    let metrics = metrics.iter().map(|m| m.0).collect::<Vec<_>>();
    let metrics = metrics.as_slice().bake(env);
    let seed = seed.bake(env);
    let settings = settings.bake(env);
    let fixes = fixes.iter().map(|f| {
        let file::FixFile { id, title, what, cost, changes } = f;
        let (id, title, what, cost) = (text(&id.value), text(title), text(what), text(cost));
        let changes = changes.bake(env);
        quote! {
            crate::sim::scenario::FixInfo { id: #id, title: #title, what: #what, cost: #cost, changes: #changes }
        }
    });
    let script = bake::script_data(script, env);
    let endings = bake::endings_data(endings, env);
    quote! {
        &*alloc::boxed::Box::leak(alloc::boxed::Box::new(crate::sim::scenario::Scenario {
            id: #id,
            title: #title,
            summary: #summary,
            story: #story,
            flow: #flow,
            pros: #pros,
            cons: #cons,
            notes: #notes,
            fixes: super::leak(alloc::vec![#(#fixes),*]),
            invariants: #invariants,
            metrics: #metrics,
            seed: #seed,
            settings: #settings,
            script: #script,
            endings: #endings,
            code: std::sync::OnceLock::new(),
        }))
    }
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
