#!/bin/sh
# Runs a command inside a private D-Bus session with a fresh, unlocked GNOME Keyring, so the
# keychain tests exercise a real Secret Service without ever touching the user's own keyring.
#
#   scripts/with-keyring.sh cargo test -p cloudneeti-core --test keychain
#
# Recipe from docs (design.md, "Real keychain in tests"); the keyring password is exported as
# CNACCESS_TEST_KEYRING_PASSWORD so tests that lock the keyring can unlock it again.
# Everything (keyring files, daemon, bus) lives in a temporary HOME that is removed on exit.
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG]..." >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is missing; install dbus and gnome-keyring (apt-get install dbus gnome-keyring libsecret-tools)" >&2
        exit 2
    fi
done

# A new HOME hides the user's keyring, but cargo and rustup find their toolchains through HOME:
# pin them to the real locations first.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

tmp_home=$(mktemp -d "${TMPDIR:-/tmp}/cnaccess-keyring.XXXXXX")
trap 'rm -rf "$tmp_home"' EXIT INT TERM
mkdir -m 700 "$tmp_home/run"
export HOME="$tmp_home"
# gnome-keyring keeps its control socket in XDG_RUNTIME_DIR: a private one stops two
# concurrent runs from talking to each other's daemon.
export XDG_RUNTIME_DIR="$tmp_home/run"
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME DBUS_SESSION_BUS_ADDRESS
export CNACCESS_TEST_KEYRING_PASSWORD=pw

# No DISPLAY on the bus: with one, a locked keyring opens an invisible prompt and callers hang.
# `--start` after `--unlock` closes a race where the first client sees no daemon yet.
status=0
env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session -- sh -c '
    eval "$(printf %s "$CNACCESS_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
    gnome-keyring-daemon --start --components=secrets >/dev/null
    "$@"' sh "$@" || status=$?
exit "$status"
