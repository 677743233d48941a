#!/usr/bin/env bash
# The Rust toolchain on a CI runner, with rustup and nothing else (no third-party action):
#
#   scripts/workflows/rust-toolchain.sh [--component NAME]... [--target TRIPLE]...
#
# GitHub's hosted runners (ubuntu, macos, windows) come with rustup; a bare container (the
# Linux tests' debian:12) gets it from rustup.rs, the installer rustup's own site serves.
# Installs the latest stable with the minimal profile plus what is asked, makes it the
# default and puts cargo on the PATH of later steps ($GITHUB_PATH).
set -euo pipefail
components=()
targets=()
while [ "$#" -gt 0 ]; do
  case $1 in
    --component) components+=("$2"); shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--component NAME]... [--target TRIPLE]..." >&2; exit 2 ;;
  esac
done

if ! command -v rustup >/dev/null 2>&1; then
  # Only in a bare Linux container: the hosted images have rustup on the PATH already.
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if [ ! -x "$cargo_bin/rustup" ]; then
    echo "rustup is missing: installing it from https://sh.rustup.rs" >&2
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
      sh -s -- -y --no-modify-path --profile minimal --default-toolchain none
  fi
  export PATH="$cargo_bin:$PATH"
  [ -z "${GITHUB_PATH:-}" ] || echo "$cargo_bin" >>"$GITHUB_PATH"
fi

args=(toolchain install stable --profile minimal --no-self-update)
for c in ${components[@]+"${components[@]}"}; do args+=(--component "$c"); done
for t in ${targets[@]+"${targets[@]}"}; do args+=(--target "$t"); done
rustup "${args[@]}"
rustup default stable
rustc --version
cargo --version
