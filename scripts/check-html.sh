#!/usr/bin/env bash
# Renders the HTML diagram of the prod examples and opens it in headless Chromium: takes a
# screenshot to look at, and checks from the rendered DOM that the page shows the drawing (an
# <svg> with nodes and edges) and the reachability matrix. Not part of `npm test`.
#
#   scripts/check-html.sh [OUTDIR]     (default OUTDIR: .scratch/check-html)
#
# OUTDIR receives the synthesized manifests (dist/prod), the page (prod.html), the screenshot
# (prod.png) and the DOM as Chromium rendered it (prod.dom.html).
# The HTML is rendered without network access where the system allows it (unshare -n), which
# shows that the WebAssembly Graphviz needs nothing from outside. Chromium is Debian's
# `chromium` package; when it is missing it is installed if this runs as root with apt-get,
# otherwise the check is skipped (exit 0).
set -euo pipefail

cd "$(dirname "$0")/.."
given="${1:-.scratch/check-html}"
mkdir -p "$given"
out="$(cd "$given" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get > /dev/null; then
    echo "installing chromium with apt-get" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) > "$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
    browser="$(command -v chromium)"
  else
    echo "skipped: chromium not installed (install Debian's chromium package, or run as root with apt-get)"
    exit 0
  fi
fi

echo "synthesizing the prod examples" >&2
CDK8S_OUTDIR="$given/dist" node --import tsx bin/netpol.ts synth examples/index.ts examples/environments/prod.yaml > /dev/null

render=(node --import tsx bin/netpol.ts diagram --policies "$given/dist/prod" --output "$out/prod.html")
if unshare -n true 2> /dev/null; then
  echo "rendering $out/prod.html without network access" >&2
  unshare -n "${render[@]}"
else
  echo "rendering $out/prod.html (unshare -n is not available here: network access not cut)" >&2
  "${render[@]}"
fi
if grep -Eo 'https?://[^"'"'"' <>)]+' "$out/prod.html" | grep -Ev '^http://www\.w3\.org/(2000/svg|1999/xlink)$' > "$work/urls"; then
  echo "FAIL: the page refers to outside addresses:" >&2
  cat "$work/urls" >&2
  exit 1
fi

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --user-data-dir="$work/profile")
url="file://$out/prod.html"
"$browser" "${flags[@]}" --screenshot="$out/prod.png" --window-size=1400,1000 "$url" > "$work/shot.log" 2>&1 || { cat "$work/shot.log" >&2; exit 1; }
"$browser" "${flags[@]}" --dump-dom "$url" > "$out/prod.dom.html" 2> "$work/dom.log" || { cat "$work/dom.log" >&2; exit 1; }

fail=0
check() { # check <what> <count> <at least>
  if (( $2 < $3 )); then echo "FAIL: $1: found $2, expected at least $3" >&2; fail=1; else echo "ok: $1: $2"; fi
}
dom="$out/prod.dom.html"
check "svg drawings" "$(grep -o '<svg ' "$dom" | wc -l)" 1
check "drawn nodes" "$(grep -o 'class="node"' "$dom" | wc -l)" 10
check "drawn edges" "$(grep -o 'class="edge"' "$dom" | wc -l)" 10
check "namespace boxes" "$(grep -o 'class="cluster"' "$dom" | wc -l)" 5
check "matrix tables" "$(grep -o '<table class="matrix">' "$dom" | wc -l)" 1
check "matrix cells with connections" "$(grep -o '<td class="cell ' "$dom" | wc -l)" 10
check "the shop's backend in the drawing" "$(grep -o '>backend</text>' "$dom" | wc -l)" 1
check "the orders database in the drawing" "$(grep -o '>10.20.0.0/24</text>' "$dom" | wc -l)" 1
if [[ ! -s "$out/prod.png" ]]; then echo "FAIL: no screenshot was written" >&2; fail=1; else echo "ok: screenshot $out/prod.png ($(wc -c < "$out/prod.png") bytes)"; fi
if (( fail )); then exit 1; fi
echo "check-html: passed; look at $out/prod.png"
