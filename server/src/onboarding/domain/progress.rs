//! Where a person is in a programme: computed from what happened, never typed in. Pure.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};

use super::program::{Item, ItemKind, Program};

/// What has happened that bears on an assignment.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Cards whose current significant revision the person has confirmed.
    pub read: HashSet<String>,
    /// Practice quiz items (by item id) the person has passed.
    pub practice_passed: HashSet<String>,
    /// A quarterly test passed since the start date.
    pub quarterly_passed: bool,
    /// Sign-offs and attendance for this assignment, oldest first.
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub item_id: String,
    pub passed: bool,
    pub practise: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Done,
    Pending,
    /// The last check failed: what to practise before the retry.
    Retry {
        practise: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProgress {
    pub item_id: String,
    pub due: NaiveDate,
    pub state: State,
    /// Not done and the due day is past.
    pub overdue: bool,
    /// Sign-off attempts so far (skills).
    pub tries: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub items: Vec<ItemProgress>,
    pub done: usize,
    pub total: usize,
    /// 0 – 100, rounded down (100 only when everything is done).
    pub percent: u32,
    pub overdue: usize,
}

impl Progress {
    pub fn complete(&self) -> bool {
        self.done == self.total
    }

    /// Items not done yet, soonest due first (the programme's order among equals).
    pub fn next(&self) -> Vec<&ItemProgress> {
        let mut open: Vec<&ItemProgress> = self
            .items
            .iter()
            .filter(|i| i.state != State::Done)
            .collect();
        open.sort_by_key(|i| i.due);
        open
    }

    pub fn of(&self, item_id: &str) -> Option<&ItemProgress> {
        self.items.iter().find(|i| i.item_id == item_id)
    }
}

/// The date an item is due: day 1 is the start date.
pub fn due_date(start: NaiveDate, item: &Item) -> NaiveDate {
    start
        .checked_add_days(Days::new(u64::from(item.due_day.saturating_sub(1))))
        .unwrap_or(start)
}

pub fn progress(program: &Program, start: NaiveDate, today: NaiveDate, facts: &Facts) -> Progress {
    let items: Vec<ItemProgress> = program
        .items()
        .map(|(_, item)| {
            let records: Vec<&Record> = facts
                .records
                .iter()
                .filter(|r| r.item_id == item.id)
                .collect();
            let state = match &item.kind {
                ItemKind::Read { card } => done_if(facts.read.contains(card)),
                ItemKind::Practice { .. } => done_if(facts.practice_passed.contains(&item.id)),
                ItemKind::Quarterly => done_if(facts.quarterly_passed),
                ItemKind::Event => done_if(records.iter().any(|r| r.passed)),
                ItemKind::Skill { .. } => match records.last() {
                    Some(r) if r.passed => State::Done,
                    Some(r) => State::Retry {
                        practise: r.practise.clone(),
                    },
                    None => State::Pending,
                },
            };
            let due = due_date(start, item);
            ItemProgress {
                item_id: item.id.clone(),
                due,
                overdue: state != State::Done && today > due,
                state,
                tries: records.len(),
            }
        })
        .collect();
    let total = items.len();
    let done = items.iter().filter(|i| i.state == State::Done).count();
    let percent = (done * 100)
        .checked_div(total)
        .map_or(100, |p| u32::try_from(p).unwrap_or(100));
    Progress {
        overdue: items.iter().filter(|i| i.overdue).count(),
        items,
        done,
        total,
        percent,
    }
}

fn done_if(done: bool) -> State {
    if done { State::Done } else { State::Pending }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onboarding::domain::program::Stage;

    fn item(id: &str, due_day: u32, kind: ItemKind) -> Item {
        Item {
            id: id.into(),
            title: id.into(),
            due_day,
            kind,
        }
    }

    fn program() -> Program {
        Program {
            id: "p".into(),
            title: "P".into(),
            level: None,
            description: None,
            stages: vec![Stage {
                title: "S".into(),
                items: vec![
                    item(
                        "greet",
                        1,
                        ItemKind::Read {
                            card: "greet".into(),
                        },
                    ),
                    item("intro", 1, ItemKind::Event),
                    item(
                        "espresso",
                        3,
                        ItemKind::Skill {
                            criteria: vec!["18 г".into()],
                        },
                    ),
                    item("q", 5, ItemKind::Quarterly),
                ],
            }],
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn nothing_done_and_overdue_after_the_due_day() {
        let p = progress(&program(), day(1), day(2), &Facts::default());
        assert_eq!((p.done, p.total, p.percent), (0, 4, 0));
        assert_eq!(p.overdue, 2, "day-1 items are overdue on day 2");
        assert_eq!(p.of("espresso").unwrap().due, day(3));
        assert!(!p.of("espresso").unwrap().overdue);
        assert_eq!(p.next()[0].due, day(1));
    }

    #[test]
    fn a_failed_sign_off_asks_for_practice_and_a_retry_can_pass() {
        let mut facts = Facts::default();
        facts.records.push(Record {
            item_id: "espresso".into(),
            passed: false,
            practise: Some("Дозировка".into()),
        });
        let p = progress(&program(), day(1), day(1), &facts);
        assert_eq!(
            p.of("espresso").unwrap().state,
            State::Retry {
                practise: Some("Дозировка".into())
            }
        );
        facts.records.push(Record {
            item_id: "espresso".into(),
            passed: true,
            practise: None,
        });
        facts.read.insert("greet".into());
        facts.records.push(Record {
            item_id: "intro".into(),
            passed: true,
            practise: None,
        });
        let p = progress(&program(), day(1), day(9), &facts);
        assert_eq!(p.of("espresso").unwrap().tries, 2);
        assert_eq!((p.done, p.percent, p.overdue), (3, 75, 1));
        assert!(!p.complete());
        facts.quarterly_passed = true;
        let p = progress(&program(), day(1), day(9), &facts);
        assert!(p.complete());
        assert_eq!(p.percent, 100);
        assert!(p.next().is_empty());
    }
}
