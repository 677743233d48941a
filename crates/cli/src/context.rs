//! What every command works with: the core's `Access`, and the built-in Sandbox emulator,
//! started in this process only when a command needs it.

use cloudneeti_core::access::{Access, Endpoint};
use cloudneeti_core::model::{Environment, Profile};
use cloudneeti_core::{Error, Result};
use cloudneeti_emulator::{Emulator, Options};

use crate::output;

pub struct Context {
    pub access: Access,
    sandbox: Option<Emulator>,
}

impl Context {
    /// `wait`: whether to wait when the service asks to retry later; each wait is announced
    /// on stderr (as a JSON line with `json`).
    pub fn new(wait: bool, json: bool) -> Result<Context> {
        let announce = output::wait_announcer(json);
        Ok(Context { access: Access::from_env()?.with_waits(Some(announce), wait), sandbox: None })
    }

    /// Before any call: how many calls of one operation are in flight at once.
    pub fn set_concurrency(&mut self, concurrency: usize) {
        self.access.set_concurrency(concurrency);
    }

    /// The profile, with the Sandbox running if the profile is on it.
    pub async fn profile(&mut self, name: &str) -> Result<Profile> {
        let profile = self.access.config()?.profile(name)?.clone();
        if profile.environment == Environment::Sandbox {
            self.start_sandbox().await?;
        }
        Ok(profile)
    }

    async fn start_sandbox(&mut self) -> Result<()> {
        if self.sandbox.is_some() {
            return Ok(());
        }
        let emulator = Emulator::start(Options::default()).await.map_err(|e| Error::Connect {
            host: "the built-in Sandbox".into(),
            detail: e.to_string(),
        })?;
        self.access.set_sandbox(Endpoint {
            base: cloudneeti_core::validate::base_url(emulator.url())?,
            extra_root_pem: None,
        });
        self.sandbox = Some(emulator);
        Ok(())
    }
}
