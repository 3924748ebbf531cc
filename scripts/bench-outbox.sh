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

start=$(date +%s.%N)
smtp-source -d -s 20 -m "$n" -l 2048 -f bench@test.local -t sink@test.local 127.0.0.1:$port
end=$(date +%s.%N)
source_rate=$(python3 -c "print(round($n / ($end - $start)))")

ulak=$(ULAK_BENCH_SINK_PORT=$port ULAK_BENCH_MESSAGES=$n cargo bench -q -p ulak-mail --bench outbox 2>/dev/null | tail -1)
mkdir -p bench/results
python3 - "$ulak" "$source_rate" <<'PY' > bench/results/outbox.json
import json, sys
u = json.loads(sys.argv[1]); src = int(sys.argv[2])
u["smtp_source_s20_per_s"] = src
u["drain_vs_smtp_source"] = round(u["drain_per_s"] / src, 3)
u["targets"] = {"enqueue_per_s": 5000, "drain_vs_smtp_source": 0.8}
print(json.dumps(u, indent=2))
PY
cat bench/results/outbox.json
