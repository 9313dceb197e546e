//! An assignment as pages show it: progress, what is next and overdue, every item with
//! its state and the one action that moves it on (for whoever is looking).

use chrono::NaiveDate;

use crate::onboarding::api::{CardTitles, item_title, pending_signoffs};
use crate::onboarding::domain::{ItemKind, State};
use crate::onboarding::service::assignments::View;

pub struct ItemRow {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: String,
    pub due: String,
    pub done: bool,
    pub overdue: bool,
    /// After a failed check: what to practise.
    pub practise: Option<String>,
    pub criteria: Vec<String>,
    /// Where the item is done (a card, the tests), for the person.
    pub link: Option<String>,
    /// A practice quiz the person starts with a form post.
    pub practice: bool,
    pub tries: usize,
}

pub struct StageRows {
    pub title: String,
    pub items: Vec<ItemRow>,
}

pub struct AssignmentCard {
    pub id: i32,
    pub user_id: i32,
    pub person_name: String,
    pub program_title: String,
    pub mentor_name: Option<String>,
    pub start: String,
    pub reason_label: &'static str,
    pub percent: u32,
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
    pub pending_signoffs: usize,
    pub stages: Vec<StageRows>,
    /// Not done, soonest due first (at most 3).
    pub next: Vec<ItemRow>,
    pub overdue_items: Vec<ItemRow>,
    /// Skills still to sign off, for the mentor.
    pub skills_pending: Vec<ItemRow>,
}

pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn row(v: &View, item_id: &str, titles: &CardTitles) -> Option<ItemRow> {
    let item = v.program.item(item_id)?;
    let p = v.progress.of(item_id)?;
    Some(ItemRow {
        id: item.id.clone(),
        kind: item.kind.word(),
        kind_label: item.kind.label_ru(),
        title: item_title(item, titles),
        due: date(p.due),
        done: p.state == State::Done,
        overdue: p.overdue,
        practise: match &p.state {
            State::Retry { practise } => practise.clone(),
            _ => None,
        },
        criteria: match &item.kind {
            ItemKind::Skill { criteria } => criteria.clone(),
            _ => Vec::new(),
        },
        link: match &item.kind {
            ItemKind::Read { card } => Some(format!("/cards/{card}")),
            ItemKind::Quarterly => Some("/tests".to_owned()),
            _ => None,
        },
        practice: matches!(item.kind, ItemKind::Practice { .. }),
        tries: p.tries,
    })
}

impl AssignmentCard {
    pub fn of(v: &View, titles: &CardTitles) -> AssignmentCard {
        let rows = |ids: Vec<&str>| -> Vec<ItemRow> {
            ids.into_iter()
                .filter_map(|id| row(v, id, titles))
                .collect()
        };
        let next = rows(
            v.progress
                .next()
                .into_iter()
                .take(3)
                .map(|p| p.item_id.as_str())
                .collect(),
        );
        let overdue_items = rows(
            v.progress
                .items
                .iter()
                .filter(|p| p.overdue)
                .map(|p| p.item_id.as_str())
                .collect(),
        );
        let skills_pending = rows(
            v.program
                .skills()
                .filter(|s| v.progress.of(&s.id).is_some_and(|p| p.state != State::Done))
                .map(|s| s.id.as_str())
                .collect(),
        );
        AssignmentCard {
            id: v.row.id,
            user_id: v.row.user_id,
            person_name: v.person.name.clone(),
            program_title: v.program.title.clone(),
            mentor_name: v.mentor.as_ref().map(|m| m.name.clone()),
            start: date(v.row.start_date),
            reason_label: if v.row.reason == "recertification" {
                "Переаттестация"
            } else {
                "Адаптация"
            },
            percent: v.progress.percent,
            done: v.progress.done,
            total: v.progress.total,
            overdue: v.progress.overdue,
            pending_signoffs: pending_signoffs(v),
            stages: v
                .program
                .stages
                .iter()
                .map(|s| StageRows {
                    title: s.title.clone(),
                    items: rows(s.items.iter().map(|i| i.id.as_str()).collect()),
                })
                .collect(),
            next,
            overdue_items,
            skills_pending,
        }
    }
}
