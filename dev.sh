#!/usr/bin/env bash
# The two things a newcomer does, each installing what it needs first:
#   ./dev.sh run    open the desktop app (it starts on the built-in Sandbox)
#   ./dev.sh test   run every test: formatting, lints, Rust, keychain, UI, browser, end-to-end
# Other subcommands: install (only install), emulator (serve the emulated API), devhost (the
# built UI in a browser, over the real core with an in-memory keychain).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
. scripts/cargo-workspace.sh

# Each step says when it starts, counted from the run's start, so a log shows where the time
# goes (CI's 30-minute budget).
STARTED=$(date +%s)
say() {
  local t=$(($(date +%s) - STARTED))
  printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((t / 60)) $((t % 60)) "$*" >&2
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

install_system_packages() {
  local wanted missing=()
  wanted=$(grep -v '^#' scripts/debian-packages.txt | grep -v '^$')
  if ! command -v dpkg-query >/dev/null; then
    say "Not a Debian/Ubuntu system: install the equivalents of scripts/debian-packages.txt yourself (see README)."
    return
  fi
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  say "Installing system packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # Another apt (unattended upgrades, a parallel job) may hold the lock: wait for it.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_rust() {
  command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again."
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
}

check_node() {
  command -v node >/dev/null && command -v npm >/dev/null ||
    die "Node.js 20.19 or newer is missing (Debian 12's own nodejs is too old): install it from nodejs.org or your distribution's backports, then run this again."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js $(node --version) is too old: the UI's build (Vite 8) needs 20.19 or newer."
}

install_npm_packages() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing UI packages (npm ci)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

install_all() {
  install_system_packages
  check_rust
  check_node
  install_npm_packages
}

build_ui() {
  say "Building the UI"
  (cd ui && npm run --silent build >/dev/null)
}

# Counts what each runner reported so the last line says how many tests ran in all.
PASSED=0
FAILED=0
count_cargo() {
  local p f
  p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
}
# node's test runner ends with "ℹ pass N" / "ℹ fail N" (spec) or "# pass N" (tap).
count_node() {
  local p f
  p=$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^(ℹ|#) pass [0-9]+' | awk '{s+=$3} END {print s+0}')
  f=$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^(ℹ|#) fail [0-9]+' | awk '{s+=$3} END {print s+0}')
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
}
count_vitest() {
  local p
  p=$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^ +Tests ' | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  PASSED=$((PASSED + p))
}

run_tests() {
  local logs
  logs=$(mktemp -d)
  trap 'rm -rf "$logs"' RETURN
  build_ui
  say "Formatting (cargo fmt --check)"
  cargo fmt --all -- --check
  say "Lints (clippy, warnings are errors)"
  cargo clippy "${CARGO_WORKSPACE[@]}" --all-targets -- -D warnings
  say "Workflow checks (zizmor and actionlint on .github/workflows, offline)"
  scripts/workflows/lint.sh 2>&1 | tee "$logs/workflows.log"
  say "Every binary and test of the workspace, built once for every step below (the dev host and the emulator for the UI's tests, the app for the end-to-end tests)"
  cargo build -q "${CARGO_WORKSPACE[@]}" --bins --tests
  say "UI type check and unit tests"
  (cd ui && npm run --silent check)
  (cd ui && npx vitest run) 2>&1 | tee "$logs/vitest.log"
  count_vitest "$logs/vitest.log"
  say "Rust tests (keychain tests inside a private D-Bus session with gnome-keyring)"
  scripts/with-keyring.sh cargo test "${CARGO_WORKSPACE[@]}" 2>&1 | tee "$logs/cargo.log"
  count_cargo "$logs/cargo.log"
  say "UI browser tests (Debian's Chromium against the real core, through the dev host)"
  (cd ui && npm run --silent test:browser) 2>&1 | tee "$logs/browser.log"
  count_node "$logs/browser.log"
  say "End-to-end tests (the real app in a real window under Xvfb, through tauri-driver)"
  e2e/run.sh 2>&1 | tee "$logs/e2e.log"
  count_node "$logs/e2e.log"
  say "Linux packages: the .deb and .rpm built, the .deb installed, its app started to the first screen, removed"
  scripts/packages/test.sh 2>&1 | tee "$logs/packages.log"
  say "Windows (x86_64-pc-windows-gnu): clippy of the workspace and the app, cnaccess.exe and the emulator linked with mingw, the CLI's flow under Wine"
  scripts/windows/test.sh 2>&1 | tee "$logs/windows.log"
  count_cargo "$logs/windows.log"
  say "macOS (aarch64-apple-darwin): clippy of the workspace and the app (a type-check: nothing is linked)"
  scripts/macos/check.sh 2>&1 | tee "$logs/macos.log"
  local line
  line="tests: $PASSED passed, $FAILED failed"
  for log in workflows packages windows macos; do
    line="$line; $(grep -E '^[A-Za-z]+ checks: ' "$logs/$log.log" | tail -n1)"
  done
  echo "$line"
  say "Every test run"
}

case "${1:-}" in
  install) install_all ;;
  test)
    install_all
    e2e/setup.sh   # tauri-driver and the WebDriver client, for the end-to-end tests
    run_tests
    ;;
  run)
    install_all
    say "Opening Cloudneeti Access (first build takes a few minutes)"
    exec ui/node_modules/.bin/tauri dev
    ;;
  devhost)
    install_all
    build_ui
    shift
    exec cargo run -q -p cloudneeti-devhost -- --ui ui/dist "$@"
    ;;
  emulator)
    check_rust
    shift
    exec cargo run -q -p cloudneeti-emulator -- serve "$@"
    ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
