#!/usr/bin/env bash
# Type-checks and lints the whole workspace, the desktop app included, for macOS on Apple
# silicon (aarch64-apple-darwin) from Linux: `cargo clippy --all-targets -- -D warnings`.
# It links nothing: a macOS runner still has to build and run the result (see
# scripts/windows/README.md, "macOS").
#
# ring's build script compiles C for the target and finds no macOS SDK here, so clang gets its
# own freestanding headers plus three stub headers written below into a temporary folder
# (TargetConditionals.h, assert.h, string.h: what ring's C includes).
#
# Prints "macOS checks: 1 run, 1 passed" (or "0 run (NOT RUN: WHY)" when the target or clang
# cannot be had) as its last line; exits non-zero only when the check ran and failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TARGET=aarch64-apple-darwin

loud() { printf '\033[1;31m!!! %s\033[0m\n' "$*" >&2; }
skip() { loud "macOS check NOT RUN: $*"; echo "macOS checks: 0 run (NOT RUN: $*)"; exit 0; }

if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  rustup target add "$TARGET" >&2 || skip "the Rust target $TARGET cannot be installed"
fi
command -v clang >/dev/null || skip "clang is missing (apt package clang)"

stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
cat >"$stubs/TargetConditionals.h" <<'H'
/* Stub for type-checking only: what ring's C asks of Apple's TargetConditionals.h. */
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_TV 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_EMBEDDED 0
H
cat >"$stubs/assert.h" <<'H'
/* Stub for type-checking only. */
#define assert(x) ((void)0)
H
cat >"$stubs/string.h" <<'H'
/* Stub for type-checking only: the string functions ring's C calls. */
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
H

export CC_aarch64_apple_darwin=clang
export CFLAGS_aarch64_apple_darwin="--target=arm64-apple-macos11 -ffreestanding -nostdinc -isystem $(clang -print-resource-dir)/include -isystem $stubs"
# Extra arguments go to clippy after -D warnings (for a diagnosis: -A some::lint).
cargo clippy --workspace --all-targets --locked --target "$TARGET" -- -D warnings "$@"
echo "macOS checks: 1 run, 1 passed (clippy -D warnings for $TARGET, app included)"
