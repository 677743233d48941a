//! Process hardening, called first by the CLI and the app.
//!
//! A `cnaccess token` holds the API key, the secret and the token in memory; a core dump of it
//! writes them to disk, where any backup or crash reporter takes them. So core dumps are
//! turned off, and on Linux the process is made not dumpable (which also keeps other
//! processes of the same user from reading its memory through /proc or ptrace). Secrets are
//! still zeroed when dropped (`Secret`); this covers a crash while they are alive.
//! macOS: the core limit applies as on Linux. Windows has no core files; Windows Error
//! Reporting's dumps are a system policy this process cannot turn off for itself.

/// Turns core dumps off for this process (and what it starts). Failures are ignored: a
/// platform that refuses is no worse off than before, and the tool must still work.
pub fn harden() {
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use rustix::process::{dumpable_behavior, getrlimit, DumpableBehavior, Resource};

    #[test]
    fn after_hardening_no_core_is_written_and_the_process_is_not_dumpable() {
        super::harden();
        let limit = getrlimit(Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
        assert_eq!(dumpable_behavior().unwrap(), DumpableBehavior::NotDumpable);
    }
}
