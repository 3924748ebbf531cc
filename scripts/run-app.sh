#!/usr/bin/env bash
# Builds and starts Ulak on a fresh Debian/Ubuntu machine: ./scripts/run-app.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh app
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ulak-target}
npm --prefix ui run build
cargo build -p ulak-app -p ulak-cli
exec "$CARGO_TARGET_DIR/debug/ulak-app" "$@"
