//! What the app keeps while it runs: the core's `Access` (which also holds the tokens the UI
//! names by handle), the embedded Sandbox emulator, the host's desktop (clipboard, browser,
//! save dialog), the cancel switches of long operations and where running reports stand.

use crate::desktop::Desktop;
use cloudneeti_core::access::{Access, Endpoint};
use cloudneeti_core::client::{OnWait, WaitNotice};
use cloudneeti_core::report::Progress;
use cloudneeti_core::{Error, Result};
use cloudneeti_emulator::Emulator;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

pub struct AppState {
    pub access: Access,
    pub sandbox: Option<Emulator>,
    pub desktop: Arc<dyn Desktop>,
    cancels: Mutex<Cancels>,
    /// Where each running report stands, by its operation id: the UI asks for it
    /// (`report_progress`) while the report runs, which works the same over Tauri's IPC and
    /// the dev host's HTTP (neither host needs a way to push events).
    progress: Mutex<HashMap<String, Progress>>,
    /// The wait the client is making now because the service said "later" (429, 503), so
    /// the UI can say what it waits for (`service_wait`) instead of spinning in silence.
    waiting: Arc<Mutex<Option<(WaitNotice, Instant)>>>,
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
        let waiting: Arc<Mutex<Option<(WaitNotice, Instant)>>> = Arc::default();
        let heard = waiting.clone();
        let announce = OnWait(Arc::new(move |notice: &WaitNotice| {
            let until = Instant::now() + Duration::from_secs(notice.seconds);
            *lock(&heard) = Some((notice.clone(), until));
        }));
        let access = access.with_waits(Some(announce), true);
        if let Some(emulator) = &sandbox {
            access.set_sandbox(Endpoint {
                base: cloudneeti_core::validate::base_url(emulator.url())?,
                extra_root_pem: None,
            });
        }
        Ok(AppState {
            access,
            sandbox,
            desktop,
            cancels: Mutex::default(),
            progress: Mutex::default(),
            waiting,
        })
    }

    /// The wait being made now, and the seconds it has left; `None` once it is over.
    pub fn service_wait(&self) -> Option<(WaitNotice, u64)> {
        let now = Instant::now();
        let waiting = lock(&self.waiting);
        let (notice, until) = waiting.as_ref().filter(|(_, until)| *until > now)?;
        Some((notice.clone(), until.duration_since(now).as_secs().max(1)))
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

    /// Where the report of `op_id` stands, while it runs.
    pub fn progress(&self, op_id: &str) -> Option<Progress> {
        lock(&self.progress).get(op_id).copied()
    }

    /// Records the progress of the report of `op_id` (nothing without one) until the
    /// returned tracker is dropped, which the report's end, error or cancel all do.
    pub fn track_progress(&self, op_id: Option<&str>) -> ProgressTracker<'_> {
        ProgressTracker { state: self, op_id: op_id.map(str::to_string) }
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

/// See [`AppState::track_progress`].
pub struct ProgressTracker<'a> {
    state: &'a AppState,
    op_id: Option<String>,
}

impl ProgressTracker<'_> {
    pub fn tell(&self, progress: Progress) {
        if let Some(id) = &self.op_id {
            lock(&self.state.progress).insert(id.clone(), progress);
        }
    }
}

impl Drop for ProgressTracker<'_> {
    fn drop(&mut self) {
        if let Some(id) = &self.op_id {
            lock(&self.state.progress).remove(id);
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
        AppState::new(
            access,
            None,
            Arc::new(crate::SystemDesktop::new(crate::desktop::NativeDialogs::dismissed())),
        )
        .unwrap()
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

    /// Progress is there while its report runs and gone once it ends, however it ends, so the
    /// map never grows with the reports run.
    #[test]
    fn progress_is_kept_while_its_tracker_lives() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let step = Progress { done: 1, total: 3, failed: 0, rows: 12 };
        {
            let tracker = state.track_progress(Some("op-3"));
            assert_eq!(state.progress("op-3"), None, "nothing until the first account");
            tracker.tell(step);
            assert_eq!(state.progress("op-3"), Some(step));
            state.track_progress(None).tell(step);
        }
        assert_eq!(state.progress("op-3"), None);
        assert!(lock(&state.progress).is_empty(), "an untracked report leaves nothing");
    }
}
