#!/usr/bin/env bash
# scripts/split.sh — Trunk.toml's post_build hook: cut the page's wasm at its Leptos
# #[lazy] functions, so that code only a rare action needs (e.g. writing a run file) is
# a chunk the page fetches on first use instead of part of the initial download.
#
# trunk has already built the page (cargo, wasm-bindgen) into $TRUNK_STAGING_DIR, but
# the splitter needs the linker's output with its relocations (build.rs links the page
# with --emit-relocs), from before wasm-bindgen. So this script redoes
# the last steps from cargo's wasm, the way cargo-leptos does them:
#   1. wasm-split-cli (crate wasm_split_cli_support, by the Leptos maintainers): cargo's
#      wasm -> the main module + one .wasm per chunk + __wasm_split.js (the loader);
#   2. wasm-bindgen on the main module, with the flags trunk used;
#   3. scripts/tidy-glue.mjs (node): the names between the main module and its JS glue
#      made short (wasm-bindgen's hashed import names, the closures' type-long export
#      names) and the exports nothing calls dropped (wasm-streams' classes), with the
#      function table's entries only those classes reach;
#   4. wasm-opt on the main module and on every chunk (release only; index.html turns
#      trunk's own wasm-opt off for the page, which would run before the split);
#   5. terser (npm, tests/e2e's devDependencies) minifies the page's JS: the glue, the
#      chunks' loader and the snippets (release only; trunk minifies the CSS and HTML
#      but not JS it did not write);
#   6. the results replace trunk's page wasm and JS under the same (hashed) names.
# Without a split point in the wasm, trunk's output stays as it is (nothing to do).
#
# Env (from trunk): TRUNK_STAGING_DIR, TRUNK_PROFILE. Optional: CARGO_TARGET_DIR,
# SPLIT_VERBOSE=1 (the splitter says what went where), WASM_OPT_LEVEL (default s).
set -euo pipefail

BIN=cachescope
STAGING="${TRUNK_STAGING_DIR:?run by trunk (post_build hook)}"
PROFILE="${TRUNK_PROFILE:-release}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
RAW="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/$BIN.wasm"
WORK="$TARGET_DIR/split/$PROFILE"
# The same features the page was built for (index.html's data-wasm-opt-params).
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

log() { printf '[split] %s\n' "$*" >&2; }
die() { printf '[split] ERROR: %s\n' "$*" >&2; exit 1; }

[[ -f "$RAW" ]] || die "no $RAW (cargo's output for $BIN)"
command -v wasm-split-cli >/dev/null || die "wasm-split-cli not installed (source scripts/setup.sh)"
command -v node >/dev/null || die "node not found (it runs scripts/tidy-glue.mjs; source scripts/setup.sh)"

# trunk's names for the page: <bin>-<hash>.js and <bin>-<hash>_bg.wasm (the worker's
# files start with explore_worker).
shopt -s nullglob
js=("$STAGING/$BIN"-*.js "$STAGING/$BIN".j[s])
wasm=("$STAGING/$BIN"-*_bg.wasm "$STAGING/$BIN"_bg.was[m])
((${#js[@]} == 1 && ${#wasm[@]} == 1)) || die "expected one $BIN js and wasm in $STAGING, found: ${js[*]} ${wasm[*]}"
js_stem="$(basename "${js[0]}" .js)"

TERSER="$REPO_ROOT/tests/e2e/node_modules/.bin/terser"
minify() { # minify FILE...: terser in place, as ES modules (release only)
  [[ "$PROFILE" == release ]] || return 0
  [[ -x "$TERSER" ]] || die "no $TERSER (source scripts/setup.sh: it runs npm ci in tests/e2e)"
  local f
  for f in "$@"; do
    "$TERSER" --module --compress --mangle --output "$f.min" -- "$f" || die "terser failed on $f"
    mv "$f.min" "$f"
  done
}

# --low-memory-unused: wasm-opt may assume that nothing lives in the first 1,024 bytes
# of memory, and fold more address arithmetic into loads and stores (1.4 kB of the
# page's gzipped wasm). True of this page: rustc's wasm32 layout puts the 1 MiB stack
# first, growing down from 1 MiB toward 0 (data and heap above it), so those bytes are
# reached only by a stack within 1 KB of overflowing, which is broken anyway.
# --reorder-functions-by-name: the functions laid out in the order of their names (the
# name section that wasm-bindgen --keep-debug keeps; the output has none), so that the
# instances of one generic and the functions of one module sit side by side, within
# gzip's 32 KB window of each other: the same code, 3.6 kB less gzipped (wasm-opt's
# default order, and --reorder-functions by use, compress worse).
opt() { # opt FILE: wasm-opt in place (release only)
  [[ "$PROFILE" == release ]] || return 0
  wasm-opt "-O${WASM_OPT_LEVEL:-s}" --reorder-functions-by-name --low-memory-unused "${WASM_OPT_FEATURES[@]}" "$1" -o "$1.opt"
  mv "$1.opt" "$1"
}

# trunk 0.22's loader shim for the search's worker starts wasm-bindgen 0.2.130's glue
# with a bare path, which that glue still takes but warns about in the console on
# every search ("using deprecated parameters for the initialization function"); the
# glue's documented form is one object.
loader="$STAGING/explore_worker_loader.js"
if [[ -f "$loader" ]]; then
  sed -i 's|wasm_bindgen("\./explore_worker_bg\.wasm")|wasm_bindgen({module_or_path:"./explore_worker_bg.wasm"})|' "$loader"
fi

# The placeholder import that #[lazy] leaves for the splitter to resolve.
if ! grep -q "__wasm_split_placeholder__" "$RAW"; then
  log "no #[lazy] split point in $BIN.wasm: trunk's output kept (optimized here)"
  opt "${wasm[0]}"
  exit 0
fi

rm -rf "$WORK"
mkdir -p "$WORK/split" "$WORK/bindgen"
cp "${wasm[0]}" "$WORK/unsplit_bg.wasm" # for measuring (scripts/size.sh-style figures)

split_args=(--out-name "$js_stem")
[[ -z "${SPLIT_VERBOSE:-}" ]] || split_args+=(--verbose)
wasm-split-cli "${split_args[@]}" "$RAW" "$WORK/split" >"$WORK/split.log" 2>&1 \
  || { cat "$WORK/split.log" >&2; die "wasm-split-cli failed"; }

# --keep-lld-exports: the chunks import the function table and memory from the main
# module, which wasm-bindgen would otherwise stop exporting.
# --keep-debug: the function names, which tidy-glue.mjs reads (its step 4) and wasm-opt
# lays the functions out by (opt, above); wasm-opt
# drops them from the release build (no -g).
bindgen_args=(--target web --no-typescript --keep-lld-exports --keep-debug --out-dir "$WORK/bindgen" --out-name "$js_stem")
wasm-bindgen "${bindgen_args[@]}" "$WORK/split/$js_stem.wasm"

node "$REPO_ROOT/scripts/tidy-glue.mjs" "$WORK/bindgen/${js_stem}_bg.wasm" "$WORK/bindgen/$js_stem.js"
opt "$WORK/bindgen/${js_stem}_bg.wasm"
mapfile -d '' snippets < <(find "$WORK/bindgen" -path '*/snippets/*' -name '*.js' -print0)
minify "$WORK/bindgen/$js_stem.js" ${snippets[@]+"${snippets[@]}"} "$WORK/split"/*.js
cp "$WORK/bindgen/${js_stem}_bg.wasm" "${wasm[0]}"
cp "$WORK/bindgen/$js_stem.js" "${js[0]}"
if [[ -d "$WORK/bindgen/snippets" ]]; then
  cp -r "$WORK/bindgen/snippets" "$STAGING/"
fi
for chunk in "$WORK/split"/*.wasm; do
  [[ "$(basename "$chunk")" == "$js_stem.wasm" ]] && continue
  opt "$chunk"
  cp "$chunk" "$STAGING/"
  log "chunk $(basename "$chunk"): $(wc -c <"$chunk") bytes"
done
cp "$WORK/split"/*.js "$STAGING/"
log "page wasm $(wc -c <"${wasm[0]}") bytes (unsplit $(wc -c <"$WORK/unsplit_bg.wasm"))"
