//! Signing off a skill on a phone (open from the mentor's list, tap «Зачтено»: two taps;
//! a failure is one more tap to untick what was not met) and recording attendance.

use std::collections::HashMap;

use askama::Template;
use chrono::NaiveDate;
use poem::web::{Data, Form, Path};
use poem::{Request, Response, handler};

use super::assignment_view::date;
use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::accounts::domain::Principal;
use crate::error::{AppError, FieldError};
use crate::onboarding::api::{card_titles, item_title};
use crate::onboarding::domain::ItemKind;
use crate::onboarding::service::assignments::{self, View};
use crate::onboarding::service::records::{self, SignOff};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "signoff.html")]
struct SignOffPage<'a> {
    layout: Option<&'a Layout>,
    assignment: i32,
    item: String,
    person: String,
    title: String,
    criteria: Vec<String>,
    /// Earlier checks: (date, passed, what to practise).
    history: Vec<(String, bool, Option<String>)>,
    errors: Vec<FieldError>,
}

async fn load(state: &AppState, who: &Principal, id: i32) -> Result<View, AppError> {
    assignments::view(state, who, id).await
}

/// The same rule the service applies on submit, checked before a form is shown.
fn may(who: &Principal, view: &View, signing: bool) -> Result<(), AppError> {
    let person = crate::accounts::service::people::person_ref(&view.person)?;
    let mentor_id = view.row.mentor_id;
    crate::authz::require(
        who,
        if signing {
            crate::authz::Action::SignOff { person, mentor_id }
        } else {
            crate::authz::Action::RecordAttendance { person, mentor_id }
        },
    )
}

fn back(who: &Principal, view: &View, done: &str) -> String {
    if view.row.mentor_id == Some(who.user_id) {
        format!("/mentor?done={done}")
    } else {
        format!("/people/{}?done={done}", view.row.user_id)
    }
}

async fn render_sign_off(
    state: &AppState,
    layout: &Layout,
    view: &View,
    item_id: &str,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let item = view
        .program
        .item(item_id)
        .ok_or_else(|| AppError::not_found("item"))?;
    let ItemKind::Skill { criteria } = &item.kind else {
        return Err(AppError::not_found("skill"));
    };
    let titles = card_titles(state).await?;
    Ok(html(SignOffPage {
        layout: Some(layout),
        assignment: view.row.id,
        item: item.id.clone(),
        person: view.person.name.clone(),
        title: item_title(item, &titles),
        criteria: criteria.clone(),
        history: view
            .records
            .iter()
            .filter(|r| r.item_id == item.id)
            .map(|r| {
                (
                    date(r.recorded_at.date_naive()),
                    r.passed,
                    r.practise.clone(),
                )
            })
            .collect(),
        errors,
    }))
}

#[handler]
pub async fn sign_off_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((id, item)): Path<(i32, String)>,
) -> Response {
    signed_in(state, req, |page| async move {
        let layout = page.layout("/mentor");
        let fail = |e| PageError::new(page.layout("/mentor"), e);
        let view = load(state, &page.principal, id).await.map_err(fail)?;
        may(&page.principal, &view, true).map_err(fail)?;
        render_sign_off(state, &layout, &view, &item, Vec::new())
            .await
            .map_err(fail)
    })
    .await
}

#[handler]
pub async fn sign_off(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((id, item)): Path<(i32, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/mentor"), e);
        page.check_csrf(form.get("csrf").map_or("", String::as_str))
            .map_err(fail)?;
        let view = load(state, who, id).await.map_err(fail)?;
        let count = match view.program.item(&item).map(|i| &i.kind) {
            Some(ItemKind::Skill { criteria }) => criteria.len(),
            _ => return Err(fail(AppError::not_found("skill"))),
        };
        let passed = form.get("result").map(String::as_str) == Some("passed");
        let marks: Vec<bool> = (0..count)
            .map(|n| form.contains_key(&format!("c{n}")))
            .collect();
        let text = |name: &str| form.get(name).cloned().filter(|t| !t.trim().is_empty());
        let result = records::sign_off(
            state,
            who,
            id,
            &item,
            SignOff {
                passed,
                criteria: Some(marks),
                comment: text("comment"),
                practise: text("practise"),
            },
        )
        .await;
        match result {
            Ok(_) => Ok(see_other(&back(
                who,
                &view,
                if passed { "passed" } else { "failed" },
            ))),
            Err(err) if !err.errors.is_empty() => {
                let layout = page.layout("/mentor");
                render_sign_off(state, &layout, &view, &item, err.errors)
                    .await
                    .map(super::unprocessable)
                    .map_err(fail)
            }
            Err(err) => Err(fail(err)),
        }
    })
    .await
}

#[derive(Template)]
#[template(path = "attend.html")]
struct AttendPage<'a> {
    layout: Option<&'a Layout>,
    assignment: i32,
    item: String,
    person: String,
    title: String,
    today: String,
    trainer: String,
}

#[handler]
pub async fn attend_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((id, item)): Path<(i32, String)>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/mentor"), e);
        let view = load(state, who, id).await.map_err(fail)?;
        may(who, &view, false).map_err(fail)?;
        let event = view
            .program
            .item(&item)
            .filter(|i| i.kind == ItemKind::Event)
            .ok_or_else(|| fail(AppError::not_found("event")))?;
        let layout = page.layout("/mentor");
        Ok(html(AttendPage {
            layout: Some(&layout),
            assignment: id,
            item: event.id.clone(),
            person: view.person.name.clone(),
            title: event.title.clone(),
            today: state.clock.today().to_string(),
            trainer: who.name.clone(),
        }))
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct AttendForm {
    csrf: String,
    date: String,
    trainer: Option<String>,
}

#[handler]
pub async fn attend(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((id, item)): Path<(i32, String)>,
    Form(form): Form<AttendForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/mentor"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        let view = load(state, who, id).await.map_err(fail)?;
        let day = NaiveDate::parse_from_str(&form.date, "%Y-%m-%d").map_err(|_| {
            fail(AppError::validation(vec![FieldError::field(
                "date",
                "дата в формате ГГГГ-ММ-ДД",
            )]))
        })?;
        records::attend(state, who, id, &item, day, form.trainer)
            .await
            .map_err(fail)?;
        Ok(see_other(&back(who, &view, "attended")))
    })
    .await
}
