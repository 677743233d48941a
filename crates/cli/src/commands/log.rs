use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use cloudneeti_core::activity::ActivityEntry;
use cloudneeti_core::Result;

pub fn run(ctx: &Context, limit: usize) -> Result<Outcome> {
    Ok(Some(Box::new(ctx.access.recent_activity(limit)?)))
}

impl Output for Vec<ActivityEntry> {
    fn text(&self, out: &mut Text) {
        let rows: Vec<Vec<String>> = self
            .iter()
            .map(|e| {
                let action = serde_json::to_value(e.action())
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string));
                vec![
                    e.time().format("%Y-%m-%d %H:%M:%S").to_string(),
                    action.unwrap_or_default(),
                    e.profile().or(e.api_key()).unwrap_or("-").to_string(),
                    e.environment().unwrap_or("-").to_string(),
                    e.account_id().map(|a| a.to_string()).unwrap_or_else(|| "-".into()),
                    e.outcome().to_string(),
                ]
            })
            .collect();
        out.table(
            &["TIME (UTC)", "ACTION", "PROFILE/KEY", "ENVIRONMENT", "ACCOUNT", "OUTCOME"],
            &rows,
        );
    }
}
