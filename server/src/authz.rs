//! Who may do what: the one place where role × action × resource is decided.
//!
//! Every endpoint and page calls [`require`] (or [`people_scope`] for lists) before it
//! touches data, naming its [`Action`]. The e2e authz matrix test walks every endpoint
//! with every role and anonymous and checks the answers against this policy.

use crate::accounts::domain::{Level, Principal, Role};
use crate::error::AppError;

/// The person an action is about, as much as the policy needs to know.
#[derive(Debug, Clone, Copy)]
pub struct PersonRef {
    pub id: i32,
    pub role: Role,
    pub location_id: Option<i32>,
}

#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// See and edit one's own profile and password.
    OwnProfile,
    /// Read the list of locations (needed to show where people work).
    ListLocations,
    /// Create, rename or delete locations.
    ManageLocations,
    /// See another person's account.
    ViewPerson(PersonRef),
    /// Create an account with the given role.
    CreatePerson(Role),
    /// Change an account; `new_role` is the role it will have afterwards.
    EditPerson { person: PersonRef, new_role: Role },
    /// Read published cards and search them.
    ReadContent,
    /// Write and edit cards, see their history.
    AuthorContent,
    /// Reload the content directory and see its validation errors.
    ManageContent,
    /// Confirm having read a card ("Прочитал(а) и понял(а)").
    ConfirmReading,
    /// See who has and has not confirmed reading (scoped like people lists).
    ViewReadingStatus,
    /// Create test campaigns, see all of them and their statistics.
    ManageCampaigns,
    /// Take tests one is in the audience of (the audience itself is checked by the service).
    TakeTests,
    /// Give a person an onboarding programme with a mentor.
    AssignProgram(PersonRef),
    /// Sign off a skill of an assignment (`mentor_id` is the assignment's mentor).
    SignOff {
        person: PersonRef,
        mentor_id: Option<i32>,
    },
    /// Record attendance at an event of an assignment.
    RecordAttendance {
        person: PersonRef,
        mentor_id: Option<i32>,
    },
    /// Record interviews, confirm promotions, see everyone's certification.
    ManageCertification,
}

/// Whose accounts a principal may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleScope {
    Everyone,
    Location(i32),
}

pub fn allows(who: &Principal, action: Action) -> bool {
    use Role::*;
    match action {
        Action::OwnProfile
        | Action::ListLocations
        | Action::ReadContent
        | Action::ConfirmReading
        | Action::TakeTests => true,
        Action::ManageCampaigns => matches!(who.role, Trainer | Hr | Admin),
        Action::AuthorContent | Action::ManageContent => matches!(who.role, Trainer | Admin),
        Action::ViewReadingStatus => people_scope_of(who).is_some(),
        Action::ManageLocations | Action::ManageCertification => matches!(who.role, Hr | Admin),
        Action::AssignProgram(person) => {
            matches!(who.role, Hr | Admin) || leads_location_of(who, person)
        }
        // Nobody signs off or records their own progress, whatever their role.
        Action::SignOff { person, mentor_id } => {
            person.id != who.user_id
                && (matches!(who.role, Hr | Admin)
                    || mentor_id == Some(who.user_id)
                    || leads_location_of(who, person))
        }
        Action::RecordAttendance { person, mentor_id } => {
            person.id != who.user_id
                && (matches!(who.role, Trainer | Hr | Admin)
                    || mentor_id == Some(who.user_id)
                    || leads_location_of(who, person))
        }
        Action::ViewPerson(person) => {
            person.id == who.user_id
                || match people_scope_of(who) {
                    Some(PeopleScope::Everyone) => true,
                    Some(PeopleScope::Location(id)) => person.location_id == Some(id),
                    None => false,
                }
        }
        Action::CreatePerson(role) => match who.role {
            Admin => true,
            Hr => role != Admin,
            Staff | Trainer => false,
        },
        Action::EditPerson { person, new_role } => match who.role {
            Admin => true,
            Hr => person.role != Admin && new_role != Admin,
            Staff | Trainer => false,
        },
    }
}

pub fn require(who: &Principal, action: Action) -> Result<(), AppError> {
    if allows(who, action) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// HR and admins see everyone; a shop leader (staff at level `leader`) sees their own
/// location; nobody else lists people.
pub fn people_scope(who: &Principal) -> Result<PeopleScope, AppError> {
    people_scope_of(who).ok_or_else(AppError::forbidden)
}

/// A shop leader (staff at level leader) of the location the person works at.
fn leads_location_of(who: &Principal, person: PersonRef) -> bool {
    who.role == Role::Staff
        && who.level == Level::Leader
        && who.location_id.is_some()
        && who.location_id == person.location_id
        && person.id != who.user_id
}

fn people_scope_of(who: &Principal) -> Option<PeopleScope> {
    match who.role {
        Role::Hr | Role::Admin => Some(PeopleScope::Everyone),
        Role::Staff if who.level == Level::Leader => who.location_id.map(PeopleScope::Location),
        Role::Staff | Role::Trainer => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, level: Level, location_id: Option<i32>) -> Principal {
        Principal {
            user_id: 1,
            login: "x".into(),
            name: "X".into(),
            role,
            level,
            location_id,
            session_id: 1,
        }
    }

    fn person(id: i32, role: Role, location_id: Option<i32>) -> PersonRef {
        PersonRef {
            id,
            role,
            location_id,
        }
    }

    #[test]
    fn shop_leader_sees_only_own_location() {
        let leader = principal(Role::Staff, Level::Leader, Some(7));
        assert_eq!(people_scope(&leader).unwrap(), PeopleScope::Location(7));
        assert!(allows(
            &leader,
            Action::ViewPerson(person(2, Role::Staff, Some(7)))
        ));
        assert!(!allows(
            &leader,
            Action::ViewPerson(person(2, Role::Staff, Some(8)))
        ));
        assert!(!allows(&leader, Action::CreatePerson(Role::Staff)));
    }

    #[test]
    fn plain_staff_and_trainers_see_only_themselves() {
        for who in [
            principal(Role::Staff, Level::Barista, Some(7)),
            principal(Role::Trainer, Level::Senior, None),
        ] {
            assert!(people_scope(&who).is_err());
            assert!(allows(
                &who,
                Action::ViewPerson(person(1, who.role, Some(7)))
            ));
            assert!(!allows(
                &who,
                Action::ViewPerson(person(2, Role::Staff, Some(7)))
            ));
            assert!(!allows(&who, Action::ManageLocations));
        }
    }

    #[test]
    fn hr_manages_everyone_but_admins() {
        let hr = principal(Role::Hr, Level::Senior, None);
        assert!(allows(&hr, Action::CreatePerson(Role::Trainer)));
        assert!(!allows(&hr, Action::CreatePerson(Role::Admin)));
        let staff = person(2, Role::Staff, None);
        let admin = person(3, Role::Admin, None);
        assert!(allows(
            &hr,
            Action::EditPerson {
                person: staff,
                new_role: Role::Hr
            }
        ));
        assert!(!allows(
            &hr,
            Action::EditPerson {
                person: staff,
                new_role: Role::Admin
            }
        ));
        assert!(!allows(
            &hr,
            Action::EditPerson {
                person: admin,
                new_role: Role::Staff
            }
        ));
        assert!(allows(&hr, Action::ManageLocations));
    }

    #[test]
    fn only_trainers_and_admins_author_content() {
        for (role, level, may) in [
            (Role::Staff, Level::Leader, false),
            (Role::Trainer, Level::Senior, true),
            (Role::Hr, Level::Senior, false),
            (Role::Admin, Level::Leader, true),
        ] {
            let who = principal(role, level, Some(1));
            assert_eq!(allows(&who, Action::AuthorContent), may, "{role:?}");
            assert!(allows(&who, Action::ReadContent));
        }
        assert!(allows(
            &principal(Role::Staff, Level::Leader, Some(1)),
            Action::ViewReadingStatus
        ));
        assert!(!allows(
            &principal(Role::Staff, Level::Barista, Some(1)),
            Action::ViewReadingStatus
        ));
    }

    #[test]
    fn who_signs_off_skills() {
        let trainee = person(10, Role::Staff, Some(7));
        let sign = |who: &Principal, mentor: Option<i32>| {
            allows(
                who,
                Action::SignOff {
                    person: trainee,
                    mentor_id: mentor,
                },
            )
        };
        let mut mentor = principal(Role::Staff, Level::Senior, Some(8));
        mentor.user_id = 5;
        assert!(
            sign(&mentor, Some(5)),
            "the assigned mentor, even from another shop"
        );
        assert!(!sign(&mentor, Some(6)), "another barista is not the mentor");
        assert!(sign(&principal(Role::Staff, Level::Leader, Some(7)), None));
        assert!(!sign(&principal(Role::Staff, Level::Leader, Some(8)), None));
        assert!(sign(&principal(Role::Hr, Level::Senior, None), None));
        assert!(sign(&principal(Role::Admin, Level::Senior, None), None));
        assert!(!sign(&principal(Role::Trainer, Level::Senior, None), None));
        for (role, level) in [
            (Role::Staff, Level::Leader),
            (Role::Hr, Level::Senior),
            (Role::Admin, Level::Leader),
        ] {
            let mut own = principal(role, level, Some(7));
            own.user_id = 10;
            assert!(
                !sign(&own, Some(10)),
                "nobody signs off their own skills ({role:?})"
            );
        }
        assert!(allows(
            &principal(Role::Trainer, Level::Senior, None),
            Action::RecordAttendance {
                person: trainee,
                mentor_id: None
            }
        ));
        assert!(allows(
            &principal(Role::Staff, Level::Leader, Some(7)),
            Action::AssignProgram(trainee)
        ));
        assert!(!allows(
            &principal(Role::Trainer, Level::Senior, None),
            Action::AssignProgram(trainee)
        ));
    }

    #[test]
    fn admin_may_do_everything() {
        let admin = principal(Role::Admin, Level::Leader, None);
        let other = person(3, Role::Admin, None);
        assert!(allows(&admin, Action::CreatePerson(Role::Admin)));
        assert!(allows(
            &admin,
            Action::EditPerson {
                person: other,
                new_role: Role::Staff
            }
        ));
    }
}
