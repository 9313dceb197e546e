//! What every signed-in page shows around its content: who is signed in, the navigation
//! their role has, and the search box.

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
    /// What the search box shows (the query on the search page, empty elsewhere).
    pub search_q: String,
}

impl Layout {
    /// `current` is the nav item's href the page belongs to. The home page has no item:
    /// the ЖМП brand links there, so the nav fits a phone.
    pub fn new(who: &Principal, csrf: &str, current: &'static str) -> Layout {
        let mut items: Vec<(&'static str, &'static str)> = vec![("/cards", "Стандарты")];
        if who.role == Role::Staff {
            items.push(("/to-read", "К прочтению"));
        }
        items.push(("/tests", "Тесты"));
        if who.role == Role::Staff {
            items.push(("/onboarding", "Адаптация"));
        }
        match authz::people_scope(who) {
            Ok(authz::PeopleScope::Everyone) => items.push(("/users", "Сотрудники")),
            Ok(authz::PeopleScope::Location(_)) => items.push(("/users", "Моя кофейня")),
            Err(_) => {}
        }
        if authz::people_scope(who).is_ok() || who.role == Role::Trainer {
            items.push(("/reports", "Отчёты"));
        }
        if authz::people_scope(who).is_ok() {
            items.push(("/hr", "Развитие"));
        }
        if matches!(who.role, Role::Trainer | Role::Hr | Role::Admin) {
            items.push(("/programs", "Программы"));
        }
        if authz::allows(who, authz::Action::ManageLocations) {
            items.push(("/locations", "Кофейни"));
        }
        if authz::allows(who, authz::Action::ManageContent) {
            items.push(("/content/errors", "Контент"));
        }
        if authz::allows(who, authz::Action::AuthorContent) {
            items.push(("/questions", "Вопросы"));
        }
        if who.role == Role::Admin {
            items.push(("/audit", "Журнал"));
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
            search_q: String::new(),
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
