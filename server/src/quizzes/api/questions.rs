use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;

use super::QuizTags;
use super::models::{
    DisabledChange, GiftImportRequest, GiftImportResult, QuestionDetail, QuestionList,
    QuestionSummary,
};
use crate::authz::{self, Action};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::auth::Auth;
use crate::http::paging::{page_and_size, skipped_rows};
use crate::quizzes::service::import::{GiftUpload, import_gift};
use crate::quizzes::storage::questions::{self, QuestionFilter};
use crate::state::AppState;

pub struct QuestionsApi;

#[OpenApi(tag = "QuizTags::Questions")]
impl QuestionsApi {
    /// Questions in use (and retired ones on request), ordered by id.
    #[oai(path = "/questions", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        track: Query<Option<String>>,
        card: Query<Option<String>>,
        /// `bank` or `generated`.
        origin: Query<Option<String>>,
        /// Include retired questions (default false).
        include_retired: Query<Option<bool>>,
        /// 1-based page (default 1).
        page: Query<Option<u64>>,
        /// Items per page, 1–500 (default 100).
        per_page: Query<Option<u64>>,
    ) -> AppResult<Json<QuestionList>> {
        authz::require(auth.principal(), Action::AuthorContent)?;
        let (page, per_page) = page_and_size(page.0, per_page.0, 100, 500)?;
        let origin = origin.0;
        if origin
            .as_deref()
            .is_some_and(|o| o != "bank" && o != "generated")
        {
            let problem = FieldError::field("origin", "bank или generated");
            return Err(AppError::validation(vec![problem]));
        }
        let filter = QuestionFilter {
            track: track.0,
            card: card.0,
            origin,
            include_retired: include_retired.0.unwrap_or(false),
        };
        let all = questions::list(&state.db, &filter).await?;
        let skip =
            usize::try_from(skipped_rows(page, per_page).unwrap_or(u64::MAX)).unwrap_or(usize::MAX);
        Ok(Json(QuestionList {
            total: all.len() as u64,
            items: all
                .iter()
                .skip(skip)
                .take(per_page as usize)
                .map(|(row, body)| QuestionSummary::of(row, body))
                .collect(),
        }))
    }

    /// One question with its answer key.
    #[oai(path = "/questions/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
    ) -> AppResult<Json<QuestionDetail>> {
        authz::require(auth.principal(), Action::AuthorContent)?;
        let (row, body) = questions::get(&state.db, &id.0)
            .await?
            .ok_or_else(|| AppError::not_found("question"))?;
        Ok(Json(QuestionDetail::of(row, body)))
    }

    /// Switch a question off (it is never drawn again) or back on.
    #[oai(path = "/questions/:id/disabled", method = "put")]
    async fn set_disabled(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
        change: Json<DisabledChange>,
    ) -> AppResult<Json<QuestionDetail>> {
        authz::require(auth.principal(), Action::AuthorContent)?;
        if questions::get(&state.db, &id.0).await?.is_none() {
            return Err(AppError::not_found("question"));
        }
        questions::set_disabled(&state.db, &id.0, change.0.disabled).await?;
        state.draw_pool.clear();
        let (row, body) = questions::get(&state.db, &id.0)
            .await?
            .ok_or_else(|| AppError::not_found("question"))?;
        Ok(Json(QuestionDetail::of(row, body)))
    }

    /// Import Moodle GIFT (docs/gift.md). Errors name the GIFT line; importing the same
    /// name again revises those questions.
    #[oai(path = "/questions/import", method = "post")]
    async fn import(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        request: Json<GiftImportRequest>,
    ) -> AppResult<Json<GiftImportResult>> {
        authz::require(auth.principal(), Action::AuthorContent)?;
        let r = request.0;
        let imported = import_gift(
            &state,
            GiftUpload {
                name: &r.name,
                gift: &r.gift,
                track: &r.track,
                card: r.card.as_deref(),
            },
        )
        .await?;
        Ok(Json(GiftImportResult {
            bank: imported.bank,
            questions: imported.questions as u64,
            created: imported.created as u64,
            revised: imported.revised as u64,
            retired: imported.retired as u64,
            warnings: imported.warnings,
        }))
    }
}
