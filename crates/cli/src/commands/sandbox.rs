//! One command to a working Sandbox profile: the emulator's public demo credentials (public
//! by design, they open nothing but the built-in emulator) stored like real ones.

use crate::context::Context;
use crate::output::{self, Outcome};
use cloudneeti_core::access::NewKeyHost;
use cloudneeti_core::model::{Environment, Profile};
use cloudneeti_core::{validate, Error, Result, Secret};
use cloudneeti_emulator::seed::{DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_LICENSE_ID};

pub const PROFILE: &str = "sandbox";
pub const KEY_NAME: &str = "sandbox-demo";

pub async fn run(ctx: &Context) -> Result<Outcome> {
    ctx.access.set_api_key(KEY_NAME, &Secret::new(DEMO_API_KEY.into()), false).await?;
    let profile = Profile::new(
        validate::profile_name(PROFILE)?,
        Environment::Sandbox,
        validate::license_id(DEMO_LICENSE_ID)?,
        Some(validate::app_id(DEMO_APP_ID)?),
        validate::key_name(KEY_NAME)?,
    );
    match ctx.access.add_profile(profile, NewKeyHost::Confirmed) {
        Ok(()) | Err(Error::ProfileExists(_)) => {}
        Err(e) => return Err(e),
    }
    ctx.access.set_app_secret(PROFILE, &Secret::new(DEMO_APP_SECRET.into())).await?;
    output::done(
        "Profile \"sandbox\" is ready on the built-in emulator. Try: cnaccess token sandbox",
    );
    Ok(None)
}
