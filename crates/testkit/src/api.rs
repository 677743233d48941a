//! The API's shape as the public documentation gives it, written down here independently of
//! the client and the emulator, so that a test compares the product with the docs and not
//! with itself.

use sha2::{Digest, Sha256};

/// The API Management gateway's subscription key header.
pub const KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";

/// `/authorize/license/{license}/token`
pub fn token_path(license_id: &str) -> String {
    format!("/authorize/license/{license_id}/token")
}

/// `/onboarding/license/{license}/licenseAccounts`
pub fn license_accounts_path(license_id: &str) -> String {
    format!("/onboarding/license/{license_id}/licenseAccounts")
}

/// What the emulator's request log shows instead of a secret: `fp:` and the first 8 hex
/// digits of its SHA-256.
pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    format!("fp:{}", digest.iter().take(4).map(|b| format!("{b:02x}")).collect::<String>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_fingerprint_is_the_start_of_the_sha256() {
        // printf %s abc | sha256sum: ba7816bf8f01cfea...
        assert_eq!(super::fingerprint("abc"), "fp:ba7816bf");
    }
}
