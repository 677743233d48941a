//! `cnaccess`: the command-line face of Cloudneeti Access (see crates/cli/README.md).

fn main() {
    println!("cnaccess {}", env!("CARGO_PKG_VERSION"));
}
