//! Session tokens. The client holds a random secret; the database holds only its SHA-256,
//! so a leaked database cannot be replayed as logins.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a session lives without use; every use extends it (sliding expiry).
pub const SESSION_DAYS: i64 = 30;

pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// CSRF token for forms of a signed-in page session. It is derived from the session
/// secret, which only the browser holding the HttpOnly cookie knows, so another site can
/// neither read nor compute it, and every replica computes the same value.
pub fn csrf_for_session(token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"zhmp-csrf\0");
    hasher.update(token.as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = generate();
        assert_ne!(a, generate());
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a), hash(&a));
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(csrf_for_session(&a), hash(&a));
    }
}
