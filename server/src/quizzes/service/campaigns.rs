//! Creating and listing test campaigns.

use chrono::{DateTime, Utc};
use sea_orm::Set;

use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::cards::domain::Track;
use crate::error::{AppError, FieldError};
use crate::quizzes::domain::campaign::{Audience, Blueprint, PRACTICE, PassMarks, Pool, QUARTERLY};
use crate::quizzes::storage::attempts::{self, CampaignRow};
use crate::quizzes::storage::entities::campaign;
use crate::quizzes::storage::questions;
use crate::state::AppState;

/// A campaign as its rules, parsed from its row.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub row: CampaignRow,
    pub audience: Audience,
    pub blueprint: Blueprint,
    pub pass_marks: PassMarks,
    /// A practice quiz's pool; `None` for the quarterly test (the whole bank).
    pub pool: Option<Pool>,
}

impl Campaign {
    pub fn from_row(row: CampaignRow) -> Result<Campaign, AppError> {
        Ok(Campaign {
            audience: serde_json::from_str(&row.audience).map_err(AppError::internal)?,
            blueprint: serde_json::from_str(&row.blueprint).map_err(AppError::internal)?,
            pass_marks: serde_json::from_str(&row.pass_marks).map_err(AppError::internal)?,
            pool: row
                .cards
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(AppError::internal)?,
            row,
        })
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.row.opens_at <= now && now < self.row.closes_at
    }

    pub fn is_for(&self, who: &Principal) -> bool {
        match self.row.owner_id {
            Some(owner) => owner == who.user_id,
            None => self.audience.includes(who.location_id, who.level),
        }
    }

    /// Whether it counts as the quarterly test (for certification).
    pub fn is_quarterly(&self) -> bool {
        self.row.kind == QUARTERLY
    }
}

pub struct NewCampaign {
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience: Audience,
    pub blueprint: Blueprint,
    pub time_limit_minutes: i32,
    pub pass_marks: PassMarks,
    pub attempts_allowed: i32,
}

pub async fn create(
    state: &AppState,
    who: &Principal,
    new: NewCampaign,
) -> Result<Campaign, AppError> {
    authz::require(who, Action::ManageCampaigns)?;
    let mut problems = Vec::new();
    let title = new.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 200 {
        problems.push(FieldError::field("title", "от 1 до 200 символов"));
    }
    if new.closes_at <= new.opens_at {
        problems.push(FieldError::field("closes_at", "позже, чем opens_at"));
    }
    if !(1..=600).contains(&new.time_limit_minutes) {
        problems.push(FieldError::field("time_limit_minutes", "от 1 до 600 минут"));
    }
    if !(1..=10).contains(&new.attempts_allowed) {
        problems.push(FieldError::field("attempts_allowed", "от 1 до 10"));
    }
    let marks = &new.pass_marks;
    for (field, mark) in [
        ("pass_percent.coffee", marks.coffee),
        ("pass_percent.service", marks.service),
        ("pass_percent.bar", marks.bar),
        ("pass_percent.overall", marks.overall),
    ] {
        if mark > 100 {
            problems.push(FieldError::field(field, "от 0 до 100"));
        }
    }
    if new.blueprint.total() == 0 {
        problems.push(FieldError::field("blueprint", "хотя бы один вопрос"));
    }
    for track in Track::ALL {
        let wanted = new.blueprint.count(track) as usize;
        if wanted == 0 {
            continue;
        }
        let available = questions::drawable(&state.db, track.as_str()).await?.len();
        if wanted > available {
            problems.push(FieldError::field(
                &format!("blueprint.{}", track.as_str()),
                format!("в банке только {available} вопросов этого направления"),
            ));
        }
    }
    for id in &new.audience.locations {
        if crate::accounts::storage::locations::get(&state.db, *id)
            .await?
            .is_none()
        {
            problems.push(FieldError::field(
                "audience.locations",
                format!("нет кофейни с id {id}"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    let row = attempts::insert_campaign(
        &state.db,
        campaign::ActiveModel {
            title: Set(title),
            opens_at: Set(new.opens_at),
            closes_at: Set(new.closes_at),
            audience: Set(to_json(&new.audience)),
            blueprint: Set(to_json(&new.blueprint)),
            time_limit_minutes: Set(new.time_limit_minutes),
            pass_marks: Set(to_json(&new.pass_marks)),
            attempts_allowed: Set(new.attempts_allowed),
            created_by: Set(Some(who.user_id)),
            created_at: Set(state.clock.now()),
            kind: Set(QUARTERLY.to_owned()),
            ..Default::default()
        },
    )
    .await?;
    Campaign::from_row(row)
}

/// Campaigns a person may see: all of them for those who manage campaigns, otherwise the
/// open ones whose audience includes the person.
pub async fn visible(state: &AppState, who: &Principal) -> Result<Vec<Campaign>, AppError> {
    let now = state.clock.now();
    let all = attempts::campaigns(&state.db)
        .await?
        .into_iter()
        .map(Campaign::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    // Practice quizzes are personal: listed for their owner only.
    let manager = authz::allows(who, Action::ManageCampaigns);
    Ok(all
        .into_iter()
        .filter(|c| match c.row.owner_id {
            Some(owner) => owner == who.user_id && c.is_open(now),
            None => manager || (c.is_open(now) && c.is_for(who)),
        })
        .collect())
}

/// One campaign, if the person may see it (404 otherwise: its existence is not told).
pub async fn get(state: &AppState, who: &Principal, id: i32) -> Result<Campaign, AppError> {
    let campaign = attempts::campaign(&state.db, id)
        .await?
        .map(Campaign::from_row)
        .transpose()?
        .ok_or_else(|| AppError::not_found("campaign"))?;
    let manager = authz::allows(who, Action::ManageCampaigns);
    if !manager && !campaign.is_for(who) {
        return Err(AppError::not_found("campaign"));
    }
    Ok(campaign)
}

/// A practice quiz for one person, found again by `source` (so starting it twice reuses
/// it). Open from now for a year; any number of tries up to 10.
pub struct NewPractice {
    pub owner: i32,
    pub source: String,
    pub title: String,
    pub questions: u32,
    pub pass_percent: u32,
    pub pool: Pool,
}

pub async fn practice(state: &AppState, new: NewPractice) -> Result<Campaign, AppError> {
    if let Some(row) = attempts::find_practice(&state.db, new.owner, &new.source).await? {
        return Campaign::from_row(row);
    }
    let mut available = Vec::new();
    for track in Track::ALL {
        let n = questions::drawable(&state.db, track.as_str())
            .await?
            .iter()
            .filter(|q| new.pool.admits(&q.card_id, &q.track))
            .count();
        available.push((track, u32::try_from(n).unwrap_or(u32::MAX)));
    }
    let blueprint = crate::quizzes::domain::campaign::spread(new.questions, &available);
    if blueprint.total() == 0 {
        return Err(AppError::conflict(
            "no_questions",
            "The question bank has no questions for this quiz's cards and directions.",
        ));
    }
    let now = state.clock.now();
    let marks = PassMarks {
        coffee: 0,
        service: 0,
        bar: 0,
        overall: new.pass_percent.min(100),
    };
    let row = attempts::insert_campaign(
        &state.db,
        campaign::ActiveModel {
            title: Set(new.title),
            opens_at: Set(now - chrono::Duration::minutes(1)),
            closes_at: Set(now + chrono::Duration::days(366)),
            audience: Set(to_json(&Audience::default())),
            blueprint: Set(to_json(&blueprint)),
            time_limit_minutes: Set(i32::try_from(blueprint.total() * 2).unwrap_or(60).max(5)),
            pass_marks: Set(to_json(&marks)),
            attempts_allowed: Set(10),
            created_by: Set(None),
            created_at: Set(now),
            kind: Set(PRACTICE.to_owned()),
            owner_id: Set(Some(new.owner)),
            cards: Set(Some(to_json(&new.pool))),
            source: Set(Some(new.source.clone())),
            ..Default::default()
        },
    )
    .await;
    match row {
        Ok(row) => Campaign::from_row(row),
        // Created meanwhile by a second tap: use that one.
        Err(err)
            if matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            let row = attempts::find_practice(&state.db, new.owner, &new.source)
                .await?
                .ok_or_else(|| AppError::internal(err))?;
            Campaign::from_row(row)
        }
        Err(err) => Err(err.into()),
    }
}

/// A rule document as stored.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("rule documents always serialize")
}
