#!/usr/bin/env bash
# Accounts benchmark (issue 17): the forward view of 100,000 queued messages over 50
# accounts with limits (target ≤ 1 s), and what choosing the accounts costs one claim
# with 5, 25 and 50 limited accounts; written to bench/results/accounts.json. Not part
# of CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ulak-target}
mkdir -p bench/results
out=$(cargo bench -q -p ulak-api --bench accounts 2>/dev/null | tail -1)
python3 - "$out" <<'PY'
import json, sys, platform, os
r = json.loads(sys.argv[1])
r["machine"] = {"cpus": os.cpu_count(), "system": platform.platform()}
open("bench/results/accounts.json", "w").write(json.dumps(r, indent=2) + "\n")
print(json.dumps(r, indent=2))
PY
