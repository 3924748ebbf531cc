#!/usr/bin/env bash
# SMS benchmark: 1,000 SMS (ULAK_BENCH_MESSAGES) queued through a Twilio integration and
# drained to the Twilio-shaped server on loopback; messages/s, peak memory and how many
# the server saw go to bench/results/sms.json. Not part of CI.
# ULAK_BENCH_RATE sets the integration's pace (messages a second, default 1000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ulak-target}
mkdir -p bench/results
out=$(cargo bench -q -p ulak-api --bench sms 2>/dev/null | tail -1)
python3 - "$out" <<'PY'
import json, platform, os, sys, datetime
r = json.loads(sys.argv[1])
r["machine"] = {"cpus": os.cpu_count(), "kernel": platform.release()}
r["date"] = datetime.date.today().isoformat()
open("bench/results/sms.json", "w").write(json.dumps(r, indent=2) + "\n")
print(json.dumps(r, indent=2))
PY
