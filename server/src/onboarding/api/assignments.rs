use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::models::{AssignRequest, AssignmentOut, AttendanceRequest, PracticeOut, SignOffRequest};
use super::{OnboardingTags, card_titles};
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::onboarding::service::assignments::{self, NewAssignment, View};
use crate::onboarding::service::records::{self, SignOff};
use crate::state::AppState;

pub struct AssignmentsApi;

async fn out(state: &AppState, view: View) -> AppResult<Json<AssignmentOut>> {
    Ok(Json(AssignmentOut::of(&view, &card_titles(state).await?)))
}

async fn list(state: &AppState, views: Vec<View>) -> AppResult<Json<Vec<AssignmentOut>>> {
    let titles = card_titles(state).await?;
    Ok(Json(
        views
            .iter()
            .map(|v| AssignmentOut::of(v, &titles))
            .collect(),
    ))
}

#[OpenApi(tag = "OnboardingTags::Assignments")]
impl AssignmentsApi {
    /// Give a person a programme with a mentor and a start date (HR, admin, or the shop
    /// leader of the person's location).
    #[oai(path = "/assignments", method = "post")]
    async fn assign(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<AssignRequest>,
    ) -> AppResult<Json<AssignmentOut>> {
        let b = body.0;
        let view = assignments::assign(
            &state,
            auth.principal(),
            NewAssignment {
                user_id: b.user_id,
                program_id: b.program_id,
                mentor_id: b.mentor_id,
                start_date: b.start_date,
            },
        )
        .await?;
        out(&state, view).await
    }

    /// One assignment with computed progress (the person, their mentor, trainers, their
    /// shop leader, HR and admin; 403 for anyone else).
    #[oai(path = "/assignments/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<AssignmentOut>> {
        let view = assignments::view(&state, auth.principal(), id.0).await?;
        out(&state, view).await
    }

    /// Cancel an assignment (those who may assign). Its records stay; it leaves every
    /// list of running programmes.
    #[oai(path = "/assignments/:id", method = "delete")]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<AssignmentOut>> {
        let view = assignments::cancel(&state, auth.principal(), id.0).await?;
        out(&state, view).await
    }

    /// A person's assignments, newest first.
    #[oai(path = "/users/:id/assignments", method = "get")]
    async fn of_person(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<Vec<AssignmentOut>>> {
        let views = assignments::of_person(&state, auth.principal(), id.0).await?;
        list(&state, views).await
    }

    /// One's own assignments, newest first.
    #[oai(path = "/me/assignments", method = "get")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> AppResult<Json<Vec<AssignmentOut>>> {
        let who = auth.principal();
        let views = assignments::of_person(&state, who, who.user_id).await?;
        list(&state, views).await
    }

    /// Running assignments one mentors, with progress and pending sign-offs.
    #[oai(path = "/me/mentees", method = "get")]
    async fn mentees(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> AppResult<Json<Vec<AssignmentOut>>> {
        let views = assignments::mentees(&state, auth.principal()).await?;
        list(&state, views).await
    }

    /// Sign off a skill: «зачтено» or «на доработку» with what to practise (the assigned
    /// mentor, the shop leader of the person's location, HR, admin).
    #[oai(path = "/assignments/:id/items/:item_id/signoffs", method = "post")]
    async fn sign_off(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        item_id: Path<String>,
        body: Json<SignOffRequest>,
    ) -> AppResult<Json<AssignmentOut>> {
        let b = body.0;
        let view = records::sign_off(
            &state,
            auth.principal(),
            id.0,
            &item_id.0,
            SignOff {
                passed: b.passed,
                criteria: b.criteria,
                comment: b.comment,
                practise: b.practise,
            },
        )
        .await?;
        out(&state, view).await
    }

    /// Record attendance at an event (as sign-offs, and trainers too).
    #[oai(path = "/assignments/:id/items/:item_id/attendance", method = "post")]
    async fn attend(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        item_id: Path<String>,
        body: Json<AttendanceRequest>,
    ) -> AppResult<Json<AssignmentOut>> {
        let b = body.0;
        let view = records::attend(
            &state,
            auth.principal(),
            id.0,
            &item_id.0,
            b.date,
            b.trainer,
        )
        .await?;
        out(&state, view).await
    }

    /// The person's practice quiz for a quiz item (created on first call, then the same
    /// one); take it like any test.
    #[oai(path = "/assignments/:id/items/:item_id/practice", method = "post")]
    async fn practice(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        item_id: Path<String>,
    ) -> AppResult<Json<PracticeOut>> {
        let c = records::practice(&state, auth.principal(), id.0, &item_id.0).await?;
        Ok(Json(PracticeOut {
            campaign_id: c.row.id,
            title: c.row.title.clone(),
            questions: c.blueprint.total(),
            pass_percent: c.pass_marks.overall,
        }))
    }
}
