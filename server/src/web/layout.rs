//! What every signed-in page shows around its content: who is signed in and the
//! navigation their role has.

use crate::accounts::domain::{Level, Principal, Role};
use crate::authz;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub struct Layout {
    pub user_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

impl Layout {
    pub fn new(who: &Principal, csrf: &str, current: &'static str) -> Layout {
        let mut items: Vec<(&'static str, &'static str)> = vec![("/", "Главная")];
        match authz::people_scope(who) {
            Ok(authz::PeopleScope::Everyone) => items.push(("/users", "Сотрудники")),
            Ok(authz::PeopleScope::Location(_)) => items.push(("/users", "Моя кофейня")),
            Err(_) => {}
        }
        if authz::allows(who, authz::Action::ManageLocations) {
            items.push(("/locations", "Кофейни"));
        }
        items.push(("/profile", "Профиль"));
        Layout {
            user_name: who.name.clone(),
            role_label: role_label(who.role, who.level),
            csrf: csrf.to_owned(),
            nav: items
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: href == current,
                })
                .collect(),
        }
    }
}

/// How a person's role reads on the page: staff are shown by their career level.
pub fn role_label(role: Role, level: Level) -> &'static str {
    match role {
        Role::Staff => level.label_ru(),
        other => other.label_ru(),
    }
}
