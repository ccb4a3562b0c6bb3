#!/usr/bin/env bash
# scripts/dev.sh — serve the app with live reload: trunk serve on PORT (default 8080).
# Extra arguments go to `trunk serve` (e.g. scripts/dev.sh --release).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SETUP_SKIP_BROWSER=1
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

PORT="${PORT:-8080}"
ADDRESS="${ADDRESS:-127.0.0.1}"
echo "Cachescope dev server: http://$ADDRESS:$PORT/  (wasm mode $WASM_MODE; first build takes a few minutes)"
echo "  e.g. http://$ADDRESS:$PORT/?scenario=stale-set-race&step=4"
# Its own dist folder, so that a running dev server and a release build (dist/, which
# the e2e tests serve) do not overwrite each other.
exec env "${WASM_ENV_VARS[@]}" trunk serve --port "$PORT" --address "$ADDRESS" --dist "${DEV_DIST:-target/dist-dev}" "$@"
