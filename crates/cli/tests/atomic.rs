//! Keychain and settings change together or not at all: every command that changes both is
//! run with its settings folder on a full disk and on a read-only one (a tmpfs in a mount
//! namespace of that run, `User::run_on_disk`), against the real private keyring. The command
//! must fail with the settings error, and the keychain must hold what the unchanged settings
//! say it holds.

mod common;

use common::*;

const OTHER_KEY: &str = "ffffffffffffffffffffffffffffffff";
const OTHER_SECRET: &str = "another-app-secret-value-0001";

/// A user with the demo profile `p` (key `default`) and an unused key `spare`.
fn prepared() -> User {
    let user = User::new();
    user.demo_profile("p", "https://api.cloudneeti.com");
    user.set_key("spare", OTHER_KEY);
    user
}

#[track_caller]
fn fails_on_the_settings(run: &Run) {
    assert_eq!(run.code, exit::CONFIG, "{}: {}", run.command, run.stderr);
    assert!(run.stderr.contains("settings file"), "{}", run.stderr);
}

#[test]
fn a_failed_settings_write_leaves_the_keychain_as_it_was() {
    for disk in [Disk::Full, Disk::ReadOnly] {
        let user = prepared();
        let before = std::fs::read(user.config_file()).unwrap();

        // Replacing a stored key: the old key stays.
        let run = user.run_on_disk(disk, &["key", "set", "default"], OTHER_KEY);
        fails_on_the_settings(&run);
        assert_eq!(
            user.keychain_lookup("api-key:default").as_deref(),
            Some(DEMO_API_KEY),
            "{disk:?}"
        );

        // A new key: nothing is left behind.
        let run = user.run_on_disk(disk, &["key", "set", "new"], OTHER_KEY);
        fails_on_the_settings(&run);
        assert_eq!(user.keychain_lookup("api-key:new"), None, "{disk:?}");

        // Removing a key: it is still there, as the settings still list it.
        let run = user.run_on_disk(disk, &["key", "remove", "spare"], "");
        fails_on_the_settings(&run);
        assert_eq!(user.keychain_lookup("api-key:spare").as_deref(), Some(OTHER_KEY), "{disk:?}");

        // Replacing and removing the application secret, removing the profile.
        let run = user.run_on_disk(disk, &["secret", "set", "p"], OTHER_SECRET);
        fails_on_the_settings(&run);
        assert_eq!(
            user.keychain_lookup("app-secret:p").as_deref(),
            Some(DEMO_APP_SECRET),
            "{disk:?}"
        );
        for args in [&["secret", "remove", "p"][..], &["profile", "remove", "p"]] {
            let run = user.run_on_disk(disk, args, "");
            fails_on_the_settings(&run);
            assert_eq!(
                user.keychain_lookup("app-secret:p").as_deref(),
                Some(DEMO_APP_SECRET),
                "{disk:?} {args:?}"
            );
        }

        assert_eq!(
            std::fs::read(user.config_file()).unwrap(),
            before,
            "the real settings untouched"
        );
        // And on a good disk the same commands work.
        user.run_with_stdin(&["key", "set", "default"], OTHER_KEY).success();
        assert_eq!(user.keychain_lookup("api-key:default").as_deref(), Some(OTHER_KEY));
    }
}
