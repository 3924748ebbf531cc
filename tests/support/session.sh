#!/usr/bin/env bash
# Runs a command in a private D-Bus session with a fresh, unlocked gnome-keyring
# (the real Secret Service) and its own Xvfb display. Usage: session.sh CMD [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec dbus-run-session -- bash "$here/in-session.sh" "$@"
