use crate::cli::{ProfileAddArgs, ProfileCommand};
use crate::context::Context;
use crate::output::{self, Outcome, Output, Text};
use chrono::{DateTime, Utc};
use cloudneeti_core::access::NewKeyHost;
use cloudneeti_core::model::{Profile, ProfileForm};
use cloudneeti_core::{handoff, Result};
use serde::Serialize;

pub async fn run(ctx: &Context, cmd: ProfileCommand) -> Result<Outcome> {
    match cmd {
        ProfileCommand::Add(args) => {
            let profile = parse(args)?;
            let name = profile.name.clone();
            // The user typed this command: a new host for the key is theirs to choose.
            ctx.access.add_profile(profile, NewKeyHost::Confirmed)?;
            output::done(&format!("Profile \"{name}\" added. Store its application secret with `cnaccess secret set {name}`."));
        }
        ProfileCommand::List => return Ok(Some(Box::new(ctx.access.config()?.profiles))),
        ProfileCommand::Show { name } => return Ok(Some(Box::new(show(ctx, &name)?))),
        ProfileCommand::Remove { name } => {
            ctx.access.remove_profile(&name).await?;
            output::done(&format!("Profile \"{name}\" and its application secret removed."));
        }
        ProfileCommand::Export { name, out } => {
            let text = handoff::export(ctx.access.config()?.profile(&name)?);
            match out {
                None => println!("{text}"),
                Some(path) => handoff::write_file(&path, &text)?,
            }
        }
        ProfileCommand::Import { file, name, allow_new_host } => {
            let form = handoff::import(&read_handoff(&file)?, name.as_deref())?;
            let profile = form.validate()?;
            let (name, key) = (profile.name.clone(), profile.api_key.clone());
            // The file chose the environment, not the user: a new host for a stored key needs
            // the user's flag.
            let new_host =
                if allow_new_host { NewKeyHost::Confirmed } else { NewKeyHost::AskFirst };
            ctx.access.add_profile(profile, new_host)?;
            output::done(&format!(
                "Profile \"{name}\" imported. Store what you were given: `cnaccess key set {key}` (the API key), then `cnaccess secret set {name}` (the application secret); check with `cnaccess doctor {name}`."
            ));
        }
    }
    Ok(None)
}

/// The hand-off in FILE, or on stdin for `-`.
fn read_handoff(path: &std::path::Path) -> Result<String> {
    if path.as_os_str() == "-" {
        handoff::read(std::io::stdin().lock(), "standard input")
    } else {
        handoff::read_file(path)
    }
}

/// `profile list`.
impl Output for Vec<Profile> {
    fn text(&self, out: &mut Text) {
        let rows: Vec<Vec<String>> = self
            .iter()
            .map(|p| {
                vec![
                    p.name.to_string(),
                    p.environment.to_string(),
                    p.license_id.to_string(),
                    p.api_key.to_string(),
                ]
            })
            .collect();
        out.table(&["NAME", "ENVIRONMENT", "LICENSE", "API KEY"], &rows);
    }
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

/// `profile show`: the profile and what is known about its secrets, never their values.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shown {
    profile: Profile,
    api_key_stored_at: Option<DateTime<Utc>>,
    secret_expiry_warning_days: Option<i64>,
    /// Where the secrets are stored, for the text ("stored in Secret Service on ...").
    #[serde(skip)]
    keychain: &'static str,
}

fn show(ctx: &Context, name: &str) -> Result<Shown> {
    let config = ctx.access.config()?;
    let profile = config.profile(name)?;
    Ok(Shown {
        api_key_stored_at: config.api_key(&profile.api_key).ok().and_then(|k| k.stored_at),
        secret_expiry_warning_days: profile.secret_expiry_warning(Utc::now()),
        keychain: ctx.access.keychain_name(),
        profile: profile.clone(),
    })
}

impl Output for Shown {
    fn text(&self, out: &mut Text) {
        let profile = &self.profile;
        let when = |t: Option<DateTime<Utc>>| match t {
            Some(t) => format!("stored in {} on {}", self.keychain, t.format("%Y-%m-%d")),
            None => "not stored".to_string(),
        };
        out.line(format!("profile:            {}", profile.name));
        out.line(format!("environment:        {}", profile.environment));
        out.line(format!("license:            {}", profile.license_id));
        let app_id = profile.app_id.map(|id| id.to_string());
        out.line(format!("application id:     {}", app_id.as_deref().unwrap_or("not entered yet")));
        out.line(format!("application secret: {}", when(profile.secret_stored_at)));
        out.line(format!(
            "API key:            \"{}\", {}",
            profile.api_key,
            when(self.api_key_stored_at)
        ));
        if let Some(minutes) = profile.token_expiry_minutes.map(|e| e.minutes()) {
            out.line(format!("token expiry:       {minutes} min"));
        }
        if let Some(on) = profile.secret_expires_on {
            let warning = match self.secret_expiry_warning_days {
                Some(days) if days < 0 => " (EXPIRED)".to_string(),
                Some(days) => format!(" (in {days} day(s): regenerate it soon)"),
                None => String::new(),
            };
            out.line(format!("secret expires:     end of {on} (midnight UTC){warning}"));
        }
        if !profile.known_accounts.is_empty() {
            out.line(format!("known accounts:     {}", profile.known_accounts.len()));
        }
    }
}
