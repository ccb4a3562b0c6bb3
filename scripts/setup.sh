# shellcheck shell=bash
# scripts/setup.sh — source me (`source scripts/setup.sh`), don't run me.
#
# Makes sure every tool that builds and tests Cachescope is installed (idempotent,
# quick on a warm machine) and defines helpers for running wasm32 commands:
#
#   wasm_env CMD...    run CMD with the wasm32 toolchain environment
#   wasm_cargo ARGS... = wasm_env cargo ARGS...
#   wasm_trunk ARGS... = wasm_env trunk ARGS...
#   $WASM_ENV          the same environment as a string of VAR=value words,
#                      for `env $WASM_ENV cargo ...` (breaks on paths with spaces)
#
# Native commands (cargo fmt/clippy/test/run) keep rustup's toolchain: nothing here
# leaks RUSTC / RUSTC_BOOTSTRAP / build-std into the exported environment.
#
# Two ways to build for wasm32 (WASM_MODE, auto-detected, override with
# CACHESCOPE_WASM_MODE=rustup|debian):
#   rustup  rustup already has the wasm32-unknown-unknown target (a laptop): plain
#           cargo and trunk, nothing else.
#   debian  no wasm32 target from rustup (this project's machines: rustup can't
#           download it): Debian's rustc-web 1.96 + rust-web-src, std built from source
#           (-Zbuild-std via RUSTC_BOOTSTRAP), linked by wasm-ld-19, linted by
#           rust-web-clippy. Its artifacts live in target/wasm so that the two rustc
#           versions never share (and thrash) one target dir.
#
# Knobs: SETUP_SKIP_BROWSER=1 (no chromium/chromedriver), SETUP_SKIP_NODE=1 (no npm
# packages), SETUP_QUIET=1, WASM_TARGET_DIR=... . Meant to be sourced from scripts
# (it turns on `set -euo pipefail`; a failed step exits the sourcing script).

set -euo pipefail

# Sourced twice in one shell: the second time is a no-op (not exported on purpose: a
# child script must source it again to get the functions below).
if [[ "${_CACHESCOPE_SETUP_DONE:-}" == "${SETUP_SKIP_BROWSER:-}:${SETUP_SKIP_NODE:-}" ]]; then
  return 0
fi

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_DIR="$REPO_ROOT/tests/e2e"
export REPO_ROOT E2E_DIR

_setup_log() { [[ -n "${SETUP_QUIET:-}" ]] || printf '[setup] %s\n' "$*" >&2; }
_setup_die() { printf '[setup] ERROR: %s\n' "$*" >&2; return 1; }
_setup_time() { # _setup_time LABEL CMD... : run CMD, log how long it took
  local label="$1" start rc=0
  shift
  start=$(date +%s)
  _setup_log "$label ..."
  "$@" || rc=$?
  _setup_log "$label: $(( $(date +%s) - start ))s (exit $rc)"
  return "$rc"
}

# ---------------------------------------------------------------- PATH
_setup_path_prepend() { case ":$PATH:" in *":$1:"*) ;; *) PATH="$1:$PATH" ;; esac; }
_setup_path_prepend "$HOME/.cargo/bin"
# npm's binaryen (a wasm-opt that works; Debian's binaryen 108 breaks modules) first.
PATH="$E2E_DIR/node_modules/.bin:${PATH//"$E2E_DIR/node_modules/.bin:"/}"
export PATH

# ---------------------------------------------------------------- apt
_SETUP_APT_UPDATED="${_SETUP_APT_UPDATED:-}"
_setup_is_debian() { command -v apt-get >/dev/null 2>&1 && [[ -r /etc/debian_version ]]; }
_setup_have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
_setup_apt_install() { # installs only the packages that are missing
  local missing=() p sudo=()
  for p in "$@"; do _setup_have_pkg "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  _setup_is_debian || _setup_die "need Debian packages ${missing[*]} but this is not a Debian system with apt-get; install the equivalents by hand"
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || _setup_die "need root (or sudo) to apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  if [[ -z "$_SETUP_APT_UPDATED" ]]; then
    _setup_time "apt-get update" "${sudo[@]}" apt-get update -qq
    _SETUP_APT_UPDATED=1
  fi
  _setup_time "apt-get install ${missing[*]}" \
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- rust (native)
command -v cargo >/dev/null 2>&1 || _setup_die "cargo not found: install Rust with rustup (https://rustup.rs)"
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  command -v rustup >/dev/null 2>&1 && _setup_time "rustup component add rustfmt clippy" rustup component add rustfmt clippy
fi

# ---------------------------------------------------------------- wasm32 toolchain
WASM_TARGET=wasm32-unknown-unknown
if [[ -n "${CACHESCOPE_WASM_MODE:-}" ]]; then
  WASM_MODE="$CACHESCOPE_WASM_MODE"
elif command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
  WASM_MODE=rustup
else
  WASM_MODE=debian
fi
export WASM_MODE WASM_TARGET

WASM_ENV_VARS=()
case "$WASM_MODE" in
  rustup)
    WASM_TARGET_DIR="${WASM_TARGET_DIR:-$REPO_ROOT/target}"
    ;;
  debian)
    _setup_apt_install rustc-web cargo-web rust-web-src rust-web-clippy lld-19
    WASM_TARGET_DIR="${WASM_TARGET_DIR:-$REPO_ROOT/target/wasm}"
    # /usr/bin first so that `cargo` is Debian's cargo 1.96 (matching rustc-web) and
    # `cargo clippy` finds Debian's cargo-clippy/clippy-driver 1.96, not rustup's.
    # shellcheck disable=SC2054 # the comma is part of a value
    WASM_ENV_VARS+=(
      "PATH=$E2E_DIR/node_modules/.bin:/usr/bin:${PATH#"$E2E_DIR/node_modules/.bin:"}"
      RUSTC=/usr/bin/rustc
      RUSTDOC=/usr/bin/rustdoc
      RUSTC_BOOTSTRAP=1
      CARGO_UNSTABLE_BUILD_STD=std,panic_abort
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
    )
    ;;
  *) _setup_die "CACHESCOPE_WASM_MODE must be rustup or debian, not '$WASM_MODE'" ;;
esac
export WASM_TARGET_DIR
WASM_ENV_VARS+=("CARGO_TARGET_DIR=$WASM_TARGET_DIR")
WASM_ENV="${WASM_ENV_VARS[*]}"
export WASM_ENV

wasm_env() { env "${WASM_ENV_VARS[@]}" "$@"; }
wasm_cargo() { wasm_env cargo "$@"; }
wasm_trunk() { wasm_env trunk "$@"; }

# The release bundle, as small as the compiler allows. Debian's rustc takes unstable
# flags (RUSTC_BOOTSTRAP): panics abort at once with no message (the page cannot
# recover from one anyway, and no input can reach one), and no panic locations or
# Debug formatting are compiled in, and std is built with `optimize_for_size` (smaller
# sorts and formatting; 4 KB off the gzip size). Only the release profile gets them, so
# the debug builds of the tests keep their panic messages and share nothing with this
# build.
WASM_RELEASE_VARS=()
if [[ "$WASM_MODE" == debian ]]; then
  WASM_RELEASE_VARS+=(
    "RUSTFLAGS=-Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort"
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  )
fi
wasm_release_trunk() { wasm_env ${WASM_RELEASE_VARS[@]+"${WASM_RELEASE_VARS[@]}"} trunk "$@"; }

# ---------------------------------------------------------------- trunk
TRUNK_VERSION="${TRUNK_VERSION:-0.22.1}"      # needs rustc >= 1.96.1 to build
TRUNK_FALLBACK_VERSION="${TRUNK_FALLBACK_VERSION:-0.21.14}" # builds on older stable
_setup_version_ge() { # _setup_version_ge A B : A >= B (dotted numbers)
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$2" ]]
}
_setup_install_trunk() {
  local stable_ver
  stable_ver="$(rustc --version | awk '{print $2}' | sed 's/-.*//')"
  if _setup_version_ge "$stable_ver" 1.96.1; then
    cargo install trunk --version "$TRUNK_VERSION" --locked
  elif command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
    cargo +nightly install trunk --version "$TRUNK_VERSION" --locked
  else
    cargo install trunk --version "$TRUNK_FALLBACK_VERSION" --locked
  fi
}
if ! trunk --version >/dev/null 2>&1; then
  _setup_time "install trunk" _setup_install_trunk
fi

# ---------------------------------------------------------------- wasm-bindgen-cli
WASM_BINDGEN_VERSION="$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = / { gsub(/"/, "", $3); name = $3 }
  /^version = / && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }
' "$REPO_ROOT/Cargo.lock" 2>/dev/null || true)"
[[ -n "$WASM_BINDGEN_VERSION" ]] || _setup_die "no wasm-bindgen in Cargo.lock"
export WASM_BINDGEN_VERSION
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]] \
  || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  # Not --locked: one of its locked dependency versions is not in the registry here.
  _setup_time "install wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# ---------------------------------------------------------------- wasm-split-cli
# Cuts the page's wasm at its #[lazy] functions into chunks loaded on first use
# (scripts/split.sh, Trunk.toml's post_build hook). By the Leptos maintainers.
WASM_SPLIT_VERSION="${WASM_SPLIT_VERSION:-0.2.4}"
if ! { command -v wasm-split-cli >/dev/null 2>&1 \
  && grep -q "wasm_split_cli_support $WASM_SPLIT_VERSION" "${CARGO_HOME:-$HOME/.cargo}/.crates.toml" 2>/dev/null; }; then
  _setup_time "install wasm-split-cli $WASM_SPLIT_VERSION" \
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary
fi

# ---------------------------------------------------------------- browser
if [[ -z "${SETUP_SKIP_BROWSER:-}" ]]; then
  _setup_find_first() { local c; for c in "$@"; do command -v "$c" 2>/dev/null && return 0; done; return 1; }
  if [[ -z "${CHROMIUM:-}" ]] && ! CHROMIUM="$(_setup_find_first chromium chromium-browser google-chrome google-chrome-stable)"; then
    _setup_apt_install chromium
    CHROMIUM=/usr/bin/chromium
  fi
  if [[ -z "${CHROMEDRIVER:-}" ]] && ! CHROMEDRIVER="$(_setup_find_first chromedriver)"; then
    _setup_apt_install chromium-driver
    CHROMEDRIVER=/usr/bin/chromedriver
  fi
  export CHROMIUM CHROMEDRIVER
  # wasm-bindgen-test: `cargo test --target wasm32-unknown-unknown` runs the tests in
  # headless Chromium through chromedriver; flags come from webdriver.json.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
  # The runner gives chromedriver 5 s to bind its port by default (wasm-bindgen-cli
  # 0.2.130, wasm_bindgen_test_runner.rs), then fails the tier; on a loaded 2-core
  # machine it took longer (session 19's clean clone: "driver failed to bind port
  # during startup"). With 60 s the runner restarts a driver stuck for 10 s instead.
  export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-60}"
fi

# ---------------------------------------------------------------- node packages
if [[ -z "${SETUP_SKIP_NODE:-}" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    _setup_apt_install nodejs npm
  fi
  # `npm ci` when node_modules is missing or was installed from another lockfile.
  if ! cmp -s "$E2E_DIR/package-lock.json" "$E2E_DIR/node_modules/.cachescope-lock.json" 2>/dev/null; then
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash
    _setup_time "npm ci (tests/e2e)" \
      bash -c 'cd "$1" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.cachescope-lock.json' _ "$E2E_DIR"
  fi
  [[ "$(command -v wasm-opt || true)" == "$E2E_DIR/node_modules/.bin/wasm-opt" ]] \
    || _setup_die "wasm-opt on PATH is not npm's binaryen: $(command -v wasm-opt || echo none)"
fi

_CACHESCOPE_SETUP_DONE="${SETUP_SKIP_BROWSER:-}:${SETUP_SKIP_NODE:-}"
_setup_log "ready: wasm mode $WASM_MODE, target dir ${WASM_TARGET_DIR#"$REPO_ROOT"/}, trunk $(trunk --version 2>/dev/null | awk '{print $2}'), wasm-bindgen $WASM_BINDGEN_VERSION"
