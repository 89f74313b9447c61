#!/usr/bin/env bash
# Wall-clock start-up and whole-job times, against `node -e 0` (the cost of starting Node at all):
#   node build/bin/netpol.js --help   (the CLI must start fast: verbs load the library lazily)
#   npm run synth                     (every example for every environment into dist/)
#   npx cdk8s synth                   (the same app through the cdk8s CLI)
#   require cdk8s-netpol              (loading the package root, as a user's cdk8s app does)
#   require cdk8s-plus-27             (loading cdk8s-plus-27, for comparison)
# Medians, with hyperfine when it is installed, else a bash loop over `date +%s%N`.
#
#   bench/startup.sh            RUNS=20 WARMUP=3 bench/startup.sh            NO_HYPERFINE=1 bench/startup.sh
#
# Runs `npm run build` first when build/ is missing or older than lib/ or bin/. Both synth commands
# rewrite dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}

# (re)build when build/bin/netpol.js is missing or older than a source file of lib/ or bin/
if [[ ! -f build/bin/netpol.js ]] || [[ -n "$(find lib bin -name '*.ts' -newer build/bin/netpol.js -print -quit)" ]]; then
  echo "build/ is missing or older than the sources; running npm run build" >&2
  if ! npm run build >/dev/null 2>&1; then
    [[ -f build/bin/netpol.js ]] || { echo "startup.sh: npm run build failed; run it to see why" >&2; exit 1; }
    echo "startup.sh: npm run build reported type errors; timing the JavaScript it emitted" >&2
  fi
fi

names=("node -e 0" "netpol --help" "npm run synth" "npx cdk8s synth" "require cdk8s-netpol" "require cdk8s-plus-27")
commands=("node -e 0" "node build/bin/netpol.js --help" "npm run synth" "npx cdk8s synth"
  "node bench/private/require.js cdk8s-netpol" "node bench/private/require.js cdk8s-plus-27")
medians=()

if [[ -z "${NO_HYPERFINE:-}" ]] && command -v hyperfine >/dev/null 2>&1; then
  tool="hyperfine $(hyperfine --version | awk '{print $2}')"
  json=$(mktemp)
  log=$(mktemp)
  trap 'rm -f "$json" "$log"' EXIT
  # hyperfine's warnings (a slow first run, outliers) go to the log, shown only if it fails
  if ! hyperfine --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" "${commands[@]}" >/dev/null 2>"$log"; then
    cat "$log" >&2
    echo "startup.sh: hyperfine failed; run the commands by hand to see why" >&2
    exit 1
  fi
  # hyperfine reports seconds; take each command's median, in command order
  mapfile -t medians < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    for (const x of r) console.log((x.median * 1000).toFixed(1));
  ' "$json")
else
  tool="bash loop (date +%s%N)"
  for cmd in "${commands[@]}"; do
    samples=()
    for ((i = 0; i < WARMUP + RUNS; i++)); do
      start=$(date +%s%N)
      if ! $cmd >/dev/null 2>&1; then
        echo "startup.sh: \"$cmd\" failed; run it by hand to see why" >&2
        exit 1
      fi
      end=$(date +%s%N)
      ((i >= WARMUP)) && samples+=($(((end - start) / 1000)))
    done
    # median of the samples (microseconds), printed in milliseconds
    medians+=("$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}')")
  done
fi

base=${medians[0]}
echo "Start-up, median of $RUNS runs after $WARMUP warm-up, $tool; $(nproc) CPUs, node $(node --version)"
printf '| %-21s | %10s | %11s | %12s |\n' "command" "median ms" "vs node -e 0" "+ms over node"
printf '|%s|%s|%s|%s|\n' "-----------------------" "-----------:" "-------------:" "--------------:"
for i in "${!names[@]}"; do
  m=${medians[$i]}
  printf '| %-21s | %10s | %11sx | %13s |\n' "${names[$i]}" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}')" \
    "$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%+.1f", a - b}')"
done

help_over=$(awk -v a="${medians[1]}" -v b="$base" 'BEGIN {printf "%.1f", a - b}')
synth_ms=${medians[2]}
verdict() { awk -v x="$1" -v lim="$2" 'BEGIN {print (x <= lim) ? "met" : "MISSED"}'; }
echo
echo "target netpol --help within 150 ms of node -e 0: +${help_over} ms, $(verdict "$help_over" 150)"
echo "target npm run synth under 2000 ms wall:          ${synth_ms} ms, $(verdict "$synth_ms" 2000)"
echo "target require cdk8s-netpol no slower than require cdk8s-plus-27: ${medians[4]} vs ${medians[5]} ms, $(verdict "${medians[4]}" "${medians[5]}")"
