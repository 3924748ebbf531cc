#!/usr/bin/env bash
# Runs every check and test on a fresh Debian/Ubuntu machine: ./scripts/test.sh
# Lints, Rust unit and integration tests (real Secret Service), UI checks and tests,
# and the end-to-end tests of the real window under Xvfb through tauri-driver.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
step() { printf '\n==> [%ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

step bootstrap
bash scripts/bootstrap.sh test
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/ulak-target}
export CARGO_TERM_COLOR=never

# The shared target dir grows with every run (incremental caches): past 30 GB those
# caches go, so that repeated runs never fill the disk.
if [ -d "$CARGO_TARGET_DIR/debug/incremental" ] && [ "$(du -sm "$CARGO_TARGET_DIR" | cut -f1)" -gt 30000 ]; then
  step "target dir over 30 GB: its incremental caches removed"
  rm -rf "$CARGO_TARGET_DIR/debug/incremental"
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "ui: typecheck, lint, unit tests, build"
(cd ui && npm run --silent check && npm run --silent lint && npm test --silent && npm run --silent build)

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo build (app + cli)"
cargo build --workspace --all-targets

step "test mail server (Postfix + Dovecot on loopback)"
mail_dir=$(mktemp -d /tmp/ulak-mail.XXXXXX)
trap 'bash tests/servers/mailserver.sh stop "$mail_dir"; rm -rf "$mail_dir"' EXIT
bash tests/servers/mailserver.sh start "$mail_dir" "$(( 20000 + RANDOM % 20000 ))"
set -a; . "$mail_dir/env"; set +a

step "cargo test (inside a D-Bus session with gnome-keyring)"
bash tests/support/session.sh cargo test --workspace

step "end-to-end: the real window through tauri-driver"
ULAK_APP_BIN="$CARGO_TARGET_DIR/debug/ulak-app" ULAK_CLI_BIN="$CARGO_TARGET_DIR/debug/ulak" \
  ULAK_DESKTOP_BUS_BIN="$CARGO_TARGET_DIR/debug/ulak-desktop-bus" \
  bash tests/support/session.sh node --test --test-concurrency=1 tests/e2e/

step "all green"
