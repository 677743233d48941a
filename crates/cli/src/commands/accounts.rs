use crate::context::Context;
use crate::output;
use cloudneeti_core::text::printable;
use cloudneeti_core::Result;

pub async fn run(ctx: &mut Context, profile: &str) -> Result<()> {
    ctx.profile(profile).await?;
    let list = ctx.access.license_accounts(profile).await?;
    if ctx.json {
        output::json(&list);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = list
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
    output::table(&["ACCOUNT ID", "NAME", "CONNECTOR", "IN API SCOPE"], &rows);
    println!();
    println!("APIs granted to the application: {}", printable(&list.apis.join(", ")));
    if list.accounts.iter().any(|a| !a.is_in_api_scope) {
        println!("To add an account to the scope: portal > Configuration > Cloudneeti API Access > Configure App > Cloud Accounts.");
    }
    Ok(())
}
