//! The dev host: the app's commands over HTTP, so the built UI runs in a plain browser against
//! the real core. The browser tests and the UI's component tests drive it; nothing ships it.
//!
//! What it puts in place of the desktop: an in-memory keychain (`Vault::in_memory`, nothing
//! reaches the machine's keychain), a private temporary config folder, the emulator in-process
//! (from `--seed` or the built-in demo seed) as the Sandbox, and a clipboard and browser that
//! record instead of acting, and a save dialog answered with the path a test set. What must not live here: any command logic (that is
//! cloudneeti-commands'), or any listening beyond loopback.
//!
//! Routes: `POST /invoke/{command}` (JSON arguments as Tauri's IPC takes them; the result, or an
//! `IpcError` with status 422), `POST /devhost/reset` (`{"scenario":"empty"|"demo"}`: a new
//! keychain, config folder and emulator), `GET /devhost/clipboard`, `GET /devhost/opened`,
//! `POST /devhost/save-path` (`{"path": "/abs/file.csv" | null}`: how the next save dialogs
//! answer), `GET /devhost/save-dialogs` (the file names they proposed), `POST /devhost/open-path`
//! (`{"path": "/abs/file.json" | null}`: how the next open dialogs answer), `GET
//! /devhost/open-dialogs` (the kinds of file they offered), `POST /devhost/confirm`
//! (`{"answer": true|false}`: what the next confirmation dialogs answer; no until set) and
//! `GET /devhost/confirms` (what they asked), and the files of `--ui` (index.html for any other path, as the app's single page).

mod scenario;
mod static_files;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::Parser;
use cloudneeti_commands::{dispatch, AppState, Desktop};
use cloudneeti_core::access::Access;
use cloudneeti_core::activity::ActivityLog;
use cloudneeti_core::config_store::ConfigStore;
use cloudneeti_core::vault::Vault;
use cloudneeti_emulator::seed::Seed;
use cloudneeti_emulator::{Emulator, Options};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;

#[derive(Parser)]
#[command(
    name = "cloudneeti-devhost",
    about = "The app's commands over HTTP, for the browser tests"
)]
struct Args {
    /// The built UI to serve (ui/dist).
    #[arg(long)]
    ui: PathBuf,
    /// The emulator's seed (JSON, as `cloudneeti-emulator seed` writes); the demo seed if absent.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Loopback port; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
}

/// A recording clipboard and browser: what the commands copied or opened, for a test to read;
/// and a save dialog that answers what the test set (dismissed until it sets a path).
#[derive(Default)]
struct Recorder {
    clipboard: Mutex<Option<String>>,
    opened: Mutex<Vec<String>>,
    save_path: Mutex<Option<PathBuf>>,
    save_dialogs: Mutex<Vec<String>>,
    /// How the next open dialogs answer (dismissed until a test sets a path), and the
    /// kinds of file they offered.
    open_path: Mutex<Option<PathBuf>>,
    open_dialogs: Mutex<Vec<String>>,
    /// How the next confirmation dialogs answer (no until a test says yes), and what they asked.
    confirm_answer: Mutex<bool>,
    confirms: Mutex<Vec<String>>,
}

impl Desktop for Recorder {
    fn copy(&self, text: &str) -> Result<(), String> {
        *self.clipboard.lock().unwrap() = Some(text.to_string());
        Ok(())
    }

    fn clear_if_still(&self, text: &str) {
        let mut clipboard = self.clipboard.lock().unwrap();
        if clipboard.as_deref() == Some(text) {
            *clipboard = None;
        }
    }

    fn open(&self, url: &url::Url) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.to_string());
        Ok(())
    }

    fn choose_save_path(&self, suggested_name: &str) -> Option<PathBuf> {
        self.save_dialogs.lock().unwrap().push(suggested_name.to_string());
        self.save_path.lock().unwrap().clone()
    }

    fn choose_open_path(
        &self,
        filter: &cloudneeti_commands::desktop::FileFilter,
    ) -> Option<PathBuf> {
        self.open_dialogs.lock().unwrap().push(filter.name.to_string());
        self.open_path.lock().unwrap().clone()
    }

    fn confirm(&self, question: &cloudneeti_commands::desktop::Question) -> bool {
        self.confirms.lock().unwrap().push(question.message.clone());
        *self.confirm_answer.lock().unwrap()
    }
}

/// One run of the app: its state and where that state lives; replaced whole by a reset.
struct Instance {
    app: AppState,
    desktop: Arc<Recorder>,
    // Dropped with the instance: the config folder goes with it.
    _dir: tempfile::TempDir,
}

impl Instance {
    async fn start(seed: &Seed) -> anyhow::Result<Instance> {
        let dir = tempfile::tempdir()?;
        let access = Access::new(
            ConfigStore::open(dir.path()),
            Vault::in_memory("cloudneeti-access-devhost"),
            ActivityLog::open(dir.path()),
        );
        let sandbox = Emulator::start(Options { seed: seed.clone(), ..Options::default() }).await?;
        let desktop = Arc::new(Recorder::default());
        let app = AppState::new(access, Some(sandbox), desktop.clone())?;
        Ok(Instance { app, desktop, _dir: dir })
    }
}

struct Host {
    seed: Seed,
    ui: PathBuf,
    /// The origin pages are served from; requests naming another host or origin are refused.
    origin: String,
    /// Sent with every page, as the app's window enforces it.
    csp: String,
    instance: RwLock<Instance>,
}

type Shared = Arc<Host>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.ui.join("index.html").is_file() {
        anyhow::bail!(
            "{} has no index.html: build the UI first (cd ui && npm run build)",
            args.ui.display()
        );
    }
    let seed = match &args.seed {
        Some(path) => Seed::from_file(path)?,
        None => Seed::demo(),
    };
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port))).await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let instance = RwLock::new(Instance::start(&seed).await?);
    let host = Arc::new(Host { seed, ui: args.ui, origin: origin.clone(), csp: csp(), instance });
    let app = Router::new()
        .route("/invoke/{command}", post(invoke))
        .route("/devhost/reset", post(reset))
        .route("/devhost/clipboard", get(clipboard))
        .route("/devhost/opened", get(opened))
        .route("/devhost/save-path", post(set_save_path))
        .route("/devhost/save-dialogs", get(save_dialogs))
        .route("/devhost/open-path", post(set_open_path))
        .route("/devhost/open-dialogs", get(open_dialogs))
        .route("/devhost/confirm", post(set_confirm_answer))
        .route("/devhost/confirms", get(confirms))
        .fallback(get(static_file))
        .layer(axum::middleware::from_fn_with_state(host.clone(), same_origin_only))
        .with_state(host);
    // The line a test waits for before it opens a page.
    println!("cloudneeti-devhost listening on {origin}/");
    axum::serve(listener, app).await?;
    Ok(())
}

/// Refuses a request whose Host is not this server's address or whose Origin is another
/// site's: a web page elsewhere (or a DNS rebinding) cannot drive the commands.
async fn same_origin_only(
    State(host): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let authority = host.origin.trim_start_matches("http://");
    let host_ok = headers.get(header::HOST).and_then(|h| h.to_str().ok()) == Some(authority);
    let origin_ok =
        headers.get(header::ORIGIN).is_none_or(|o| o.to_str().ok() == Some(host.origin.as_str()));
    if !host_ok || !origin_ok {
        return (StatusCode::FORBIDDEN, "only pages of this dev host may call it\n")
            .into_response();
    }
    next.run(request).await
}

async fn invoke(
    State(host): State<Shared>,
    Path(command): Path<String>,
    Json(args): Json<Value>,
) -> Response {
    let instance = host.instance.read().await;
    match dispatch::dispatch(&instance.app, &command, args).await {
        Ok(value) => Json(value).into_response(),
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, Json(error)).into_response(),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Reset {
    scenario: scenario::Scenario,
}

async fn reset(State(host): State<Shared>, Json(reset): Json<Reset>) -> Response {
    let fresh = match Instance::start(&host.seed).await {
        Ok(fresh) => fresh,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    if let Err(e) = scenario::apply(reset.scenario, &fresh.app).await {
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(e)).into_response();
    }
    let sandbox_url = fresh.app.sandbox.as_ref().map(|e| e.url().to_string());
    // The old instance (its emulator and folder) goes when this write lock is released.
    *host.instance.write().await = fresh;
    Json(json!({ "sandboxUrl": sandbox_url })).into_response()
}

async fn clipboard(State(host): State<Shared>) -> Json<Value> {
    let instance = host.instance.read().await;
    let text = instance.desktop.clipboard.lock().unwrap().clone();
    Json(json!({ "text": text }))
}

async fn opened(State(host): State<Shared>) -> Json<Value> {
    let instance = host.instance.read().await;
    let opened = instance.desktop.opened.lock().unwrap().clone();
    Json(json!(opened))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SavePath {
    /// Absolute, as a native dialog answers; null: the user dismisses the dialog.
    path: Option<PathBuf>,
}

async fn set_save_path(State(host): State<Shared>, Json(set): Json<SavePath>) -> Response {
    if set.path.as_ref().is_some_and(|p| !p.is_absolute()) {
        return (StatusCode::BAD_REQUEST, "the path must be absolute, as a dialog answers\n")
            .into_response();
    }
    let instance = host.instance.read().await;
    *instance.desktop.save_path.lock().unwrap() = set.path;
    StatusCode::NO_CONTENT.into_response()
}

async fn set_open_path(State(host): State<Shared>, Json(set): Json<SavePath>) -> Response {
    if set.path.as_ref().is_some_and(|p| !p.is_absolute()) {
        return (StatusCode::BAD_REQUEST, "the path must be absolute, as a dialog answers\n")
            .into_response();
    }
    let instance = host.instance.read().await;
    *instance.desktop.open_path.lock().unwrap() = set.path;
    StatusCode::NO_CONTENT.into_response()
}

async fn open_dialogs(State(host): State<Shared>) -> Json<Value> {
    let instance = host.instance.read().await;
    let asked = instance.desktop.open_dialogs.lock().unwrap().clone();
    Json(json!(asked))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfirmAnswer {
    /// What the user clicks in the next confirmation dialogs.
    answer: bool,
}

async fn set_confirm_answer(
    State(host): State<Shared>,
    Json(set): Json<ConfirmAnswer>,
) -> Response {
    let instance = host.instance.read().await;
    *instance.desktop.confirm_answer.lock().unwrap() = set.answer;
    StatusCode::NO_CONTENT.into_response()
}

async fn confirms(State(host): State<Shared>) -> Json<Value> {
    let instance = host.instance.read().await;
    let asked = instance.desktop.confirms.lock().unwrap().clone();
    Json(json!(asked))
}

async fn save_dialogs(State(host): State<Shared>) -> Json<Value> {
    let instance = host.instance.read().await;
    let asked = instance.desktop.save_dialogs.lock().unwrap().clone();
    Json(json!(asked))
}

/// The app's own policy, read from tauri.conf.json (so the two cannot drift), with this
/// host's origin in place of Tauri's IPC: no inline styles or scripts, nothing remote. A
/// browser test fails on any violation.
fn csp() -> String {
    let conf: Value = serde_json::from_str(include_str!("../../../tauri.conf.json"))
        .expect("tauri.conf.json is JSON");
    let policy = conf["app"]["security"]["csp"].as_str().expect("tauri.conf.json has a CSP");
    policy
        .split(';')
        .map(|directive| match directive.trim() {
            d if d.starts_with("connect-src ") => "connect-src 'self'".to_string(),
            d => d.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn static_file(State(host): State<Shared>, uri: axum::http::Uri) -> Response {
    match static_files::read(&host.ui, uri.path()).await {
        Some((content_type, body)) => {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
            headers.insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
            headers.insert(header::CONTENT_SECURITY_POLICY, host.csp.parse().unwrap());
            (headers, body).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    /// The pages get the app's policy, with only the IPC source replaced.
    #[test]
    fn pages_get_the_apps_csp_with_this_hosts_origin_for_connections() {
        let policy = super::csp();
        assert!(
            policy.starts_with("default-src 'self'; script-src 'self'; style-src 'self'"),
            "{policy}"
        );
        assert!(policy.contains("; connect-src 'self';"), "{policy}");
        assert!(!policy.contains("ipc:"), "{policy}");
        assert!(policy.ends_with("frame-ancestors 'none'"), "{policy}");
    }
}
