//! Validated names. Each type parses once at the boundary; past that point the value is
//! known to be well-formed.

/// A login: 2–32 characters of latin letters, digits, `.`, `_`, `-`; stored lowercase so
/// «Anna» and «anna» are the same person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Login, String> {
        let login = raw.trim().to_lowercase();
        let count = login.chars().count();
        if !(2..=32).contains(&count) {
            return Err("логин: от 2 до 32 символов".into());
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if !login.chars().all(allowed) {
            return Err("логин: только латинские буквы, цифры и знаки . _ -".into());
        }
        if !login.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err("логин должен начинаться с буквы или цифры".into());
        }
        Ok(Login(login))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name, e.g. «Анна Смирнова».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, String> {
        non_blank(raw, 100, "имя").map(DisplayName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A location's name or city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationName(String);

impl LocationName {
    pub fn parse(raw: &str, what: &str) -> Result<LocationName, String> {
        non_blank(raw, 100, what).map(LocationName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn non_blank(raw: &str, max_chars: usize, what: &str) -> Result<String, String> {
    // Collapse runs of white space so "Анна   Смирнова" and "Анна Смирнова" are one name.
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(format!("{what}: поле не может быть пустым"));
    }
    if text.chars().count() > max_chars {
        return Err(format!("{what}: не длиннее {max_chars} символов"));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("{what}: недопустимые управляющие символы"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_is_normalised_to_lowercase() {
        assert_eq!(Login::parse(" Anna.S ").unwrap().as_str(), "anna.s");
    }

    #[test]
    fn login_rejects_bad_shapes() {
        for bad in ["a", "", "анна", "a b", "-anna", &"x".repeat(33)] {
            assert!(Login::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_collapse_spaces_and_reject_blank() {
        assert_eq!(
            DisplayName::parse("  Анна   Смирнова ").unwrap().as_str(),
            "Анна Смирнова"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"я".repeat(101)).is_err());
        assert!(LocationName::parse("Кофейня\u{0}", "name").is_err());
    }
}
