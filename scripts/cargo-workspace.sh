# Sourced by dev.sh, e2e/run.sh and scripts/windows/test.sh: the one package selection and
# feature set of every debug build, lint and test run of the workspace.
#
# Why one: cargo unifies features over the packages and targets a command selects, so
# `cargo build -p cloudneeti-devhost`, `cargo build -p cloudneeti-access` and
# `cargo test --workspace` each resolve serde, url, hyper-util, tower... differently and
# build most of the dependency tree again, and the app's `tauri/custom-protocol` (its UI
# embedded, what the e2e tests start) rebuilds Tauri once more. With the whole workspace, its
# tests and that feature in every command, CI builds each crate once (docs/performance.md,
# "CI"). The feature does not change what the Rust tests check.
CARGO_WORKSPACE=(--workspace --locked --features tauri/custom-protocol)
