//! What the app keeps while it runs: the core's `Access` (which also holds the tokens the UI
//! names by handle), the embedded Sandbox emulator, the host's desktop (clipboard, browser),
//! and the cancel switches of long operations.

use crate::desktop::Desktop;
use cloudneeti_core::access::{Access, Endpoint};
use cloudneeti_core::{Error, Result};
use cloudneeti_emulator::Emulator;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

pub struct AppState {
    pub access: Access,
    pub sandbox: Option<Emulator>,
    pub desktop: Arc<dyn Desktop>,
    cancels: Mutex<Cancels>,
}

/// The cancel switches of running operations, and the ids cancelled before their operation
/// started: over the dev host's HTTP (and in principle over IPC) a cancel can overtake the
/// request it cancels, and must not be lost.
#[derive(Default)]
struct Cancels {
    running: HashMap<String, oneshot::Sender<()>>,
    early: VecDeque<String>,
}

/// How many early cancels are remembered; the UI names each operation once, so only a few
/// are ever waiting.
const EARLY_CANCELS: usize = 64;

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
                base: cloudneeti_core::validate::base_url(emulator.url())?,
                extra_root_pem: None,
            });
        }
        Ok(AppState { access, sandbox, desktop, cancels: Mutex::default() })
    }

    /// Runs a long operation that the UI can cancel with `cancel_operation(op_id)`, even if
    /// the cancel arrived first.
    pub async fn cancellable<T>(
        &self,
        op_id: Option<String>,
        work: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let Some(id) = op_id else { return work.await };
        let (tx, rx) = oneshot::channel();
        {
            let mut cancels = lock(&self.cancels);
            if let Some(at) = cancels.early.iter().position(|early| *early == id) {
                cancels.early.remove(at);
                return Err(Error::Cancelled);
            }
            cancels.running.insert(id.clone(), tx);
        }
        let result = tokio::select! {
            result = work => result,
            _ = rx => Err(Error::Cancelled),
        };
        lock(&self.cancels).running.remove(&id);
        result
    }

    pub fn cancel(&self, op_id: &str) {
        let mut cancels = lock(&self.cancels);
        match cancels.running.remove(op_id) {
            Some(tx) => {
                let _ = tx.send(());
            }
            None => {
                if cancels.early.len() == EARLY_CANCELS {
                    cancels.early.pop_front();
                }
                cancels.early.push_back(op_id.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudneeti_core::{ActivityLog, ConfigStore, Vault};

    fn state(dir: &std::path::Path) -> AppState {
        let access = Access::new(
            ConfigStore::open(dir),
            Vault::in_memory("state-test"),
            ActivityLog::open(dir),
        );
        AppState::new(access, None, Arc::new(crate::SystemDesktop::default())).unwrap()
    }

    /// Over HTTP a cancel can arrive before the request it cancels; it must still cancel it.
    #[tokio::test]
    async fn a_cancel_that_overtakes_its_operation_still_cancels_it() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        state.cancel("op-1");
        let result = state.cancellable(Some("op-1".into()), async { Ok(1) }).await;
        assert!(matches!(result, Err(Error::Cancelled)));
        // Used up: the next operation of that name runs.
        assert_eq!(state.cancellable(Some("op-1".into()), async { Ok(2) }).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn a_cancel_ends_a_running_operation() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(state(dir.path()));
        let running = {
            let state = state.clone();
            tokio::spawn(async move {
                let forever = std::future::pending::<Result<()>>();
                state.cancellable(Some("op-2".into()), forever).await
            })
        };
        while lock(&state.cancels).running.is_empty() {
            tokio::task::yield_now().await;
        }
        state.cancel("op-2");
        assert!(matches!(running.await.unwrap(), Err(Error::Cancelled)));
    }
}
