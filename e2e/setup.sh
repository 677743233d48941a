#!/usr/bin/env bash
# Installs what the end-to-end tests need, only what is missing (safe to run again):
#   - tauri-driver 2.x (cargo install; the registry's newest is a 3.0 alpha, so pin ^2)
#   - the WebDriver client (npm ci in e2e/, selenium-webdriver pinned in package-lock.json)
# System packages (webkit2gtk-driver, xvfb, xauth, xclip, dbus, gnome-keyring) come from
# scripts/debian-packages.txt through ./dev.sh install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! { [ -x "$CARGO_BIN/tauri-driver" ] && "$CARGO_BIN/tauri-driver" --help >/dev/null 2>&1; }; then
  say "Installing tauri-driver 2 (cargo install, about a minute)"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing e2e packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

for tool in WebKitWebDriver xvfb-run xclip dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "e2e/setup.sh: $tool is missing: run ./dev.sh install (it installs scripts/debian-packages.txt)" >&2
    exit 2
  }
done
