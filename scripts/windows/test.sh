#!/usr/bin/env bash
# The Windows checks, from Linux (scripts/windows/README.md):
#   1. clippy -D warnings of the whole workspace, the desktop app included, for
#      x86_64-pc-windows-gnu;
#   2. the release cnaccess.exe and cloudneeti-emulator.exe, built and linked with mingw;
#   3. the CLI's end-to-end flow on that build under Wine (crates/cli/tests/windows.rs, its
#      tests ignored in a plain `cargo test`), headless, in a Wine prefix of its own.
# Needs the Rust target (added here with rustup) and the apt packages gcc-mingw-w64-x86-64 and
# wine64 (scripts/debian-packages.txt). Where the target or those tools cannot be had, it says
# so loudly and reports 0 checks instead of failing.
#
# The last line is "Windows checks: N run, M passed (...)". Extra arguments go to clippy
# after -D warnings (for a diagnosis only: -A some::lint).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TARGET=x86_64-pc-windows-gnu

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
loud() { printf '\033[1;31m!!! %s\033[0m\n' "$*" >&2; }
skip() { loud "Windows checks NOT RUN: $*"; echo "Windows checks: 0 run (NOT RUN: $*)"; exit 0; }
elapsed() { echo "$(($(date +%s) - $1)) s"; }

if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  rustup target add "$TARGET" >&2 || skip "the Rust target $TARGET cannot be installed (rustup target add $TARGET failed)"
fi
command -v x86_64-w64-mingw32-gcc >/dev/null || skip "mingw is missing (apt package gcc-mingw-w64-x86-64)"
[ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null || command -v wine >/dev/null ||
  skip "Wine is missing (apt package wine64)"

t=$(date +%s)
say "Windows: clippy -D warnings, the whole workspace and the app, for $TARGET"
cargo clippy --workspace --all-targets --locked --target "$TARGET" -- -D warnings "$@"
say "Windows: clippy took $(elapsed "$t")"

t=$(date +%s)
say "Windows: the release cnaccess.exe and cloudneeti-emulator.exe, linked with mingw"
cargo build --release --locked --target "$TARGET" -p cloudneeti-cli -p cloudneeti-emulator
bin="${CARGO_TARGET_DIR:-$PWD/target}/$TARGET/release"
say "Windows: the release build took $(elapsed "$t")"

t=$(date +%s)
say "Windows: the CLI's end-to-end flow under Wine (headless, a Wine prefix of its own)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The same selection and features as the workspace's `cargo test`, so nothing is rebuilt.
. scripts/cargo-workspace.sh
env -u DISPLAY -u WAYLAND_DISPLAY CNACCESS_WINDOWS_BIN="$bin" \
  cargo test "${CARGO_WORKSPACE[@]}" --test windows -- --ignored 2>&1 | tee "$log" || true
say "Windows: the flow under Wine took $(elapsed "$t")"
passed=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$6} END {print s+0}')
# Worded without "N failed": dev.sh's count_cargo already counts the test result line.
echo "Windows checks: $((passed + failed)) run, $passed passed (clippy -D warnings clean for $TARGET; cnaccess.exe under Wine)"
grep -q 'test result: ok\.' "$log" && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
