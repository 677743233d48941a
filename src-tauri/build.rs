// The commands the window may call come from the one declaration of the surface
// (crates/commands/src/surface.rs, included here as text); the capability file grants
// `allow-<name>` for each, and tauri-build refuses a permission for a command not listed.
include!("../crates/commands/src/surface.rs");

macro_rules! names {
    ($( $(#[doc = $doc:literal])* $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty ; )*) => {
        &[$(stringify!($name)),*]
    };
}

const COMMANDS: &[&str] = command_surface!(names);

fn main() {
    // The capability files live under src-tauri/ while the config sits at the root, so tell
    // cargo to rebuild when they change (tauri-build does not watch a custom pattern); the
    // surface too, since the command list comes from it.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=crates/commands/src/surface.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
