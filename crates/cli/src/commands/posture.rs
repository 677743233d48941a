//! `cnaccess benchmarks` and `cnaccess health`: what an account is assessed against, and
//! whether Cloudneeti can read it.

use crate::cli::AccountArgs;
use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use cloudneeti_core::client::{Benchmark, HealthStatus};
use cloudneeti_core::Result;
use serde::Serialize;

#[derive(Serialize)]
#[serde(transparent)]
struct Benchmarks(Vec<Benchmark>);

pub async fn benchmarks(ctx: &mut Context, args: AccountArgs) -> Result<Outcome> {
    let account = super::account(ctx, &args).await?;
    let list = ctx.access.session(&args.profile)?.benchmarks(account).await?;
    Ok(Some(Box::new(Benchmarks(list))))
}

pub async fn health(ctx: &mut Context, args: AccountArgs) -> Result<Outcome> {
    let account = super::account(ctx, &args).await?;
    Ok(Some(Box::new(ctx.access.session(&args.profile)?.health(account).await?)))
}

impl Output for Benchmarks {
    fn text(&self, out: &mut Text) {
        let rows: Vec<Vec<String>> =
            self.0.iter().map(|b| vec![b.benchmark_id.clone(), b.name.clone()]).collect();
        out.table(&["BENCHMARK ID", "NAME"], &rows);
    }
}

impl Output for HealthStatus {
    fn text(&self, out: &mut Text) {
        let rows: Vec<Vec<String>> = self
            .prerequisites
            .iter()
            .map(|p| {
                let status = if p.is_complete() { "complete" } else { "INCOMPLETE" };
                let required = if p.required { "yes" } else { "no" };
                vec![
                    p.name.clone(),
                    status.into(),
                    required.into(),
                    p.no_of_policies.clone(),
                    p.refer_link.clone(),
                ]
            })
            .collect();
        out.table(&["PREREQUISITE", "STATUS", "REQUIRED", "POLICIES", "HOW TO FIX"], &rows);
        out.line("");
        let scanned = self.last_scanned_time.as_deref().unwrap_or("never");
        out.line(format!("Last scanned: {}", cloudneeti_core::text::printable(scanned)));
        if let Some(quota) = &self.account_scan_quota_details {
            out.line(format!(
                "Scan quota: {} of {} used",
                quota.consumed_quota, quota.allocated_quota
            ));
        }
    }
}
