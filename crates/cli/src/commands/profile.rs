use crate::cli::{ProfileAddArgs, ProfileCommand};
use crate::context::Context;
use crate::output;
use chrono::NaiveDate;
use cloudneeti_core::model::{Environment, Profile};
use cloudneeti_core::{validate, Error, Result};
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
    let name = validate::profile_name(&args.name)?;
    let environment = Environment::parse(&args.environment)?;
    let license = validate::license_id(&args.license)?;
    let app_id = validate::app_id(&args.app_id)?;
    let api_key = validate::key_name(&args.api_key)?;
    let mut profile = Profile::new(name, environment, license, app_id, api_key);
    profile.token_expiry_minutes = args.token_expiry;
    profile.secret_expires_on = args.secret_expires.as_deref().map(parse_date).transpose()?;
    Ok(profile)
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            "secret expiry date",
            format!("\"{}\" is not a date like 2027-03-31", text.trim()),
            "Give the date the portal shows for the secret's expiry as YYYY-MM-DD.",
        )
    })
}

fn show(ctx: &Context, name: &str) -> Result<()> {
    let config = ctx.access.config()?;
    let profile = config.profile(name)?;
    let key_stored = config.api_key(&profile.api_key).ok().and_then(|k| k.stored_at);
    let today = chrono::Utc::now().date_naive();
    if ctx.json {
        output::json(&json!({
            "profile": profile,
            "apiKeyStoredAt": key_stored,
            "secretExpiryWarningDays": profile.secret_expiry_warning(today),
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
    println!("application id:     {}", profile.app_id);
    println!("application secret: {}", when(profile.secret_stored_at));
    println!("API key:            \"{}\", {}", profile.api_key, when(key_stored));
    if let Some(minutes) = profile.token_expiry_minutes {
        println!("token expiry:       {minutes} min");
    }
    if let Some(on) = profile.secret_expires_on {
        let warning = match profile.secret_expiry_warning(today) {
            Some(days) if days < 0 => " (EXPIRED)".to_string(),
            Some(days) => format!(" (in {days} day(s): regenerate it soon)"),
            None => String::new(),
        };
        println!("secret expires:     {on}{warning}");
    }
    if !profile.known_accounts.is_empty() {
        println!("known accounts:     {}", profile.known_accounts.len());
    }
    Ok(())
}
