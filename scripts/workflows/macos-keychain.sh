#!/usr/bin/env bash
# A keychain of the CI run's own on a macOS runner, so the tests' secrets never land in the
# runner's login keychain and no "unlock" prompt can hang a step:
#
#   scripts/workflows/macos-keychain.sh create   # before the tests: a new, unlocked default
#   scripts/workflows/macos-keychain.sh delete   # after them (if: always()): login is default again
#
# The usual recipe for hosted runners: create-keychain with a random password (masked in the
# log), put it first in the user's search list, make it the default (the Keychain APIs the
# app uses write to the default keychain), unlock it and set-keychain-settings without
# -t/-l so it neither times out nor locks on sleep. Not tried here: no macOS to try it on.
set -euo pipefail
KEYCHAIN="${RUNNER_TEMP:?RUNNER_TEMP is set on a runner}/cnaccess-ci.keychain-db"

case "${1:-}" in
  create)
    password=$(openssl rand -hex 24)
    echo "::add-mask::$password"
    security create-keychain -p "$password" "$KEYCHAIN"
    # The search list keeps the existing keychains after ours.
    existing=$(security list-keychains -d user | sed -e 's/^ *"//' -e 's/"$//')
    # shellcheck disable=SC2086 # one path per line, none with spaces on a runner
    security list-keychains -d user -s "$KEYCHAIN" $existing
    security default-keychain -d user -s "$KEYCHAIN"
    security unlock-keychain -p "$password" "$KEYCHAIN"
    security set-keychain-settings "$KEYCHAIN"
    echo "default keychain: $(security default-keychain -d user)"
    ;;
  delete)
    security default-keychain -d user -s login.keychain-db || true
    security delete-keychain "$KEYCHAIN" || true
    ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
