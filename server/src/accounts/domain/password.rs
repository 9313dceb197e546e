//! Password policy. Hashing lives in `accounts::hashing`, off the async workers.

pub const PASSWORD_MIN_CHARS: usize = 10;
/// Upper bound so nobody can make the server hash megabytes per request.
const PASSWORD_MAX_CHARS: usize = 256;

/// A password someone wants to set; checked against the policy.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<NewPassword, String> {
        let count = raw.chars().count();
        if count < PASSWORD_MIN_CHARS {
            return Err(format!("пароль: не короче {PASSWORD_MIN_CHARS} символов"));
        }
        if count > PASSWORD_MAX_CHARS {
            return Err(format!("пароль: не длиннее {PASSWORD_MAX_CHARS} символов"));
        }
        if raw.trim().is_empty() {
            return Err("пароль не может состоять из одних пробелов".into());
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A random password for first-start and demo accounts: 16 characters without the
    /// look-alikes (0/O, 1/l/I) that get mistyped when read off a terminal.
    pub fn generate() -> NewPassword {
        use rand::Rng;
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let text = (0..16)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        NewPassword(text)
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        // Ten Cyrillic letters are twenty bytes but ten characters: accepted.
        assert!(NewPassword::parse("пароль1234").is_ok());
        assert!(NewPassword::parse("short123").is_err());
        assert!(NewPassword::parse("          ").is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        let password = NewPassword::generate();
        assert!(NewPassword::parse(password.expose()).is_ok());
        assert_ne!(password.expose(), NewPassword::generate().expose());
    }
}
