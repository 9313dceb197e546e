//! A short-lived, per-instance memory of resolved tokens.
//!
//! Every API call resolves its token; on SQLite that is a hop to the database thread and
//! back, which costs more CPU than a cached search. Phones send bursts (search as you
//! type), so remembering a resolution for a moment removes most of those lookups.
//!
//! Correctness: any change to people or sessions made through this instance clears the
//! cache at once (logout, deactivation, password change, role change). A change made
//! elsewhere (another replica, `zhmp user passwd`) is seen within [`TTL`].

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::accounts::domain::Principal;

/// How long a resolution is trusted without asking the database again.
pub const TTL: Duration = Duration::from_secs(2);
/// Distinct tokens remembered at once (a chain's phones fit many times over).
const ENTRIES: usize = 4096;

#[derive(Clone)]
pub struct SessionCache {
    inner: Arc<Mutex<lru::LruCache<String, Entry>>>,
}

struct Entry {
    cached_at: Instant,
    /// The session's own expiry: a cached session never outlives it.
    expires_at: DateTime<Utc>,
    principal: Principal,
}

impl Default for SessionCache {
    fn default() -> SessionCache {
        SessionCache {
            inner: Arc::new(Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(ENTRIES).expect("non-zero"),
            ))),
        }
    }
}

impl SessionCache {
    /// The principal for a token hash resolved less than [`TTL`] ago.
    pub fn get(&self, token_hash: &str) -> Option<Principal> {
        let mut cache = self.inner.lock().ok()?;
        match cache.get(token_hash) {
            Some(e) if e.cached_at.elapsed() < TTL && Utc::now() < e.expires_at => {
                Some(e.principal.clone())
            }
            Some(_) => {
                cache.pop(token_hash);
                None
            }
            None => None,
        }
    }

    pub fn put(&self, token_hash: String, principal: Principal, expires_at: DateTime<Utc>) {
        if let Ok(mut cache) = self.inner.lock() {
            let entry = Entry {
                cached_at: Instant::now(),
                expires_at,
                principal,
            };
            cache.put(token_hash, entry);
        }
    }

    /// Forgets everything: called after any change to people or sessions.
    pub fn clear(&self) {
        if let Ok(mut cache) = self.inner.lock() {
            cache.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::domain::{Level, Role};

    fn principal() -> Principal {
        Principal {
            user_id: 1,
            login: "anna".into(),
            name: "Анна".into(),
            role: Role::Staff,
            level: Level::Barista,
            location_id: None,
            session_id: 7,
        }
    }

    #[test]
    fn remembers_until_cleared() {
        let cache = SessionCache::default();
        assert_eq!(cache.get("h"), None);
        let later = Utc::now() + chrono::Duration::days(1);
        cache.put("h".into(), principal(), later);
        assert_eq!(cache.get("h"), Some(principal()));
        cache.clear();
        assert_eq!(cache.get("h"), None);
    }

    #[test]
    fn forgets_after_the_ttl() {
        let cache = SessionCache::default();
        let later = Utc::now() + chrono::Duration::days(1);
        cache.inner.lock().unwrap().put(
            "old".into(),
            Entry {
                cached_at: Instant::now() - TTL - Duration::from_millis(1),
                expires_at: later,
                principal: principal(),
            },
        );
        assert_eq!(cache.get("old"), None);
        cache.put(
            "expired".into(),
            principal(),
            Utc::now() - chrono::Duration::seconds(1),
        );
        assert_eq!(
            cache.get("expired"),
            None,
            "never past the session's expiry"
        );
    }
}
