//! Writes the scenario catalog as Rust: `src/sim/scenarios/catalog.rs`, the code that
//! builds each catalog file's `ScenarioFile`, from the JSON files (the source of truth,
//! `src/sim/scenarios/*.json`, read by the reader a learner's file goes through). The
//! page embeds this code instead of the JSON text, so it starts without a JSON reader.
//!
//!     cargo run --example bake_catalog --features bake
//!
//! Run it after changing or adding a catalog file (and adding it to
//! `scenarios::FILES`); `tests/scenario_files.rs` fails until `catalog.rs` is the files.
//! The expressions are written by ICU4X's `databake` (`#[derive(Bake)]` on the file's
//! types, under the `bake` feature) and laid out by `prettyplease`.
use cachescope::sim::scenario::file;
use cachescope::sim::scenarios::FILES;
use databake::{quote, Bake, CrateEnv, TokenStream};
use proc_macro2::{Delimiter, Group, TokenTree};
use std::path::Path;

fn main() {
    let env = CrateEnv::default();
    let files: Vec<_> = FILES
        .iter()
        .map(|(name, text)| match file::from_json(text) {
            Ok(read) => read.bake(&env),
            Err(e) => panic!("{name}: {e}"),
        })
        .collect();
    let names = FILES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let code = unmacro(quote! {
        pub fn files() -> alloc::vec::Vec<crate::sim::scenario::file::ScenarioFile> {
            alloc::vec![#(#files),*]
        }
    });
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim/scenarios/catalog.rs");
    let file: syn::File = syn::parse2(code).expect("the baked code parses");
    let text = format!(
        "//! The catalog's scenario files as Rust, in the learning path's order.\n\
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
