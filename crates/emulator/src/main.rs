//! `cloudneeti-emulator`: run the local Cloudneeti API, or print its default seed.

use clap::{Parser, Subcommand};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use cloudneeti_emulator::seed::TokenFormat;
use cloudneeti_emulator::{Emulator, Options, Seed};

#[derive(Parser)]
#[command(
    name = "cloudneeti-emulator",
    version,
    about = "A local emulator of the Cloudneeti API (see docs/emulator.md)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the emulated API; prints the base URL as the first line of stdout.
    Serve {
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Address to listen on. Loopback only unless --allow-non-loopback.
        #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
        bind: IpAddr,
        /// Allow a non-loopback --bind (exposes the control surface to the network).
        #[arg(long)]
        allow_non_loopback: bool,
        /// Seed file (JSON); the built-in demo seed when absent.
        #[arg(long)]
        seed: Option<PathBuf>,
        /// Serve HTTPS with a certificate made at start.
        #[arg(long)]
        tls: bool,
        /// Where to write the CA certificate (PEM) a client must trust in --tls mode.
        #[arg(long, requires = "tls")]
        ca_out: Option<PathBuf>,
        /// Override the seed's token format.
        #[arg(long, value_enum)]
        token_format: Option<Format>,
    },
    /// Print the built-in demo seed (public demo credentials) as JSON.
    Seed,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Jwt,
    Opaque,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Seed => {
            let text =
                serde_json::to_string_pretty(&Seed::demo()).expect("the demo seed serialises");
            println!("{text}");
            ExitCode::SUCCESS
        }
        Command::Serve { port, bind, allow_non_loopback, seed, tls, ca_out, token_format } => {
            let mut seed =
                match seed.map(|p| Seed::from_file(&p)).unwrap_or_else(|| Ok(Seed::demo())) {
                    Ok(seed) => seed,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                };
            if let Some(format) = token_format {
                seed.settings.token_format = match format {
                    Format::Jwt => TokenFormat::Jwt,
                    Format::Opaque => TokenFormat::Opaque,
                };
            }
            let options =
                Options { seed, addr: SocketAddr::new(bind, port), tls, allow_non_loopback };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime starts");
            runtime.block_on(serve(options, ca_out))
        }
    }
}

async fn serve(options: Options, ca_out: Option<PathBuf>) -> ExitCode {
    let emulator = match Emulator::start(options).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // Listen for SIGTERM / Ctrl-C before announcing the URL: a script may stop us as soon as
    // it has read it, and a signal arriving before the handler exists kills us uncleanly.
    let stop = stop_signal();
    // The URL goes first and alone on stdout so scripts can read it with `head -n1`.
    println!("{}", emulator.url());
    if let Some(pem) = emulator.ca_pem() {
        let path = ca_out.unwrap_or_else(|| {
            std::env::temp_dir()
                .join(format!("cloudneeti-emulator-{}-ca.pem", emulator.addr().port()))
        });
        if let Err(e) = std::fs::write(&path, pem) {
            eprintln!("error: could not write the CA certificate to {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("ca-cert: {}", path.display());
    }
    let _ = std::io::stdout().flush();
    eprintln!("cloudneeti-emulator listening on {} (Ctrl-C to stop); demo credentials: `cloudneeti-emulator seed`", emulator.url());
    stop.await;
    eprintln!("cloudneeti-emulator stopping");
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// Installs the stop-signal handlers now; the returned future completes on the first signal.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler installs");
        let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler installs");
        async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
