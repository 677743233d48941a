//! `cnaccess account add aws|azure|office`: onboard a cloud account. The Azure AD
//! application's client secret is read like every other secret: stdin or a hidden prompt.

use crate::cli::{AccountAddArgs, AccountCommand, Cloud};
use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use crate::secret_input;
use cloudneeti_core::client::{AzureDirectory, NewCloudAccount, Onboarded};
use cloudneeti_core::{Error, Result};

pub async fn run(ctx: &mut Context, cmd: AccountCommand) -> Result<Outcome> {
    let AccountCommand::Add(args) = cmd;
    // Every flag is checked, and the secret read, before anything reaches the network.
    let name = args.name.trim().to_string();
    if name.is_empty() {
        return Err(Error::invalid(
            "--name",
            "it is empty",
            "Give the account's name in Cloudneeti.",
        ));
    }
    let account = match args.cloud {
        Cloud::Aws => NewCloudAccount::Aws {
            account_name: name,
            aws_account_id: required(&args.aws_account_id, "--aws-account-id")?,
            aws_role_name: required(&args.aws_role_name, "--aws-role-name")?,
        },
        Cloud::Azure => {
            let subscription_id = required(&args.subscription_id, "--subscription-id")?;
            NewCloudAccount::Azure {
                account_name: name,
                directory: directory(&args)?,
                subscription_id,
            }
        }
        Cloud::Office => {
            NewCloudAccount::Office { account_name: name, directory: directory(&args)? }
        }
    };
    ctx.profile(&args.profile).await?;
    Ok(Some(Box::new(ctx.access.session(&args.profile)?.add_account(&account).await?)))
}

fn required(value: &Option<String>, flag: &'static str) -> Result<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).ok_or_else(|| {
        Error::invalid(
            flag,
            "it is missing",
            "Give every flag this cloud needs: see `cnaccess account add --help`.",
        )
    })
}

fn directory(args: &AccountAddArgs) -> Result<AzureDirectory> {
    let (domain_name, tenant_id, client_id) = (
        required(&args.domain, "--domain")?,
        required(&args.tenant_id, "--tenant-id")?,
        required(&args.client_id, "--client-id")?,
    );
    let client_secret =
        secret_input::read("The Azure AD application's client secret (input hidden)")?;
    Ok(AzureDirectory { domain_name, tenant_id, client_id, client_secret })
}

impl Output for Onboarded {
    fn text(&self, out: &mut Text) {
        out.line(format!(
            "Account {} onboarded; its first scan is job {}.",
            self.account_id, self.job_id
        ));
        out.line("It is outside the API application's scope until added: `cnaccess scope add PROFILE ACCOUNT`.");
    }
}
