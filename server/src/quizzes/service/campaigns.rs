//! Creating and listing test campaigns.

use chrono::{DateTime, Utc};
use sea_orm::Set;

use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::cards::domain::Track;
use crate::error::{AppError, FieldError};
use crate::quizzes::domain::campaign::{Audience, Blueprint, PassMarks};
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
}

impl Campaign {
    pub fn from_row(row: CampaignRow) -> Result<Campaign, AppError> {
        Ok(Campaign {
            audience: serde_json::from_str(&row.audience).map_err(AppError::internal)?,
            blueprint: serde_json::from_str(&row.blueprint).map_err(AppError::internal)?,
            pass_marks: serde_json::from_str(&row.pass_marks).map_err(AppError::internal)?,
            row,
        })
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.row.opens_at <= now && now < self.row.closes_at
    }

    pub fn is_for(&self, who: &Principal) -> bool {
        self.audience.includes(who.location_id, who.level)
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
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    Campaign::from_row(row)
}

/// Campaigns a person may see: all of them for those who manage campaigns, otherwise the
/// open ones whose audience includes the person.
pub async fn visible(state: &AppState, who: &Principal) -> Result<Vec<Campaign>, AppError> {
    let now = Utc::now();
    let all = attempts::campaigns(&state.db)
        .await?
        .into_iter()
        .map(Campaign::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    if authz::allows(who, Action::ManageCampaigns) {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter(|c| c.is_open(now) && c.is_for(who))
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

/// A rule document as stored.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("rule documents always serialize")
}
