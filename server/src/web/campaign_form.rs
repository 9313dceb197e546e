//! Creating a test campaign from a phone or a laptop (trainer, hr, admin): title, when it
//! is open, who takes it, how many questions per direction, time limit, pass marks.

use askama::Template;
use chrono::{DateTime, NaiveDateTime, Utc};
use poem::http::StatusCode;
use poem::web::{Data, Form};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::session::{PageSession, signed_in};
use super::{Layout, PageError, PageResult, html, see_other};
use crate::accounts::domain::Level;
use crate::accounts::storage::locations;
use crate::authz::{self, Action};
use crate::error::{AppError, FieldError};
use crate::quizzes::domain::campaign::{Audience, Blueprint, PassMarks};
use crate::quizzes::service::campaigns::{self, NewCampaign};
use crate::state::AppState;

/// The form as typed: everything is text until it is checked.
#[derive(Deserialize, Default, Clone)]
pub struct CampaignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    opens_at: String,
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    coffee: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    bar: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    pass: String,
    #[serde(default)]
    attempts: String,
}

pub struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "campaign_form.html")]
struct CampaignFormPage<'a> {
    layout: Option<&'a Layout>,
    form: CampaignForm,
    locations: Vec<Check>,
    levels: Vec<Check>,
    errors: Vec<FieldError>,
}

impl CampaignFormPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.as_deref().is_some_and(|f| f.starts_with(field)))
            .map(|e| e.message.as_str())
    }
}

const LEVELS: [(Level, &str); 4] = [
    (Level::Trainee, "Стажёры"),
    (Level::Barista, "Бариста"),
    (Level::Senior, "Старшие бариста"),
    (Level::Leader, "Лидеры кофеен"),
];

async fn render(
    state: &AppState,
    page: &PageSession,
    form: CampaignForm,
    chosen: &[(String, String)],
    errors: Vec<FieldError>,
) -> PageResult {
    let fail = |e: sea_orm::DbErr| PageError::new(page.layout("/tests"), AppError::from(e));
    let picked = |name: &str, value: &str| chosen.iter().any(|(k, v)| k == name && v == value);
    let locations = locations::list(&state.db)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|l| Check {
            checked: picked("location", &l.id.to_string()),
            value: l.id.to_string(),
            label: l.name,
        })
        .collect();
    let levels = LEVELS
        .iter()
        .map(|(level, label)| Check {
            value: level.as_str().to_owned(),
            label: (*label).to_owned(),
            checked: picked("level", level.as_str()),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = page.layout("/tests");
    Ok(html(CampaignFormPage {
        layout: Some(&layout),
        form,
        locations,
        levels,
        errors,
    })
    .with_status(status)
    .into_response())
}

#[handler]
pub async fn new_form(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        authz::require(&page.principal, Action::ManageCampaigns)
            .map_err(|e| PageError::new(page.layout("/tests"), e))?;
        let now = Utc::now();
        let form = CampaignForm {
            opens_at: now.format("%Y-%m-%dT%H:%M").to_string(),
            closes_at: (now + chrono::Duration::days(14))
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
            coffee: "10".into(),
            service: "10".into(),
            bar: "10".into(),
            minutes: "30".into(),
            pass: "70".into(),
            attempts: "1".into(),
            ..Default::default()
        };
        render(state, &page, form, &[], Vec::new()).await
    })
    .await
}

/// A `datetime-local` value (UTC, as the page says) or a field error.
fn moment(field: &str, text: &str, errors: &mut Vec<FieldError>) -> DateTime<Utc> {
    match NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M") {
        Ok(t) => t.and_utc(),
        Err(_) => {
            errors.push(FieldError::field(
                field,
                "дата и время, например 2026-12-01T09:00",
            ));
            Utc::now()
        }
    }
}

fn whole(field: &str, text: &str, errors: &mut Vec<FieldError>) -> u32 {
    text.trim().parse().unwrap_or_else(|_| {
        errors.push(FieldError::field(field, "целое число"));
        0
    })
}

#[handler]
pub async fn create(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    signed_in(state, req, |page| async move {
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        let form = CampaignForm {
            csrf: field("csrf"),
            title: field("title"),
            opens_at: field("opens_at"),
            closes_at: field("closes_at"),
            coffee: field("coffee"),
            service: field("service"),
            bar: field("bar"),
            minutes: field("minutes"),
            pass: field("pass"),
            attempts: field("attempts"),
        };
        page.check_csrf(&form.csrf)
            .map_err(|e| PageError::new(page.layout("/tests"), e))?;
        let mut errors = Vec::new();
        let pass = whole("pass_percent", &form.pass, &mut errors);
        let new = NewCampaign {
            title: form.title.clone(),
            opens_at: moment("opens_at", &form.opens_at, &mut errors),
            closes_at: moment("closes_at", &form.closes_at, &mut errors),
            audience: Audience {
                locations: fields
                    .iter()
                    .filter(|(k, _)| k == "location")
                    .filter_map(|(_, v)| v.parse().ok())
                    .collect(),
                levels: fields
                    .iter()
                    .filter(|(k, _)| k == "level")
                    .filter_map(|(_, v)| v.parse().ok())
                    .collect(),
            },
            blueprint: Blueprint {
                coffee: whole("blueprint.coffee", &form.coffee, &mut errors),
                service: whole("blueprint.service", &form.service, &mut errors),
                bar: whole("blueprint.bar", &form.bar, &mut errors),
            },
            time_limit_minutes: whole("time_limit_minutes", &form.minutes, &mut errors) as i32,
            pass_marks: PassMarks {
                coffee: pass,
                service: pass,
                bar: pass,
                overall: pass,
            },
            attempts_allowed: whole("attempts_allowed", &form.attempts, &mut errors) as i32,
        };
        if !errors.is_empty() {
            return render(state, &page, form, &fields, errors).await;
        }
        match campaigns::create(state, &page.principal, new).await {
            Ok(_) => Ok(see_other("/tests?created=1")),
            Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
                render(state, &page, form, &fields, err.errors).await
            }
            Err(err) => Err(PageError::new(page.layout("/tests"), err)),
        }
    })
    .await
}
