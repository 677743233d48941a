//! A report run: the vendor's scripts do token then call, one account after another
//! [script]; this does the same calls for many accounts at once (the session's concurrency,
//! one connection pool, one keychain read) and writes each account's rows as soon as the
//! accounts before it are written, so the file keeps the order asked for and memory holds at
//! most the accounts in flight, however many the license has.

use futures_util::StreamExt;

use super::Session;
use crate::model::{AccountId, KnownAccount};
use crate::report::{
    audit_rows, failed_asset_rows, AccountChoice, AccountOutcome, Progress, ReportKind,
    ReportOutcome, ReportOutput, ReportRequest, Row,
};
use crate::{Error, Result};

/// The grant both scripts check before they start [script: `$apiObj -notcontains
/// "Account.Audit"`].
const AUDIT_GRANT: &str = "Account.Audit";

impl Session<'_> {
    /// Runs `request`, writing rows to `output` and telling `progress` after each account.
    /// One account's failure is its outcome and the run goes on; a failure to write, or one
    /// before any account is asked for (the list of accounts, the grant), ends the run.
    /// `output` is finished (the file moved into place) only when every account is through.
    pub async fn report(
        &self,
        request: &ReportRequest,
        mut output: ReportOutput,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<ReportOutcome> {
        let (accounts, left_out) = self.report_accounts(&request.accounts).await?;
        let total = accounts.len();
        let mut state = Progress { done: 0, total, failed: 0, rows: 0 };
        progress(state);
        let mut fetched = futures_util::stream::iter(accounts)
            .map(|account| async move {
                let rows = self.account_rows(request, account.0).await;
                (account, rows)
            })
            .buffered(self.concurrency());
        let mut outcomes = Vec::with_capacity(total);
        while let Some(((id, name), rows)) = fetched.next().await {
            let result = match rows {
                Ok(rows) => Ok(output.rows(rows.into_iter())?),
                Err(e) => Err(e),
            };
            state.done += 1;
            match &result {
                Ok(n) => state.rows += n,
                Err(_) => state.failed += 1,
            }
            progress(state);
            outcomes.push(AccountOutcome {
                account_id: id.to_string(),
                account_name: name,
                result,
            });
        }
        let rows = output.finish()?;
        Ok(ReportOutcome { accounts: outcomes, left_out, rows })
    }

    /// The accounts to ask for, with their names, and those left out of "all".
    async fn report_accounts(
        &self,
        choice: &AccountChoice,
    ) -> Result<(Vec<(AccountId, String)>, Vec<KnownAccount>)> {
        match choice {
            AccountChoice::These(ids) => {
                // Names from what the profile last saw: no license call, so an analyst whose
                // application may not list accounts can still name them, as with the scripts.
                let known = &self.profile().known_accounts;
                let name = |id: &AccountId| {
                    let id = id.to_string();
                    known
                        .iter()
                        .find(|k| k.account_id.eq_ignore_ascii_case(&id))
                        .map(|k| k.account_name.clone())
                        .unwrap_or_default()
                };
                Ok((ids.iter().map(|id| (*id, name(id))).collect(), Vec::new()))
            }
            AccountChoice::All => {
                let listed = self.license_accounts().await?;
                if !listed.apis.iter().any(|a| a.eq_ignore_ascii_case(AUDIT_GRANT)) {
                    return Err(Error::ApiNotGranted {
                        detail: format!("{AUDIT_GRANT}, which reports read"),
                    });
                }
                let (in_scope, left_out): (Vec<KnownAccount>, Vec<KnownAccount>) =
                    listed.accounts.into_iter().partition(|a| a.is_in_api_scope);
                let mut accounts = Vec::with_capacity(in_scope.len());
                for account in in_scope {
                    accounts.push((
                        crate::validate::account_id(&account.account_id)?,
                        account.account_name,
                    ));
                }
                Ok((accounts, left_out))
            }
        }
    }

    /// One account's rows: its token, then its summary or every page of its failed assets.
    async fn account_rows(&self, request: &ReportRequest, account: AccountId) -> Result<Vec<Row>> {
        Ok(match request.kind {
            ReportKind::Audit => {
                let summary = self.summary(account, &request.benchmark, None).await?;
                audit_rows(&summary).collect()
            }
            ReportKind::FailedAssets => {
                let assets = self.failed_assets(account, &request.benchmark).await?;
                failed_asset_rows(&assets.page).collect()
            }
        })
    }
}
