use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, OpenApi};

use super::CertificationTags;
use super::models::{
    CandidateOut, CareerOut, CertificateOut, InterviewOut, InterviewRequest, OnboardingRow,
    PromotionRequest,
};
use crate::certification::service::person::{self, certificates_in_scope};
use crate::certification::service::promotion::{self, NewInterview};
use crate::certification::storage::{LAPSED, VALID};
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::onboarding::api::pending_signoffs;
use crate::onboarding::service::assignments;
use crate::state::AppState;

pub struct CertificationApi;

#[derive(Debug, Clone, Copy, Enum)]
#[oai(rename_all = "lowercase")]
pub enum CertificateList {
    /// Valid certificates ending within 30 days.
    Expiring,
    /// Lapsed and not replaced.
    Lapsed,
}

#[OpenApi(tag = "CertificationTags::Certification")]
impl CertificationApi {
    /// A person's level, what the next level still needs, certificates, interviews,
    /// results per direction and quarter, and history.
    #[oai(path = "/users/:id/career", method = "get")]
    async fn career(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<CareerOut>> {
        let career = person::career(&state, auth.principal(), id.0).await?;
        Ok(Json(CareerOut::of(&career)))
    }

    /// Record an interview (HR, admin).
    #[oai(path = "/users/:id/interviews", method = "post")]
    async fn interview(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<InterviewRequest>,
    ) -> AppResult<Json<InterviewOut>> {
        let b = body.0;
        let row = promotion::record_interview(
            &state,
            auth.principal(),
            id.0,
            NewInterview {
                level: b.level,
                passed: b.passed,
                notes: b.notes,
                held_on: b.held_on,
            },
        )
        .await?;
        Ok(Json(InterviewOut::of(&row)))
    }

    /// Confirm a promotion to the next level (HR, admin): the level changes and a
    /// certificate is issued. 409 `not_eligible` names what is missing.
    #[oai(path = "/users/:id/promotion", method = "post")]
    async fn promote(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<PromotionRequest>,
    ) -> AppResult<Json<CertificateOut>> {
        let cert = promotion::promote(&state, auth.principal(), id.0, &body.0.level).await?;
        let (cert, holder) = person::certificate(&state, auth.principal(), cert.id).await?;
        Ok(Json(CertificateOut::of(&cert, &holder)))
    }

    /// One certificate (its holder, their shop leader, HR, admin).
    #[oai(path = "/certificates/:id", method = "get")]
    async fn certificate(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<CertificateOut>> {
        let (cert, holder) = person::certificate(&state, auth.principal(), id.0).await?;
        Ok(Json(CertificateOut::of(&cert, &holder)))
    }

    /// Certificates expiring within 30 days, or lapsed (HR: all shops; a shop leader:
    /// their own).
    #[oai(path = "/reports/certificates", method = "get")]
    async fn certificates(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        list: Query<CertificateList>,
    ) -> AppResult<Json<Vec<CertificateOut>>> {
        let rows = match list.0 {
            CertificateList::Expiring => {
                certificates_in_scope(&state, auth.principal(), VALID, Some(30)).await?
            }
            CertificateList::Lapsed => {
                certificates_in_scope(&state, auth.principal(), LAPSED, None).await?
            }
        };
        Ok(Json(
            rows.iter().map(|(c, h)| CertificateOut::of(c, h)).collect(),
        ))
    }

    /// Staff whose next level is within reach: everything met (eligible), or everything
    /// but the interview.
    #[oai(path = "/reports/promotion-candidates", method = "get")]
    async fn candidates(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> AppResult<Json<Vec<CandidateOut>>> {
        let list = person::candidates(&state, auth.principal()).await?;
        Ok(Json(
            list.into_iter()
                .map(|c| CandidateOut {
                    user_id: c.person.id,
                    name: c.person.name.clone(),
                    location_id: c.person.location_id,
                    level: c.person.level.clone(),
                    next_level: c.next.as_str().to_owned(),
                    eligible: c.eligible,
                })
                .collect(),
        ))
    }

    /// Onboarding in progress (overdue first), in the caller's scope.
    #[oai(path = "/reports/onboarding", method = "get")]
    async fn onboarding(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> AppResult<Json<Vec<OnboardingRow>>> {
        let mut views = assignments::running(&state, auth.principal()).await?;
        views.sort_by_key(|v| (std::cmp::Reverse(v.progress.overdue), v.row.start_date));
        Ok(Json(
            views
                .iter()
                .map(|v| OnboardingRow {
                    assignment_id: v.row.id,
                    user_id: v.person.id,
                    name: v.person.name.clone(),
                    location_id: v.person.location_id,
                    program_id: v.row.program_id.clone(),
                    program_title: v.program.title.clone(),
                    reason: v.row.reason.clone(),
                    mentor_name: v.mentor.as_ref().map(|m| m.name.clone()),
                    start_date: v.row.start_date,
                    percent: v.progress.percent,
                    overdue: v.progress.overdue,
                    pending_signoffs: pending_signoffs(v),
                })
                .collect(),
        ))
    }
}
