#!/usr/bin/env bash
# End-to-end tests of the real desktop app in a real window:
#
#   e2e/run.sh                      build if needed, run every e2e/tests/*.test.mjs
#   e2e/run.sh e2e/tests/smoke.test.mjs      only these files
#   E2E_SKIP_BUILD=1 e2e/run.sh     use the binaries already built
#   E2E_APP=/abs/path e2e/run.sh    test another binary (e.g. target/release/cloudneeti-access)
#
# What it does: installs tauri-driver and the WebDriver client (e2e/setup.sh), builds the UI
# and a debug app binary with the UI embedded (--features tauri/custom-protocol) plus the
# emulator into the shared target dir, as every other step of ./dev.sh test builds them
# (scripts/cargo-workspace.sh; target/debug/cloudneeti-access is then the embedded-UI build
# until the next plain cargo build), then runs `node --test` under Xvfb inside a private D-Bus
# session with an unlocked gnome-keyring (scripts/with-keyring.sh). Each test starts its own
# tauri-driver (the app inherits tauri-driver's environment, which is how each test gets its
# own HOME, CNACCESS_CONFIG_DIR and CNACCESS_KEYCHAIN_SERVICE) and stops it. Whatever is left
# when node exits is killed and reported as a failure. Exit status: node's, or 1 on leftovers.
# Logs: e2e/artifacts/<test>/; screenshots: docs/screenshots/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

e2e/setup.sh

# The shared target dir: a target dir of its own would cost CI a second cold build of
# everything.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  [ -d ui/node_modules ] || (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  # The UI is rebuilt when any of its sources is newer than the last build.
  if [ ! -f ui/dist/index.html ] ||
    [ -n "$(find ui/src ui/index.html ui/package.json ui/vite.config.ts ui/svelte.config.js -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then
    say "Building the UI (npm --prefix ui run build)"
    npm --prefix ui run --silent build >/dev/null
  fi
  say "Building the app with the UI embedded and the emulator (debug)"
  # The same command as dev.sh's build (tests included): after it, nothing here rebuilds.
  . scripts/cargo-workspace.sh
  cargo build --quiet "${CARGO_WORKSPACE[@]}" --bins --tests
fi
export E2E_APP="${E2E_APP:-$CARGO_TARGET_DIR/debug/cloudneeti-access}"
export E2E_EMULATOR="${E2E_EMULATOR:-$CARGO_TARGET_DIR/debug/cloudneeti-emulator}"
export TAURI_DRIVER="${TAURI_DRIVER:-${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver}"
[ -x "$E2E_APP" ] || { echo "e2e/run.sh: no app binary at $E2E_APP" >&2; exit 2; }

if [ "$#" -eq 0 ]; then set -- e2e/tests/; fi
rm -rf e2e/artifacts
mkdir -p e2e/artifacts

say "Running the end-to-end tests under Xvfb with a private keyring"
# The inner shell runs node with a marker in its environment, which every process the tests
# start inherits (tauri-driver, WebKitWebDriver, the app, WebKit's processes, the emulator);
# whatever still carries it after node exits was left behind: it is listed, killed, and fails
# the run. (Daemons of the session, such as at-spi started by D-Bus activation, do not carry it.)
status=0
scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x1024x24" sh -c '
  run_id="e2e-$$-$(date +%s%N)"
  E2E_RUN_ID=$run_id node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "$@"
  status=$?
  sleep 0.5
  left=$(grep -lsz "^E2E_RUN_ID=$run_id\$" /proc/[0-9]*/environ | cut -d/ -f3)
  if [ -n "$left" ]; then
    echo "e2e/run.sh: processes left running, killed:" >&2
    for p in $left; do printf "  %s %s\n" "$p" "$(tr "\0" " " </proc/$p/cmdline 2>/dev/null)" >&2; done
    kill -9 $left 2>/dev/null || true
    [ "$status" -ne 0 ] || status=1
  fi
  exit $status
' sh "$@" || status=$?
exit "$status"
