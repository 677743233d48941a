use crate::cli::KeyCommand;
use crate::context::Context;
use crate::output::{self, Outcome, Output, Text};
use crate::secret_input;
use cloudneeti_core::model::ApiKeyMeta;
use cloudneeti_core::Result;

pub async fn run(ctx: &Context, cmd: KeyCommand) -> Result<Outcome> {
    match cmd {
        KeyCommand::Set { name, allow_any_key_format, no_check } => {
            let backend = ctx.access.preflight().await?;
            let value = secret_input::read(&format!("API key \"{name}\" (input hidden)"))?;
            let stored = format!("API key \"{name}\" stored in {}", backend.backend);
            if no_check {
                ctx.access.set_api_key(&name, &value, allow_any_key_format).await?;
                output::done(&format!("{stored}, not checked (--no-check)."));
            } else {
                let checked = ctx.access.set_api_key_checked(&name, &value, allow_any_key_format);
                output::checked(&stored, super::refused_not_stored(checked.await)?);
            }
        }
        KeyCommand::List => return Ok(Some(Box::new(ctx.access.config()?.api_keys))),
        KeyCommand::Remove { name } => {
            ctx.access.remove_api_key(&name).await?;
            output::done(&format!("API key \"{name}\" removed."));
        }
    }
    Ok(None)
}

/// `key list`: names and dates, never values.
impl Output for Vec<ApiKeyMeta> {
    fn text(&self, out: &mut Text) {
        let rows: Vec<Vec<String>> = self
            .iter()
            .map(|k| {
                let stored = k.stored_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string());
                vec![
                    k.name.to_string(),
                    stored.unwrap_or_else(|| "not stored".into()),
                    k.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.table(&["NAME", "STORED", "NOTE"], &rows);
    }
}
