//! `cnaccess scope add`: an account into the API application's scope.

use crate::cli::ScopeCommand;
use crate::context::Context;
use crate::output::{self, Outcome};
use cloudneeti_core::text::printable;
use cloudneeti_core::Result;

pub async fn run(ctx: &mut Context, cmd: ScopeCommand) -> Result<Outcome> {
    let ScopeCommand::Add { profile, account } = cmd;
    ctx.profile(&profile).await?;
    let id = ctx.access.resolve_account(&profile, &account).await?;
    let said = ctx.access.session(&profile)?.add_to_scope(id).await?;
    output::done(&format!(
        "Account {id} added to the application's scope{}. Its account tokens can be asked for now.",
        if said.trim().is_empty() {
            String::new()
        } else {
            format!(" (the service said: {})", printable(said.trim()))
        }
    ));
    Ok(None)
}
