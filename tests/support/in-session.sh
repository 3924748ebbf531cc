#!/usr/bin/env bash
# Inside dbus-run-session: a new keyring home, gnome-keyring unlocked, Xvfb on a free display.
set -euo pipefail
scratch=$(mktemp -d /tmp/ulak-session.XXXXXX)
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# A fresh daemon creates the login keyring with this password and unlocks it.
eval "$(printf 'ulak-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export ULAK_TEST_KEYRING=1
# Settings lookups stay on this machine unless a test points them at its own servers.
export ULAK_AUTOCONFIG_HTTP_BASE=${ULAK_AUTOCONFIG_HTTP_BASE:-http://127.0.0.1:9}
export ULAK_AUTOCONFIG_ISPDB_URL=${ULAK_AUTOCONFIG_ISPDB_URL:-http://127.0.0.1:9/v1.1/}
export ULAK_DNS_SERVER=${ULAK_DNS_SERVER:-127.0.0.1:9}

display=""
for n in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
done
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
cleanup() {
  kill "$xvfb_pid" 2>/dev/null || true
  pkill -P $$ 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
export DISPLAY="$display"
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

"$@"
