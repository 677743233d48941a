#!/usr/bin/env bash
# The desktop app side by side with a bare Tauri window (bench/bare-window), both built here in
# the same run with the same release profile: start time to the first interactive screen, memory
# (PSS) after settling, release binary and .deb sizes. See docs/performance.md, "Desktop app".
#
#   bench/app-startup.sh [runs]          build both (release), measure, print a markdown report
#   bench/app-startup.sh [runs] --write  ... and replace the figures in docs/performance.md
#   BENCH_SKIP_BUILD=1 bench/app-startup.sh   measure the binaries already in target/bench
#   BENCH_SETTLE=8 (seconds before PSS is read)
#
# Both apps are started the same way: through tauri-driver + WebKitWebDriver (the e2e harness,
# e2e/lib/app.mjs), under Xvfb, inside a private D-Bus session with gnome-keyring, each run with
# a fresh HOME and config folder. Runs alternate app / bare window; the first pair is a warm-up
# and is not counted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
runs=${1:-7}
write=0
[ "${2:-}" = --write ] || [ "${1:-}" = --write ] && write=1
[ "${1:-}" = --write ] && runs=7

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

e2e/setup.sh
export CARGO_TARGET_DIR="$ROOT/target/bench"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  [ -d ui/node_modules ] || (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  say "Building the app: tauri build --bundles deb (release, target/bench)"
  t0=$(date +%s)
  ui/node_modules/.bin/tauri build --bundles deb >"$out/app-build.log" 2>&1 || { tail -30 "$out/app-build.log"; exit 1; }
  t1=$(date +%s)
  say "Building the bare window (release, same profile, target/bench)"
  cargo build --quiet --release --features tauri/custom-protocol --manifest-path bench/bare-window/Cargo.toml
  t2=$(date +%s)
  echo "{\"appBuildSeconds\": $((t1 - t0)), \"bareBuildSeconds\": $((t2 - t1))}" >"$out/build.json"
else
  echo '{}' >"$out/build.json"
fi

export BENCH_APP="$CARGO_TARGET_DIR/release/cloudneeti-access"
export BENCH_BARE="$CARGO_TARGET_DIR/release/bare-window"
deb=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
export BENCH_DEB="$deb"
export BENCH_BUILD_JSON="$out/build.json"
BENCH_WEBKIT=$(pkg-config --modversion webkit2gtk-4.1 2>/dev/null || dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || true)
export BENCH_WEBKIT
for b in "$BENCH_APP" "$BENCH_BARE"; do [ -x "$b" ] || { echo "missing $b" >&2; exit 2; }; done

say "Measuring ($runs runs each, alternating) under Xvfb with a private keyring"
BENCH_REPORT="$out/report.md" scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x1024x24" \
  node bench/app-startup.mjs "$runs"
cat "$out/report.md"

if [ "$write" = 1 ]; then
  python3 - "$out/report.md" docs/performance.md <<'EOF'
import sys, re
report = open(sys.argv[1]).read().strip()
path = sys.argv[2]
doc = open(path).read()
begin, end = "<!-- bench/app-startup.sh:begin -->", "<!-- bench/app-startup.sh:end -->"
block = f"{begin}\n{report}\n{end}"
if begin in doc:
    doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: block, doc, flags=re.S)
else:
    doc = doc.rstrip() + "\n\n## Desktop app\n\n" + block + "\n"
open(path, "w").write(doc)
EOF
  say "docs/performance.md updated"
fi
