#!/usr/bin/env bash
# The Linux packages, built and tried as a user would (issue 12):
#   1. the .deb and the .rpm of the app, by the Tauri CLI (`tauri bundle`), from the app the
#      end-to-end tests just built (debug, the UI embedded): packaging is what is under test
#      here, and a release build would cost CI a second build of everything (the release
#      workflow, .github/workflows/release.yml, bundles the release build);
#   2. both checked for what a user gets: the app and `cnaccess` in /usr/bin, the desktop
#      entry (desktop-file-validate clean), the icons;
#   3. the .deb installed with apt on this machine, the installed app started under Xvfb to
#      its first screen (e2e/tests/smoke.test.mjs with E2E_APP=/usr/bin/cloudneeti-access),
#      `cnaccess --version` from PATH, then the package removed (purged) and nothing of it
#      left behind.
# Runs as root (CI) or with sudo. Last line: "Package checks: N run, M passed".
# Needs: the app built by e2e/run.sh, target/debug/cnaccess, the apt packages rpm and
# desktop-file-utils (scripts/debian-packages.txt).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
RUN=0
PASSED=0
# check NAME COMMAND...: one check, counted; its failure is reported and fails the script at
# the end (every check still runs, so one run shows everything that is wrong).
check() {
  local name=$1
  shift
  RUN=$((RUN + 1))
  if "$@"; then
    PASSED=$((PASSED + 1))
    echo "ok - $name"
  else
    echo "FAILED - $name" >&2
  fi
}
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

app="$TARGET_DIR/debug/cloudneeti-access"
cli="$TARGET_DIR/debug/cnaccess"
[ -x "$app" ] || { echo "scripts/packages/test.sh: no app at $app (run e2e/run.sh first)" >&2; exit 2; }
[ -x "$cli" ] || cargo build --quiet --locked -p cloudneeti-cli --bin cnaccess

# The CLI goes into the app's packages, on PATH, so an analyst who installs the app has
# `cnaccess` too.
config=$(scripts/packages/linux-config.sh "$cli")
say "Bundling the .deb and the .rpm (tauri bundle --debug)"
t=$(date +%s)
rm -rf "$TARGET_DIR/debug/bundle/deb" "$TARGET_DIR/debug/bundle/rpm"
CARGO_TARGET_DIR="$TARGET_DIR" ui/node_modules/.bin/tauri bundle --debug --ci --bundles deb,rpm --config "$config" >&2
say "Bundling took $(($(date +%s) - t)) s"
deb=$(ls "$TARGET_DIR"/debug/bundle/deb/*.deb)
rpm=$(ls "$TARGET_DIR"/debug/bundle/rpm/*.rpm)
ls -la "$deb" "$rpm" >&2

desktop="usr/share/applications/Cloudneeti Access.desktop"
expected=(usr/bin/cloudneeti-access usr/bin/cnaccess "$desktop"
  usr/share/icons/hicolor/32x32/apps/cloudneeti-access.png
  usr/share/icons/hicolor/128x128/apps/cloudneeti-access.png)
has_all() { # has_all LISTING: every expected path is in the listing
  local missing=0 p
  for p in "${expected[@]}"; do
    grep -qxF "$p" <<<"$1" || { echo "  missing: /$p" >&2; missing=1; }
  done
  return $missing
}
deb_files=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./||')
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null | sed 's|^/||')
check "the .deb holds the app, cnaccess, the desktop entry and the icons" has_all "$deb_files"
check "the .rpm holds the app, cnaccess, the desktop entry and the icons" has_all "$rpm_files"
check "the .deb names its package, version and WebKitGTK dependency" \
  bash -c 'f=$(dpkg-deb -f "$1" Package Version Depends); grep -qx "Package: cloudneeti-access" <<<"$f" && grep -q "^Version: 0\." <<<"$f" && grep -q "libwebkit2gtk-4.1-0" <<<"$f"' sh "$deb"
check "the .rpm names its package and version" \
  bash -c '[ "$(rpm -qp --qf "%{NAME} %{VERSION}" "$1" 2>/dev/null)" = "cloudneeti-access 0.1.0" ]' sh "$rpm"

say "Installing the .deb (apt), starting the installed app, removing it"
# A package of that name left by an earlier try would hide what this one installs.
"${sudo[@]}" dpkg --purge cloudneeti-access >/dev/null 2>&1 || true
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
check "the installed desktop entry is valid and starts the installed app" \
  bash -c 'desktop-file-validate "/$1" && grep -qx "Exec=cloudneeti-access" "/$1" && grep -qx "Icon=cloudneeti-access" "/$1"' sh "$desktop"
check "cnaccess is on PATH and runs" bash -c '[ "$(command -v cnaccess)" = /usr/bin/cnaccess ] && cnaccess --version | grep -q "^cnaccess "'
check "the installed app opens its first screen under Xvfb (e2e smoke test)" \
  env E2E_SKIP_BUILD=1 E2E_APP=/usr/bin/cloudneeti-access e2e/run.sh e2e/tests/smoke.test.mjs
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq cloudneeti-access >/dev/null
check "the package is removed and none of its files are left" \
  bash -c '! dpkg-query -W cloudneeti-access >/dev/null 2>&1 && for p in "$@"; do [ ! -e "/$p" ] || { echo "  left: /$p" >&2; exit 1; }; done' sh "${expected[@]}"

echo "Package checks: $RUN run, $PASSED passed (.deb and .rpm built; the .deb installed, started and removed)"
[ "$PASSED" -eq "$RUN" ]
