//! JSON shapes of the onboarding API.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::Object;

use crate::onboarding::domain::{Item, ItemKind, State};
use crate::onboarding::service::assignments::View;
use crate::onboarding::service::programs::Stored;

#[derive(Debug, Object)]
pub struct ProgramSummary {
    pub id: String,
    pub title: String,
    /// The level it prepares for.
    #[oai(nullable)]
    pub level: Option<String>,
    pub revision: i32,
    pub stages: usize,
    pub items: usize,
    /// How many days it runs (the last due day).
    pub days: u32,
}

impl ProgramSummary {
    pub fn of(s: &Stored) -> ProgramSummary {
        ProgramSummary {
            id: s.row.id.clone(),
            title: s.program.title.clone(),
            level: s.program.level.map(|l| l.as_str().to_owned()),
            revision: s.row.revision,
            stages: s.program.stages.len(),
            items: s.program.items().count(),
            days: s.program.days(),
        }
    }
}

/// An item of a programme (and, inside an assignment, where the person is with it).
#[derive(Debug, Object)]
pub struct ItemOut {
    pub id: String,
    /// `read`, `quiz`, `skill` or `event`.
    pub kind: String,
    pub title: String,
    pub due_day: u32,
    /// Read items: the card.
    #[oai(skip_serializing_if_is_none)]
    pub card: Option<String>,
    /// Skills: what the mentor checks.
    #[oai(skip_serializing_if_is_none)]
    pub criteria: Option<Vec<String>>,
    /// Quiz items: `practice` or `quarterly`.
    #[oai(skip_serializing_if_is_none)]
    pub quiz: Option<String>,
    /// In an assignment: the date it is due.
    #[oai(skip_serializing_if_is_none)]
    pub due_date: Option<NaiveDate>,
    /// In an assignment: `done`, `pending` or `retry` (a failed sign-off).
    #[oai(skip_serializing_if_is_none)]
    pub state: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub overdue: Option<bool>,
    /// After a failed sign-off: what to practise.
    #[oai(skip_serializing_if_is_none)]
    pub practise: Option<String>,
    /// Sign-offs or attendance recorded so far, oldest first.
    #[oai(skip_serializing_if_is_none)]
    pub records: Option<Vec<RecordOut>>,
}

#[derive(Debug, Object)]
pub struct RecordOut {
    /// `signoff` or `attendance`.
    pub kind: String,
    pub passed: bool,
    #[oai(skip_serializing_if_is_none)]
    pub criteria: Option<Vec<bool>>,
    #[oai(skip_serializing_if_is_none)]
    pub comment: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub practise: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub event_date: Option<NaiveDate>,
    #[oai(skip_serializing_if_is_none)]
    pub trainer: Option<String>,
    #[oai(nullable)]
    pub recorded_by: Option<i32>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Object)]
pub struct StageOut {
    pub title: String,
    pub items: Vec<ItemOut>,
}

#[derive(Debug, Object)]
pub struct ProgramOut {
    pub id: String,
    pub title: String,
    #[oai(nullable)]
    pub level: Option<String>,
    #[oai(nullable)]
    pub description: Option<String>,
    pub revision: i32,
    /// The YAML as stored (what the editor edits).
    pub source: String,
    pub stages: Vec<StageOut>,
}

/// Card titles for read items that have no title of their own.
pub type CardTitles = HashMap<String, String>;

pub fn item_title(item: &Item, titles: &CardTitles) -> String {
    match &item.kind {
        ItemKind::Read { card } if item.title.is_empty() => {
            titles.get(card).cloned().unwrap_or_else(|| card.clone())
        }
        _ => item.title.clone(),
    }
}

pub fn item_out(item: &Item, titles: &CardTitles) -> ItemOut {
    ItemOut {
        id: item.id.clone(),
        kind: item.kind.word().to_owned(),
        title: item_title(item, titles),
        due_day: item.due_day,
        card: match &item.kind {
            ItemKind::Read { card } => Some(card.clone()),
            _ => None,
        },
        criteria: match &item.kind {
            ItemKind::Skill { criteria } => Some(criteria.clone()),
            _ => None,
        },
        quiz: match &item.kind {
            ItemKind::Practice { .. } => Some("practice".into()),
            ItemKind::Quarterly => Some("quarterly".into()),
            _ => None,
        },
        due_date: None,
        state: None,
        overdue: None,
        practise: None,
        records: None,
    }
}

impl ProgramOut {
    pub fn of(s: &Stored, titles: &CardTitles) -> ProgramOut {
        ProgramOut {
            id: s.row.id.clone(),
            title: s.program.title.clone(),
            level: s.program.level.map(|l| l.as_str().to_owned()),
            description: s.program.description.clone(),
            revision: s.row.revision,
            source: s.row.source.clone(),
            stages: s
                .program
                .stages
                .iter()
                .map(|stage| StageOut {
                    title: stage.title.clone(),
                    items: stage.items.iter().map(|i| item_out(i, titles)).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
pub struct AssignmentOut {
    pub id: i32,
    pub user_id: i32,
    pub person_name: String,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    pub program_id: String,
    pub program_title: String,
    /// The programme revision this assignment follows.
    pub program_revision: i32,
    #[oai(nullable)]
    pub mentor_id: Option<i32>,
    #[oai(nullable)]
    pub mentor_name: Option<String>,
    pub start_date: NaiveDate,
    /// `onboarding` or `recertification`.
    pub reason: String,
    pub assigned_at: DateTime<Utc>,
    #[oai(nullable)]
    pub completed_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Computed: done items / all items, 0 – 100.
    pub percent: u32,
    pub done: usize,
    pub total: usize,
    /// Items past their due date and not done.
    pub overdue: usize,
    /// Skills not yet signed off (what the mentor still has to check).
    pub pending_signoffs: usize,
    pub stages: Vec<StageOut>,
}

impl AssignmentOut {
    pub fn of(v: &View, titles: &CardTitles) -> AssignmentOut {
        let stages = v
            .program
            .stages
            .iter()
            .map(|stage| StageOut {
                title: stage.title.clone(),
                items: stage
                    .items
                    .iter()
                    .map(|item| {
                        let mut out = item_out(item, titles);
                        if let Some(p) = v.progress.of(&item.id) {
                            out.due_date = Some(p.due);
                            out.overdue = Some(p.overdue);
                            out.state = Some(
                                match &p.state {
                                    State::Done => "done",
                                    State::Pending => "pending",
                                    State::Retry { .. } => "retry",
                                }
                                .to_owned(),
                            );
                            if let State::Retry { practise } = &p.state {
                                out.practise = practise.clone();
                            }
                        }
                        let records: Vec<RecordOut> = v
                            .records
                            .iter()
                            .filter(|r| r.item_id == item.id)
                            .map(|r| RecordOut {
                                kind: r.kind.clone(),
                                passed: r.passed,
                                criteria: r
                                    .criteria
                                    .as_deref()
                                    .and_then(|c| serde_json::from_str(c).ok()),
                                comment: r.comment.clone(),
                                practise: r.practise.clone(),
                                event_date: r.event_date,
                                trainer: r.trainer.clone(),
                                recorded_by: r.recorded_by,
                                recorded_at: r.recorded_at,
                            })
                            .collect();
                        if !records.is_empty() {
                            out.records = Some(records);
                        }
                        out
                    })
                    .collect(),
            })
            .collect();
        AssignmentOut {
            id: v.row.id,
            user_id: v.row.user_id,
            person_name: v.person.name.clone(),
            location_id: v.person.location_id,
            program_id: v.row.program_id.clone(),
            program_title: v.program.title.clone(),
            program_revision: v.row.program_revision,
            mentor_id: v.row.mentor_id,
            mentor_name: v.mentor.as_ref().map(|m| m.name.clone()),
            start_date: v.row.start_date,
            reason: v.row.reason.clone(),
            assigned_at: v.row.assigned_at,
            completed_at: v.row.completed_at,
            cancelled_at: v.row.cancelled_at,
            percent: v.progress.percent,
            done: v.progress.done,
            total: v.progress.total,
            overdue: v.progress.overdue,
            pending_signoffs: pending_signoffs(v),
            stages,
        }
    }
}

pub fn pending_signoffs(v: &View) -> usize {
    v.program
        .skills()
        .filter(|s| v.progress.of(&s.id).is_some_and(|p| p.state != State::Done))
        .count()
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct AssignRequest {
    pub user_id: i32,
    pub program_id: String,
    #[oai(nullable)]
    pub mentor_id: Option<i32>,
    /// Day 1 of the programme.
    pub start_date: NaiveDate,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct ProgramEdit {
    /// The whole programme as YAML (docs/programs.md).
    pub source: String,
    /// The revision the editor started from; 409 `edit_conflict` if it is no longer current.
    pub base_revision: i32,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct SignOffRequest {
    /// «Зачтено» (true) or «на доработку» (false).
    pub passed: bool,
    /// One mark per criterion, in order; omitted: all met when passed.
    #[oai(nullable)]
    pub criteria: Option<Vec<bool>>,
    #[oai(nullable)]
    pub comment: Option<String>,
    /// What to practise before the retry; omitted on a failure: the unmet criteria.
    #[oai(nullable)]
    pub practise: Option<String>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct AttendanceRequest {
    pub date: NaiveDate,
    /// Who ran it; omitted: the person recording.
    #[oai(nullable)]
    pub trainer: Option<String>,
}

#[derive(Debug, Object)]
pub struct PracticeOut {
    /// The practice quiz: start it with `POST /campaigns/{id}/attempts`.
    pub campaign_id: i32,
    pub title: String,
    pub questions: u32,
    pub pass_percent: u32,
}
