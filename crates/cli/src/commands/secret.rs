use crate::cli::SecretCommand;
use crate::context::Context;
use crate::output::{self, Outcome};
use crate::secret_input;
use cloudneeti_core::Result;

pub async fn run(ctx: &Context, cmd: SecretCommand) -> Result<Outcome> {
    match cmd {
        SecretCommand::Set { profile } => {
            ctx.access.config()?.profile(&profile)?;
            let backend = ctx.access.preflight().await?;
            let value = secret_input::read(&format!(
                "API application secret for \"{profile}\" (input hidden)"
            ))?;
            ctx.access.set_app_secret(&profile, &value).await?;
            output::done(&format!(
                "Application secret of \"{profile}\" stored in {}. Check it with `cnaccess doctor {profile}`.",
                backend.backend
            ));
        }
        SecretCommand::Remove { profile } => {
            ctx.access.remove_app_secret(&profile).await?;
            output::done(&format!("Application secret of \"{profile}\" removed."));
        }
    }
    Ok(None)
}
