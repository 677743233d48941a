//! What the app keeps while it runs: the core's `Access`, the embedded Sandbox emulator, the
//! tokens it obtained (in memory only, named by handles the UI holds), the host's desktop
//! (clipboard, browser), and the cancel switches of long operations.

use crate::desktop::Desktop;
use cloudneeti_core::access::{Access, Endpoint};
use cloudneeti_core::client::AccessToken;
use cloudneeti_core::model::BaseUrl;
use cloudneeti_core::{Error, Result};
use cloudneeti_emulator::Emulator;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

pub struct HeldToken {
    pub profile: String,
    pub token: AccessToken,
}

pub struct AppState {
    pub access: Access,
    pub sandbox: Option<Emulator>,
    pub desktop: Arc<dyn Desktop>,
    tokens: Mutex<HashMap<String, HeldToken>>,
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
        Ok(AppState {
            access,
            sandbox,
            desktop,
            tokens: Mutex::new(HashMap::new()),
            cancels: Mutex::new(HashMap::new()),
        })
    }

    pub fn hold(&self, profile: &str, token: AccessToken) -> String {
        let handle = uuid::Uuid::new_v4().to_string();
        lock(&self.tokens)
            .insert(handle.clone(), HeldToken { profile: profile.to_string(), token });
        handle
    }

    /// Runs `f` on a held token; a handle from an earlier run or a removed profile is refused.
    pub fn with_token<R>(&self, handle: &str, f: impl FnOnce(&HeldToken) -> R) -> Result<R> {
        let tokens = lock(&self.tokens);
        let held = tokens.get(handle).ok_or_else(|| {
            Error::invalid("token", "this token is no longer held", "Get a new token.")
        })?;
        Ok(f(held))
    }

    /// Forgets the tokens of a profile (after its removal or a secret change).
    pub fn drop_tokens(&self, profile: &str) {
        lock(&self.tokens).retain(|_, held| held.profile != profile);
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
