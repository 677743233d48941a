use crate::context::Context;
use crate::output;
use cloudneeti_core::doctor::{self, Status};
use cloudneeti_core::Result;

pub async fn run(ctx: &mut Context, profile: &str) -> Result<()> {
    ctx.profile(profile).await?;
    let report = doctor::diagnose(&ctx.access, profile).await?;
    if ctx.json {
        output::json(&report);
    } else {
        for check in &report.checks {
            let mark = match check.status {
                Status::Ok => "ok  ",
                Status::Warning => "warn",
                Status::Failed => "FAIL",
                Status::Skipped => " -  ",
            };
            println!("[{mark}] {}: {}", check.title, check.detail);
            if !check.fix.is_empty() {
                println!("       what to do: {}", check.fix);
            }
        }
    }
    match report.broken() {
        // The exit code tells scripts that a link is broken; the report above said which.
        Some(check) => Err(cloudneeti_core::Error::CheckFailed { title: check.title }),
        None => Ok(()),
    }
}
