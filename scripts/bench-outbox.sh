#!/usr/bin/env bash
# Outbox benchmark: Ulak's enqueue and drain rates beside Postfix's smtp-source against
# the same smtp-sink on loopback, written to bench/results/outbox.json. Not part of CI.
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

# Two cores shared with the sink make single runs vary by ±20 %: three rounds, each
# smtp-source then Ulak against the same sink, and the medians reported.
rounds=${ULAK_BENCH_ROUNDS:-3}
cargo bench -q -p ulak-mail --bench outbox --no-run 2>/dev/null
sources=()
runs=()
for _ in $(seq "$rounds"); do
  start=$(date +%s.%N)
  smtp-source -d -s 20 -m "$n" -l 2048 -f bench@test.local -t sink@test.local 127.0.0.1:$port
  end=$(date +%s.%N)
  sources+=("$(python3 -c "print(round($n / ($end - $start)))")")
  runs+=("$(ULAK_BENCH_SINK_PORT=$port ULAK_BENCH_MESSAGES=$n cargo bench -q -p ulak-mail --bench outbox 2>/dev/null | tail -1)")
done
mkdir -p bench/results
python3 - "${sources[*]}" "${runs[@]}" <<'PY' > bench/results/outbox.json
import json, statistics, sys
sources = [int(x) for x in sys.argv[1].split()]
runs = [json.loads(r) for r in sys.argv[2:]]
med = lambda k: round(statistics.median(r[k] for r in runs))
u = dict(runs[0])
for k in ("enqueue_per_s", "enqueue_single_per_s", "drain_per_s", "drain_cpu_us_per_message"):
    u[k] = med(k)
u["rounds"] = len(runs)
u["drain_per_s_each"] = [r["drain_per_s"] for r in runs]
u["smtp_source_s20_per_s_each"] = sources
u["smtp_source_s20_per_s"] = round(statistics.median(sources))
u["drain_vs_smtp_source"] = round(u["drain_per_s"] / u["smtp_source_s20_per_s"], 3)
u["targets"] = {"enqueue_per_s": 5000, "drain_vs_smtp_source": 0.8}
print(json.dumps(u, indent=2))
PY
cat bench/results/outbox.json
