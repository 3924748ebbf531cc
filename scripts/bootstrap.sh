#!/usr/bin/env bash
# Installs what Ulak needs on Debian/Ubuntu and is safe to run again: system packages
# (apt, with sudo when not root), the UI's npm packages, and for tests tauri-driver.
# Usage: scripts/bootstrap.sh app|test
set -euo pipefail
mode=${1:-app}
root=$(cd "$(dirname "$0")/.." && pwd)

app_pkgs=(build-essential pkg-config curl file libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev xdg-utils)
test_pkgs=(xvfb webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools postfix dovecot-core openssl dnsmasq-base python3 tzdata)

pkgs=("${app_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  # Postfix asks how to configure the system's mail service; we never use it (tests run
  # private instances), so answer "No configuration" up front.
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo_cmd[@]}" debconf-set-selections
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "==> Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "    Install it from https://nodejs.org or your distribution (e.g. NodeSource), then run this again." >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f "$root/ui/node_modules/.package-lock.json" ] ||
   [ "$root/ui/package-lock.json" -nt "$root/ui/node_modules/.package-lock.json" ]; then
  echo "==> npm ci (ui)"
  (cd "$root/ui" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0 --quiet
fi
