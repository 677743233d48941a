//! One field checked by the core's own rules as the user types, so the UI keeps no copy of
//! them: the same validate functions run here as when the value is saved. Nothing is saved,
//! and a secret checked here is dropped at once (the answer never repeats it).

use crate::ipc::{EnvironmentView, Field, FieldCheck, IpcResult, Problem};
use crate::state::AppState;
use cloudneeti_core::model::{Environment, Settings};
use cloudneeti_core::{validate, Result};

pub async fn check_field(_state: &AppState, field: Field, value: String) -> IpcResult<FieldCheck> {
    Ok(match checked(field, &value) {
        Ok((value, environment)) => FieldCheck { value, environment, problem: None },
        Err(e) => FieldCheck { value: None, environment: None, problem: Some(Problem::from(&e)) },
    })
}

type Checked = (Option<String>, Option<EnvironmentView>);

/// The value as the core would keep it (never for a secret), and for an environment which
/// one it names.
fn checked(field: Field, value: &str) -> Result<Checked> {
    let kept = |v: String| Ok((Some(v), None));
    match field {
        Field::ProfileName => kept(validate::profile_name(value)?.into()),
        Field::KeyName => kept(validate::key_name(value)?.into()),
        Field::LicenseId => kept(validate::license_id(value)?.to_string()),
        Field::AppId => kept(validate::app_id(value)?.to_string()),
        Field::AccountId => kept(validate::account_id(value)?.to_string()),
        Field::ApiKey => validate::api_key(value, false).map(|_| (None, None)),
        Field::ApiKeyAnyFormat => validate::api_key(value, true).map(|_| (None, None)),
        Field::AppSecret => validate::app_secret(value).map(|_| (None, None)),
        Field::BaseUrl => kept(validate::base_url(value)?.to_string()),
        Field::Environment => {
            let environment = Environment::parse(value)?;
            Ok((Some(environment.to_string()), Some(EnvironmentView::from(&environment))))
        }
        Field::SecretExpiresOn => {
            kept(validate::secret_expires_on(value)?.map(|d| d.to_string()).unwrap_or_default())
        }
        Field::ClipboardSeconds => kept(Settings::clipboard_seconds(value)?.to_string()),
        Field::BenchmarkId => kept(validate::benchmark_id(value)?.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_as_the_core_keeps_them_and_secrets_never() {
        let (value, _) =
            checked(Field::LicenseId, " {1B4E28BA-2FA1-11D2-883F-0016D3CCA427} ").unwrap();
        assert_eq!(value.as_deref(), Some("1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
        let (value, _) = checked(Field::ApiKey, "0123456789ABCDEF0123456789ABCDEF").unwrap();
        assert_eq!(value, None, "a secret is never echoed");
        let (value, env) = checked(Field::Environment, "https://api.cloudneeti.com/").unwrap();
        assert_eq!(value.as_deref(), Some("prod"), "a known service's address folds into its name");
        assert_eq!(env.unwrap().kind, crate::ipc::EnvironmentKind::Prod);
    }

    #[test]
    fn a_refusal_is_the_cores_problem_and_names_no_command() {
        let problem = Problem::from(&checked(Field::ApiKey, "abc").unwrap_err());
        assert_eq!(problem.field, "API key");
        assert!(problem.reason.contains("3 characters"), "{problem:?}");
        assert!(!problem.hint.contains("--"), "{problem:?}");
        let problem = Problem::from(&checked(Field::ClipboardSeconds, "4").unwrap_err());
        assert_eq!(problem.reason, "4 seconds is too short; the shortest is 5 seconds");
        // A cleared number field arrives empty, and is told so (never as "null seconds").
        let problem = Problem::from(&checked(Field::ClipboardSeconds, "").unwrap_err());
        assert_eq!(problem.reason, "it is empty");
    }
}
