//! What the app keeps while it runs: the core's `Access` (which also holds the tokens the UI
//! names by handle), the embedded Sandbox emulator, the host's desktop (clipboard, browser),
//! and the cancel switches of long operations.

use crate::desktop::Desktop;
use cloudneeti_core::access::{Access, Endpoint};
use cloudneeti_core::model::BaseUrl;
use cloudneeti_core::{Error, Result};
use cloudneeti_emulator::Emulator;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

pub struct AppState {
    pub access: Access,
    pub sandbox: Option<Emulator>,
    pub desktop: Arc<dyn Desktop>,
    cancels: Mutex<HashMap<String, oneshot::Sender<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// The state over `access`, with `sandbox` (when it started) serving the Sandbox
    /// environment. A Sandbox that could not start (no loopback port) leaves the rest working.
    pub fn new(
        access: Access,
        sandbox: Option<Emulator>,
        desktop: Arc<dyn Desktop>,
    ) -> Result<Self> {
        if let Some(emulator) = &sandbox {
            access.set_sandbox(Endpoint {
                base: BaseUrl::parse(emulator.url())?,
                extra_root_pem: None,
            });
        }
        Ok(AppState { access, sandbox, desktop, cancels: Mutex::new(HashMap::new()) })
    }

    /// Runs a long operation that the UI can cancel with `cancel_operation(op_id)`.
    pub async fn cancellable<T>(
        &self,
        op_id: Option<String>,
        work: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let Some(id) = op_id else { return work.await };
        let (tx, rx) = oneshot::channel();
        lock(&self.cancels).insert(id.clone(), tx);
        let result = tokio::select! {
            result = work => result,
            _ = rx => Err(Error::Cancelled),
        };
        lock(&self.cancels).remove(&id);
        result
    }

    pub fn cancel(&self, op_id: &str) {
        if let Some(tx) = lock(&self.cancels).remove(op_id) {
            let _ = tx.send(());
        }
    }
}
