#!/usr/bin/env bash
# The Rust tests on a CI runner (.github/workflows/ci.yml), `cargo test --workspace --locked`
# on each system with that system's keychain:
#   Linux          everything, the keychain tests in a private Secret Service
#                  (scripts/with-keyring.sh; ./dev.sh test does the same);
#   macOS, Windows every test target but LINUX_ONLY below, the unit tests and the doc tests.
# The test targets in LINUX_ONLY refuse on purpose to run outside scripts/with-keyring.sh
# (cloudneeti_testkit::require_private_keyring: they store secrets in a real keychain and
# read them back with libsecret's secret-tool) or need a Linux mount namespace (atomic: a
# tmpfs through unshare). On macOS and Windows the real keychain is exercised by
# scripts/workflows/cli-smoke.sh instead. Every other test target runs, new ones included: the
# list is of targets left out, so a new test file is never skipped silently.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ "$(uname -s)" = Linux ]; then
  exec scripts/with-keyring.sh cargo test --workspace --locked "$@"
fi

# package:test-target
LINUX_ONLY="cloudneeti-core:access cloudneeti-cli:analyst cloudneeti-cli:atomic"

# The workspace's test targets from cargo metadata (no build), minus LINUX_ONLY; fails when a
# name in LINUX_ONLY no longer exists (a stale list) or when a kept target shares its name
# with a left-out one (cargo's --test selects by name across the workspace).
kept=$(cargo metadata --no-deps --format-version 1 --locked | LINUX_ONLY="$LINUX_ONLY" node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const left = new Set(process.env.LINUX_ONLY.split(/\s+/).filter(Boolean));
    const all = JSON.parse(s).packages.flatMap((p) =>
      p.targets.filter((t) => t.kind.includes("test")).map((t) => ({ id: `${p.name}:${t.name}`, name: t.name })));
    const missing = [...left].filter((id) => !all.some((t) => t.id === id));
    if (missing.length) { console.error(`cargo-test.sh: LINUX_ONLY names no such test target: ${missing.join(" ")}`); process.exit(1); }
    const leftNames = new Set(all.filter((t) => left.has(t.id)).map((t) => t.name));
    const kept = all.filter((t) => !left.has(t.id));
    const clash = kept.filter((t) => leftNames.has(t.name));
    if (clash.length) { console.error(`cargo-test.sh: test targets share a name with a left-out one: ${clash.map((t) => t.id).join(" ")}`); process.exit(1); }
    console.log(kept.map((t) => t.name).join("\n"));
  });
')
args=()
for t in $kept; do args+=(--test "$t"); done
echo "Rust tests on $(uname -s): all but $LINUX_ONLY (Linux only: private Secret Service / mount namespace)" >&2
cargo test --workspace --locked --lib --bins --examples "${args[@]}" "$@"
cargo test --workspace --locked --doc "$@"
