//! The activity log: every change and token request is recorded with its outcome, for audits.

use super::Access;
use crate::activity::ActivityEntry;
use crate::{Error, Result};

impl Access {
    /// The last `limit` entries of the activity log, oldest first.
    pub fn recent_activity(&self, limit: usize) -> Result<Vec<ActivityEntry>> {
        self.activity.read(limit)
    }

    pub(super) fn record<T>(&self, entry: ActivityEntry, result: &Result<T>) {
        self.note(entry, result.as_ref().err());
    }

    pub(super) fn note(&self, entry: ActivityEntry, error: Option<&Error>) {
        let entry = match error {
            None => entry,
            Some(e) => entry.failed(e),
        };
        // The log serves audits; a full disk must not turn a working token request into an
        // error, so a failed append is dropped.
        let _ = self.activity.append(&entry);
    }
}
