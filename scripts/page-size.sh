#!/usr/bin/env bash
# scripts/page-size.sh [DIST] — the page's initial download and its budget.
#
# Prints every .wasm, .js and .css file of DIST (default dist/) that the page loads at
# start, raw and `gzip -9` (GNU gzip, as README's figures), and their total against the
# budget: 250 KB = 250,000 bytes gzipped. The Web Worker's files (names containing
# `worker`: the explorer's search, loaded on first use) are listed apart and not
# counted. Exits 1 when the total is over the budget and PAGE_SIZE_STRICT=1 (the build
# tier of scripts/test.sh sets it on the Debian route, where the size flags of
# scripts/setup.sh apply); otherwise an excess is a warning only (a laptop's rustup
# build has no -Zbuild-std and is larger).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DIST="${1:-dist}"
BUDGET_BYTES=250000

[[ -f "$DIST/index.html" ]] || { echo "page-size: no $DIST/index.html (build first)" >&2; exit 1; }
command -v gzip >/dev/null || { echo "page-size: gzip not found" >&2; exit 1; }

kb() { awk -v n="$1" 'BEGIN { printf "%.1f kB", n / 1000 }'; }
page_raw=0 page_gz=0 worker_gz=0
printf '%-58s %11s %11s\n' "page's initial download ($DIST)" raw 'gzip -9'
while IFS= read -r -d '' f; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  name="${f#"$DIST"/}"
  if [[ "$name" == *worker* ]]; then
    worker_gz=$((worker_gz + gz))
    printf '  %-56s %11s %11s  (worker, loaded on first use)\n' "$name" "$(kb "$raw")" "$(kb "$gz")"
  else
    page_raw=$((page_raw + raw))
    page_gz=$((page_gz + gz))
    printf '  %-56s %11s %11s\n' "$name" "$(kb "$raw")" "$(kb "$gz")"
  fi
done < <(find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 | sort -z)
printf '  %-56s %11s %11s\n' 'total (without the worker)' "$(kb "$page_raw")" "$(kb "$page_gz")"

if ((page_gz <= BUDGET_BYTES)); then
  echo "page size: $(kb "$page_gz") gzipped, within the budget of $(kb "$BUDGET_BYTES") ($((BUDGET_BYTES - page_gz)) bytes to spare)"
  exit 0
fi
msg="page size: $(kb "$page_gz") gzipped is OVER the budget of $(kb "$BUDGET_BYTES") by $(kb $((page_gz - BUDGET_BYTES))) (wasm + JS + CSS of $DIST, the worker's $(kb "$worker_gz") not counted; see README, Benchmarks)"
if [[ "${PAGE_SIZE_STRICT:-}" == 1 ]]; then
  echo "FAIL: $msg" >&2
  exit 1
fi
echo "warning: $msg (a warning only: PAGE_SIZE_STRICT is not 1; scripts/test.sh sets it on the Debian route, whose size flags the budget assumes)" >&2
