#!/usr/bin/env bash
# The built cnaccess against this system's real keychain (macOS Keychain, Windows Credential
# Manager, Secret Service) and its built-in Sandbox emulator, for CI runners:
#
#   scripts/workflows/cli-smoke.sh PATH/TO/cnaccess[.exe]
#
# sandbox stores the emulator's public demo key and secret in the keychain, doctor reads them
# back and gets a fresh token with them (every link checked), token gets one more (not
# printed), then profile remove and key remove delete both entries again. Settings go to a
# temporary folder and the entries to a keychain service of this run alone
# (CNACCESS_CONFIG_DIR, CNACCESS_KEYCHAIN_SERVICE), so nothing of a user's is touched. On
# Linux run it inside scripts/with-keyring.sh (a private Secret Service).
set -euo pipefail
[ "$#" -eq 1 ] || { echo "usage: $0 PATH/TO/cnaccess" >&2; exit 2; }
bin=$1
[ -x "$bin" ] || { echo "cli-smoke.sh: no executable at $bin" >&2; exit 2; }

config=$(mktemp -d)
# Git Bash on Windows: the native cnaccess.exe gets the folder as a Windows path.
if command -v cygpath >/dev/null 2>&1; then
  export CNACCESS_CONFIG_DIR="$(cygpath -w "$config")"
else
  export CNACCESS_CONFIG_DIR="$config"
fi
export CNACCESS_KEYCHAIN_SERVICE="cnaccess-ci-smoke-${GITHUB_RUN_ID:-local}-$$"
export NO_COLOR=1
unset CLOUDNEETI_API_KEY CLOUDNEETI_APP_SECRET
cleanup() {
  "$bin" profile remove sandbox >/dev/null 2>&1 || true
  "$bin" key remove sandbox-demo >/dev/null 2>&1 || true
  rm -rf "$config"
}
trap cleanup EXIT

step() { printf '==> cnaccess %s\n' "$*" >&2; }
step --version
"$bin" --version
step sandbox
"$bin" sandbox
step doctor sandbox
"$bin" doctor sandbox
step "token sandbox (not printed)"
token=$("$bin" token sandbox)
[ -n "$token" ] || { echo "cli-smoke.sh: empty token" >&2; exit 1; }
step profile remove sandbox
"$bin" profile remove sandbox
step key remove sandbox-demo
"$bin" key remove sandbox-demo
if "$bin" doctor sandbox >/dev/null 2>&1; then
  echo "cli-smoke.sh: the sandbox profile is still there after profile remove" >&2
  exit 1
fi
echo "CLI smoke: sandbox, doctor, token, remove passed ($(uname -s), keychain service $CNACCESS_KEYCHAIN_SERVICE)"
