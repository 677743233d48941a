use crate::cli::{ProfileAddArgs, ProfileCommand};
use crate::context::Context;
use crate::output;
use cloudneeti_core::model::{Profile, ProfileForm};
use cloudneeti_core::Result;
use serde_json::json;

pub async fn run(ctx: &Context, cmd: ProfileCommand) -> Result<()> {
    match cmd {
        ProfileCommand::Add(args) => {
            let profile = parse(args)?;
            let name = profile.name.clone();
            ctx.access.add_profile(profile)?;
            output::done(&format!("Profile \"{name}\" added. Store its application secret with `cnaccess secret set {name}`."));
        }
        ProfileCommand::List => {
            let profiles = ctx.access.config()?.profiles;
            if ctx.json {
                output::json(&profiles);
            } else {
                let rows: Vec<Vec<String>> = profiles
                    .iter()
                    .map(|p| {
                        vec![
                            p.name.clone(),
                            p.environment.to_string(),
                            p.license_id.to_string(),
                            p.api_key.clone(),
                        ]
                    })
                    .collect();
                output::table(&["NAME", "ENVIRONMENT", "LICENSE", "API KEY"], &rows);
            }
        }
        ProfileCommand::Show { name } => show(ctx, &name)?,
        ProfileCommand::Remove { name } => {
            ctx.access.remove_profile(&name).await?;
            output::done(&format!("Profile \"{name}\" and its application secret removed."));
        }
    }
    Ok(())
}

fn parse(args: ProfileAddArgs) -> Result<Profile> {
    // The form takes "" as "not entered yet" (the app's walkthrough gets the secret first);
    // on the command line the flag is required, so an empty value is a mistake.
    if args.app_id.trim().is_empty() {
        return Err(cloudneeti_core::Error::invalid(
            "application id",
            "it is empty",
            "Copy the application id from the portal (Configuration > Cloudneeti API Access) into --app-id.",
        ));
    }
    ProfileForm {
        name: args.name,
        environment: args.environment,
        license_id: args.license,
        app_id: args.app_id,
        api_key: args.api_key,
        token_expiry_minutes: args.token_expiry,
        secret_expires_on: args.secret_expires,
    }
    .validate()
}

fn show(ctx: &Context, name: &str) -> Result<()> {
    let config = ctx.access.config()?;
    let profile = config.profile(name)?;
    let key_stored = config.api_key(&profile.api_key).ok().and_then(|k| k.stored_at);
    let now = chrono::Utc::now();
    if ctx.json {
        output::json(&json!({
            "profile": profile,
            "apiKeyStoredAt": key_stored,
            "secretExpiryWarningDays": profile.secret_expiry_warning(now),
        }));
        return Ok(());
    }
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| match t {
        Some(t) => {
            format!("stored in {} on {}", ctx.access.vault().backend_name(), t.format("%Y-%m-%d"))
        }
        None => "not stored".to_string(),
    };
    println!("profile:            {}", profile.name);
    println!("environment:        {}", profile.environment);
    println!("license:            {}", profile.license_id);
    let app_id = profile.app_id.map(|id| id.to_string());
    println!("application id:     {}", app_id.as_deref().unwrap_or("not entered yet"));
    println!("application secret: {}", when(profile.secret_stored_at));
    println!("API key:            \"{}\", {}", profile.api_key, when(key_stored));
    if let Some(minutes) = profile.token_expiry_minutes {
        println!("token expiry:       {minutes} min");
    }
    if let Some(on) = profile.secret_expires_on {
        let warning = match profile.secret_expiry_warning(now) {
            Some(days) if days < 0 => " (EXPIRED)".to_string(),
            Some(days) => format!(" (in {days} day(s): regenerate it soon)"),
            None => String::new(),
        };
        println!("secret expires:     end of {on} (midnight UTC){warning}");
    }
    if !profile.known_accounts.is_empty() {
        println!("known accounts:     {}", profile.known_accounts.len());
    }
    Ok(())
}
