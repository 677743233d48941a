//! The analysts' reports: the audit report of Generate-AuditReport.ps1 and the failed-asset
//! report of Generate-FailedAssetReport.ps1 [script], for many accounts at once.
//!
//! `rows` turns the service's answers into the scripts' rows; `encode` writes them as CSV or
//! JSON; `output` puts them in a file that is complete or absent. The run itself (tokens,
//! calls, concurrency, one failing account not stopping the others) is
//! `access::Session::report`, because it needs the profile's secrets.

mod encode;
mod output;
mod rows;

pub use encode::Encoding;
pub use output::ReportOutput;
pub use rows::{audit_rows, failed_asset_rows, Cell, Row, AUDIT_COLUMNS, FAILED_ASSET_COLUMNS};

use crate::model::{AccountId, BenchmarkId};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// One row per policy of the benchmark's summary.
    Audit,
    /// One row per failed asset, every page.
    FailedAssets,
}

impl ReportKind {
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ReportKind::Audit => AUDIT_COLUMNS,
            ReportKind::FailedAssets => FAILED_ASSET_COLUMNS,
        }
    }

    /// The scripts' file name, `audit_report-2021-09-17-13-51-14.csv` and
    /// `failed_asset-...` [script], for a report run now.
    pub fn default_file_name(self, encoding: Encoding) -> String {
        let stem = match self {
            ReportKind::Audit => "audit_report",
            ReportKind::FailedAssets => "failed_asset",
        };
        let ext = match encoding {
            Encoding::Csv => "csv",
            Encoding::Json => "json",
        };
        format!("{stem}-{}.{ext}", chrono::Local::now().format("%Y-%m-%d-%H-%M-%S"))
    }
}

/// Which accounts a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChoice {
    /// Every account of the license in the application's scope (the others are listed as
    /// left out, without a call: their token would be refused).
    All,
    These(Vec<AccountId>),
}

#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub kind: ReportKind,
    pub benchmark: BenchmarkId,
    pub accounts: AccountChoice,
}

/// How one account went.
#[derive(Debug)]
pub struct AccountOutcome {
    pub account_id: String,
    /// As the license lists it; empty when the name is not known.
    pub account_name: String,
    /// Rows written for it, or why none were.
    pub result: Result<u64, Error>,
}

/// Where a run stands, after each account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
    pub rows: u64,
}

#[derive(Debug)]
pub struct ReportOutcome {
    /// In the order asked for.
    pub accounts: Vec<AccountOutcome>,
    /// With `AccountChoice::All`: accounts outside the application's scope, not asked for.
    pub left_out: Vec<crate::model::KnownAccount>,
    pub rows: u64,
}

impl ReportOutcome {
    pub fn failed(&self) -> usize {
        self.accounts.iter().filter(|a| a.result.is_err()).count()
    }
}
