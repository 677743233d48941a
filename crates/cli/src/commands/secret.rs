use crate::cli::SecretCommand;
use crate::context::Context;
use crate::output::{self, Outcome};
use crate::secret_input;
use cloudneeti_core::Result;

pub async fn run(ctx: &mut Context, cmd: SecretCommand) -> Result<Outcome> {
    match cmd {
        SecretCommand::Set { profile, no_check } => {
            ctx.profile(&profile).await?;
            let backend = ctx.access.preflight().await?;
            let value = secret_input::read(&format!(
                "API application secret for \"{profile}\" (input hidden)"
            ))?;
            let stored =
                format!("Application secret of \"{profile}\" stored in {}", backend.backend);
            if no_check {
                ctx.access.set_app_secret(&profile, &value).await?;
                output::done(&format!(
                    "{stored}, not checked (--no-check). Check it with `cnaccess doctor {profile}`."
                ));
            } else {
                let checked = ctx.access.set_app_secret_checked(&profile, &value).await;
                output::checked(&stored, super::refused_not_stored(checked)?);
            }
        }
        SecretCommand::Remove { profile } => {
            ctx.access.remove_app_secret(&profile).await?;
            output::done(&format!("Application secret of \"{profile}\" removed."));
        }
    }
    Ok(None)
}
