//! Tokens kept in memory, never on disk (the documentation warns against storing them), and
//! the one place a token is dropped when its profile changes:
//! - for reuse: a token is handed out again only while it is fresh (see
//!   `AccessToken::is_fresh`), so a caller never gets one that is about to expire; a token
//!   whose expiry is unknown is never kept;
//! - held for a front end (the app's token cards, and its list of the tokens held): named by
//!   a handle the UI keeps, so the value crosses to the web view only when the user asks to
//!   copy or reveal it; the same token held again keeps its handle. Held tokens
//!   go when their profile is edited or removed or its secret changes, when they expire,
//!   and, past `MAX_HELD`, oldest first: a session of many "Get token" clicks does not keep
//!   every token it ever showed.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

use crate::client::AccessToken;

/// What a token was issued for. The app id and base URL are part of it, so editing a profile
/// cannot hand out a token of its previous settings; and the profile, so a profile is never
/// handed a token another profile of the same application earned with its own secret (one
/// with a wrong secret would look as if it worked).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub profile: String,
    pub base_url: String,
    pub app_id: String,
    pub license_id: String,
    pub account_id: Option<String>,
}

#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<CacheKey, AccessToken>>,
    held: Mutex<HashMap<String, Held>>,
    holds: std::sync::atomic::AtomicU64,
    /// Bumped for a profile each time its tokens are released (an edit, a new secret, its
    /// removal): a token asked for before that, and arriving after it, is neither kept nor
    /// held.
    generations: Mutex<HashMap<String, u64>>,
}

/// Which settings of a profile a token was asked for under (`TokenCache::generation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

/// At most this many tokens are held at once; a new one pushes out the oldest (its card then
/// says "Get a new token").
pub const MAX_HELD: usize = 16;

struct Held {
    profile: String,
    token: AccessToken,
    /// When it was held, for the oldest-first eviction.
    order: u64,
}

impl Held {
    /// An expired token is never handed out again (its expiry known and past).
    fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.token.expires_at.is_some_and(|at| at <= now)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
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

    /// The current generation of `profile`'s settings.
    pub fn generation(&self, profile: &str) -> Generation {
        Generation(lock(&self.generations).get(profile).copied().unwrap_or(0))
    }

    /// Keeps `token` for reuse, unless the profile's settings changed since `asked` (the token
    /// was issued for what they were) or the policy says no.
    pub fn put(&self, key: CacheKey, token: &AccessToken, asked: Generation) {
        if self.generation(&key.profile) != asked {
            return;
        }
        if crate::token_policy::may_keep(token.expires_at) {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries.insert(key, token.duplicate());
        }
    }

    /// Forgets every token of a license's app, e.g. after its secret changed.
    pub fn forget(&self, base_url: &str, app_id: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|k, _| !(k.base_url == base_url && k.app_id == app_id));
    }

    /// Holds `token` of `profile` for a front end; returns the handle that names it, or `None`
    /// when the profile's settings changed since the token was asked for (`asked`).
    pub fn hold(&self, profile: &str, token: &AccessToken, asked: Generation) -> Option<String> {
        if self.generation(profile) != asked {
            return None;
        }
        let order = self.holds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut all = lock(&self.held);
        let now = Utc::now();
        all.retain(|_, held| !held.is_expired(now));
        // The same token handed out again (the cached one) keeps its handle, so a front end
        // listing the held tokens shows each once; it counts as held anew for the eviction.
        let same = |held: &Held| {
            held.profile == profile && held.token.value.expose() == token.value.expose()
        };
        if let Some((handle, held)) = all.iter_mut().find(|(_, held)| same(held)) {
            held.order = order;
            return Some(handle.clone());
        }
        let handle = uuid::Uuid::new_v4().to_string();
        let held = Held { profile: profile.to_string(), token: token.duplicate(), order };
        while all.len() >= MAX_HELD {
            let oldest = all.iter().min_by_key(|(_, h)| h.order).map(|(k, _)| k.clone());
            oldest.map(|k| all.remove(&k));
        }
        all.insert(handle.clone(), held);
        Some(handle)
    }

    /// Runs `f` on the held token named `handle` and the name of its profile; `None` when no
    /// token of that handle is held (any more), also when it has expired since.
    pub fn with_held<R>(&self, handle: &str, f: impl FnOnce(&str, &AccessToken) -> R) -> Option<R> {
        let mut all = lock(&self.held);
        if all.get(handle).is_some_and(|held| held.is_expired(Utc::now())) {
            all.remove(handle);
        }
        all.get(handle).map(|held| f(&held.profile, &held.token))
    }

    /// Runs `f` on every token held now (not expired), newest first, with its handle and the
    /// name of its profile: what a front end lists as the tokens it holds.
    pub fn each_held<R>(&self, mut f: impl FnMut(&str, &str, &AccessToken) -> R) -> Vec<R> {
        let mut all = lock(&self.held);
        let now = Utc::now();
        all.retain(|_, held| !held.is_expired(now));
        let mut newest_first: Vec<(&String, &Held)> = all.iter().collect();
        newest_first.sort_by_key(|(_, held)| std::cmp::Reverse(held.order));
        newest_first
            .into_iter()
            .map(|(handle, held)| f(handle, &held.profile, &held.token))
            .collect()
    }

    /// Drops the held and kept tokens of `profile`, and starts its next generation.
    pub fn release(&self, profile: &str) {
        *lock(&self.generations).entry(profile.to_string()).or_default() += 1;
        lock(&self.held).retain(|_, held| held.profile != profile);
        lock(&self.entries).retain(|key, _| key.profile != profile);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;
    use chrono::Duration;

    fn key(account: Option<&str>) -> CacheKey {
        CacheKey {
            profile: "p".into(),
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
        cache.put(key(None), &token(now, Some(Duration::minutes(10))), Generation(0));
        assert_eq!(cache.get(&key(None), now).unwrap().value.expose(), "opaque");
        assert!(cache.get(&key(Some("A")), now).is_none());
        assert!(cache.get(&key(None), now + Duration::minutes(10)).is_none());
        assert!(cache.get(&key(None), now).is_none(), "a stale entry is dropped");

        cache.put(key(None), &token(now, None), Generation(0));
        assert!(cache.get(&key(None), now).is_none(), "unknown expiry is never cached");
    }

    #[test]
    fn held_tokens_are_found_by_handle_until_their_profile_is_released() {
        let cache = TokenCache::default();
        let now = Utc::now();
        let a = cache.hold("a", &token(now, Some(Duration::minutes(10))), Generation(0)).unwrap();
        let b = cache.hold("b", &token(now, None), Generation(0)).unwrap();
        assert_ne!(a, b);
        assert_eq!(
            cache.with_held(&a, |p, t| (p.to_string(), t.value.expose().to_string())),
            Some(("a".into(), "opaque".into()))
        );
        cache.release("a");
        assert!(cache.with_held(&a, |_, _| ()).is_none());
        assert!(cache.with_held(&b, |_, _| ()).is_some(), "a token of unknown expiry is held too");
        assert!(cache.with_held("no-such-handle", |_, _| ()).is_none());
    }

    /// A token asked for before an edit and arriving after it is neither kept nor held.
    #[test]
    fn a_token_asked_for_before_a_release_is_neither_kept_nor_held() {
        let cache = TokenCache::default();
        let now = Utc::now();
        let asked = cache.generation("p");
        cache.release("p");
        cache.put(key(None), &token(now, Some(Duration::minutes(10))), asked);
        assert!(cache.get(&key(None), now).is_none());
        assert!(cache.hold("p", &token(now, Some(Duration::minutes(10))), asked).is_none());
        let now_asked = cache.generation("p");
        cache.put(key(None), &token(now, Some(Duration::minutes(10))), now_asked);
        assert!(cache.get(&key(None), now).is_some());
        assert!(cache.hold("p", &token(now, None), now_asked).is_some());
    }

    /// Held tokens do not pile up: an expired one is gone, and past `MAX_HELD` the oldest goes.
    #[test]
    fn held_tokens_go_when_they_expire_and_oldest_first_past_the_cap() {
        let cache = TokenCache::default();
        let now = Utc::now();
        let expired = token(now - Duration::minutes(20), Some(Duration::minutes(10)));
        let gone = cache.hold("p", &expired, Generation(0)).unwrap();
        assert!(cache.with_held(&gone, |_, _| ()).is_none(), "an expired token is not handed out");
        let handles: Vec<String> = (0..MAX_HELD + 2)
            .map(|i| {
                let t = AccessToken::new(
                    Secret::new(format!("token-{i}")),
                    "L",
                    None,
                    now,
                    Some(Duration::minutes(10)),
                );
                cache.hold("p", &t, Generation(0)).unwrap()
            })
            .collect();
        assert!(cache.with_held(&handles[0], |_, _| ()).is_none());
        assert!(cache.with_held(&handles[1], |_, _| ()).is_none());
        assert!(handles[2..].iter().all(|h| cache.with_held(h, |_, _| ()).is_some()));
        assert_eq!(lock(&cache.held).len(), MAX_HELD);
    }

    /// The list of held tokens: newest first, each token once however often it was handed
    /// out, without the expired ones or those of a released profile.
    #[test]
    fn held_tokens_are_listed_newest_first_each_once() {
        let cache = TokenCache::default();
        let now = Utc::now();
        let fresh = |value: &str| {
            AccessToken::new(Secret::new(value.into()), "L", None, now, Some(Duration::minutes(10)))
        };
        let a = cache.hold("a", &fresh("one"), Generation(0)).unwrap();
        let b = cache.hold("b", &fresh("two"), Generation(0)).unwrap();
        assert_eq!(
            cache.hold("a", &fresh("one"), Generation(0)).unwrap(),
            a,
            "the same token, the same handle"
        );
        let expired = token(now - Duration::minutes(20), Some(Duration::minutes(10)));
        cache.hold("c", &expired, Generation(0)).unwrap();
        let listed = |cache: &TokenCache| {
            cache.each_held(|handle, profile, _| (handle.to_string(), profile.to_string()))
        };
        assert_eq!(listed(&cache), [(a.clone(), "a".to_string()), (b.clone(), "b".to_string())]);
        cache.release("a");
        assert_eq!(listed(&cache), [(b, "b".to_string())]);
    }

    #[test]
    fn forgetting_an_app_drops_its_tokens_only() {
        let cache = TokenCache::default();
        let now = Utc::now();
        cache.put(key(None), &token(now, Some(Duration::minutes(10))), Generation(0));
        let mut other = key(None);
        other.app_id = "other".into();
        cache.put(other.clone(), &token(now, Some(Duration::minutes(10))), Generation(0));
        cache.forget("https://api.example", "app");
        assert!(cache.get(&key(None), now).is_none());
        assert!(cache.get(&other, now).is_some());
    }
}
