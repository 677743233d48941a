//! Tokens kept in memory for reuse, never on disk (the documentation warns against storing
//! them). A token is handed out again only while it is fresh (see `AccessToken::is_fresh`),
//! so a caller never gets one that is about to expire; a token whose expiry is unknown is
//! never kept.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

use crate::client::AccessToken;

/// What a token was issued for. The app id and base URL are part of it, so editing a profile
/// cannot hand out a token of its previous settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub base_url: String,
    pub app_id: String,
    pub license_id: String,
    pub account_id: Option<String>,
}

#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<CacheKey, AccessToken>>,
}

impl TokenCache {
    pub fn get(&self, key: &CacheKey, now: DateTime<Utc>) -> Option<AccessToken> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(key) {
            Some(token) if token.is_fresh(now) => Some(token.duplicate()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    pub fn put(&self, key: CacheKey, token: &AccessToken) {
        if token.expires_at.is_some() {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries.insert(key, token.duplicate());
        }
    }

    /// Forgets every token of a license's app, e.g. after its secret changed.
    pub fn forget(&self, base_url: &str, app_id: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|k, _| !(k.base_url == base_url && k.app_id == app_id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;
    use chrono::Duration;

    fn key(account: Option<&str>) -> CacheKey {
        CacheKey {
            base_url: "https://api.example".into(),
            app_id: "app".into(),
            license_id: "L".into(),
            account_id: account.map(str::to_string),
        }
    }

    fn token(now: DateTime<Utc>, lifetime: Option<Duration>) -> AccessToken {
        AccessToken::new(Secret::new("opaque".into()), "L", None, now, lifetime)
    }

    #[test]
    fn fresh_tokens_are_reused_and_stale_or_unknown_ones_are_not() {
        let cache = TokenCache::default();
        let now = Utc::now();
        cache.put(key(None), &token(now, Some(Duration::minutes(10))));
        assert_eq!(cache.get(&key(None), now).unwrap().value.expose(), "opaque");
        assert!(cache.get(&key(Some("A")), now).is_none());
        assert!(cache.get(&key(None), now + Duration::minutes(10)).is_none());
        assert!(cache.get(&key(None), now).is_none(), "a stale entry is dropped");

        cache.put(key(None), &token(now, None));
        assert!(cache.get(&key(None), now).is_none(), "unknown expiry is never cached");
    }

    #[test]
    fn forgetting_an_app_drops_its_tokens_only() {
        let cache = TokenCache::default();
        let now = Utc::now();
        cache.put(key(None), &token(now, Some(Duration::minutes(10))));
        let mut other = key(None);
        other.app_id = "other".into();
        cache.put(other.clone(), &token(now, Some(Duration::minutes(10))));
        cache.forget("https://api.example", "app");
        assert!(cache.get(&key(None), now).is_none());
        assert!(cache.get(&other, now).is_some());
    }
}
