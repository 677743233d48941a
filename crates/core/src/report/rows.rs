//! The two reports' columns and rows, as the vendor's scripts write them: the same headers in
//! the same order, and the same values, quirks included [script].

use serde_json::Value;

use crate::client::{BenchmarkSummary, FailedAssetsPage};

/// One cell: text, or a count (a number in JSON, digits in CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(u64),
}

pub type Row = Vec<Cell>;

/// Generate-AuditReport.ps1's `Add-Csv` object, key by key [script].
pub const AUDIT_COLUMNS: &[&str] = &[
    "Cloud Account Id",
    "Cloud Account Name",
    "Connector Type",
    "Benchmark Name",
    "Category Name",
    "Policy ID",
    "Policy Name",
    "Control Number",
    "Total Resource Count",
    "Passed Resource Count",
    "Failed Resource Count",
    "Risk Impact",
    "Risk Likelihood",
    "Risk Level",
];

/// Generate-FailedAssetReport.ps1's `Add-Csv` object, key by key [script].
pub const FAILED_ASSET_COLUMNS: &[&str] = &[
    "Asset Name",
    "Access Level",
    "Asset Type",
    "Resource Group Name",
    "Asset Id",
    "Policy Id",
    "Policy Title",
    "Category Name",
    "Impact",
    "Region",
    "Tags",
    "Account Id",
    "Account Name",
    "Cloud Provider",
    "Benchmark ID",
    "Benchmark Name",
];

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A row per policy of every category. "Benchmark Name" holds the benchmark's id, as the
/// script writes it (`$result.benchmarkId`) [script].
pub fn audit_rows(summary: &BenchmarkSummary) -> impl Iterator<Item = Row> + '_ {
    summary.resource_categories.iter().flat_map(move |category| {
        category.policies.iter().map(move |policy| {
            vec![
                text(&summary.account_id),
                text(&summary.account_name),
                text(&summary.connector_type),
                text(&summary.benchmark_id),
                text(&category.category_name),
                text(&policy.policy_id),
                text(&policy.short_title),
                text(&policy.compliance_number),
                Cell::Count(policy.total_resource_count),
                Cell::Count(policy.passed_resource_count),
                Cell::Count(policy.failed_resource_count()),
                text(&policy.severity),
                text(&policy.risk_probability),
                text(&policy.risk_level),
            ]
        })
    })
}

/// A row per failed asset of the page.
pub fn failed_asset_rows(page: &FailedAssetsPage) -> impl Iterator<Item = Row> + '_ {
    page.failed_policy_assets_lists.iter().map(move |asset| {
        vec![
            text(&asset.resource_name),
            text(&asset.access_level),
            text(&asset.resource_type),
            Cell::Text(resource_group(&page.connector_type, &asset.resource_id)),
            text(&asset.resource_id),
            text(&asset.policy_id),
            text(&asset.short_title),
            text(&asset.category_name),
            text(&asset.impact),
            text(&asset.resource_region),
            Cell::Text(tags(&asset.tags)),
            text(&page.account_id),
            text(&page.account_name),
            text(&page.connector_type),
            text(&page.bench_mark_id),
            text(&page.bench_mark_name),
        ]
    })
}

/// The script's "Resource Group Name": for an Azure account whose resource id holds
/// `resourceGroups/`, the id's fifth `/`-separated part; else "NA". PowerShell's `-eq` and
/// `-match` ignore case [script].
fn resource_group(connector: &str, resource_id: &str) -> String {
    let holds_group = resource_id.to_ascii_lowercase().contains("resourcegroups/");
    if connector.eq_ignore_ascii_case("Azure") && holds_group {
        resource_id.split('/').nth(4).unwrap_or_default().to_string()
    } else {
        "NA".to_string()
    }
}

/// The script's "Tags": an object as PowerShell prints it, `@{Env=prod; Owner=ops}`, with the
/// `@{` and `}` cut off: `Env=prod; Owner=ops`; nothing for no tags [script]. Keys come in
/// name order (the script's hashtable path has no order either) [assumed]. A value that is
/// not an object is written as its text [assumed: the script would cut its first two
/// characters and its last].
fn tags(value: &Value) -> String {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", powershell_text(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => powershell_text(other),
    }
}

/// How PowerShell turns a JSON value into text inside `@{...}`: booleans as True and False,
/// null as nothing, arrays joined by spaces (`$OFS`) [assumed for arrays].
fn powershell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(powershell_text).collect::<Vec<_>>().join(" "),
        Value::Object(_) => format!("@{{{}}}", tags(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resource_groups_are_read_as_the_script_reads_them() {
        let id = "/subscriptions/s1/resourceGroups/rg-web/providers/Microsoft.Web/sites/app";
        assert_eq!(resource_group("Azure", id), "rg-web");
        assert_eq!(resource_group("azure", &id.to_lowercase()), "rg-web");
        assert_eq!(resource_group("AWS", id), "NA");
        assert_eq!(resource_group("Azure", "/subscriptions/s1"), "NA");
    }

    #[test]
    fn tags_print_as_powershell_prints_an_object_without_its_braces() {
        assert_eq!(tags(&json!({"Owner": "ops", "Env": "prod"})), "Env=prod; Owner=ops");
        assert_eq!(tags(&json!({})), "");
        assert_eq!(tags(&Value::Null), "");
        assert_eq!(tags(&json!({"a": true, "b": null, "c": [1, 2]})), "a=True; b=; c=1 2");
    }
}
