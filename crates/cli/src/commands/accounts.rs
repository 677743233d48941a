use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use cloudneeti_core::client::LicenseAccounts;
use cloudneeti_core::text::printable;
use cloudneeti_core::Result;

pub async fn run(ctx: &mut Context, profile: &str) -> Result<Outcome> {
    ctx.profile(profile).await?;
    Ok(Some(Box::new(ctx.access.license_accounts(profile).await?)))
}

impl Output for LicenseAccounts {
    fn text(&self, out: &mut Text) {
        let rows: Vec<Vec<String>> = self
            .accounts
            .iter()
            .map(|a| {
                let scope = if a.is_in_api_scope { "yes" } else { "no" };
                vec![
                    a.account_id.clone(),
                    a.account_name.clone(),
                    a.connector_type.clone(),
                    scope.to_string(),
                ]
            })
            .collect();
        out.table(&["ACCOUNT ID", "NAME", "CONNECTOR", "IN API SCOPE"], &rows);
        out.line("");
        out.line(format!("APIs granted to the application: {}", printable(&self.apis.join(", "))));
        if self.accounts.iter().any(|a| !a.is_in_api_scope) {
            out.line("To add an account to the scope: portal > Configuration > Cloudneeti API Access > Configure App > Cloud Accounts.");
        }
    }
}
