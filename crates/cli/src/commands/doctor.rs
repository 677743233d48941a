use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use cloudneeti_core::doctor::{self, Report, Status};
use cloudneeti_core::{Error, Result};

pub async fn run(ctx: &mut Context, profile: &str) -> Result<Outcome> {
    ctx.profile(profile).await?;
    Ok(Some(Box::new(doctor::diagnose(&ctx.access, profile, crate::output::words).await?)))
}

impl Output for Report {
    fn text(&self, out: &mut Text) {
        for check in &self.checks {
            let mark = match check.status {
                Status::Ok => "ok  ",
                Status::Warning => "warn",
                Status::Failed => "FAIL",
                Status::Skipped => " -  ",
            };
            out.line(format!("[{mark}] {}: {}", check.title, check.detail));
            if !check.fix.is_empty() {
                out.line(format!("       what to do: {}", check.fix));
            }
        }
    }

    fn verdict(&self) -> Result<()> {
        match self.broken() {
            // The exit code tells scripts that a link is broken; the report said which.
            Some(check) => Err(Error::CheckFailed { title: check.title }),
            None => Ok(()),
        }
    }
}
