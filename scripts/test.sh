#!/usr/bin/env bash
# scripts/test.sh — everything CI checks, in order; installs what it needs first.
#
#   fmt          cargo fmt --check
#   clippy       cargo clippy --all-targets -- -D warnings            (native)
#   clippy-wasm  the same for --target wasm32-unknown-unknown
#   test         cargo test                                           (native)
#   test-search  cargo test --release --test search_cdc --test search_outbox_page (and more: below)
#                --test search_fault_kinds: the
#                searches too long for an unoptimised build (cdc-invalidation's 305,067
#                states, the page's million-state search of dual-write-crash with
#                outbox), which compile to nothing under debug assertions, so they run here
#   test-wasm    cargo test --target wasm32-unknown-unknown: wasm-bindgen-test in
#                headless Chromium (wasm-bindgen-test-runner + chromedriver,
#                flags from webdriver.json)
#   build        trunk build --release (-> dist/), then the page's initial download
#                (scripts/page-size.sh): warns over the 250 KB gzip budget, FAILS over
#                the ceiling of scripts/page-size.ceiling (a ratchet, no growth) on the
#                Debian route (the size flags' route, CI's); a warning elsewhere
#   e2e          tests/e2e: node --test + playwright-core against dist/
#
# Every tier runs even when an earlier one failed (e2e needs build), unless
# FAIL_FAST=1. TEST_TIERS="fmt clippy ..." runs only those tiers; DIST_DIR=... points
# e2e at another bundle. LEAN_DISK=1 (set by .ci/run) removes the test tiers' builds
# before the build tier, for a small disk. Logs go to target/test-logs/<tier>.log. Exits non-zero when
# any tier failed; the last line is "N passed, N failed" over all checks (each test
# counts; a lint or build tier counts as one check).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

setup_start=$(date +%s)
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
setup_secs=$(( $(date +%s) - setup_start ))

LOG_DIR="$REPO_ROOT/target/test-logs"
if [[ -t 1 ]]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi
mkdir -p "$LOG_DIR"
ALL_TIERS=(fmt clippy clippy-wasm test test-search test-wasm build e2e)
read -r -a TIERS <<<"${TEST_TIERS:-${ALL_TIERS[*]}}"

declare -A STATUS=() SECS=() NPASS=() NFAIL=()
total_pass=0 total_fail=0 total_skip=0
any_failed=0

want() { local t; for t in "${TIERS[@]}"; do [[ "$t" == "$1" ]] && return 0; done; return 1; }

# count_tests TIER LOG: sets NPASS/NFAIL from a test runner's closing lines, if any.
count_tests() {
  local tier="$1" log="$2" p f
  case "$tier" in
    test | test-search | test-wasm)
      # "test result: ok. 12 passed; 0 failed; ..." once per test binary
      read -r p f < <(awk '/^test result: / {
          for (i = 1; i < NF; i++) {
            if ($(i + 1) ~ /^passed/) { p += $i; n++ }
            if ($(i + 1) ~ /^failed/) { f += $i }
          }
        } END { if (n) print p + 0, f + 0; else print "" }' "$log")
      ;;
    e2e)
      # node's spec reporter closes with "ℹ pass N" and "ℹ fail N"
      p=$(awk '$1 == "ℹ" && $2 == "pass" { v = $3 } END { print v }' "$log")
      f=$(awk '$1 == "ℹ" && $2 == "fail" { v = $3 } END { print v }' "$log")
      ;;
    *) p='' f='' ;;
  esac
  NPASS[$tier]="${p:-}"
  NFAIL[$tier]="${f:-}"
}

# tier NAME CMD...: run one tier, tee its output to its log, record the outcome.
tier() {
  local name="$1" start rc=0 log
  shift
  if ! want "$name"; then return 0; fi
  log="$LOG_DIR/$name.log"
  printf '\n%s===== %s: %s%s\n' "$B" "$name" "$*" "$N"
  start=$(date +%s)
  "$@" 2>&1 | tee "$log" || rc=$?
  SECS[$name]=$(( $(date +%s) - start ))
  count_tests "$name" "$log"
  local p="${NPASS[$name]}" f="${NFAIL[$name]}"
  if [[ $rc -eq 0 ]]; then
    STATUS[$name]=PASS
    if [[ -n "$p" ]]; then total_pass=$((total_pass + p)); else total_pass=$((total_pass + 1)); fi
  else
    STATUS[$name]=FAIL
    any_failed=1
    if [[ -n "$p" ]]; then total_pass=$((total_pass + p)); fi
    if [[ -n "$f" && "$f" -gt 0 ]]; then total_fail=$((total_fail + f)); else total_fail=$((total_fail + 1)); fi
  fi
  printf '===== %s: %s in %ss (exit %s)\n' "$name" "${STATUS[$name]}" "${SECS[$name]}" "$rc"
  if [[ $rc -ne 0 && -n "${FAIL_FAST:-}" ]]; then
    summary
    exit 1
  fi
  return 0
}

skip() { # skip NAME REASON
  if want "$1"; then
    STATUS[$1]="SKIP ($2)"
    total_skip=$((total_skip + 1))
  fi
}

# shellcheck disable=SC2317 # called through tier
run_e2e() {
  cd "$E2E_DIR"
  DIST_DIR="${DIST_DIR:-$REPO_ROOT/dist}" node --test --test-reporter=spec --test-concurrency=1 specs/
}

# free_test_artifacts: with LEAN_DISK=1 (.ci/run), removes what the test tiers built
# (native debug and release, the wasm tests' debug build) before the page is built,
# since CI's disk cannot hold both (about 5 GB of the 9 GB otherwise).
free_test_artifacts() {
  [[ -n "${LEAN_DISK:-}" ]] || return 0
  rm -rf "$REPO_ROOT/target/debug" "$REPO_ROOT/target/release" \
    "$WASM_TARGET_DIR/debug" "$WASM_TARGET_DIR/$WASM_TARGET/debug"
  echo "LEAN_DISK: test artifacts removed; $(df -h "$REPO_ROOT" | awk 'NR == 2 {print $4}') free"
}

# shellcheck disable=SC2317 # called through tier
build_page() {
  rm -f "$LOG_DIR/build.ok"
  wasm_release_trunk build --release || return
  # The bundle exists: e2e can run even when it is over the budget.
  touch "$LOG_DIR/build.ok"
  if [[ "$WASM_MODE" == debian ]]; then
    PAGE_SIZE_STRICT=1 scripts/page-size.sh dist
  else
    scripts/page-size.sh dist
  fi
}

summary() {
  local name counts
  printf '\n%s===== summary%s (setup %ss, wasm mode %s, logs in %s)\n' \
    "$B" "$N" "$setup_secs" "$WASM_MODE" "${LOG_DIR#"$REPO_ROOT"/}"
  for name in "${ALL_TIERS[@]}"; do
    want "$name" || continue
    counts=''
    if [[ -n "${NPASS[$name]:-}" ]]; then counts="${NPASS[$name]} passed, ${NFAIL[$name]:-0} failed"; fi
    printf '  %-12s %-28s %6s  %s\n' "$name" "${STATUS[$name]:-not run}" "${SECS[$name]:+${SECS[$name]}s}" "$counts"
  done
  echo
  if [[ $total_skip -gt 0 ]]; then
    echo "$total_pass passed, $total_fail failed, $total_skip skipped"
  else
    echo "$total_pass passed, $total_fail failed"
  fi
}

tier fmt cargo fmt --check
tier clippy cargo clippy --all-targets -- -D warnings
tier clippy-wasm wasm_cargo clippy --target "$WASM_TARGET" --all-targets -- -D warnings
tier test cargo test
tier test-search cargo test --release --test search_cdc --test search_outbox_page --test search_ample_catalog --test search_fault_kinds --test search_slice_large --test search_ghost_large --test search_shift_sound --test search_hybrid_page --test search_shown --test search_timed_fix
tier test-wasm wasm_cargo test --target "$WASM_TARGET" --test web
if want build; then free_test_artifacts; fi
tier build build_page
if want e2e; then
  if [[ "${STATUS[build]:-}" == FAIL && ! -f "$LOG_DIR/build.ok" ]]; then
    skip e2e 'build failed'
  else
    tier e2e run_e2e
  fi
fi

summary
exit "$any_failed"
