use crate::cli::KeyCommand;
use crate::context::Context;
use crate::{output, secret_input};
use cloudneeti_core::Result;

pub async fn run(ctx: &Context, cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::Set { name, allow_any_key_format } => {
            let backend = ctx.access.preflight().await?;
            let value = secret_input::read(&format!("API key \"{name}\" (input hidden)"))?;
            ctx.access.set_api_key(&name, &value, allow_any_key_format).await?;
            output::done(&format!("API key \"{name}\" stored in {}.", backend.backend));
        }
        KeyCommand::List => {
            let keys = ctx.access.config()?.api_keys;
            if ctx.json {
                output::json(&keys);
            } else {
                let rows: Vec<Vec<String>> = keys
                    .iter()
                    .map(|k| {
                        let stored =
                            k.stored_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string());
                        vec![
                            k.name.clone(),
                            stored.unwrap_or_else(|| "not stored".into()),
                            k.note.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                output::table(&["NAME", "STORED", "NOTE"], &rows);
            }
        }
        KeyCommand::Remove { name } => {
            ctx.access.remove_api_key(&name).await?;
            output::done(&format!("API key \"{name}\" removed."));
        }
    }
    Ok(())
}
