#!/usr/bin/env bash
# Outbox benchmark: Ulak's enqueue and drain rates beside Postfix's smtp-source against
# the same smtp-sink on loopback, written to bench/results/outbox.json. Not part of CI.
#
# ULAK_BENCH_BEFORE=/path/to/an-older-bench-binary runs that build too, in the same
# rounds against the same sink, and writes both to bench/results/outbox-before-after.json
# (how a reshaping is shown to cost nothing). Build an older one with e.g.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo bench -p <crate> --bench outbox --no-run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ulak-target}
n=${ULAK_BENCH_MESSAGES:-10000}
port=$(( 30000 + RANDOM % 5000 ))
smtp-sink -u nobody -c 127.0.0.1:$port 1024 >/dev/null 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
sleep 0.5

# The bench binary of this checkout (release profile), built once.
now_bin=$(cargo bench -q -p ulak-api --bench outbox --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "outbox" and m.get("executable"):
        print(m["executable"])')
before_bin=${ULAK_BENCH_BEFORE:-}

# Two cores shared with the sink make single runs vary by ±20 %: several rounds, each
# smtp-source then Ulak (then the older build) against the same sink; medians reported.
rounds=${ULAK_BENCH_ROUNDS:-5}
sources=()
runs=()
befores=()
run() { ULAK_BENCH_SINK_PORT=$port ULAK_BENCH_MESSAGES=$n "$1" 2>/dev/null | tail -1; }
for _ in $(seq "$rounds"); do
  start=$(date +%s.%N)
  smtp-source -d -s 20 -m "$n" -l 2048 -f bench@test.local -t sink@test.local 127.0.0.1:$port
  end=$(date +%s.%N)
  sources+=("$(python3 -c "print(round($n / ($end - $start)))")")
  runs+=("$(run "$now_bin")")
  if [ -n "$before_bin" ]; then befores+=("$(run "$before_bin")"); fi
done
mkdir -p bench/results
summary() {
  python3 - "$1" "${sources[*]}" "${@:2}" <<'PY'
import json, statistics, sys
label = sys.argv[1]
sources = [int(x) for x in sys.argv[2].split()]
runs = [json.loads(r) for r in sys.argv[3:]]
med = lambda k: round(statistics.median(r[k] for r in runs))
u = dict(runs[0])
for k in ("enqueue_per_s", "enqueue_single_per_s", "drain_per_s", "drain_cpu_us_per_message"):
    u[k] = med(k)
u["build"] = label
u["rounds"] = len(runs)
u["drain_per_s_each"] = [r["drain_per_s"] for r in runs]
u["smtp_source_s20_per_s_each"] = sources
u["smtp_source_s20_per_s"] = round(statistics.median(sources))
u["drain_vs_smtp_source"] = round(u["drain_per_s"] / u["smtp_source_s20_per_s"], 3)
u["targets"] = {"enqueue_per_s": 5000, "drain_vs_smtp_source": 0.8}
print(json.dumps(u, indent=2))
PY
}
summary "$(git rev-parse --short HEAD)" "${runs[@]}" > bench/results/outbox.json
cat bench/results/outbox.json
if [ -n "$before_bin" ]; then
  summary "before" "${befores[@]}" > /tmp/ulak-bench-before.json
  python3 - <<'PY' > bench/results/outbox-before-after.json
import json
before = json.load(open("/tmp/ulak-bench-before.json"))
after = json.load(open("bench/results/outbox.json"))
ratio = lambda k: round(after[k] / before[k], 3)
print(json.dumps({
    "note": "same machine, same sink, same rounds: smtp-source, this build, the older build in turn",
    "before": before,
    "after": after,
    "after_vs_before": {k: ratio(k) for k in ("drain_per_s", "enqueue_per_s", "enqueue_single_per_s")},
}, indent=2))
PY
  cat bench/results/outbox-before-after.json
fi
