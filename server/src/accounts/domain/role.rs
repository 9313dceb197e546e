//! Roles (what a person may do in zhmp) and career levels (where they are in the chain).

use std::fmt;
use std::str::FromStr;

/// Access role. Independent of the career level: a shop leader is usually `staff` with
/// level `leader`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Staff,
    Trainer,
    Hr,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Staff, Role::Trainer, Role::Hr, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Trainer => "trainer",
            Role::Hr => "hr",
            Role::Admin => "admin",
        }
    }

    /// Russian label for pages.
    pub fn label_ru(self) -> &'static str {
        match self {
            Role::Staff => "Сотрудник",
            Role::Trainer => "Тренер",
            Role::Hr => "HR",
            Role::Admin => "Администратор",
        }
    }
}

/// Career level, moved by certification: trainee → barista → senior → leader.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Trainee,
    Barista,
    Senior,
    Leader,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Trainee, Level::Barista, Level::Senior, Level::Leader];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trainee => "trainee",
            Level::Barista => "barista",
            Level::Senior => "senior",
            Level::Leader => "leader",
        }
    }

    pub fn label_ru(self) -> &'static str {
        match self {
            Level::Trainee => "Стажёр",
            Level::Barista => "Бариста",
            Level::Senior => "Старший бариста",
            Level::Leader => "Управляющий",
        }
    }
}

/// The error for an unknown enum word, listing the allowed ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{given}»: допустимые значения — {allowed}")]
pub struct UnknownValue {
    pub given: String,
    pub allowed: String,
}

macro_rules! word_enum {
    ($ty:ty) => {
        impl FromStr for $ty {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                <$ty>::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue {
                        given: s.to_owned(),
                        allowed: <$ty>::ALL.map(|v| v.as_str()).join(", "),
                    })
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
word_enum!(Role);
word_enum!(Level);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        for level in Level::ALL {
            assert_eq!(level.to_string().parse::<Level>().unwrap(), level);
        }
    }

    #[test]
    fn unknown_word_lists_allowed_values() {
        let err = "boss".parse::<Role>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "«boss»: допустимые значения — staff, trainer, hr, admin"
        );
    }

    #[test]
    fn levels_are_ordered_by_career() {
        assert!(Level::Trainee < Level::Barista && Level::Senior < Level::Leader);
    }
}
