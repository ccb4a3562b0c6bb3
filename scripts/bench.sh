#!/usr/bin/env bash
# scripts/bench.sh — performance report; it never fails because something is slow.
#   1. trunk build --release, then the page's initial download: its .wasm/.js/.css
#      files (the Web Worker's apart, loaded on first use), raw and gzip -9, against the
#      250 KB gzip budget (scripts/page-size.sh; never fails here)
#   2. headless Chromium on localhost: navigation -> interactive (step-counter
#      data-ready="true"), median of BENCH_RUNS (5) runs, with navigation timing
#   3. frame time while playing at the highest speed (rAF deltas and main-thread work
#      per frame: median, p95) for BENCH_SECONDS (3) s
#   4. native events/second built for speed: cargo run --profile search --example bench
#      (opt-level 3; --release is the page's size profile, opt-level "z") (if examples/bench.rs)
#   5. quiet-mode events/second in headless Chromium (the search's Web Worker runs
#      examples/bench.rs's catalog mix, sim::bench) beside the native figure of the
#      same profile (--profile search) and the same events, with the wasm/native
#      ratio: tests/e2e/quiet-bench.mjs (QUIET_BENCH_EVENTS, QUIET_BENCH_RUNS);
#      then the same for the page's profile: the worker built for size as the page is
#      (release profile, opt-level "z", the page's release flags, wasm-opt -Os as
#      scripts/split.sh runs it) into dist/bench-size/, against --release natively
# SKIP_BUILD=1 reuses dist/ as it is. BENCH_JSON=file also saves the browser numbers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "===== trunk build --release"
  start=$(date +%s)
  wasm_release_trunk build --release
  echo "===== built in $(( $(date +%s) - start ))s"
fi

echo "===== page size (dist/)"
scripts/page-size.sh dist || true

echo "===== browser (dist/)"
(cd "$E2E_DIR" && node bench.mjs "$REPO_ROOT/dist")

if [[ -f examples/bench.rs ]]; then
  echo
  echo "===== native, built for speed: cargo run --profile search --example bench"
  cargo run --profile search --quiet --example bench
else
  echo
  echo "===== native: no examples/bench.rs, skipped"
fi

echo
echo "===== quiet mode in the browser and natively (tests/e2e/quiet-bench.mjs)"
(cd "$E2E_DIR" && node quiet-bench.mjs "$REPO_ROOT/dist")

echo
echo "===== the same, built for size as the page is (dist/bench-size/, --release)"
size_dir="$REPO_ROOT/dist/bench-size"
wasm_env ${WASM_RELEASE_VARS[@]+"${WASM_RELEASE_VARS[@]}"} \
  cargo build --release --quiet --target "$WASM_TARGET" --bin explore_worker
wasm_env wasm-bindgen --target no-modules --no-typescript --out-dir "$size_dir" \
  --out-name explore_worker "$WASM_TARGET_DIR/$WASM_TARGET/release/explore_worker.wasm"
# The page's wasm-opt features (index.html), and the page's level (scripts/split.sh).
wasm_env wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$size_dir/explore_worker_bg.wasm" -o "$size_dir/explore_worker_bg.wasm"
cp dist/explore_worker_loader.js "$size_dir/"
(cd "$E2E_DIR" && QUIET_BENCH_PROFILE=release node quiet-bench.mjs "$REPO_ROOT/dist")
