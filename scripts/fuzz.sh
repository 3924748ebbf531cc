#!/usr/bin/env bash
# Fuzzes the autoconfig XML parser and the SMTP settings validator (cargo fuzz, libFuzzer).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60). Not part of CI: run it by hand.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-60}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# cargo fuzz needs nightly flags; the stable toolchain accepts them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
for t in autoconfig_xml server_settings; do
  cargo fuzz run "$t" -- -max_total_time="$secs"
done
