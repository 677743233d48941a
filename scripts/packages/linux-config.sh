#!/usr/bin/env bash
# Prints the Tauri configuration (JSON, for `tauri build|bundle --config`) that puts `cnaccess`
# into the Linux packages as /usr/bin/cnaccess, on PATH beside the app. One place for the
# tests (scripts/packages/test.sh, debug) and the release workflow (release build).
#   scripts/packages/linux-config.sh PATH/TO/cnaccess
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ -x "${1:?the built cnaccess}" ] || { echo "linux-config.sh: no cnaccess at $1" >&2; exit 2; }
# `files` sources are relative to tauri.conf.json's folder, the repository root.
cli=$(realpath --relative-to="$PWD" "$1")
printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/cnaccess":"%s"}},"rpm":{"files":{"/usr/bin/cnaccess":"%s"}}}}}\n' "$cli" "$cli"
